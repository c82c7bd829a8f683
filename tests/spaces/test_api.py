"""The spaces API: spaces and availability (public), residents' bookings, staff bookings and series.

Days are counted from today in Seoul, so the booking rules' "now" (notice, how far ahead, the
cancellation deadline) is the real one; where a test needs another "now" it patches timezone.now.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from unittest import mock

import pytest
from django.utils import timezone
from icalendar import Calendar

from portal.models import AuditEvent
from portal.timeutils import to_local
from spaces.models import (
    Amenity,
    Booking,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    Room,
    Space,
)
from spaces.rules import week_start
from tests.factories import (
    GWANAK,
    JUNGGU,
    HouseholdFactory,
    UserFactory,
    book,
    district,
    login,
    space_with_room,
)

pytestmark = pytest.mark.django_db

SPACES = "/api/v1/spaces/"
MINE = "/api/v1/bookings/"
STAFF = "/api/v1/staff/bookings/"
SERIES = "/api/v1/staff/booking-series/"


def availability_url(room: Room) -> str:
    return f"{SPACES}rooms/{room.pk}/availability/"


def seoul_today() -> date:
    return to_local(timezone.now()).date()


def ahead(days: int = 3) -> date:
    return seoul_today() + timedelta(days=days)


def at(day: date, clock: str) -> str:
    """A naive ISO datetime (read as Seoul time by the API)."""
    return f"{day.isoformat()}T{clock}"


def when(day: date, clock: str) -> str:
    """'YYYY-MM-DD HH:MM' for tests.factories.book / seoul."""
    return f"{day.isoformat()} {clock}"


def post(client, url: str, data: dict | None = None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status and error["code"] == code, error
    assert error["message"]
    return error


@pytest.fixture
def room() -> Room:
    # Jung-gu, open 07:00–21:00 every day: 07:00–09:00 in Seoul is the previous day in UTC.
    return space_with_room(JUNGGU, hours=("07:00", "21:00"))


@pytest.fixture
def jung_resident():
    return HouseholdFactory(district=district(JUNGGU)).user


@pytest.fixture
def api(client, jung_resident):
    return login(client, jung_resident)


def payload(room: Room, day: date, start: str = "10:00", end: str = "11:00", **fields) -> dict:
    return {
        "room": room.pk,
        "starts_at": at(day, start),
        "ends_at": at(day, end),
        "headcount": 3,
        "purpose": "독서 모임",
        **fields,
    }


# --- schema --------------------------------------------------------------------------------------------


def test_the_schema_documents_the_spaces_endpoints(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path, method in (
        ("/api/v1/spaces/", "get"),
        ("/api/v1/spaces/{id}/", "get"),
        ("/api/v1/spaces/rooms/{id}/availability/", "get"),
        ("/api/v1/bookings/", "get"),
        ("/api/v1/bookings/", "post"),
        ("/api/v1/bookings/{id}/", "get"),
        ("/api/v1/bookings/{id}/cancel/", "post"),
        ("/api/v1/bookings/{id}/reschedule/", "post"),
        ("/api/v1/bookings/{id}/ics/", "get"),
        ("/api/v1/staff/bookings/", "get"),
        ("/api/v1/staff/bookings/{id}/", "get"),
        ("/api/v1/staff/bookings/{id}/decide/", "post"),
        ("/api/v1/staff/bookings/{id}/attendance/", "post"),
        ("/api/v1/staff/bookings/{id}/cancel/", "post"),
        ("/api/v1/staff/booking-series/", "get"),
        ("/api/v1/staff/booking-series/", "post"),
        ("/api/v1/staff/booking-series/{id}/", "get"),
        ("/api/v1/staff/booking-series/{id}/cancel/", "post"),
    ):
        assert method in paths[path], (path, method)
    create = paths["/api/v1/bookings/"]["post"]["responses"]
    assert create["409"]["content"]["application/json"]["schema"]["$ref"].endswith("/ApiError")
    conflicts = paths["/api/v1/staff/booking-series/"]["post"]["responses"]["409"]
    assert conflicts["content"]["application/json"]["schema"]["$ref"].endswith("/SeriesConflictsError")
    assert list(paths["/api/v1/bookings/{id}/ics/"]["get"]["responses"]["200"]["content"]) == [
        "text/calendar"
    ]
    parameters = paths["/api/v1/spaces/rooms/{id}/availability/"]["get"]["parameters"]
    assert {p["name"] for p in parameters} >= {"from", "to", "slots"}


# --- spaces --------------------------------------------------------------------------------------------


def test_the_list_shows_active_spaces_and_filters_by_district_and_city(client, room):
    gwanak = space_with_room(GWANAK)
    closed = space_with_room(JUNGGU)
    Space.objects.filter(pk=closed.space_id).update(is_active=False)

    rows = client.get(SPACES).json()["results"]
    assert [row["id"] for row in rows] == [room.space_id, gwanak.space_id]  # by district code
    assert rows[0]["district"] == JUNGGU and rows[0]["city"] == "11"
    assert rows[0]["rooms"][0]["capacity"] == 10

    assert [r["id"] for r in client.get(SPACES, {"district": JUNGGU}).json()["results"]] == [room.space_id]
    assert len(client.get(SPACES, {"city": "11"}).json()["results"]) == 2
    assert client.get(SPACES, {"city": "27"}).json()["results"] == []
    assert client.get(f"{SPACES}{closed.space_id}/").status_code == 404


def test_the_list_takes_a_constant_number_of_queries(client, django_assert_max_num_queries):
    space_with_room(JUNGGU)
    with django_assert_max_num_queries(3):  # count, spaces (with district, city), rooms
        assert len(client.get(SPACES).json()["results"]) == 1
    for _ in range(4):
        room = space_with_room(JUNGGU)
        Room.objects.create(space=room.space, name="부엌", kind="kitchen", capacity=6)
    with django_assert_max_num_queries(3):
        assert len(client.get(SPACES).json()["results"]) == 5


def test_the_detail_has_rooms_rules_hours_closures_and_features(client, room, django_assert_max_num_queries):
    space = room.space
    space.amenities = [Amenity.WIFI, Amenity.KITCHEN]
    space.access_features = ["step_free"]
    space.save()
    Room.objects.filter(pk=room.pk).update(requires_approval=True, max_minutes=120)
    Room.objects.create(space=space, name="창고", capacity=2, is_active=False)
    today = seoul_today()
    Closure.objects.create(
        space=space, starts_on=today - timedelta(days=9), ends_on=today - timedelta(days=8), reason="holiday"
    )
    upcoming = Closure.objects.create(
        space=space,
        starts_on=today + timedelta(days=5),
        ends_on=today + timedelta(days=5),
        reason="maintenance",
    )

    with django_assert_max_num_queries(4):  # space, rooms, opening hours, closures
        body = client.get(f"{SPACES}{space.pk}/").json()

    assert body["name"] == space.name and body["rules"]  # the standard rules when unset
    assert [r["id"] for r in body["rooms"]] == [room.pk]  # the inactive room is left out
    rules = body["rooms"][0]
    assert rules["kind"] == "meeting" and rules["requires_approval"] is True
    assert {key: rules[key] for key in ("slot_minutes", "min_minutes", "max_minutes")} == {
        "slot_minutes": 30,
        "min_minutes": 60,
        "max_minutes": 120,
    }
    assert {"max_days_ahead", "min_notice_hours", "cancel_deadline_hours"} <= set(rules)
    assert len(body["opening_hours"]) == 7
    assert body["opening_hours"][0] == {
        "weekday": 0,
        "weekday_display": "월요일",
        "opens": "07:00",
        "closes": "21:00",
    }
    assert [c["starts_on"] for c in body["closures"]] == [upcoming.starts_on.isoformat()]
    assert [a["code"] for a in body["amenities"]] == ["wifi", "kitchen"]
    assert body["access_features"][0]["code"] == "step_free"

    english = client.get(f"{SPACES}{space.pk}/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert english["name"] == space.name_en
    assert english["rooms"][0]["name"] == "Meeting room"
    assert english["amenities"][0] == {"code": "wifi", "label": "Wi-Fi"}
    assert english["opening_hours"][0]["weekday_display"] == "Monday"


# --- availability --------------------------------------------------------------------------------------


def test_a_morning_booking_shows_on_its_seoul_day(client, room):
    day = ahead(3)
    booking = book(room, start=when(day, "08:00"), end=when(day, "09:00"))
    book(room, start=when(day, "12:00"), end=when(day, "13:00"), status=BookingStatus.PENDING)
    # Stored in UTC, it starts the evening before: 23:00 on the previous day.
    assert booking.starts_at.astimezone(UTC).date() == day - timedelta(days=1)

    response = client.get(
        availability_url(room), {"from": (day - timedelta(days=1)).isoformat(), "to": day.isoformat()}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["from"] == (day - timedelta(days=1)).isoformat() and body["to"] == day.isoformat()
    before, target = body["days"]
    assert before["taken"] == []
    eve = day - timedelta(days=1)
    assert before["free"] == [{"starts_at": at(eve, "07:00:00+09:00"), "ends_at": at(eve, "21:00:00+09:00")}]
    assert target["date"] == day.isoformat() and target["is_open"] and target["closure"] is None
    assert target["open_intervals"] == [{"opens": "07:00", "closes": "21:00"}]
    assert target["taken"] == [
        {"starts_at": at(day, "08:00:00+09:00"), "ends_at": at(day, "09:00:00+09:00"), "state": "taken"},
        {"starts_at": at(day, "12:00:00+09:00"), "ends_at": at(day, "13:00:00+09:00"), "state": "pending"},
    ]
    assert target["free"] == [
        {"starts_at": at(day, "07:00:00+09:00"), "ends_at": at(day, "08:00:00+09:00")},
        {"starts_at": at(day, "09:00:00+09:00"), "ends_at": at(day, "12:00:00+09:00")},
        {"starts_at": at(day, "13:00:00+09:00"), "ends_at": at(day, "21:00:00+09:00")},
    ]
    assert "slots" not in target
    assert "household" not in str(body) and "독서" not in str(body)  # never who, nor why


def test_slots_and_closures_on_request(client, room):
    day = ahead(4)
    book(room, start=when(day, "10:00"), end=when(day, "11:00"))
    next_day = day + timedelta(days=1)
    Closure.objects.create(
        space=room.space,
        starts_on=next_day,
        ends_on=next_day,
        reason=ClosureReason.MAINTENANCE,
        note="바닥 공사",
    )

    body = client.get(
        availability_url(room),
        {"from": day.isoformat(), "to": (day + timedelta(days=1)).isoformat(), "slots": "true"},
    ).json()

    open_day, closed_day = body["days"]
    assert len(open_day["slots"]) == 28  # 07:00–21:00 in 30-minute slots
    states = {slot["starts_at"][11:16]: slot["state"] for slot in open_day["slots"]}
    assert states["10:00"] == states["10:30"] == "taken" and states["11:00"] == "free"
    assert closed_day["closure"] == "바닥 공사" and closed_day["is_open"] is False
    assert closed_day["free"] == [] and closed_day["slots"] == []


def test_availability_defaults_to_this_week(client, room):
    body = client.get(availability_url(room)).json()

    monday = week_start(seoul_today())
    assert [d["date"] for d in body["days"]] == [(monday + timedelta(days=n)).isoformat() for n in range(7)]
    assert body["time_zone"] == "Asia/Seoul" and body["room"]["id"] == room.pk


def test_availability_of_31_days_is_the_limit(client, room):
    day = ahead(0)
    ok = client.get(availability_url(room), {"from": day, "to": day + timedelta(days=30)})
    assert ok.status_code == 200 and len(ok.json()["days"]) == 31

    error = assert_error(
        client.get(
            availability_url(room),
            {"from": day, "to": day + timedelta(days=31)},
            HTTP_ACCEPT_LANGUAGE="en",
        ),
        400,
        "invalid",
    )
    assert error["fields"]["to"] == ["Ask for at most 31 days at a time."]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-02-30"}, "from"),
        ({"from": "next week"}, "from"),
        ({"to": "2026-13-01"}, "to"),
        ({"from": "2026-03-10", "to": "2026-03-09"}, "to"),
    ],
)
def test_bad_availability_params_are_a_400(client, room, params, field):
    error = assert_error(client.get(availability_url(room), params), 400, "invalid")
    assert field in error["fields"]


def test_availability_of_an_unknown_or_closed_room_is_a_404(client, room):
    assert_error(client.get(f"{SPACES}rooms/999999/availability/"), 404, "not_found")
    Room.objects.filter(pk=room.pk).update(is_active=False)
    assert_error(client.get(availability_url(room)), 404, "not_found")


def test_bad_dates_are_explained_in_the_request_language(client, room):
    url = availability_url(room)
    english = client.get(url, {"from": "soon"}, HTTP_ACCEPT_LANGUAGE="en").json()["error"]
    korean = client.get(url, {"from": "soon"}, HTTP_ACCEPT_LANGUAGE="ko").json()["error"]
    assert "wrong format" in english["fields"]["from"][0]
    assert korean["fields"]["from"][0] != english["fields"]["from"][0]


# --- residents' bookings -------------------------------------------------------------------------------


def test_booking_is_confirmed_at_once(api, room, jung_resident):
    day = ahead(3)
    response = post(api, MINE, payload(room, day))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed" and body["reference"].startswith("BK-")
    assert body["starts_at"] == at(day, "10:00:00+09:00")  # naive input: Seoul time
    assert body["room"]["id"] == room.pk and body["space"]["id"] == room.space_id
    assert body["can_change"] is True
    booking = Booking.objects.get(pk=body["id"])
    assert booking.household.user == jung_resident and booking.headcount == 3


def test_booking_a_room_needing_approval_is_pending(api, room):
    Room.objects.filter(pk=room.pk).update(requires_approval=True)
    day = ahead(3)
    # The same time with an explicit offset: 01:00 UTC is 10:00 in Seoul.
    response = post(api, MINE, payload(room, day, starts_at=f"{day}T01:00:00Z", ends_at=f"{day}T02:00:00Z"))

    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert response.json()["starts_at"] == at(day, "10:00:00+09:00")


def test_a_taken_time_is_a_409(api, room):
    day = ahead(3)
    book(room, start=when(day, "10:00"), end=when(day, "11:00"))

    error = assert_error(post(api, MINE, payload(room, day, "10:30", "11:30")), 409, "taken")
    assert list(error["fields"]) == ["starts_at"]
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("start", "end", "fields", "code", "field"),
    [
        ("10:00", "14:00", {}, "too_long", "ends_at"),
        ("10:00", "10:30", {}, "too_short", "ends_at"),
        ("10:10", "11:10", {}, "slot_step", "starts_at"),
        ("20:30", "21:30", {}, "outside_hours", "starts_at"),
        ("10:00", "11:00", {"headcount": 11}, "capacity", "headcount"),
        ("10:00", "11:00", {"headcount": None}, "headcount", "headcount"),
        ("10:00", "11:00", {"purpose": "  "}, "purpose", "purpose"),
        ("11:00", "10:00", {}, "invalid_range", "ends_at"),
    ],
)
def test_each_refusal_names_its_rule_and_field(api, room, start, end, fields, code, field):
    error = assert_error(post(api, MINE, payload(room, ahead(3), start, end, **fields)), 400, code)
    assert field in error["fields"]
    assert not Booking.objects.exists()


def test_every_failed_rule_is_reported_at_once(api, room):
    error = assert_error(
        post(api, MINE, payload(room, ahead(3), "10:00", "14:00", headcount=40)), 400, "too_long"
    )
    assert set(error["fields"]) == {"ends_at", "headcount"}


def test_closed_and_too_far_days_are_refused(api, room):
    day = ahead(5)
    Closure.objects.create(space=room.space, starts_on=day, ends_on=day, reason=ClosureReason.HOLIDAY)
    assert_error(post(api, MINE, payload(room, day)), 400, "closed")
    assert_error(post(api, MINE, payload(room, ahead(40))), 400, "too_far")


def test_adjacent_bookings_are_allowed(api, room):
    day = ahead(3)
    book(room, start=when(day, "10:00"), end=when(day, "11:00"))

    assert post(api, MINE, payload(room, day, "11:00", "12:00")).status_code == 201
    assert post(api, MINE, payload(room, day, "09:00", "10:00")).status_code == 201


def test_bad_input_is_a_400_in_the_error_shape(api, room):
    error = assert_error(post(api, MINE, {"room": 999999, "starts_at": "tomorrow"}), 400, "invalid")
    assert {"room", "starts_at", "ends_at"} <= set(error["fields"])


def test_without_a_household_profile_booking_is_refused(client, room):
    api = login(client, UserFactory())
    assert_error(post(api, MINE, payload(room, ahead(3))), 400, "profile_incomplete")


def test_booking_needs_login(client, room):
    assert client.get(MINE).status_code == 403
    assert post(client, MINE, payload(room, ahead(3))).status_code == 403


def test_my_bookings_upcoming_first(api, room, jung_resident):
    household = jung_resident.household
    later = book(room, household, when(ahead(6), "10:00"), when(ahead(6), "11:00"))
    sooner = book(room, household, when(ahead(2), "10:00"), when(ahead(2), "11:00"))
    old = book(room, household, when(ahead(-5), "10:00"), when(ahead(-5), "11:00"), status="attended")
    older = book(room, household, when(ahead(-9), "10:00"), when(ahead(-9), "11:00"), status="attended")
    cancelled = book(room, household, when(ahead(4), "10:00"), when(ahead(4), "11:00"), status="cancelled")
    book(room, start=when(ahead(3), "10:00"), end=when(ahead(3), "11:00"))  # someone else's

    ids = [row["id"] for row in api.get(MINE).json()["results"]]
    assert ids == [sooner.pk, later.pk, cancelled.pk, old.pk, older.pk]
    assert [r["id"] for r in api.get(MINE, {"when": "upcoming"}).json()["results"]] == [sooner.pk, later.pk]
    assert [r["id"] for r in api.get(MINE, {"when": "past"}).json()["results"]] == [
        cancelled.pk,
        old.pk,
        older.pk,
    ]
    assert_error(api.get(MINE, {"when": "someday"}), 400, "invalid")


def test_reschedule_onto_a_time_overlapping_itself(api, room):
    day = ahead(3)
    booking_id = post(api, MINE, payload(room, day, "10:00", "11:00")).json()["id"]

    response = post(
        api, f"{MINE}{booking_id}/reschedule/", {"starts_at": at(day, "10:30"), "ends_at": at(day, "11:30")}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["starts_at"] == at(day, "10:30:00+09:00")
    assert response.json()["ends_at"] == at(day, "11:30:00+09:00")


def test_reschedule_onto_someone_elses_time_is_a_409(api, room):
    day = ahead(3)
    booking_id = post(api, MINE, payload(room, day, "10:00", "11:00")).json()["id"]
    book(room, start=when(day, "12:00"), end=when(day, "13:00"))

    response = post(
        api, f"{MINE}{booking_id}/reschedule/", {"starts_at": at(day, "12:00"), "ends_at": at(day, "13:00")}
    )

    assert_error(response, 409, "taken")
    assert Booking.objects.get(pk=booking_id).starts_at.astimezone(UTC).hour == 1  # 10:00 in Seoul


def test_cancel_before_the_deadline(api, room):
    booking_id = post(api, MINE, payload(room, ahead(3))).json()["id"]

    response = post(api, f"{MINE}{booking_id}/cancel/")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert_error(post(api, f"{MINE}{booking_id}/cancel/"), 409, "invalid_transition")


def test_cancel_after_the_deadline_is_refused(api, room, jung_resident):
    day = ahead(3)
    booking = book(room, jung_resident.household, when(day, "10:00"), when(day, "11:00"))
    # Twelve hours before the start: inside the room's 24-hour cancellation deadline.
    late = booking.starts_at - timedelta(hours=12)

    with mock.patch("django.utils.timezone.now", return_value=late):
        assert api.get(f"{MINE}{booking.pk}/").json()["can_change"] is False
        assert_error(post(api, f"{MINE}{booking.pk}/cancel/"), 400, "cancel_deadline")
        moved = post(
            api,
            f"{MINE}{booking.pk}/reschedule/",
            {"starts_at": at(day, "12:00"), "ends_at": at(day, "13:00")},
        )
        assert_error(moved, 400, "cancel_deadline")

    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED


def test_ics_parses_as_a_calendar(api, room):
    day = ahead(3)
    booking_id = post(api, MINE, payload(room, day)).json()["id"]

    response = api.get(f"{MINE}{booking_id}/ics/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    booking = Booking.objects.get(pk=booking_id)
    assert event.decoded("dtstart") == booking.starts_at
    assert str(event["status"]) == "CONFIRMED"
    assert booking.reference in str(event["description"])
    # A client asking for text/calendar explicitly gets it too.
    assert api.get(f"{MINE}{booking_id}/ics/", HTTP_ACCEPT="text/calendar").status_code == 200


def test_another_residents_booking_is_a_404(client, room):
    day = ahead(3)
    theirs = book(room, start=when(day, "10:00"), end=when(day, "11:00"))
    api = login(client, HouseholdFactory(district=district(JUNGGU)).user)

    assert_error(api.get(f"{MINE}{theirs.pk}/"), 404, "not_found")
    assert_error(api.get(f"{MINE}{theirs.pk}/ics/"), 404, "not_found")
    assert_error(post(api, f"{MINE}{theirs.pk}/cancel/"), 404, "not_found")
    moved = post(
        api, f"{MINE}{theirs.pk}/reschedule/", {"starts_at": at(day, "12:00"), "ends_at": at(day, "13:00")}
    )
    assert_error(moved, 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.status == BookingStatus.CONFIRMED and to_local(theirs.starts_at).hour == 10


def test_refusals_are_in_english_on_request(api, room):
    response = post(api, MINE, payload(room, ahead(3), "10:00", "14:00"), HTTP_ACCEPT_LANGUAGE="en")

    error = assert_error(response, 400, "too_long")
    assert error["message"] == "A booking of this room lasts at most 180 minutes."
    assert error["fields"]["ends_at"] == ["A booking of this room lasts at most 180 minutes."]


# --- staff: bookings -----------------------------------------------------------------------------------


@pytest.fixture
def jung_booking(room):
    # A 관악구 resident may book a 중구 space: the space's district runs the booking.
    day = ahead(3)
    return book(room, HouseholdFactory(district=district(GWANAK)), when(day, "10:00"), when(day, "11:00"))


def test_staff_see_their_districts_bookings_masked(client, caseworker_b, jung_booking):
    staff = login(client, caseworker_b)

    rows = staff.get(STAFF).json()["results"]

    assert [row["id"] for row in rows] == [jung_booking.pk]
    assert rows[0]["household"] == "김*나" and rows[0]["district"] == JUNGGU
    assert rows[0]["allowed_actions"] == ["cancel"]

    detail = staff.get(f"{STAFF}{jung_booking.pk}/").json()
    assert detail["household"] == {"name": "김하나", "phone": "010-1234-5678"}
    event = AuditEvent.objects.get(action="spaces.booking.viewed")
    assert event.target_id == str(jung_booking.pk) and event.subject_user_id == jung_booking.household.user_id


def test_other_districts_staff_get_nothing(client, caseworker_a, jung_booking):
    staff = login(client, caseworker_a)

    assert staff.get(STAFF).json()["results"] == []
    assert_error(staff.get(f"{STAFF}{jung_booking.pk}/"), 404, "not_found")
    assert_error(post(staff, f"{STAFF}{jung_booking.pk}/cancel/", {"reason": "공사"}), 404, "not_found")
    assert_error(post(staff, f"{STAFF}{jung_booking.pk}/decide/", {"action": "approve"}), 404, "not_found")
    assert not AuditEvent.objects.filter(action="spaces.booking.viewed").exists()


def test_a_city_admin_sees_every_district(client, city_admin, jung_booking):
    assert [row["id"] for row in login(client, city_admin).get(STAFF).json()["results"]] == [jung_booking.pk]


def test_residents_cannot_use_the_staff_api(api, jung_booking):
    assert api.get(STAFF).status_code == 403
    assert api.get(SERIES).status_code == 403


def test_staff_filters_and_pending_first(client, caseworker_b, room, jung_booking):
    other_room = Room.objects.create(space=room.space, name="부엌", kind="kitchen", capacity=6)
    pending = book(other_room, start=when(ahead(5), "10:00"), end=when(ahead(5), "11:00"), status="pending")
    staff = login(client, caseworker_b)

    assert [r["id"] for r in staff.get(STAFF).json()["results"]] == [pending.pk, jung_booking.pk]
    assert [r["id"] for r in staff.get(STAFF, {"ordering": "starts_at"}).json()["results"]] == [
        jung_booking.pk,
        pending.pk,
    ]
    assert [r["id"] for r in staff.get(STAFF, {"status": "confirmed"}).json()["results"]] == [jung_booking.pk]
    assert [r["id"] for r in staff.get(STAFF, {"room": other_room.pk}).json()["results"]] == [pending.pk]
    assert len(staff.get(STAFF, {"space": room.space_id}).json()["results"]) == 2
    day = ahead(5).isoformat()
    assert [
        r["id"] for r in staff.get(STAFF, {"starts_from": day, "starts_until": day}).json()["results"]
    ] == [pending.pk]
    assert_error(staff.get(STAFF, {"status": "bogus"}), 400, "invalid")
    assert_error(staff.get(STAFF, {"starts_from": "2026-02-30"}), 400, "invalid")


def test_staff_decide(client, caseworker_b, room):
    Room.objects.filter(pk=room.pk).update(requires_approval=True)
    pending = book(room, start=when(ahead(3), "10:00"), end=when(ahead(3), "11:00"), status="pending")
    staff = login(client, caseworker_b)
    url = f"{STAFF}{pending.pk}/decide/"

    error = assert_error(post(staff, url, {"action": "reject"}), 400, "reason_required")
    assert "reason" in error["fields"]
    assert_error(post(staff, url, {"action": "maybe"}), 400, "invalid")
    response = post(staff, url, {"action": "approve"})
    assert response.status_code == 200 and response.json()["status"] == "confirmed"
    assert response.json()["decided_by"]
    assert_error(post(staff, url, {"action": "reject", "reason": "중복"}), 409, "invalid_transition")


def test_staff_reject_with_a_reason(client, caseworker_b, room):
    pending = book(room, start=when(ahead(3), "10:00"), end=when(ahead(3), "11:00"), status="pending")

    response = post(
        login(client, caseworker_b), f"{STAFF}{pending.pk}/decide/", {"action": "reject", "reason": "공사"}
    )

    assert response.json()["status"] == "rejected" and response.json()["reason"] == "공사"


def test_staff_attendance(client, caseworker_b, room):
    past = book(room, start=when(ahead(-1), "10:00"), end=when(ahead(-1), "11:00"))
    future = book(room, start=when(ahead(3), "10:00"), end=when(ahead(3), "11:00"))
    staff = login(client, caseworker_b)

    response = post(staff, f"{STAFF}{past.pk}/attendance/", {"outcome": "no_show"})
    assert response.status_code == 200 and response.json()["status"] == "no_show"
    response = post(staff, f"{STAFF}{past.pk}/attendance/", {"outcome": "attended"})  # a correction
    assert response.json()["status"] == "attended"
    assert_error(post(staff, f"{STAFF}{future.pk}/attendance/", {"outcome": "attended"}), 400, "too_early")
    assert_error(post(staff, f"{STAFF}{past.pk}/attendance/", {"outcome": "late"}), 400, "invalid")


def test_staff_cancel(client, caseworker_b, jung_booking):
    staff = login(client, caseworker_b)
    url = f"{STAFF}{jung_booking.pk}/cancel/"

    error = assert_error(post(staff, url, {"reason": " "}), 400, "reason_required")
    assert "reason" in error["fields"]
    response = post(staff, url, {"reason": "긴급 휴관"})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["reason"] == "긴급 휴관"
    assert_error(post(staff, url, {"reason": "긴급 휴관"}), 409, "invalid_transition")


# --- staff: series -------------------------------------------------------------------------------------


def series_payload(room: Room, first: date, **fields) -> dict:
    return {
        "room": room.pk,
        "title": "요리 교실",
        "weekdays": [first.weekday()],
        "start_time": "14:00",
        "end_time": "16:00",
        "starts_on": first.isoformat(),
        "ends_on": (first + timedelta(days=14)).isoformat(),
        "headcount": 8,
        **fields,
    }


def test_series_create_and_cancel(client, caseworker_b, room):
    staff = login(client, caseworker_b)
    first = ahead(2)

    response = post(staff, SERIES, series_payload(room, first))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["occurrence_count"] == 3 and body["upcoming_count"] == 3
    assert body["weekdays"] == [first.weekday()] and body["start_time"] == "14:00"
    starts = sorted(Booking.objects.filter(series_id=body["id"]).values_list("starts_at", flat=True))
    assert [f"{to_local(s):%Y-%m-%d %H:%M}" for s in starts] == [
        when(first + timedelta(days=n), "14:00") for n in (0, 7, 14)
    ]
    assert [r["id"] for r in staff.get(SERIES).json()["results"]] == [body["id"]]

    error = assert_error(post(staff, f"{SERIES}{body['id']}/cancel/", {"reason": ""}), 400, "reason_required")
    assert "reason" in error["fields"]
    response = post(staff, f"{SERIES}{body['id']}/cancel/", {"reason": "강사 사정"})
    assert response.status_code == 200
    assert response.json()["cancelled"] == 3
    assert response.json()["series"]["upcoming_count"] == 0 and response.json()["series"]["cancelled_at"]
    assert set(Booking.objects.filter(series_id=body["id"]).values_list("status", flat=True)) == {"cancelled"}


def test_series_conflicts_are_a_409_and_nothing_is_booked(client, caseworker_b, room):
    first = ahead(2)
    taken = book(
        room, start=when(first + timedelta(days=7), "15:00"), end=when(first + timedelta(days=7), "16:00")
    )
    Closure.objects.create(
        space=room.space,
        starts_on=first + timedelta(days=14),
        ends_on=first + timedelta(days=14),
        reason="holiday",
    )

    response = post(
        login(client, caseworker_b), SERIES, series_payload(room, first), HTTP_ACCEPT_LANGUAGE="en"
    )

    error = assert_error(response, 409, "conflicts")
    assert error["conflicts"] == [
        {"date": (first + timedelta(days=7)).isoformat(), "code": "taken", "message": "already booked"},
        {"date": (first + timedelta(days=14)).isoformat(), "code": "closed", "message": "Public holiday"},
    ]
    assert error["message"].startswith("Nothing was booked: 2 dates cannot be booked")
    assert not BookingSeries.objects.exists()
    assert list(Booking.objects.values_list("pk", flat=True)) == [taken.pk]


@pytest.mark.parametrize(
    ("fields", "status", "code", "field"),
    [
        ({"title": " "}, 400, "title", "title"),
        ({"weekdays": []}, 400, "weekdays", "weekdays"),
        ({"end_time": "13:00"}, 400, "invalid_range", "end_time"),
        ({"headcount": 30}, 400, "capacity", "headcount"),
        ({"start_time": "14:10"}, 400, "slot_step", "starts_at"),
        ({"weekdays": [7]}, 400, "invalid", "weekdays"),
    ],
)
def test_series_refusals(client, caseworker_b, room, fields, status, code, field):
    response = post(login(client, caseworker_b), SERIES, series_payload(room, ahead(2), **fields))

    error = assert_error(response, status, code)
    assert field in error["fields"]
    assert not BookingSeries.objects.exists()


def test_series_in_another_district_is_a_404(client, caseworker_a, caseworker_b, room):
    assert_error(post(login(client, caseworker_a), SERIES, series_payload(room, ahead(2))), 404, "not_found")
    assert not Booking.objects.exists()

    series_id = post(login(client, caseworker_b), SERIES, series_payload(room, ahead(2))).json()["id"]
    staff_a = login(client, caseworker_a)
    assert staff_a.get(SERIES).json()["results"] == []
    assert_error(staff_a.get(f"{SERIES}{series_id}/"), 404, "not_found")
    assert_error(post(staff_a, f"{SERIES}{series_id}/cancel/", {"reason": "x"}), 404, "not_found")


def test_a_series_for_a_program_of_the_district_adds_its_sessions(client, caseworker_b, room):
    from programs.models import ProgramSession
    from tests.factories import ProgramFactory

    program = ProgramFactory(district=district(JUNGGU))
    other = ProgramFactory(district=district(GWANAK))
    staff = login(client, caseworker_b)

    error = assert_error(
        post(staff, SERIES, series_payload(room, ahead(2), program=other.pk)), 400, "invalid"
    )
    assert "program" in error["fields"]
    response = post(staff, SERIES, series_payload(room, ahead(2), program=program.pk))

    assert response.status_code == 201
    assert response.json()["program"]["id"] == program.pk
    assert (
        ProgramSession.objects.filter(program=program, booking__series_id=response.json()["id"]).count() == 3
    )


def test_staff_lists_take_a_constant_number_of_queries(
    client, caseworker_b, room, django_assert_max_num_queries
):
    staff = login(client, caseworker_b)
    post(staff, SERIES, series_payload(room, ahead(2)))
    book(room, start=when(ahead(3), "10:00"), end=when(ahead(3), "11:00"))
    staff.get(STAFF)  # the session and permission caches warm up
    # Per request: session, user, permissions, then the page's own count and rows.
    with django_assert_max_num_queries(12):
        assert len(staff.get(STAFF).json()["results"]) == 4
        assert len(staff.get(SERIES).json()["results"]) == 1
    for n in range(3):
        book(room, start=when(ahead(4 + n), "10:00"), end=when(ahead(4 + n), "11:00"))
    post(staff, SERIES, series_payload(room, ahead(2), start_time="17:00", end_time="18:00"))
    with django_assert_max_num_queries(12):
        assert len(staff.get(STAFF).json()["results"]) == 10
        assert len(staff.get(SERIES).json()["results"]) == 2


def test_the_schema_has_no_warnings(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
