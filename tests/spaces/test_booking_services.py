"""The booking services: creation, cancellation, moving, decisions, attendance and no-show bans, staff
series, reminders and the calendar feed."""

from __future__ import annotations

from datetime import UTC, date, time, timedelta
from unittest import mock

import pytest
from icalendar import Calendar

from households.services import HouseholdError
from portal.models import AuditEvent, Notification
from programs.models import ProgramSession
from spaces import services
from spaces.ical import calendar_for
from spaces.models import Booking, BookingPolicy, BookingSeries, BookingStatus, Closure, Suspension
from tests.factories import JUNGGU, HouseholdFactory, ProgramFactory, book, district, seoul, space_with_room

pytestmark = pytest.mark.django_db

NOW = seoul("2026-11-20 12:00")  # a Friday


def frozen(moment=NOW):
    return mock.patch("django.utils.timezone.now", return_value=moment)


@pytest.fixture
def room():
    return space_with_room(JUNGGU, hours=("07:00", "21:00"))


@pytest.fixture
def household():
    return HouseholdFactory(district=district(JUNGGU))


def create(room, household, start, end, *, now=NOW, **fields):
    with frozen(now):
        return services.booking_create(
            user=household.user,
            room_id=room.pk,
            starts_at=seoul(start),
            ends_at=seoul(end),
            headcount=fields.get("headcount", 2),
            purpose=fields.get("purpose", "독서 모임"),
            now=now,
        )


def templates(user):
    return list(
        Notification.objects.filter(user=user, channel="in_app")
        .order_by("pk")
        .values_list("template", flat=True)
    )


# --- creating ---------------------------------------------------------------------------------------


def test_an_automatic_room_confirms_and_notifies(room, household, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    assert booking.status == BookingStatus.CONFIRMED
    assert booking.district == room.space.district
    assert booking.reference == f"BK-2026-{booking.pk:06d}"
    assert templates(household.user) == ["booking.confirmed"]
    assert AuditEvent.objects.filter(action="booking.created", target_id=str(booking.pk)).exists()


def test_times_are_stored_in_utc(room, household):
    booking = create(room, household, "2026-11-23 08:00", "2026-11-23 09:00")
    booking.refresh_from_db()
    assert booking.starts_at.astimezone(UTC).isoformat() == "2026-11-22T23:00:00+00:00"


def test_a_room_needing_approval_books_pending(room, household):
    room.requires_approval = True
    room.save()
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    assert booking.status == BookingStatus.PENDING
    assert templates(household.user) == ["booking.pending"]


def test_a_refusal_lists_every_failed_rule_by_field(room, household):
    with pytest.raises(services.BookingError) as refused:
        create(room, household, "2026-11-23 10:10", "2026-11-23 10:40", headcount=40, purpose="")
    error = refused.value
    assert error.code == "slot_step"
    assert set(error.by_field()) == {"starts_at", "ends_at", "headcount", "purpose"}
    assert not Booking.objects.exists()


def test_no_profile_no_booking(room):
    from tests.factories import UserFactory

    with pytest.raises(HouseholdError) as refused:
        services.booking_create(
            user=UserFactory(),
            room_id=room.pk,
            starts_at=seoul("2026-11-23 10:00"),
            ends_at=seoul("2026-11-23 11:00"),
            headcount=1,
            purpose="모임",
            now=NOW,
        )
    assert refused.value.code == "profile_incomplete"


def test_adjacent_bookings_both_stand(room, household):
    create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    other = HouseholdFactory(district=district(JUNGGU))
    second = create(room, other, "2026-11-23 11:00", "2026-11-23 12:00")
    assert second.status == BookingStatus.CONFIRMED
    assert Booking.objects.count() == 2


def test_an_overlapping_booking_is_refused_as_taken(room, household):
    create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with pytest.raises(services.BookingError) as refused:
        create(room, HouseholdFactory(district=district(JUNGGU)), "2026-11-23 10:30", "2026-11-23 11:30")
    assert refused.value.code == "taken"


# --- cancelling and moving ------------------------------------------------------------------------------


def test_cancel_before_the_deadline_frees_the_slot(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    # Deadline: 24 hours before, i.e. Sunday 10:00 in Seoul.
    with frozen(seoul("2026-11-22 09:59")):
        services.booking_cancel(user=household.user, booking_id=booking.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert "booking.cancelled" in templates(household.user)
    create(room, HouseholdFactory(district=district(JUNGGU)), "2026-11-23 10:00", "2026-11-23 11:00")


def test_cancel_after_the_deadline_is_refused(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(seoul("2026-11-22 10:01")), pytest.raises(services.BookingError) as refused:
        services.booking_cancel(user=household.user, booking_id=booking.pk)
    assert refused.value.code == "cancel_deadline"
    assert "24" in refused.value.message


def test_someone_else_cannot_cancel(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(), pytest.raises(Booking.DoesNotExist):
        services.booking_cancel(user=HouseholdFactory().user, booking_id=booking.pk)


def test_moving_a_booking_over_its_own_slot(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen():
        services.booking_reschedule(
            actor=household.user,
            booking_id=booking.pk,
            starts_at=seoul("2026-11-23 10:30"),
            ends_at=seoul("2026-11-23 11:30"),
            now=NOW,
        )
    booking.refresh_from_db()
    assert booking.starts_at == seoul("2026-11-23 10:30")
    assert Booking.objects.count() == 1
    assert "booking.rescheduled" in templates(household.user)


def test_moving_onto_someone_elses_slot_is_refused(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    book(room, start="2026-11-23 12:00", end="2026-11-23 13:00")
    with frozen(), pytest.raises(services.BookingError) as refused:
        services.booking_reschedule(
            actor=household.user,
            booking_id=booking.pk,
            starts_at=seoul("2026-11-23 11:30"),
            ends_at=seoul("2026-11-23 12:30"),
            now=NOW,
        )
    assert refused.value.code == "taken"
    booking.refresh_from_db()
    assert booking.starts_at == seoul("2026-11-23 10:00")


def test_moving_a_booking_of_an_approval_room_asks_for_approval_again(room, household, caseworker_b):
    room.requires_approval = True
    room.save()
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen():
        services.booking_decide(actor=caseworker_b, booking_id=booking.pk, approve=True)
        services.booking_reschedule(
            actor=household.user,
            booking_id=booking.pk,
            starts_at=seoul("2026-11-23 14:00"),
            ends_at=seoul("2026-11-23 15:00"),
            now=NOW,
        )
    booking.refresh_from_db()
    assert booking.status == BookingStatus.PENDING
    assert booking.decided_by is None and booking.decided_at is None
    moved = AuditEvent.objects.get(action="booking.rescheduled")
    assert moved.data["status"] == ["confirmed", "pending"]


# --- staff decisions ---------------------------------------------------------------------------------


def test_approve_and_reject(room, household, caseworker_b):
    room.requires_approval = True
    room.save()
    first = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    second = create(room, household, "2026-11-24 10:00", "2026-11-24 11:00")
    with frozen():
        services.booking_decide(actor=caseworker_b, booking_id=first.pk, approve=True)
        with pytest.raises(services.BookingError) as refused:
            services.booking_decide(actor=caseworker_b, booking_id=second.pk, approve=False, reason=" ")
        assert refused.value.code == "reason_required"
        services.booking_decide(actor=caseworker_b, booking_id=second.pk, approve=False, reason="행사 준비")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (BookingStatus.CONFIRMED, BookingStatus.REJECTED)
    assert first.decided_by == caseworker_b
    assert second.reason == "행사 준비"
    assert templates(household.user)[-2:] == ["booking.approved", "booking.rejected"]
    # A decided booking cannot be decided again.
    with frozen(), pytest.raises(services.BookingError) as refused:
        services.booking_decide(actor=caseworker_b, booking_id=first.pk, approve=False, reason="x")
    assert refused.value.code == "invalid_transition"


def test_staff_cancel_needs_a_reason_and_tells_the_resident(room, household, caseworker_b):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(), pytest.raises(services.BookingError):
        services.booking_staff_cancel(actor=caseworker_b, booking_id=booking.pk, reason="")
    with frozen():
        services.booking_staff_cancel(actor=caseworker_b, booking_id=booking.pk, reason="누수 점검")
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert templates(household.user)[-1] == "booking.cancelled_by_staff"


# --- attendance and no-show bans ------------------------------------------------------------------------


def _past_booking(room, household, day: int):
    return book(room, household, start=f"2026-11-{day:02d} 10:00", end=f"2026-11-{day:02d} 11:00")


def test_attendance_only_after_the_start(room, household, caseworker_b):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(), pytest.raises(services.BookingError) as refused:
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=True)
    assert refused.value.code == "too_early"
    with frozen(seoul("2026-11-23 11:05")):
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED


def test_the_third_no_show_within_three_months_bans_for_a_month(room, household, caseworker_b):
    bookings = [_past_booking(room, household, day) for day in (2, 9, 16)]
    later = seoul("2026-11-20 12:00")
    with frozen(later):
        for booking in bookings[:2]:
            services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=False)
        assert not Suspension.objects.exists()
        services.booking_mark_attendance(actor=caseworker_b, booking_id=bookings[2].pk, attended=False)
    suspension = Suspension.objects.get()
    assert suspension.district == room.space.district
    assert suspension.ends_at - suspension.starts_at == timedelta(days=30)
    assert "booking.suspended" in templates(household.user)
    # The ban refuses a new booking, with its own rule.
    with pytest.raises(services.BookingError) as refused:
        create(room, household, "2026-11-24 10:00", "2026-11-24 11:00", now=later)
    assert refused.value.code == "suspended"


def test_no_shows_outside_the_window_do_not_count(room, household, caseworker_b):
    BookingPolicy.objects.create(district=room.space.district, no_show_window_days=7)
    bookings = [_past_booking(room, household, day) for day in (2, 9, 16)]
    with frozen(seoul("2026-11-20 12:00")):
        for booking in bookings:
            services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=False)
    assert not Suspension.objects.exists()


def test_a_configured_policy_applies(room, household, caseworker_b):
    BookingPolicy.objects.create(district=room.space.district, no_show_limit=1, ban_days=7)
    booking = _past_booking(room, household, 16)
    with frozen():
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=False)
    suspension = Suspension.objects.get()
    assert suspension.ends_at - suspension.starts_at == timedelta(days=7)


def test_lifting_a_ban_lets_the_household_book_again(room, household, caseworker_b):
    BookingPolicy.objects.create(district=room.space.district, no_show_limit=1)
    booking = _past_booking(room, household, 16)
    with frozen():
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=False)
        services.suspension_lift(actor=caseworker_b, suspension_id=Suspension.objects.get().pk)
    assert Suspension.objects.get().lifted_by == caseworker_b
    assert templates(household.user)[-1] == "booking.suspension_lifted"
    create(room, household, "2026-11-24 10:00", "2026-11-24 11:00")
    # No-shows from before the ban do not start a new one on the next no-show.
    second = _past_booking(room, household, 17)
    with frozen(NOW + timedelta(hours=1)):
        Booking.objects.filter(pk=second.pk).update(status=BookingStatus.CONFIRMED)
        services.booking_mark_attendance(actor=caseworker_b, booking_id=second.pk, attended=False)
    assert Suspension.objects.count() == 2  # limit 1: this fresh no-show is a new run of its own


def test_a_corrected_attendance(room, household, caseworker_b):
    booking = _past_booking(room, household, 16)
    with frozen():
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=False)
        services.booking_mark_attendance(actor=caseworker_b, booking_id=booking.pk, attended=True)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.ATTENDED


# --- staff series ------------------------------------------------------------------------------------------


def series(room, actor, **overrides):
    fields = {
        "room_id": room.pk,
        "title": "행복한밥상",
        "weekdays": [1],  # Tuesdays
        "start_time": time(18, 0),
        "end_time": time(20, 0),
        "starts_on": date(2026, 11, 24),
        "ends_on": date(2026, 12, 29),
        "headcount": 8,
        **overrides,
    }
    with frozen():
        return services.series_create(actor=actor, **fields)


def test_a_series_books_every_chosen_weekday_and_links_sessions(room, caseworker_b):
    program = ProgramFactory(district=district(JUNGGU))
    created = series(room, caseworker_b, program_id=program.pk)
    bookings = list(created.bookings.order_by("starts_at"))
    assert [b.starts_at.astimezone(seoul("2026-01-01 00:00").tzinfo).date() for b in bookings] == [
        date(2026, 11, 24) + timedelta(weeks=n) for n in range(6)
    ]
    assert all(b.status == BookingStatus.CONFIRMED and b.household_id is None for b in bookings)
    sessions = ProgramSession.objects.filter(program=program).select_related("booking__room__space")
    assert sessions.count() == 6
    first = sessions.order_by("starts_at").first()
    assert first.when_starts == seoul("2026-11-24 18:00")
    assert room.space.name in first.display_place


def test_a_series_with_conflicts_creates_nothing_and_lists_them(room, household, caseworker_b):
    book(room, household, start="2026-12-08 19:00", end="2026-12-08 20:00")
    Closure.objects.create(
        space=room.space,
        starts_on=date(2026, 12, 15),
        ends_on=date(2026, 12, 15),
        reason="maintenance",
        note="점검",
    )
    with pytest.raises(services.SeriesError) as refused:
        series(room, caseworker_b)
    error = refused.value
    assert error.code == "conflicts"
    assert [(c.day, c.code) for c in error.conflicts] == [
        (date(2026, 12, 8), "taken"),
        (date(2026, 12, 15), "closed"),
    ]
    assert not BookingSeries.objects.exists()
    assert Booking.objects.count() == 1


def test_a_series_outside_opening_hours_reports_those_dates(caseworker_b):
    room = space_with_room(JUNGGU, hours=("09:00", "19:00"), weekdays=[0, 1, 2, 3, 4])
    with pytest.raises(services.SeriesError) as refused:
        series(room, caseworker_b, weekdays=[1, 5], end_time=time(19, 0), ends_on=date(2026, 12, 1))
    assert {c.code for c in refused.value.conflicts} == {"outside_hours"}
    assert [c.day.weekday() for c in refused.value.conflicts] == [5]


def test_series_input_is_checked(room, caseworker_b):
    with pytest.raises(services.SeriesError) as refused:
        series(room, caseworker_b, title="", weekdays=[], ends_on=date(2026, 11, 1))
    assert {"title", "weekdays", "ends_on"} <= set(refused.value.by_field())


def test_cancel_one_occurrence_or_the_rest_of_the_series(room, caseworker_b):
    created = series(room, caseworker_b)
    first, second = created.bookings.order_by("starts_at")[:2]
    with frozen():
        services.booking_staff_cancel(actor=caseworker_b, booking_id=second.pk, reason="강사 사정")
    assert created.bookings.filter(status=BookingStatus.CANCELLED).count() == 1
    # After the first occurrence has happened, cancelling the series leaves it as the record.
    with frozen(seoul("2026-11-25 09:00")):
        cancelled = services.series_cancel(actor=caseworker_b, series_id=created.pk, reason="사업 종료")
    assert cancelled == 4
    assert second.history.count() == 2  # created, cancelled by staff
    assert created.bookings.first().history.filter(status="cancelled").count() == 0
    with pytest.raises(services.BookingError) as refused:
        services.series_cancel(actor=caseworker_b, series_id=created.pk, reason="again")
    assert refused.value.code == "invalid_transition"
    first.refresh_from_db()
    assert first.status == BookingStatus.CONFIRMED
    created.refresh_from_db()
    assert created.cancelled_at is not None


# --- reminders ---------------------------------------------------------------------------------------------


def test_reminders_go_the_day_before_by_seoul_date(room, household, django_capture_on_commit_callbacks):
    # Created on Friday; reminders run on Monday 23:30 Seoul (14:30 UTC Monday).
    tuesday_early = create(room, household, "2026-11-24 08:00", "2026-11-24 09:00")  # Monday 23:00 UTC
    other = HouseholdFactory(district=district(JUNGGU))
    wednesday_early = create(room, other, "2026-11-25 08:00", "2026-11-25 09:00")  # Tuesday 23:00 UTC
    run_at = seoul("2026-11-23 23:30")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.bookings_send_reminders(now=run_at) == 1
        assert services.bookings_send_reminders(now=run_at) == 0  # idempotent
    assert templates(household.user).count("booking.reminder") == 1
    assert "booking.reminder" not in templates(other.user)
    tuesday_early.refresh_from_db()
    assert tuesday_early.reminder_sent_at is not None
    wednesday_early.refresh_from_db()
    assert wednesday_early.reminder_sent_at is None


def test_cancelled_and_pending_bookings_get_no_reminder(room, household):
    book(room, household, start="2026-11-24 10:00", end="2026-11-24 11:00", status=BookingStatus.CANCELLED)
    book(room, household, start="2026-11-24 12:00", end="2026-11-24 13:00", status=BookingStatus.PENDING)
    assert services.bookings_send_reminders(now=seoul("2026-11-23 10:00")) == 0


def test_the_reminder_task_is_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "spaces.tasks.send_booking_reminders" in tasks


def test_the_reminder_text_names_place_and_seoul_time(room, household):
    from portal.notifications import render

    create(room, household, "2026-11-24 08:00", "2026-11-24 09:00")
    services.bookings_send_reminders(now=seoul("2026-11-23 20:00"))
    reminder = Notification.objects.get(template="booking.reminder", channel="in_app")
    subject, text = render(reminder)
    assert "2026-11-24 08:00–09:00" in text
    assert room.space.name in text


# --- iCalendar and the feed ------------------------------------------------------------------------------


def test_ics_is_valid_and_in_utc(room, household):
    booking = create(room, household, "2026-11-23 08:00", "2026-11-23 09:30")
    booking.refresh_from_db()
    parsed = Calendar.from_ical(calendar_for([booking], name="Hana"))
    (event,) = parsed.walk("VEVENT")
    assert event.decoded("dtstart") == seoul("2026-11-23 08:00")
    assert event.decoded("dtstart").utcoffset() == timedelta(0)
    assert event.decoded("dtend") == seoul("2026-11-23 09:30")
    assert str(event["uid"]) == f"booking-{booking.pk}@hana.local"
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["location"]) == room.space.address
    assert parsed.get("version") == "2.0"


def test_cancelled_bookings_are_marked_cancelled_in_the_calendar(room, household):
    booking = book(room, household, start="2026-11-23 10:00", end="2026-11-23 11:00", status="cancelled")
    (event,) = Calendar.from_ical(calendar_for([booking], name="Hana")).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED"


def test_the_feed_token_is_shown_once_and_revocable(household):
    user = household.user
    token = services.calendar_feed_create(user=user)
    assert services.calendar_feed_user(token) == user
    assert token not in str(user.calendar_feed.token_hash)
    new_token = services.calendar_feed_create(user=user)
    assert services.calendar_feed_user(token) is None  # replaced
    assert services.calendar_feed_user(new_token) == user
    assert services.calendar_feed_revoke(user=user)
    assert services.calendar_feed_user(new_token) is None
    assert services.calendar_feed_user("") is None
    assert services.calendar_feed_user("x" * 500) is None


# --- the resident's own data ----------------------------------------------------------------------------


def test_deleting_the_account_frees_upcoming_bookings_and_the_feed(room, household):
    from households.services import account_data_export, account_delete

    upcoming = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    services.calendar_feed_create(user=household.user)
    exported = account_data_export(user=household.user)
    assert exported["bookings"][0]["reference"] == upcoming.reference
    with frozen():
        account_delete(user=household.user)
    upcoming.refresh_from_db()
    assert upcoming.status == BookingStatus.CANCELLED
    assert not hasattr(type(household.user).objects.get(pk=household.user.pk), "calendar_feed")


def test_staff_cannot_move_a_booking_into_the_past(room, household, caseworker_b):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(), pytest.raises(services.BookingError) as refused:
        services.booking_reschedule(
            actor=caseworker_b,
            booking_id=booking.pk,
            starts_at=seoul("2026-11-19 10:00"),
            ends_at=seoul("2026-11-19 11:00"),
            as_staff=True,
        )
    assert refused.value.code == "past"


def test_a_series_starting_today_reports_a_time_already_passed(room, caseworker_b):
    with pytest.raises(services.SeriesError) as refused:
        series(
            room,
            caseworker_b,
            weekdays=[4],
            starts_on=date(2026, 11, 20),
            start_time=time(10),
            end_time=time(11),
        )
    assert refused.value.conflicts[0].code == "past"


def test_a_resident_cannot_move_a_cancelled_booking(room, household):
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen():
        services.booking_cancel(user=household.user, booking_id=booking.pk)
        with pytest.raises(services.BookingError) as refused:
            services.booking_reschedule(
                actor=household.user,
                booking_id=booking.pk,
                starts_at=seoul("2026-11-23 12:00"),
                ends_at=seoul("2026-11-23 13:00"),
                now=NOW,
            )
    assert refused.value.code == "invalid_transition"


def test_a_staff_member_moving_their_own_booking_is_a_resident(room, caseworker_b):
    household = HouseholdFactory(user=caseworker_b, district=district(JUNGGU))
    booking = create(room, household, "2026-11-23 10:00", "2026-11-23 11:00")
    with frozen(seoul("2026-11-23 09:00")), pytest.raises(services.BookingError) as refused:
        services.booking_reschedule(
            actor=caseworker_b,
            booking_id=booking.pk,
            starts_at=seoul("2026-11-23 12:00"),
            ends_at=seoul("2026-11-23 13:00"),
        )
    assert refused.value.code == "cancel_deadline"
