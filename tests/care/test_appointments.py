"""Booking, moving and cancelling counselling appointments; rooms through spaces; crisis safeguards."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest

from care.models import Appointment, AppointmentStatus, Leave
from care.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_mark_attendance,
    appointment_move,
    appointments_send_reminders,
)
from care.services.errors import CareError
from care.services.slots import free_slots
from portal.models import AuditEvent, Notification
from portal.timeutils import local_datetime
from spaces.models import Booking, BookingStatus
from tests.care.conftest import next_weekday
from tests.factories import book

pytestmark = pytest.mark.django_db


def _at(day, clock: str):
    from datetime import time

    return local_datetime(day, time.fromisoformat(clock))


def _book(user, service, counsellor, start, mode="room", **kw):
    return appointment_book(
        user=user,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=start,
        mode=mode,
        topic=kw.pop("topic", "요즘 잠을 잘 못 자요"),
        **kw,
    )


def test_slots_follow_hours_leave_appointments_and_the_room(service, counsellor, gwanak_resident):
    day = next_weekday()
    slots = free_slots(service=service, first=day, last=day)
    # 09:00–18:00, a 50-minute session every hour: 09:00 … 17:00.
    assert [s.starts_at for s in slots] == [_at(day, f"{h:02d}:00") for h in range(9, 18)]
    assert all(s.modes == ("room", "phone") for s in slots)

    book(counsellor.room, start=f"{day} 10:00", end=f"{day} 11:00")  # someone else holds the room
    _book(gwanak_resident, service, counsellor, _at(day, "13:00"), mode="phone")
    Leave.objects.create(
        counsellor=counsellor, starts_on=day + timedelta(days=1), ends_on=day + timedelta(days=1)
    )
    slots = {
        s.starts_at: s.modes for s in free_slots(service=service, first=day, last=day + timedelta(days=1))
    }
    assert slots[_at(day, "10:00")] == ("phone",)  # room taken: phone only
    assert _at(day, "13:00") not in slots  # the counsellor's own appointment
    assert not [s for s in slots if s.date() == (day + timedelta(days=1))]  # on leave


def test_room_session_books_the_room_through_spaces_and_never_double_books(
    service, counsellor, gwanak_resident
):
    from tests.factories import HouseholdFactory, district

    day = next_weekday()
    appointment = _book(gwanak_resident, service, counsellor, _at(day, "10:00"))
    assert appointment.reference.startswith("CA-")
    booking = Booking.objects.get(pk=appointment.booking_id)
    assert booking.room_id == counsellor.room_id and booking.household_id is None
    assert booking.status == BookingStatus.CONFIRMED and "김하나" not in booking.purpose
    other = HouseholdFactory(district=district("11620")).user
    with pytest.raises(CareError) as refused:
        _book(other, service, counsellor, _at(day, "10:00"))
    assert refused.value.code == "taken"
    assert Notification.objects.filter(user=gwanak_resident, template="care.appointment.booked").exists()


def test_cancel_frees_the_room_and_moving_moves_the_booking(service, counsellor, gwanak_resident):
    day = next_weekday()
    appointment = _book(gwanak_resident, service, counsellor, _at(day, "10:00"))
    moved = appointment_move(user=gwanak_resident, appointment_id=appointment.pk, starts_at=_at(day, "14:00"))
    booking = Booking.objects.get(pk=moved.booking_id)
    assert booking.starts_at == _at(day, "14:00") and moved.starts_at == _at(day, "14:00")
    appointment_cancel(user=gwanak_resident, appointment_id=appointment.pk)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CANCELLED
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.CANCELLED
    assert AuditEvent.objects.filter(
        action="care.appointment.cancelled", target_id=str(appointment.pk)
    ).exists()


def test_cancel_after_the_deadline_is_refused(service, counsellor, gwanak_resident):
    day = next_weekday()
    appointment = _book(gwanak_resident, service, counsellor, _at(day, "10:00"))
    with pytest.raises(CareError) as refused:
        appointment_cancel(user=gwanak_resident, appointment_id=appointment.pk, now=_at(day, "09:00"))
    assert refused.value.code == "cancel_deadline"


def test_someone_else_cannot_cancel(service, counsellor, gwanak_resident, resident):
    appointment = _book(gwanak_resident, service, counsellor, _at(next_weekday(), "10:00"))
    with pytest.raises(CareError):
        appointment_cancel(user=resident, appointment_id=appointment.pk)


@pytest.mark.parametrize(
    "intake",
    [
        "요즘 죽고  싶다는 생각이 들어요",
        unicodedata.normalize("NFD", "자살 생각"),
        "I want to  DIE sometimes",
        "자 해를 했어요",
    ],
)
def test_a_crisis_phrase_marks_urgent_and_alerts_the_lead_at_once(
    service, counsellor, lead, gwanak_resident, intake
):
    appointment = _book(gwanak_resident, service, counsellor, _at(next_weekday(), "10:00"), intake=intake)
    assert appointment.crisis and appointment.is_urgent and appointment.urgency == "urgent"
    alerts = Notification.objects.filter(user=lead.user, template="care.crisis_alert")
    assert alerts.filter(channel="in_app").exists()
    assert alerts.filter(channel="email", address="lead@example.kr").exists()
    assert not Notification.objects.filter(user=counsellor.user, template="care.crisis_alert").exists()


def test_ordinary_intake_is_not_a_crisis(service, counsellor, lead, gwanak_resident):
    appointment = _book(
        gwanak_resident, service, counsellor, _at(next_weekday(), "10:00"), intake="전세 계약이 걱정돼요"
    )
    assert not appointment.crisis
    assert not Notification.objects.filter(template="care.crisis_alert").exists()


def test_no_show_and_reminders(service, counsellor, gwanak_resident):
    day = next_weekday()
    appointment = _book(gwanak_resident, service, counsellor, _at(day, "10:00"))
    assert appointments_send_reminders(now=_at(day, "10:00") - timedelta(hours=20)) == 1
    assert appointments_send_reminders(now=_at(day, "10:00") - timedelta(hours=19)) == 0
    with pytest.raises(CareError):
        appointment_mark_attendance(actor=counsellor.user, appointment_id=appointment.pk, attended=False)
    Appointment.objects.filter(pk=appointment.pk).update(
        starts_at=_at(day, "10:00") - timedelta(days=10), ends_at=_at(day, "10:50") - timedelta(days=10)
    )
    appointment_mark_attendance(actor=counsellor.user, appointment_id=appointment.pk, attended=False)
    assert Appointment.objects.get(pk=appointment.pk).status == AppointmentStatus.NO_SHOW


def test_the_residents_data_download_holds_their_appointments(service, counsellor, gwanak_resident):
    from households.services import account_data_export

    _book(gwanak_resident, service, counsellor, _at(next_weekday(), "10:00"), intake="전세 계약이 걱정돼요")
    data = account_data_export(user=gwanak_resident)
    [row] = data["counselling_appointments"]
    assert row["topic"] == "요즘 잠을 잘 못 자요" and row["intake"] == "전세 계약이 걱정돼요"
    assert row["service"] == service.name and data["wellbeing_checkins"] == {}
