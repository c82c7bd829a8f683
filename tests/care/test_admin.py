"""The admin: counsellors see their own calendar (the lead: the district's), caseworkers enrol with
consent and work the board (scoped, oldest first, outcome recorded through the service, access-logged)."""

from __future__ import annotations

from datetime import time

import pytest

from care.models import CheckIn, CheckInTask, Enrolment
from care.services import checkins as svc
from care.services.appointments import appointment_book
from care.services.slots import free_slots
from portal.models import AuditEvent
from tests.care.conftest import make_counsellor, next_weekday
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db


def test_counsellors_see_their_own_calendar_and_the_lead_sees_all(
    client, service, counsellor, lead, gwanak_resident
):
    other = make_counsellor("other@example.kr", service=service)
    day = next_weekday()
    slot = free_slots(service=service, first=day, last=day, counsellor_id=counsellor.pk)[0]
    appointment = appointment_book(
        user=gwanak_resident,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at,
        mode="phone",
        topic="상담",
    )
    client.force_login(other.user)
    assert appointment.reference not in client.get("/admin/care/appointment/").content.decode()
    assert client.get(f"/admin/care/appointment/{appointment.pk}/change/").status_code == 302
    for reader in (counsellor.user, lead.user):
        client.force_login(reader)
        assert appointment.reference in client.get("/admin/care/appointment/").content.decode()
        assert client.get(f"/admin/care/appointment/{appointment.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="care.appointment.viewed").count() == 2


def test_a_caseworker_enrols_with_consent_in_the_admin(client, caseworker_a):
    household = HouseholdFactory(district=district("11620"))
    client.force_login(caseworker_a)
    assert client.get("/admin/care/enrolment/add/").status_code == 200
    data = {
        "household": household.pk,
        "weekdays": ["0", "3"],
        "at": "10:00",
        "by_email": "on",
        "answer_window_hours": "4",
        "guardians_told_at": "call",
        "consent_version": "2026-1",
        "guardian_name": "김보호",
        "guardian_email": "g@example.kr",
        "guardian_consented": "on",
    }
    refused = client.post("/admin/care/enrolment/add/", data)  # no resident consent ticked
    assert refused.status_code == 200 and not Enrolment.objects.exists()
    response = client.post("/admin/care/enrolment/add/", {**data, "resident_consented": "on"})
    assert response.status_code == 302, response.content.decode()[:2000]
    enrolment = Enrolment.objects.get()
    assert enrolment.weekdays == [0, 3] and enrolment.guardians.get().consent_given_at


def test_the_board_is_scoped_and_records_outcomes(client, caseworker_a, caseworker_b):
    day = next_weekday(1)
    household = HouseholdFactory(district=district("11620"), name="박민수")
    svc.enrolment_create(
        actor=caseworker_a,
        household_id=household.pk,
        weekdays=[day.weekday()],
        at=time(10),
        consent_version="1",
    )
    svc.checkins_create_for_day(day=day)
    checkin = CheckIn.objects.get()
    CheckIn.objects.filter(pk=checkin.pk).update(status="sent")
    svc.checkin_answer(user=household.user, checkin_id=checkin.pk, answer="help")
    task = CheckInTask.objects.get()
    client.force_login(caseworker_b)
    assert "박*수" not in client.get("/admin/care/checkintask/").content.decode()
    assert client.get(f"/admin/care/checkintask/{task.pk}/change/").status_code == 302
    client.force_login(caseworker_a)
    board = client.get("/admin/care/checkintask/").content.decode()
    assert "박*수" in board and "박민수" not in board  # masked in the list
    page = client.get(f"/admin/care/checkintask/{task.pk}/change/")
    assert page.status_code == 200 and "박민수" in page.content.decode()
    assert AuditEvent.objects.filter(
        action="care.checkin_task.viewed", subject_user_id=household.user_id
    ).exists()
    response = client.post(
        f"/admin/care/checkintask/{task.pk}/change/", {"outcome": "reached", "note": "통화 완료"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.outcome == "reached" and task.closed_by == caseworker_a
    assert CheckIn.objects.get().status == "closed"


def test_a_counsellor_keeps_their_own_hours_and_leave(client, service, counsellor, lead):
    from care.models import Leave

    client.force_login(counsellor.user)
    assert client.get(f"/admin/care/counsellor/{lead.pk}/change/").status_code == 302
    page = client.get(f"/admin/care/counsellor/{counsellor.pk}/change/")
    assert page.status_code == 200
    hours = list(counsellor.hours.all())
    data = {
        "video_link": "https://meet.example.kr/room",
        "hours-TOTAL_FORMS": str(len(hours)),
        "hours-INITIAL_FORMS": str(len(hours)),
        "hours-MIN_NUM_FORMS": "0",
        "hours-MAX_NUM_FORMS": "1000",
        "leaves-TOTAL_FORMS": "1",
        "leaves-INITIAL_FORMS": "0",
        "leaves-MIN_NUM_FORMS": "0",
        "leaves-MAX_NUM_FORMS": "1000",
        "leaves-0-starts_on": "2027-01-04",
        "leaves-0-ends_on": "2027-01-05",
        "leaves-0-note": "연차",
    }
    for n, row in enumerate(hours):
        data.update(
            {
                f"hours-{n}-id": row.pk,
                f"hours-{n}-counsellor": counsellor.pk,
                f"hours-{n}-weekday": row.weekday,
                f"hours-{n}-starts": "09:00",
                f"hours-{n}-ends": "18:00",
            }
        )
    response = client.post(f"/admin/care/counsellor/{counsellor.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Leave.objects.filter(counsellor=counsellor).count() == 1
    counsellor.refresh_from_db()
    assert counsellor.video_link == "https://meet.example.kr/room" and not counsellor.is_centre_lead
