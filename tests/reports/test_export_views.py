"""The export page: who may use it, the scoped choices (tampered ids are refused), direct streamed
downloads (CSV with a BOM, XLSX), masking unless permitted, and one access-log event per export."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import FileResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from portal.models import AuditEvent
from tests.factories import GWANAK, JUNGGU, district, login

from . import export_fixtures
from .export_fixtures import grant_unmasked

pytestmark = pytest.mark.django_db

# The shared export fixtures (not a conftest.py: see export_fixtures).
_korean = export_fixtures._korean
_private_media = export_fixtures._private_media
export_scene = export_fixtures.export_scene
URL = reverse("exports:form")


def post(client, **data):
    payload = {"dataset": "applications", "format": "csv", **data}
    return client.post(URL, {key: value for key, value in payload.items() if value is not None})


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def events():
    return list(AuditEvent.objects.filter(action="export.created").order_by("id"))


# --- access ------------------------------------------------------------------------------------------


def test_anonymous_visitors_go_to_the_staff_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_residents_are_refused(resident_client):
    assert resident_client.get(URL).status_code == 403
    assert post(resident_client).status_code == 403


def test_the_page_offers_only_the_users_own_choices(client, export_scene, manager_a):
    response = login(client, manager_a).get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert {choice for choice, _label in form.fields["dataset"].choices} == {
        "applications",
        "households",
        "kit-requests",
        "deliveries",
        "bookings",
    }
    programs = set(form.fields["program"].queryset)
    assert export_scene.program_a in programs and export_scene.program_b not in programs
    assert set(form.fields["neighbourhood"].queryset.values_list("district__code", flat=True)) == {GWANAK}
    assert "district" not in form.fields
    assert b'name="include_personal"' not in response.content  # no permission: not offered


def test_the_unmask_checkbox_shows_only_with_the_permission(client, manager_a):
    response = login(client, grant_unmasked(manager_a)).get(URL)
    assert b'name="include_personal"' in response.content


# --- direct exports -----------------------------------------------------------------------------------


def test_a_small_csv_export_streams_masked_rows_and_is_logged_once(client, export_scene, manager_a):
    response = post(login(client, manager_a), date_from="2026-03-01", date_to="2026-04-30")

    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse) and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f"attachment; filename=\"applications-{today}.csv\"; filename*=UTF-8''applications-{today}.csv"
    )
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert rows[0][:4] == ["접수번호", "프로그램", "상태", "이름"]
    assert [row[0] for row in rows[1:]] == [export_scene.app_a1.reference, export_scene.app_a2.reference]
    assert [row[3] for row in rows[1:]] == ["김*나", "이*"]

    [event] = events()
    assert event.actor == manager_a
    assert event.district == district(GWANAK)
    assert event.data == {
        "dataset": "applications",
        "format": "csv",
        "filters": {"date_from": "2026-03-01", "date_to": "2026-04-30"},
        "rows": 2,
        "personal_data": False,
    }


def test_a_small_xlsx_export_is_a_workbook_with_the_same_rows(client, export_scene, manager_a):
    response = post(login(client, manager_a), format="xlsx", dataset="bookings")

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "bookings-" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [
        export_scene.booking_a.reference,
        export_scene.booking_a2.reference,
    ]
    [event] = events()
    assert event.data["rows"] == 2 and event.data["format"] == "xlsx" and event.data["dataset"] == "bookings"


def test_unmasked_export_with_the_permission_is_logged_as_personal(client, export_scene, manager_a):
    allowed = grant_unmasked(manager_a)
    response = post(login(client, allowed), dataset="households", include_personal="on")

    rows = csv_rows(response)
    assert sorted(row[0] for row in rows[1:]) == ["김하나", "이솔"]
    [event] = events()
    assert event.data["personal_data"] is True and event.data["rows"] == 2


def test_asking_for_unmasked_data_without_the_permission_is_refused_with_a_message(
    client, export_scene, manager_a
):
    response = post(login(client, manager_a), include_personal="on")

    assert response.status_code == 400
    assert not isinstance(response, StreamingHttpResponse)
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "permission")
    refusal = gettext("You do not have permission to export unmasked personal data. Export without it.")
    assert refusal in response.content.decode()  # said on the page, in Korean when translated
    assert events() == []


def test_district_b_staff_export_only_district_b(client, export_scene, caseworker_b):
    rows = csv_rows(post(login(client, caseworker_b)))
    assert [row[0] for row in rows[1:]] == [export_scene.app_b.reference]
    assert events()[0].district == district(JUNGGU)


@pytest.mark.parametrize("field", ["program", "neighbourhood"])
def test_a_tampered_id_from_another_district_is_an_invalid_choice(client, export_scene, caseworker_b, field):
    other = {"program": export_scene.program_a.pk, "neighbourhood": export_scene.n_a1.pk}[field]

    response = post(login(client, caseworker_b), **{field: other})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert events() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"status": "kit-requests:approved"}, "status"),  # a status of another data set
        ({"status": "applications:nonsense"}, "status"),
        ({"date_from": "2026-04-02", "date_to": "2026-04-01"}, "date_to"),
        ({"date_from": "2026-13-01"}, "date_from"),
        ({"dataset": "deliveries", "program": "PROGRAM"}, "program"),  # deliveries have no program
        ({"dataset": "passwords"}, "dataset"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_input_gets_a_message_and_keeps_what_was_entered(client, export_scene, manager_a, data, field):
    if data.get("program") == "PROGRAM":
        data = {**data, "program": export_scene.program_a.pk}

    response = post(login(client, manager_a), **data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert response.context["form"].data.get(field) == str(
        data.get(field, response.context["form"].data.get(field))
    )
    assert events() == []


def test_statuses_are_grouped_by_data_set_and_filter(client, export_scene, manager_a):
    rows = csv_rows(post(login(client, manager_a), status="applications:approved"))
    assert [row[0] for row in rows[1:]] == [export_scene.app_a1.reference]
    assert events()[0].data["filters"] == {"status": "approved"}


def test_a_city_admin_can_narrow_to_a_district_and_that_districts_log_shows_it(
    client, export_scene, city_admin
):
    rows = csv_rows(post(login(client, city_admin), district=district(JUNGGU).pk))
    assert [row[0] for row in rows[1:]] == [export_scene.app_b.reference]
    [event] = events()
    assert event.district == district(JUNGGU)
    assert event.data["filters"] == {"district": district(JUNGGU).pk}


def test_english_page_and_english_headers(client, export_scene, manager_a):
    login(client, manager_a)
    client.cookies["django_language"] = "en"
    rows = csv_rows(post(client))
    assert rows[0][:3] == ["reference number", "program", "status"]


def test_with_2_step_login_on_unverified_staff_go_to_the_staff_login(client, manager_a, settings):
    settings.STAFF_OTP_REQUIRED = True
    response = login(client, manager_a).get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
