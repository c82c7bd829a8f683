"""A resident who booked counselling (their name in the intake), had a session note, was enrolled in
check-ins with a guardian who was told of a missed check-in, then deletes the account: no care table
(nor the outbox) keeps their name, email or phone; their upcoming appointment is cancelled and its room
freed; the enrolment is withdrawn."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.urls import reverse

from care.models import Appointment, CheckIn, Enrolment, Guardian
from care.services import checkins as svc
from care.services.appointments import appointment_book
from care.services.notes import note_add
from care.services.slots import free_slots
from spaces.models import Booking
from tests.care.conftest import next_weekday
from tests.factories import HouseholdFactory, UserFactory, district
from tests.households.test_erasure_everywhere import text_columns

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE, PASSWORD = "탁서윤", "seoyun.tak@example.kr", "010-7777-3141", "correct-horse-battery-42"


def test_deleting_the_account_leaves_nothing_in_care(
    client, service, counsellor, lead, caseworker_a, django_capture_on_commit_callbacks
):
    from django.apps import apps

    user = UserFactory(email=EMAIL, password=PASSWORD)
    household = HouseholdFactory(user=user, name=NAME, phone=PHONE, district=district("11620"))
    slot = free_slots(service=service, first=next_weekday(), last=next_weekday())[0]
    appointment = appointment_book(
        user=user,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at,
        mode="room",
        topic=f"{NAME} 상담",
        intake=f"저는 {NAME}이고 번호는 {PHONE}",
    )
    note_add(actor=counsellor.user, appointment_id=appointment.pk, text=f"{NAME} 님과 상담")
    day = next_weekday(1)
    svc.enrolment_create(
        actor=caseworker_a,
        household_id=household.pk,
        weekdays=[day.weekday()],
        at=time(10),
        consent_version="1",
        guardians=[
            {
                "name": "탁보호",
                "email": "guardian.tak@example.kr",
                "phone": "010-5555-0000",
                "consented": True,
            }
        ],
        guardians_told_at="reminder",
    )
    svc.checkins_create_for_day(day=day)
    checkin = CheckIn.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        svc.checkins_send(checkin_ids=[checkin.pk], now=checkin.scheduled_at)
        svc.checkins_sweep(now=checkin.scheduled_at + timedelta(hours=5))

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302

    needles = [NAME, EMAIL, PHONE, "탁보호", "guardian.tak@example.kr", "010-5555-0000"]
    left = []
    for model in [*apps.get_app_config("care").get_models(), apps.get_model("portal", "Notification")]:
        columns = text_columns(model)
        for row in model._base_manager.values_list(*columns):
            left += [
                f"{model._meta.db_table}: {n}" for value in row for n in needles if value and n in str(value)
            ]
    assert not left, left
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert Booking.objects.get(pk=appointment.booking_id).status == "cancelled"
    assert Enrolment.objects.get().status == "withdrawn"
    assert not Guardian.objects.exists()
    assert Appointment.objects.count() == 1
