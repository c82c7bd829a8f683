"""No-show bans: the district's policy bans a household after repeated no-shows; staff may lift a ban."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import User
from portal.notifications import notify
from portal.timeutils import to_local

from ..models import Booking, BookingPolicy, BookingStatus, Suspension


def ban_due(*, no_shows: QuerySet, bans: QuerySet, limit: int, window_days: int, now: datetime) -> bool:
    """The no-show rule itself, shared by every kind of booking that bans (rooms here, counselling in
    care): True when the household has no ban in force and has `limit` no-shows that started within
    `window_days`. No-shows marked before its last ban began do not count again: each ban needs a fresh
    run of no-shows.

    `no_shows`: the household's no-shows in the district (rows with starts_at and attendance_marked_at);
    `bans`: all its bans there, lifted or not (rows with created_at, ends_at and lifted_at)."""
    if bans.filter(lifted_at__isnull=True, ends_at__gt=now).exists():
        return False
    last_ban = bans.order_by("-created_at").values_list("created_at", flat=True).first()
    counted = no_shows.filter(starts_at__gte=now - timedelta(days=window_days))
    if last_ban is not None:
        counted = counted.filter(attendance_marked_at__gt=last_ban)
    return counted.count() >= limit


def apply_no_show_rule(booking: Booking, *, actor: User, request: HttpRequest | None) -> Suspension | None:
    """Ban the household after `no_show_limit` no-shows within the window. No-shows before its last ban
    began do not count again: each ban needs a fresh run of no-shows."""
    policy = BookingPolicy.for_district(booking.district_id)
    now = timezone.now()
    if not ban_due(
        no_shows=Booking.objects.filter(
            household_id=booking.household_id, district_id=booking.district_id, status=BookingStatus.NO_SHOW
        ),
        bans=Suspension.objects.filter(household_id=booking.household_id, district_id=booking.district_id),
        limit=policy.no_show_limit,
        window_days=policy.no_show_window_days,
        now=now,
    ):
        return None
    suspension = Suspension.objects.create(
        household_id=booking.household_id,
        district_id=booking.district_id,
        starts_at=now,
        ends_at=now + timedelta(days=policy.ban_days),
        reason=_("%(count)d no-shows within %(days)d days")
        % {"count": policy.no_show_limit, "days": policy.no_show_window_days},
    )
    event = audit_log(
        actor=actor,
        action="booking.suspended",
        target=suspension,
        subject_user_id=booking.household.user_id,
        district=booking.district,
        request=request,
        data={"until": suspension.ends_at.isoformat()},
    )
    notify(
        user=booking.household.user,
        template="booking.suspended",
        event_key=f"suspension:{suspension.pk}:created:{event.pk}",
        context={
            "until": f"{to_local(suspension.ends_at):%Y-%m-%d}",
            "count": policy.no_show_limit,
            "link": f"{settings.SITE_URL}/spaces/bookings/",
        },
    )
    return suspension


def suspension_lift(*, actor: User, suspension_id: int, request: HttpRequest | None = None) -> Suspension:
    """The staff override: the household may book again at once."""
    with transaction.atomic():
        suspension = (
            Suspension.objects.select_for_update(of=("self",))
            .select_related("household__user")
            .get(pk=suspension_id)
        )
        if suspension.lifted_at is not None:
            return suspension
        suspension.lifted_at = timezone.now()
        suspension.lifted_by = actor
        suspension._history_user = actor
        suspension.save(update_fields=["lifted_at", "lifted_by"])
        event = audit_log(
            actor=actor,
            action="booking.suspension_lifted",
            target=suspension,
            subject_user_id=suspension.household.user_id,
            district=suspension.district,
            request=request,
        )
        notify(
            user=suspension.household.user,
            template="booking.suspension_lifted",
            event_key=f"suspension:{suspension.pk}:lifted:{event.pk}",
            context={"link": f"{settings.SITE_URL}/spaces/"},
        )
    return suspension
