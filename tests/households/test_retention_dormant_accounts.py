"""Retention: a resident account unused for the period is anonymised by the account deletion service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from households.models import Household
from portal import retention
from portal.models import AuditEvent, User
from tests.factories import HouseholdFactory

pytestmark = pytest.mark.django_db


def run(days: int) -> int:
    return retention.prune_class(retention.get("dormant_accounts"), now=timezone.now() + timedelta(days=days))


def test_accounts_without_a_login_are_anonymised_after_the_period_not_before(settings, caseworker_a):
    settings.RETENTION_DORMANT_ACCOUNTS_DAYS = 1000
    dormant = HouseholdFactory(name="박휴면").user
    User.objects.filter(pk=dormant.pk).update(last_login=timezone.now())
    never = HouseholdFactory(name="이가입").user  # never logged in: counted from sign-up
    User.objects.filter(pk=caseworker_a.pk).update(last_login=timezone.now())

    assert run(999) == 0
    assert User.objects.get(pk=dormant.pk).is_active

    assert run(1001) == 2
    for user in (dormant, never):
        user.refresh_from_db()
        assert not user.is_active and user.email.endswith("@deleted.invalid")
        household = Household.objects.get(user=user)
        assert household.anonymized_at is not None and household.name == "" and household.phone == ""
        # The one erasure there is: it audited the deletion as it does on request.
        assert AuditEvent.objects.filter(
            action="households.account.deleted", subject_user_id=user.pk
        ).exists()
    # Staff accounts are not the job's.
    assert User.objects.get(pk=caseworker_a.pk).is_active

    assert run(1001) == 0  # idempotent
