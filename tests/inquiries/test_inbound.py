"""Inbound text messages and emails: signed webhooks, idempotent on the provider's id, verified numbers
matched to households, guests answered on their channel through the core's outbox."""

from __future__ import annotations

import json

import pytest

from inquiries.api.signature import sign
from inquiries.models import Channel, Inquiry, InquiryMessage, InquiryStatus
from inquiries.services import inquiry_answer
from portal.models import Notification
from portal.notifications import notification_deliver
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db
SECRET = "test-webhook-secret"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.INQUIRY_WEBHOOK_SECRET = SECRET
    settings.INQUIRY_GUEST_DISTRICT = "11140"


def post(client, name, payload, *, signature=None):
    body = json.dumps(payload, ensure_ascii=False).encode()
    return client.post(
        f"/api/v1/inquiries/inbound/{name}/",
        data=body,
        content_type="application/json",
        HTTP_X_HANA_SIGNATURE=sign(body, SECRET) if signature is None else signature,
    )


def sms(client, text="우리 동네 가로등이 꺼져 있어요", sender="010-5555-0101", message_id="m-1", **kw):
    return post(client, "sms", {"sender": sender, "text": text, "message_id": message_id}, **kw)


def test_a_text_from_an_unknown_number_is_a_guest_thread_in_the_guest_district(client, teams):
    response = sms(client)
    assert response.status_code == 200, response.content
    assert response.json()["stored"] is True
    inquiry = Inquiry.objects.get()
    assert inquiry.user is None and inquiry.guest_address == "01055550101"
    assert inquiry.district.code == "11140" and inquiry.team == teams["jung"]
    assert inquiry.channel == Channel.SMS
    # The receipt goes back by text to the bare number (no account: the core's notify_address).
    receipt = Notification.objects.get(template="inquiry.received")
    assert (receipt.user, receipt.channel, receipt.address) == (None, "sms", "01055550101")


def test_the_same_message_id_is_stored_once(client, teams):
    assert sms(client).json()["stored"] is True
    again = sms(client)
    assert again.status_code == 200 and again.json()["stored"] is False
    assert InquiryMessage.objects.count() == 1


def test_a_verified_number_is_the_households(client, teams):
    household = HouseholdFactory(phone="010-5555-0101")
    sms(client)
    inquiry = Inquiry.objects.get()
    assert inquiry.user == household.user and inquiry.district == household.district


def test_an_unverified_number_stays_a_guest(client, teams):
    HouseholdFactory(phone="010-5555-0101", phone_verified_at=None)
    sms(client)
    assert Inquiry.objects.get().user is None


def test_the_next_text_continues_the_thread_and_the_answer_goes_back_by_text(
    client, teams, caseworker_b, capsys
):
    sms(client)
    inquiry = Inquiry.objects.get()
    inquiry_answer(staff=caseworker_b, inquiry_id=inquiry.pk, body="내일 수리합니다.")
    answer = Notification.objects.get(template="inquiry.answered")
    assert (answer.channel, answer.address) == ("sms", "01055550101")
    assert notification_deliver(notification_id=answer.pk) == "sent"
    assert "내일 수리합니다." in capsys.readouterr().out
    sms(client, text="감사합니다, 몇 시쯤인가요?", message_id="m-2")
    inquiry.refresh_from_db()
    assert Inquiry.objects.count() == 1
    assert inquiry.status == InquiryStatus.OPEN and inquiry.messages.count() == 3


def test_a_registration_number_in_a_text_is_stored_masked(client, teams):
    sms(client, text="제 주민번호 900101-1234567 입니다")
    body = InquiryMessage.objects.get().body
    assert "1234567" not in body and "900101-1******" in body


@pytest.mark.parametrize("signature", ["", "sha256=00", sign(b"other", SECRET), sign(b"x", "wrong")])
def test_an_unsigned_or_badly_signed_call_is_refused(client, teams, signature):
    response = sms(client, signature=signature)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "bad_signature"
    assert not Inquiry.objects.exists()


def test_without_a_secret_nothing_is_accepted(client, teams, settings):
    settings.INQUIRY_WEBHOOK_SECRET = ""
    assert sms(client, signature=sign(b"", "")).status_code == 403


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"sender": "02-123-4567", "text": "hi", "message_id": "a"}, "sender"),
        ({"sender": "01055550101", "text": "   ", "message_id": "a"}, "text"),
        ({"sender": "01055550101", "text": "hi"}, "message_id"),
    ],
)
def test_bad_input_is_a_400_in_the_error_shape(client, teams, payload, field):
    response = post(client, "sms", payload)
    assert response.status_code == 400
    assert field in response.json()["error"].get("fields", {})


def test_an_email_from_a_residents_address_and_its_reply_by_reference(client, teams, caseworker_a):
    household = HouseholdFactory()
    payload = {
        "sender": household.user.email.upper(),
        "subject": "주차 문의",
        "text": "주차장 있나요?",
        "message_id": "<a@x>",
    }
    assert post(client, "email", payload).status_code == 200
    inquiry = Inquiry.objects.get()
    assert inquiry.user == household.user and inquiry.channel == Channel.EMAIL
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="네, 있습니다.")
    channels = set(Notification.objects.filter(template="inquiry.answered").values_list("channel", flat=True))
    assert channels == {"in_app", "email"}  # by email, as it came, not by text
    reply = {
        **payload,
        "subject": f"Re: [{inquiry.reference}] 주차 문의",
        "message_id": "<b@x>",
        "text": "몇 대요?",
    }
    post(client, "email", reply)
    assert Inquiry.objects.count() == 1 and inquiry.messages.count() == 3


def test_an_email_from_an_unknown_address_is_answered_by_email(client, teams, caseworker_b):
    post(
        client, "email", {"sender": "guest@example.com", "subject": "", "text": "질문", "message_id": "<c@x>"}
    )
    inquiry = Inquiry.objects.get()
    inquiry_answer(staff=caseworker_b, inquiry_id=inquiry.pk, body="답변")
    answer = Notification.objects.get(template="inquiry.answered")
    assert (answer.user, answer.channel, answer.address) == (None, "email", "guest@example.com")
