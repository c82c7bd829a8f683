"""The one-time pickup code exists only in the text message: never in a column, an audit event, a log
line or (once sent) the outbox."""

from __future__ import annotations

import logging

import pytest
from django.apps import apps

from lockers.models import Delivery
from lockers.services import delivery_deposit, deposit, pickup_by_code
from portal.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db

CODE = "739146"


def _every_stored_value() -> str:
    values = []
    for model in apps.get_models():
        for row in model._default_manager.all().values_list():
            values.append(repr(row))
    return "\n".join(values)


def test_the_code_is_texted_and_stored_nowhere(
    site, recipient, device, committed, monkeypatch, capsys, caplog
):
    monkeypatch.setattr(deposit, "_new_code", lambda: CODE)
    caplog.set_level(logging.DEBUG)

    delivery = committed(
        delivery_deposit, site=site, recipient=recipient, size="S", actor=None, courier="CJ대한통운"
    )

    sms_out = capsys.readouterr().out
    assert f"Code {CODE}" in sms_out or CODE in sms_out  # delivered by the (console) SMS backend
    assert sms_out.startswith("[SMS to 010-****-5678")
    sms = Notification.objects.get(user=recipient, channel=Notification.Channel.SMS)
    assert sms.status == Notification.Status.SENT
    assert sms.context["code"] == ""  # blanked once sent
    inbox = Notification.objects.get(user=recipient, channel=Notification.Channel.IN_APP)
    assert inbox.context["code"] == ""
    assert CODE not in _every_stored_value()
    assert all(CODE not in repr(event.data) for event in AuditEvent.objects.all())
    assert CODE not in caplog.text

    # The hash is what opens the compartment.
    delivery.refresh_from_db()
    assert delivery.code_hash and CODE not in delivery.code_hash
    opened, fee = pickup_by_code(device=device, compartment_label=delivery.compartment.label, code=CODE)
    assert opened.pk == delivery.pk and fee == 0
    assert CODE not in caplog.text
    assert CODE not in _every_stored_value()


def test_a_failed_sms_keeps_the_code_for_its_retry_only(site, recipient, committed, monkeypatch):
    from portal import sms

    monkeypatch.setattr(deposit, "_new_code", lambda: CODE)

    class Down:
        def send(self, *, to, text):
            raise sms.SmsError("gateway unreachable")

    monkeypatch.setattr("portal.notifications.get_backend", lambda: Down())
    committed(delivery_deposit, site=site, recipient=recipient, size="S", actor=None)
    row = Notification.objects.get(user=recipient, channel=Notification.Channel.SMS)
    assert row.status == Notification.Status.FAILED
    assert row.context["code"] == CODE  # still owed to the resident: the next attempt sends it

    monkeypatch.setattr("portal.notifications.get_backend", lambda: sms.ConsoleSmsBackend())
    from portal.notifications import notification_deliver

    notification_deliver(notification_id=row.pk)
    row.refresh_from_db()
    assert row.status == Notification.Status.SENT and row.context["code"] == ""


def test_codes_differ_and_are_six_digits(site, recipient):
    codes = {deposit._new_code() for _ in range(50)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 40
    assert Delivery.objects.count() == 0
