"""A parcel's pickup code is texted only to a verified number. Deposited for a resident whose number is
not verified, the parcel waits without any code and the resident is told in the inbox to verify; once
they do, a fresh code is texted and it opens the compartment at the kiosk."""

from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.urls import reverse
from rest_framework.test import APIClient

from households import phone
from households.models import Household
from households.phone import phone_verification_confirm, phone_verification_start
from households.services import household_save
from lockers.models import Delivery
from lockers.services import LockerError, delivery_deposit, deposit
from portal.models import AuditEvent, Notification
from tests.factories import login

from .helpers import make_recipient

pytestmark = pytest.mark.django_db

PICKUP = "/api/v1/kiosk/pickup/"
PHONE_CODE = "246810"


class Texts:
    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> None:
        self.sent.append((to, text))


@pytest.fixture
def texts(monkeypatch):
    backend = Texts()
    monkeypatch.setattr("portal.notifications.get_backend", lambda: backend)
    return backend


@pytest.fixture
def unverified_recipient(site):
    return make_recipient(site, phone="010-2468-1357", phone_verified_at=None)


def _kiosk(token: str) -> APIClient:
    client = APIClient(enforce_csrf_checks=True)
    client.credentials(HTTP_AUTHORIZATION=f"Device {token}")
    return client


def _deposit(committed, site, recipient) -> Delivery:
    return committed(delivery_deposit, site=site, recipient=recipient, size="S", actor=None, courier="CJ")


def test_a_parcel_for_an_unverified_number_sends_no_text_and_tells_the_inbox(
    site, unverified_recipient, texts, committed
):
    delivery = _deposit(committed, site, unverified_recipient)

    assert texts.sent == []
    assert not Notification.objects.filter(channel=Notification.Channel.SMS).exists()
    inbox = Notification.objects.get(user=unverified_recipient, channel=Notification.Channel.IN_APP)
    assert inbox.template == "locker.awaiting_phone"
    assert "/accounts/phone/" in inbox.context["verify_link"] and "code" not in inbox.context
    delivery.refresh_from_db()
    assert delivery.status == "stored" and delivery.code_hash == ""  # no code exists at all
    deposited = AuditEvent.objects.get(action="lockers.delivery.deposited", target_id=str(delivery.pk))
    assert deposited.data["code_sent"] is False


def test_verifying_the_number_texts_a_fresh_code_that_opens_the_locker(
    site, unverified_recipient, device_and_token, texts, committed, monkeypatch
):
    _device, token = device_and_token
    delivery = _deposit(committed, site, unverified_recipient)
    # Before verifying, no code opens it: not even a guess of the empty hash.
    for guess in ("000000", ""):
        refused = _kiosk(token).post(PICKUP, {"compartment": "A-01", "code": guess}, format="json")
        assert refused.status_code in (400, 404), refused.content
    delivery.refresh_from_db()
    assert delivery.code_hash == "" and delivery.status == "stored"

    monkeypatch.setattr(phone, "_new_code", lambda: PHONE_CODE)
    committed(phone_verification_start, user=unverified_recipient)
    committed(phone_verification_confirm, user=unverified_recipient, code=PHONE_CODE)

    # The verification code, then the parcel's pickup code, both to the now-verified number.
    assert [to for to, _text in texts.sent] == ["010-2468-1357", "010-2468-1357"]
    parcel_text = texts.sent[1][1]
    code = re.search(r"\b(\d{6})\b", parcel_text).group(1)
    assert code != PHONE_CODE
    sms = Notification.objects.get(
        user=unverified_recipient, channel=Notification.Channel.SMS, template="locker.delivered"
    )
    assert sms.status == Notification.Status.SENT and sms.context["code"] == ""
    assert AuditEvent.objects.filter(action="lockers.delivery.code_sent_after_verification").count() == 1

    # The pickup code, like the verification code, exists only in the text messages.
    stored = "\n".join(
        repr(row) for model in apps.get_models() for row in model._default_manager.all().values_list()
    )
    assert code not in stored and PHONE_CODE not in stored

    opened = _kiosk(token).post(PICKUP, {"compartment": "A-01", "code": code}, format="json")
    assert opened.status_code == 200, opened.content
    assert opened.json()["reference"] == delivery.reference
    delivery.refresh_from_db()
    assert delivery.status == "picked_up"


def test_only_parcels_that_never_got_a_code_are_texted_on_verification(site, texts, committed, monkeypatch):
    recipient = make_recipient(site, phone="010-1357-2468")  # verified (the factory's default)
    with_code = _deposit(committed, site, recipient)
    hash_before = Delivery.objects.get(pk=with_code.pk).code_hash
    assert hash_before  # texted at deposit

    # The resident changes their number: it must be verified again; a parcel now waits without a code.
    household_save(user=recipient, data={"phone": "010-9753-1864"})
    assert Household.objects.get(user=recipient).phone_verified_at is None
    without_code = _deposit(committed, site, recipient)
    assert Delivery.objects.get(pk=without_code.pk).code_hash == ""

    texts.sent.clear()
    monkeypatch.setattr(phone, "_new_code", lambda: PHONE_CODE)
    committed(phone_verification_start, user=recipient)
    committed(phone_verification_confirm, user=recipient, code=PHONE_CODE)

    assert len(texts.sent) == 2 and all(to == "010-9753-1864" for to, _text in texts.sent)
    assert Delivery.objects.get(pk=with_code.pk).code_hash == hash_before  # its code still works
    assert Delivery.objects.get(pk=without_code.pk).code_hash != ""


def test_a_recipient_with_text_messages_off_is_still_refused_at_deposit(site, texts, committed):
    recipient = make_recipient(site, phone_verified_at=None)
    Household.objects.filter(user=recipient).update(notify_by_sms=False)

    with pytest.raises(LockerError) as refused:
        _deposit(committed, site, recipient)
    assert refused.value.code == "no_sms"


def test_a_verified_recipient_is_texted_at_deposit_as_before(site, recipient, texts, committed, monkeypatch):
    monkeypatch.setattr(deposit, "_new_code", lambda: "975310")

    _deposit(committed, site, recipient)

    assert len(texts.sent) == 1 and "975310" in texts.sent[0][1]


def test_my_parcels_page_says_the_code_waits_for_verification(
    client, site, unverified_recipient, texts, committed
):
    _deposit(committed, site, unverified_recipient)
    login(client, unverified_recipient)

    page = client.get(reverse("lockers:parcels")).content.decode()

    assert reverse("households:phone_verify") in page
