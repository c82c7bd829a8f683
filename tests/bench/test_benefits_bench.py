"""A smoke test of the benefits bench scenario's code (bench/benefits.py) at toy size: it generates its
recipients, schedules, approves, batches and exports, and its control line matches. No timing here."""

from __future__ import annotations

import pytest

from bench import benefits as scenario
from benefits.models import Payment, PaymentStatus
from benefits.services.transfer_file import ACCOUNT_EXPORTED
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_the_scenario_runs_end_to_end_and_again(monkeypatch, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(scenario, "RECIPIENTS", 6)
    monkeypatch.setattr(scenario, "CHUNK", 4)
    first = scenario.run()[0]
    assert "24 instalments scheduled" in first and "control line matches" in first
    assert "scheduled again: 0 new" in first
    assert "6 residents access-logged" in first  # the unmasked file's per-resident entries
    assert Payment.objects.filter(status=PaymentStatus.SENT).count() == 24
    second = scenario.run()[0]  # the recipients are kept; the ledger starts again
    assert "6 recipients" in second and "control line matches" in second
    assert AuditEvent.objects.filter(action=ACCOUNT_EXPORTED).count() == 12  # six per export
