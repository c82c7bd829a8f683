"""“Who read my data”: a resident sees each staff read of their personal data — when, which office,
which role, never the staff member's name — on a page and over the API (issue 14, item 5)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.access_log import PERSONAL_DATA_READS
from portal.audit import audit_log
from portal.models import AuditEvent
from tests.factories import JUNGGU, ApplicationFactory, HouseholdFactory, district, login

pytestmark = pytest.mark.django_db

PAGE = reverse("households:data_access")
API = "/api/v1/me/data-access/"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _read(actor, subject, *, action="programs.application.viewed", at=None, district_=None, reference=""):
    # The event is written at `at` (the log is append-only on PostgreSQL: its time cannot be moved after).
    with mock.patch("django.utils.timezone.now", return_value=at or timezone.now()):
        return audit_log(
            actor=actor,
            action=action,
            subject_user_id=subject.pk,
            district=district_ if district_ is not None else subject.household.district,
            data={"reference": reference} if reference else {},
        )


def test_a_caseworker_opening_an_application_in_the_admin_is_shown_without_their_name(
    client, english, caseworker_a
):
    caseworker_a.display_name = "박담당"
    caseworker_a.save(update_fields=["display_name"])
    application = ApplicationFactory()
    resident = application.household.user
    login(client, caseworker_a)
    assert client.get(reverse("admin:programs_application_change", args=[application.pk])).status_code == 200
    client.logout()

    login(client, resident)
    response = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your application" in html
    assert application.reference in html
    assert "Seoul Gwanak-gu office" in html or "관악구" in html
    assert "District caseworker" in html
    assert "박담당" not in html and caseworker_a.email not in html
    # The time in Seoul, as written in the log.
    event = AuditEvent.objects.get(action="programs.application.viewed")
    assert timezone.localtime(event.created_at, ZoneInfo("Asia/Seoul")).strftime("%Y.%m.%d %H:%M") in html


def test_the_profile_links_to_it(client, resident):
    login(client, resident)
    assert PAGE in client.get(reverse("households:profile")).content.decode()


def test_the_api_lists_reads_newest_first_in_seoul_time(client, english, resident, caseworker_a, city_admin):
    older = datetime(2026, 3, 2, 23, 30, tzinfo=ZoneInfo("UTC"))  # 08:30 on 3 March in Seoul
    _read(caseworker_a, resident, at=older, reference="HN-2026-000007")
    _read(city_admin, resident, action="lockers.delivery.viewed", at=older + timedelta(days=1))
    login(client, resident)
    body = client.get(API).json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert newest == {
        "at": "2026-03-04T08:30:00+09:00",
        "what": "Your parcel",
        "reference": "",
        "office": "Seoul city hall",
        "role": "City administrator",
    }
    assert oldest["at"] == "2026-03-03T08:30:00+09:00"
    assert oldest["reference"] == "HN-2026-000007"
    assert oldest["role"] == "District caseworker"
    assert "Gwanak" in oldest["office"] and oldest["office"].endswith("office")
    assert set(newest) == {"at", "what", "reference", "office", "role"}  # no name, no email, no id


def test_only_staff_reads_of_this_resident_are_listed(client, resident, caseworker_a):
    other = HouseholdFactory().user
    _read(caseworker_a, other)  # someone else's data
    audit_log(
        actor=caseworker_a, action="programs.application.approved", subject_user_id=resident.pk
    )  # a change
    audit_log(
        actor=resident, action="households.data.exported", subject_user_id=resident.pk
    )  # their own download
    audit_log(
        actor=caseworker_a, action="export.created", data={"rows": 10, "personal_data": True}
    )  # no subject
    login(client, resident)
    assert client.get(API).json()["count"] == 0
    assert (
        "No staff member has opened your data" in client.get(PAGE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )


def test_a_closed_staff_account_still_shows_its_office(client, english, resident, caseworker_b):
    _read(caseworker_b, resident, district_=district(JUNGGU))
    caseworker_b.delete()
    login(client, resident)
    [row] = client.get(API).json()["results"]
    assert row["role"] == "Staff (account closed)"
    assert "Jung-gu" in row["office"]


def test_korean_by_default(client, resident, caseworker_a):
    _read(caseworker_a, resident)
    login(client, resident)
    html = client.get(PAGE).content.decode()
    assert "내 정보를 열람한 기록" in html
    assert "관악구청" in html


def test_pages_and_queries_stay_constant(
    client, resident, caseworker_a, city_admin, django_assert_num_queries
):
    login(client, resident)
    _read(caseworker_a, resident)
    client.get(PAGE)  # warm the session and the district labels
    client.get(API)
    with CaptureQueriesContext(connection) as page_one:
        client.get(PAGE)
    with CaptureQueriesContext(connection) as api_one:
        client.get(API)
    for n in range(24):
        _read(caseworker_a if n % 2 else city_admin, resident)
    with django_assert_num_queries(len(page_one.captured_queries)):
        response = client.get(PAGE)
    assert len(response.context["rows"]) == 20
    assert response.context["page_obj"].paginator.num_pages == 2
    with django_assert_num_queries(len(api_one.captured_queries)):
        assert len(client.get(API).json()["results"]) == 20


def test_a_bad_page_number_is_not_an_error(client, resident):
    login(client, resident)
    assert client.get(PAGE + "?page=zzz").status_code == 200
    response = client.get(API + "?page=99")
    assert response.status_code == 404
    assert response.json()["error"]["status"] == 404


def test_login_is_required(client):
    assert client.get(PAGE).status_code == 302
    response = client.get(API)
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_every_access_logged_action_is_shown_to_the_resident():
    """A new access-logged page or endpoint names its action; the resident must be told of it too."""
    pattern = re.compile(
        r"""access_log_action\s*=\s*["']([^"']+)["']|action=["']([a-z_.]+\.viewed|[a-z_.]+_viewed)["']"""
    )
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if path.parts[len(ROOT.parts)] in ("tests", "bench") or ".venv" in path.parts:
            continue
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1) or match.group(2))
    assert found, "the scan found no access-logged action at all"
    assert found <= set(PERSONAL_DATA_READS), found - set(PERSONAL_DATA_READS)
