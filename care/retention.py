"""care's classes in the retention table: answered check-ins, and what residents wrote at intake."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import Appointment, AppointmentStatus, CheckIn, CheckInStatus

CHECKIN_DONE = (CheckInStatus.ANSWERED_OK, CheckInStatus.SKIPPED, CheckInStatus.CLOSED)


def checkins_due(*, now, cutoff) -> models.QuerySet:
    return CheckIn.objects.filter(status__in=CHECKIN_DONE, scheduled_at__lt=cutoff)


def checkins_prune(*, pks, now) -> int:
    return CheckIn.objects.filter(pk__in=pks, status__in=CHECKIN_DONE).delete()[0]


def intakes_due(*, now, cutoff) -> models.QuerySet:
    return (
        Appointment.objects.exclude(status=AppointmentStatus.BOOKED)
        .filter(ends_at__lt=cutoff)
        .filter(~Q(topic="") | ~Q(intake=""))
    )


def intakes_prune(*, pks, now) -> int:
    return (
        Appointment.objects.filter(pk__in=pks)
        .exclude(status=AppointmentStatus.BOOKED)
        .update(topic="", intake="")
    )


register(
    DataClass(
        key="care_checkins",
        label=_("Your wellbeing check-ins"),
        outcome=_("deleted once closed, counted from the check-in"),
        setting="RETENTION_CARE_CHECKINS_DAYS",
        due=checkins_due,
        prune=checkins_prune,
        order=60,
    )
)
register(
    DataClass(
        key="care_intakes",
        label=_("What you wrote when booking counselling"),
        outcome=_("blanked, counted from the end of the appointment"),
        setting="RETENTION_CARE_INTAKES_DAYS",
        due=intakes_due,
        prune=intakes_prune,
        order=61,
    )
)
