"""Staff side of re-verification: the answer with its document (access-logged), the decision in the
admin; and the daily task that schedules instalments and asks for re-verifications."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from benefits.models import AwardStatus, Payment, Reverification
from benefits.services import BenefitsError, reverification_answer, reverifications_request_due
from benefits.tasks import benefits_daily
from portal.access_log import reads_of
from portal.models import AuditEvent
from tests.benefits.conftest import receipt
from tests.factories import add_rules, login

pytestmark = pytest.mark.django_db


def test_document_required_then_staff_read_it_and_stop(
    client, recurring_award, caseworker_a, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    terms = recurring_award.terms
    terms.reverify_documents = True
    terms.save()
    add_rules(terms.program, {"field": "monthly_income", "operator": "lte", "value": 1})
    reverifications_request_due(today=date(2026, 3, 10))
    row = Reverification.objects.get()
    user = recurring_award.household.user
    with pytest.raises(BenefitsError) as missing:
        reverification_answer(user=user, reverification=row, changed=False)
    assert missing.value.field == "document"
    reverification_answer(user=user, reverification=row, changed=False, document=receipt("care.pdf"))

    login(client, caseworker_a)
    page = client.get(reverse("admin:benefits_reverification_change", args=[row.pk]))
    assert page.status_code == 200
    download = client.get(reverse("admin:benefits_reverification_document", args=[row.pk]))
    assert download.status_code == 200
    assert {e.action for e in reads_of(user)} == {
        "benefits.reverification.viewed",
        "benefits.reverification.document_viewed",
    }
    decided = client.post(
        reverse("admin:benefits_reverification_decide", args=[row.pk]),
        {"decision": "stop", "reason": "소득 기준 초과"},
    )
    assert decided.status_code == 302
    recurring_award.refresh_from_db()
    assert recurring_award.status == AwardStatus.STOPPED


def test_daily_task_schedules_and_asks_once(recurring_award):
    first = benefits_daily()
    again = benefits_daily()
    assert first["scheduled"] >= 1 and again == {"scheduled": 0, "asked": 0}
    assert Payment.objects.filter(award=recurring_award).count() == first["scheduled"]
    assert AuditEvent.objects.filter(action="benefits.payments.scheduled").count() == 1
