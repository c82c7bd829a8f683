"""The sweep: team leads alerted at 36 working hours, breaches marked at 48, each once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries.models import Inquiry
from inquiries.services import inquiries_sweep, inquiry_answer, inquiry_submit
from inquiries.tasks import sweep
from portal.models import Notification

pytestmark = pytest.mark.django_db


def ask(user, title="질문"):
    return inquiry_submit(user=user, title=title, body="내용")


def test_nothing_due_nothing_done(resident, teams):
    ask(resident)
    assert inquiries_sweep() == {"alerted": 0, "breached": 0}


def test_the_lead_is_alerted_at_36_hours_once(resident, teams, caseworker_a):
    inquiry = ask(resident)
    ask(resident, "두 번째")
    counts = inquiries_sweep(now=inquiry.alert_at + timedelta(seconds=1))
    assert counts == {"alerted": 2, "breached": 0}
    alert = Notification.objects.get(user=caseworker_a, template="inquiry.lead_alert", channel="in_app")
    assert alert.context["count"] == 2 and inquiry.reference in alert.context["references"]
    assert inquiries_sweep(now=inquiry.alert_at + timedelta(seconds=2)) == {"alerted": 0, "breached": 0}
    assert Notification.objects.filter(template="inquiry.lead_alert", channel="in_app").count() == 1


def test_a_breach_is_marked_at_48_hours_and_reported(resident, teams, caseworker_a):
    inquiry = ask(resident)
    counts = inquiries_sweep(now=inquiry.due_at + timedelta(seconds=1))
    assert counts == {"alerted": 1, "breached": 1}
    inquiry.refresh_from_db()
    assert inquiry.breached_at is not None and inquiry.alerted_at is not None
    assert Notification.objects.filter(user=caseworker_a, template="inquiry.breached").exists()
    assert inquiries_sweep(now=inquiry.due_at + timedelta(hours=1)) == {"alerted": 0, "breached": 0}


def test_answered_inquiries_are_left_alone(resident, teams, caseworker_a):
    inquiry = ask(resident)
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답")
    assert inquiries_sweep(now=inquiry.due_at + timedelta(days=1)) == {"alerted": 0, "breached": 0}


def test_the_beat_task_runs_the_sweep(resident, teams):
    inquiry = ask(resident)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        alert_at=timezone.now() - timedelta(hours=2), due_at=timezone.now() - timedelta(hours=1)
    )
    assert sweep.delay().get() == {"alerted": 1, "breached": 1}
