"""Counselling no-shows count like rooms': CARE_NO_SHOW_LIMIT no-shows within CARE_NO_SHOW_WINDOW_DAYS
ban booking counselling in the district for CARE_NO_SHOW_BAN_DAYS (spaces' rule, care's policy). The
resident sees why and until when (web and API), staff lift a ban in the admin (audited)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from care.models import Appointment, AppointmentStatus, CounsellingBan
from care.services.appointments import appointment_book, appointment_mark_attendance
from care.services.bans import active_ban, ban_lift
from care.services.errors import CareError
from care.services.slots import free_slots
from portal.models import AuditEvent, Notification
from spaces.rules import active_suspension
from tests.care.conftest import next_weekday
from tests.factories import GWANAK, HouseholdFactory, district

pytestmark = pytest.mark.django_db


def _missed(user, service, counsellor, *, days_ago: int, attended: bool = False) -> Appointment:
    """A phone appointment that took place `days_ago` days ago, marked by its counsellor."""
    start = timezone.now() - timedelta(days=days_ago)
    appointment = Appointment.objects.create(
        district=service.district,
        service=service,
        counsellor=counsellor,
        household=user.household,
        starts_at=start,
        ends_at=start + timedelta(minutes=50),
        mode="phone",
        status=AppointmentStatus.BOOKED,
        topic="상담",
    )
    return appointment_mark_attendance(
        actor=counsellor.user, appointment_id=appointment.pk, attended=attended
    )


def _book(user, service, counsellor):
    day = next_weekday()
    slot = free_slots(service=service, first=day, last=day, counsellor_id=counsellor.pk)[0]
    return appointment_book(
        user=user,
        service_id=service.pk,
        counsellor_id=counsellor.pk,
        starts_at=slot.starts_at,
        mode="phone",
        topic="다시 상담",
    )


@pytest.fixture
def banned(service, counsellor, gwanak_resident):
    for days_ago in (40, 20, 5):
        _missed(gwanak_resident, service, counsellor, days_ago=days_ago)
    return CounsellingBan.objects.get()


def test_three_no_shows_ban_booking_counselling_and_say_until_when(
    banned, service, counsellor, gwanak_resident
):
    assert banned.household_id == gwanak_resident.household.pk and banned.district_id == service.district_id
    assert timedelta(days=29) < banned.ends_at - timezone.now() <= timedelta(days=30)
    assert AuditEvent.objects.filter(action="care.ban.created", target_id=str(banned.pk)).exists()
    told = Notification.objects.filter(template="care.no_show_ban", user=gwanak_resident)
    assert told.exists()
    until = timezone.localtime(banned.ends_at).strftime("%Y-%m-%d")
    assert all(row.context["until"] == until and row.context["count"] == 3 for row in told)
    with pytest.raises(CareError) as refused:
        _book(gwanak_resident, service, counsellor)
    assert refused.value.code == "banned" and refused.value.http_status == 403
    assert refused.value.extra() == {"until": banned.ends_at.isoformat()}
    # The ban is counselling's own: booking rooms is not affected (and a fourth no-show adds no ban).
    assert active_suspension(gwanak_resident.household.pk, service.district_id, timezone.now()) is None
    _missed(gwanak_resident, service, counsellor, days_ago=1)
    assert CounsellingBan.objects.count() == 1


def test_attended_and_old_no_shows_do_not_count(service, counsellor, gwanak_resident):
    _missed(gwanak_resident, service, counsellor, days_ago=120)  # outside the 90-day window
    _missed(gwanak_resident, service, counsellor, days_ago=30)
    _missed(gwanak_resident, service, counsellor, days_ago=20, attended=True)
    _missed(gwanak_resident, service, counsellor, days_ago=10)
    assert not CounsellingBan.objects.exists()
    assert _book(gwanak_resident, service, counsellor).status == AppointmentStatus.BOOKED


def test_the_policy_is_care_s_own_setting(settings, service, counsellor, gwanak_resident):
    settings.CARE_NO_SHOW_LIMIT, settings.CARE_NO_SHOW_BAN_DAYS = 1, 7
    _missed(gwanak_resident, service, counsellor, days_ago=2)
    ban = active_ban(gwanak_resident.household.pk, service.district_id)
    assert ban is not None and ban.ends_at - ban.starts_at == timedelta(days=7)


def test_a_lifted_ban_lets_them_book_and_needs_a_fresh_run_of_no_shows(
    banned, service, counsellor, gwanak_resident, manager_a, caseworker_b
):
    with pytest.raises(CareError) as outsider:
        ban_lift(actor=caseworker_b, ban_id=banned.pk)  # another district's staff: not found
    assert outsider.value.code == "not_found"
    ban_lift(actor=manager_a, ban_id=banned.pk)
    banned.refresh_from_db()
    assert banned.lifted_at and banned.lifted_by == manager_a
    assert AuditEvent.objects.filter(action="care.ban.lifted", actor=manager_a).count() == 1
    assert Notification.objects.filter(template="care.no_show_ban_lifted", user=gwanak_resident).exists()
    ban_lift(actor=manager_a, ban_id=banned.pk)  # again: nothing changes
    assert AuditEvent.objects.filter(action="care.ban.lifted").count() == 1
    assert _book(gwanak_resident, service, counsellor).status == AppointmentStatus.BOOKED
    # The three no-shows before the ban do not count again: one more is not a new ban.
    _missed(gwanak_resident, service, counsellor, days_ago=1)
    assert CounsellingBan.objects.count() == 1


def test_the_api_refuses_in_the_documented_shape(client, banned, service, counsellor, gwanak_resident):
    day = next_weekday()
    slot = free_slots(service=service, first=day, last=day, counsellor_id=counsellor.pk)[0]
    client.force_login(gwanak_resident)
    answer = client.post(
        "/api/v1/care/appointments/",
        {
            "service": service.pk,
            "counsellor": counsellor.pk,
            "starts_at": slot.starts_at.isoformat(),
            "mode": "phone",
            "topic": "상담",
        },
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert answer.status_code == 403
    error = answer.json()["error"]
    assert error["code"] == "banned" and error["status"] == 403
    assert error["until"] == banned.ends_at.isoformat()
    assert "cannot book counselling until" in error["message"]
    assert not Appointment.objects.filter(status=AppointmentStatus.BOOKED).exists()


def test_the_booking_page_says_why_before_and_after_trying(
    client, banned, service, counsellor, gwanak_resident
):
    client.force_login(gwanak_resident)
    client.cookies["django_language"] = "en"
    page = client.get(f"/care/services/{service.pk}/book/")
    assert page.status_code == 200
    assert "cannot book counselling until" in page.content.decode()
    listing = client.get("/care/appointments/")
    assert "cannot book counselling until" in listing.content.decode()
    # Trying anyway: the refusal says the same, and the form keeps what was typed.
    from care.forms import slot_value

    slot = free_slots(
        service=service, first=next_weekday(), last=next_weekday(), counsellor_id=counsellor.pk
    )[0]
    tried = client.post(
        f"/care/services/{service.pk}/book/",
        {
            "slot": slot_value(slot, "phone"),
            "topic": "이사 후 상담",
            "urgency": "routine",
            "preferred_contact": "phone",
        },
    )
    body = tried.content.decode()
    assert tried.status_code == 200 and body.count("cannot book counselling until") >= 2
    assert "이사 후 상담" in body and not Appointment.objects.filter(status="booked").exists()
    other = HouseholdFactory(district=district(GWANAK)).user
    client.force_login(other)
    assert (
        "cannot book counselling until"
        not in client.get(f"/care/services/{service.pk}/book/").content.decode()
    )


def test_staff_lift_a_ban_in_the_admin_scoped_and_audited(client, banned, manager_a, gwanak_resident):
    from tests.conftest import _staff

    outsider = _staff("district_manager", "11140", "manager.b@example.kr")
    client.force_login(outsider)
    assert client.get("/admin/care/counsellingban/").status_code == 200
    assert client.get(f"/admin/care/counsellingban/{banned.pk}/change/").status_code in (302, 404)
    client.post(
        "/admin/care/counsellingban/",
        {"action": "lift_selected", "_selected_action": [banned.pk]},
    )
    banned.refresh_from_db()
    assert banned.lifted_at is None
    client.force_login(manager_a)
    assert client.get(f"/admin/care/counsellingban/{banned.pk}/change/").status_code == 200
    assert AuditEvent.objects.filter(action="care.ban.viewed", subject_user_id=gwanak_resident.pk).exists()
    answer = client.post(
        "/admin/care/counsellingban/",
        {"action": "lift_selected", "_selected_action": [banned.pk]},
    )
    assert answer.status_code == 302
    banned.refresh_from_db()
    assert banned.lifted_by == manager_a
    assert AuditEvent.objects.filter(action="care.ban.lifted", actor=manager_a).exists()
    assert active_ban(gwanak_resident.household.pk) is None


def test_a_deleted_account_leaves_no_ban_behind(banned, gwanak_resident):
    from households.services import account_delete

    account_delete(user=gwanak_resident)
    assert not CounsellingBan.objects.exists()
