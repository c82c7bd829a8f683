"""Demo community building in 중구: an announced call with selected projects, an open call with a draft
and a submitted proposal; loading twice writes nothing new."""

from __future__ import annotations

import pytest

from community.models import (
    ActivityReport,
    Appointment,
    Call,
    CallStatus,
    Milestone,
    Payment,
    Proposal,
    ProposalMember,
    ProposalStatus,
    ScoreSheet,
)
from demo.loader import load_demo
from portal.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    models = (Call, Appointment, Proposal, ProposalMember, ScoreSheet, Milestone, Payment, ActivityReport)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["audit events"] = AuditEvent.objects.count()
    counts["notifications"] = Notification.objects.count()
    return counts


def test_demo_calls_and_loading_twice_writes_nothing():
    load_demo()
    announced = Call.objects.get(status=CallStatus.ANNOUNCED)
    assert set(announced.proposals.values_list("status", flat=True)) == {ProposalStatus.SELECTED}
    assert announced.proposals.filter(payments__isnull=False).exists()
    open_call = Call.objects.get(status=CallStatus.PUBLISHED)
    assert open_call.is_open()
    assert set(open_call.proposals.values_list("status", flat=True)) == {
        ProposalStatus.DRAFT,
        ProposalStatus.SUBMITTED,
    }
    before = _counts()
    load_demo()
    assert _counts() == before
