"""Verifying the resident's mobile number: the code is texted and kept nowhere in clear, it expires, it
survives a limited number of wrong tries, sending is throttled per account and per number, a changed
number must be verified again, and nothing but the code is texted to an unverified number."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from households import phone
from households.models import Household, PhoneVerification
from households.phone import PhoneVerificationError, phone_verification_confirm, phone_verification_start
from households.services import account_delete, household_save
from portal.models import AuditEvent, Notification
from portal.notifications import notify
from tests.factories import HouseholdFactory, login

pytestmark = pytest.mark.django_db

CODE = "482913"
OTHER = "111111"
VERIFY = reverse("households:phone_verify")
SEND_API = "/api/v1/me/phone/verification/"
CONFIRM_API = "/api/v1/me/phone/verification/confirm/"


class Texts:
    """The SMS backend: records what would reach each phone."""

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
def fixed_code(monkeypatch):
    monkeypatch.setattr(phone, "_new_code", lambda: CODE)


@pytest.fixture
def unverified(db):
    return HouseholdFactory(phone="010-2222-3333", notify_by_sms=True, phone_verified_at=None)


def _every_stored_value() -> str:
    return "\n".join(
        repr(row) for model in apps.get_models() for row in model._default_manager.all().values_list()
    )


def _age_codes(user, by: timedelta) -> None:
    """Move the user's codes back in time (as if sent `by` earlier): the throttle windows then pass."""
    for row in PhoneVerification.objects.filter(user=user):
        row.created_at -= by
        row.expires_at -= by
        row.save(update_fields=["created_at", "expires_at"])


def test_the_code_is_texted_to_the_unverified_number_and_stored_nowhere_in_clear(
    unverified, texts, fixed_code, committed
):
    verification = committed(phone_verification_start, user=unverified.user)

    assert texts.sent == [("010-2222-3333", texts.sent[0][1])] and CODE in texts.sent[0][1]
    rows = Notification.objects.filter(user=unverified.user)
    # The code goes to the number alone: no inbox or email copy of it.
    assert [row.channel for row in rows] == [Notification.Channel.SMS]
    assert rows[0].status == Notification.Status.SENT and rows[0].context["code"] == ""
    assert verification.code_hash and CODE not in verification.code_hash
    # Neither the code nor the number is kept in clear by the verification itself.
    assert "2222" not in repr(PhoneVerification.objects.values_list().get())
    assert CODE not in _every_stored_value()
    assert AuditEvent.objects.filter(action="households.phone.code_sent").exists()


def test_the_right_code_verifies_the_number_and_is_audited(unverified, texts, fixed_code, committed):
    committed(phone_verification_start, user=unverified.user)

    household = phone_verification_confirm(user=unverified.user, code=f" {CODE[:3]}-{CODE[3:]} ")

    assert household.phone_verified_at is not None
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is not None
    assert PhoneVerification.objects.get().confirmed_at is not None
    assert AuditEvent.objects.filter(
        action="households.phone.verified", subject_user_id=unverified.user_id
    ).exists()


def test_wrong_codes_count_and_the_fifth_ends_the_code(unverified, texts, fixed_code, settings):
    phone_verification_start(user=unverified.user)
    for left in (4, 3, 2, 1):
        with pytest.raises(PhoneVerificationError) as refused:
            phone_verification_confirm(user=unverified.user, code=OTHER)
        assert refused.value.code == "wrong_code" and str(left) in refused.value.message
    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_confirm(user=unverified.user, code=OTHER)
    assert refused.value.code == "too_many_attempts"
    # The count was kept although every try was refused, and the right code no longer helps.
    assert PhoneVerification.objects.get().attempts == settings.PHONE_CODE_MAX_ATTEMPTS
    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_confirm(user=unverified.user, code=CODE)
    assert refused.value.code == "too_many_attempts" and refused.value.http_status == 400
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is None


def test_an_expired_code_is_refused(unverified, texts, fixed_code):
    phone_verification_start(user=unverified.user)
    PhoneVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_confirm(user=unverified.user, code=CODE)

    assert refused.value.code == "expired"
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is None


def test_a_new_code_voids_the_earlier_one(unverified, texts, monkeypatch):
    monkeypatch.setattr(phone, "_new_code", lambda: OTHER)
    phone_verification_start(user=unverified.user)
    _age_codes(unverified.user, timedelta(minutes=2))
    monkeypatch.setattr(phone, "_new_code", lambda: CODE)
    phone_verification_start(user=unverified.user)

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_confirm(user=unverified.user, code=OTHER)
    assert refused.value.code == "wrong_code"
    assert phone_verification_confirm(user=unverified.user, code=CODE).phone_verified_at is not None


def test_a_second_code_within_the_minute_is_refused_with_the_wait(unverified, texts):
    phone_verification_start(user=unverified.user)

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_start(user=unverified.user)

    error = refused.value
    assert error.code == "too_soon" and error.http_status == 429
    assert 1 <= error.retry_after <= 60 and error.headers() == {"Retry-After": str(error.retry_after)}
    assert str(error.retry_after) in error.message  # the wait, said
    assert PhoneVerification.objects.count() == 1


def test_at_most_five_codes_a_day_per_account(unverified, texts, settings):
    for _ in range(settings.PHONE_CODE_DAILY_LIMIT):
        phone_verification_start(user=unverified.user)
        _age_codes(unverified.user, timedelta(minutes=5))

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_start(user=unverified.user)

    assert refused.value.code == "daily_limit" and refused.value.http_status == 429
    # The oldest code turned 25 minutes old: a place frees in 23 hours 35 minutes.
    assert 23 * 3600 < refused.value.retry_after <= 24 * 3600 - 25 * 60
    _age_codes(unverified.user, timedelta(hours=24))
    phone_verification_start(user=unverified.user)  # a day later, allowed again


def test_the_daily_limit_counts_every_account_texting_the_same_number(texts, settings):
    first = HouseholdFactory(phone="010-4444-5555", phone_verified_at=None)
    second = HouseholdFactory(phone="01044445555", phone_verified_at=None)  # the same number, written apart
    for _ in range(settings.PHONE_CODE_DAILY_LIMIT):
        phone_verification_start(user=first.user)
        _age_codes(first.user, timedelta(minutes=5))

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_start(user=second.user)

    assert refused.value.code == "daily_limit"


def test_the_wait_is_said_in_korean_by_default(unverified, texts):
    phone_verification_start(user=unverified.user)
    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_start(user=unverified.user)
    assert "초" in refused.value.message  # seconds, in the default language


def test_changing_the_number_asks_to_verify_it_again(texts):
    household = HouseholdFactory(notify_by_sms=True)
    assert household.phone_verified_at is not None

    household_save(user=household.user, data={"phone": "010-7777-8888"})

    household.refresh_from_db()
    assert household.phone == "010-7777-8888" and household.phone_verified_at is None
    event = AuditEvent.objects.get(action="households.phone.changed")
    assert "7777" not in repr(event.data)
    # Saving other fields keeps the verification.
    household_save(user=household.user, data={"phone": "010-7777-8888", "name": "박하나"})
    assert AuditEvent.objects.filter(action="households.phone.changed").count() == 1


def test_a_code_sent_to_the_old_number_does_not_verify_the_new_one(unverified, texts, fixed_code):
    phone_verification_start(user=unverified.user)
    household_save(user=unverified.user, data={"phone": "010-9999-0000"})

    with pytest.raises(PhoneVerificationError) as refused:
        phone_verification_confirm(user=unverified.user, code=CODE)

    assert refused.value.code == "no_code"


def test_notify_texts_only_a_verified_number(texts, committed):
    verified = HouseholdFactory(notify_by_sms=True)
    unverified = HouseholdFactory(notify_by_sms=True, phone_verified_at=None)
    context = {"reference": "HN-2026-000001", "program": "청년 프로그램", "link": ""}

    for household in (verified, unverified):
        committed(
            notify,
            user=household.user,
            template="application.submitted",
            event_key=f"test:{household.pk}",
            context=context,
        )

    channels = dict.fromkeys((verified.user_id, unverified.user_id), ())
    for row in Notification.objects.all():
        channels[row.user_id] += (row.channel,)
    assert Notification.Channel.SMS in channels[verified.user_id]
    assert Notification.Channel.SMS not in channels[unverified.user_id]
    assert Notification.Channel.IN_APP in channels[unverified.user_id]
    assert [to for to, _text in texts.sent] == [verified.phone]


def test_account_deletion_forgets_the_verifications(unverified, texts):
    phone_verification_start(user=unverified.user)

    account_delete(user=unverified.user)

    assert not PhoneVerification.objects.filter(user=unverified.user).exists()


# --- the page ----------------------------------------------------------------------------------------


def test_the_profile_tells_an_unverified_resident_and_links_the_page(client, unverified):
    login(client, unverified.user)
    page = client.get(reverse("households:profile")).content.decode()
    assert 'id="phone-unverified"' in page and VERIFY in page

    verified = HouseholdFactory(notify_by_sms=True)
    login(client, verified.user)
    assert 'id="phone-unverified"' not in client.get(reverse("households:profile")).content.decode()


def test_the_page_sends_a_code_then_keeps_a_wrong_one_typed_then_verifies(
    client, unverified, texts, fixed_code, django_capture_on_commit_callbacks
):
    login(client, unverified.user)
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(VERIFY, {"action": "send"})
    assert sent.status_code == 302 and sent.url == VERIFY
    assert CODE in texts.sent[0][1]

    again = client.post(VERIFY, {"action": "send"})
    assert again.status_code == 200 and 'class="error-summary"' in again.content.decode()

    wrong = client.post(VERIFY, {"action": "confirm", "code": "12345x"})
    page = wrong.content.decode()
    assert wrong.status_code == 200 and 'class="error-summary"' in page
    assert 'value="12345x"' in page and "#id_code" in page

    right = client.post(VERIFY, {"action": "confirm", "code": CODE})
    assert right.status_code == 302 and right.url == reverse("households:profile")
    unverified.refresh_from_db()
    assert unverified.phone_verified_at is not None


def test_changing_the_number_on_the_profile_form_leads_to_the_page(client):
    household = HouseholdFactory(notify_by_sms=True)
    login(client, household.user)
    form = client.get(reverse("households:profile_edit")).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(
        phone="010-3333-4444",
        district=household.district.code,
        consent_profile="on",
        crime_victim="",
        single_parent="",
        disability="",
        notify_by_sms="on",
    )
    data = {key: (value.pk if hasattr(value, "pk") else value) for key, value in data.items()}
    data["district"] = household.district.pk

    response = client.post(reverse("households:profile_edit"), data)

    assert response.status_code == 302, response.context["form"].errors
    assert response.url == VERIFY
    household.refresh_from_db()
    assert household.phone_verified_at is None


# --- the API -------------------------------------------------------------------------------------------


def test_the_api_sends_throttles_with_retry_after_and_confirms(unverified, texts, fixed_code):
    api = APIClient()
    api.force_authenticate(unverified.user)

    sent = api.post(SEND_API)
    assert sent.status_code == 201, sent.content
    assert sent.json()["sent_to"] == "010-****-3333"

    throttled = api.post(SEND_API)
    assert throttled.status_code == 429
    assert int(throttled["Retry-After"]) >= 1
    assert throttled.json()["error"]["code"] == "too_soon"

    wrong = api.post(CONFIRM_API, {"code": OTHER}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "wrong_code" and "code" in wrong.json()["error"]["fields"]

    PhoneVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = api.post(CONFIRM_API, {"code": CODE}, format="json")
    assert expired.status_code == 400 and expired.json()["error"]["code"] == "expired"

    PhoneVerification.objects.update(expires_at=timezone.now() + timedelta(minutes=5))
    right = api.post(CONFIRM_API, {"code": CODE}, format="json")
    assert right.status_code == 200 and right.json()["phone_verified_at"]


def test_patching_the_number_over_the_api_clears_the_verification(texts):
    household = HouseholdFactory(notify_by_sms=True)
    api = APIClient()
    api.force_authenticate(household.user)

    response = api.patch("/api/v1/me/household/", {"phone": "010-5555-6666"}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["phone_verified_at"] is None
    assert Household.objects.get(pk=household.pk).phone_verified_at is None


def test_the_api_refuses_a_resident_without_a_number(texts):
    household = HouseholdFactory(phone="", phone_verified_at=None)
    api = APIClient()
    api.force_authenticate(household.user)

    response = api.post(SEND_API)

    assert response.status_code == 400 and response.json()["error"]["code"] == "no_phone"


def test_a_verification_text_stuck_mid_send_is_cancelled_and_its_code_blanked(unverified, fixed_code):
    from portal.notifications import notifications_reap_stuck

    phone_verification_start(user=unverified.user)  # not committed: the row stays pending
    row = Notification.objects.get(user=unverified.user)
    Notification.objects.filter(pk=row.pk).update(
        status=Notification.Status.SENDING, attempts=1, claimed_at=timezone.now() - timedelta(hours=1)
    )

    outcome = notifications_reap_stuck()

    row.refresh_from_db()
    assert outcome == {"replaced": 1}
    assert row.status == Notification.Status.CANCELLED and row.context["code"] == ""
    assert CODE not in _every_stored_value()
