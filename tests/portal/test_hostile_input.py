"""Hostile input never answers a 500: every request below once crashed the portal (issue 13).

Under /api/ every refusal comes in the one JSON error shape, {"error": {"status", "code", "message"}};
elsewhere the HTML pages stay.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import JUNGGU, HouseholdFactory, UserFactory, book, district, login, space_with_room

pytestmark = pytest.mark.django_db


def assert_json_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    error = response.json()["error"]
    assert error["status"] == status, error
    assert error["message"], error
    if code is not None:
        assert error["code"] == code, error
    return error


def post(client, url: str, data=None, **extra):
    return client.post(url, json.dumps(data or {}), content_type="application/json", **extra)


def tampered_cursor(position: str = "notadate") -> str:
    return base64.b64encode(urlencode({"p": position}).encode()).decode()


@pytest.fixture
def room():
    return space_with_room(JUNGGU, hours=("07:00", "21:00"))


@pytest.fixture
def jung_resident():
    return HouseholdFactory(district=district(JUNGGU)).user


# --- domain errors of any app, mapped in the one exception handler ---


def test_a_kit_request_from_a_user_without_a_household_is_refused_in_json(client):
    from safety.models import KitItem, KitOffer

    item = KitItem.objects.create(code="bell", name="비상벨", name_en="Bell", icon="🔔", position=0)
    offer = KitOffer.objects.create(district=district(JUNGGU), max_items=3)
    offer.items.set([item])
    login(client, UserFactory())
    day = (timezone.localdate() + timedelta(days=3)).isoformat()

    response = post(
        client,
        "/api/v1/safety/requests/",
        {"items": [item.pk], "windows": [{"date": day, "slot": "morning"}]},
    )

    assert_json_error(response, 400, "profile_incomplete")


def test_options_on_the_visit_complete_action_describes_it(client, caseworker_a):
    login(client, caseworker_a)

    response = client.options("/api/v1/staff/safety/requests/visits/1/complete/")

    assert response.status_code == 200, response.content[:300]
    assert "installed" in response.json()["actions"]["POST"]


# --- dates at the calendar's edges: one supported range, refused clearly ---


@pytest.mark.parametrize(
    "query", [{"from": "9999-12-31"}, {"to": "0001-01-01"}, {"from": "1899-12-31"}, {"to": "2101-01-01"}]
)
def test_room_availability_outside_the_supported_range_is_a_400(client, room, query):
    response = client.get(f"/api/v1/spaces/rooms/{room.pk}/availability/", query)

    error = assert_json_error(response, 400, "invalid")
    (field,) = query
    assert field in error["fields"]
    assert "1900-01-01" in " ".join(error["fields"][field])


def test_the_supported_range_message_is_bilingual(client, room):
    url = f"/api/v1/spaces/rooms/{room.pk}/availability/"
    korean = assert_json_error(client.get(url, {"from": "9999-12-31"}), 400)["fields"]["from"][0]
    english = assert_json_error(client.get(url, {"from": "9999-12-31"}, HTTP_ACCEPT_LANGUAGE="en"), 400)
    assert korean != english["fields"]["from"][0]
    assert "1900-01-01" in korean and "2100-12-31" in english["fields"]["from"][0]


def test_staff_bookings_filter_far_in_the_future_is_a_400(client, caseworker_b):
    login(client, caseworker_b)

    response = client.get("/api/v1/staff/bookings/", {"starts_until": "9999-12-31"})

    assert "starts_until" in assert_json_error(response, 400, "invalid")["fields"]


def test_staff_applications_filter_far_in_the_future_is_a_400(client, caseworker_a):
    login(client, caseworker_a)

    response = client.get("/api/v1/staff/applications/", {"submitted_before": "9999-12-31"})

    assert "submitted_before" in assert_json_error(response, 400, "invalid")["fields"]


def test_a_booking_series_on_the_last_day_of_the_calendar_is_a_400(client, caseworker_b, room):
    login(client, caseworker_b)
    body = {
        "room": room.pk,
        "title": "요리 교실",
        "weekdays": [4],
        "start_time": "14:00",
        "end_time": "16:00",
        "starts_on": "9999-12-31",
        "ends_on": "9999-12-31",
        "headcount": 8,
    }

    response = post(client, "/api/v1/staff/booking-series/", body)

    assert "starts_on" in assert_json_error(response, 400, "invalid")["fields"]


def test_a_booking_at_the_first_instant_of_the_calendar_is_a_400(client, room, jung_resident):
    login(client, jung_resident)
    body = {
        "room": room.pk,
        "starts_at": "0001-01-01T00:00:00",
        "ends_at": "0001-01-01T01:00:00",
        "headcount": 2,
        "purpose": "독서 모임",
    }

    response = post(client, "/api/v1/bookings/", body)

    assert "starts_at" in assert_json_error(response, 400, "invalid")["fields"]


def test_a_reschedule_to_the_first_instant_of_the_calendar_is_a_400(client, room, jung_resident):
    household = jung_resident.household_set.first() if hasattr(jung_resident, "household_set") else None
    day = timezone.localdate() + timedelta(days=3)
    booking = book(room, household, f"{day} 10:00", f"{day} 11:00")
    login(client, booking.household.user)

    response = post(
        client,
        f"/api/v1/bookings/{booking.pk}/reschedule/",
        {"starts_at": "0001-01-01T00:00:00", "ends_at": "0001-01-01T01:00:00"},
    )

    assert "starts_at" in assert_json_error(response, 400, "invalid")["fields"]


# --- a tampered pagination cursor ---


@pytest.mark.parametrize("url", ["/api/v1/staff/applications/", "/api/v1/staff/safety/requests/"])
def test_a_tampered_cursor_is_a_client_error(client, caseworker_a, url):
    login(client, caseworker_a)

    response = client.get(url, {"cursor": tampered_cursor()})

    assert response.status_code in (400, 404), response.content[:300]
    assert_json_error(response, response.status_code)


# --- bounded request bodies ---


def test_a_json_body_nested_ten_thousand_deep_is_a_400(client, jung_resident):
    login(client, jung_resident)
    body = "[" * 10_000 + "]" * 10_000

    response = client.post("/api/v1/bookings/", body, content_type="application/json")

    assert_json_error(response, 400, "parse_error")


def test_a_json_body_nested_a_little_is_still_read(client, jung_resident, room):
    login(client, jung_resident)
    body = {"room": room.pk, "purpose": {"a": [[[[1]]]]}}

    response = post(client, "/api/v1/bookings/", body)

    assert_json_error(response, 400, "invalid")  # read, then refused field by field


def test_a_body_over_the_size_limit_is_a_json_413(client, jung_resident, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    login(client, jung_resident)

    response = post(client, "/api/v1/bookings/", {"purpose": "가" * 2_000})

    assert_json_error(response, 413)


# --- the admin's TOTP device pages ---


@pytest.mark.parametrize("page", ["config", "qrcode"])
def test_another_users_or_a_missing_totp_device_is_a_404(client, caseworker_a, caseworker_b, page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    other = TOTPDevice.objects.create(user=caseworker_b, name="phone", confirmed=True)
    login(client, caseworker_a)

    assert client.get(f"/admin/otp_totp/totpdevice/{other.pk + 1000}/{page}/").status_code == 404
    assert client.get(f"/admin/otp_totp/totpdevice/{other.pk}/{page}/").status_code == 404


# --- every error under /api/ in the JSON shape; HTML pages elsewhere ---


def test_an_unrouted_api_path_is_a_json_404(client):
    assert_json_error(client.get("/api/v1/bookings/abc/"), 404, "not_found")
    assert_json_error(client.get("/api/v1/no-such-thing/"), 404, "not_found")
    korean = assert_json_error(client.get("/api/v1/no-such-thing/"), 404)["message"]
    english = assert_json_error(client.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="en"), 404)[
        "message"
    ]
    assert korean != english


def test_an_unrouted_page_is_still_the_html_404(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_crash_under_api_answers_the_json_500(client, monkeypatch):
    from spaces.api import public

    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(public.SpaceViewSet, "list", crash)
    client.raise_request_exception = False

    assert_json_error(client.get("/api/v1/spaces/"), 500, "server_error")


@pytest.mark.parametrize(
    ("status", "request_kwargs"),
    [
        (405, {"method": "delete", "path": "/api/v1/spaces/"}),
        (406, {"method": "get", "path": "/api/v1/spaces/", "HTTP_ACCEPT": "text/csv"}),
        (415, {"method": "post", "path": "/api/v1/bookings/", "data": "x", "content_type": "text/plain"}),
        (
            403,
            {"method": "post", "path": "/api/v1/bookings/", "data": "{}", "content_type": "application/json"},
        ),
    ],
)
def test_other_refusals_are_json(client, jung_resident, status, request_kwargs):
    if status != 403:
        login(client, jung_resident)
    kwargs = dict(request_kwargs)
    method = getattr(client, kwargs.pop("method"))
    path = kwargs.pop("path")

    assert_json_error(method(path, **kwargs), status)


# --- by construction: no app reads a date with Django's or DRF's bare fields ---

BARE_DATE_FIELDS = re.compile(
    r"\b(forms\.DateField|forms\.DateTimeField|serializers\.DateField|serializers\.DateTimeField"
    r"|django_filters\.DateFilter|django_filters\.DateTimeFilter|date\.fromisoformat|parse_date\("
    r"|django_filters\.NumberFilter)"
)
# The portal's own supported fields wrap the bare ones; tasks and commands read dates their own code wrote;
# a line that checks the range itself right after says so with a `# range: checked` comment.
ALLOWED = {
    "portal/datefields.py",
    "portal/filters.py",
    "portal/api/fields.py",
    "portal/timeutils.py",
    "reports/performance/tasks.py",
}


def test_every_date_and_id_read_from_a_person_goes_through_the_supported_range():
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for app in ("portal", "households", "spaces", "lockers", "programs", "safety", "reports", "demo"):
        for path in (root / app).rglob("*.py"):
            relative = path.relative_to(root).as_posix()
            if "/migrations/" in relative or "/management/" in relative or relative in ALLOWED:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if BARE_DATE_FIELDS.search(line) and "# range: checked" not in line:
                    offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == [], (
        "use portal.datefields / portal.filters / portal.api.fields / portal.timeutils:\n"
        + "\n".join(offenders)
    )


def test_a_web_booking_form_refuses_a_far_date_and_keeps_the_rest(client, room, jung_resident):
    login(client, jung_resident)
    url = reverse("spaces:book", args=[room.pk])

    response = client.post(
        url,
        {"date": "9999-12-31", "start_time": "10:00", "end_time": "11:00", "headcount": 3, "purpose": "독서"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert "1900-01-01" in " ".join(form.errors["date"])
    assert 'value="독서"' in response.content.decode() or "독서" in response.content.decode()


@pytest.mark.parametrize("period", [{"from": "9999-12-31"}, {"to": "0001-01-01"}])
def test_the_dashboard_refuses_a_far_period_on_the_form(client, manager_a, period):
    login(client, manager_a)

    response = client.get("/reports/dashboard/", period)

    assert response.status_code == 200
    (field,) = period
    assert "2000" in " ".join(response.context["form"].errors[field])  # its own, narrower range


def test_an_export_of_a_far_period_is_refused_on_the_form_and_keeps_the_input(client, manager_a):
    login(client, manager_a)

    response = client.post(
        "/reports/exports/",
        {"dataset": "applications", "format": "csv", "date_from": "2026-01-01", "date_to": "9999-12-31"},
    )

    assert response.status_code == 400
    form = response.context["form"]
    assert "1900-01-01" in " ".join(form.errors["date_to"])
    assert form.data["date_from"] == "2026-01-01"


def test_a_kit_visit_date_far_in_the_future_is_a_400(client):
    from safety.models import KitItem, KitOffer

    household = HouseholdFactory(district=district(JUNGGU))
    item = KitItem.objects.create(code="bell", name="비상벨", name_en="Bell", icon="🔔", position=0)
    KitOffer.objects.create(district=district(JUNGGU), max_items=3).items.set([item])
    login(client, household.user)

    response = post(
        client,
        "/api/v1/safety/requests/",
        {"items": [item.pk], "windows": [{"date": "9999-12-31", "slot": "morning"}]},
    )

    assert response.status_code == 400
    assert "1900-01-01" in json.dumps(response.json(), ensure_ascii=False)


def test_options_on_every_api_route_answers_without_a_server_error(client, caseworker_a):
    """Every route of the API router, OPTIONS with an id that may or may not exist, as staff."""
    from portal.api.urls import router

    login(client, caseworker_a)
    client.raise_request_exception = False
    failures = []
    for pattern in router.urls:
        route = str(pattern.pattern).lstrip("^").rstrip("$")
        if "format" in route:
            continue
        path = "/api/v1/" + re.sub(r"\(\?P<\w+>[^)]*\)", "1", route)
        response = client.options(path)
        if response.status_code >= 500:
            failures.append(f"{path}: {response.status_code}")
    assert failures == []


def test_every_admin_and_inline_reads_model_dates_in_the_supported_range(rf):
    """A closure or an application period typed as 9999-12-31 in the admin is a field error."""
    from django.contrib import admin
    from django.db import models

    from portal.datefields import SupportedDateField
    from spaces.admin.setup import ClosureInline
    from spaces.models import Closure, Space

    request = rf.get("/admin/")
    admins = [*admin.site._registry.values(), ClosureInline(Space, admin.site)]
    checked = 0
    for model_admin in admins:
        for field in model_admin.model._meta.get_fields():
            if type(field) is models.DateField:
                form_field = model_admin.formfield_for_dbfield(field, request)
                assert isinstance(form_field, SupportedDateField), (model_admin, field.name)
                checked += 1
    assert checked >= 5

    closure_field = ClosureInline(Space, admin.site).formfield_for_dbfield(
        Closure._meta.get_field("ends_on"), request
    )
    with pytest.raises(ValidationError) as refused:
        closure_field.clean("9999-12-31")
    assert "1900-01-01" in str(refused.value)


def test_every_writable_date_in_the_api_uses_the_supported_range():
    """Declared or generated from a model, a date or datetime a client may send is range checked."""
    import importlib

    from rest_framework import serializers

    from portal.api.fields import SupportedDateField, SupportedDateTimeField
    from portal.api.urls import router

    importlib.import_module("portal.inbox_api")
    seen, offenders = 0, []
    pending = list(serializers.Serializer.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] not in {
            "portal",
            "households",
            "spaces",
            "lockers",
            "programs",
            "safety",
        }:
            continue
        for name, field in cls().fields.items():
            if isinstance(field, serializers.DateField | serializers.DateTimeField) and not field.read_only:
                seen += 1
                if not isinstance(field, SupportedDateField | SupportedDateTimeField):
                    offenders.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert router.registry and seen > 10
    assert offenders == []


# --- ids the database cannot hold ---


@pytest.mark.parametrize("query", [{"room": "9" * 30}, {"space": "9" * 30}, {"series": "1.5"}, {"room": "0"}])
def test_a_staff_bookings_id_filter_out_of_range_is_a_400(client, caseworker_b, query):
    login(client, caseworker_b)

    response = client.get("/api/v1/staff/bookings/", query)

    (field,) = query
    assert field in assert_json_error(response, 400, "invalid")["fields"]


def test_a_kit_request_item_filter_out_of_range_is_a_400(client, caseworker_a):
    login(client, caseworker_a)

    response = client.get("/api/v1/staff/safety/requests/", {"item": "9" * 30})

    assert "item" in assert_json_error(response, 400, "invalid")["fields"]


def test_a_web_page_body_over_the_size_limit_is_the_html_page_with_413(client, jung_resident, room, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    login(client, jung_resident)

    response = client.post(reverse("spaces:book", args=[room.pk]), {"purpose": "가" * 2_000})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
