"""Community figures on the dashboard and in the monthly performance report."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from community.models import ActivityReport, Proposal, ProposalStatus
from community.services import milestone_add, payment_record, report_review, report_submit
from community.services.base import proposal_flow
from portal.timeutils import local_today
from reports.dashboard.community import community_panel
from reports.dashboard.selectors import Period
from reports.performance.services import report_figures, workbook_sheets
from tests.factories import JUNGGU, HouseholdFactory, district, login

from .conftest import draft, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def activity(call, caseworker_a):
    selected = submitted(call, amount=4_000_000)
    submitted(call, amount=1_000_000)
    type(selected).objects.filter(pk=selected.pk).update(
        status=ProposalStatus.SELECTED, grant_amount=4_000_000
    )
    milestone = milestone_add(proposal=selected, actor=caseworker_a, title="1차", due_on=date(2026, 12, 31))
    report_submit(
        user=selected.lead,
        milestone_id=milestone.pk,
        text="모임 3회",
        receipts=[SimpleUploadedFile("r.pdf", b"%PDF-1.4")],
    )
    payment_record(proposal=selected, actor=caseworker_a, amount=1_500_000, paid_on=date(2026, 5, 1))
    return selected


def test_the_panel_counts_per_call(activity, manager_a, caseworker_b, call):
    today = local_today()
    panel = community_panel(manager_a, None, Period(today, today))
    (row,) = panel.calls
    assert (row.proposals, row.selected, row.grants, row.spent, row.reports) == (
        2,
        1,
        4_000_000,
        1_500_000,
        1,
    )
    assert row.selection_rate == 0.5
    assert community_panel(caseworker_b, None, Period(today, today)).calls == []


def test_the_dashboard_and_the_performance_report_show_it(client, activity, manager_a, call):
    login(client, manager_a)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'id="community"' in page and call.title in page and "4,000,000" in page
    figures = report_figures(district=call.district, month=local_today().replace(day=1))
    assert figures["community"]["calls"][0]["spent"] == 1_500_000
    sheets = dict(workbook_sheets(figures))
    assert sheets["마을공동체"][1][:3] == [call.title, 2, 1]


# --- the panel's cache: a change bumps its own district's version, not every district's ---------------


def _versions(*districts) -> dict:
    from django.core.cache import cache

    from reports.dashboard.cache import GLOBAL, _version_key

    keys = [_version_key("community", where) for where in (*districts, GLOBAL)]
    return {key: cache.get(key) for key in keys}


def test_proposals_payments_and_reports_bump_only_their_district(call, caseworker_a):
    """The services' rows hold their call in memory: the other district's panel (and every district's,
    via the global version) stays cached."""
    other = district(JUNGGU).pk
    proposal = submitted(call)
    Proposal.objects.filter(pk=proposal.pk).update(status=ProposalStatus.SELECTED, grant_amount=1_000_000)
    milestone = milestone_add(proposal=proposal, actor=caseworker_a, title="1차", due_on=date(2026, 12, 31))
    before = _versions(call.district_id, other)
    steps = [
        lambda: payment_record(proposal=proposal, actor=caseworker_a, amount=1_000, paid_on=date(2026, 5, 1)),
        lambda: report_submit(user=proposal.lead, milestone_id=milestone.pk, text="모임"),
        lambda: report_review(
            report=ActivityReport.objects.get(milestone=milestone), actor=caseworker_a, accept=True
        ),
        lambda: draft(HouseholdFactory(district=call.district).user, call),
        lambda: proposal_flow.lock(proposal.pk).save(),  # the workflow's locked row selects call__district
    ]
    for step in steps:
        step()
        after = _versions(call.district_id, other)
        own, global_ = (f"dashboard:v:community:{w}" for w in (call.district_id, "global"))
        assert after[own] != before[own], step
        assert after[f"dashboard:v:community:{other}"] == before[f"dashboard:v:community:{other}"]
        assert after[global_] == before[global_]
        before = after


def test_a_row_without_its_call_in_memory_still_bumps_every_district(call):
    """Never a query to find the district: when it is not in memory, the global version moves."""
    proposal = Proposal.objects.get(pk=draft(HouseholdFactory(district=call.district).user, call).pk)
    before = _versions(call.district_id)
    proposal.save()
    assert (
        _versions(call.district_id)["dashboard:v:community:global"] != before["dashboard:v:community:global"]
    )
