"""notify_address: a message to a bare number or address with no account behind it (inquiries' guests),
through the same outbox: recorded once per event, delivered in the default language, never in-app."""

from __future__ import annotations

import pytest

from portal.models import Notification
from portal.notifications import notification_deliver, notify_address, render

pytestmark = pytest.mark.django_db


def send(**kwargs):
    return notify_address(
        **{
            "channel": "sms",
            "address": "01055550101",
            "template": "application.approved",
            "event_key": "guest-test:1",
            "context": {"reference": "HN-1", "program": "P"},
            **kwargs,
        }
    )


def test_recorded_once_and_delivered(capsys):
    row = send()
    assert row.user is None and row.status == "pending"
    assert send() is None
    assert Notification.objects.count() == 1
    assert render(row)[1].startswith("[Hana]") or "HN-1" in render(row)[1]
    assert notification_deliver(notification_id=row.pk) == "sent"
    assert "HN-1" in capsys.readouterr().out


@pytest.mark.parametrize("kwargs", [{"channel": "in_app"}, {"address": ""}, {"template": "nope"}])
def test_refused_without_a_channel_an_address_or_a_known_template(kwargs):
    with pytest.raises(ValueError):
        send(**kwargs)
