"""Budget execution (집행률) on the dashboard and in the monthly performance report."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from benefits.models import Payment
from benefits.services import batch_create, batch_mark_paid, instalments_schedule, payments_approve_due
from reports.performance.services import performance_report_generate, workbook_sheets
from tests.benefits.conftest import approved_application, with_account
from tests.factories import GWANAK, district, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(recurring):
    """Two recipients: 8 instalments scheduled, the first four approved, the first batch paid."""
    for _ in range(2):
        from benefits.services import award_for

        with_account(award_for(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    payments_approve_due(terms=recurring, until=date(2026, 4, 30), actor=None)
    batch_mark_paid(batch=batch_create(district=district(GWANAK), actor=None), actor=None)
    payments_approve_due(terms=recurring, until=date(2026, 7, 31), actor=None)
    return recurring


def test_dashboard_shows_budget_execution(client, ledger, manager_a):
    login(client, manager_a)
    page = client.get(reverse("dashboard:index"))
    assert page.status_code == 200
    section = page.content.decode().split('id="benefits"')[1].split("</section>")[0]
    # Budget 30,000,000; paid 4 × 750,000 = 3,000,000 (10.0%); committed 2 × 750,000.
    assert ledger.program.title in section
    assert "30,000,000" in section and "3,000,000" in section and "1,500,000" in section
    assert "10.0%" in section


def test_performance_report_has_the_execution_sheet(ledger):
    month = timezone.localdate()
    report = performance_report_generate(district=district(GWANAK), month=month)
    figures = report.snapshot["benefits"]
    assert (figures["budget"], figures["committed"], figures["paid"]) == (30_000_000, 1_500_000, 3_000_000)
    assert figures["paid_in_month"] == 3_000_000
    sheet = dict(workbook_sheets(report.snapshot))["현금급여 집행"]
    assert sheet[-1] == ["합계", "", 30_000_000, 1_500_000, 3_000_000, 3_000_000, 10.0]
    assert Payment.objects.filter(status="paid").count() == 4
