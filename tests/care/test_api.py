"""The care API: services and slots, booking (crisis lines in the answer), cancel, move; check-ins
(answer, pause, withdraw); the staff board scoped to the district, oldest first, outcomes."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from care.models import CheckIn, CheckInTask
from care.services import checkins as svc
from portal.timeutils import local_datetime, local_today
from tests.care.conftest import next_weekday
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db


def test_book_cancel_and_move_over_the_api(
    client, service, counsellor, lead, gwanak_resident, django_assert_max_num_queries
):
    client.force_login(gwanak_resident)
    assert [s["id"] for s in client.get("/api/v1/care/services/").json()["results"]] == [service.pk]
    with django_assert_max_num_queries(12):
        slots = client.get(f"/api/v1/care/services/{service.pk}/slots/?days=28").json()
    assert slots and slots[0]["modes"] == ["room", "phone"]
    body = {
        "service": service.pk,
        "counsellor": slots[0]["counsellor"],
        "starts_at": slots[0]["starts_at"],
        "mode": "room",
        "topic": "불안",
        "intake": "I want to die",
    }
    created = client.post("/api/v1/care/appointments/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["crisis"] and {line["number"] for line in data["crisis_lines"]} >= {
        "109",
        "1577-0199",
        "112",
        "119",
    }
    again = client.post("/api/v1/care/appointments/", {**body, "intake": ""}, content_type="application/json")
    assert again.status_code == 409 and again.json()["error"]["code"] == "taken"
    later = next(s for s in slots if s["counsellor"] == counsellor.pk and s["starts_at"] != data["starts_at"])
    moved = client.post(
        f"/api/v1/care/appointments/{data['id']}/move/",
        {"starts_at": later["starts_at"]},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["starts_at"] != data["starts_at"]
    cancelled = client.post(f"/api/v1/care/appointments/{data['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    bad = client.post(
        "/api/v1/care/appointments/", {**body, "starts_at": "9999-99-99"}, content_type="application/json"
    )
    assert bad.status_code == 400


def test_someone_elses_appointment_is_not_found(client, service, counsellor, gwanak_resident, resident):
    from care.services.appointments import appointment_book
    from care.services.slots import free_slots

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
    assert client.post(f"/api/v1/care/appointments/{appointment.pk}/cancel/").status_code == 404


@pytest.fixture
def help_task(caseworker_a):
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
    return household.user, checkin


def test_checkins_over_the_api(client, help_task):
    user, checkin = help_task
    client.force_login(user)
    assert client.get("/api/v1/care/checkins/").json()["results"][0]["status"] == "sent"
    answered = client.post(
        f"/api/v1/care/checkins/{checkin.pk}/answer/", {"answer": "help"}, content_type="application/json"
    )
    assert answered.status_code == 200 and answered.json()["status"] == "help_requested"
    assert (
        client.post(
            f"/api/v1/care/checkins/{checkin.pk}/answer/", {"answer": "ok"}, content_type="application/json"
        ).status_code
        == 409
    )
    start = local_today() + timedelta(days=1)
    paused = client.post(
        "/api/v1/care/checkins/pause/",
        {"starts_on": start.isoformat(), "ends_on": (start + timedelta(days=2)).isoformat()},
        content_type="application/json",
    )
    assert paused.status_code == 200 and paused.json()["paused_from"] == start.isoformat()
    assert client.post("/api/v1/care/checkins/withdraw/").json()["status"] == "withdrawn"


def test_staff_board_is_scoped_and_records_outcomes(client, help_task, caseworker_a, caseworker_b, resident):
    user, checkin = help_task
    svc.checkin_answer(user=user, checkin_id=checkin.pk, answer="help")
    task = CheckInTask.objects.get()
    client.force_login(caseworker_b)
    assert client.get("/api/v1/staff/care/tasks/").json()["results"] == []
    assert (
        client.post(
            f"/api/v1/staff/care/tasks/{task.pk}/outcome/",
            {"outcome": "reached"},
            content_type="application/json",
        ).status_code
        == 404
    )
    client.force_login(resident)
    assert client.get("/api/v1/staff/care/tasks/").status_code == 403
    client.force_login(caseworker_a)
    rows = client.get("/api/v1/staff/care/tasks/").json()["results"]
    assert [r["id"] for r in rows] == [task.pk] and rows[0]["kind"] == "help" and "*" in rows[0]["resident"]
    done = client.post(
        f"/api/v1/staff/care/tasks/{task.pk}/outcome/",
        {"outcome": "reached", "note": "통화함"},
        content_type="application/json",
    )
    assert done.status_code == 200 and done.json()["closed_at"]
    assert client.get("/api/v1/staff/care/tasks/").json()["results"] == []


def test_board_lists_use_a_constant_number_of_queries(client, caseworker_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def make_task():
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
        checkin = CheckIn.objects.get(enrolment__household=household)
        CheckIn.objects.filter(pk=checkin.pk).update(status="sent")
        svc.checkin_answer(user=household.user, checkin_id=checkin.pk, answer="help")

    client.force_login(caseworker_a)
    counts = []
    for n in (1, 4):
        while CheckInTask.objects.count() < n:
            make_task()
        for url in ("/api/v1/staff/care/tasks/", "/admin/care/checkintask/"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            counts.append(len(captured))
    assert counts[:2] == counts[2:]
