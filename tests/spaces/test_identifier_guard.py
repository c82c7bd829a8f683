"""The personal-identifier guard in spaces: a booking's purpose (page and API), staff's reasons (admin and
API), series titles, closure notes and ban reasons; and the data migration that masks old rows."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.timeutils import to_local
from spaces.models import Booking, BookingSeries, BookingStatus, Closure, ClosureReason, Suspension
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, book, district, login, space_with_room

pytestmark = pytest.mark.django_db
S = BookingStatus
WHY = "Hana never needs it"

TYPED = [
    pytest.param("제 주민번호는 900101-1234567 입니다", id="dash"),
    pytest.param("제 주민번호는 9001011234567 입니다", id="no-dash"),
    pytest.param("제 주민번호는 900101 1234567 입니다", id="space"),
    pytest.param("외국인등록번호 850505-5234567 입니다", id="foreigner"),
]


def ahead(days: int) -> date:
    return to_local(timezone.now()).date() + timedelta(days=days)


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def room():
    return space_with_room(JUNGGU, hours=("07:00", "21:00"))


@pytest.fixture
def en(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


# --- the resident's booking purpose ------------------------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_a_purpose_with_a_registration_number_is_refused_on_the_page_and_nothing_is_lost(
    en, resident, room, typed
):
    login(en, resident)
    day = ahead(3)
    data = {
        "date": day.isoformat(),
        "start_time": "10:00",
        "end_time": "11:00",
        "headcount": "4",
        "purpose": typed,
        "agree_rules": "on",
    }

    response = en.post(reverse("spaces:book", args=[room.pk]), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert WHY in html and "registration number" in html
    assert 'value="4"' in html and f'value="{day.isoformat()}"' in html  # the rest is re-displayed
    assert typed.split()[0] in html
    assert not Booking.objects.exists()


@pytest.mark.parametrize("typed", TYPED)
def test_a_purpose_with_a_registration_number_is_refused_by_the_api(en, room, typed):
    login(en, HouseholdFactory(district=district(JUNGGU)).user)
    day = ahead(3)

    response = post(
        en,
        "/api/v1/bookings/",
        {
            "room": room.pk,
            "starts_at": f"{day}T10:00",
            "ends_at": f"{day}T11:00",
            "headcount": 3,
            "purpose": typed,
        },
    )

    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["purpose"][0]
    assert not Booking.objects.exists()


# --- staff: reasons and titles ---------------------------------------------------------------------------


@pytest.fixture
def pending(room):
    day = ahead(3)
    return book(
        room, HouseholdFactory(district=district(GWANAK)), f"{day} 10:00", f"{day} 11:00", status=S.PENDING
    )


@pytest.mark.parametrize("typed", TYPED)
def test_staff_reasons_with_a_registration_number_are_refused_by_the_api(en, caseworker_b, pending, typed):
    staff = login(en, caseworker_b)

    rejected = post(
        staff, f"/api/v1/staff/bookings/{pending.pk}/decide/", {"action": "reject", "reason": typed}
    )
    cancelled = post(staff, f"/api/v1/staff/bookings/{pending.pk}/cancel/", {"reason": typed})

    for response in (rejected, cancelled):
        assert response.status_code == 400, response.content
        assert WHY in response.json()["error"]["fields"]["reason"][0]
    pending.refresh_from_db()
    assert pending.status == S.PENDING and pending.reason == ""


@pytest.mark.parametrize("typed", TYPED)
def test_a_reject_reason_with_a_registration_number_is_refused_in_the_admin(en, caseworker_b, pending, typed):
    staff = login(en, caseworker_b)

    response = staff.post(
        reverse("admin:spaces_booking_changelist"),
        {"action": "reject_selected", "_selected_action": [pending.pk], "post": "yes", "reason": typed},
    )

    assert response.status_code == 200
    assert WHY in response.content.decode()
    assert typed in response.content.decode()  # kept in the box for the caseworker to correct
    pending.refresh_from_db()
    assert pending.status == S.PENDING


def test_a_series_title_with_a_registration_number_is_refused_by_the_api_and_in_the_admin(
    en, caseworker_b, room
):
    staff = login(en, caseworker_b)
    first = ahead(2)
    typed = "김하나 900101-2234567 요리교실"

    response = post(
        staff,
        "/api/v1/staff/booking-series/",
        {
            "room": room.pk,
            "title": typed,
            "weekdays": [first.weekday()],
            "start_time": "14:00",
            "end_time": "16:00",
            "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=14)).isoformat(),
            "headcount": 8,
        },
    )
    page = staff.post(
        reverse("admin:spaces_bookingseries_add"),
        {
            "room": room.pk,
            "title": typed,
            "program": "",
            "weekdays": [str(first.weekday())],
            "start_time": "14:00",
            "end_time": "16:00",
            "starts_on": first.isoformat(),
            "ends_on": (first + timedelta(days=14)).isoformat(),
            "headcount": "8",
        },
    )

    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["title"][0]
    assert page.status_code == 200 and WHY in page.content.decode()
    assert not BookingSeries.objects.exists() and not Booking.objects.exists()


def test_the_model_fields_carry_the_guard():
    for model, field in (
        (Booking, "purpose"),
        (Booking, "reason"),
        (BookingSeries, "title"),
        (Closure, "note"),
        (Suspension, "reason"),
    ):
        with pytest.raises(ValidationError) as refused:
            model._meta.get_field(field).run_validators("9001011234567")
        assert refused.value.error_list[0].code == "personal_identifier"


# --- the data migration --------------------------------------------------------------------------------


def test_the_migration_masks_identifiers_already_stored_and_says_how_many(room, capsys):
    day = ahead(3)
    household = HouseholdFactory(district=district(GWANAK))
    marked = book(room, household, f"{day} 10:00", f"{day} 11:00", purpose="모임 900101-1234567")
    Booking.objects.filter(pk=marked.pk).update(reason="850505 2345678 본인 요청")
    clean = book(room, household, f"{day} 12:00", f"{day} 13:00", purpose="독서 모임 010-1234-5678")
    Closure.objects.create(
        space=room.space, starts_on=day, ends_on=day, reason=ClosureReason.HOLIDAY, note="담당 9001015234567"
    )
    migration = importlib.import_module("spaces.migrations.0003_identifier_guard")

    migration.mask_identifiers(django_apps, None)

    marked.refresh_from_db()
    clean.refresh_from_db()
    assert marked.purpose == "모임 900101-1******" and marked.reason == "850505 2****** 본인 요청"
    assert clean.purpose == "독서 모임 010-1234-5678"
    assert Closure.objects.get().note == "담당 9001015******"
    # The booking's history keeps what was typed at creation: it is masked too.
    assert not marked.history.filter(purpose__contains="1234567").exists()
    output = capsys.readouterr().out
    assert "spaces: registration numbers masked in" in output
    assert "Booking 1" in output and "Closure 1" in output and "HistoricalBooking 1" in output
