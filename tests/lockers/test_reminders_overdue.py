"""Reminders before the free period ends and return marking after the holding period, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lockers.models import DeliveryStatus
from lockers.services import locker_overdue_due, locker_reminders_due
from lockers.tasks import mark_overdue_parcels, send_locker_reminders
from portal.models import Notification

from .helpers import make_recipient, stored_with_code

pytestmark = pytest.mark.django_db


def test_reminder_once_when_the_free_period_ends_soon(site, recipient):
    now = timezone.now()
    soon = stored_with_code(site, recipient, "111111", at=now - timedelta(hours=43))  # free ends in 5 h
    stored_with_code(site, make_recipient(site), "222222", at=now - timedelta(hours=10))  # not yet
    assert locker_reminders_due(now=now) == 1
    assert locker_reminders_due(now=now) == 0
    assert send_locker_reminders.delay().get() == 0
    reminders = Notification.objects.filter(template="locker.reminder")
    assert set(reminders.values_list("user_id", flat=True)) == {recipient.pk}
    assert reminders.filter(channel=Notification.Channel.SMS).count() == 1
    soon.refresh_from_db()
    assert soon.reminded_at is not None


def test_overdue_parcels_are_marked_once_and_staff_told(site, recipient, caseworker_a, caseworker_b):
    now = timezone.now()
    late = stored_with_code(site, recipient, "111111", at=now - timedelta(days=7, minutes=1))
    fresh = stored_with_code(site, make_recipient(site), "222222", at=now - timedelta(days=6))
    assert locker_overdue_due(now=now) == 1
    assert locker_overdue_due(now=now) == 0
    assert mark_overdue_parcels.delay().get() == 0
    late.refresh_from_db()
    fresh.refresh_from_db()
    assert late.status == DeliveryStatus.RETURN_MARKED
    assert fresh.status == DeliveryStatus.STORED
    assert (
        Notification.objects.filter(template="locker.return_marked", user=recipient).count() == 3
    )  # inbox, email, SMS
    staff = Notification.objects.filter(template="locker.overdue_staff")
    assert list(staff.values_list("user_id", flat=True)) == [caseworker_a.pk]
