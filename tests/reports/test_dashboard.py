"""The district dashboard: every panel's numbers against the same figures computed here in plain Python
from the rows, district scoping (and tampering with the district parameter), a bounded query count that
does not grow with the data, cache invalidation, accessible charts and the period form's messages."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from households.models import Household
from lockers.models import Delivery
from portal.models import Neighbourhood
from programs.models import UNDECIDED_STATUSES, Application, ProgramSession
from reports.dashboard.cache import bump
from reports.dashboard.selectors import Period, years_before
from safety.models import InstallationVisit, KitItem, KitOffer, KitRequest, KitRequestItem, StockMovement
from spaces.models import ACTIVE_STATUSES, Booking, Closure, OpeningHours, Room
from tests.factories import (
    GWANAK,
    JUNGGU,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    book,
    district,
    seoul,
    space_with_room,
)
from tests.lockers.helpers import make_recipient, make_site

SEOUL = ZoneInfo("Asia/Seoul")
P = Period(date(2025, 3, 1), date(2025, 4, 30))
START = datetime.combine(P.start, time.min, tzinfo=SEOUL)
END = datetime.combine(P.end + timedelta(days=1), time.min, tzinfo=SEOUL)
URL = "/reports/dashboard/"
QUERY = {"from": "2025-03-01", "to": "2025-04-30"}


@pytest.fixture(autouse=True)
def _english_and_fast(settings):
    """Pages in English (the msgids); a fast password hasher, as the scene creates ~60 accounts."""
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def in_period(moment) -> bool:
    return moment is not None and START <= moment < END


# --- the scene -------------------------------------------------------------------------------------


def _household(code: str, birth: date, gender: str = "female", *, dong: str | None = None, created=None):
    household = HouseholdFactory(
        district=district(code),
        birth_date=birth,
        gender=gender,
        neighbourhood=Neighbourhood.objects.get(code=dong) if dong else None,
    )
    Household.objects.filter(pk=household.pk).update(created_at=created or seoul("2025-02-01 09:00"))
    return household


def build_households():
    a1, a2 = "1162052500", "1162069500"  # 보라매동, 신림동
    _household(GWANAK, date(2006, 4, 30), dong=a1)  # 19 on the last day
    _household(GWANAK, date(2006, 5, 1), "male", dong=a1)  # still 18
    _household(GWANAK, date(1985, 4, 30), "male", dong=a2)  # 40
    _household(GWANAK, date(1985, 5, 1), "no_answer", dong=a2)  # 39
    _household(GWANAK, date(1960, 4, 30), dong=a2)  # 65
    _household(GWANAK, date(1960, 5, 1), "male")  # 64, no 행정동
    _household(GWANAK, date(1995, 1, 1), created=seoul("2025-03-15 10:00"), dong=a1)  # new in the period
    _household(GWANAK, date(1990, 1, 1), created=seoul("2025-05-01 00:00"))  # after the period
    gone = _household(GWANAK, date(1970, 6, 1))
    Household.objects.filter(pk=gone.pk).update(anonymized_at=seoul("2025-03-20 12:00"))
    _household(JUNGGU, date(1950, 1, 1), "male")
    _household(JUNGGU, date(2000, 1, 1))
    _household(JUNGGU, date(1988, 8, 8))


def build_applications():
    pa1 = ProgramFactory(title="관악 청년 소모임", title_en="Gwanak youth club")
    pa2 = ProgramFactory(title="관악 안심귀가", title_en="Gwanak safe home")
    pb = ProgramFactory(title="중구 놀다가 모임", title_en="Jung-gu meetup", district=district(JUNGGU))

    def app(program, code, status, submitted, decided=None, **fields):
        household = HouseholdFactory(district=district(code))
        if status == "rejected":
            fields.setdefault("decision_reason", "요건 미충족")
        return ApplicationFactory(
            program=program,
            household=household,
            status=status,
            submitted_at=seoul(submitted),
            decided_at=seoul(decided) if decided else None,
            **fields,
        )

    app(pa1, GWANAK, "approved", "2025-03-02 09:00", "2025-03-03 09:00")  # 1 day
    app(pa1, GWANAK, "rejected", "2025-03-05 09:00", "2025-03-07 09:00")  # 2 days
    app(pa1, GWANAK, "completed", "2025-03-10 09:00", "2025-03-14 09:00")  # 4 days
    app(pa2, GWANAK, "approved", "2025-04-01 09:00", "2025-04-11 09:00")  # 10 days
    app(pa2, GWANAK, "submitted", "2025-04-29 09:00")
    app(pa2, GWANAK, "under_review", "2025-03-20 09:00")
    app(pa2, GWANAK, "waitlisted", "2025-03-21 09:00")
    app(pa1, GWANAK, "cancelled", "2025-03-22 09:00")
    app(pa1, GWANAK, "submitted", "2025-02-20 09:00")  # before the period, still waiting
    app(pa1, GWANAK, "approved", "2025-05-02 09:00", "2025-05-03 09:00")  # after the period
    ApplicationFactory(program=pa2, household=HouseholdFactory(), status="submitted")  # just now
    app(pb, JUNGGU, "approved", "2025-03-03 09:00", "2025-03-30 09:00")
    app(pb, JUNGGU, "rejected", "2025-03-04 09:00", "2025-03-05 09:00")
    app(pb, JUNGGU, "submitted", "2025-03-06 09:00")
    return pa1, pa2, pb


def build_spaces():
    room = space_with_room(GWANAK, hours=("10:00", "18:00"), weekdays=range(5))
    space = room.space
    OpeningHours.objects.create(space=space, weekday=5, opens=time(10), closes=time(13))  # Saturday
    kitchen = Room.objects.create(space=space, name="공유부엌", name_en="Kitchen", capacity=6)
    Room.objects.create(space=space, name="창고", capacity=2, is_active=False)
    Closure.objects.create(
        space=space, starts_on=date(2025, 2, 27), ends_on=date(2025, 3, 3), reason="holiday"
    )
    Closure.objects.create(
        space=space, starts_on=date(2025, 3, 3), ends_on=date(2025, 3, 4), reason="maintenance"
    )
    Closure.objects.create(
        space=space, room=kitchen, starts_on=date(2025, 3, 5), ends_on=date(2025, 3, 5), reason="other"
    )
    Closure.objects.create(space=space, starts_on=date(2025, 4, 30), ends_on=date(2025, 5, 9), reason="event")
    book(room, start="2025-03-10 10:00", end="2025-03-10 12:00", status="attended")
    book(room, start="2025-03-11 10:00", end="2025-03-11 13:00", status="no_show")
    cancelled = book(room, start="2025-03-12 14:00", end="2025-03-12 16:00", status="cancelled")
    book(room, start="2025-03-13 10:00", end="2025-03-13 11:30", status="confirmed")
    book(room, start="2025-03-14 10:00", end="2025-03-14 12:00", status="rejected")
    book(room, start="2025-05-02 10:00", end="2025-05-02 12:00", status="attended")  # after the period
    book(kitchen, start="2025-04-01 10:00", end="2025-04-01 12:00", status="attended")
    pending = book(kitchen, start="2025-04-02 13:00", end="2025-04-02 14:00", status="pending")
    other = space_with_room(GWANAK, hours=("09:00", "21:00"))  # no bookings at all
    room_b = space_with_room(JUNGGU, hours=("09:00", "21:00"))
    book(room_b, start="2025-03-10 10:00", end="2025-03-10 13:00", status="no_show")
    book(room_b, start="2025-03-17 10:00", end="2025-03-17 13:00", status="no_show")
    return room, kitchen, cancelled, pending, other, room_b


def build_sessions(pa1, pb, cancelled, pending):
    def session(program, start, participants=None, booking=None):
        fields = (
            {"booking": booking}
            if booking
            else {"starts_at": seoul(start), "ends_at": seoul(start) + timedelta(hours=2)}
        )
        return ProgramSession.objects.create(program=program, participants=participants, **fields)

    session(pa1, "2025-03-15 14:00", 12)
    session(pa1, "2025-04-10 14:00", 8)
    session(pa1, "2025-04-20 14:00")  # participants not recorded yet
    session(pa1, "2025-05-05 14:00", 20)  # after the period
    session(pa1, "", 30, booking=cancelled)  # called off
    citywide = ProgramFactory(title="서울 1인가구 요리교실", title_en="Seoul cooking", district=None)
    session(citywide, "", 5, booking=pending)  # a city-wide program, held in Gwanak's kitchen
    session(pb, "2025-03-20 10:00", 7)
    session(pb, "2025-04-20 10:00", 9)


def build_kits():
    items = [
        KitItem.objects.create(code=code, name=name, name_en=name_en, position=n)
        for n, (code, name, name_en) in enumerate(
            [
                ("lock", "이중잠금장치", "Double lock"),
                ("bell", "비상벨", "Bell"),
                ("cam", "홈CCTV", "Home CCTV"),
            ]
        )
    ]
    lock, bell, cam = items
    offers = {}
    for code in (GWANAK, JUNGGU):
        offers[code] = KitOffer.objects.create(district=district(code))
        offers[code].items.set(items)

    def request(code, submitted, chosen, status="submitted", visit=None, **fields):
        household = HouseholdFactory(district=district(code))
        if status == "rejected":
            fields["decision_reason"] = "재고 소진"
        kit_request = KitRequest.objects.create(
            household=household,
            district=district(code),
            offer=offers[code],
            status=status,
            submitted_at=seoul(submitted),
            **fields,
        )
        for item in chosen:
            KitRequestItem.objects.create(request=kit_request, item=item)
        if visit:
            day, visit_status = visit
            InstallationVisit.objects.create(
                request=kit_request,
                date=day,
                window_start=time(9),
                window_end=time(12),
                installer="안심설치팀",
                status=visit_status,
                failure_reason="부재" if visit_status == "failed" else "",
            )
        return kit_request

    request(GWANAK, "2025-03-05 10:00", [lock, bell], "installed", (date(2025, 4, 2), "installed"))
    request(GWANAK, "2025-04-10 10:00", [lock], "approved", (date(2025, 4, 20), "failed"))
    request(GWANAK, "2025-02-20 10:00", [cam], "installed", (date(2025, 3, 3), "installed"))
    request(GWANAK, "2025-03-20 10:00", [bell], "rejected")
    request(GWANAK, "2025-04-30 23:30", [cam])  # the last half hour of the period, Seoul time
    request(JUNGGU, "2025-03-07 10:00", [lock], "installed", (date(2025, 3, 20), "installed"))
    for code, item, quantity, kind in [
        (GWANAK, lock, 20, "receipt"),
        (GWANAK, bell, 10, "receipt"),
        (GWANAK, lock, -2, "adjustment"),
        (JUNGGU, lock, 5, "receipt"),
    ]:
        StockMovement.objects.create(
            district=district(code), item=item, quantity=quantity, kind=kind, reason="테스트"
        )
    return items


def build_lockers():
    site_a = make_site(GWANAK, name="신림동 안심택배함")
    make_site(GWANAK, name="보라매동 안심택배함")  # nothing delivered
    site_b = make_site(JUNGGU, name="황학동 안심택배함")

    def delivery(site, n, deposited, picked=None):
        recipient = make_recipient(site)
        return Delivery.objects.create(
            compartment=site.compartments.order_by("pk")[n],
            recipient=recipient,
            district=site.district,
            code_hash="x" * 64,
            status="picked_up" if picked else "stored",
            deposited_at=seoul(deposited),
            picked_up_at=seoul(picked) if picked else None,
        )

    delivery(site_a, 0, "2025-03-02 10:00", "2025-03-03 18:00")
    delivery(site_a, 0, "2025-04-30 23:00", "2025-05-01 01:00")
    delivery(site_a, 1, "2025-02-27 10:00", "2025-03-01 00:30")
    delivery(site_a, 2, "2025-03-10 10:00")
    delivery(site_a, 3, "2025-05-03 10:00")
    delivery(site_b, 0, "2025-03-05 10:00", "2025-03-05 19:00")
    return site_a, site_b


@pytest.fixture
def scene(db):
    build_households()
    pa1, pa2, pb = build_applications()
    room, kitchen, cancelled, pending, other, room_b = build_spaces()
    build_sessions(pa1, pb, cancelled, pending)
    build_kits()
    build_lockers()
    cache.clear()
    return {"pa1": pa1, "pa2": pa2, "pb": pb, "room": room, "room_b": room_b}


# --- the same figures, computed from the rows ------------------------------------------------------


def expected_households(district_id=None):
    rows = [
        h
        for h in Household.objects.all()
        if (district_id is None or h.district_id == district_id)
        and h.anonymized_at is None
        and h.created_at < END
    ]
    bands = Counter()
    for h in rows:
        age = h.age_on(P.end)
        bands["under_19" if age < 19 else "19_39" if age < 40 else "40_64" if age < 65 else "65_plus"] += 1
    areas = Counter(
        (h.district.name if district_id is None else (h.neighbourhood.name if h.neighbourhood else None))
        for h in rows
    )
    return {
        "total": len(rows),
        "new": sum(1 for h in rows if h.created_at >= START),
        "bands": {band: bands[band] for band in ("under_19", "19_39", "40_64", "65_plus")},
        "genders": Counter(h.gender for h in rows),
        "areas": areas,
    }


def expected_applications(district_id=None):
    rows = [a for a in Application.objects.all() if district_id is None or a.district_id == district_id]
    period = [a for a in rows if in_period(a.submitted_at)]
    decided = [a for a in period if a.status in ("approved", "completed", "rejected")]
    durations = [(a.decided_at - a.submitted_at).total_seconds() / 86400 for a in decided if a.decided_at]
    now = timezone.now()
    return {
        "by_program_status": Counter((a.program_id, a.status) for a in period),
        "total": len(period),
        "decided": len(decided),
        "approved": sum(1 for a in decided if a.status in ("approved", "completed")),
        "median": statistics.median(durations) if durations else None,
        "waiting": sum(
            1 for a in rows if a.status in UNDECIDED_STATUSES and a.submitted_at < now - timedelta(hours=48)
        ),
    }


def expected_sessions(district_id=None):
    result = defaultdict(lambda: [0, 0])
    for s in ProgramSession.objects.select_related("program", "booking"):
        if not in_period(s.starts_at):
            continue
        if s.booking and s.booking.status in ("cancelled", "rejected"):
            continue
        if district_id is not None and not (
            s.program.district_id == district_id or (s.booking and s.booking.district_id == district_id)
        ):
            continue
        result[s.program_id][0] += 1
        result[s.program_id][1] += s.participants or 0
    return {pk: tuple(v) for pk, v in result.items()}


def expected_kits(district_id=None):
    requested, installed = Counter(), Counter()
    for row in KitRequestItem.objects.select_related("request"):
        r = row.request
        if (district_id is None or r.district_id == district_id) and in_period(r.submitted_at):
            local = timezone.localtime(r.submitted_at, SEOUL).date()
            requested[(row.item_id, local.replace(day=1))] += 1
    for visit in InstallationVisit.objects.select_related("request"):
        r = visit.request
        if visit.status != "installed" or not (P.start <= visit.date <= P.end):
            continue
        if district_id is None or r.district_id == district_id:
            for row in KitRequestItem.objects.filter(request=r):
                installed[(row.item_id, visit.date.replace(day=1))] += 1
    stock = Counter()
    for movement in StockMovement.objects.all():
        if district_id is None or movement.district_id == district_id:
            stock[movement.item_id] += movement.quantity
    return requested, installed, stock


def expected_lockers(district_id=None):
    result = defaultdict(lambda: [0, 0])
    for d in Delivery.objects.select_related("compartment"):
        if district_id is not None and d.district_id != district_id:
            continue
        if in_period(d.deposited_at):
            result[d.compartment.site_id][0] += 1
        if in_period(d.picked_up_at):
            result[d.compartment.site_id][1] += 1
    return {site: tuple(v) for site, v in result.items()}


def expected_spaces(district_id=None):
    """Open hours walked day by day and room by room; booked hours and no-shows booking by booking."""
    result = {}
    for room in Room.objects.select_related("space"):
        space = room.space
        if district_id is not None and space.district_id != district_id:
            continue
        entry = result.setdefault(space.pk, {"open": 0.0, "booked": 0.0, "attended": 0, "no_show": 0})
        if not room.is_active:
            continue
        day = P.start
        while day <= P.end:
            closed = (
                Closure.objects.filter(space=space, starts_on__lte=day, ends_on__gte=day)
                .filter(room__isnull=True)
                .exists()
                or Closure.objects.filter(room=room, starts_on__lte=day, ends_on__gte=day).exists()
            )
            if not closed:
                for hours in OpeningHours.objects.filter(space=space, weekday=day.weekday()):
                    opens = datetime.combine(day, hours.opens)
                    closes = datetime.combine(day, hours.closes)
                    entry["open"] += (closes - opens).total_seconds() / 3600
            day += timedelta(days=1)
    for b in Booking.objects.select_related("room"):
        if b.room.space_id not in result or not in_period(b.starts_at):
            continue
        entry = result[b.room.space_id]
        if b.status in ACTIVE_STATUSES:
            entry["booked"] += (b.ends_at - b.starts_at).total_seconds() / 3600
        entry["attended"] += b.status == "attended"
        entry["no_show"] += b.status == "no_show"
    return result


# --- helpers ---------------------------------------------------------------------------------------


def dashboard(client, user, **params):
    client.force_login(user)
    response = client.get(URL, {**QUERY, **params})
    assert response.status_code == 200, response.status_code
    return response


def check_every_panel(context, district_id):
    households = context["households"]
    exp = expected_households(district_id)
    assert households.total == exp["total"]
    assert households.new_in_period == exp["new"]
    assert households.age_bands == exp["bands"]
    assert households.genders == {g: exp["genders"][g] for g in ("female", "male", "no_answer")}
    assert {(area.ko if area else None): n for area, n in households.areas} == dict(exp["areas"])

    applications = context["applications"]
    exp = expected_applications(district_id)
    got = Counter({(p.program_id, s): n for p in applications.programs for s, n in p.by_status.items()})
    assert got == exp["by_program_status"]
    assert applications.total == exp["total"]
    assert applications.decided == exp["decided"]
    assert applications.approved == exp["approved"]
    assert applications.approval_rate == (exp["approved"] / exp["decided"] if exp["decided"] else None)
    assert applications.median_days == pytest.approx(exp["median"])
    assert applications.waiting_over_48h == exp["waiting"]

    sessions = context["sessions"]
    assert {p.program_id: (p.sessions, p.participants) for p in sessions.programs} == expected_sessions(
        district_id
    )

    kits = context["kits"]
    requested, installed, stock = expected_kits(district_id)
    assert kits.requested_by_month == dict(requested)
    assert kits.installed_by_month == dict(installed)
    assert {row.item_id: row.stock for row in kits.items if row.stock} == {
        k: v for k, v in stock.items() if v
    }
    for row in kits.items:
        assert row.requested == sum(n for (item, _m), n in requested.items() if item == row.item_id)
        assert row.installed == sum(n for (item, _m), n in installed.items() if item == row.item_id)

    lockers = context["lockers"]
    exp = expected_lockers(district_id)
    assert {s.site_id: (s.deposited, s.picked_up) for s in lockers.sites if s.deposited or s.picked_up} == exp

    spaces = context["spaces"]
    exp = expected_spaces(district_id)
    assert {s.space_id for s in spaces.spaces} == set(exp)
    for row in spaces.spaces:
        want = exp[row.space_id]
        assert row.open_hours == pytest.approx(want["open"])
        assert row.booked_hours == pytest.approx(want["booked"])
        assert (row.attended, row.no_show) == (want["attended"], want["no_show"])


# --- the numbers -----------------------------------------------------------------------------------


def test_district_manager_sees_their_districts_numbers(client, scene, manager_a):
    response = dashboard(client, manager_a)
    check_every_panel(response.context, district(GWANAK).pk)


def test_the_scene_covers_what_it_means_to(client, scene, manager_a):
    """Guard against a vacuous comparison: the scene's known figures, written out."""
    context = dashboard(client, manager_a).context
    households = context["households"]
    assert households.age_bands == {"under_19": 1, "19_39": 3, "40_64": 2, "65_plus": 1}
    assert households.total == 7 and households.new_in_period == 1
    applications = context["applications"]
    assert applications.total == 8 and applications.decided == 4 and applications.approved == 3
    assert applications.median_days == pytest.approx(3.0)  # 1, 2, 4, 10 days
    assert applications.waiting_over_48h == 4  # submitted in Feb and Apr, under review, waitlisted
    sessions = context["sessions"]
    assert (sessions.sessions, sessions.participants) == (4, 25)
    kits = context["kits"]
    assert (kits.requested, kits.installed) == (5, 3)
    assert kits.requested_by_month[(KitItem.objects.get(code="cam").pk, date(2025, 4, 1))] == 1
    lockers = context["lockers"]
    assert (lockers.deposited, lockers.picked_up) == (3, 2)
    assert len(lockers.sites) == 2  # the empty site is listed too
    space = context["spaces"].spaces[0]
    # Weekdays 8 h, Saturdays 3 h, two bookable rooms: 43 weekdays and 9 Saturdays in March–April 2025,
    # less the space's closures on 1 Mar (Sat), 3 and 4 Mar and 30 Apr, and the kitchen's on 5 Mar.
    assert space.open_hours == pytest.approx(2 * (43 * 8 + 9 * 3) - 2 * (3 + 8 + 8 + 8) - 8)
    assert space.booked_hours == pytest.approx(2 + 3 + 1.5 + 2 + 1)
    assert space.no_show_rate == pytest.approx(1 / 3)


def test_city_admin_sees_any_district_and_all_of_them(client, scene, city_admin):
    check_every_panel(dashboard(client, city_admin, district=JUNGGU).context, district(JUNGGU).pk)
    check_every_panel(dashboard(client, city_admin, district="all").context, None)


def test_city_admins_default_is_every_district(client, scene, city_admin):
    client.force_login(city_admin)
    response = client.get(URL, QUERY)
    assert response.context["district"] is None
    check_every_panel(response.context, None)


def test_age_bands_follow_birthdays_on_the_last_day():
    assert years_before(date(2025, 4, 30), 19) == date(2006, 4, 30)
    assert years_before(date(2024, 2, 29), 65) == date(1959, 2, 28)


def test_the_page_shows_the_numbers_labelled(client, scene, manager_a):
    html = dashboard(client, manager_a).content.decode()
    assert "Registered households at the end of the period" in html
    assert "<dd>7</dd>" in html
    assert "Approval rate" in html and "<dd>75.0%</dd>" in html
    assert "<dd>3.0 days</dd>" in html
    assert "Participants" in html and "<dd>25</dd>" in html
    assert "Gwanak youth club" in html


# --- scoping ---------------------------------------------------------------------------------------


def test_a_manager_never_sees_another_districts_numbers(client, scene, manager_a):
    response = dashboard(client, manager_a)
    html = response.content.decode()
    assert "Jung-gu meetup" not in html  # district B's program
    assert "황학동 안심택배함" not in html  # district B's locker site
    program_ids = {p.program_id for p in response.context["applications"].programs}
    assert scene["pb"].pk not in program_ids
    b_space = scene["room_b"].space_id
    assert b_space not in {s.space_id for s in response.context["spaces"].spaces}


@pytest.mark.parametrize("value", [JUNGGU, "all", "99999", "<script>"])
def test_a_manager_cannot_ask_for_another_district(client, scene, manager_a, value):
    client.force_login(manager_a)
    assert client.get(URL, {**QUERY, "district": value}).status_code == 404


def test_a_managers_view_never_comes_from_a_city_admins_cache(client, scene, manager_a, city_admin):
    dashboard(client, city_admin, district=GWANAK)
    check_every_panel(dashboard(client, manager_a, district=GWANAK).context, district(GWANAK).pk)


@pytest.mark.parametrize("persona", ["caseworker_a", "program_manager_a", "resident"])
def test_other_people_are_refused(client, db, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403


def test_not_logged_in_goes_to_the_staff_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_only_get(client, manager_a):
    client.force_login(manager_a)
    assert client.post(URL).status_code == 405


# --- queries and cache -----------------------------------------------------------------------------


def _queries(client, user) -> int:
    cache.clear()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, QUERY).status_code == 200
    return len(queries)


def _more_rows(scene, hour: int):
    """Ten more of everything in district A, all inside the period (bookings at `hour` o'clock)."""
    for n in range(10):
        household = _household(GWANAK, date(1980 + n, 1, 1), created=seoul("2025-03-02 09:00"))
        ApplicationFactory(
            program=scene["pa1"], household=household, submitted_at=seoul(f"2025-03-{n + 10} {hour}:00")
        )
        book(
            scene["room"],
            start=f"2025-04-{n + 10} {hour}:00",
            end=f"2025-04-{n + 10} {hour}:30",
            status="attended",
        )
        ProgramSession.objects.create(
            program=scene["pa2"],
            starts_at=seoul(f"2025-04-{n + 1:02d} {hour}:00"),
            ends_at=seoul(f"2025-04-{n + 1:02d} {hour}:30"),
        )


def test_query_count_is_bounded_and_does_not_grow_with_rows(client, scene, manager_a, city_admin):
    users = (manager_a, city_admin)
    counts = [_queries(client, user) for user in users]
    # Eleven panels (households … outreach, care, benefits, inquiries, community), each a bounded handful of
    # aggregate queries whatever the number of rows.
    assert all(n <= 30 for n in counts), counts
    _more_rows(scene, 10)
    assert [_queries(client, user) for user in users] == counts
    _more_rows(scene, 15)
    assert [_queries(client, user) for user in users] == counts


def test_a_cached_page_makes_no_panel_queries(client, scene, manager_a, django_assert_max_num_queries):
    dashboard(client, manager_a)
    # The session, the user, their district and the page's unread-notifications count: no panel query.
    with django_assert_max_num_queries(4):
        assert client.get(URL, QUERY).status_code == 200


def test_a_change_is_visible_after_invalidation(client, scene, manager_a):
    first = dashboard(client, manager_a).context
    assert first["applications"].approved == 3

    # A service-style save sends post_save: the application panel's version moves on at once.
    pending = Application.objects.get(status="under_review", district__code=GWANAK)
    pending.status = "approved"
    pending.decided_at = seoul("2025-03-25 09:00")
    pending.save(update_fields=["status", "decided_at"])
    context = dashboard(client, manager_a).context
    assert context["applications"].approved == 4
    check_every_panel(context, district(GWANAK).pk)

    # A household deleted (anonymized) through save(): the household panel follows.
    household = Household.objects.filter(district__code=GWANAK, anonymized_at__isnull=True).first()
    household.anonymized_at = timezone.now()
    household.save()
    assert dashboard(client, manager_a).context["households"].total == first["households"].total - 1

    # A no-show marked on a booking: the space's no-show rate follows.
    booking = Booking.objects.get(room=scene["room"], status="confirmed")
    booking.status = "no_show"
    booking.save()
    context = dashboard(client, manager_a).context
    assert context["spaces"].spaces[0].no_show == 2
    check_every_panel(context, district(GWANAK).pk)


def test_writes_without_signals_are_cached_until_invalidated(client, scene, manager_a):
    """The panels really are cached (a bulk update sends no signal), and a bump makes them current."""
    assert dashboard(client, manager_a).context["lockers"].deposited == 3
    Delivery.objects.filter(district__code=GWANAK).update(deposited_at=seoul("2025-01-01 10:00"))
    assert dashboard(client, manager_a).context["lockers"].deposited == 3
    bump("lockers", district(GWANAK).pk)
    assert dashboard(client, manager_a).context["lockers"].deposited == 0


def test_a_change_in_another_district_leaves_this_one_cached(client, scene, manager_a, city_admin):
    dashboard(client, manager_a)
    dashboard(client, city_admin, district="all")
    Application.objects.filter(district__code=GWANAK).update(status="cancelled")  # no signal
    b = Application.objects.filter(district__code=JUNGGU).first()
    b.save()  # district B's (and "all") version moves on
    assert dashboard(client, manager_a).context["applications"].by_status.get("cancelled") == 1  # cached
    check_every_panel(dashboard(client, city_admin, district="all").context, None)  # recomputed


def test_a_cache_outage_neither_breaks_the_page_nor_a_write(client, scene, manager_a, monkeypatch):
    from django.core.cache import caches

    def down(*args, **kwargs):
        raise ConnectionError("cache down")

    # Patched on the backend's class: the test's cache instance is replaced when its settings are
    # restored, and an instance patch would then be undone on the wrong object.
    backend = type(caches["default"])
    for method in ("get_many", "set_many", "incr", "set", "add", "get"):
        monkeypatch.setattr(backend, method, down)
    check_every_panel(dashboard(client, manager_a).context, district(GWANAK).pk)
    application = Application.objects.filter(district__code=GWANAK).first()
    application.save()  # the failed invalidation is logged, the save goes through


# --- charts and the form ---------------------------------------------------------------------------


def test_charts_are_accessible_svg_with_a_table(client, scene, manager_a):
    html = dashboard(client, manager_a).content.decode()
    assert html.count('role="img"') >= 8
    assert 'aria-labelledby="chart-age-title chart-age-desc"' in html
    assert '<title id="chart-age-title">Registered households by age band</title>' in html
    assert '<desc id="chart-age-desc">' in html
    assert "<caption>Registered households by age band" in html
    assert '<th scope="row">19–39 (youth)</th><td class="numeric">3</td>' in html
    assert "css/reports.css" in html


def test_empty_period_draws_no_empty_charts(client, scene, manager_a):
    html = dashboard(client, manager_a, **{"from": "2010-01-01", "to": "2010-01-31"}).content.decode()
    assert "nothing in this period" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13-01", "to": "2025-04-30"}, "Enter a real date"),
        ({"from": "", "to": "2025-04-30"}, "Enter the first day of the period."),
        (
            {"from": "2025-04-30", "to": "2025-03-01"},
            "The last day must be the same as or after the first day.",
        ),
        ({"from": "2023-03-01", "to": "2025-03-01"}, "Choose a period of at most two years."),
        ({"from": "1999-12-31", "to": "2000-01-05"}, "Enter a date between 2000 and 2100."),
        ({"from": "0001-01-01", "to": "9999-12-31"}, "Enter a date between 2000 and 2100."),
    ],
)
def test_bad_periods_get_a_message_and_keep_the_input(client, manager_a, params, message):
    client.force_login(manager_a)
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'class="error-summary"' in html
    assert f'value="{params["from"]}"' in html or not params["from"]
    assert "chart-age" not in html  # no figures for a period that was not understood


def test_two_years_exactly_is_allowed(client, manager_a):
    client.force_login(manager_a)
    response = client.get(URL, {"from": "2023-03-01", "to": "2025-02-28"})
    assert response.status_code == 200 and not response.context["form"].errors


def test_default_period_is_this_month_so_far(client, manager_a):
    client.force_login(manager_a)
    response = client.get(URL)
    today = timezone.localdate()
    assert response.context["period"] == Period(today.replace(day=1), today)
    assert response.context["district"].code == GWANAK


def test_each_chart_shows_its_title_above_the_drawing_and_keeps_its_labels_readable(client, scene, manager_a):
    """Found in the browser: charts looked untitled (the title was the caption of the table below) and
    their labels shrank to about 10 px in a narrow column."""
    import re

    html = dashboard(client, manager_a).content.decode()
    figure = re.search(r'<figure class="dashboard-chart" id="chart-age">(.*?)</figure>', html, re.S).group(1)
    assert figure.index('class="dashboard-chart__title"') < figure.index("<svg")
    assert "Registered households by age band" in figure[: figure.index("<svg")]
    css = (settings.BASE_DIR / "static" / "css" / "reports.css").read_text()
    assert re.search(r"\.chart__svg \{[^}]*min-width: 36rem", css)
    assert re.search(r"\.dashboard-chart__drawing \{[^}]*overflow-x: auto", css)


def test_a_trend_over_one_month_is_drawn_as_bars_not_two_lone_dots():
    """Found in the browser: a period within one month drew the monthly line chart as two dots."""
    from reports.dashboard.charts import Series, line_chart

    one = line_chart(
        "kits", "Kits per month", ["2026-11"], [Series("Requested", [4]), Series("Installed", [2])]
    )
    two = line_chart(
        "kits",
        "Kits per month",
        ["2026-10", "2026-11"],
        [Series("Requested", [3, 4]), Series("Installed", [1, 2])],
    )

    assert "<polyline" not in str(one.svg) and "<circle" not in str(one.svg)
    assert str(one.svg).count("<rect") >= 2  # a bar for each series
    assert one.rows == [["2026-11", "4", "2"]]
    assert "<polyline" in str(two.svg)
