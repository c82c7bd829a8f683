"""What every benefits service shares: the refusal, the workflows of claims, payments and
re-verifications, and the award of an approved application."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.errors import DomainError
from portal.workflow import Workflow
from programs.models import Application, ApplicationStatus

from ..models import (
    Award,
    BenefitTerms,
    Claim,
    ClaimStatus,
    Payment,
    PaymentStatus,
    Reverification,
    ReverificationStatus,
)


@dataclass
class BenefitsError(DomainError):
    """A refusal of the benefits services (portal.api.errors answers it in the API's shape)."""

    status_by_code = {
        "not_found": 404,
        "invalid_transition": 409,
        "over_budget": 409,
        "over_cap": 409,
        "duplicate": 409,
        "no_budget": 409,
        "nothing_to_send": 409,
        "stopped": 409,
        "not_awarded": 403,
        "reverification_open": 409,
    }
    field_by_code = {
        "over_cap": "amount",
        "invalid_amount": "amount",
        "invalid_file": "receipt",
        "reason_required": "reason",
    }


C, P, R = ClaimStatus, PaymentStatus, ReverificationStatus

claim_flow = Workflow(
    model=Claim,
    transitions={C.SUBMITTED: {C.APPROVED, C.REJECTED}, C.APPROVED: set(), C.REJECTED: set()},
    action="benefits.claim",
    notify_key="benefit_claim",
    error=BenefitsError,
    refused=gettext_lazy("This claim is %(status)s: it cannot be changed that way."),
    lock_related=("award__household__user", "award__terms__program", "district"),
    subject_user_id=lambda claim: claim.award.household.user_id,
    district=lambda claim: claim.district,
    audit_data=lambda claim: {"program": claim.award.terms.program_id},
)

payment_flow = Workflow(
    model=Payment,
    transitions={
        P.SCHEDULED: {P.APPROVED, P.CANCELLED},
        P.APPROVED: {P.SENT, P.CANCELLED},
        P.SENT: {P.PAID, P.RETURNED},
        # A returned payment is approved again (budget checked again) once the account is corrected.
        P.RETURNED: {P.APPROVED, P.CANCELLED},
        P.PAID: set(),
        P.CANCELLED: set(),
    },
    action="benefits.payment",
    notify_key="benefit_payment",
    error=BenefitsError,
    refused=gettext_lazy("This payment is %(status)s: it cannot be changed that way."),
    lock_related=("award__household__user", "terms__program", "district"),
    subject_user_id=lambda payment: payment.award.household.user_id,
    district=lambda payment: payment.district,
    audit_data=lambda payment: {"program": payment.terms.program_id, "amount": payment.amount},
)

reverification_flow = Workflow(
    model=Reverification,
    transitions={
        R.REQUESTED: {R.CONFIRMED, R.NEEDS_DECISION, R.STOPPED},
        R.NEEDS_DECISION: {R.CONTINUED, R.STOPPED},
        R.CONFIRMED: set(),
        R.CONTINUED: set(),
        R.STOPPED: set(),
    },
    action="benefits.reverification",
    notify_key="benefit_reverification",
    error=BenefitsError,
    refused=gettext_lazy("This re-verification is %(status)s: it cannot be changed that way."),
    lock_related=("award__household__user", "award__terms__program", "district"),
    subject_user_id=lambda row: row.award.household.user_id,
    district=lambda row: row.district,
    audit_data=lambda row: {"period": row.period},
)


def link(path: str) -> str:
    return f"{settings.SITE_URL}/benefits/{path}"


def tell(flow: Workflow, row, template: str, *, user, path: str = "", **context) -> None:
    """The resident's message about the row's latest audit event (once per channel per event)."""
    flow.notify(row, template, user=user, context={"link": link(path), **context})


def award_for(application: Application) -> Award:
    """The award of an approved application of a program with benefit terms (created the first time)."""
    if application.status not in (ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED):
        raise BenefitsError("not_awarded", _("Only an approved application receives this benefit."))
    try:
        terms = BenefitTerms.objects.get(program_id=application.program_id)
    except BenefitTerms.DoesNotExist as exc:
        raise BenefitsError("not_found", _("This program pays no cash benefit.")) from exc
    with transaction.atomic():
        award, _created = Award.objects.get_or_create(
            application=application,
            defaults={
                "terms": terms,
                "household_id": application.household_id,
                "district_id": application.district_id,
                "started_on": timezone.localdate(application.decided_at or timezone.now()),
            },
        )
    return award
