"""Community-space benchmarks: 1,000,000 bookings over 200 rooms and ~2 years, inserted set-wise in SQL;
a room's week of availability, the room week page and the availability API (when the web and API views
exist), creating a booking, and booking throughput under contention (PostgreSQL).

The bookings sit on a slot grid, so they never overlap: each room-day has six bookings starting at 09:00,
11:00 … 19:00 local, 60, 90 or 120 minutes long, and every cancelled one lasts 150 minutes, so it
overlaps the next booking, as the exclusion constraint allows for cancelled rows (on PostgreSQL it is
active during the insert: an overlap among active bookings would fail the whole statement). The rooms
open 08:00–22:00 every day, and 21:00–22:00 is never booked in bulk: those are the free slots the
"create a booking" row books, by households the bulk data leaves alone.
"""

from __future__ import annotations

import random
import threading
import time as clock
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import Max, Min
from django.test import Client
from django.urls import Resolver404, resolve
from django.utils import timezone

from households.models import Consent, Household
from portal.models import District
from portal.timeutils import local_datetime
from spaces.availability import room_days
from spaces.models import Booking, OpeningHours, Room, Space
from spaces.rules import week_start
from spaces.services import booking_create

from .state import delete_where

SPACE_PREFIX = "bench-space-"
CONTENTION_SLUG = "bench-contention"
ROOMS_PER_SPACE = 4
SLOTS_PER_DAY = 6  # 09:00, 11:00, … 19:00 local
BULK_PURPOSE = "벤치 데이터"
CREATE_PURPOSE = "벤치 예약 생성"
CONTENTION_PURPOSE = "벤치 동시 예약"
# The households with the highest ids hold no bulk bookings: the create and contention rows book as them,
# so no household limit (upcoming bookings, weekly hours) refuses a measured booking.
RESERVED_HOUSEHOLDS = 2_000
CONTENTION_THREADS = 8
CONTENTION_ROOMS = 4
CONTENTION_BOOKINGS = 800

# A number in [0, 1) from the row's position (Knuth's multiplicative hash): the data set is the same on
# every run, and unlike random() it is one value however often SQLite re-evaluates the expression.
HASH = "((({x}) * 2654435761) %% 4294967296 %% 10000) / 10000.0"
STATUS_SQL = """
    CASE WHEN {past} THEN
        CASE WHEN {r} < 0.80 THEN 'attended' WHEN {r} < 0.85 THEN 'no_show' ELSE 'cancelled' END
    ELSE
        CASE WHEN {r} < 0.88 THEN 'confirmed' WHEN {r} < 0.93 THEN 'pending' ELSE 'cancelled' END
    END
"""


# --- data ---------------------------------------------------------------------------------------------
def _space(slug: str, name: str, district: District, rooms: int) -> list[Room]:
    space, created = Space.objects.get_or_create(
        slug=slug, defaults={"name": name, "district": district, "address": f"{district.name} 벤치로 1"}
    )
    if created:
        OpeningHours.objects.bulk_create(
            OpeningHours(space=space, weekday=day, opens=time(8), closes=time(22)) for day in range(7)
        )
    have = space.rooms.count()
    Room.objects.bulk_create(
        Room(space=space, name=f"벤치룸 {n}", capacity=12, slot_minutes=30, min_minutes=60, max_minutes=180)
        for n in range(have, rooms)
    )
    return list(space.rooms.select_related("space").order_by("id")[:rooms])


def bench_rooms(rooms: int) -> list[Room]:
    districts = list(District.objects.filter(city__code="11").order_by("code"))
    spaces = -(-rooms // ROOMS_PER_SPACE)
    found: list[Room] = []
    for n in range(spaces):
        found += _space(
            f"{SPACE_PREFIX}{n}", f"벤치 공간 {n}", districts[n % len(districts)], ROOMS_PER_SPACE
        )
    return found[:rooms]


def generate_bookings(total: int, rooms: int) -> None:
    """`total` bulk bookings over `rooms` rooms into an empty booking table (see bench.__main__)."""
    room_list = bench_rooms(rooms)
    households = Household.objects.count() - RESERVED_HOUSEHOLDS
    if households < 1:
        raise SystemExit(f"the spaces bench needs more than {RESERVED_HOUSEHOLDS:,} households")
    days = -(-total // (len(room_list) * SLOTS_PER_DAY))
    # Mostly history, as in spaces that have run a while, and the next 30 days, as far as rooms book ahead.
    first_day = timezone.localdate() - timedelta(days=max(0, days - 31))
    if connection.vendor == "postgresql":
        _insert_postgres([r.pk for r in room_list], households, first_day, days, total)
    else:
        _insert_sqlite([r.pk for r in room_list], households, first_day, days, total)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else "ANALYZE spaces_booking")


def _delete_bookings(where: str, params: list) -> None:
    """Bookings and their history rows, set-wise (the measured rows' leftovers from the last run)."""
    delete_where("spaces_historicalbooking", where, params)
    delete_where("spaces_booking", where, params)


def _insert_postgres(room_ids: list[int], households: int, first_day: date, days: int, total: int) -> None:
    status = STATUS_SQL.format(past="g.starts_at < now()", r="g.r")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE TEMP TABLE bench_households ON COMMIT DROP AS
            SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, user_id
            FROM households_household ORDER BY id LIMIT %s
            """,
            [households],
        )
        cursor.execute("CREATE UNIQUE INDEX ON bench_households (n)")
        cursor.execute(
            f"""
            INSERT INTO spaces_booking (
                room_id, district_id, household_id, booked_by_id, starts_at, ends_at, headcount, purpose,
                status, created_at, reason, cancelled_at, attendance_marked_at)
            SELECT b.room_id, b.district_id, h.id, h.user_id, b.starts_at,
                   b.starts_at + CASE WHEN b.status = 'cancelled' THEN interval '150 minutes'
                                      ELSE b.minutes * interval '1 minute' END,
                   b.headcount, %(purpose)s, b.status, b.starts_at - interval '3 days', '',
                   CASE WHEN b.status = 'cancelled' THEN b.starts_at - interval '1 day' END,
                   CASE WHEN b.status IN ('attended', 'no_show')
                        THEN b.starts_at + b.minutes * interval '1 minute' END
            FROM (
                SELECT g.*, {status} AS status
                FROM (
                    SELECT r.room_id, s.district_id, r.n AS room_n, d, k,
                           ((%(first)s::date + d)::timestamp + time '09:00' + k * interval '2 hours')
                               AT TIME ZONE 'Asia/Seoul' AS starts_at,
                           {HASH.format(x=f"(d * {SLOTS_PER_DAY} + k) * %(room_count)s + r.n")} AS r,
                           60 + 30 * ((r.n + d + k) %% 3) AS minutes,
                           1 + ((r.n * 3 + d + k) %% 8) AS headcount
                    FROM unnest(%(rooms)s::bigint[]) WITH ORDINALITY AS r(room_id, n)
                    JOIN spaces_room rm ON rm.id = r.room_id
                    JOIN spaces_space s ON s.id = rm.space_id
                    CROSS JOIN generate_series(0, %(days)s - 1) AS d
                    CROSS JOIN generate_series(0, {SLOTS_PER_DAY - 1}) AS k
                ) AS g
                -- The first `total` in (day, slot, room) order: no sort, and every room has the same days.
                WHERE (g.d * {SLOTS_PER_DAY} + g.k) * %(room_count)s + g.room_n - 1 < %(total)s
            ) AS b
            JOIN bench_households h ON h.n = (b.room_n * 7919 + b.d * 6 + b.k) %% %(households)s
            """,
            {
                "purpose": BULK_PURPOSE,
                "first": first_day,
                "rooms": room_ids,
                "days": days,
                "total": total,
                "room_count": len(room_ids),
                "households": households,
            },
        )


def _insert_sqlite(room_ids: list[int], households: int, first_day: date, days: int, total: int) -> None:
    # Naive UTC text, as Django stores aware datetimes in SQLite; Seoul has no daylight saving time.
    first_utc = local_datetime(first_day, time(0)).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    status = STATUS_SQL.format(past="starts < datetime('now')", r="r")
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_rooms (n INTEGER PRIMARY KEY, id INTEGER, district_id INTEGER)"
        )
        cursor.executemany(
            "INSERT INTO bench_rooms SELECT ?, r.id, s.district_id FROM spaces_room r "
            "JOIN spaces_space s ON s.id = r.space_id WHERE r.id = ?",
            list(enumerate(room_ids)),
        )
        cursor.execute(
            "CREATE TEMP TABLE bench_households AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, "
            "user_id FROM households_household ORDER BY id LIMIT %s",
            [households],
        )
        cursor.execute("CREATE UNIQUE INDEX bench_households_n ON bench_households (n)")
        cursor.execute(
            f"""
            WITH RECURSIVE d(d) AS (SELECT 0 UNION ALL SELECT d + 1 FROM d WHERE d < %s - 1),
            k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < {SLOTS_PER_DAY - 1}),
            g AS (
                SELECT r.n AS room_n, r.id AS room_id, r.district_id, d.d, k.k,
                       datetime(%s, '+' || d.d || ' days', '+' || (9 + 2 * k.k) || ' hours') AS starts,
                       {HASH.format(x=f"(d.d * {SLOTS_PER_DAY} + k.k) * %s + r.n")} AS r,
                       60 + 30 * ((r.n + d.d + k.k) %% 3) AS minutes,
                       1 + ((r.n * 3 + d.d + k.k) %% 8) AS headcount
                FROM bench_rooms r CROSS JOIN d CROSS JOIN k
                WHERE (d.d * {SLOTS_PER_DAY} + k.k) * %s + r.n < %s
            ),
            b AS (SELECT g.*, {status} AS status FROM g)
            INSERT INTO spaces_booking (
                room_id, district_id, household_id, booked_by_id, starts_at, ends_at, headcount, purpose,
                status, created_at, reason, cancelled_at, attendance_marked_at)
            SELECT b.room_id, b.district_id, h.id, h.user_id, b.starts,
                   datetime(b.starts, '+' || CASE WHEN b.status = 'cancelled' THEN 150 ELSE b.minutes END
                                      || ' minutes'),
                   b.headcount, %s, b.status, datetime(b.starts, '-3 days'), '',
                   CASE WHEN b.status = 'cancelled' THEN datetime(b.starts, '-1 day') END,
                   CASE WHEN b.status IN ('attended', 'no_show')
                        THEN datetime(b.starts, '+' || b.minutes || ' minutes') END
            FROM b JOIN bench_households h ON h.n = (b.room_n * 7919 + b.d * 6 + b.k) %% %s
            """,
            [days, first_utc, len(room_ids), len(room_ids), total, BULK_PURPOSE, households],
        )
        cursor.execute("DROP TABLE bench_rooms")
        cursor.execute("DROP TABLE bench_households")


def _reserved_households(count: int, skip: int = 0) -> list[Household]:
    """Households without bulk bookings, each with the profile consent booking asks for."""
    households = list(Household.objects.select_related("user").order_by("-id")[skip : skip + count])
    Consent.objects.bulk_create(
        [
            Consent(user=h.user, purpose="profile", version="bench", given_at=timezone.now())
            for h in households
        ],
        ignore_conflicts=True,
    )
    return households


# --- scenarios ----------------------------------------------------------------------------------------
def _data_weeks() -> tuple[date, int]:
    """The first whole week of the bulk data and how many weeks follow it."""
    span = Booking.objects.filter(purpose=BULK_PURPOSE).aggregate(
        first=Min("starts_at"), last=Max("starts_at")
    )
    monday = week_start(timezone.localtime(span["first"]).date()) + timedelta(weeks=1)
    return monday, max(1, (timezone.localtime(span["last"]).date() - monday).days // 7)


def _page(path: str) -> bool:
    try:
        resolve(path.partition("?")[0])
    except Resolver404:
        return False
    return True


def _get_row(label: str, client: Client, paths, target: str, notes: list[str]):
    """A GET row over `paths`, or a note when the view does not exist (yet) or does not answer 200: the
    web and API views are optional to this module."""
    probe = next(paths)
    if not _page(probe):
        notes.append(f"{label}: skipped, no view at {probe.partition('?')[0]}")
        return None
    response = client.get(probe)
    if response.status_code != 200:
        notes.append(f"{label}: skipped, {probe} answered {response.status_code}")
        return None

    def call():
        path = next(paths)
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")

    return (label, call, target)


def spaces_scenarios(count: int, rooms: int) -> tuple[list, list[str]]:
    """(rows for measure(), notes). `count`: calls each row makes, warm-up included."""
    notes: list[str] = []
    room_list = bench_rooms(rooms)
    rng = random.Random(11)
    first_monday, weeks = _data_weeks()

    def random_week() -> tuple[Room, date]:
        return rng.choice(room_list), first_monday + timedelta(weeks=rng.randrange(weeks))

    def availability():
        room, monday = random_week()
        room_days(room, monday, monday + timedelta(days=6))

    rows = [("room availability, one week (room_days)", availability, "p95 ≤ 30 ms")]

    resident = Client()
    resident.force_login(_reserved_households(1)[0].user)
    this_monday = week_start(timezone.localdate())

    def week_pages():
        # The page shows this week to the last bookable one: random rooms, one of the next five weeks.
        while True:
            monday = this_monday + timedelta(weeks=rng.randrange(5))
            yield f"/spaces/rooms/{rng.choice(room_list).pk}/?week={monday}"

    def api_weeks():
        while True:
            room, monday = random_week()
            sunday = monday + timedelta(days=6)
            yield f"/api/v1/spaces/rooms/{room.pk}/availability/?from={monday}&to={sunday}"

    rows += [
        row
        for row in (
            _get_row("room week page /spaces/rooms/<id>/", resident, week_pages(), "p95 ≤ 80 ms", notes),
            _get_row("availability API, one week (any week)", resident, api_weeks(), "p95 ≤ 60 ms", notes),
        )
        if row is not None
    ]
    rows.append(
        ("create a booking (booking_create, free slot)", _create_call(room_list, count), "p95 ≤ 60 ms")
    )
    return rows, notes


def _free_evenings(rooms: list[Room], count: int, first_offset: int = 2):
    """`count` distinct 21:00–22:00 slots (never booked in bulk), room after room, day after day."""
    today = timezone.localdate()
    for n in range(count):
        room = rooms[n % len(rooms)]
        day = today + timedelta(days=first_offset + n // len(rooms))
        yield room, local_datetime(day, time(21))


def _create_call(rooms: list[Room], count: int):
    _delete_bookings("purpose = %s", [CREATE_PURPOSE])  # a fresh start: the last run's slots
    if count > len(rooms) * (rooms[0].max_days_ahead - 2):
        raise SystemExit("too many measured calls for the free evening slots")
    plan = iter(list(zip(_reserved_households(count), _free_evenings(rooms, count), strict=True)))

    def call():
        household, (room, starts_at) = next(plan)
        booking_create(
            user=household.user,
            room_id=room.pk,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            headcount=2,
            purpose=CREATE_PURPOSE,
        )

    return call


def contention_throughput(
    *, threads: int = CONTENTION_THREADS, total: int = CONTENTION_BOOKINGS, skip_households: int = 0
) -> tuple[int, int, float] | None:
    """`threads` threads book `total` distinct one-hour slots of the same few rooms at once, each as a
    different household. Returns (booked, refused, seconds), or None on SQLite (one writer at a time by
    design: its transactions begin IMMEDIATE)."""
    if connection.vendor != "postgresql":
        return None
    district = District.objects.get(code="11140")
    rooms = _space(CONTENTION_SLUG, "벤치 동시성 공간", district, CONTENTION_ROOMS)
    _delete_bookings("room_id IN (SELECT id FROM spaces_room WHERE space_id = %s)", [rooms[0].space_id])
    today = timezone.localdate()
    slots = [
        (room, local_datetime(today + timedelta(days=day), time(hour)))
        for day in range(2, rooms[0].max_days_ahead - 1)
        for hour in range(8, 22)
        for room in rooms
    ][:total]
    households = _reserved_households(len(slots), skip=skip_households)
    work = [list(zip(households, slots, strict=True))[n::threads] for n in range(threads)]
    results = {"booked": 0, "refused": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(threads + 1)

    def run(items: list[tuple[Household, tuple[Room, datetime]]]) -> None:
        booked = refused = 0
        try:
            barrier.wait()
            for household, (room, starts_at) in items:
                try:
                    booking_create(
                        user=household.user,
                        room_id=room.pk,
                        starts_at=starts_at,
                        ends_at=starts_at + timedelta(hours=1),
                        headcount=2,
                        purpose=CONTENTION_PURPOSE,
                    )
                    booked += 1
                except Exception:  # counted and reported: every slot is distinct, so none should fail
                    refused += 1
        finally:
            connection.close()
            with lock:
                results["booked"] += booked
                results["refused"] += refused

    workers = [threading.Thread(target=run, args=(items,)) for items in work]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = clock.perf_counter()
    for worker in workers:
        worker.join()
    return results["booked"], results["refused"], clock.perf_counter() - started
