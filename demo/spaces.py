"""Demo community spaces: Jung-gu's 1인가구 소통공간 <놀다가> in 황학동 (shared kitchen and meeting room,
from the 정책실명제 record: opened '23.1.28., 공유부엌·소모임, 행복한밥상, 재무교육, 가드닝, 포틀럭파티) and
Gwanak-gu's 1인가구지원센터 (program room and counselling room), with opening hours, Korean public
holidays as closures, one maintenance closure (the record mentions the toilet remodelling), Jung-gu's
booking policy, staff series for the regular programs (each occurrence a ProgramSession of its program),
a few past 행복한밥상 sessions with participant counts and the demo residents' bookings.

Idempotent: spaces by slug, rooms by (space, name), closures by (space, days, reason), series by (room,
title), past sessions and resident bookings only when there are none yet. Series and bookings go through
spaces.services, so their audit events and notifications are those of real ones. Dates are relative to
the day of the first load: a series that meets a holiday or a booked date is shortened to the longest run
of free weeks, never refused, and the loader never fails on a booking it cannot make.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import holidays
from django.db import models
from django.utils import timezone

from portal.errors import DomainError
from portal.models import District, Neighbourhood, User
from portal.timeutils import local_datetime
from programs.models import Program, ProgramSession
from spaces.availability import room_days
from spaces.models import (
    AccessFeature,
    Amenity,
    Booking,
    BookingPolicy,
    BookingSeries,
    Closure,
    ClosureReason,
    OpeningHours,
    Room,
    RoomKind,
    Space,
)
from spaces.rules import week_start
from spaces.services import BookingError, booking_create, series_conflicts, series_create, series_dates

JUNGGU, GWANAK = "11140", "11620"
MAINTENANCE_NOTE = "화장실 보수 공사"
SERIES_WEEKS = 8
NOT_SPACE_FIELDS = {"slug", "district", "neighbourhood", "hours", "rooms"}

SPACES: list[dict[str, Any]] = [
    {
        "slug": "junggu-noldaga",
        "district": JUNGGU,
        "neighbourhood": "황학동",
        "name": "1인가구 소통공간 <놀다가>",
        "name_en": "Noldaga, the community space for people living alone",
        "summary": "중구 1인가구가 함께 밥을 짓고, 소모임을 열고, 이웃을 만나는 황학동의 소통공간입니다"
        "('23.1.28. 개소). 공유부엌과 모임방을 예약해 쓸 수 있고, 행복한밥상·재무교육·가드닝·"
        "포틀럭파티 같은 상시 프로그램이 열립니다.",
        "summary_en": "Jung-gu's community space in Hwanghak-dong where people living alone cook, hold "
        "small group meetings and meet their neighbours (opened 28 January 2023). Book the shared kitchen "
        "or the meeting room; regular programs include Happy Table social dining, money classes, "
        "gardening and potluck parties.",
        "address": "서울특별시 중구 황학동 1인가구 소통공간 <놀다가> (예시 주소)",
        "directions": "지하철 2·6호선 신당역에서 도보 약 10분 (예시)",
        "phone": "02-3396-6325",
        "amenities": [
            Amenity.KITCHEN,
            Amenity.WIFI,
            Amenity.TABLES,
            Amenity.PROJECTOR,
            Amenity.LIBRARY,
            Amenity.LOCKERS,
        ],
        "access_features": [AccessFeature.STEP_FREE, AccessFeature.ACCESSIBLE_TOILET],
        "accessibility_notes": "1층, 출입구 턱 없음. 화장실은 '23.4. 전면 리모델링 때 장애인 화장실로 "
        "고쳤습니다. 도움이 필요하면 방문 전에 전화해 주세요.",
        "accessibility_notes_en": "Ground floor, step-free entrance. The toilet was rebuilt as an "
        "accessible toilet in the April 2023 remodelling. Call ahead if you need assistance.",
        # Tue–Sat 10:00–21:00, Sun 10:00–17:00, closed on Mondays.
        "hours": [(day, time(10), time(21)) for day in range(1, 6)] + [(6, time(10), time(17))],
        "rooms": [
            {
                "name": "공유부엌",
                "name_en": "Shared kitchen",
                "kind": RoomKind.KITCHEN,
                "description": "인덕션 4구, 오븐, 냉장고, 조리도구와 식기를 갖춘 공유부엌입니다. "
                "불을 쓰는 공간이라 예약마다 담당자가 확인한 뒤 확정합니다. 사용 후 설거지와 정리를 "
                "부탁드립니다.",
                "description_en": "A shared kitchen with a four-ring induction hob, an oven, a fridge, "
                "utensils and tableware. Because of the cooking equipment, staff confirm each booking. "
                "Please wash up and tidy after use.",
                "capacity": 8,
                "slot_minutes": 30,
                "min_minutes": 60,
                "max_minutes": 180,
                "max_days_ahead": 30,
                "min_notice_hours": 24,
                "cancel_deadline_hours": 24,
                "requires_approval": True,
            },
            {
                "name": "모임방",
                "name_en": "Meeting room",
                "kind": RoomKind.MEETING,
                "description": "큰 테이블과 빔프로젝터가 있는 소모임 공간입니다. 독서모임, 스터디, "
                "취미 모임에 쓰세요. 규칙에 맞는 예약은 바로 확정됩니다.",
                "description_en": "A room for small groups with a large table and a projector: book "
                "clubs, study groups, hobby groups. A booking that meets the rules is confirmed at once.",
                "capacity": 12,
                "slot_minutes": 30,
                "min_minutes": 60,
                "max_minutes": 180,
                "max_days_ahead": 30,
                "min_notice_hours": 1,
                "cancel_deadline_hours": 24,
                "requires_approval": False,
            },
        ],
    },
    {
        "slug": "gwanak-single-household-center",
        "district": GWANAK,
        "neighbourhood": None,
        "name": "관악구 1인가구지원센터",
        "name_en": "Gwanak-gu Single-Person Household Support Centre",
        "summary": "관악구 가족센터 안의 1인가구지원센터입니다. 원데이 클래스와 소모임에 쓰는 "
        "프로그램실, 1:1 상담에 쓰는 상담실이 있습니다.",
        "summary_en": "The support centre for people living alone, inside the Gwanak-gu Family Centre: a "
        "program room for one-day classes and groups, and a counselling room for one-to-one talks.",
        "address": "서울특별시 관악구 관악구가족센터 내 1인가구지원센터 (예시 주소)",
        "directions": "",
        "phone": "02-879-5594",
        "amenities": [Amenity.PROJECTOR, Amenity.WIFI, Amenity.TABLES, Amenity.SOUND],
        "access_features": [AccessFeature.STEP_FREE, AccessFeature.LIFT, AccessFeature.ACCESSIBLE_TOILET],
        "accessibility_notes": "엘리베이터로 센터 층까지 갈 수 있고, 같은 층에 장애인 화장실이 있습니다.",
        "accessibility_notes_en": "A lift goes to the centre's floor; there is an accessible toilet on the "
        "same floor.",
        "hours": [(day, time(9), time(18)) for day in range(0, 5)],  # Mon–Fri 09:00–18:00
        "rooms": [
            {
                "name": "프로그램실",
                "name_en": "Program room",
                "kind": RoomKind.STUDIO,
                "description": "원데이 클래스, 영화 모임, 소모임을 여는 프로그램실입니다.",
                "description_en": "The room for one-day classes, film club and small groups.",
                "capacity": 20,
                "slot_minutes": 30,
                "min_minutes": 60,
                "max_minutes": 180,
                "max_days_ahead": 30,
                "min_notice_hours": 1,
                "cancel_deadline_hours": 24,
                "requires_approval": False,
            },
            {
                "name": "상담실",
                "name_en": "Counselling room",
                "kind": RoomKind.COUNSELLING,
                "description": "방음이 되는 작은 상담실입니다. 1:1 상담이나 멘토링에 쓰며, 담당자가 "
                "예약을 확인한 뒤 확정합니다.",
                "description_en": "A small soundproofed room for one-to-one counselling or mentoring; "
                "staff confirm each booking.",
                "capacity": 3,
                "slot_minutes": 30,
                "min_minutes": 60,
                "max_minutes": 120,
                "max_days_ahead": 30,
                "min_notice_hours": 24,
                "cancel_deadline_hours": 24,
                "requires_approval": True,
            },
        ],
    },
]

# The weekly staff series: (space slug, room, title, program slug, weekday, start, end, headcount,
# staff account). Korean weekday numbers as Python's: 3 = Thursday, 5 = Saturday.
SERIES: list[tuple] = [
    (
        "junggu-noldaga",
        "공유부엌",
        "행복한밥상(소셜다이닝)",
        "junggu-happy-table",
        3,
        time(18, 30),
        time(20, 30),
        8,
        "programs.junggu@hana.demo",
    ),
    (
        "junggu-noldaga",
        "모임방",
        "가드닝 클래스·포틀럭파티",
        "junggu-gardening-potluck",
        5,
        time(14),
        time(16),
        12,
        "programs.junggu@hana.demo",
    ),
    (
        "gwanak-single-household-center",
        "프로그램실",
        "1인가구지원센터 원데이 클래스",
        "gwanak-support-center-leisure",
        2,
        time(14),
        time(16),
        15,
        "caseworker.gwanak@hana.demo",
    ),
]

# Past 행복한밥상 evenings (the record: 30 programs with 585 participants in 2022, 행복한밥상 a regular
# one since <놀다가> opened). (weeks before this week, menu, menu in English, participants)
PAST_HAPPY_TABLE = [
    (12, "봄나물 비빔밥과 된장국", "Spring greens bibimbap and doenjang soup", 14),
    (10, "김밥 함께 말기", "Rolling gimbap together", 15),
    (8, "닭볶음탕", "Braised spicy chicken", 12),
    (6, "잡채와 전 부치기", "Japchae and savoury pancakes", 15),
    (4, "카레라이스와 샐러드", "Curry rice and salad", 11),
    (2, "김치찌개와 계란말이", "Kimchi stew and rolled omelette", 13),
]

# The demo residents' own bookings: (email, space slug, room, minutes, preferred start, headcount,
# purpose). Each resident books in their own district.
RESIDENT_BOOKINGS: dict[str, list[tuple]] = {
    "resident@hana.demo": [
        ("gwanak-single-household-center", "프로그램실", 120, time(14), 6, "신림동 독서 소모임"),
        ("gwanak-single-household-center", "상담실", 60, time(10), 2, "재무상담 멘토와 1:1 상담"),
    ],
    # Pending: the Jung-gu caseworker's approval queue has one to decide.
    "resident2@hana.demo": [
        ("junggu-noldaga", "공유부엌", 120, time(11), 5, "이웃들과 반찬 만들어 나누기"),
    ],
}


def load_spaces(*, today: date | None = None) -> None:
    today = today or timezone.localdate()
    spaces = {spec["slug"]: _space(spec) for spec in SPACES}
    BookingPolicy.objects.get_or_create(district=District.objects.get(code=JUNGGU))
    for space in spaces.values():
        _holidays(space, today)
    _maintenance(spaces["junggu-noldaga"], today)
    for spec in SERIES:
        _series(spaces, spec, today)
    _past_sessions(today)
    for email, wanted in RESIDENT_BOOKINGS.items():
        _resident_bookings(email, wanted, spaces, today)


# --- spaces, rooms, hours, closures -------------------------------------------------------------------
def _upsert(obj: models.Model, values: dict[str, Any]) -> models.Model:
    """Save `obj` with `values` only when it is new or any of them differs (a save writes a history row)."""
    changed = obj.pk is None
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            if getattr(obj, field.attname) != (value.pk if value is not None else None):
                setattr(obj, name, value)
                changed = True
        elif getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    if changed:
        obj.full_clean()
        obj.save()
    return obj


def _space(spec: dict[str, Any]) -> Space:
    district = District.objects.get(code=spec["district"])
    neighbourhood = (
        Neighbourhood.objects.get(district=district, name=spec["neighbourhood"])
        if spec["neighbourhood"]
        else None
    )
    fields = {k: v for k, v in spec.items() if k not in NOT_SPACE_FIELDS}
    fields["amenities"] = [str(v) for v in fields["amenities"]]
    fields["access_features"] = [str(v) for v in fields["access_features"]]
    space = Space.objects.filter(slug=spec["slug"]).first() or Space(slug=spec["slug"])
    _upsert(space, {**fields, "district": district, "neighbourhood": neighbourhood, "is_active": True})
    for room_spec in spec["rooms"]:
        room = Room.objects.filter(space=space, name=room_spec["name"]).first() or Room(space=space)
        _upsert(room, {**room_spec, "kind": str(room_spec["kind"]), "is_active": True})
    wanted = sorted(spec["hours"])
    have = sorted(space.opening_hours.values_list("weekday", "opens", "closes"))
    if have != wanted:
        space.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(
            OpeningHours(space=space, weekday=w, opens=o, closes=c) for w, o, c in wanted
        )
    return space


def _holidays(space: Space, today: date) -> None:
    """Korean public holidays (substitute holidays included) of this year and the next, one closure each."""
    days = holidays.KR(years=[today.year, today.year + 1], language="ko")
    have = set(
        Closure.objects.filter(space=space, room=None, reason=ClosureReason.HOLIDAY).values_list(
            "starts_on", "ends_on"
        )
    )
    Closure.objects.bulk_create(
        Closure(space=space, starts_on=day, ends_on=day, reason=ClosureReason.HOLIDAY, note=str(name)[:200])
        for day, name in sorted(days.items())
        if (day, day) not in have
    )


def _maintenance(space: Space, today: date) -> None:
    """Two days of works, three weeks after the first load: a Tuesday and Wednesday, so the regular
    programs (Thursday, Saturday) keep their dates."""
    if Closure.objects.filter(space=space, reason=ClosureReason.MAINTENANCE, note=MAINTENANCE_NOTE).exists():
        return
    tuesday = week_start(today) + timedelta(weeks=3, days=1)
    Closure.objects.create(
        space=space,
        starts_on=tuesday,
        ends_on=tuesday + timedelta(days=1),
        reason=ClosureReason.MAINTENANCE,
        note=MAINTENANCE_NOTE,
    )


# --- staff series -------------------------------------------------------------------------------------
def series_window(
    room: Room, weekday: int, start: time, end: time, first: date, weeks: int
) -> tuple[date, date] | None:
    """The longest run of consecutive weekly dates from `first` over `weeks` weeks on which the room can
    be booked (not a holiday or closure, inside opening hours, not taken), as (first date, last date)."""
    days = series_dates([weekday], first, first + timedelta(weeks=weeks) - timedelta(days=1))
    if not days:
        return None
    blocked = {conflict.day for conflict in series_conflicts(room, days, start, end)}
    best: list[date] = []
    run: list[date] = []
    for day in days:
        run = [] if day in blocked else [*run, day]
        if len(run) > len(best):
            best = run
    return (best[0], best[-1]) if best else None


def _series(spaces: dict[str, Space], spec: tuple, today: date) -> None:
    slug, room_name, title, program_slug, weekday, start, end, headcount, email = spec
    room = Room.objects.select_related("space").get(space=spaces[slug], name=room_name)
    if BookingSeries.objects.filter(room=room, title=title).exists():
        return
    window = series_window(room, weekday, start, end, week_start(today) + timedelta(weeks=1), SERIES_WEEKS)
    if window is None:
        return
    program = Program.objects.filter(slug=program_slug).first()
    try:
        series_create(
            actor=User.objects.get(email=email),
            room_id=room.pk,
            title=title,
            weekdays=[weekday],
            start_time=start,
            end_time=end,
            starts_on=window[0],
            ends_on=window[1],
            headcount=min(headcount, room.capacity),
            program_id=program.pk if program else None,
        )
    except BookingError:
        return  # e.g. booked in between by someone trying the demo: the next load tries again


def _past_sessions(today: date) -> None:
    program = Program.objects.filter(slug="junggu-happy-table").first()
    if program is None or ProgramSession.objects.filter(program=program, booking__isnull=True).exists():
        return
    thursday = week_start(today) + timedelta(days=3)
    ProgramSession.objects.bulk_create(
        ProgramSession(
            program=program,
            title=f"행복한밥상: {menu}",
            title_en=f"Happy Table: {menu_en}",
            starts_at=local_datetime(thursday - timedelta(weeks=weeks), time(18, 30)),
            ends_at=local_datetime(thursday - timedelta(weeks=weeks), time(20, 30)),
            place="1인가구 소통공간 <놀다가> (황학동)",
            participants=participants,
        )
        for weeks, menu, menu_en, participants in PAST_HAPPY_TABLE
    )


# --- residents' bookings ------------------------------------------------------------------------------
def free_time(room: Room, minutes: int, preferred: time, first: date) -> tuple[datetime, datetime] | None:
    """A bookable start and end for `minutes` in the room, from `first` on: at the preferred time on the
    first day that has it free, else the earliest free stretch long enough."""
    now = timezone.now()
    length = timedelta(minutes=minutes)
    last = timezone.localdate() + timedelta(days=room.max_days_ahead - 1)
    fallback = None
    for day in room_days(room, first, last, now=now):
        for start, end in day.free_intervals:
            wanted = local_datetime(day.day, preferred)
            if start <= wanted and wanted + length <= end:
                return wanted, wanted + length
            if fallback is None and end - start >= length:
                fallback = (start, start + length)
    return fallback


def _resident_bookings(email: str, wanted: list[tuple], spaces: dict[str, Space], today: date) -> None:
    user = User.objects.filter(email=email).first()
    if user is None or Booking.objects.filter(household__user=user).exists():
        return
    for slug, room_name, minutes, preferred, headcount, purpose in wanted:
        room = Room.objects.select_related("space").get(space=spaces[slug], name=room_name)
        # From four days on: past the cancellation deadline's reach, so the demo can still cancel.
        when = free_time(room, minutes, preferred, max(today, timezone.localdate()) + timedelta(days=4))
        if when is None:
            continue
        try:
            booking_create(
                user=user,
                room_id=room.pk,
                starts_at=when[0],
                ends_at=when[1],
                headcount=headcount,
                purpose=purpose,
            )
        except DomainError:  # a BookingError, or the profile is incomplete
            continue  # the loader never fails on a demo booking (e.g. the profile was edited)
