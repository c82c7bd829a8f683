"""Caching of dashboard panels, invalidated by data versions.

Why versions rather than deleting entries: a panel is cached per (scope, district, period), so the
entries a change makes stale cannot be listed. Instead every panel's key includes two *data versions*
of its topic: the district's and a global one. post_save / post_delete of the source models bump the
version of the row's district (and of "all", which the city-wide view reads); a change whose district is
not known without a query (an opening-hours row, a program's title) bumps the topic's global version.
A bumped version makes every key that included it unreachable, so the next read recomputes; the old
entries simply expire. A change to one topic (an application) leaves the other panels (the expensive
household counts over a whole district) cached.

Correctness before speed:
- The version is bumped at once (so the same request or transaction sees its own change) and again
  when the transaction commits, so a reader that recomputed from the not-yet-committed state in between
  cannot keep serving it.
- A version key that was evicted is re-created with a fresh random value, never 1 again, so an old
  entry can never be mistaken for current.
- Writes that bypass signals (QuerySet.update(), bulk_create(): a booking series cancelled at once,
  stock released in bulk) and the one figure that moves with the clock (applications waiting more than
  48 hours *now*) are covered by a short TTL: no panel is ever served more than PANEL_TIMEOUT old.
  Each panel shows the time it was computed.
- The cache is Django's default cache: Redis in production, shared by every web and worker process.
  (The embedded default's in-memory cache is per process, which is right for its single process.)
- A cache failure never fails the write that triggered it: the bump is skipped and the TTL bounds it.

Signals are connected in PortalConfig.ready(), so every process that writes (web, Celery worker, beat,
management commands) bumps the versions.
"""

from __future__ import annotations

import logging
import secrets
from functools import partial

from django.core.cache import cache
from django.db import router, transaction
from django.db.models.signals import post_delete, post_save

from portal.models import User

from .selectors import PANELS, Period

logger = logging.getLogger(__name__)

PANEL_TIMEOUT = 300  # seconds: the longest a panel may lag behind a write that sent no signal
VERSION_TIMEOUT = None  # versions never expire (an evicted one is re-created with a fresh value)
TOPICS = tuple(PANELS)
ALL = "all"
GLOBAL = "global"


def _version_key(topic: str, where: int | str) -> str:
    return f"dashboard:v:{topic}:{where}"


def _fresh() -> int:
    # Random, so a version re-created after eviction never repeats one an old entry was stored under.
    return secrets.randbits(62)


def bump(topic: str, district_id: int | None) -> None:
    """Make the cached `topic` panels of the district (and of "all") stale; None: of every district."""
    targets = [GLOBAL] if district_id is None else [district_id, ALL]
    for where in targets:
        key = _version_key(topic, where)
        try:
            cache.incr(key)
        except ValueError:  # not there (never set, or evicted)
            cache.set(key, _fresh(), VERSION_TIMEOUT)


def bump_all() -> None:
    for topic in TOPICS:
        bump(topic, None)


def _versions(keys: list[str]) -> dict[str, int]:
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, _fresh(), VERSION_TIMEOUT)
            found[key] = cache.get(key)
    return found


def panel_key(
    name: str, user: User, district_id: int | None, period: Period, versions: dict[str, int]
) -> str:
    where = ALL if district_id is None else district_id
    # Who is looking matters only through what they may see: a city admin's view of a district and the
    # district manager's view of it are built from differently scoped querysets, so they are kept apart.
    scope = ALL if user.sees_all_districts else f"d{user.district_id}"
    local, overall = versions[_version_key(name, where)], versions[_version_key(name, GLOBAL)]
    return f"dashboard:p:{name}:{scope}:{where}:{period.start:%Y%m%d}-{period.end:%Y%m%d}:{local}:{overall}"


def dashboard_panels(user: User, district_id: int | None, period: Period) -> dict[str, object]:
    """Every panel, from the cache where current, computed (and cached) where not.

    Two cache round trips when everything is cached (versions, then panels); one more to store what was
    computed. If the cache is down, every panel is computed: slower, never wrong, never an error page.
    """
    where = ALL if district_id is None else district_id
    version_keys = [_version_key(name, w) for name in PANELS for w in (where, GLOBAL)]
    try:
        versions = _versions(version_keys)
        keys = {name: panel_key(name, user, district_id, period, versions) for name in PANELS}
        found = cache.get_many(list(keys.values()))
    except Exception:  # noqa: BLE001 - any cache failure: fall back to the database
        logger.warning("dashboard cache unavailable; computing every panel", exc_info=True)
        return {name: compute(user, district_id, period) for name, compute in PANELS.items()}
    panels, computed = {}, {}
    for name, compute in PANELS.items():
        key = keys[name]
        if key in found:
            panels[name] = found[key]
        else:
            panels[name] = computed[key] = compute(user, district_id, period)
    if computed:
        try:
            cache.set_many(computed, PANEL_TIMEOUT)
        except Exception:  # noqa: BLE001
            logger.warning("dashboard cache unavailable; panels not stored", exc_info=True)
    return panels


# --- invalidation ----------------------------------------------------------------------------------


def _cached_district(instance, relation: str) -> int | None:
    """The district of a related row the instance already holds in memory (never a query), else None.

    `relation` may be a path ("milestone__proposal__call"): each step must already be in memory (Django
    drops a cached related row when its foreign key is changed, so what is cached is the current one)."""
    related = instance
    for step in relation.split("__"):
        descriptor = getattr(type(related), step)
        if not descriptor.is_cached(related):
            return None
        related = getattr(related, step)
        if related is None:
            return None
    return getattr(related, "district_id", None)


def _own_district(instance, created: bool, update_fields) -> int | None:
    """The row's district, when it cannot have moved from another one: on creation, or on a save whose
    update_fields leave the district alone. Otherwise None (the previous district is unknown)."""
    if created or (update_fields is not None and not {"district", "district_id"} & set(update_fields)):
        return instance.district_id
    return None


def _targets(sender, instance, created: bool, update_fields) -> list[tuple[str, int | None]]:
    from benefits.models import BenefitTerms, Claim, Payment
    from community.models import ActivityReport, Call, Proposal
    from community.models import Payment as GrantPayment
    from households.models import Household
    from inquiries.models import Inquiry
    from lockers.models import Compartment, Delivery, LockerSite
    from portal.models import District, Neighbourhood
    from programs.models import Application, Program, ProgramSession
    from safety.models import InstallationVisit, KitItem, KitRequest, KitRequestItem, StockMovement
    from spaces.models import Booking, Closure, OpeningHours, Room, Space

    # Rows whose district never changes once written.
    fixed = {
        Application: "applications",
        KitRequest: "kits",
        StockMovement: "kits",
        Delivery: "lockers",
        Inquiry: "inquiries",
    }
    if sender in fixed:
        return [(fixed[sender], instance.district_id)]
    if sender is Household:
        return [("households", _own_district(instance, created, update_fields))]
    if sender is Booking:
        # A cancelled booking also cancels the program session held in it (counted where the program is).
        return [("spaces", instance.district_id), ("sessions", None)]
    if sender in (KitRequestItem, InstallationVisit):
        return [("kits", _cached_district(instance, "request"))]
    if sender is Program:
        return [("applications", None), ("sessions", None)]
    if sender is ProgramSession:
        return [("sessions", None)]
    if sender is KitItem:
        return [("kits", None)]
    if sender in (LockerSite, Compartment):
        return [("lockers", None)]
    if sender in (Space, Room, OpeningHours, Closure):
        return [("spaces", None)]
    if sender in (District, Neighbourhood):
        return [(topic, None) for topic in TOPICS]
    if sender in _care_models():
        return [("care", instance.district_id)]
    if sender in (Payment, Claim):
        return [("benefits", instance.district_id)]
    if sender is BenefitTerms:
        return [("benefits", None)]
    # community: a call's district never changes, nor a proposal's call, a payment's proposal or a report's
    # milestone. Their district is a few relations away: bumped when the services' rows already hold
    # them (the workflow's lock selects call__district), else every district's (None) rather than a query.
    if sender is Call:
        return [("community", instance.district_id)]
    to_call = {Proposal: "call", GrantPayment: "proposal__call", ActivityReport: "milestone__proposal__call"}
    if sender in to_call:
        return [("community", _cached_district(instance, to_call[sender]))]
    return []


def _care_models() -> tuple[type, ...]:
    from care.models import Appointment, CheckIn, CheckInTask

    return (Appointment, CheckIn, CheckInTask)


def _changed(sender, instance, created: bool = False, update_fields=None, **kwargs) -> None:
    try:
        targets = _targets(sender, instance, created, update_fields)
        for topic, district_id in targets:
            bump(topic, district_id)
            transaction.on_commit(partial(bump, topic, district_id), using=router.db_for_write(sender))
    except Exception:  # a cache outage must not fail the write: the panels' TTL bounds the staleness
        logger.warning("dashboard cache invalidation failed for %s", sender.__name__, exc_info=True)


def _source_models() -> list[type]:
    from benefits.models import BenefitTerms, Claim, Payment
    from community.models import ActivityReport, Call, Proposal
    from community.models import Payment as GrantPayment
    from households.models import Household
    from inquiries.models import Inquiry
    from lockers.models import Compartment, Delivery, LockerSite
    from portal.models import District, Neighbourhood
    from programs.models import Application, Program, ProgramSession
    from safety.models import InstallationVisit, KitItem, KitRequest, KitRequestItem, StockMovement
    from spaces.models import Booking, Closure, OpeningHours, Room, Space

    return [
        Household,
        District,
        Neighbourhood,
        Application,
        Program,
        ProgramSession,
        KitRequest,
        KitRequestItem,
        InstallationVisit,
        StockMovement,
        KitItem,
        Delivery,
        LockerSite,
        Compartment,
        Booking,
        Space,
        Room,
        OpeningHours,
        Closure,
        *_care_models(),
        BenefitTerms,
        Claim,
        Payment,
        Inquiry,
        Call,
        Proposal,
        GrantPayment,
        ActivityReport,
    ]


def _ledger_changed(sender, district_id=None, **kwargs) -> None:
    """benefits' bulk changes (no post_save): forget the budget-execution figures."""
    try:
        bump("benefits", district_id)
    except Exception:  # noqa: BLE001 - the panels' TTL bounds the staleness
        logger.warning("dashboard cache invalidation failed for the benefits ledger", exc_info=True)


def _checkins_changed(sender, district_id=None, **kwargs) -> None:
    """care's bulk check-in changes (the sweep's escalations, sends; no post_save): forget the care panel."""
    try:
        bump("care", district_id)
    except Exception:  # noqa: BLE001 - the panels' TTL bounds the staleness
        logger.warning("dashboard cache invalidation failed for care check-ins", exc_info=True)


def connect_signals() -> None:
    """Idempotent (dispatch_uid): safe to call from several places."""
    for model in _source_models():
        uid = f"hana.dashboard.{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(_changed, sender=model, dispatch_uid=f"{uid}.delete", weak=False)
    from benefits.signals import ledger_changed

    ledger_changed.connect(_ledger_changed, dispatch_uid="hana.dashboard.benefits.ledger", weak=False)
    from care.signals import checkins_changed

    checkins_changed.connect(_checkins_changed, dispatch_uid="hana.dashboard.care.checkins", weak=False)
