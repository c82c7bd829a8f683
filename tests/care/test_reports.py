"""Care in the manager's figures: counselling counts by service, no-show rate, wait to a first
appointment and check-in figures, on the dashboard (scoped) and in the monthly report (counts only)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from care.models import Appointment
from care.services.appointments import appointment_book
from care.services.slots import free_slots
from portal.timeutils import local_today
from reports.dashboard.care import care_panel
from reports.dashboard.selectors import Period
from tests.care.conftest import next_weekday
from tests.factories import district

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sessions(service, counsellor, gwanak_resident):
    slots = free_slots(
        service=service, first=next_weekday(), last=next_weekday(), counsellor_id=counsellor.pk
    )
    made = [
        appointment_book(
            user=gwanak_resident,
            service_id=service.pk,
            counsellor_id=counsellor.pk,
            starts_at=s.starts_at,
            mode="phone",
            topic="비밀 상담 내용",
        )
        for s in slots[:2]
    ]
    Appointment.objects.filter(pk=made[0].pk).update(status="attended")
    Appointment.objects.filter(pk=made[1].pk).update(status="no_show")
    return made


def test_the_panel_counts_by_service_and_is_scoped(two_sessions, manager_a, caseworker_b):
    period = Period(local_today(), local_today() + timedelta(days=30))
    panel = care_panel(manager_a, None, period)
    assert panel.appointments == 2 and panel.attended == 1 and panel.no_show == 1
    assert panel.no_show_rate == 0.5 and panel.first_appointments == 1 and panel.median_wait_days is not None
    assert [s.booked for s in panel.services] == [2]
    assert care_panel(caseworker_b, None, period).appointments == 0


def test_the_dashboard_and_the_monthly_report_show_counts_only(client, two_sessions, manager_a):
    from reports.performance.services import performance_report_generate, workbook_sheets

    client.force_login(manager_a)
    page = client.get(
        "/reports/dashboard/",
        {"start": local_today().isoformat(), "end": (local_today() + timedelta(days=30)).isoformat()},
    )
    body = page.content.decode()
    assert page.status_code == 200 and 'id="care"' in body and "비밀 상담 내용" not in body
    report = performance_report_generate(district=district("11620"), month=two_sessions[0].starts_at.date())
    sheets = dict(workbook_sheets(report.snapshot))
    assert sheets["상담·안부확인"][1][:4] == ["심리상담", 2, 1, 1]
    assert "비밀 상담 내용" not in str(report.snapshot)
    detail = client.get(f"/reports/performance/{report.pk}/")
    assert detail.status_code == 200 and 'id="care"' in detail.content.decode()
