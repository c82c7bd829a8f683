"""The dashboard's reads: one function per panel, each a handful of aggregate queries returning plain data.

Every function takes the staff member (its querysets start from each model's visible_to, so a district manager
can only ever count their own district's rows), the district to show (None: every district the user may
see, for a city admin) and the period. No function loads the rows it counts: grouping, counting,
summing and the median are done by the database; Python only reshapes the few grouped rows (and, for
room utilization, walks the days of the period to add up opening hours, a few hundred at most).

The period is a range of local (Asia/Seoul) dates, both ends included; times are compared against
[start of the first day, start of the day after the last) in Seoul time.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, Func, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from households.models import Gender, Household
from lockers.models import Delivery, LockerSite
from portal.i18n import is_english
from portal.models import User
from portal.timeutils import local_midnight, local_zone, to_local
from programs.models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationStatus,
    OutreachNotice,
    Program,
    ProgramSession,
)
from safety.models import InstallationVisit, KitItem, KitRequest, KitRequestItem, StockMovement, VisitStatus
from safety.selectors import stock_levels
from spaces.models import ACTIVE_STATUSES as BOOKING_ACTIVE
from spaces.models import Booking, BookingStatus, Closure, OpeningHours, Room, Space

# The answer residents are promised (Gwangju Seo-gu): the review queue flags applications older than this.
ANSWER_PROMISE = timedelta(hours=48)

S = ApplicationStatus
DECIDED = (S.APPROVED, S.COMPLETED, S.REJECTED)
APPROVED = (S.APPROVED, S.COMPLETED)
# The order statuses are shown in (drafts are never submitted, so never in the period).
STATUS_ORDER = [s for s in S.values if s != S.DRAFT]
# A session whose room booking was called off did not take place.
CALLED_OFF = (BookingStatus.CANCELLED, BookingStatus.REJECTED)


# --- shared pieces ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # included

    @property
    def start_at(self) -> datetime:
        return local_midnight(self.start)

    @property
    def end_at(self) -> datetime:
        """The first moment after the period (exclusive bound)."""
        return local_midnight(self.end, days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def months(self) -> list[date]:
        """The first day of every month the period touches."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return months


@dataclass(frozen=True)
class Label:
    """A name stored in Korean and English: shown in the page's language (cached panels stay neutral)."""

    ko: str
    en: str = ""

    def __str__(self) -> str:
        return self.en if is_english() and self.en else self.ko


def years_before(day: date, years: int) -> date:
    """The latest birth date of someone who is at least `years` old (만 나이) on `day`.

    Same month and day, `years` earlier; a 29 February falls back to the 28th (someone born on
    28 February has had their birthday on a 29 February; someone born on 1 March has not).
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _in_district(queryset, district_id: int | None, field_name: str = "district_id"):
    return queryset if district_id is None else queryset.filter(**{field_name: district_id})


def _month_of(value) -> date:
    """TruncMonth gives an aware datetime for a datetime column, a date for a date column."""
    if isinstance(value, datetime):
        value = to_local(value).date()
    return value.replace(day=1)


def ratio(part: float, whole: float) -> float | None:
    return part / whole if whole else None


# --- households ------------------------------------------------------------------------------------

AGE_BANDS = ("under_19", "19_39", "40_64", "65_plus")


@dataclass
class HouseholdsPanel:
    total: int
    new_in_period: int
    age_bands: dict[str, int]
    genders: dict[str, int]
    # (name, count), largest first: 행정동 of the district, or districts when showing all of them.
    areas: list[tuple[Label | None, int]]
    areas_are_districts: bool
    computed_at: datetime = field(default_factory=timezone.now)


def households_panel(user: User, district_id: int | None, period: Period) -> HouseholdsPanel:
    """Registered households (not anonymized, created by the end of the period): 1 query.

    One pass over the district's households, grouped by 행정동 (or by district for all of them), with
    conditional counts for the age bands, genders and new registrations; the totals are the sums of
    the few groups. Ages are 만 나이 on the last day of the period, compared as birth-date ranges.
    """
    rows = _in_district(Household.objects.visible_to(user), district_id).filter(
        anonymized_at__isnull=True, created_at__lt=period.end_at
    )
    age_19, age_40, age_65 = (years_before(period.end, n) for n in (19, 40, 65))
    counts = {
        "n": Count("pk"),
        "new": Count("pk", filter=Q(created_at__gte=period.start_at)),
        "under_19": Count("pk", filter=Q(birth_date__gt=age_19)),
        "19_39": Count("pk", filter=Q(birth_date__gt=age_40, birth_date__lte=age_19)),
        "40_64": Count("pk", filter=Q(birth_date__gt=age_65, birth_date__lte=age_40)),
        "65_plus": Count("pk", filter=Q(birth_date__lte=age_65)),
        **{f"gender_{value}": Count("pk", filter=Q(gender=value)) for value in Gender.values},
    }
    area = "district" if district_id is None else "neighbourhood"
    grouped = list(
        rows.values(f"{area}_id", f"{area}__name", f"{area}__name_en")
        .annotate(**{f"c_{name}": count for name, count in counts.items()})
        .order_by()
    )

    def total(name: str) -> int:
        return sum(row[f"c_{name}"] for row in grouped)

    areas = [
        (
            Label(row[f"{area}__name"], row[f"{area}__name_en"] or "") if row[f"{area}_id"] else None,
            row["c_n"],
        )
        for row in sorted(grouped, key=lambda row: (-row["c_n"], row[f"{area}__name"] or ""))
    ]
    return HouseholdsPanel(
        total=total("n"),
        new_in_period=total("new"),
        age_bands={band: total(band) for band in AGE_BANDS},
        genders={value: total(f"gender_{value}") for value in Gender.values},
        areas=areas,
        areas_are_districts=district_id is None,
    )


# --- applications ----------------------------------------------------------------------------------


class EpochSeconds(Func):
    """EXTRACT(EPOCH FROM <interval>): a PostgreSQL interval as seconds."""

    template = "EXTRACT(EPOCH FROM %(expressions)s)"
    output_field = FloatField()


class Median(Aggregate):
    """PostgreSQL's percentile_cont(0.5): the median, computed by the database in one pass."""

    function = "percentile_cont"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


class StatusCounts:
    """Totals derived from `by_status` (applications per status): one program's, or the whole panel's."""

    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    @property
    def decided(self) -> int:
        return sum(self.by_status.get(s, 0) for s in DECIDED)

    @property
    def approved(self) -> int:
        return sum(self.by_status.get(s, 0) for s in APPROVED)

    @property
    def approval_rate(self) -> float | None:
        return ratio(self.approved, self.decided)


@dataclass
class ProgramApplications(StatusCounts):
    program_id: int
    title: Label
    by_status: dict[str, int]


@dataclass
class ApplicationsPanel(StatusCounts):
    programs: list[ProgramApplications]
    by_status: dict[str, int]
    median_days: float | None  # submission to decision, of the applications decided so far
    timed_decisions: int  # how many decisions the median is taken over
    waiting_over_48h: int  # now, whenever submitted
    computed_at: datetime = field(default_factory=timezone.now)


def median_decision_days(queryset) -> tuple[float | None, int]:
    """The median time from submission to decision (in days) over `queryset`, and how many it is over.

    PostgreSQL: percentile_cont in one aggregate query. SQLite has no percentile function: count the
    rows, then fetch only the middle one or two, ordered by the duration (ORDER BY … LIMIT 2 OFFSET n/2):
    two queries, never the rows themselves.
    """
    queryset = queryset.filter(decided_at__isnull=False, submitted_at__isnull=False).order_by()
    duration = F("decided_at") - F("submitted_at")
    if connection.vendor == "postgresql":
        result = queryset.aggregate(n=Count("pk"), median=Median(EpochSeconds(duration)))
        seconds = result["median"]
        return (None if seconds is None else seconds / 86400), result["n"]
    n = queryset.count()
    if not n:
        return None, 0
    low = (n - 1) // 2
    middle = list(
        queryset.annotate(duration=duration)
        .order_by("duration", "pk")
        .values_list("duration", flat=True)[low : low + (1 if n % 2 else 2)]
    )
    seconds = sum(value.total_seconds() for value in middle) / len(middle)
    return seconds / 86400, n


def applications_panel(user: User, district_id: int | None, period: Period) -> ApplicationsPanel:
    """Applications submitted in the period, by program and status (1 query), the median time to a
    decision (1 query on PostgreSQL, 2 on SQLite) and those waiting more than 48 hours now (1 query)."""
    scoped = _in_district(Application.objects.visible_to(user), district_id)
    in_period = scoped.filter(submitted_at__gte=period.start_at, submitted_at__lt=period.end_at)
    programs: dict[int, ProgramApplications] = {}
    by_status: dict[str, int] = defaultdict(int)
    grouped = (
        in_period.values("program_id", "program__title", "program__title_en", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in grouped:
        program = programs.setdefault(
            row["program_id"],
            ProgramApplications(
                row["program_id"], Label(row["program__title"], row["program__title_en"] or ""), {}
            ),
        )
        program.by_status[row["status"]] = row["n"]
        by_status[row["status"]] += row["n"]
    median, timed = median_decision_days(in_period.filter(status__in=DECIDED))
    waiting = scoped.filter(
        status__in=UNDECIDED_STATUSES, submitted_at__lt=timezone.now() - ANSWER_PROMISE
    ).count()
    return ApplicationsPanel(
        programs=sorted(programs.values(), key=lambda p: (-p.total, p.title.ko, p.program_id)),
        by_status=dict(by_status),
        median_days=median,
        timed_decisions=timed,
        waiting_over_48h=waiting,
    )


# --- program sessions ------------------------------------------------------------------------------


@dataclass
class ProgramSessions:
    program_id: int
    title: Label
    sessions: int
    participants: int


@dataclass
class SessionsPanel:
    programs: list[ProgramSessions]
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def sessions(self) -> int:
        return sum(p.sessions for p in self.programs)

    @property
    def participants(self) -> int:
        return sum(p.participants for p in self.programs)


def sessions_panel(user: User, district_id: int | None, period: Period) -> SessionsPanel:
    """Sessions that started in the period and took place (booking not called off), per program, with
    the participants recorded: 1 query. A district's sessions are those of its own programs and those
    held in its rooms (a city-wide program's sessions count where they were held)."""
    sessions = ProgramSession.objects.filter(
        program__in=Program.objects.visible_to(user),
        starts_at__gte=period.start_at,
        starts_at__lt=period.end_at,
    ).exclude(booking__status__in=CALLED_OFF)
    if district_id is not None:
        sessions = sessions.filter(Q(program__district_id=district_id) | Q(booking__district_id=district_id))
    grouped = (
        sessions.values("program_id", "program__title", "program__title_en")
        .annotate(n=Count("pk"), people=Coalesce(Sum("participants"), 0))
        .order_by()
    )
    programs = [
        ProgramSessions(
            row["program_id"],
            Label(row["program__title"], row["program__title_en"] or ""),
            row["n"],
            row["people"],
        )
        for row in grouped
    ]
    programs.sort(key=lambda p: (-p.participants, -p.sessions, p.title.ko, p.program_id))
    return SessionsPanel(programs=programs)


# --- safety kits -----------------------------------------------------------------------------------


@dataclass
class KitItemRow:
    item_id: int
    name: Label
    requested: int
    installed: int
    stock: int


@dataclass
class KitsPanel:
    items: list[KitItemRow]
    months: list[date]
    # {(item_id, month): count}
    requested_by_month: dict[tuple[int, date], int]
    installed_by_month: dict[tuple[int, date], int]
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def requested(self) -> int:
        return sum(self.requested_by_month.values())

    @property
    def installed(self) -> int:
        return sum(self.installed_by_month.values())

    def month_totals(self) -> list[tuple[date, int, int]]:
        requested, installed = defaultdict(int), defaultdict(int)
        for (_item, month), n in self.requested_by_month.items():
            requested[month] += n
        for (_item, month), n in self.installed_by_month.items():
            installed[month] += n
        return [(month, requested[month], installed[month]) for month in self.months]


def kits_panel(user: User, district_id: int | None, period: Period) -> KitsPanel:
    """Items asked for in requests submitted in the period and items installed (an installed visit) in
    it, per item and month, and the stock left now (the ledger's sums): 4 queries."""
    requests = _in_district(KitRequest.objects.visible_to(user), district_id)
    requested = (
        KitRequestItem.objects.filter(
            request__in=requests.filter(submitted_at__gte=period.start_at, submitted_at__lt=period.end_at)
        )
        .annotate(month=TruncMonth("request__submitted_at", tzinfo=local_zone()))
        .values("item_id", "month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    installed = (
        InstallationVisit.objects.filter(
            request__in=requests,
            status=VisitStatus.INSTALLED,
            date__gte=period.start,
            date__lte=period.end,
        )
        .annotate(month=TruncMonth("date"))
        .values("request__items__item_id", "month")
        .annotate(n=Count("request__items__pk", distinct=True))
        .order_by()
    )
    requested_by_month: dict[tuple[int, date], int] = defaultdict(int)
    for row in requested:
        requested_by_month[(row["item_id"], _month_of(row["month"]))] += row["n"]
    installed_by_month: dict[tuple[int, date], int] = defaultdict(int)
    for row in installed:
        if row["request__items__item_id"] is not None:
            installed_by_month[(row["request__items__item_id"], _month_of(row["month"]))] += row["n"]
    if district_id is not None:
        stock = stock_levels(district_id)
    else:
        stock = dict(
            StockMovement.objects.visible_to(user)
            .values("item_id")
            .annotate(total=Sum("quantity"))
            .order_by()
            .values_list("item_id", "total")
        )
    item_requested, item_installed = defaultdict(int), defaultdict(int)
    for (item_id, _month), n in requested_by_month.items():
        item_requested[item_id] += n
    for (item_id, _month), n in installed_by_month.items():
        item_installed[item_id] += n
    items = [
        KitItemRow(
            item.pk,
            Label(item.name, item.name_en),
            item_requested[item.pk],
            item_installed[item.pk],
            stock.get(item.pk) or 0,
        )
        for item in KitItem.objects.only("pk", "name", "name_en").order_by("position", "pk")
        if item_requested[item.pk] or item_installed[item.pk] or item.pk in stock
    ]
    return KitsPanel(
        items=items,
        months=period.months(),
        requested_by_month=dict(requested_by_month),
        installed_by_month=dict(installed_by_month),
    )


# --- parcel lockers --------------------------------------------------------------------------------


@dataclass
class LockerSiteRow:
    site_id: int
    name: str
    district: Label
    deposited: int
    picked_up: int


@dataclass
class LockersPanel:
    sites: list[LockerSiteRow]
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def deposited(self) -> int:
        return sum(s.deposited for s in self.sites)

    @property
    def picked_up(self) -> int:
        return sum(s.picked_up for s in self.sites)


def lockers_panel(user: User, district_id: int | None, period: Period) -> LockersPanel:
    """Parcels deposited and parcels picked up in the period, per locker site: 2 queries."""
    deposited = Q(deposited_at__gte=period.start_at, deposited_at__lt=period.end_at)
    picked_up = Q(picked_up_at__gte=period.start_at, picked_up_at__lt=period.end_at)
    counts = {
        row["compartment__site_id"]: row
        for row in _in_district(Delivery.objects.visible_to(user), district_id)
        .filter(deposited | picked_up)
        .values("compartment__site_id")
        .annotate(deposited=Count("pk", filter=deposited), picked_up=Count("pk", filter=picked_up))
        .order_by()
    }
    sites = [
        LockerSiteRow(
            site["pk"],
            site["name"],
            Label(site["district__name"], site["district__name_en"] or ""),
            counts.get(site["pk"], {}).get("deposited", 0),
            counts.get(site["pk"], {}).get("picked_up", 0),
        )
        for site in _in_district(LockerSite.objects.visible_to(user), district_id)
        .values("pk", "name", "district__name", "district__name_en")
        .order_by("district__code", "name", "pk")
    ]
    return LockersPanel(sites=sites)


# --- community spaces ------------------------------------------------------------------------------


@dataclass
class SpaceRow:
    space_id: int
    name: Label
    rooms: int
    open_hours: float
    booked_hours: float
    attended: int
    no_show: int

    @property
    def utilization(self) -> float | None:
        return ratio(self.booked_hours, self.open_hours)

    @property
    def no_show_rate(self) -> float | None:
        return ratio(self.no_show, self.attended + self.no_show)


@dataclass
class SpacesPanel:
    spaces: list[SpaceRow]
    computed_at: datetime = field(default_factory=timezone.now)

    @property
    def open_hours(self) -> float:
        return sum(s.open_hours for s in self.spaces)

    @property
    def booked_hours(self) -> float:
        return sum(s.booked_hours for s in self.spaces)

    @property
    def utilization(self) -> float | None:
        return ratio(self.booked_hours, self.open_hours)

    @property
    def attended(self) -> int:
        return sum(s.attended for s in self.spaces)

    @property
    def no_show(self) -> int:
        return sum(s.no_show for s in self.spaces)

    @property
    def no_show_rate(self) -> float | None:
        return ratio(self.no_show, self.attended + self.no_show)


def _hours(opens: time, closes: time) -> float:
    return (closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute) / 60


def open_hours_by_room(
    period: Period,
    rooms: list[tuple[int, int]],
    opening: list[tuple[int, int, time, time]],
    closures: list[tuple[int, int | None, date, date]],
) -> dict[int, float]:
    """Hours each room was open in the period: its space's weekly hours on every day, except the days
    the space or the room was closed. `rooms` are (room, space), `opening` (space, weekday, opens,
    closes), `closures` (space, room or None, first day, last day)."""
    per_weekday: dict[int, list[float]] = defaultdict(lambda: [0.0] * 7)
    for space_id, weekday, opens, closes in opening:
        per_weekday[space_id][weekday] += _hours(opens, closes)
    weekday_count = [0] * 7
    for offset in range(period.days):
        weekday_count[(period.start + timedelta(days=offset)).weekday()] += 1
    closed_space: dict[int, set[date]] = defaultdict(set)
    closed_room: dict[int, set[date]] = defaultdict(set)
    for space_id, room_id, first, last in closures:
        days = closed_room[room_id] if room_id else closed_space[space_id]
        day = max(first, period.start)
        while day <= min(last, period.end):
            days.add(day)
            day += timedelta(days=1)
    result = {}
    for room_id, space_id in rooms:
        week = per_weekday[space_id]
        hours = sum(week[w] * weekday_count[w] for w in range(7))
        hours -= sum(week[day.weekday()] for day in closed_space[space_id] | closed_room[room_id])
        result[room_id] = hours
    return result


def spaces_panel(user: User, district_id: int | None, period: Period) -> SpacesPanel:
    """Per space: hours booked (active bookings starting in the period, summed in SQL) against hours its
    bookable rooms were open, and no-shows among the bookings whose attendance was marked: 5 queries."""
    spaces = _in_district(Space.objects.visible_to(user), district_id)
    space_rows = list(spaces.values("pk", "name", "name_en").order_by("district__code", "name", "pk"))
    rooms = list(Room.objects.filter(space__in=spaces, is_active=True).values_list("pk", "space_id"))
    opening = list(
        OpeningHours.objects.filter(space__in=spaces).values_list("space_id", "weekday", "opens", "closes")
    )
    closures = list(
        Closure.objects.filter(space__in=spaces, starts_on__lte=period.end, ends_on__gte=period.start)
        .order_by()
        .values_list("space_id", "room_id", "starts_on", "ends_on")
    )
    open_hours = open_hours_by_room(period, rooms, opening, closures)
    bookings = {
        row["room__space_id"]: row
        for row in _in_district(Booking.objects.visible_to(user), district_id)
        .filter(starts_at__gte=period.start_at, starts_at__lt=period.end_at)
        .values("room__space_id")
        .annotate(
            booked=Sum(F("ends_at") - F("starts_at"), filter=Q(status__in=BOOKING_ACTIVE)),
            attended=Count("pk", filter=Q(status=BookingStatus.ATTENDED)),
            no_show=Count("pk", filter=Q(status=BookingStatus.NO_SHOW)),
        )
        .order_by()
    }
    room_count: dict[int, int] = defaultdict(int)
    space_open: dict[int, float] = defaultdict(float)
    for room_id, space_id in rooms:
        room_count[space_id] += 1
        space_open[space_id] += open_hours[room_id]
    result = []
    for space in space_rows:
        booked = bookings.get(space["pk"], {})
        result.append(
            SpaceRow(
                space["pk"],
                Label(space["name"], space["name_en"]),
                room_count[space["pk"]],
                space_open[space["pk"]],
                (booked.get("booked") or timedelta(0)).total_seconds() / 3600,
                booked.get("attended", 0),
                booked.get("no_show", 0),
            )
        )
    return SpacesPanel(spaces=result)


# --- outreach ---------------------------------------------------------------------------------------

OUTREACH_FOLLOW_DAYS = 30  # an application this soon after a notice is counted as following it


@dataclass
class ProgramOutreach:
    program_id: int
    title: Label
    sent: int
    opened: int
    applied: int  # applications to the program within OUTREACH_FOLLOW_DAYS of the notice


@dataclass
class OutreachPanel:
    programs: list[ProgramOutreach]
    sent: int
    opened: int
    applied: int
    computed_at: datetime = field(default_factory=timezone.now)


def outreach_panel(user: User, district_id: int | None, period: Period) -> OutreachPanel:
    """The outreach funnel of notices sent in the period, per program (1 query): sent, opened (the
    message's link followed) and followed by an application within 30 days."""
    notices = _in_district(
        OutreachNotice.objects.visible_to(user), district_id, "household__district_id"
    ).filter(sent_at__gte=period.start_at, sent_at__lt=period.end_at)
    followed = Application.objects.filter(
        household=OuterRef("household"),
        program=OuterRef("program"),
        created_at__gte=OuterRef("sent_at"),
        created_at__lt=OuterRef("sent_at") + timedelta(days=OUTREACH_FOLLOW_DAYS),
    )
    rows = (
        notices.annotate(followed=Exists(followed))
        .values("program_id", "program__title", "program__title_en")
        .annotate(
            sent=Count("pk"),
            opened=Count("pk", filter=Q(opened_at__isnull=False)),
            applied=Count("pk", filter=Q(followed=True)),
        )
        .order_by()
    )
    programs = [
        ProgramOutreach(
            row["program_id"],
            Label(row["program__title"], row["program__title_en"] or ""),
            row["sent"],
            row["opened"],
            row["applied"],
        )
        for row in rows
    ]
    programs.sort(key=lambda p: (-p.sent, p.title.ko, p.program_id))
    return OutreachPanel(
        programs=programs,
        sent=sum(p.sent for p in programs),
        opened=sum(p.opened for p in programs),
        applied=sum(p.applied for p in programs),
    )


from .benefits import benefits_panel  # noqa: E402 - its module reads this one's helpers lazily
from .inquiries import inquiries_panel  # noqa: E402 - the participation panel, in a module of its own

PANELS = {
    "households": households_panel,
    "applications": applications_panel,
    "sessions": sessions_panel,
    "kits": kits_panel,
    "lockers": lockers_panel,
    "spaces": spaces_panel,
    "outreach": outreach_panel,
    "benefits": benefits_panel,
    "inquiries": inquiries_panel,  # reports/dashboard/inquiries.py
}

# Care (counselling and check-ins): its own module, registered here.
from .care import care_panel  # noqa: E402

PANELS["care"] = care_panel
# Panels of the apps above this module's imports (registered here; their modules import Period from here).
from .community import community_panel  # noqa: E402 - needs Period, defined above

PANELS["community"] = community_panel
