"""/api/v1/me/household/: the resident's own profile over the API (GET, PUT to create, PATCH)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from households.models import Consent, Household
from portal.models import AuditEvent
from tests.factories import GWANAK, HouseholdFactory, UserFactory, login

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/household/"
GWANAK_NEIGHBOURHOOD = "1162069500"  # 신림동
JUNGGU_NEIGHBOURHOOD = "1114055000"  # 명동


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"]
    assert error["message"]
    return error


def valid_profile(**overrides) -> dict:
    data = {
        "name": "이솔",
        "birth_date": "1996-03-04",
        "gender": "female",
        "phone": "010-2345-6789",
        "district": GWANAK,
        "neighbourhood": GWANAK_NEIGHBOURHOOD,
        "address_detail": "관악로 1",
        "housing_tenure": "jeonse",
        "household_size": 1,
        "monthly_income": 2_400_000,
        "employment": "employed",
        "consent_profile": True,
    }
    data.update(overrides)
    return data


@pytest.fixture
def newcomer(db):
    """A resident who signed up but has not registered a household profile."""
    return UserFactory()


@pytest.fixture
def newcomer_client(client, newcomer):
    return login(client, newcomer)


@pytest.fixture
def household(db):
    return HouseholdFactory(neighbourhood=None)


@pytest.fixture
def household_client(client, household):
    return login(client, household.user)


def stored(household: Household) -> dict:
    return model_to_dict(Household.objects.get(pk=household.pk))


# --- creating and reading --------------------------------------------------------------------------


def test_get_without_profile_is_404(newcomer_client):
    error = assert_error_shape(newcomer_client.get(URL), 404)

    assert error["code"] == "not_found"


def test_put_without_profile_consent_is_400_and_stores_nothing(newcomer_client, newcomer):
    data = valid_profile()
    del data["consent_profile"]

    error = assert_error_shape(newcomer_client.put(URL, data, content_type="application/json"), 400)

    assert "consent_profile" in error["fields"]
    assert not Household.objects.filter(user=newcomer).exists()
    assert not Consent.objects.filter(user=newcomer).exists()


def test_put_with_consent_false_is_400(newcomer_client, newcomer):
    response = newcomer_client.put(URL, valid_profile(consent_profile=False), content_type="application/json")

    assert "consent_profile" in assert_error_shape(response, 400)["fields"]
    assert not Household.objects.filter(user=newcomer).exists()


def test_put_valid_profile_creates_it_with_consent_and_audit_event(newcomer_client, newcomer):
    response = newcomer_client.put(URL, valid_profile(), content_type="application/json")

    assert response.status_code == 201, response.content
    household = Household.objects.get(user=newcomer)
    assert household.name == "이솔"
    assert household.district.code == GWANAK
    assert household.neighbourhood.code == GWANAK_NEIGHBOURHOOD
    assert household.monthly_income == 2_400_000
    consent = Consent.objects.get(user=newcomer)
    assert consent.purpose == "profile"
    assert consent.withdrawn_at is None
    event = AuditEvent.objects.get(action="households.profile.created")
    assert event.actor == newcomer
    assert event.subject_user_id == newcomer.pk
    assert event.target_id == str(household.pk)
    # Field names only: the audit log is no second copy of the personal data.
    assert "이솔" not in str(event.data)
    body = response.json()
    assert body["name"] == "이솔"
    assert body["district"] == GWANAK
    assert body["consents"] == ["profile"]
    assert "consent_profile" not in body


def test_get_after_put_shows_the_profile_and_consents(newcomer_client):
    newcomer_client.put(URL, valid_profile(), content_type="application/json")

    response = newcomer_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["consents"] == ["profile"]
    assert body["name"] == "이솔"
    assert body["birth_date"] == "1996-03-04"
    assert body["neighbourhood"] == GWANAK_NEIGHBOURHOOD


def test_put_with_sensitive_consent_stores_the_sensitive_answers(newcomer_client, newcomer):
    data = valid_profile(consent_sensitive=True, crime_victim=True, single_parent=False)

    response = newcomer_client.put(URL, data, content_type="application/json")

    assert response.status_code == 201, response.content
    household = Household.objects.get(user=newcomer)
    assert household.crime_victim is True
    assert household.single_parent is False
    assert response.json()["consents"] == ["profile", "sensitive"]


def test_patch_without_profile_is_404(newcomer_client):
    response = newcomer_client.patch(URL, {"monthly_income": 1}, content_type="application/json")

    assert_error_shape(response, 404)


# --- updating --------------------------------------------------------------------------------------


def test_patch_monthly_income_updates_only_that(household_client, household):
    before = stored(household)

    response = household_client.patch(URL, {"monthly_income": 1_800_000}, content_type="application/json")

    assert response.status_code == 200, response.content
    assert response.json()["monthly_income"] == 1_800_000
    after = stored(household)
    assert after.pop("monthly_income") == 1_800_000
    before.pop("monthly_income")
    assert after == before
    event = AuditEvent.objects.get(action="households.profile.updated")
    assert event.data == {"fields": ["monthly_income"]}


def test_put_on_an_existing_profile_replaces_it_with_200_without_asking_consent_again(
    household_client, household
):
    data = valid_profile(name="김새롬")
    del data["consent_profile"]

    response = household_client.put(URL, data, content_type="application/json")

    assert response.status_code == 200, response.content
    assert Household.objects.get(pk=household.pk).name == "김새롬"
    assert Household.objects.filter(user=household.user).count() == 1


# --- refused values --------------------------------------------------------------------------------


def _adult_under(years: int) -> str:
    today = timezone.localdate()
    return today.replace(year=today.year - years).isoformat()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "birth_date"),
        ({"birth_date": _adult_under(13)}, "birth_date"),
        ({"neighbourhood": JUNGGU_NEIGHBOURHOOD}, "neighbourhood"),
        ({"phone": "12345"}, "phone"),
        ({"phone": "", "notify_by_sms": True}, "phone"),
        ({"address_detail": "관악로 1, 940512-2345678"}, "address_detail"),
        ({"name": "9405122345678"}, "name"),
        ({"crime_victim": True}, "consent_sensitive"),
        ({"district": "99999"}, "district"),
        ({"gender": "robot"}, "gender"),
        ({"household_size": 0}, "household_size"),
        ({"monthly_income": -1}, "monthly_income"),
    ],
    ids=[
        "birth-date-in-future",
        "under-14",
        "neighbourhood-of-another-district",
        "phone-12345",
        "sms-without-phone",
        "rrn-in-address",
        "rrn-as-name",
        "crime-victim-without-sensitive-consent",
        "unknown-district",
        "unknown-gender",
        "household-size-0",
        "negative-income",
    ],
)
def test_invalid_field_is_400_naming_it_and_stores_nothing(household_client, household, changes, field):
    before = stored(household)
    events = AuditEvent.objects.count()

    response = household_client.patch(URL, changes, content_type="application/json")

    error = assert_error_shape(response, 400)
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    assert all(isinstance(message, str) for message in error["fields"][field])
    assert stored(household) == before
    assert AuditEvent.objects.count() == events


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"birth_date": (timezone.localdate() + timedelta(days=1)).isoformat()}, "birth_date"),
        ({"phone": "12345"}, "phone"),
        ({"address_detail": "940512-2345678"}, "address_detail"),
        ({"crime_victim": True}, "consent_sensitive"),
    ],
    ids=["birth-date-in-future", "phone-12345", "rrn-in-address", "crime-victim-without-sensitive-consent"],
)
def test_invalid_first_profile_is_400_and_creates_nothing(newcomer_client, newcomer, changes, field):
    response = newcomer_client.put(URL, valid_profile(**changes), content_type="application/json")

    assert field in assert_error_shape(response, 400)["fields"]
    assert not Household.objects.filter(user=newcomer).exists()
    assert not Consent.objects.filter(user=newcomer).exists()
    assert not AuditEvent.objects.filter(subject_user_id=newcomer.pk).exists()


def test_rrn_is_never_echoed_back_in_the_error(household_client):
    response = household_client.patch(
        URL, {"address_detail": "940512-2345678"}, content_type="application/json"
    )

    assert "2345678" not in response.content.decode()


def test_malformed_json_is_400_in_the_error_format(household_client, household):
    before = stored(household)

    response = household_client.patch(URL, "{not json", content_type="application/json")

    error = assert_error_shape(response, 400)
    assert error["code"] == "parse_error"
    assert stored(household) == before


def test_malformed_json_on_put_is_400_in_the_error_format(newcomer_client):
    response = newcomer_client.put(URL, "{not json", content_type="application/json")

    assert_error_shape(response, 400)


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_unauthenticated_is_403_in_the_error_format(client, method):
    response = getattr(client, method)(URL, valid_profile(), content_type="application/json")

    error = assert_error_shape(response, 403)
    assert error["code"] == "not_authenticated"
    assert not Household.objects.exists()


def test_moving_district_without_changing_neighbourhood_is_refused(household_client, household):
    household.neighbourhood_id = None
    household.save()
    household_client.patch(URL, {"neighbourhood": GWANAK_NEIGHBOURHOOD}, content_type="application/json")
    before = stored(household)

    response = household_client.patch(URL, {"district": "11140"}, content_type="application/json")

    assert "neighbourhood" in assert_error_shape(response, 400)["fields"]
    assert stored(household) == before
