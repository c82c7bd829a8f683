"""A pickup-code text stuck mid-send (its worker died) is never sent again: the reaper cancels it, the
delivery gets a new code (the old one refused at the kiosk) and the resident is texted the new one and
told the earlier code no longer works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from lockers.models import DeliveryStatus
from lockers.services import LockerError, delivery_deposit, deposit, pickup_by_code
from lockers.services.reissue import delivery_id_of
from portal.models import AuditEvent, Notification
from portal.notifications import Reaped, notifications_reap_stuck
from portal.sms import ConsoleSmsBackend

pytestmark = pytest.mark.django_db
Status = Notification.Status
SMS = Notification.Channel.SMS
OLD, NEW = "111111", "222222"


@pytest.fixture
def texts(monkeypatch) -> list[str]:
    sent: list[str] = []
    monkeypatch.setattr(ConsoleSmsBackend, "send", lambda self, *, to, text: sent.append(text))
    return sent


@pytest.fixture
def stuck_delivery(site, recipient, monkeypatch, texts):
    """A deposit whose code text was claimed by a worker that then died (never marked sent)."""
    recipient.language = "en"  # the texts are read in English here (the msgids)
    recipient.save(update_fields=["language"])
    codes = iter([OLD, NEW])
    monkeypatch.setattr(deposit, "_new_code", lambda: next(codes))
    delivery = delivery_deposit(
        site=site, recipient=recipient, size="S", actor=None
    )  # not committed: not sent
    sms = Notification.objects.get(user=recipient, channel=SMS, template="locker.delivered")
    Notification.objects.filter(pk=sms.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=30)
    )
    return delivery, sms


def test_the_code_is_reissued_and_the_old_one_refused(
    stuck_delivery, device, texts, django_capture_on_commit_callbacks
):
    delivery, stuck = stuck_delivery

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_reap_stuck() == {Reaped.REPLACED: 1}

    stuck.refresh_from_db()
    assert stuck.status == Status.CANCELLED
    assert stuck.context["code"] == ""  # the void code does not stay in the outbox either
    replacement = Notification.objects.get(
        user=delivery.recipient, channel=SMS, template="locker.code_reissued"
    )
    assert str(replacement.pk) in stuck.last_error
    assert replacement.status == Status.SENT
    assert replacement.context["code"] == ""  # blanked once sent, like every code text
    # The resident got the new code, told the old one is void; the old text was not repeated.
    assert len(texts) == 1
    assert NEW in texts[0] and OLD not in texts[0]
    assert "earlier code no longer works" in texts[0]
    inbox = Notification.objects.get(
        user=delivery.recipient, channel=Notification.Channel.IN_APP, template="locker.code_reissued"
    )
    assert inbox.context["code"] == ""  # only the text message ever carries it
    assert AuditEvent.objects.filter(
        action="lockers.delivery.code_reissued", target_id=str(delivery.pk)
    ).exists()

    label = delivery.compartment.label
    with pytest.raises(LockerError) as refused:
        pickup_by_code(device=device, compartment_label=label, code=OLD)
    assert refused.value.code == "wrong_code"
    opened, _fee = pickup_by_code(device=device, compartment_label=label, code=NEW)
    assert opened.pk == delivery.pk


def test_a_parcel_already_collected_needs_no_new_code(
    stuck_delivery, texts, django_capture_on_commit_callbacks
):
    delivery, stuck = stuck_delivery
    type(delivery).objects.filter(pk=delivery.pk).update(status=DeliveryStatus.PICKED_UP, code_hash="")

    with django_capture_on_commit_callbacks(execute=True):
        assert notifications_reap_stuck() == {Reaped.REPLACED: 1}

    stuck.refresh_from_db()
    assert stuck.status == Status.CANCELLED
    assert not Notification.objects.filter(template="locker.code_reissued").exists()
    assert texts == []


def test_a_stuck_replacement_is_replaced_again(stuck_delivery, device, monkeypatch, texts):
    delivery, _stuck = stuck_delivery
    notifications_reap_stuck()  # not committed: the replacement text waits, pending
    replacement = Notification.objects.get(channel=SMS, template="locker.code_reissued")
    Notification.objects.filter(pk=replacement.pk).update(
        status=Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(minutes=30)
    )
    monkeypatch.setattr(deposit, "_new_code", lambda: "333333")

    assert notifications_reap_stuck() == {Reaped.REPLACED: 1}

    replacement.refresh_from_db()
    assert replacement.status == Status.CANCELLED
    with pytest.raises(LockerError):
        pickup_by_code(device=device, compartment_label=delivery.compartment.label, code=NEW)
    assert pickup_by_code(device=device, compartment_label=delivery.compartment.label, code="333333")


@pytest.mark.parametrize(
    ("event_key", "expected"),
    [
        ("locker:12:delivered:99", 12),
        ("locker:12:code_reissued:100", 12),
        ("locker:compartment:3:locked:4", None),
        ("programs.application.approved:12", None),
    ],
)
def test_the_delivery_is_found_from_the_event_key(event_key, expected):
    assert delivery_id_of(event_key) == expected
