"""households.services, called directly: consents, saving a profile, data export and account deletion."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory

from households.models import Consent, Household
from households.services import (
    ConsentRequired,
    account_data_export,
    account_delete,
    active_consents,
    consent_give,
    consent_withdraw,
    household_save,
)
from portal.models import AuditEvent, User
from tests.factories import GWANAK, PASSWORD, HouseholdFactory, UserFactory, district

pytestmark = pytest.mark.django_db


@pytest.fixture
def household(db):
    """A resident with both consents and every sensitive question answered."""
    household = HouseholdFactory(
        consents=[Consent.Purpose.PROFILE, Consent.Purpose.SENSITIVE],
        crime_victim=True,
        single_parent=False,
        disability=True,
        address_detail="관악로 1",
        income_support="near_poverty",
        notify_by_sms=True,
    )
    return household


def profile_data(**overrides) -> dict:
    data = {
        "name": "이솔",
        "birth_date": date(1996, 3, 4),
        "gender": "female",
        "phone": "010-2345-6789",
        "district": district(GWANAK),
        "housing_tenure": "jeonse",
        "household_size": 1,
        "monthly_income": 2_400_000,
        "crime_victim": True,
        "single_parent": True,
        "disability": False,
    }
    data.update(overrides)
    return data


# --- consents --------------------------------------------------------------------------------------


def test_consent_give_is_idempotent():
    user = UserFactory()

    first = consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS)
    second = consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS)

    assert first.pk == second.pk
    assert Consent.objects.filter(user=user, purpose="notifications", withdrawn_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="households.consent.given").count() == 1


def test_consent_give_records_the_notice_version(settings):
    settings.HANA_PRIVACY_CONSENT_VERSION = "2026-07"
    user = UserFactory()

    consent = consent_give(user=user, purpose=Consent.Purpose.SENSITIVE)

    assert consent.version == "2026-07"
    assert consent.given_at is not None


def test_withdrawing_sensitive_consent_erases_the_sensitive_answers(household):
    user = household.user

    assert consent_withdraw(user=user, purpose=Consent.Purpose.SENSITIVE) is True

    household.refresh_from_db()
    assert (household.crime_victim, household.single_parent, household.disability) == (None, None, None)
    assert household.name == "김하나"  # the rest of the profile stays
    old = Consent.objects.get(user=user, purpose="sensitive")
    assert old.withdrawn_at is not None
    assert active_consents(user=user) == {"profile"}
    event = AuditEvent.objects.get(action="households.consent.withdrawn")
    assert event.data == {"purpose": "sensitive"}
    assert event.subject_user_id == user.pk


def test_giving_consent_again_after_withdrawal_adds_a_new_row(household):
    user = household.user
    consent_withdraw(user=user, purpose=Consent.Purpose.SENSITIVE)

    consent_give(user=user, purpose=Consent.Purpose.SENSITIVE)

    rows = Consent.objects.filter(user=user, purpose="sensitive")
    assert rows.count() == 2
    assert rows.filter(withdrawn_at__isnull=True).count() == 1


def test_withdrawing_a_consent_not_given_changes_nothing():
    user = UserFactory()

    assert consent_withdraw(user=user, purpose=Consent.Purpose.NOTIFICATIONS) is False
    assert not AuditEvent.objects.exists()


def test_withdrawing_the_profile_consent_is_refused(household):
    with pytest.raises(ValueError):
        consent_withdraw(user=household.user, purpose=Consent.Purpose.PROFILE)

    assert Consent.objects.get(user=household.user, purpose="profile").withdrawn_at is None


# --- saving a profile ------------------------------------------------------------------------------


def test_household_save_without_profile_consent_raises_and_stores_nothing():
    user = UserFactory()

    with pytest.raises(ConsentRequired):
        household_save(user=user, data=profile_data())

    assert not Household.objects.filter(user=user).exists()
    assert not AuditEvent.objects.filter(action__startswith="households.profile").exists()


def test_household_save_with_only_sensitive_consent_ticked_stores_nothing():
    user = UserFactory()

    with pytest.raises(ConsentRequired):
        household_save(user=user, data=profile_data(), consents={Consent.Purpose.SENSITIVE})

    assert not Household.objects.filter(user=user).exists()
    # The consent recorded on the way is rolled back with the rest.
    assert not Consent.objects.filter(user=user).exists()


def test_household_save_records_the_ticked_consent_first():
    user = UserFactory()

    household = household_save(user=user, data=profile_data(), consents={Consent.Purpose.PROFILE})

    assert household.pk is not None
    assert active_consents(user=user) == {"profile"}
    assert AuditEvent.objects.filter(action="households.profile.created", subject_user_id=user.pk).exists()


def test_household_save_without_sensitive_consent_stores_sensitive_fields_as_none():
    user = UserFactory()

    household = household_save(user=user, data=profile_data(), consents={Consent.Purpose.PROFILE})

    household.refresh_from_db()
    assert (household.crime_victim, household.single_parent, household.disability) == (None, None, None)


def test_household_save_with_sensitive_consent_keeps_sensitive_fields():
    user = UserFactory()

    household = household_save(
        user=user, data=profile_data(), consents={Consent.Purpose.PROFILE, Consent.Purpose.SENSITIVE}
    )

    household.refresh_from_db()
    assert (household.crime_victim, household.single_parent, household.disability) == (True, True, False)


def test_household_save_update_audits_changed_field_names_only(household):
    household_save(user=household.user, data={"monthly_income": 1_500_000, "name": household.name})

    event = AuditEvent.objects.get(action="households.profile.updated")
    assert event.data == {"fields": ["monthly_income"]}
    assert event.district == household.district


# --- data export -----------------------------------------------------------------------------------


def test_account_data_export_returns_everything_held(household):
    user = household.user
    consent_give(user=user, purpose=Consent.Purpose.NOTIFICATIONS)

    data = account_data_export(user=user)

    assert set(data) >= {"account", "household", "consents", "activity"}
    assert data["account"]["email"] == user.email
    assert data["household"]["name"] == "김하나"
    assert data["household"]["birth_date"] == "1994-05-12"
    assert data["household"]["district"] == "관악구"
    assert data["household"]["crime_victim"] is True
    assert {c["purpose"] for c in data["consents"]} == {"profile", "sensitive", "notifications"}
    assert "households.consent.given" in {a["action"] for a in data["activity"]}
    json.dumps(data, cls=DjangoJSONEncoder)  # ready to download as it is


def test_account_data_export_writes_an_audit_event(household):
    request = RequestFactory().post("/accounts/my-data/", REMOTE_ADDR="203.0.113.9")

    account_data_export(user=household.user, request=request)

    event = AuditEvent.objects.get(action="households.data.exported")
    assert event.actor == household.user
    assert event.subject_user_id == household.user.pk
    assert event.district == household.district
    assert event.ip_address == "203.0.113.9"


def test_account_data_export_without_household():
    user = UserFactory()

    data = account_data_export(user=user)

    assert data["household"] is None
    assert AuditEvent.objects.filter(action="households.data.exported", subject_user_id=user.pk).exists()


# --- deleting an account ---------------------------------------------------------------------------


def test_account_delete_erases_identity_and_blocks_login(household):
    user = household.user
    old_email = user.email
    assert user.check_password(PASSWORD)

    account_delete(user=user)

    user = User.objects.get(pk=user.pk)
    assert user.email != old_email
    assert old_email not in user.email
    assert not user.is_active
    assert not user.has_usable_password()
    assert not user.check_password(PASSWORD)
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username=old_email, password=PASSWORD) is None
    assert authenticate(request, username=user.email, password=PASSWORD) is None


def test_account_delete_erases_personal_fields_and_keeps_statistics(household):
    account_delete(user=household.user)

    household.refresh_from_db()
    assert household.name == ""
    assert household.phone == ""
    assert household.address_detail == ""
    assert household.monthly_income is None
    assert household.income_support == ""
    assert (household.crime_victim, household.single_parent, household.disability) == (None, None, None)
    assert household.notify_by_sms is False
    assert household.birth_date == date(1994, 1, 1)
    assert household.district.code == GWANAK
    assert household.gender == "female"
    assert household.housing_tenure == "monthly_rent"
    assert household.anonymized_at is not None


def test_account_delete_withdraws_consents_and_keeps_them_as_proof(household):
    user = household.user

    account_delete(user=user)

    consents = Consent.objects.filter(user=user)
    assert consents.count() == 2
    assert all(c.withdrawn_at is not None for c in consents)
    assert active_consents(user=user) == set()


def test_account_delete_writes_an_audit_event(household):
    user = household.user

    account_delete(user=user)

    event = AuditEvent.objects.get(action="households.account.deleted")
    assert event.actor_id == user.pk
    assert event.subject_user_id == user.pk
    assert event.district == household.district


def test_account_delete_without_household():
    user = UserFactory()

    account_delete(user=user)

    user.refresh_from_db()
    assert not user.is_active
    assert AuditEvent.objects.filter(action="households.account.deleted", subject_user_id=user.pk).exists()
