"""The households app's class in the retention table: resident accounts left unused for years."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import User
from portal.retention import DataClass, register

from .services import account_delete


def dormant_accounts_due(*, now, cutoff) -> models.QuerySet:
    # Residents only: staff accounts are managed by a city admin. An account never logged into counts
    # from sign-up. account_delete deactivates the account, so an anonymised one is not due again.
    return User.objects.filter(
        role=User.Role.RESIDENT, is_staff=False, is_superuser=False, is_active=True
    ).filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))


def dormant_accounts_prune(*, pks, now) -> int:
    """Anonymise each account through the one erasure there is (account_delete: every app frees what
    the account held its own way, and the deletion is audited)."""
    done = 0
    for user in User.objects.filter(pk__in=pks, is_active=True):
        account_delete(user=user)
        done += 1
    return done


def register_retention() -> None:
    register(
        DataClass(
            key="dormant_accounts",
            label=_("Your account, if you do not log in for this long"),
            outcome=_("anonymised, as when you delete your account"),
            setting="RETENTION_DORMANT_ACCOUNTS_DAYS",
            due=dormant_accounts_due,
            prune=dormant_accounts_prune,
            order=80,
        )
    )
