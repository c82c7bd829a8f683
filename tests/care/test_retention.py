"""care's retention classes: closed check-ins deleted after their period, intakes blanked after theirs;
open check-ins and booked appointments are never touched."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone

from care.models import Appointment, CheckIn
from care.services import checkins as svc
from care.services.appointments import appointment_book
from care.services.slots import free_slots
from portal import retention
from tests.care.conftest import next_weekday
from tests.factories import HouseholdFactory, district

pytestmark = pytest.mark.django_db


def test_closed_check_ins_go_and_open_ones_stay(settings, caseworker_a):
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
    svc.checkins_create_for_day(day=day + timedelta(days=7))
    answered, still_open = CheckIn.objects.order_by("scheduled_at")
    CheckIn.objects.filter(pk=answered.pk).update(status="answered_ok")
    CheckIn.objects.filter(pk=still_open.pk).update(status="call")
    later = timezone.now() + timedelta(days=settings.RETENTION_CARE_CHECKINS_DAYS + 30)
    assert retention.retention_run(only=["care_checkins"], now=later) == {"care_checkins": 1}
    assert list(CheckIn.objects.values_list("pk", flat=True)) == [still_open.pk]


def test_intakes_are_blanked_once_the_appointment_is_over(settings, service, counsellor, gwanak_resident):
    slot = free_slots(service=service, first=next_weekday(), last=next_weekday())[0]
    kept = appointment_book(
        user=gwanak_resident,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at,
        mode="phone",
        topic="불면",
        intake="잠이 안 와요",
    )
    done = appointment_book(
        user=gwanak_resident,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at + timedelta(hours=1),
        mode="phone",
        topic="불안",
        intake="답답해요",
    )
    Appointment.objects.filter(pk=done.pk).update(status="attended")
    later = timezone.now() + timedelta(days=settings.RETENTION_CARE_INTAKES_DAYS + 30)
    assert retention.retention_run(only=["care_intakes"], now=later) == {"care_intakes": 1}
    assert (
        Appointment.objects.get(pk=done.pk).intake == ""
        and Appointment.objects.get(pk=kept.pk).intake == "잠이 안 와요"
    )
