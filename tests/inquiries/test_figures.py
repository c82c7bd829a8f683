"""The promise's figures: per district and month, answered within 48 working hours, the median working
time and the ratings — on the manager's dashboard (scoped) and in the monthly performance report."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from inquiries.figures import monthly_figures
from inquiries.models import Inquiry
from inquiries.services import inquiry_answer, inquiry_rate, inquiry_submit
from reports.performance.services import report_figures, workbook_sheets
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db
HOUR = 3600


@pytest.fixture
def month_of_inquiries(resident, caseworker_a, teams):
    """Three answered in district A (two in time: 1 h and 3 h; one late: 60 h), one waiting; one in B."""
    made = []
    for seconds, late in ((HOUR, False), (3 * HOUR, False), (60 * HOUR, True)):
        inquiry = inquiry_submit(user=resident, title="t", body="b")
        inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="a")
        Inquiry.objects.filter(pk=inquiry.pk).update(answer_seconds=seconds, answered_in_time=not late)
        made.append(inquiry)
    inquiry_rate(user=resident, inquiry_id=made[0].pk, rating=5)
    inquiry_rate(user=resident, inquiry_id=made[1].pk, rating=2)
    inquiry_submit(user=resident, title="waiting", body="b")
    inquiry_submit(user=HouseholdFactory(district=district("11140")).user, title="B", body="b")
    return made


def test_monthly_figures_per_district(month_of_inquiries):
    today = timezone.localdate()
    rows = {row.district_id: row for row in monthly_figures(start=today.replace(day=1), end=today)}
    a = rows[district("11620").pk]
    assert (a.received, a.answered, a.in_time) == (4, 3, 2)
    assert a.median_hours == 3.0
    assert (a.ratings, a.average_rating) == (2, 3.5)
    assert a.in_time_rate == pytest.approx(66.7)
    assert rows[district("11140").pk].received == 1


def test_the_dashboard_panel_is_the_managers_district(client, month_of_inquiries, manager_a):
    client.force_login(manager_a)
    response = client.get("/reports/dashboard/")
    panel = response.context["inquiries"]
    assert (panel.received, panel.answered, panel.in_time, panel.waiting) == (4, 3, 2, 1)
    assert {row.district_id for row in panel.months} == {district("11620").pk}
    assert b'id="inquiries"' in response.content


def test_the_performance_report_counts_the_promise(month_of_inquiries):
    month = timezone.localdate().replace(day=1)
    figures = report_figures(district=district("11620"), month=month)
    assert figures["inquiries"]["in_time"] == 2 and figures["inquiries"]["median_hours"] == 3.0
    summary = dict(workbook_sheets(figures)[0][1][1:])
    assert summary["48시간(근무시간) 내 답변"] == 2
    # A report made before inquiries existed has no such figures and still renders.
    figures.pop("inquiries")
    assert "문의 접수" not in dict(workbook_sheets(figures)[0][1][1:])


def test_an_empty_period_has_no_rows():
    assert monthly_figures(start=date(2020, 1, 1), end=date(2020, 1, 31) + timedelta(days=1)) == []
