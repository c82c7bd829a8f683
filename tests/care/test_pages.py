"""The resident's pages: booking with the crisis lines shown at once, .ics, cancel; the check-in link
page (no login; a GET changes nothing); the check-ins page (answer, pause, withdraw)."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from care.models import Appointment, CheckIn
from care.services import checkins as svc
from care.services.slots import free_slots
from portal.timeutils import local_datetime, local_today
from tests.care.conftest import next_weekday
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db


def _slot_value(service):
    slot = free_slots(service=service, first=local_today(), last=local_today() + timedelta(days=14))[0]
    return f"{slot.counsellor_id}|{slot.starts_at.isoformat()}|room"


def test_booking_with_a_crisis_intake_shows_the_24_hour_lines(
    client, service, counsellor, lead, gwanak_resident
):
    client.force_login(gwanak_resident)
    page = client.get(f"/care/services/{service.pk}/book/")
    assert page.status_code == 200
    response = client.post(
        f"/care/services/{service.pk}/book/",
        {
            "slot": _slot_value(service),
            "topic": "힘들어요",
            "intake": "요즘 죽고 싶어요",
            "urgency": "routine",
            "preferred_contact": "phone",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "109" in body and "1577-0199" in body and "112" in body and "119" in body
    appointment = Appointment.objects.get()
    assert appointment.crisis and appointment.reference in body
    ics = client.get(f"/care/appointments/{appointment.pk}/calendar.ics")
    assert ics["Content-Type"].startswith("text/calendar") and b"BEGIN:VEVENT" in ics.content
    assert "죽고".encode() not in ics.content


def test_crisis_words_in_a_form_that_could_not_be_booked_still_show_the_lines_at_once(
    client, service, counsellor, gwanak_resident
):
    client.force_login(gwanak_resident)
    form = {"slot": "nonsense", "topic": "", "urgency": "routine", "preferred_contact": "phone"}
    failed = client.post(f"/care/services/{service.pk}/book/", {**form, "intake": "자해 충동이 있어요"})
    body = failed.content.decode()
    assert failed.status_code == 200 and not Appointment.objects.exists()
    assert 'id="crisis-lines"' in body and "1577-0199" in body
    assert "자해 충동이 있어요" in body  # and nothing typed is lost
    ordinary = client.post(f"/care/services/{service.pk}/book/", {**form, "intake": "월세 계약서 확인"})
    assert 'id="crisis-lines"' not in ordinary.content.decode()


def test_a_bad_booking_keeps_what_was_typed(client, service, counsellor, gwanak_resident):
    client.force_login(gwanak_resident)
    response = client.post(
        f"/care/services/{service.pk}/book/",
        {
            "slot": "nonsense",
            "topic": "전세 계약 상담",
            "intake": "",
            "urgency": "routine",
            "preferred_contact": "phone",
        },
    )
    assert response.status_code == 200 and "전세 계약 상담" in response.content.decode()
    assert not Appointment.objects.exists()
    response = client.post(
        f"/care/services/{service.pk}/book/",
        {
            "slot": _slot_value(service),
            "topic": "900101-1234567",
            "urgency": "routine",
            "preferred_contact": "phone",
        },
    )
    assert response.status_code == 200 and not Appointment.objects.exists()


def test_cancel_page(client, service, counsellor, gwanak_resident, resident):
    from care.services.appointments import appointment_book

    slot = free_slots(service=service, first=next_weekday(), last=next_weekday())[0]
    appointment = appointment_book(
        user=gwanak_resident,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at,
        mode="phone",
        topic="상담",
    )
    client.force_login(resident)
    assert client.get(f"/care/appointments/{appointment.pk}/").status_code == 404
    client.force_login(gwanak_resident)
    assert client.post(f"/care/appointments/{appointment.pk}/cancel/").status_code == 302
    assert Appointment.objects.get().status == "cancelled"


@pytest.fixture
def sent_checkin(caseworker_a, django_capture_on_commit_callbacks):
    day = next_weekday(1)
    household = HouseholdFactory(district=district("11620"))
    svc.enrolment_create(
        actor=caseworker_a,
        household_id=household.pk,
        weekdays=[day.weekday()],
        at=time(10),
        consent_version="1",
    )
    svc.checkins_create_for_day(day=day)
    checkin = CheckIn.objects.get()
    svc.checkins_send(checkin_ids=[checkin.pk], now=local_datetime(day, time(10)))
    return CheckIn.objects.get()


def test_answer_link_needs_no_login_and_a_get_changes_nothing(client, sent_checkin):
    token = svc.answer_token(sent_checkin.pk, "ok")
    page = client.get(f"/care/checkins/answer/{token}/")
    assert page.status_code == 200
    assert CheckIn.objects.get().status == "sent"
    done = client.post(f"/care/checkins/answer/{token}/", {"answer": "ok"})
    assert done.status_code == 200
    assert CheckIn.objects.get().status == "answered_ok"
    again = client.post(f"/care/checkins/answer/{token}/", {"answer": "help"})
    assert again.status_code == 400 and CheckIn.objects.get().status == "answered_ok"
    assert client.get("/care/checkins/answer/garbage/").status_code == 400
    assert client.post("/care/checkins/answer/garbage/").status_code == 400


def test_checkins_page_answers_pauses_and_withdraws(client, sent_checkin):
    user = sent_checkin.enrolment.household.user
    client.force_login(user)
    assert (
        "I need help" in client.get("/care/checkins/").content.decode()
        or client.get("/care/checkins/").status_code == 200
    )
    client.post(f"/care/checkins/{sent_checkin.pk}/answer/", {"answer": "help"})
    assert CheckIn.objects.get().status == "help_requested"
    start = local_today() + timedelta(days=2)
    response = client.post(
        "/care/checkins/",
        {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=3)).isoformat()},
    )
    assert response.status_code == 302
    bad = client.post("/care/checkins/", {"starts_on": "3000-99-99", "ends_on": "x"})
    assert bad.status_code == 200
    assert client.post("/care/checkins/withdraw/").status_code == 302
    assert sent_checkin.enrolment.__class__.objects.get().status == "withdrawn"
