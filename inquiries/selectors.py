"""Reads of the inquiries app: the resident's own records an inquiry may be about (the web form's choices
and the caseworker's context panel), the staff queue and the resident's threads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from households.models import Household
from lockers.models import IN_COMPARTMENT, Delivery
from portal.models import User
from programs.models import ACTIVE_STATUSES as APPLICATION_ACTIVE
from programs.models import Application, ApplicationStatus
from safety.models import OPEN_STATUSES as KIT_OPEN
from safety.models import KitRequest
from spaces.models import UPCOMING_STATUSES, Booking

from .clock import working_seconds_left
from .models import OPEN_STATUSES, Inquiry, SubjectKind

CONTEXT_LIMIT = 5  # rows per kind in the context panel: the newest, the panel links to the rest


@dataclass(frozen=True)
class ContextRow:
    kind: str
    pk: int
    label: str
    status: str


def _applications(household: Household) -> QuerySet:
    return (
        Application.objects.filter(household=household, status__in=APPLICATION_ACTIVE)
        .exclude(status=ApplicationStatus.COMPLETED)
        .select_related("program")
        .order_by("-pk")
    )


def _bookings(household: Household) -> QuerySet:
    return (
        Booking.objects.filter(household=household, status__in=UPCOMING_STATUSES, ends_at__gte=timezone.now())
        .select_related("room__space")
        .order_by("starts_at")
    )


def _kit_requests(household: Household) -> QuerySet:
    return (
        KitRequest.objects.filter(household=household, status__in=KIT_OPEN)
        .select_related("offer")
        .order_by("-pk")
    )


def _parcels(user: User) -> QuerySet:
    return (
        Delivery.objects.filter(recipient=user, status__in=IN_COMPARTMENT)
        .select_related("compartment__site")
        .order_by("-pk")
    )


def _application_row(app: Application) -> ContextRow:
    label = f"{app.reference or ''} {app.program}".strip()
    return ContextRow(SubjectKind.APPLICATION, app.pk, label, app.get_status_display())


def _booking_row(booking: Booking) -> ContextRow:
    start = timezone.localtime(booking.starts_at)
    label = f"{booking.room.space} · {booking.room} · {start:%Y-%m-%d %H:%M}"
    return ContextRow(SubjectKind.BOOKING, booking.pk, label, booking.get_status_display())


def _kit_row(kit: KitRequest) -> ContextRow:
    return ContextRow(SubjectKind.KIT_REQUEST, kit.pk, str(kit), kit.get_status_display())


def _parcel_row(parcel: Delivery) -> ContextRow:
    label = f"{parcel.reference or ''} {parcel.compartment.site}".strip()
    return ContextRow(SubjectKind.PARCEL, parcel.pk, label, parcel.get_status_display())


def resident_context(
    user: User | None, *, viewer: User | None = None, limit: int = CONTEXT_LIMIT
) -> list[ContextRow]:
    """The resident's records under way (open applications, upcoming bookings, open kit requests, parcels
    waiting): what an inquiry may be about, and, for a staff `viewer`, those of the viewer's district
    beside the inquiry (another district's records stay out of sight, as everywhere). A fixed number of
    queries whatever the counts (one per kind)."""
    if user is None:
        return []

    def scoped(queryset: QuerySet) -> QuerySet:
        return queryset.visible_to(viewer) if viewer is not None else queryset

    household = Household.objects.filter(user=user).first()
    rows: list[ContextRow] = []
    if household is not None:
        rows += [_application_row(app) for app in scoped(_applications(household))[:limit]]
        rows += [_booking_row(booking) for booking in scoped(_bookings(household))[:limit]]
        rows += [_kit_row(kit) for kit in scoped(_kit_requests(household))[:limit]]
    rows += [_parcel_row(parcel) for parcel in scoped(_parcels(user))[:limit]]
    return rows


# A record id longer than this is no record of ours (and would overflow the database's integers).
MAX_ID_DIGITS = 18


def subject_of(user: User, kind: str, pk: int | None) -> ContextRow | None:
    """One of the resident's own records of `kind` (any status: a decided application or a collected
    parcel may well be what they ask about), or None: someone else's, unknown, or not a kind at all.
    One query."""
    if kind not in SubjectKind.values or not isinstance(pk, int) or not 0 < pk < 10**MAX_ID_DIGITS:
        return None
    if kind == SubjectKind.PARCEL:
        parcel = Delivery.objects.filter(recipient=user, pk=pk).select_related("compartment__site").first()
        return _parcel_row(parcel) if parcel else None
    owned = {"household__user": user, "pk": pk}
    if kind == SubjectKind.APPLICATION:
        app = Application.objects.filter(**owned).select_related("program").first()
        return _application_row(app) if app else None
    if kind == SubjectKind.BOOKING:
        booking = Booking.objects.filter(**owned).select_related("room__space").first()
        return _booking_row(booking) if booking else None
    kit = KitRequest.objects.filter(**owned).select_related("offer").first()
    return _kit_row(kit) if kit else None


def subject_from_param(user: User, raw: str | None) -> ContextRow | None:
    """The record a "kind:id" parameter (e.g. ?about=booking:12) names, if it is the resident's own; any
    other value — malformed, too long, someone else's — is None, without a word about why."""
    kind, _sep, pk = (raw or "")[:64].partition(":")
    if not (pk.isascii() and pk.isdigit()) or len(pk) > MAX_ID_DIGITS:
        return None
    return subject_of(user, kind, int(pk))


def inquiries_of(user: User) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(user=user, anonymized_at__isnull=True).order_by("-received_at")


def threads_about(user: User, kind: str, ids) -> dict[int, list[Inquiry]]:
    """The resident's own inquiries about records of `kind` with these ids, by record id, newest first:
    the "your questions about this" links of the record pages. One query whatever the number of ids."""
    wanted = [pk for pk in ids if isinstance(pk, int)]
    found: dict[int, list[Inquiry]] = {}
    if not wanted or kind not in SubjectKind.values or user is None or not user.is_authenticated:
        return found
    for inquiry in inquiries_of(user).filter(subject_kind=kind, subject_id__in=wanted):
        found.setdefault(inquiry.subject_id, []).append(inquiry)
    return found


def queue_for(staff: User) -> QuerySet[Inquiry]:
    """The staff member's district's open inquiries, the soonest due first (the partial queue index)."""
    return (
        Inquiry.objects.visible_to(staff)
        .filter(status__in=OPEN_STATUSES)
        .select_related("district", "team", "user__household")
        .order_by("due_at", "pk")
    )


def time_left(inquiry: Inquiry, now: datetime | None = None) -> int:
    """Working seconds until the answer is due; negative once overdue. Zero once answered or closed."""
    if inquiry.status not in OPEN_STATUSES:
        return 0
    return working_seconds_left(now or timezone.now(), inquiry.due_at)
