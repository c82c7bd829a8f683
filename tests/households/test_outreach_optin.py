"""Outreach opt-in (issue 15): the OUTREACH consent and the household's choices, the channels a message
may take (text messages only to a verified number, never in the quiet hours), the weekly cap, the
resident's page, the unsubscribe link that works without logging in, the API, the data download and
erasure."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from households.models import Consent, Household, OutreachPreference
from households.outreach import (
    OutreachError,
    household_for_unsubscribe_token,
    in_quiet_hours,
    outreach_channels,
    outreach_may_send,
    outreach_opt_in,
    outreach_opt_out,
    outreach_opted_in_q,
    unsubscribe_token,
    unsubscribe_url,
)
from households.services import account_data_export, account_delete, consent_give
from portal.models import AuditEvent
from tests.factories import HouseholdFactory, UserFactory, login

pytestmark = pytest.mark.django_db

PAGE = reverse("households:outreach")
API = "/api/v1/me/outreach/"
# 12:00 UTC is 21:00 in Seoul (UTC+9, no daylight saving).
NOON_SEOUL = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)


def seoul(hour: int, minute: int = 0) -> datetime:
    """An instant at hh:mm Seoul time on 2026-12-04, written in UTC."""
    return datetime(2026, 12, 4, 0, 0, tzinfo=UTC) + timedelta(hours=hour - 9, minutes=minute)


@pytest.fixture
def household(db):
    return HouseholdFactory()


def live_outreach(user) -> Consent | None:
    return Consent.objects.filter(user=user, purpose="outreach", withdrawn_at__isnull=True).first()


def opted_in_ids() -> set[int]:
    return set(Household.objects.filter(outreach_opted_in_q()).values_list("pk", flat=True))


# --- services: opting in and out -------------------------------------------------------------------


def test_opt_in_gives_the_outreach_consent_under_its_own_notice_version(household, settings):
    settings.HANA_PRIVACY_CONSENT_VERSION = "2026-01"
    settings.HANA_CONSENT_VERSIONS = {"outreach": "2026-12"}
    settings.OUTREACH_WEEKLY_LIMIT = 4

    preference = outreach_opt_in(user=household.user, by_email=True, by_sms=False, cadence="weekly")

    consent = live_outreach(household.user)
    assert consent is not None and consent.version == "2026-12"
    assert (preference.by_email, preference.by_sms, preference.cadence, preference.weekly_limit) == (
        True,
        False,
        "weekly",
        4,
    )
    event = AuditEvent.objects.get(action="households.outreach.opted_in")
    assert event.subject_user_id == household.user.pk
    assert event.data == {"by_email": True, "by_sms": False, "cadence": "weekly", "weekly_limit": 4}
    assert AuditEvent.objects.filter(action="households.consent.given", data__purpose="outreach").count() == 1


def test_opting_in_again_changes_the_choices_under_the_same_consent(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False, cadence="immediate")
    first = live_outreach(household.user)

    outreach_opt_in(user=household.user, by_email=False, by_sms=True, cadence="weekly", weekly_limit=1)

    assert live_outreach(household.user).pk == first.pk
    preference = OutreachPreference.objects.get(household=household)
    assert (preference.by_email, preference.by_sms, preference.cadence, preference.weekly_limit) == (
        False,
        True,
        "weekly",
        1,
    )


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"weekly_limit": 0}, "weekly_limit", "weekly_limit"),
        ({"weekly_limit": 11}, "weekly_limit", "weekly_limit"),
        ({"cadence": "hourly"}, "cadence", "cadence"),
        ({"by_sms": True, "phone": ""}, "no_phone", "by_sms"),
    ],
)
def test_opt_in_refuses_bad_choices_and_records_nothing(changes, code, field):
    household = HouseholdFactory(phone=changes.pop("phone", "010-1234-5678"))
    choices = {"by_email": False, "by_sms": False, "cadence": "immediate", **changes}

    with pytest.raises(OutreachError) as refused:
        outreach_opt_in(user=household.user, **choices)

    assert refused.value.code == code
    assert field in refused.value.by_field()
    assert live_outreach(household.user) is None
    assert not OutreachPreference.objects.exists()


def test_opt_in_needs_a_profile():
    user = UserFactory()

    with pytest.raises(OutreachError) as refused:
        outreach_opt_in(user=user, by_email=True, by_sms=False)

    assert refused.value.code == "no_profile"
    assert live_outreach(user) is None


def test_the_refusal_reads_in_english_too(household):
    with translation.override("en"), pytest.raises(OutreachError) as refused:
        outreach_opt_in(user=household.user, by_email=False, by_sms=False, weekly_limit=50)

    assert refused.value.message == "Choose between 1 and 10 messages a week."


def test_opt_out_withdraws_the_consent_and_says_where_it_came_from(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)

    assert outreach_opt_out(household=household, source="link") is True
    assert outreach_opt_out(user=household.user) is False

    assert live_outreach(household.user) is None
    events = AuditEvent.objects.filter(action="households.outreach.opted_out")
    assert [e.data for e in events] == [{"source": "link"}]
    # The choices stay: opting in again offers them as they were.
    assert OutreachPreference.objects.get(household=household).by_email is True


def test_opt_out_needs_one_of_household_or_user(household):
    with pytest.raises(ValueError):
        outreach_opt_out()
    with pytest.raises(ValueError):
        outreach_opt_out(household=household, source="email")


def test_opted_in_q_selects_only_live_consents_of_live_accounts():
    opted_in = HouseholdFactory()
    outreach_opt_in(user=opted_in.user, by_email=False, by_sms=False)
    withdrawn = HouseholdFactory()
    outreach_opt_in(user=withdrawn.user, by_email=False, by_sms=False)
    outreach_opt_out(household=withdrawn)
    never = HouseholdFactory()
    deleted = HouseholdFactory()
    outreach_opt_in(user=deleted.user, by_email=False, by_sms=False)
    account_delete(user=deleted.user)
    # The consents page gives the consent without choices: that counts (inbox only).
    consents_page_only = HouseholdFactory()
    consent_give(user=consents_page_only.user, purpose=Consent.Purpose.OUTREACH)

    assert opted_in_ids() == {opted_in.pk, consents_page_only.pk}
    assert never.pk not in opted_in_ids()
    # Usable with other filters, one row per household.
    filtered = Household.objects.filter(outreach_opted_in_q(), district=opted_in.district)
    assert sorted(filtered.values_list("pk", flat=True)) == sorted([opted_in.pk, consents_page_only.pk])


# --- channels and quiet hours --------------------------------------------------------------------------


def test_no_channel_at_all_without_the_consent(household):
    assert outreach_channels(household, at=NOON_SEOUL) == set()


def test_the_consent_alone_means_the_inbox_only(household):
    consent_give(user=household.user, purpose=Consent.Purpose.OUTREACH)

    assert outreach_channels(household, at=NOON_SEOUL) == {"inbox"}


def test_every_chosen_channel_at_noon(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=True)

    assert outreach_channels(household, at=NOON_SEOUL) == {"inbox", "email", "sms"}


def test_no_text_message_to_an_unverified_number():
    household = HouseholdFactory(phone_verified_at=None)
    outreach_opt_in(user=household.user, by_email=False, by_sms=True)

    assert outreach_channels(household, at=NOON_SEOUL) == {"inbox"}


def test_no_email_to_an_unverified_address(household):
    EmailAddress.objects.filter(user=household.user).update(verified=False)
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)

    assert outreach_channels(household, at=NOON_SEOUL) == {"inbox"}


@pytest.mark.parametrize(
    ("hour", "minute", "quiet"),
    [
        (8, 0, False),  # the quiet hours end at 08:00
        (7, 59, True),
        (20, 59, False),
        (21, 0, True),  # and begin at 21:00
        (23, 30, True),
        (0, 0, True),
        (3, 0, True),
        (12, 0, False),
    ],
)
def test_quiet_hours_are_21_to_8_seoul_time(household, hour, minute, quiet):
    outreach_opt_in(user=household.user, by_email=True, by_sms=True)
    at = seoul(hour, minute)

    assert in_quiet_hours(at) is quiet
    expected = {"inbox", "email"} if quiet else {"inbox", "email", "sms"}
    assert outreach_channels(household, at=at) == expected


def test_quiet_hours_follow_the_setting(settings):
    settings.OUTREACH_QUIET_HOURS = (13, 15)  # not across midnight

    assert in_quiet_hours(seoul(12, 59)) is False
    assert in_quiet_hours(seoul(13, 0)) is True
    assert in_quiet_hours(seoul(15, 0)) is False


# --- the weekly cap ------------------------------------------------------------------------------------


def test_the_weekly_limit_caps_the_messages(household):
    outreach_opt_in(user=household.user, by_email=False, by_sms=False, weekly_limit=2)

    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=0) is True
    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=1) is True
    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=2) is False


def test_the_default_limit_applies_to_the_consent_alone(household, settings):
    settings.OUTREACH_WEEKLY_LIMIT = 3
    consent_give(user=household.user, purpose=Consent.Purpose.OUTREACH)

    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=2) is True
    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=3) is False


def test_the_count_may_come_from_a_callable_over_the_last_7_days(household):
    outreach_opt_in(user=household.user, by_email=False, by_sms=False, weekly_limit=1)
    asked = []

    def sent_since(target, since):
        asked.append((target.pk, since))
        return 1

    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=sent_since) is False
    assert asked == [(household.pk, NOON_SEOUL - timedelta(days=7))]


def test_nothing_may_be_sent_to_a_household_that_opted_out(household):
    outreach_opt_in(user=household.user, by_email=False, by_sms=False)
    outreach_opt_out(household=household)

    assert outreach_may_send(household, at=NOON_SEOUL, sent_this_week=0) is False


# --- the unsubscribe token -----------------------------------------------------------------------------


def test_the_token_names_the_household_and_the_url_is_absolute(household, settings):
    settings.SITE_URL = "https://hana.example.kr/"
    token = unsubscribe_token(household)

    assert household_for_unsubscribe_token(token) == household
    assert unsubscribe_url(household) == f"https://hana.example.kr/outreach/unsubscribe/{token}/"


@pytest.mark.parametrize("mangle", ["tampered", "other_salt", "garbage", "not_an_int", "unknown"])
def test_a_bad_token_names_nobody(household, mangle):
    token = {
        "tampered": unsubscribe_token(household)[:-2] + "xx",
        "other_salt": signing.dumps({"h": household.pk}, salt="something.else"),
        "garbage": "abc",
        "not_an_int": signing.dumps({"h": "1"}, salt="households.outreach.unsubscribe"),
        "unknown": signing.dumps({"h": household.pk + 1000}, salt="households.outreach.unsubscribe"),
    }[mangle]

    assert household_for_unsubscribe_token(token) is None


# --- the resident's page -------------------------------------------------------------------------------


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_without_a_profile_the_page_sends_to_the_profile_form(client):
    login(client, UserFactory())

    response = client.get(PAGE)

    assert response.status_code == 302
    assert response["Location"] == reverse("households:profile_edit")


def test_the_profile_page_links_to_the_outreach_page(client, household):
    response = login(client, household.user).get(reverse("households:profile"))

    assert PAGE in response.content.decode()


def test_opting_in_on_the_page(client, household):
    login(client, household.user)
    assert client.get(PAGE).status_code == 200

    response = client.post(
        PAGE, {"outreach": "yes", "by_email": "on", "cadence": "weekly", "weekly_limit": "2"}
    )

    assert response.status_code == 302
    assert live_outreach(household.user) is not None
    preference = OutreachPreference.objects.get(household=household)
    assert (preference.by_email, preference.by_sms, preference.cadence, preference.weekly_limit) == (
        True,
        False,
        "weekly",
        2,
    )
    page = client.get(PAGE)
    assert page.context["form"].initial["outreach"] == "yes"


def test_a_wrong_value_is_shown_with_everything_typed_kept(client, household):
    login(client, household.user)

    response = client.post(
        PAGE, {"outreach": "yes", "by_email": "on", "cadence": "weekly", "weekly_limit": "99"}
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"weekly_limit"}
    html = response.content.decode()
    assert 'name="weekly_limit"' in html and 'value="99"' in html
    assert re.search(r'<input type="checkbox" name="by_email"[^>]* checked', html)
    assert re.search(r'<input type="radio" name="cadence" value="weekly"[^>]* checked', html)
    assert "error-summary" in html
    assert live_outreach(household.user) is None


def test_the_page_says_so_when_texts_need_a_number(client):
    household = HouseholdFactory(phone="")
    login(client, household.user)

    response = client.post(
        PAGE, {"outreach": "yes", "by_sms": "on", "cadence": "immediate", "weekly_limit": "3"}
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"by_sms"}
    assert live_outreach(household.user) is None


def test_the_page_in_english_names_the_problem(client, household):
    login(client, household.user)

    response = client.post(PAGE, {"outreach": "yes", "weekly_limit": "3"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    assert response.context["form"].errors["cadence"] == [
        "Choose how often we write: at once or once a week."
    ]


def test_an_unanswered_question_is_an_error(client, household):
    login(client, household.user)

    response = client.post(PAGE, {})

    assert response.status_code == 200
    assert "outreach" in response.context["form"].errors


def test_opting_out_on_the_page(client, household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)
    login(client, household.user)

    response = client.post(PAGE, {"outreach": "no"})

    assert response.status_code == 302
    assert live_outreach(household.user) is None
    assert AuditEvent.objects.get(action="households.outreach.opted_out").data == {"source": "web"}


# --- the unsubscribe link (no login) -------------------------------------------------------------------


def unsubscribe_path(household) -> str:
    return reverse("outreach_unsubscribe", kwargs={"token": unsubscribe_token(household)})


def test_opening_the_link_only_asks(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)

    response = Client().get(unsubscribe_path(household))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form method="post"' in html
    assert live_outreach(household.user) is not None  # a mail scanner's GET changes nothing


def test_the_button_unsubscribes_without_login_or_csrf_token(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)

    response = Client(enforce_csrf_checks=True).post(unsubscribe_path(household))

    assert response.status_code == 200
    assert 'id="unsubscribe-done"' in response.content.decode()
    assert live_outreach(household.user) is None
    assert AuditEvent.objects.get(action="households.outreach.opted_out").data == {"source": "link"}


def test_rfc8058_one_click_post_unsubscribes(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)

    response = Client(enforce_csrf_checks=True).post(
        unsubscribe_path(household),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert live_outreach(household.user) is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_link_is_a_clear_400(household, method):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False)
    token = unsubscribe_token(household)
    bad = reverse("outreach_unsubscribe", kwargs={"token": token[:-3] + "abc"})

    response = getattr(Client(), method)(bad)

    assert response.status_code == 400
    assert 'id="unsubscribe-invalid"' in response.content.decode()
    assert live_outreach(household.user) is not None


def test_an_address_that_is_no_token_at_all_is_a_400():
    response = Client().get("/outreach/unsubscribe/%00%ff:::/")

    assert response.status_code == 400


def test_already_out(household):
    path = unsubscribe_path(household)

    shown = Client().get(path)
    posted = Client().post(path)

    assert shown.status_code == 200
    assert 'id="unsubscribe-already"' in shown.content.decode()
    assert "<form" not in shown.content.decode().split('id="unsubscribe-already"')[1]
    assert posted.status_code == 200
    assert not AuditEvent.objects.filter(action="households.outreach.opted_out").exists()


def test_other_methods_are_refused(household):
    assert Client().put(unsubscribe_path(household)).status_code == 405


# --- the API -------------------------------------------------------------------------------------------


@pytest.fixture
def api(household):
    client = APIClient()
    client.force_authenticate(household.user)
    return client


def test_api_needs_a_login():
    assert APIClient().get(API).status_code in (401, 403)


def test_api_without_a_profile_is_404():
    client = APIClient()
    client.force_authenticate(UserFactory())

    response = client.get(API)

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_reads_the_defaults_before_any_choice(api, settings):
    settings.OUTREACH_WEEKLY_LIMIT = 3

    body = api.get(API).json()

    assert body == {
        "opted_in": False,
        "by_email": False,
        "by_sms": False,
        "cadence": "immediate",
        "weekly_limit": 3,
        "opted_in_at": None,
        "consent_version": None,
        "phone_verified": True,
        "updated_at": None,
    }


def test_api_put_opts_in_and_out(api, household):
    response = api.put(
        API, {"opted_in": True, "by_email": True, "cadence": "weekly", "weekly_limit": 5}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["opted_in"] is True and body["by_email"] is True and body["by_sms"] is False
    assert (body["cadence"], body["weekly_limit"]) == ("weekly", 5)
    assert body["consent_version"] == live_outreach(household.user).version
    assert body["opted_in_at"] and body["updated_at"]

    response = api.put(API, {"opted_in": False}, format="json")

    assert response.status_code == 200
    assert response.json()["opted_in"] is False
    assert live_outreach(household.user) is None
    assert api.get(API).json()["weekly_limit"] == 5  # the choices are kept


def test_api_refuses_a_bad_limit_with_the_field(api, household):
    response = api.put(API, {"opted_in": True, "weekly_limit": 11}, format="json")

    assert response.status_code == 400
    assert "weekly_limit" in response.json()["error"]["fields"]
    assert live_outreach(household.user) is None


def test_api_refuses_texts_without_a_number():
    household = HouseholdFactory(phone="")
    client = APIClient()
    client.force_authenticate(household.user)

    response = client.put(API, {"opted_in": True, "by_sms": True}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "no_phone"
    assert "by_sms" in error["fields"]


def test_api_needs_opted_in(api):
    response = api.put(API, {"by_email": True}, format="json")

    assert response.status_code == 400
    assert "opted_in" in response.json()["error"]["fields"]


# --- the data download and erasure ---------------------------------------------------------------------


def test_the_data_download_has_the_choices(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=False, cadence="weekly", weekly_limit=2)

    data = account_data_export(user=household.user)

    section = data["outreach_preference"]
    assert {k: section[k] for k in ("by_email", "by_sms", "cadence", "weekly_limit")} == {
        "by_email": True,
        "by_sms": False,
        "cadence": "weekly",
        "weekly_limit": 2,
    }
    assert "outreach" in {c["purpose"] for c in data["consents"]}


def test_the_data_download_without_choices(household):
    assert account_data_export(user=household.user)["outreach_preference"] is None


def test_deleting_the_account_deletes_the_choices_and_ends_the_consent(household):
    outreach_opt_in(user=household.user, by_email=True, by_sms=True)

    account_delete(user=household.user)

    assert not OutreachPreference.objects.exists()
    assert live_outreach(household.user) is None
    household.refresh_from_db()
    assert outreach_channels(household, at=timezone.now()) == set()
