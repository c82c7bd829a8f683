"""Re-verification before each period of a recurring benefit.

Before a period starts (BENEFITS_REVERIFY_DAYS_BEFORE days ahead) the resident is asked to confirm
their circumstances (a short form; a document when the terms ask). Their answer re-runs the program's
eligibility with the current rules and 기준중위소득 (programs.selectors.eligibility_for): still eligible →
confirmed; not (or something missing) → the reasons are stored and shown, and staff decide: continue,
or stop — a stopped award's payments not yet sent are cancelled.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import User
from programs.answers import upload_problem
from programs.selectors import eligibility_for

from ..models import Award, AwardStatus, BenefitKind, BenefitTerms, Reverification, ReverificationStatus
from .base import BenefitsError, reverification_flow, tell
from .payments import payments_cancel_scheduled

R = ReverificationStatus


def next_period(terms: BenefitTerms, today: date) -> tuple[str, date] | None:
    """The first period of `terms` starting after today and within the notice window, with its start."""
    horizon = today + timedelta(days=settings.BENEFITS_REVERIFY_DAYS_BEFORE)
    for year in (today.year, today.year + 1):
        for period, month, _amount in terms.periods(year):
            start = date(year, month, 1)
            if today < start <= horizon:
                return period, start
    return None


def reverifications_request_due(*, today: date | None = None) -> int:
    """Ask every active recurring award whose next period starts soon (idempotent: one per period)."""
    today = today or timezone.localdate()
    asked = 0
    for terms in BenefitTerms.objects.filter(kind=BenefitKind.RECURRING).select_related("program"):
        upcoming = next_period(terms, today)
        if upcoming is None:
            continue
        period, _start = upcoming
        awards = Award.objects.filter(terms=terms, status=AwardStatus.ACTIVE).exclude(
            reverifications__period=period
        )
        for award in awards.select_related("household__user").iterator(chunk_size=500):
            asked += reverification_request(award=award, period=period)
    return asked


def reverification_request(*, award: Award, period: str) -> int:
    try:
        with transaction.atomic():
            row = Reverification.objects.create(award=award, district_id=award.district_id, period=period)
            reverification_flow.record(row, "benefits.reverification.requested", actor=None)
            tell(
                reverification_flow,
                row,
                "benefits.reverification.requested",
                user=award.household.user,
                program=award.terms.program.title,
                period=period,
                path=f"reverify/{row.pk}/",
            )
    except IntegrityError:
        return 0  # asked already (a second run, or two workers at once)
    return 1


@transaction.atomic
def reverification_answer(
    *,
    user: User,
    reverification: Reverification,
    changed: bool,
    changes: str = "",
    document: UploadedFile | None = None,
    request: HttpRequest | None = None,
) -> Reverification:
    row = reverification_flow.lock(reverification.pk)
    if row.award.household.user_id != user.pk:
        raise BenefitsError("not_found", _("Re-verification not found."))
    if row.status != R.REQUESTED:
        raise reverification_flow.refusal(row)
    if changed and not changes.strip():
        raise BenefitsError("changes_required", _("Tell us what changed."), field="changes")
    terms = row.award.terms
    if terms.reverify_documents and document is None:
        raise BenefitsError(
            "document_required", _("Attach the document the program asks for."), field="document"
        )
    if document is not None:
        problem = upload_problem(document)
        if problem:
            raise BenefitsError("invalid_file", problem, field="document")
        row.document = document
    row.circumstances_changed = changed
    row.changes = changes.strip() if changed else ""
    row.answered_at = timezone.now()
    # The current rules and 기준중위소득, on the household's profile as it stands now.
    outcome = eligibility_for(program=terms.program, household=row.award.household)
    row.record_eligibility(outcome)
    to = R.CONFIRMED if outcome.eligible else R.NEEDS_DECISION
    reverification_flow.move(row, to, actor=user, request=request)
    return row


@transaction.atomic
def reverification_decide(
    *,
    reverification: Reverification,
    carry_on: bool,
    reason: str,
    actor: User | None,
    request: HttpRequest | None = None,
) -> Reverification:
    """Staff's decision on a household that no longer qualifies (or did not answer): continue or stop."""
    if not reason.strip():
        raise BenefitsError("reason_required", _("Say why."))
    row = reverification_flow.lock(reverification.pk)
    to = R.CONTINUED if carry_on else R.STOPPED
    reverification_flow.move(
        row,
        to,
        actor=actor,
        request=request,
        decided_by=actor,
        decided_at=timezone.now(),
        decision_reason=reason.strip(),
    )
    award = Award.objects.select_for_update().select_related("household").get(pk=row.award_id)
    if not carry_on and award.status == AwardStatus.ACTIVE:
        award.status, award.stopped_on, award.stop_reason = (
            AwardStatus.STOPPED,
            timezone.localdate(),
            reason.strip(),
        )
        award.save(update_fields=["status", "stopped_on", "stop_reason"])
        payments_cancel_scheduled(award=award, actor=actor)
    tell(
        reverification_flow,
        row,
        f"benefits.reverification.{to}",
        user=award.household.user,
        program=award.terms.program.title,
        period=row.period,
        reason=row.decision_reason,
    )
    return row
