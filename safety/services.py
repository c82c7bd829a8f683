"""Safety-kit requests, installation visits and stock: every business rule of the safety app.

Every state change is one transaction that locks the request row, checks the transition table, writes
the audit event and queues the resident's notification on commit (through the outbox).

Stock is the sum of the ledger (StockMovement) and is only ever changed with the item's KitStock row
locked: approvals lock the rows of all the request's items in item-id order (one fixed order, so two
approvals wanting the same items can never deadlock), sum the ledger under the lock and insert their
reservations before committing. Two simultaneous approvals therefore see each other's reservations, and
stock can never go below zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from households.models import Household, HousingTenure, IncomeSupport
from portal.audit import audit_log
from portal.models import District, User
from portal.notifications import notify
from programs.selectors import eligibility_for
from programs.services.applications import ApplicationError, applicant_household

from .models import (
    OPEN_STATUSES,
    OPEN_VISIT_STATUSES,
    RESERVING_STATUSES,
    InstallationVisit,
    KitItem,
    KitOffer,
    KitRequest,
    KitRequestItem,
    KitRequestStatus,
    KitStock,
    MovementKind,
    Priority,
    SatisfactionSurvey,
    Slot,
    StockMovement,
    VisitStatus,
)

S = KitRequestStatus

# Which status may follow which. Anything else is refused by _move, whoever asks (web, admin, API).
TRANSITIONS: dict[str, set[str]] = {
    S.SUBMITTED: {S.APPROVED, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.SCHEDULED, S.REJECTED, S.CANCELLED},
    # Back to approved when a visit fails: the stock stays reserved and a new visit is scheduled.
    S.SCHEDULED: {S.INSTALLED, S.APPROVED, S.REJECTED, S.CANCELLED},
    S.INSTALLED: set(),
    S.REJECTED: set(),
    S.CANCELLED: set(),
}
CANCELLABLE = {S.SUBMITTED, S.APPROVED, S.SCHEDULED}
STAFF_ACTIONS = {"approve": S.APPROVED, "reject": S.REJECTED}
MAX_WINDOWS = 3
# A request undecided for a week is overdue: the admin queue and the staff API can list those.
DECISION_PROMISE = timedelta(days=7)
RENTER_TENURES = {HousingTenure.JEONSE, HousingTenure.MONTHLY_RENT, HousingTenure.PUBLIC_RENTAL}
# Slot → the time window a scheduled visit in it usually gets (a suggestion for staff, not a rule).
SLOT_TIMES: dict[str, tuple[time, time]] = {
    Slot.MORNING: (time(9), time(12)),
    Slot.AFTERNOON: (time(13), time(18)),
    Slot.EVENING: (time(18), time(21)),
}


@dataclass
class SafetyError(ApplicationError):
    """A refusal the user can act on (same shape as the applications': stable `code`, translated
    `message`), so the API's error format and the pages' messages treat both alike."""


# --- helpers -----------------------------------------------------------------------------------------


def _locked(request_id: int) -> KitRequest:
    # of=("self",): lock the request row only, not the household and offer rows joined in.
    return (
        KitRequest.objects.select_for_update(of=("self",))
        .select_related("household__user", "district", "offer")
        .get(pk=request_id)
    )


def _move(
    kit_request: KitRequest,
    to: str,
    *,
    actor: User | None,
    request: HttpRequest | None = None,
    **fields: Any,
) -> KitRequest:
    """Change status on a row locked by the caller, refusing what TRANSITIONS does not allow."""
    if to not in TRANSITIONS[kit_request.status]:
        raise SafetyError(
            "invalid_transition",
            _("This request is %(status)s: it cannot be changed that way.")
            % {"status": kit_request.get_status_display()},
        )
    previous = kit_request.status
    kit_request.status = to
    for name, value in fields.items():
        setattr(kit_request, name, value)
    kit_request._history_user = actor
    kit_request.save()
    kit_request._event = audit_log(
        actor=actor,
        action=f"safety.kit_request.{to}",
        target=kit_request,
        request=request,
        subject_user_id=kit_request.household.user_id,
        district=kit_request.district,
        data={"from": previous, "to": to, "reference": kit_request.reference},
    )
    return kit_request


def _event(kit_request: KitRequest, action: str, *, actor: User | None, request=None, **data: Any) -> None:
    """An audit event for a change that is not a status move (a visit, a survey)."""
    kit_request._event = audit_log(
        actor=actor,
        action=action,
        target=kit_request,
        request=request,
        subject_user_id=kit_request.household.user_id,
        district=kit_request.district,
        data={"reference": kit_request.reference, **data},
    )


def _notify(kit_request: KitRequest, template: str, **context: Any) -> None:
    notify(
        user=kit_request.household.user,
        template=template,
        # The audit event of the change names it uniquely: one message per channel per event.
        event_key=f"kit_request:{kit_request.pk}:{template}:{kit_request._event.pk}",
        context={
            "reference": kit_request.reference or "",
            "reason": kit_request.decision_reason,
            "link": f"{settings.SITE_URL}/safety/requests/{kit_request.pk}/",
            **context,
        },
    )


def _own(kit_request: KitRequest, user: User) -> KitRequest:
    locked = _locked(kit_request.pk)
    if locked.household.user_id != user.pk:
        raise SafetyError("not_found", _("Request not found."))
    return locked


def priority_of(household: Household) -> int:
    """The priority group at submission: 수급자 first, then 차상위, then renters, then everyone else."""
    if household.income_support == IncomeSupport.BASIC_LIVELIHOOD:
        return Priority.BASIC_LIVELIHOOD
    if household.income_support == IncomeSupport.NEAR_POVERTY:
        return Priority.NEAR_POVERTY
    if household.housing_tenure in RENTER_TENURES:
        return Priority.RENTER
    return Priority.OTHER


def active_offer(district_id: int | None) -> KitOffer:
    offer = KitOffer.objects.select_related("program", "district").filter(district_id=district_id).first()
    if offer is None or not offer.is_active:
        raise SafetyError("no_offer", _("Your district is not taking safety kit requests now."))
    return offer


def clean_windows(windows: Any, *, today: date | None = None) -> list[dict[str, str]]:
    """Validate 1–3 preferred windows ({date, slot}); returns them normalised, or raises SafetyError."""
    today = today or timezone.localdate()
    if not isinstance(windows, list) or not windows:
        raise SafetyError("windows_required", _("Choose at least one preferred visit date and time."))
    if len(windows) > MAX_WINDOWS:
        raise SafetyError("too_many_windows", _("Choose at most 3 preferred visit times."))
    cleaned: list[dict[str, str]] = []
    for window in windows:
        if not isinstance(window, dict):
            raise SafetyError("invalid_window", _("Give each preferred time as a date and a time of day."))
        raw = window.get("date")
        day = window.get("date") if isinstance(raw, date) else None
        if day is None and isinstance(raw, str):
            try:
                day = parse_date(raw)
            except ValueError:  # well formed but impossible, e.g. 2026-02-30
                day = None
        if day is None:
            raise SafetyError("invalid_window", _("Enter each visit date as YYYY-MM-DD."))
        if window.get("slot") not in Slot.values:
            raise SafetyError(
                "invalid_window", _("Choose morning, afternoon or evening for each visit date.")
            )
        if day <= today:
            raise SafetyError("window_in_past", _("Choose visit dates from tomorrow on."))
        entry = {"date": day.isoformat(), "slot": window["slot"]}
        if entry in cleaned:
            raise SafetyError("invalid_window", _("Each preferred visit time must be different."))
        cleaned.append(entry)
    return cleaned


def _stock_rows(district_id: int, item_ids: Iterable[int]) -> dict[int, KitStock]:
    """Lock the KitStock rows of these items in item-id order: the one order every writer uses."""
    rows = KitStock.objects.select_for_update().filter(district_id=district_id, item_id__in=list(item_ids))
    return {row.item_id: row for row in rows.order_by("item_id")}


def _levels(district_id: int, item_ids: Iterable[int]) -> dict[int, int]:
    """What is available of each item: the ledger's sum. Read it with the KitStock rows locked."""
    sums = (
        StockMovement.objects.filter(district_id=district_id, item_id__in=list(item_ids))
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    return dict(sums)


def _queue_low_stock(district_id: int, item_id: int) -> None:
    from .tasks import alert_low_stock

    alert_low_stock.delay(district_id, item_id)


def _reserved(kit_request: KitRequest) -> dict[int, int]:
    """What this request holds now, per item (reservations are negative, releases positive)."""
    held = (
        StockMovement.objects.filter(request=kit_request)
        .values("item_id")
        .annotate(total=Sum("quantity"))
        .values_list("item_id", "total")
    )
    return {item_id: -total for item_id, total in held if total < 0}


def _release(kit_request: KitRequest, *, actor: User | None) -> None:
    """Give back what the request reserved (on rejection or cancellation): release movements."""
    held = _reserved(kit_request)
    if not held:
        return
    _stock_rows(kit_request.district_id, sorted(held))
    StockMovement.objects.bulk_create(
        StockMovement(
            district_id=kit_request.district_id,
            item_id=item_id,
            quantity=quantity,
            kind=MovementKind.RELEASE,
            request=kit_request,
            actor=actor,
        )
        for item_id, quantity in sorted(held.items())
    )


# --- resident operations -----------------------------------------------------------------------------


@transaction.atomic
def kit_request_submit(
    *,
    user: User,
    item_ids: list[int],
    windows: list[dict[str, Any]],
    request: HttpRequest | None = None,
) -> KitRequest:
    """Request the chosen items of the district's offer. Eligibility is judged and stored now;
    a request that does not (or may not) meet the criteria still goes to a caseworker, never refused
    by the system."""
    household = applicant_household(user)
    offer = active_offer(household.district_id)
    offered = set(offer.items.values_list("pk", flat=True))
    chosen = sorted({int(pk) for pk in item_ids})
    if not chosen:
        raise SafetyError("items_required", _("Choose at least one item."))
    if any(pk not in offered for pk in chosen):
        raise SafetyError("invalid_item", _("Choose only items your district offers."))
    if len(chosen) > offer.max_items:
        raise SafetyError(
            "too_many_items",
            _("Choose at most %(max)d items.") % {"max": offer.max_items},
        )
    cleaned_windows = clean_windows(windows)
    if KitRequest.objects.filter(household=household, status__in=OPEN_STATUSES).exists():
        raise SafetyError("duplicate", _("You already have an open safety kit request."))

    outcome = eligibility_for(program=offer.program, household=household) if offer.program_id else None
    now = timezone.now()
    kit_request = KitRequest(
        household=household,
        district_id=household.district_id,
        offer=offer,
        preferred_windows=cleaned_windows,
        priority=priority_of(household),
        submitted_at=now,
    )
    kit_request.record_eligibility(outcome)
    kit_request._history_user = user
    try:
        with transaction.atomic():
            kit_request.save()
            # The reference is the row's id under the year: unique without a shared counter to lock.
            kit_request.reference = f"KS-{timezone.localtime(now).year}-{kit_request.pk:06d}"
            kit_request.save(update_fields=["reference"])
    except IntegrityError as exc:  # the database's one-open-request rule, under a race
        raise SafetyError("duplicate", _("You already have an open safety kit request.")) from exc
    KitRequestItem.objects.bulk_create(KitRequestItem(request=kit_request, item_id=pk) for pk in chosen)
    _event(kit_request, "safety.kit_request.submitted", actor=user, request=request, items=chosen)
    _notify(kit_request, "safety.kit_request.submitted")
    return kit_request


@transaction.atomic
def kit_request_cancel(
    *, user: User, kit_request: KitRequest, request: HttpRequest | None = None
) -> KitRequest:
    kit_request = _own(kit_request, user)
    if kit_request.status not in CANCELLABLE:
        raise SafetyError(
            "invalid_transition",
            _("This request is %(status)s: it can no longer be cancelled.")
            % {"status": kit_request.get_status_display()},
        )
    if kit_request.status in RESERVING_STATUSES:
        _release(kit_request, actor=user)
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    _move(kit_request, S.CANCELLED, actor=user, request=request)
    _notify(kit_request, "safety.kit_request.cancelled")
    return kit_request


@transaction.atomic
def visit_reschedule_request(
    *, user: User, kit_request: KitRequest, note: str, request: HttpRequest | None = None
) -> InstallationVisit:
    """The resident cannot make the scheduled time: staff see the note and schedule another."""
    kit_request = _own(kit_request, user)
    note = note.strip()
    if not note:
        raise SafetyError("note_required", _("Say which days and times suit you better."))
    visit = (
        kit_request.visits.select_for_update().filter(status=VisitStatus.SCHEDULED).order_by("-id").first()
        if kit_request.status == S.SCHEDULED
        else None
    )
    if visit is None:
        raise SafetyError("invalid_transition", _("There is no scheduled visit to change."))
    visit.status = VisitStatus.RESCHEDULE_REQUESTED
    visit.resident_note = note[:2000]
    visit._history_user = user
    visit.save()
    _event(kit_request, "safety.visit.reschedule_requested", actor=user, request=request, visit=visit.pk)
    return visit


@transaction.atomic
def survey_submit(
    *, user: User, kit_request: KitRequest, rating: int, comment: str = ""
) -> SatisfactionSurvey:
    kit_request = _own(kit_request, user)
    if kit_request.status != S.INSTALLED:
        raise SafetyError("invalid_transition", _("The survey opens once your kit is installed."))
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise SafetyError("invalid_rating", _("Choose a rating from 1 to 5."))
    try:
        with transaction.atomic():
            survey = SatisfactionSurvey.objects.create(
                request=kit_request, rating=rating, comment=comment.strip()[:2000]
            )
    except IntegrityError as exc:
        raise SafetyError("duplicate", _("You have already answered the survey. Thank you.")) from exc
    _event(kit_request, "safety.survey.submitted", actor=user, rating=rating)
    return survey


# --- staff operations --------------------------------------------------------------------------------


@transaction.atomic
def kit_request_approve(
    *, kit_request: KitRequest, actor: User | None, request: HttpRequest | None = None
) -> KitRequest:
    """Approve and reserve one of each requested item from the district's stock, or refuse
    ("out_of_stock", naming the item) when any of them has none left."""
    kit_request = _locked(kit_request.pk)
    # Only from "submitted": the table's scheduled → approved move is a failed visit's, not a decision.
    if kit_request.status != S.SUBMITTED:
        raise SafetyError(
            "invalid_transition",
            _("This request is %(status)s: it cannot be changed that way.")
            % {"status": kit_request.get_status_display()},
        )
    item_ids = sorted(kit_request.items.values_list("item_id", flat=True))
    rows = _stock_rows(kit_request.district_id, item_ids)
    levels = _levels(kit_request.district_id, item_ids)
    short = [pk for pk in item_ids if pk not in rows or levels.get(pk, 0) < 1]
    if short:
        names = ", ".join(
            str(item) for item in KitItem.objects.filter(pk__in=short).order_by("position", "pk")
        )
        raise SafetyError(
            "out_of_stock",
            _("Out of stock in this district: %(items)s. Record a receipt, or approve later.")
            % {"items": names},
        )
    StockMovement.objects.bulk_create(
        StockMovement(
            district_id=kit_request.district_id,
            item_id=pk,
            quantity=-1,
            kind=MovementKind.RESERVATION,
            request=kit_request,
            actor=actor,
        )
        for pk in item_ids
    )
    _move(kit_request, S.APPROVED, actor=actor, request=request, decided_at=timezone.now(), decided_by=actor)
    _notify(kit_request, "safety.kit_request.approved")
    for pk in item_ids:
        if levels.get(pk, 0) - 1 <= rows[pk].low_stock_threshold:
            transaction.on_commit(lambda pk=pk: _queue_low_stock(kit_request.district_id, pk))
    return kit_request


@transaction.atomic
def kit_request_reject(
    *, kit_request: KitRequest, actor: User, reason: str, request: HttpRequest | None = None
) -> KitRequest:
    reason = reason.strip()
    if not reason:
        raise SafetyError("reason_required", _("Give a reason: the resident will read it."))
    kit_request = _locked(kit_request.pk)
    if S.REJECTED not in TRANSITIONS[kit_request.status]:
        raise SafetyError(
            "invalid_transition",
            _("This request is %(status)s: it cannot be changed that way.")
            % {"status": kit_request.get_status_display()},
        )
    if kit_request.status in RESERVING_STATUSES:
        _release(kit_request, actor=actor)
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    _move(
        kit_request,
        S.REJECTED,
        actor=actor,
        request=request,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_reason=reason,
    )
    _notify(kit_request, "safety.kit_request.rejected")
    return kit_request


def kit_request_decide(
    *, kit_request: KitRequest, action: str, actor: User, reason: str = "", request: HttpRequest | None = None
) -> KitRequest:
    if action == "approve":
        return kit_request_approve(kit_request=kit_request, actor=actor, request=request)
    if action == "reject":
        return kit_request_reject(kit_request=kit_request, actor=actor, reason=reason, request=request)
    raise SafetyError("invalid_action", _("Unknown action."))


def _window_text(visit: InstallationVisit) -> str:
    return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"


@transaction.atomic
def visit_schedule(
    *,
    kit_request: KitRequest,
    actor: User,
    date: date,
    window_start: time,
    window_end: time,
    installer: str,
    request: HttpRequest | None = None,
) -> InstallationVisit:
    """Schedule (or re-schedule) the installation visit; an earlier open visit is replaced."""
    installer = installer.strip()
    if not installer:
        raise SafetyError("installer_required", _("Name the installer."))
    if window_end <= window_start:
        raise SafetyError("invalid_window", _("The visit window must end after it starts."))
    if date < timezone.localdate():
        raise SafetyError("window_in_past", _("Choose a visit date from today on."))
    kit_request = _locked(kit_request.pk)
    if kit_request.status not in RESERVING_STATUSES:
        raise SafetyError(
            "invalid_transition",
            _("Only an approved request gets a visit: this one is %(status)s.")
            % {"status": kit_request.get_status_display()},
        )
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    visit = InstallationVisit(
        request=kit_request,
        date=date,
        window_start=window_start,
        window_end=window_end,
        installer=installer[:100],
    )
    visit._history_user = actor
    visit.save()
    if kit_request.status == S.APPROVED:
        _move(kit_request, S.SCHEDULED, actor=actor, request=request)
    _event(kit_request, "safety.visit.scheduled", actor=actor, request=request, visit=visit.pk)
    _notify(
        kit_request,
        "safety.visit.scheduled",
        date=f"{visit.date:%Y-%m-%d}",
        window=_window_text(visit),
        installer=visit.installer,
    )
    return visit


@transaction.atomic
def visit_complete(
    *,
    visit: InstallationVisit,
    actor: User,
    installed: bool,
    note: str = "",
    failure_reason: str = "",
    request: HttpRequest | None = None,
) -> InstallationVisit:
    """Record the visit's outcome: installed (the request is done) or failed (reason; the request
    returns to "approved" with its stock still reserved, for a new visit)."""
    kit_request = _locked(visit.request_id)
    visit = InstallationVisit.objects.select_for_update().get(pk=visit.pk)
    if visit.status not in OPEN_VISIT_STATUSES or kit_request.status != S.SCHEDULED:
        raise SafetyError("invalid_transition", _("This visit is already closed."))
    failure_reason = failure_reason.strip()
    if not installed and not failure_reason:
        raise SafetyError("reason_required", _("Say why the installation failed."))
    visit.status = VisitStatus.INSTALLED if installed else VisitStatus.FAILED
    visit.note = note.strip()[:2000]
    visit.failure_reason = "" if installed else failure_reason[:2000]
    visit._history_user = actor
    visit.save()
    if installed:
        _move(kit_request, S.INSTALLED, actor=actor, request=request)
        _notify(kit_request, "safety.kit_request.installed")
    else:
        _move(kit_request, S.APPROVED, actor=actor, request=request, decision_reason="")
        _event(kit_request, "safety.visit.failed", actor=actor, request=request, visit=visit.pk)
        _notify(kit_request, "safety.visit.failed", reason=visit.failure_reason)
    return visit


# --- stock -------------------------------------------------------------------------------------------


def _stock_row(district: District, item: KitItem) -> KitStock:
    KitStock.objects.get_or_create(district=district, item=item)
    return KitStock.objects.select_for_update().get(district=district, item=item)


@transaction.atomic
def stock_receive(
    *, district: District, item: KitItem, quantity: int, actor: User | None, reason: str = ""
) -> StockMovement:
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
        raise SafetyError("invalid_quantity", _("Enter how many arrived: a whole number of at least 1."))
    _stock_row(district, item)
    movement = StockMovement.objects.create(
        district=district,
        item=item,
        quantity=quantity,
        kind=MovementKind.RECEIPT,
        reason=reason.strip(),
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="safety.stock.received",
        target=movement,
        district=district,
        data={"item": item.code, "quantity": quantity},
    )
    return movement


@transaction.atomic
def stock_adjust(
    *, district: District, item: KitItem, quantity: int, actor: User | None, reason: str
) -> StockMovement:
    """A correction after a count (lost, damaged, found): signed, with a reason; never below zero."""
    reason = reason.strip()
    if not reason:
        raise SafetyError("reason_required", _("Say why the stock is adjusted."))
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity == 0:
        raise SafetyError("invalid_quantity", _("Enter the change as a whole number, e.g. -2 or 3."))
    _stock_row(district, item)
    available = _levels(district.pk, [item.pk]).get(item.pk, 0)
    if available + quantity < 0:
        raise SafetyError(
            "negative_stock",
            _("Only %(available)d of %(item)s are available: the adjustment would make stock negative.")
            % {"available": available, "item": item},
        )
    movement = StockMovement.objects.create(
        district=district,
        item=item,
        quantity=quantity,
        kind=MovementKind.ADJUSTMENT,
        reason=reason,
        actor=actor,
    )
    audit_log(
        actor=actor,
        action="safety.stock.adjusted",
        target=movement,
        district=district,
        data={"item": item.code, "quantity": quantity, "reason": reason},
    )
    return movement


def stock_low_alert(*, district_id: int, item_id: int, on: date | None = None) -> int:
    """Tell the district's caseworkers and managers that an item is running low; at most once a day
    per district and item (the event key names the day). Returns how many staff were told."""
    stock = (
        KitStock.objects.select_related("district", "item")
        .filter(district_id=district_id, item_id=item_id)
        .first()
    )
    if stock is None:
        return 0
    available = _levels(district_id, [item_id]).get(item_id, 0)
    if available > stock.low_stock_threshold:
        return 0
    day = on or timezone.localdate()
    staff = User.objects.filter(
        district_id=district_id,
        is_active=True,
        is_staff=True,
        role__in=[User.Role.CASEWORKER, User.Role.DISTRICT_MANAGER],
    ).order_by("pk")
    told = 0
    with transaction.atomic():
        for user in staff:
            told += bool(
                notify(
                    user=user,
                    template="safety.stock.low",
                    event_key=f"safety-low-stock:{district_id}:{item_id}:{day:%Y%m%d}:{user.pk}",
                    context={
                        "item": str(stock.item),
                        "district": str(stock.district),
                        "available": available,
                        "link": f"{settings.SITE_URL}/admin/safety/kitstock/{stock.pk}/change/",
                    },
                )
            )
    return told
