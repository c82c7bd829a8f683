"""notify_address with a user: a message to a contact who is not a user (a guardian), about a user: one
row at the contact's address, no inbox copy, once per event, delivered and erased like the user's own."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.models import Notification
from portal.notifications import notifications_forget_recipient, notify_address

pytestmark = pytest.mark.django_db


def _send(user, **overrides):
    fields = {
        "user": user,
        "channel": "email",
        "address": "guardian@example.kr",
        "template": "care.checkin.guardian",
        "event_key": "care.guardian:1:1:call",
        "context": {"resident": "김하나", "when": "2026-12-07 10:00", "step": "call"},
    }
    return notify_address(**{**fields, **overrides})


def test_one_message_at_the_contacts_address_and_none_to_the_inbox(
    resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(resident)
    assert row.address == "guardian@example.kr" and row.user == resident
    assert not Notification.objects.filter(user=resident, channel="in_app").exists()
    assert [m.to for m in mail.outbox] == [["guardian@example.kr"]]
    assert Notification.objects.get().status == "sent"
    assert _send(resident) is None  # the same event again: nothing new
    assert Notification.objects.count() == 1


def test_refuses_an_unknown_template_the_inbox_or_no_address(resident):
    with pytest.raises(ValueError):
        _send(resident, template="nope")
    with pytest.raises(ValueError):
        _send(resident, channel="in_app")
    with pytest.raises(ValueError):
        _send(resident, address="")


def test_erased_with_the_users_account(resident):
    _send(resident, channel="sms", address="010-5555-0000")
    notifications_forget_recipient(user=resident)
    row = Notification.objects.get()
    assert row.address == "" and row.context == {} and row.status == "cancelled"
