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
        for app in scoped(_applications(household))[:limit]:
            rows.append(
                ContextRow(
                    SubjectKind.APPLICATION,
                    app.pk,
                    f"{app.reference or ''} {app.program}".strip(),
                    app.get_status_display(),
                )
            )
        for booking in scoped(_bookings(household))[:limit]:
            start = timezone.localtime(booking.starts_at)
            rows.append(
                ContextRow(
                    SubjectKind.BOOKING,
                    booking.pk,
                    f"{booking.room.space} · {booking.room} · {start:%Y-%m-%d %H:%M}",
                    booking.get_status_display(),
                )
            )
        for kit in scoped(_kit_requests(household))[:limit]:
            rows.append(ContextRow(SubjectKind.KIT_REQUEST, kit.pk, str(kit), kit.get_status_display()))
    for parcel in scoped(_parcels(user))[:limit]:
        rows.append(
            ContextRow(
                SubjectKind.PARCEL,
                parcel.pk,
                f"{parcel.reference or ''} {parcel.compartment.site}".strip(),
                parcel.get_status_display(),
            )
        )
    return rows


def subject_of(user: User, kind: str, pk: int) -> ContextRow | None:
    """One of the resident's own records under way, or None (someone else's, or no longer under way)."""
    for row in resident_context(user, limit=50):
        if row.kind == kind and row.pk == pk:
            return row
    return None


def inquiries_of(user: User) -> QuerySet[Inquiry]:
    return Inquiry.objects.filter(user=user, anonymized_at__isnull=True).order_by("-received_at")


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
