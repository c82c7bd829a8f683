"""The resident's community-space pages: the list, a space, a room's week, booking, My bookings with
cancelling, changing and the .ics file, the private calendar feed, and program sessions on the program
page.

"Now" is frozen at 08:00 (Seoul) on the coming Monday, a few days from the real date (so logged-in
sessions stay valid), and every date is counted from it: the tests do not depend on the calendar.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from icalendar import Calendar

from programs.models import ProgramSession
from spaces.models import (
    AccessFeature,
    Amenity,
    Booking,
    BookingStatus,
    CalendarFeed,
    Closure,
    ClosureReason,
    Room,
)
from spaces.services import booking_create
from tests.factories import (
    GWANAK,
    JUNGGU,
    HouseholdFactory,
    ProgramFactory,
    UserFactory,
    book,
    login,
    seoul,
    space_with_room,
)

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.fixture(autouse=True)
def _english(settings):
    """Pages are read in English (the msgids); the Korean wording is edited separately."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def monday() -> date:
    """Freeze now at 08:00 Seoul time on the coming Monday; returns that Monday."""
    today = datetime.now(SEOUL).date()
    day = today + timedelta(days=7 - today.weekday())
    frozen = datetime.combine(day, time(8), tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        yield day


def at(day: date, clock: str) -> datetime:
    return seoul(f"{day.isoformat()} {clock}")


def booking_data(day: date, start="10:00", end="12:00", headcount="4", purpose="독서 모임", agree=True):
    data = {"date": day.isoformat(), "start_time": start, "end_time": end, "headcount": headcount}
    data["purpose"] = purpose
    if agree:
        data["agree_rules"] = "on"
    return data


def book_url(room: Room) -> str:
    return reverse("spaces:book", args=[room.pk])


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def field_error(content: str, name: str) -> str:
    """The text of the error message shown next to form field `name` (empty if none)."""
    match = re.search(rf'<p class="error-message" id="id_{name}_error">(.*?)</p>', content, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Error:", "").strip() if match else ""


def cell(content: str, day: date, clock: str) -> str:
    """The text of the week grid's cell for `day` at `clock`."""
    table = content[content.index('<table class="week-grid">') :]
    header = re.findall(r'<th scope="col">(.*?)</th>', table, re.S)
    column = next(i for i, th in enumerate(header) if f'datetime="{day.isoformat()}"' in th)
    row = re.search(rf'<th scope="row">{clock}</th>(.*?)</tr>', table, re.S).group(1)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
    return re.sub(r"<[^>]+>", "", cells[column - 1]).strip()


# --- the list and a space --------------------------------------------------------------------------


def test_list_shows_spaces_rooms_amenities_and_access_in_constant_queries(client, uncached_pages):
    room = space_with_room(JUNGGU)
    space = room.space
    space.amenities = [Amenity.WIFI, Amenity.KITCHEN]
    space.access_features = [AccessFeature.LIFT]
    space.save()
    url = reverse("spaces:list")
    page = client.get(url).content.decode()
    assert space.name_en in page and space.address in page
    assert "Wi-Fi" in page and "Shared kitchen" in page and "Lift" in page
    assert room.name_en in page and "up to 10 people" in page
    assert reverse("spaces:room_week", args=[room.pk]) in page
    assert "\N{WHITE HEAVY CHECK MARK}" not in page  # icons are drawn, not emoji

    before = queries(client, url)
    for _ in range(3):
        other = space_with_room(GWANAK)
        Room.objects.create(space=other.space, name="부엌", name_en="Kitchen", capacity=6, kind="kitchen")
    assert queries(client, url) == before


def test_resident_sees_their_district_first_and_can_filter(resident_client):
    junggu = space_with_room(JUNGGU).space
    gwanak = space_with_room(GWANAK).space  # the resident's district (관악구)
    page = resident_client.get(reverse("spaces:list")).content.decode()
    assert page.index(gwanak.name_en) < page.index(junggu.name_en)
    assert "Your district" in page

    filtered = resident_client.get(reverse("spaces:list"), {"district": JUNGGU}).content.decode()
    assert junggu.name_en in filtered and gwanak.name_en not in filtered
    for garbage in ("<script>", "99999", "x" * 500):
        response = resident_client.get(reverse("spaces:list"), {"district": garbage})
        assert response.status_code == 200
        assert gwanak.name_en in response.content.decode()


def test_inactive_spaces_and_rooms_are_not_listed(client):
    room = space_with_room(JUNGGU)
    Room.objects.create(space=room.space, name="닫힌 방", name_en="Shut room", capacity=4, is_active=False)
    hidden = space_with_room(JUNGGU)
    hidden.space.is_active = False
    hidden.space.save()
    page = client.get(reverse("spaces:list")).content.decode()
    assert room.space.name_en in page and "Shut room" not in page and hidden.space.name_en not in page
    assert client.get(reverse("spaces:room_week", args=[hidden.pk])).status_code == 404


def test_a_space_not_taking_bookings_says_so_and_offers_no_booking(client):
    room = space_with_room(JUNGGU)
    room.space.is_active = False
    room.space.save()
    page = client.get(reverse("spaces:detail", args=[room.space.slug])).content.decode()
    assert "This space is not taking bookings at the moment." in page
    assert reverse("spaces:room_week", args=[room.pk]) not in page


def test_space_page_shows_hours_closures_rules_and_rooms(client, monday, uncached_pages):
    room = space_with_room(JUNGGU, weekdays=range(6), requires_approval=True)
    space = room.space
    space.phone = "02-2280-0000"
    space.directions = "신당역 2번 출구"
    space.access_features = [AccessFeature.STEP_FREE]
    space.accessibility_notes_en = "Ramp at the side door."
    space.save()
    Closure.objects.create(
        space=space,
        starts_on=monday + timedelta(days=3),
        ends_on=monday + timedelta(days=3),
        reason=ClosureReason.HOLIDAY,
        note="Foundation Day",
    )
    url = reverse("spaces:detail", args=[space.slug])
    page = client.get(url).content.decode()
    assert space.address in page and "신당역 2번 출구" in page and 'href="tel:0222800000"' in page
    assert "Political, religious and for-profit use" in page  # the standard house rules
    assert "09:00–21:00" in page and "Sunday</th>" in page
    assert re.search(r"Sunday</th>\s*<td>Closed</td>", page)
    assert "Foundation Day" in page
    assert "Step-free entrance" in page and "Ramp at the side door." in page
    assert "Meeting room" in page and "up to 10 people" in page
    assert "Staff approve each booking" in page
    assert "Book up to 30 days ahead, and at least 1 hour before the start." in page
    assert "A booking lasts from 1 hour to 3 hours." in page
    assert "until 24 hours before it starts" in page
    assert "Bookings start and end in steps of 30 minutes (e.g. 10:00, 10:30)." in page

    before = queries(client, url)
    for n in range(3):
        Room.objects.create(space=space, name=f"방 {n}", name_en=f"Room {n}", capacity=4)
    assert queries(client, url) == before
    assert client.get(reverse("spaces:detail", args=["no-such-space"])).status_code == 404


# --- the week view ---------------------------------------------------------------------------------


def test_week_view_says_each_state_in_text_and_links_free_times(client, monday):
    room = space_with_room(JUNGGU)
    tuesday, thursday = monday + timedelta(days=1), monday + timedelta(days=3)
    book(room, start=f"{tuesday} 10:00", end=f"{tuesday} 11:00")
    book(room, start=f"{tuesday} 14:00", end=f"{tuesday} 15:00", status=BookingStatus.PENDING)
    book(room, start=f"{tuesday} 16:00", end=f"{tuesday} 17:00", status=BookingStatus.CANCELLED)
    Closure.objects.create(
        space=room.space, starts_on=thursday, ends_on=thursday, reason="maintenance", note="Painting"
    )

    response = client.get(reverse("spaces:room_week", args=[room.pk]), {"week": monday.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<caption" in page and '<th scope="row">10:00</th>' in page
    assert f'<time datetime="{tuesday.isoformat()}">' in page
    assert cell(page, tuesday, "10:00") == "Taken"
    assert cell(page, tuesday, "10:30") == "Taken"
    assert cell(page, tuesday, "11:00") == f"Free: book {tuesday.month}.{tuesday.day} (Tue) from 11:00"
    assert cell(page, tuesday, "14:00") == "Awaiting approval"
    assert cell(page, tuesday, "16:00").startswith("Free")  # a cancelled booking frees its time
    assert cell(page, thursday, "12:00") == "Closed" and "Painting" in page
    assert cell(page, monday, "09:00").startswith("Free")  # now is 08:00, one hour's notice

    link = f"{book_url(room)}?{urlencode({'date': tuesday.isoformat(), 'start': '11:00', 'end': '12:00'})}"
    assert link.replace("&", "&amp;") in page
    assert f"{book_url(room)}?{urlencode({'date': tuesday.isoformat(), 'start': '10:00'})}" not in page

    # The phone layout: free intervals day by day, in the same page.
    assert '<div class="week-days">' in page
    assert "11:00–14:00 free" in page and "15:00–21:00 free" in page


def test_week_view_phone_list_says_when_a_free_gap_is_too_short(client, monday):
    room = space_with_room(JUNGGU)
    wednesday = monday + timedelta(days=2)
    book(room, start=f"{wednesday} 09:00", end=f"{wednesday} 10:00")
    book(room, start=f"{wednesday} 10:30", end=f"{wednesday} 12:00")
    page = client.get(reverse("spaces:room_week", args=[room.pk])).content.decode()
    phone = page[page.index('<div class="week-days">') :]
    assert re.search(r"10:00–10:30 free\s*<span class=\"muted\">\(shorter than the shortest booking\)", phone)
    query = urlencode({"date": wednesday.isoformat(), "start": "12:00", "end": "13:00"})
    assert f"{book_url(room)}?{query}".replace("&", "&amp;") in phone


def test_week_view_never_shows_past_or_too_far_weeks(client, monday):
    room = space_with_room(JUNGGU, max_days_ahead=10)
    url = reverse("spaces:room_week", args=[room.pk])
    page = client.get(url).content.decode()
    assert "Previous week" not in page and f"?week={monday + timedelta(days=7)}" in page

    far = client.get(url, {"week": "2099-01-05"}).content.decode()
    last_monday = monday + timedelta(days=7)  # today + 10 days falls in next week
    assert f"Week of {last_monday:%Y.%m.%d}" in far
    assert "Next week" not in far and f"?week={monday}" in far
    assert cell(far, last_monday + timedelta(days=4), "12:00") == "Not bookable"  # day 11: too far ahead

    past = client.get(url, {"week": "2000-01-03"}).content.decode()
    assert f"Week of {monday:%Y.%m.%d}" in past
    for garbage in ("yesterday", "2026-02-31", "<script>", "9999-12-31", "0001-01-01"):
        response = client.get(url, {"week": garbage})
        assert response.status_code == 200


def test_week_view_of_a_missing_room_is_not_found(client):
    assert client.get(reverse("spaces:room_week", args=[999999])).status_code == 404


# --- booking ---------------------------------------------------------------------------------------


def test_booking_form_is_prefilled_from_the_week_view(resident_client, monday):
    room = space_with_room(JUNGGU)
    tuesday = monday + timedelta(days=1)
    page = resident_client.get(
        book_url(room), {"date": tuesday.isoformat(), "start": "10:30", "end": "11:30"}
    )
    content = page.content.decode()
    assert page.status_code == 200
    assert f'value="{tuesday.isoformat()}"' in content
    assert '<option value="10:30" selected>' in content and '<option value="11:30" selected>' in content
    assert "Political, religious and for-profit use" in content
    # Only times on the slot step inside opening hours are offered.
    assert '<option value="09:00"' in content and '<option value="20:30"' in content
    assert '<option value="08:30"' not in content and '<option value="10:15"' not in content
    garbage = resident_client.get(book_url(room), {"date": "soon", "start": "<b>", "end": "25:99"})
    assert garbage.status_code == 200


def test_booking_is_confirmed_at_once(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    tuesday = monday + timedelta(days=1)
    response = resident_client.post(book_url(room), booking_data(tuesday))
    booking = Booking.objects.get(household__user=resident)
    assert response.status_code == 302
    assert response["Location"] == reverse("spaces:booking_detail", args=[booking.pk])
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.starts_at == at(tuesday, "10:00") and booking.ends_at == at(tuesday, "12:00")
    assert booking.headcount == 4 and booking.purpose == "독서 모임"
    page = resident_client.get(response["Location"]).content.decode()
    assert f"Your booking {booking.reference} is confirmed." in page
    assert "10:00" in page and "12:00" in page and "Confirmed" in page


def test_booking_of_a_room_that_needs_approval_is_pending(resident_client, resident, monday):
    room = space_with_room(JUNGGU, requires_approval=True)
    page = resident_client.get(book_url(room)).content.decode()
    assert "Send booking request" in page
    response = resident_client.post(book_url(room), booking_data(monday + timedelta(days=2)), follow=True)
    booking = Booking.objects.get(household__user=resident)
    assert booking.status == BookingStatus.PENDING
    content = response.content.decode()
    assert "Request sent" in content and "Staff approve bookings of this room" in content
    assert "Awaiting approval" in content


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_time": "14:00"}, "end_time", "A booking of this room lasts at most 180 minutes."),
        ({"end_time": "09:30"}, "end_time", "A booking of this room lasts at least 60 minutes."),
        ({"headcount": "11"}, "headcount", "This room holds at most 10 people."),
        ({"headcount": "0"}, "headcount", "Say how many people will come (at least 1)."),
        ({"start_time": "11:00", "end_time": "10:00"}, "end_time", "The end must be after the start."),
        (
            {"start_time": "10:30", "end_time": "11:30"},
            "start_time",
            "This time is already taken. Choose a free slot in the week view.",
        ),
    ],
)
def test_refusal_names_the_rule_next_to_its_field_and_keeps_the_values(
    resident_client, monday, change, field, message
):
    room = space_with_room(JUNGGU)
    tuesday = monday + timedelta(days=1)
    book(room, start=f"{tuesday} 11:00", end=f"{tuesday} 12:00")
    data = {**booking_data(tuesday, start="09:00", end="10:00", purpose="뜨개질 모임"), **change}
    response = resident_client.post(book_url(room), data)
    content = response.content.decode()
    assert response.status_code == 200
    assert field_error(content, field) == message
    assert 'class="error-summary"' in content and message in content.split('class="error-summary"')[1]
    assert f'value="{tuesday.isoformat()}"' in content and "뜨개질 모임" in content
    assert f'<option value="{data["start_time"]}" selected>' in content
    assert f'value="{data["headcount"]}"' in content and "checked" in content
    assert Booking.objects.count() == 1


def test_outside_opening_hours_and_closed_days(resident_client, monday):
    # Open Monday–Saturday 09:00–21:00, and Saturday only 10:00–14:00.
    room = space_with_room(JUNGGU, weekdays=range(5))
    from spaces.models import OpeningHours

    OpeningHours.objects.create(space=room.space, weekday=5, opens=time(10), closes=time(14))
    saturday, sunday = monday + timedelta(days=5), monday + timedelta(days=6)
    content = resident_client.post(book_url(room), booking_data(saturday, "13:00", "15:00")).content.decode()
    assert field_error(content, "start_time") == (
        "The space is open 10:00–14:00 on Saturday: book inside those hours."
    )
    content = resident_client.post(book_url(room), booking_data(sunday)).content.decode()
    assert field_error(content, "start_time") == "The space is closed on Sunday."
    assert not Booking.objects.exists()


def test_every_failure_is_shown_at_once(resident_client, monday):
    room = space_with_room(JUNGGU)
    data = booking_data(monday + timedelta(days=1), "10:00", "14:00", headcount="30", agree=False)
    content = resident_client.post(book_url(room), data).content.decode()
    assert field_error(content, "end_time") == "A booking of this room lasts at most 180 minutes."
    assert field_error(content, "headcount") == "This room holds at most 10 people."
    assert field_error(content, "agree_rules") == "Agree to the house rules to book the room."
    assert not Booking.objects.exists()


def test_household_limits_are_non_field_errors(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    for days in (1, 2, 3):
        booking_create(
            user=resident,
            room_id=room.pk,
            starts_at=at(monday + timedelta(days=days), "10:00"),
            ends_at=at(monday + timedelta(days=days), "11:00"),
            headcount=2,
            purpose="모임",
        )
    content = resident_client.post(book_url(room), booking_data(monday + timedelta(days=4))).content.decode()
    summary = content.split('class="error-summary"')[1].split("</div>")[0]
    assert "You can hold at most 3 upcoming bookings at a time." in summary
    assert Booking.objects.count() == 3


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"date": "garbage", "start_time": "10:00", "end_time": "11:00", "headcount": "2", "purpose": "x"},
        {"date": "2026-02-31", "start_time": "10:00", "end_time": "11:00", "headcount": "2", "purpose": "x"},
        {
            "date": "9999-12-31",
            "start_time": "10:00",
            "end_time": "11:00",
            "headcount": "2",
            "purpose": "x",
            "agree_rules": "on",
        },
        {
            "date": "0001-01-01",
            "start_time": "10:00",
            "end_time": "11:00",
            "headcount": "2",
            "purpose": "x",
            "agree_rules": "on",
        },
        {"date": "TUESDAY", "start_time": "07:13", "end_time": "<script>", "headcount": "abc", "purpose": ""},
        {
            "date": "TUESDAY",
            "start_time": "10:00",
            "end_time": "11:00",
            "headcount": "99999999999999999999",
            "purpose": "x" * 500,
            "agree_rules": "on",
        },
        {
            "date": "TUESDAY",
            "start_time": "10:00",
            "end_time": "11:00",
            "headcount": "-3",
            "purpose": "  ",
            "agree_rules": "on",
        },
        {
            "date": "TUESDAY",
            "start_time": "10:00",
            "end_time": "11:00",
            "headcount": "2",
            "purpose": "x",
            "agree_rules": "on",
            "room": "999",
            "status": "confirmed",
        },
    ],
)
def test_bad_input_gets_messages_never_a_500(resident_client, monday, data):
    room = space_with_room(JUNGGU, requires_approval=True)
    data = {
        key: (monday + timedelta(days=1)).isoformat() if value == "TUESDAY" else value
        for key, value in data.items()
    }
    if data.get("room"):
        data = {**data, "purpose": "", "headcount": "2"}
    response = resident_client.post(book_url(room), data)
    assert response.status_code == 200
    assert 'class="error-summary"' in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_a_missing_or_closed_room_is_not_found(resident_client):
    room = space_with_room(JUNGGU, is_active=False)
    assert resident_client.get(reverse("spaces:book", args=[room.pk])).status_code == 404
    assert resident_client.post(reverse("spaces:book", args=[999999]), {}).status_code == 404


def test_booking_needs_login_and_a_household_profile(client, monday):
    room = space_with_room(JUNGGU)
    response = client.get(book_url(room))
    assert response.status_code == 302 and "login" in response["Location"]
    login(client, UserFactory())
    for response in (client.get(book_url(room)), client.post(book_url(room), booking_data(monday))):
        content = response.content.decode()
        assert response.status_code == 200
        assert "Complete your household profile before you apply" in content
        assert reverse("households:profile_edit") in content
    assert not Booking.objects.exists()


# --- my bookings -----------------------------------------------------------------------------------


def mine(resident, room, day: date, start="10:00", end="12:00", **fields) -> Booking:
    household = resident.household
    return book(room, household, start=f"{day} {start}", end=f"{day} {end}", **fields)


def test_my_bookings_lists_upcoming_and_past(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    upcoming = mine(resident, room, monday + timedelta(days=2), "18:30", "20:00")
    past = mine(resident, room, monday - timedelta(days=5))
    cancelled = mine(resident, room, monday + timedelta(days=3), status=BookingStatus.CANCELLED)
    someone_elses = book(
        room, start=f"{monday + timedelta(days=4)} 10:00", end=f"{monday + timedelta(days=4)} 11:00"
    )
    page = resident_client.get(reverse("spaces:booking_list")).content.decode()
    upcoming_part, past_part = page.split('id="past-title"')
    assert upcoming.reference in upcoming_part and "18:30" in upcoming_part and "Confirmed" in upcoming_part
    assert room.space.name_en in upcoming_part
    assert past.reference in past_part and cancelled.reference in past_part and "Cancelled" in past_part
    assert someone_elses.reference not in page


def test_my_bookings_when_there_are_none(resident_client):
    page = resident_client.get(reverse("spaces:booking_list")).content.decode()
    assert "You have no upcoming bookings." in page


def test_cancel_before_the_deadline(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    booking = mine(resident, room, monday + timedelta(days=2))
    detail = resident_client.get(reverse("spaces:booking_detail", args=[booking.pk])).content.decode()
    deadline = at(monday + timedelta(days=1), "10:00")
    assert f"until {deadline:%Y.%m.%d} (Tue) 10:00" in detail
    url = reverse("spaces:booking_cancel", args=[booking.pk])
    assert "Yes, cancel my booking" in resident_client.get(url).content.decode()
    response = resident_client.post(url, follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert f"Your booking {booking.reference} is cancelled." in response.content.decode()
    again = resident_client.post(url, follow=True)  # a message, not a 500
    assert again.status_code == 200 and "cannot be changed that way" in again.content.decode()


def test_cancel_after_the_deadline_is_refused(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    room.space.phone = "02-2280-0000"
    room.space.save()
    booking = mine(resident, room, monday, "20:00", "21:00")  # 12 hours away; the deadline is 24
    detail = resident_client.get(reverse("spaces:booking_detail", args=[booking.pk])).content.decode()
    assert "Online cancelling and changing closed at" in detail and "02-2280-0000" in detail
    assert reverse("spaces:booking_cancel", args=[booking.pk]) not in detail
    url = reverse("spaces:booking_cancel", args=[booking.pk])
    assert "Online cancelling closed at" in resident_client.get(url).content.decode()
    response = resident_client.post(url, follow=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert "can be cancelled until 24 hours before the start" in response.content.decode()
    change = resident_client.get(reverse("spaces:booking_change", args=[booking.pk]), follow=True)
    assert "can no longer be changed online" in change.content.decode()


def test_change_the_time(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    wednesday = monday + timedelta(days=2)
    booking = mine(resident, room, wednesday)
    url = reverse("spaces:booking_change", args=[booking.pk])
    form = resident_client.get(url).content.decode()
    assert '<option value="10:00" selected>' in form and f'value="{wednesday}"' in form
    book(room, start=f"{wednesday} 15:00", end=f"{wednesday} 16:00")
    taken = resident_client.post(url, {"date": wednesday, "start_time": "14:00", "end_time": "16:00"})
    assert field_error(taken.content.decode(), "start_time").startswith("This time is already taken.")
    bad = resident_client.post(url, {"date": "nope", "start_time": "99:99", "end_time": ""})
    assert bad.status_code == 200 and 'class="error-summary"' in bad.content.decode()
    response = resident_client.post(url, {"date": wednesday, "start_time": "13:00", "end_time": "15:00"})
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.starts_at == at(wednesday, "13:00") and booking.ends_at == at(wednesday, "15:00")


def test_ics_download(resident_client, resident, monday):
    room = space_with_room(JUNGGU)
    booking = mine(resident, room, monday + timedelta(days=2), "10:00", "12:00")
    response = resident_client.get(reverse("spaces:booking_ics", args=[booking.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{booking.reference}.ics"'
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == at(monday + timedelta(days=2), "10:00") and start.utcoffset() == timedelta(0)
    assert start.tzinfo is not None and start.astimezone(UTC).hour == 1  # 10:00 KST is 01:00 UTC
    assert event["DTSTART"].to_ical().endswith(b"T010000Z")
    assert str(event["STATUS"]) == "CONFIRMED"
    assert (
        reverse("spaces:booking_ics", args=[booking.pk])
        in resident_client.get(reverse("spaces:booking_detail", args=[booking.pk])).content.decode()
    )


def test_someone_elses_booking_is_not_found(client, resident, monday):
    room = space_with_room(JUNGGU)
    booking = mine(resident, room, monday + timedelta(days=3))
    intruder = login(client, HouseholdFactory().user)
    for name in ("booking_detail", "booking_cancel", "booking_change", "booking_ics"):
        assert intruder.get(reverse(f"spaces:{name}", args=[booking.pk])).status_code == 404
    for name in ("booking_cancel", "booking_change"):
        assert intruder.post(reverse(f"spaces:{name}", args=[booking.pk]), {}).status_code == 404
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED
    assert intruder.get(reverse("spaces:booking_detail", args=[999999])).status_code == 404


def test_my_booking_pages_need_login(client):
    for url in (reverse("spaces:booking_list"), reverse("spaces:calendar_feed")):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]


# --- the calendar feed -----------------------------------------------------------------------------


FEED_PATH = re.compile(r"/spaces/feed/([A-Za-z0-9_\-]+)\.ics")


def test_calendar_feed_create_use_and_revoke(resident_client, resident, client, monday, settings):
    settings.SITE_URL = "https://hana.example.kr"
    room = space_with_room(JUNGGU)
    upcoming = mine(resident, room, monday + timedelta(days=2))
    cancelled = mine(resident, room, monday + timedelta(days=3), status=BookingStatus.CANCELLED)
    recent = mine(resident, room, monday - timedelta(days=30))
    old = mine(resident, room, monday - timedelta(days=90))

    page = resident_client.get(reverse("spaces:calendar_feed")).content.decode()
    assert "You have no calendar address yet." in page and not FEED_PATH.search(page)
    response = resident_client.post(reverse("spaces:calendar_feed"), {"action": "create"})
    content = response.content.decode()
    token = FEED_PATH.search(content).group(1)
    assert f'value="https://hana.example.kr/spaces/feed/{token}.ics"' in content
    assert f'href="webcal://hana.example.kr/spaces/feed/{token}.ics"' in content
    assert response["Cache-Control"] == "no-store"
    assert token not in resident_client.get(reverse("spaces:calendar_feed")).content.decode()  # shown once

    # A calendar app, not logged in (`client` is resident_client itself: a logged-in visitor's answers
    # are all no-store, portal.security_headers).
    feed = Client().get(reverse("spaces:feed", args=[token]))
    assert feed.status_code == 200
    assert feed["Content-Type"] == "text/calendar; charset=utf-8"
    assert feed["Cache-Control"] == "private, max-age=900"
    events = {str(e["UID"]): str(e["STATUS"]) for e in Calendar.from_ical(feed.content).walk("VEVENT")}
    uid = "booking-{}@" + settings.ICAL_UID_DOMAIN
    assert events == {
        uid.format(upcoming.pk): "CONFIRMED",
        uid.format(cancelled.pk): "CANCELLED",
        uid.format(recent.pk): "CONFIRMED",
    }
    assert uid.format(old.pk) not in events
    assert CalendarFeed.objects.get(user=resident).last_used_at is not None

    # A new address replaces the old one.
    second = FEED_PATH.search(
        resident_client.post(reverse("spaces:calendar_feed"), {"action": "create"}).content.decode()
    ).group(1)
    assert client.get(reverse("spaces:feed", args=[token])).status_code == 404
    assert client.get(reverse("spaces:feed", args=[second])).status_code == 200

    response = resident_client.post(reverse("spaces:calendar_feed"), {"action": "revoke"}, follow=True)
    assert "turned off" in response.content.decode()
    assert client.get(reverse("spaces:feed", args=[second])).status_code == 404
    assert not CalendarFeed.objects.exists()


@pytest.mark.parametrize("token", ["garbage", "x" * 300, "%00", "..", "a-b_c"])
def test_unknown_feed_token_is_not_found(client, token):
    assert client.get(f"/spaces/feed/{token}.ics").status_code == 404


def test_feed_page_ignores_unknown_actions(resident_client):
    response = resident_client.post(reverse("spaces:calendar_feed"), {"action": "explode"})
    assert response.status_code == 302
    assert not CalendarFeed.objects.exists()


# --- navigation and the program page ------------------------------------------------------------------


def test_nav_links_to_community_spaces_in_a_disclosure_menu(client):
    page = client.get("/").content.decode()
    nav = page[page.index('class="site-nav"') : page.index("</nav>")]
    assert reverse("spaces:list") in nav
    assert '<details class="site-nav__menu">' in nav and "<summary" in nav
    current = client.get(reverse("spaces:list")).content.decode()
    assert f'href="{reverse("spaces:list")}" aria-current="page"' in current


def test_program_page_shows_sessions_with_place_and_time(client, monday):
    room = space_with_room(JUNGGU)
    program = ProgramFactory()
    staff = UserFactory()
    thursday = monday + timedelta(days=3)

    def staff_booking(day: date, status=BookingStatus.CONFIRMED) -> Booking:
        return Booking.objects.create(
            room=room,
            district_id=room.space.district_id,
            booked_by=staff,
            starts_at=at(day, "19:00"),
            ends_at=at(day, "21:00"),
            headcount=12,
            purpose="요리 교실",
            status=status,
        )

    ProgramSession.objects.create(program=program, booking=staff_booking(thursday), title_en="Cooking night")
    ProgramSession.objects.create(
        program=program, booking=staff_booking(thursday + timedelta(days=7), BookingStatus.CANCELLED)
    )
    ProgramSession.objects.create(
        program=program,
        starts_at=at(monday - timedelta(days=7), "19:00"),
        ends_at=at(monday - timedelta(days=7), "21:00"),
        place="구민회관",
        participants=14,
    )
    ProgramSession.objects.create(
        program=program, booking=staff_booking(monday - timedelta(days=14)), participants=9
    )
    ProgramSession.objects.create(
        program=program, booking=staff_booking(monday - timedelta(days=21), BookingStatus.CANCELLED)
    )
    page = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    sessions = page[page.index('id="sessions-title"') :]
    assert "Cooking night" in sessions
    assert f"{thursday:%Y.%m.%d} (Thu) 19:00" in sessions and "21:00" in sessions
    assert f"{room.space.name_en} · {room.name_en} ({room.space.address})" in sessions
    assert reverse("spaces:detail", args=[room.space.slug]) in sessions
    assert "Cancelled" in sessions
    assert "2 sessions held so far, with 23 participants in all." in sessions


def test_program_page_sessions_are_one_query(client, monday, django_assert_num_queries, uncached_pages):
    room = space_with_room(JUNGGU)
    program = ProgramFactory()
    url = reverse("programs:detail", args=[program.pk])
    before = queries(client, url)
    staff = UserFactory()
    for days in range(1, 13):
        booking = Booking.objects.create(
            room=room,
            district_id=room.space.district_id,
            booked_by=staff,
            starts_at=at(monday + timedelta(days=days), "10:00"),
            ends_at=at(monday + timedelta(days=days), "11:00"),
            headcount=5,
            purpose="수업",
            status="confirmed",
        )
        ProgramSession.objects.create(program=program, booking=booking)
    page = client.get(url).content.decode()
    assert page.count('class="application-card"') == 10  # at most ten upcoming
    assert queries(client, url) == before
