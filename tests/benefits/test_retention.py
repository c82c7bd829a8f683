"""A bank account is kept while a benefit or an unsettled payment needs it, then deleted."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from benefits.models import AwardStatus, BankAccount
from benefits.retention import bank_accounts_due, bank_accounts_prune
from tests.benefits.conftest import with_account

pytestmark = pytest.mark.django_db


def test_bank_account_kept_while_needed_then_due(recurring_award):
    with_account(recurring_award)
    BankAccount.objects.update(updated_at=timezone.now() - timedelta(days=400))
    cutoff = timezone.now() - timedelta(days=180)
    assert not bank_accounts_due(now=timezone.now(), cutoff=cutoff).exists()  # the award is active
    recurring_award.status = AwardStatus.STOPPED
    recurring_award.save()
    due = list(bank_accounts_due(now=timezone.now(), cutoff=cutoff).values_list("pk", flat=True))
    assert len(due) == 1
    assert bank_accounts_prune(pks=due, now=timezone.now()) == 1
    assert not BankAccount.objects.exists()
