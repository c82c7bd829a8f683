"""Counselling no-show bans: no-shows are counted like rooms' (the rule is spaces' ban_due, shared, not
copied), under care's own policy (settings.CARE_NO_SHOW_*), and ban booking counselling — not rooms —
in the district. Staff lift a ban early in the admin (audited, the resident told)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.audit import audit_log
from portal.models import User
from portal.notifications import notify
from portal.timeutils import to_local
from spaces.services.suspensions import ban_due

from ..models import Appointment, AppointmentStatus, CounsellingBan
from .errors import CareBanned, CareError


def active_ban(household_id: int, district_id: int | None = None, now: datetime | None = None):
    """The household's ban in force (in the district, or in any when None), the longest first; else None."""
    now = now or timezone.now()
    bans = CounsellingBan.objects.filter(
        household_id=household_id, lifted_at__isnull=True, starts_at__lte=now, ends_at__gt=now
    )
    if district_id is not None:
        bans = bans.filter(district_id=district_id)
    return bans.order_by("-ends_at").first()


def ban_message(ban: CounsellingBan) -> str:
    """Why the resident cannot book, and until when (their local date)."""
    return _(
        "After repeated missed appointments you cannot book counselling until %(date)s. "
        "Contact the counselling centre if you think this is a mistake."
    ) % {"date": date_format(to_local(ban.ends_at).date(), "SHORT_DATE_FORMAT")}


def refuse_if_banned(household_id: int, district_id: int, now: datetime | None = None) -> None:
    ban = active_ban(household_id, district_id, now)
    if ban is not None:
        raise CareBanned(ban_message(ban), until=ban.ends_at.isoformat())


def apply_no_show_rule(
    appointment: Appointment, *, actor: User, request: HttpRequest | None
) -> CounsellingBan | None:
    """Ban the household from booking counselling after CARE_NO_SHOW_LIMIT no-shows within
    CARE_NO_SHOW_WINDOW_DAYS (spaces' rule: no ban in force, each ban needs a fresh run of no-shows)."""
    now = timezone.now()
    where = {"household_id": appointment.household_id, "district_id": appointment.district_id}
    limit, window = settings.CARE_NO_SHOW_LIMIT, settings.CARE_NO_SHOW_WINDOW_DAYS
    if not ban_due(
        no_shows=Appointment.objects.filter(**where, status=AppointmentStatus.NO_SHOW),
        bans=CounsellingBan.objects.filter(**where),
        limit=limit,
        window_days=window,
        now=now,
    ):
        return None
    ban = CounsellingBan.objects.create(
        **where,
        starts_at=now,
        ends_at=now + timedelta(days=settings.CARE_NO_SHOW_BAN_DAYS),
        reason=_("%(count)d no-shows within %(days)d days") % {"count": limit, "days": window},
    )
    user = appointment.household.user
    event = audit_log(
        actor=actor,
        action="care.ban.created",
        target=ban,
        subject_user_id=user.pk,
        district=appointment.district,
        request=request,
        data={"until": ban.ends_at.isoformat(), "reference": appointment.reference},
    )
    notify(
        user=user,
        template="care.no_show_ban",
        event_key=f"care.ban:{ban.pk}:created:{event.pk}",
        context={
            "until": f"{to_local(ban.ends_at):%Y-%m-%d}",
            "count": limit,
            "link": f"{settings.SITE_URL}/care/appointments/",
        },
    )
    return ban


def ban_lift(*, actor: User, ban_id: int, request: HttpRequest | None = None) -> CounsellingBan:
    """The staff override: the household may book counselling again at once. Only a ban the actor's
    district scope covers can be lifted; lifting a lifted ban changes nothing."""
    with transaction.atomic():
        ban = (
            CounsellingBan.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("household__user", "district")
            .filter(pk=ban_id)
            .first()
        )
        if ban is None:
            raise CareError("not_found", _("No such ban."))
        if ban.lifted_at is not None:
            return ban
        ban.lifted_at, ban.lifted_by = timezone.now(), actor
        ban.save(update_fields=["lifted_at", "lifted_by"])
        event = audit_log(
            actor=actor,
            action="care.ban.lifted",
            target=ban,
            subject_user_id=ban.household.user_id,
            district=ban.district,
            request=request,
        )
        notify(
            user=ban.household.user,
            template="care.no_show_ban_lifted",
            event_key=f"care.ban:{ban.pk}:lifted:{event.pk}",
            context={"link": f"{settings.SITE_URL}/care/"},
        )
    return ban
