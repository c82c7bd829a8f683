"""Payments: the instalment schedule of recurring and one-off awards, approval against the budget,
payment batches (each payment sent exactly once), and what the bank reports back (paid / returned)."""

from __future__ import annotations

from datetime import date

from django.db import connection, models, transaction
from django.db.models import Exists, F, OuterRef, Sum, Window
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import District, User
from programs.models import Application, ApplicationStatus

from ..models import (
    Award,
    AwardStatus,
    BenefitKind,
    BenefitTerms,
    Payment,
    PaymentBatch,
    PaymentStatus,
    Reverification,
    ReverificationStatus,
)
from ..signals import ledger_changed
from .base import BenefitsError, payment_flow, tell
from .budget import check_commitment, lock_terms

P = PaymentStatus
CHUNK = 5_000


def changed(district_id: int | None) -> None:
    """After commit: the ledger changed in bulk (no post_save was sent)."""
    transaction.on_commit(lambda: ledger_changed.send(sender=Payment, district_id=district_id))


def awards_open(terms: BenefitTerms) -> int:
    """Create the awards of the program's approved applications that have none yet (idempotent)."""
    missing = Application.objects.filter(
        program_id=terms.program_id,
        status__in=(ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED),
        award__isnull=True,
    ).values_list("pk", "household_id", "district_id", "decided_at")
    today = timezone.localdate()
    created = 0
    batch: list[Award] = []
    for pk, household_id, district_id, decided_at in missing.iterator(chunk_size=CHUNK):
        started = timezone.localdate(decided_at) if decided_at else today
        batch.append(
            Award(
                application_id=pk,
                terms=terms,
                household_id=household_id,
                district_id=district_id,
                started_on=started,
            )
        )
        if len(batch) >= CHUNK:
            created += len(Award.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Award.objects.bulk_create(batch, ignore_conflicts=True))
    return created


# One statement per period, in the database: every active award of the program that started by the
# end of the period's first month gets the period's instalment, unless it has it already (the unique
# constraint on award and period). No rows travel through Python, whatever the number of recipients.
_SCHEDULE_SQL = """
INSERT INTO benefits_payment
    (award_id, terms_id, district_id, period, amount, due_on, status, return_reason)
SELECT a.id, a.terms_id, a.district_id, %s, %s, {due}, %s, ''
FROM benefits_award a
WHERE a.terms_id = %s AND a.status = %s AND a.started_on < %s
ON CONFLICT DO NOTHING
"""


def instalments_schedule(*, terms: BenefitTerms, year: int) -> int:
    """Schedule `year`'s instalments of every active award of a recurring (or one-off) program.

    Idempotent: a period already scheduled is left as it is (unique per award and period), so the daily
    job and a manual run never double a payment. A period that began before the award's month is not
    owed. Set-based (INSERT … SELECT): memory stays flat at any scale. Returns how many were scheduled.
    """
    if terms.kind == BenefitKind.REIMBURSEMENT:
        return 0
    awards_open(terms)
    before = Payment.objects.filter(terms=terms).count()
    with connection.cursor() as cursor:
        if terms.kind == BenefitKind.ONE_OFF:
            # Paid once, due the day the award started.
            cursor.execute(
                _SCHEDULE_SQL.format(due="a.started_on"),
                ["once", terms.amount, P.SCHEDULED, terms.pk, AwardStatus.ACTIVE, date(9999, 12, 31)],
            )
        else:
            for period, month, amount in terms.periods(year):
                after_first_month = date(year + month // 12, month % 12 + 1, 1)
                cursor.execute(
                    _SCHEDULE_SQL.format(due="%s"),
                    [
                        period,
                        amount,
                        date(year, month, 25),
                        P.SCHEDULED,
                        terms.pk,
                        AwardStatus.ACTIVE,
                        after_first_month,
                    ],
                )
    created = Payment.objects.filter(terms=terms).count() - before
    if created:
        changed(None)
        audit_log(
            actor=None,
            action="benefits.payments.scheduled",
            target=terms,
            data={"year": year, "count": created},
        )
    return created


def _reverification_open() -> Exists:
    """The payment's period has a re-verification still waiting for the resident or for staff: its
    instalment waits too (it continues once confirmed or continued; a stop cancels it)."""
    return Exists(
        Reverification.objects.filter(
            award=OuterRef("award"),
            period=OuterRef("period"),
            status__in=(ReverificationStatus.REQUESTED, ReverificationStatus.NEEDS_DECISION),
        )
    )


@transaction.atomic
def payment_approve(*, payment: Payment, actor: User | None, request: HttpRequest | None = None) -> Payment:
    """Approve one scheduled (or returned) payment: committed against the budget under its lock."""
    payment = payment_flow.lock(payment.pk)
    payment_flow.check(payment, P.APPROVED)
    if payment.award.status != AwardStatus.ACTIVE:
        raise BenefitsError("stopped", _("This benefit has been stopped."))
    if Payment.objects.filter(pk=payment.pk).filter(_reverification_open()).exists():
        raise BenefitsError(
            "reverification_open",
            _(
                "The re-verification of this period is not settled yet: the resident's answer or a "
                "decision is awaited."
            ),
        )
    terms = lock_terms(payment.terms_id)
    check_commitment(terms, payment.amount)
    return payment_flow.move(payment, P.APPROVED, actor=actor, request=request, approved_at=timezone.now())


@transaction.atomic
def payments_approve_due(
    *, terms: BenefitTerms, until: date, actor: User | None, district: District | None = None
) -> tuple[int, int]:
    """Approve the scheduled payments due by `until` (oldest first) as far as the budget goes.

    One statement under the budget lock: the running total (a window sum) picks the payments that fit.
    Returns (count, total). One audit event records the whole approval (with the count and total);
    each payment keeps its approval time.
    """
    terms = lock_terms(terms.pk)
    current = check_commitment(terms, 0)
    due = Payment.objects.filter(
        terms=terms, status=P.SCHEDULED, due_on__lte=until, award__status=AwardStatus.ACTIVE
    ).exclude(_reverification_open())
    if district is not None:
        due = due.filter(district=district)
    fitting = due.annotate(running=Window(Sum("amount"), order_by=[F("due_on").asc(), F("pk").asc()])).filter(
        running__lte=current.remaining
    )
    now = timezone.now()
    count = Payment.objects.filter(pk__in=fitting.values("pk"), status=P.SCHEDULED).update(
        status=P.APPROVED, approved_at=now
    )
    total = Payment.objects.filter(terms=terms, approved_at=now).aggregate(t=Sum("amount", default=0))["t"]
    if count:
        changed(district.pk if district else None)
        audit_log(
            actor=actor,
            action="benefits.payments.approved",
            target=terms,
            district=district,
            data={"count": count, "total": total, "until": until.isoformat()},
        )
    return count, total


# The one statement that puts payments into a batch. The status test is on the payment row itself, so
# on PostgreSQL a second batch built at the same moment waits for the first's row locks, re-reads the
# rows and skips every one the first already sent: no payment is ever in two batches.
_SEND_SQL = """
UPDATE benefits_payment SET status = %s, batch_id = %s, sent_at = %s
WHERE status = %s AND district_id = %s AND EXISTS (
    SELECT 1 FROM benefits_award a JOIN benefits_bankaccount b ON b.household_id = a.household_id
    WHERE a.id = benefits_payment.award_id AND a.status = %s
)
"""


@transaction.atomic
def batch_create(
    *, district: District, actor: User | None, request: HttpRequest | None = None
) -> PaymentBatch:
    """A batch of every approved payment of the district whose household gave a bank account.

    The payments are marked "sent" by the statement that puts them in the batch: exactly once.
    """
    batch = PaymentBatch.objects.create(district=district, created_by=actor)
    with connection.cursor() as cursor:
        cursor.execute(
            _SEND_SQL, [P.SENT, batch.pk, timezone.now(), P.APPROVED, district.pk, AwardStatus.ACTIVE]
        )
    sums = batch.payments.aggregate(count=models.Count("pk"), total=Sum("amount", default=0))
    if not sums["count"]:
        raise BenefitsError("nothing_to_send", _("No approved payment with a bank account is waiting."))
    batch.payment_count, batch.total = sums["count"], sums["total"]
    changed(district.pk)
    batch.save(update_fields=["payment_count", "total"])
    audit_log(
        actor=actor,
        action="benefits.batch.created",
        target=batch,
        district=district,
        request=request,
        data={"count": batch.payment_count, "total": batch.total},
    )
    return batch


@transaction.atomic
def payment_settle(
    *, payment: Payment, paid: bool, actor: User | None, reason: str = "", request: HttpRequest | None = None
) -> Payment:
    """What the bank reported for one sent payment: paid, or returned (with the bank's reason)."""
    payment = payment_flow.lock(payment.pk)
    if not paid and not reason.strip():
        raise BenefitsError("reason_required", _("Say why the bank returned the payment."))
    to = P.PAID if paid else P.RETURNED
    payment_flow.move(
        payment,
        to,
        actor=actor,
        request=request,
        settled_at=timezone.now(),
        return_reason=reason.strip()[:200],
    )
    tell(
        payment_flow,
        payment,
        f"benefits.payment.{to}",
        user=payment.award.household.user,
        amount=f"{payment.amount:,}",
        program=payment.terms.program.title,
    )
    return payment


@transaction.atomic
def batch_mark_paid(*, batch: PaymentBatch, actor: User | None, request: HttpRequest | None = None) -> int:
    """The bank confirmed the batch: every payment of it still "sent" is paid (returns recorded before
    stay returned). One audit event for the batch."""
    batch = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
    count = batch.payments.filter(status=P.SENT).update(status=P.PAID, settled_at=timezone.now())
    changed(batch.district_id)
    audit_log(
        actor=actor,
        action="benefits.batch.paid",
        target=batch,
        district=batch.district,
        request=request,
        data={"count": count},
    )
    return count


def payments_cancel_scheduled(*, award: Award, actor: User | None) -> int:
    """A stopped award's payments not yet sent are cancelled (call inside the stop's transaction)."""
    # Approved ones have not reached the bank yet either: they leave the budget commitment too.
    count = award.payments.filter(status__in=(P.SCHEDULED, P.APPROVED)).update(status=P.CANCELLED)
    if count:
        changed(award.district_id)
        audit_log(
            actor=actor,
            action="benefits.payments.cancelled",
            target=award,
            district=award.district,
            subject_user_id=award.household.user_id,
            data={"count": count},
        )
    return count
