"""Kit requests: the resident's request, cancellation and survey; the staff's decision.

Approving reserves one of each requested item from the district's stock (safety.services.stock); every
move goes through the kit request workflow (safety.services.base.kit_request_flow).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from households.models import Household, IncomeSupport
from households.services import applicant_household
from portal.models import User
from portal.timeutils import is_supported, local_today, to_local, unsupported_date_message
from programs.selectors import eligibility_for

from ..models import (
    OPEN_STATUSES,
    OPEN_VISIT_STATUSES,
    RESERVING_STATUSES,
    KitItem,
    KitOffer,
    KitRequest,
    KitRequestItem,
    MovementKind,
    Priority,
    SatisfactionSurvey,
    Slot,
    StockMovement,
    VisitStatus,
)
from .base import (
    CANCELLABLE,
    MAX_WINDOWS,
    RENTER_TENURES,
    S,
    SafetyError,
    kit_request_flow,
    own_request,
    tell_resident,
)
from .stock import levels, lock_stock_rows, queue_low_stock, release


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


def clean_windows(
    windows: Any, *, today: date | None = None, horizon_days: int | None = None
) -> list[dict[str, str]]:
    """Validate 1–3 preferred windows ({date, slot}), from tomorrow to the district's visit horizon
    (KitOffer.visit_horizon_days); returns them normalised, or raises SafetyError."""
    today = today or local_today()
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
                day = parse_date(raw)  # range: checked below
            except ValueError:  # well formed but impossible, e.g. 2026-02-30
                day = None
        if day is None:
            raise SafetyError("invalid_window", _("Enter each visit date as YYYY-MM-DD."))
        if not is_supported(day):
            raise SafetyError("invalid_window", unsupported_date_message())
        if window.get("slot") not in Slot.values:
            raise SafetyError(
                "invalid_window", _("Choose morning, afternoon or evening for each visit date.")
            )
        if day <= today:
            raise SafetyError("window_in_past", _("Choose visit dates from tomorrow on."))
        if horizon_days is not None and day > today + timedelta(days=horizon_days):
            raise SafetyError(
                "window_too_far",
                _(
                    "Choose visit dates within the next %(days)d days: "
                    "the district plans visits that far ahead."
                )
                % {"days": horizon_days},
            )
        entry = {"date": day.isoformat(), "slot": window["slot"]}
        if entry in cleaned:
            raise SafetyError("invalid_window", _("Each preferred visit time must be different."))
        cleaned.append(entry)
    return cleaned


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
    cleaned_windows = clean_windows(windows, horizon_days=offer.visit_horizon_days)
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
            kit_request.reference = f"KS-{to_local(now).year}-{kit_request.pk:06d}"
            kit_request.save(update_fields=["reference"])
    except IntegrityError as exc:  # the database's one-open-request rule, under a race
        raise SafetyError("duplicate", _("You already have an open safety kit request.")) from exc
    KitRequestItem.objects.bulk_create(KitRequestItem(request=kit_request, item_id=pk) for pk in chosen)
    kit_request_flow.record(
        kit_request, "safety.kit_request.submitted", actor=user, request=request, items=chosen
    )
    tell_resident(kit_request, "safety.kit_request.submitted")
    return kit_request


@transaction.atomic
def kit_request_cancel(
    *, user: User, kit_request: KitRequest, request: HttpRequest | None = None
) -> KitRequest:
    kit_request = own_request(kit_request, user)
    if kit_request.status not in CANCELLABLE:
        raise SafetyError(
            "invalid_transition",
            _("This request is %(status)s: it can no longer be cancelled.")
            % {"status": kit_request.get_status_display()},
        )
    if kit_request.status in RESERVING_STATUSES:
        release(kit_request, actor=user)
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    kit_request_flow.move(kit_request, S.CANCELLED, actor=user, request=request)
    tell_resident(kit_request, "safety.kit_request.cancelled")
    return kit_request


@transaction.atomic
def survey_submit(
    *, user: User, kit_request: KitRequest, rating: int, comment: str = ""
) -> SatisfactionSurvey:
    kit_request = own_request(kit_request, user)
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
    kit_request_flow.record(kit_request, "safety.survey.submitted", actor=user, rating=rating)
    return survey


# --- staff operations --------------------------------------------------------------------------------


@transaction.atomic
def kit_request_approve(
    *, kit_request: KitRequest, actor: User | None, request: HttpRequest | None = None
) -> KitRequest:
    """Approve and reserve one of each requested item from the district's stock, or refuse
    ("out_of_stock", naming the item) when any of them has none left."""
    kit_request = kit_request_flow.lock(kit_request.pk)
    # Only from "submitted": the table's scheduled → approved move is a failed visit's, not a decision.
    if kit_request.status != S.SUBMITTED:
        raise kit_request_flow.refusal(kit_request)
    item_ids = sorted(kit_request.items.values_list("item_id", flat=True))
    rows = lock_stock_rows(kit_request.district_id, item_ids)
    available = levels(kit_request.district_id, item_ids)
    short = [pk for pk in item_ids if pk not in rows or available.get(pk, 0) < 1]
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
    kit_request_flow.move(
        kit_request, S.APPROVED, actor=actor, request=request, decided_at=timezone.now(), decided_by=actor
    )
    tell_resident(kit_request, "safety.kit_request.approved")
    for pk in item_ids:
        if available.get(pk, 0) - 1 <= rows[pk].low_stock_threshold:
            queue_low_stock(kit_request.district_id, pk)
    return kit_request


@transaction.atomic
def kit_request_reject(
    *, kit_request: KitRequest, actor: User, reason: str, request: HttpRequest | None = None
) -> KitRequest:
    reason = reason.strip()
    if not reason:
        raise SafetyError("reason_required", _("Give a reason: the resident will read it."))
    kit_request = kit_request_flow.lock(kit_request.pk)
    kit_request_flow.check(kit_request, S.REJECTED)  # before releasing anything
    if kit_request.status in RESERVING_STATUSES:
        release(kit_request, actor=actor)
    kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES).update(status=VisitStatus.REPLACED)
    kit_request_flow.move(
        kit_request,
        S.REJECTED,
        actor=actor,
        request=request,
        decided_at=timezone.now(),
        decided_by=actor,
        decision_reason=reason,
    )
    tell_resident(kit_request, "safety.kit_request.rejected")
    return kit_request


def kit_request_decide(
    *, kit_request: KitRequest, action: str, actor: User, reason: str = "", request: HttpRequest | None = None
) -> KitRequest:
    if action == "approve":
        return kit_request_approve(kit_request=kit_request, actor=actor, request=request)
    if action == "reject":
        return kit_request_reject(kit_request=kit_request, actor=actor, reason=reason, request=request)
    raise SafetyError("invalid_action", _("Unknown action."))
