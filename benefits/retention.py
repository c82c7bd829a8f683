"""The benefits app's class in the retention table: bank accounts no longer needed for any payment."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import AwardStatus, BankAccount, PaymentStatus

_OPEN = (PaymentStatus.SCHEDULED, PaymentStatus.APPROVED, PaymentStatus.SENT, PaymentStatus.RETURNED)


def bank_accounts_due(*, now, cutoff) -> models.QuerySet:
    # Collected for paying benefits only: once no active benefit and no unsettled payment needs it,
    # counted from its last change, it goes.
    return (
        BankAccount.objects.filter(updated_at__lt=cutoff)
        .exclude(household__awards__status=AwardStatus.ACTIVE)
        .exclude(household__awards__payments__status__in=_OPEN)
    )


def bank_accounts_prune(*, pks, now) -> int:
    return BankAccount.objects.filter(pk__in=pks).delete()[0]


def register_retention() -> None:
    register(
        DataClass(
            key="benefit_bank_accounts",
            label=_("The bank account you gave for benefit payments"),
            outcome=_("deleted once no benefit or payment needs it"),
            setting="RETENTION_BANK_ACCOUNTS_DAYS",
            due=bank_accounts_due,
            prune=bank_accounts_prune,
            order=85,  # after dormant accounts (80): their deletion already removed those accounts
        )
    )
