"""Community spaces in the admin: district scoping, the booking review queue and its actions (through
spaces.services), attendance and no-show bans, staff booking series, the calendar of a space, public
holidays as closures, the access log, and constant query counts."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Notification
from portal.timeutils import to_local
from programs.models import ProgramSession
from spaces.admin.bookings import SpaceFilter
from spaces.admin.common import korean_holidays, one_year_after
from spaces.models import (
    Booking,
    BookingPolicy,
    BookingSeries,
    BookingStatus,
    Closure,
    ClosureReason,
    Space,
    Suspension,
    Weekday,
)
from spaces.services import series_create, series_dates
from tests.factories import (
    GWANAK,
    JUNGGU,
    HouseholdFactory,
    ProgramFactory,
    book,
    district,
    login,
    space_with_room,
)
from tests.programs.test_program_questions_admin import form_data

pytestmark = pytest.mark.django_db
S = BookingStatus

BOOKINGS = reverse("admin:spaces_booking_changelist")
SERIES = reverse("admin:spaces_bookingseries_changelist")
SERIES_ADD = reverse("admin:spaces_bookingseries_add")
SPACES = reverse("admin:spaces_space_changelist")
SUSPENSIONS = reverse("admin:spaces_suspension_changelist")


def local_day(offset: int) -> date:
    """Today in Seoul, moved by `offset` days: every date here is relative to the real now."""
    return to_local(timezone.now()).date() + timedelta(days=offset)


def at(day: date, clock: str) -> str:
    return f"{day.isoformat()} {clock}"


def texts(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def change_url(booking) -> str:
    return reverse("admin:spaces_booking_change", args=[booking.pk])


def calendar_url(space) -> str:
    return reverse("admin:spaces_space_calendar", args=[space.pk])


def choose(client, url: str, action: str, rows, **data):
    """The changelist's action bar; with post="yes" it is the confirmation page's form."""
    return client.post(url, {"action": action, "_selected_action": [row.pk for row in rows], **data})


@pytest.fixture
def english(client, settings):
    # English pages, so that messages can be compared as written.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def caseworker_client(english, caseworker_a):
    return login(english, caseworker_a)


@pytest.fixture
def room_a():
    return space_with_room(GWANAK)


@pytest.fixture
def room_b():
    return space_with_room(JUNGGU)


def household(name: str = "박관악", code: str = GWANAK):
    return HouseholdFactory(name=name, district=district(code))


# --- scoping ----------------------------------------------------------------------------------------


def test_booking_list_shows_own_district_only_with_masked_names(caseworker_client, room_a, room_b):
    day = local_day(3)
    own = book(room_a, household("박관악"), at(day, "10:00"), at(day, "11:00"))
    other = book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))

    response = caseworker_client.get(BOOKINGS)

    assert list(response.context["cl"].result_list) == [own]
    content = response.content.decode()
    assert "박*악" in content and "박관악" not in content
    assert own.reference in content and other.reference not in content
    assert f"{day:%Y-%m-%d}" in content and "10:00–11:00" in content  # Seoul time


def test_space_filter_offers_own_district_spaces_only(caseworker_client, room_a, room_b):
    response = caseworker_client.get(BOOKINGS)

    spec = next(spec for spec in response.context["cl"].filter_specs if isinstance(spec, SpaceFilter))
    assert [label for _value, label in spec.lookup_choices] == [room_a.space.name]
    assert room_b.space.name not in response.content.decode()


def test_other_districts_pages_do_not_open(caseworker_client, room_b):
    day = local_day(3)
    other = book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))
    series = BookingSeries.objects.create(
        room=room_b,
        title="중구 요리교실",
        weekdays=[1],
        start_time="10:00",
        end_time="12:00",
        starts_on=day,
        ends_on=day,
        created_by=other.booked_by,
    )
    suspension = Suspension.objects.create(
        household=other.household,
        district=district(JUNGGU),
        starts_at=timezone.now(),
        ends_at=timezone.now() + timedelta(days=30),
        reason="3 no-shows",
    )

    redirects = [
        change_url(other),
        reverse("admin:spaces_booking_history", args=[other.pk]),
        reverse("admin:spaces_space_change", args=[room_b.space_id]),
        reverse("admin:spaces_space_history", args=[room_b.space_id]),
        calendar_url(room_b.space),
        reverse("admin:spaces_room_change", args=[room_b.pk]),
        reverse("admin:spaces_room_history", args=[room_b.pk]),
        reverse("admin:spaces_bookingseries_change", args=[series.pk]),
        reverse("admin:spaces_suspension_change", args=[suspension.pk]),
    ]
    for url in redirects:
        assert caseworker_client.get(url).status_code == 302, url
    for url in (
        reverse("admin:spaces_booking_decide", args=[other.pk, "cancel"]),
        reverse("admin:spaces_bookingseries_cancel", args=[series.pk]),
    ):
        assert caseworker_client.get(url).status_code == 404, url
    for url in (BOOKINGS, SERIES, SUSPENSIONS, SPACES, reverse("admin:spaces_room_changelist")):
        assert list(caseworker_client.get(url).context["cl"].result_list) == [], url
    assert not AuditEvent.objects.filter(action="booking.viewed").exists()


def test_city_admin_sees_every_district(english, city_admin, room_a, room_b):
    day = local_day(3)
    book(room_a, household("박관악"), at(day, "10:00"), at(day, "11:00"))
    book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))
    client = login(english, city_admin)

    assert len(client.get(BOOKINGS).context["cl"].result_list) == 2
    assert client.get(calendar_url(room_b.space)).status_code == 200


def test_search_by_reference_number_stays_in_the_district(caseworker_client, room_a, room_b):
    day = local_day(3)
    own = book(room_a, household(), at(day, "10:00"), at(day, "11:00"))
    book(room_a, household(), at(day, "12:00"), at(day, "13:00"))
    other = book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))

    found = caseworker_client.get(BOOKINGS, {"q": own.reference})
    assert list(found.context["cl"].result_list) == [own]
    assert list(caseworker_client.get(BOOKINGS, {"q": str(own.pk)}).context["cl"].result_list) == [own]
    assert list(caseworker_client.get(BOOKINGS, {"q": other.reference}).context["cl"].result_list) == []


def test_date_filter_and_queue_order(caseworker_client, room_a):
    room_a.requires_approval = True
    room_a.save()
    soon, later, past = local_day(2), local_day(5), local_day(-2)
    confirmed_soon = book(room_a, household(), at(soon, "10:00"), at(soon, "11:00"))
    pending_later = book(room_a, household(), at(later, "10:00"), at(later, "11:00"), status=S.PENDING)
    old = book(room_a, household(), at(past, "10:00"), at(past, "11:00"), status=S.ATTENDED)

    response = caseworker_client.get(BOOKINGS)
    assert list(response.context["cl"].result_list) == [pending_later, old, confirmed_soon]
    upcoming = caseworker_client.get(BOOKINGS, {"when": "upcoming"})
    assert list(upcoming.context["cl"].result_list) == [pending_later, confirmed_soon]
    assert list(caseworker_client.get(BOOKINGS, {"when": "past"}).context["cl"].result_list) == [old]
    pending = caseworker_client.get(BOOKINGS, {"status__exact": "pending"})
    assert list(pending.context["cl"].result_list) == [pending_later]


def test_staff_cannot_add_or_delete_bookings(caseworker_client, room_a):
    assert caseworker_client.get(reverse("admin:spaces_booking_add")).status_code == 403


# --- opening a booking ------------------------------------------------------------------------------


def test_opening_a_booking_is_logged_and_shows_history_and_no_shows(caseworker_client, caseworker_a, room_a):
    resident = household("박관악")
    past = local_day(-3)
    book(room_a, resident, at(past, "10:00"), at(past, "11:00"), status=S.NO_SHOW)
    day = local_day(3)
    booking = book(room_a, resident, at(day, "10:00"), at(day, "11:00"))

    response = caseworker_client.get(change_url(booking))

    assert response.status_code == 200
    content = response.content.decode()
    assert "박관악" in content  # the full name on the (logged) record view
    assert "1 in all; 1 in the last 90 days" in content
    assert "Every change to this booking" in content
    event = AuditEvent.objects.get(action="booking.viewed")
    assert event.actor == caseworker_a
    assert event.subject_user_id == resident.user_id
    assert event.district == district(GWANAK)
    assert event.target_id == str(booking.pk)
    history = caseworker_client.get(reverse("admin:spaces_booking_history", args=[booking.pk]))
    assert history.status_code == 200
    assert AuditEvent.objects.filter(action="booking.viewed").count() == 2


# --- decisions --------------------------------------------------------------------------------------


@pytest.fixture
def pending(room_a):
    room_a.requires_approval = True
    room_a.save()
    day = local_day(4)
    return [
        book(room_a, household("박관악"), at(day, "10:00"), at(day, "11:00"), status=S.PENDING),
        book(room_a, household("최관악"), at(day, "12:00"), at(day, "13:00"), status=S.PENDING),
    ]


def test_approve_action_confirms_and_notifies(caseworker_client, pending):
    response = choose(caseworker_client, BOOKINGS, "approve_selected", pending)
    assert response.status_code == 200  # the confirmation page first
    assert Booking.objects.filter(status=S.PENDING).count() == 2

    response = choose(caseworker_client, BOOKINGS, "approve_selected", pending, post="yes")

    assert response.status_code == 302
    assert texts(response) == ["Approve: 2 bookings done."]
    for booking in pending:
        booking.refresh_from_db()
        assert booking.status == S.CONFIRMED and booking.decided_at is not None
        assert Notification.objects.filter(user=booking.household.user, template="booking.approved").exists()


def test_reject_action_needs_a_reason_and_notifies(caseworker_client, pending):
    response = choose(caseworker_client, BOOKINGS, "reject_selected", pending, post="yes", reason="")
    assert response.status_code == 200
    assert "Give a reason" in response.content.decode()
    assert Booking.objects.filter(status=S.PENDING).count() == 2

    response = choose(
        caseworker_client, BOOKINGS, "reject_selected", pending[:1], post="yes", reason="공사로 사용 불가"
    )

    assert response.status_code == 302
    rejected = Booking.objects.get(pk=pending[0].pk)
    assert rejected.status == S.REJECTED and rejected.reason == "공사로 사용 불가"
    assert Notification.objects.filter(user=pending[0].household.user, template="booking.rejected").exists()
    assert Booking.objects.get(pk=pending[1].pk).status == S.PENDING


def test_change_page_buttons_follow_the_status(caseworker_client, pending):
    booking = pending[0]
    content = caseworker_client.get(change_url(booking)).content.decode()
    assert reverse("admin:spaces_booking_decide", args=[booking.pk, "approve"]) in content
    assert reverse("admin:spaces_booking_decide", args=[booking.pk, "no_show"]) not in content

    url = reverse("admin:spaces_booking_decide", args=[booking.pk, "approve"])
    assert caseworker_client.get(url).status_code == 200
    response = caseworker_client.post(url, {"post": "yes"})

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == S.CONFIRMED


def test_a_refusal_is_reported_per_booking(caseworker_client, room_a, pending):
    day = local_day(5)
    confirmed = book(room_a, household(), at(day, "10:00"), at(day, "11:00"))

    response = choose(caseworker_client, BOOKINGS, "approve_selected", [pending[0], confirmed], post="yes")

    messages = texts(response)
    assert "Approve: 1 booking done." in messages
    assert any(
        m.startswith("Approve: 1 booking could not be changed.") and confirmed.reference in m
        for m in messages
    )
    assert Booking.objects.get(pk=pending[0].pk).status == S.CONFIRMED


def test_staff_cancel_needs_a_reason_and_tells_the_resident(caseworker_client, room_a):
    day = local_day(2)
    booking = book(room_a, household(), at(day, "10:00"), at(day, "11:00"))

    response = choose(caseworker_client, BOOKINGS, "cancel_selected", [booking], post="yes", reason="")
    assert response.status_code == 200
    response = choose(caseworker_client, BOOKINGS, "cancel_selected", [booking], post="yes", reason="누수")

    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == S.CANCELLED and booking.reason == "누수"
    assert Notification.objects.filter(
        user=booking.household.user, template="booking.cancelled_by_staff"
    ).exists()


def test_actions_never_reach_another_district(caseworker_client, room_b):
    day = local_day(2)
    other = book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))

    choose(caseworker_client, BOOKINGS, "cancel_selected", [other], post="yes", reason="누수")

    assert Booking.objects.get(pk=other.pk).status == S.CONFIRMED


# --- attendance and no-show bans --------------------------------------------------------------------


def test_attendance_actions_and_the_third_no_show_bans(caseworker_client, room_a):
    resident = household("박관악")
    past = [local_day(-offset) for offset in (1, 2, 3)]
    missed = [book(room_a, resident, at(day, "10:00"), at(day, "11:00")) for day in past]
    came = book(room_a, household("최관악"), at(past[0], "14:00"), at(past[0], "15:00"))
    future = book(room_a, household("정관악"), at(local_day(2), "10:00"), at(local_day(2), "11:00"))

    response = choose(caseworker_client, BOOKINGS, "attended_selected", [came, future], post="yes")
    came.refresh_from_db()
    assert came.status == S.ATTENDED and came.attendance_marked_at is not None
    assert any(future.reference in message for message in texts(response))  # too early: refused
    assert Booking.objects.get(pk=future.pk).status == S.CONFIRMED

    choose(caseworker_client, BOOKINGS, "no_show_selected", missed[:2], post="yes")
    assert not Suspension.objects.exists()
    response = choose(caseworker_client, BOOKINGS, "no_show_selected", missed[2:], post="yes")

    assert all(Booking.objects.get(pk=b.pk).status == S.NO_SHOW for b in missed)
    suspension = Suspension.objects.get()
    assert suspension.household == resident and suspension.district == district(GWANAK)
    assert Notification.objects.filter(user=resident.user, template="booking.suspended").exists()
    assert any("reached the no-show limit" in message for message in texts(response))


def test_lift_ban_action(caseworker_client, caseworker_a, room_a):
    resident = household("박관악")
    suspension = Suspension.objects.create(
        household=resident,
        district=district(GWANAK),
        starts_at=timezone.now() - timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=29),
        reason="3 no-shows",
    )

    listing = caseworker_client.get(SUSPENSIONS)
    assert list(listing.context["cl"].result_list) == [suspension]
    assert "박*악" in listing.content.decode() and "박관악" not in listing.content.decode()

    response = choose(caseworker_client, SUSPENSIONS, "lift_selected", [suspension])

    assert response.status_code == 302
    suspension.refresh_from_db()
    assert suspension.lifted_at is not None and suspension.lifted_by == caseworker_a
    assert Notification.objects.filter(user=resident.user, template="booking.suspension_lifted").exists()
    response = choose(caseworker_client, SUSPENSIONS, "lift_selected", [suspension])
    assert any("already lifted" in message for message in texts(response))


# --- staff booking series ---------------------------------------------------------------------------


def series_data(room, **changes) -> dict:
    first = local_day(7)
    data = {
        "room": room.pk,
        "title": "화목 요리교실",
        "program": "",
        "weekdays": [str(Weekday.TUESDAY), str(Weekday.THURSDAY)],
        "start_time": "10:00",
        "end_time": "12:00",
        "starts_on": first.isoformat(),
        "ends_on": (first + timedelta(days=20)).isoformat(),
        "headcount": "8",
    }
    data.update(changes)
    return data


def test_series_form_books_every_date(caseworker_client, room_a, room_b):
    page = caseworker_client.get(SERIES_ADD)
    assert page.status_code == 200
    rooms = list(page.context["form"].fields["room"].queryset)
    assert rooms == [room_a]  # another district's rooms are not offered
    data = series_data(room_a)
    expected = series_dates(
        [Weekday.TUESDAY, Weekday.THURSDAY],
        date.fromisoformat(data["starts_on"]),
        date.fromisoformat(data["ends_on"]),
    )

    response = caseworker_client.post(SERIES_ADD, data)

    assert response.status_code == 302
    series = BookingSeries.objects.get()
    assert series.bookings.count() == len(expected)
    assert sorted(to_local(b.starts_at).date() for b in series.bookings.all()) == expected
    assert all(b.status == S.CONFIRMED and b.household_id is None for b in series.bookings.all())
    assert texts(response) == [f"{len(expected)} bookings created."]
    page = caseworker_client.get(response.url)
    assert page.status_code == 200
    assert "Cancel the whole series" in page.content.decode()


def test_series_form_lists_conflicts_and_books_nothing(caseworker_client, room_a):
    data = series_data(room_a)
    dates = series_dates(
        [Weekday.TUESDAY, Weekday.THURSDAY],
        date.fromisoformat(data["starts_on"]),
        date.fromisoformat(data["ends_on"]),
    )
    taken_day, closed_day = dates[1], dates[2]
    book(room_a, household(), at(taken_day, "11:00"), at(taken_day, "12:00"))
    Closure.objects.create(
        space=room_a.space, starts_on=closed_day, ends_on=closed_day, reason="maintenance", note="방역"
    )

    response = caseworker_client.post(SERIES_ADD, data)

    assert response.status_code == 200
    assert not BookingSeries.objects.exists()
    assert Booking.objects.count() == 1
    form = response.context["form"]
    assert "Nothing was booked: 2 dates cannot be booked" in " ".join(form.non_field_errors())
    assert [c["day"] for c in response.context["conflicts"]] == [taken_day, closed_day]
    content = response.content.decode()
    assert taken_day.isoformat() in content and closed_day.isoformat() in content and "방역" in content
    assert form["title"].value() == "화목 요리교실"  # what was entered stays


def test_series_form_rule_errors_go_next_to_their_fields(caseworker_client, room_a, room_b):
    response = caseworker_client.post(SERIES_ADD, series_data(room_a, end_time="09:00"))
    assert response.status_code == 200
    assert response.context["form"].errors["end_time"]
    response = caseworker_client.post(SERIES_ADD, series_data(room_b))
    assert response.status_code == 200
    assert "room" in response.context["form"].errors  # not a room they may book
    assert not BookingSeries.objects.exists()


def test_series_with_a_program_creates_its_sessions(english, program_manager_a, room_a):
    program = ProgramFactory(district=district(GWANAK))
    client = login(english, program_manager_a)
    data = series_data(room_a, program=str(program.pk), weekdays=[str(Weekday.TUESDAY)])

    response = client.post(SERIES_ADD, data)

    assert response.status_code == 302
    series = BookingSeries.objects.get()
    assert ProgramSession.objects.filter(program=program).count() == series.bookings.count() > 0


def test_cancelling_the_whole_series(caseworker_client, caseworker_a, room_a):
    first = local_day(7)
    series = series_create(
        actor=caseworker_a,
        room_id=room_a.pk,
        title="요리교실",
        weekdays=[first.weekday()],
        start_time=time(10),
        end_time=time(12),
        starts_on=first,
        ends_on=first + timedelta(days=14),
    )
    url = reverse("admin:spaces_bookingseries_cancel", args=[series.pk])

    assert caseworker_client.post(url, {"post": "yes", "reason": ""}).status_code == 200
    assert series.bookings.filter(status=S.CONFIRMED).count() == 3
    response = caseworker_client.post(url, {"post": "yes", "reason": "강사 사정"})

    assert response.status_code == 302
    series.refresh_from_db()
    assert series.cancelled_at is not None
    assert series.bookings.filter(status=S.CANCELLED, reason="강사 사정").count() == 3
    page = caseworker_client.get(reverse("admin:spaces_bookingseries_change", args=[series.pk]))
    assert f"series__id__exact={series.pk}" in page.content.decode()  # one date: the bookings list
    occurrences = caseworker_client.get(BOOKINGS, {"series__id__exact": series.pk})
    assert len(occurrences.context["cl"].result_list) == 3


def test_series_list_counts_occurrences_with_constant_queries(
    caseworker_client, caseworker_a, room_a, django_assert_max_num_queries
):
    first = local_day(7)
    for offset in range(3):
        series_create(
            actor=caseworker_a,
            room_id=room_a.pk,
            title=f"요리교실 {offset}",
            weekdays=[first.weekday()],
            start_time=time(10 + 2 * offset),
            end_time=time(11 + 2 * offset),
            starts_on=first,
            ends_on=first + timedelta(days=7),
        )
    caseworker_client.get(SERIES)
    # Session, user, permissions (user and group), the capped count, the page with both counts annotated.
    with django_assert_max_num_queries(6):
        response = caseworker_client.get(SERIES)
    assert "2 (2 upcoming)" in response.content.decode()


# --- the calendar -----------------------------------------------------------------------------------


def calendar_scene(room, count: int):
    """Two rooms; `count` bookings in the first on one day, a series date in the second."""
    from spaces.models import Room

    other_room = Room.objects.create(space=room.space, name="주방", name_en="Kitchen", capacity=6)
    day = local_day(3)
    for hour in range(count):
        book(room, household(f"박관{hour}"), at(day, f"{9 + hour:02d}:00"), at(day, f"{10 + hour:02d}:00"))
    return other_room, day


@pytest.mark.parametrize("count", [1, 6])
def test_calendar_shows_the_week_with_constant_queries(
    caseworker_client, caseworker_a, room_a, count, django_assert_max_num_queries
):
    other_room, day = calendar_scene(room_a, count)
    series_create(
        actor=caseworker_a,
        room_id=other_room.pk,
        title="주간 요리교실",
        weekdays=[day.weekday()],
        start_time=time(14),
        end_time=time(16),
        starts_on=day,
        ends_on=day,
    )
    url = calendar_url(room_a.space)
    caseworker_client.get(url, {"date": day.isoformat()})

    # Session, user, permissions (user and group), the space, its rooms, then per room (two here) its
    # opening hours, closures and taken slots (spaces.availability.room_days), and one query for the
    # bookings of every room with their households and series: the same for 1 booking or 6.
    with django_assert_max_num_queries(13):
        response = caseworker_client.get(url, {"date": day.isoformat()})

    assert response.status_code == 200
    assert response.context["view"] == "week"
    content = response.content.decode()
    assert "<caption>" in content and 'scope="col"' in content and 'scope="row"' in content
    assert content.count('class="calendar-booking ') == count + 1
    assert "박*0" in content and "박관0" not in content
    assert "주간 요리교실" in content
    monday = day - timedelta(days=day.weekday())
    assert f"date={(monday - timedelta(days=7)).isoformat()}" in content  # previous week
    assert f"date={(monday + timedelta(days=7)).isoformat()}" in content  # next week


def test_calendar_day_view_and_closures(caseworker_client, room_a):
    day = local_day(3)
    book(room_a, household("박관악"), at(day, "10:00"), at(day, "12:00"))
    closed = day + timedelta(days=1)
    Closure.objects.create(
        space=room_a.space, starts_on=closed, ends_on=closed, reason="holiday", note="추석"
    )

    response = caseworker_client.get(calendar_url(room_a.space), {"view": "day", "date": day.isoformat()})
    assert response.context["view"] == "day"
    assert len(response.context["days"]) == 1
    assert "10:00–12:00" in response.content.decode()
    assert f"date={(day - timedelta(days=1)).isoformat()}" in response.content.decode()

    response = caseworker_client.get(calendar_url(room_a.space), {"view": "day", "date": closed.isoformat()})
    assert "추석" in response.content.decode()
    # A date that is not one: the week of today.
    response = caseworker_client.get(calendar_url(room_a.space), {"date": "tomorrow"})
    assert response.status_code == 200 and len(response.context["days"]) == 7


def test_calendar_is_linked_from_the_space_pages(caseworker_client, room_a):
    url = calendar_url(room_a.space)
    assert url in caseworker_client.get(SPACES).content.decode()
    change = caseworker_client.get(reverse("admin:spaces_space_change", args=[room_a.space_id]))
    assert url in change.content.decode()


# --- spaces, holidays, policy -----------------------------------------------------------------------


def test_holiday_action_adds_closures_once(caseworker_client, room_a):
    space = room_a.space
    today = to_local(timezone.now()).date()
    expected = korean_holidays(today, one_year_after(today) - timedelta(days=1))
    assert expected  # twelve months always hold public holidays

    response = choose(caseworker_client, SPACES, "add_holiday_closures", [space])
    assert response.status_code == 302
    closures = Closure.objects.filter(space=space, reason=ClosureReason.HOLIDAY, room__isnull=True)
    assert {c.starts_on: c.note for c in closures} == expected
    assert all(c.starts_on == c.ends_on for c in closures)

    choose(caseworker_client, SPACES, "add_holiday_closures", [space])
    assert closures.count() == len(expected)  # nothing twice


def test_manager_adds_a_space_with_ticked_amenities(english, manager_a):
    client = login(english, manager_a)
    add = reverse("admin:spaces_space_add")
    page = client.get(add)
    districts = list(page.context["adminform"].form.fields["district"].queryset)
    assert districts == [district(GWANAK)]
    assert 'type="checkbox" name="amenities"' in page.content.decode()
    data = {
        "district": district(GWANAK).pk,
        "neighbourhood": "",
        "name": "관악 소통공간",
        "name_en": "Gwanak lounge",
        "slug": "gwanak-lounge",
        "is_active": "on",
        "address": "서울특별시 관악구 1",
        "amenities": ["wifi", "kitchen"],
        "access_features": ["step_free"],
    }
    for prefix in ("rooms", "opening_hours", "closures"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})

    response = client.post(add, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    space = Space.objects.get(slug="gwanak-lounge")
    assert space.amenities == ["kitchen", "wifi"] and space.access_features == ["step_free"]
    data["slug"], data["district"] = "junggu-by-gwanak", district(JUNGGU).pk
    assert client.post(add, data).status_code == 200  # not a district they may choose
    assert not Space.objects.filter(slug="junggu-by-gwanak").exists()


def test_booking_policy_is_scoped(english, manager_a):
    own = BookingPolicy.objects.create(district=district(GWANAK), no_show_limit=2)
    other = BookingPolicy.objects.create(district=district(JUNGGU))
    client = login(english, manager_a)

    response = client.get(reverse("admin:spaces_bookingpolicy_changelist"))

    assert list(response.context["cl"].result_list) == [own]
    assert client.get(reverse("admin:spaces_bookingpolicy_change", args=[other.pk])).status_code == 302
    assert client.get(reverse("admin:spaces_bookingpolicy_add")).status_code == 403  # one per district


# --- program sessions -------------------------------------------------------------------------------


def test_program_page_links_sessions_to_visible_bookings_only(english, program_manager_a, room_a, room_b):
    program = ProgramFactory(district=district(GWANAK))
    day = local_day(5)
    own = book(room_a, household(), at(day, "10:00"), at(day, "11:00"))
    other = book(room_b, household("이중구", JUNGGU), at(day, "10:00"), at(day, "11:00"))
    ProgramSession.objects.create(program=program, booking=own)
    client = login(english, program_manager_a)
    url = reverse("admin:programs_program_change", args=[program.pk])

    page = client.get(url)

    inline = next(i for i in page.context["inline_admin_formsets"] if i.formset.model is ProgramSession)
    field = inline.formset.forms[0].fields["booking"]
    assert list(field.queryset) == [own]
    assert own.reference in page.content.decode()
    data = form_data(page)
    session_form = next(
        key for key, value in data.items() if key.endswith("-booking") and value == str(own.pk)
    )
    data[session_form] = str(other.pk)  # another district's booking, typed in by hand

    response = client.post(url, data)

    assert response.status_code == 200  # refused: not a booking they may see
    assert ProgramSession.objects.get().booking == own


# --- query counts -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 20])
def test_booking_changelist_query_count_is_constant(
    caseworker_client, room_a, count, django_assert_max_num_queries
):
    day = local_day(3)
    for index in range(count):
        start = (index * 30) % (11 * 60)
        book(
            room_a,
            household(),
            at(day + timedelta(days=index // 22), f"{9 + start // 60:02d}:{start % 60:02d}"),
            at(day + timedelta(days=index // 22), f"{9 + (start + 30) // 60:02d}:{(start + 30) % 60:02d}"),
        )
    caseworker_client.get(BOOKINGS)
    # Session, user, permissions (user and group), the space filter, the capped count, the page.
    with django_assert_max_num_queries(7):
        response = caseworker_client.get(BOOKINGS)
    assert len(response.context["cl"].result_list) == count
