"""Background work of benefits (Celery beat: "benefits-daily" in settings)."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import BenefitKind, BenefitTerms
from .services import instalments_schedule, reverifications_request_due


@shared_task
def benefits_daily() -> dict[str, int]:
    """Schedule this year's instalments (idempotent) and ask for the coming periods' re-verifications."""
    year = timezone.localdate().year
    scheduled = 0
    for terms in BenefitTerms.objects.exclude(kind=BenefitKind.REIMBURSEMENT).select_related("program"):
        scheduled += instalments_schedule(terms=terms, year=year)
    return {"scheduled": scheduled, "asked": reverifications_request_due()}
