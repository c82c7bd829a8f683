"""Monthly performance reports (성과관리): the stored XLSX and its numbers against the rows, idempotent
regeneration, the monthly beat task (previous month, managers of the district only), district scoping of
the list, page and download, and the printable page."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time
from pathlib import Path
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from openpyxl import load_workbook

from portal.models import Notification
from programs.models import Application, Program, ProgramSession
from reports.models import PerformanceReport
from reports.performance.services import SHEETS, performance_report_generate, previous_month
from tests.factories import GWANAK, JUNGGU, district, seoul
from tests.reports.test_dashboard import (
    build_applications,
    build_households,
    build_kits,
    build_lockers,
    build_sessions,
    build_spaces,
)

SEOUL = ZoneInfo("Asia/Seoul")
MARCH = date(2025, 3, 1)
START = datetime.combine(MARCH, time.min, tzinfo=SEOUL)
END = datetime.combine(date(2025, 4, 1), time.min, tzinfo=SEOUL)
URL = "/reports/performance/"


@pytest.fixture(autouse=True)
def _english_fast_private_media(settings, tmp_path):
    settings.LANGUAGE_CODE = "en"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def scene(db):
    build_households()
    pa1, pa2, pb = build_applications()
    _room, _kitchen, cancelled, pending, _other, _room_b = build_spaces()
    build_sessions(pa1, pb, cancelled, pending)
    build_kits()
    build_lockers()
    Program.objects.filter(pk=pa1.pk).update(budget=1_500_000)
    Program.objects.filter(pk=pa2.pk).update(budget=32_000_000)
    Program.objects.filter(pk=pb.pk).update(budget=700_000)
    cache.clear()
    return {"pa1": pa1, "pa2": pa2, "pb": pb}


@pytest.fixture
def manager_b(db):
    from tests.conftest import _staff

    return _staff("district_manager", JUNGGU, "manager.b@example.kr")


def expected_programs(district_id: int) -> dict[str, dict]:
    """Per program title, the month's numbers computed in Python from the rows."""
    result: dict[str, dict] = defaultdict(
        lambda: {"sessions": 0, "participants": 0, "applications": 0, "approved": 0}
    )
    for s in ProgramSession.objects.select_related("program", "booking"):
        if not (s.starts_at and START <= s.starts_at < END):
            continue
        if s.booking and s.booking.status in ("cancelled", "rejected"):
            continue
        if s.program.district_id == district_id or (s.booking and s.booking.district_id == district_id):
            result[s.program.title]["sessions"] += 1
            result[s.program.title]["participants"] += s.participants or 0
    for a in Application.objects.select_related("program"):
        if a.district_id == district_id and a.submitted_at and START <= a.submitted_at < END:
            result[a.program.title]["applications"] += 1
            result[a.program.title]["approved"] += a.status in ("approved", "completed")
    for p in Program.objects.all():
        if p.title in result or (p.district_id == district_id and p.status in ("published", "closed")):
            result[p.title]["budget"] = p.budget
    return dict(result)


def sheet_rows(report: PerformanceReport, title: str) -> list[tuple]:
    workbook = load_workbook(Path(django_settings.MEDIA_ROOT) / report.file.name, read_only=True)
    try:
        return [tuple(row) for row in workbook[title].iter_rows(values_only=True)]
    finally:
        workbook.close()


# --- generation ----------------------------------------------------------------------------------------


def test_generation_stores_an_xlsx_with_each_section_and_the_programs_numbers(scene, manager_a):
    gwanak = district(GWANAK)
    report = performance_report_generate(district=gwanak, month=date(2025, 3, 17))

    assert report.month == MARCH
    assert report.file.name == "reports/performance-11620-2025-03.xlsx"
    workbook = load_workbook(Path(django_settings.MEDIA_ROOT) / report.file.name, read_only=True)
    assert workbook.sheetnames == list(SHEETS)
    workbook.close()

    rows = sheet_rows(report, "프로그램(예산·참여)")
    assert rows[0] == ("프로그램", "구분", "예산(원)", "회차", "참여 인원", "신청", "승인")
    got = {row[0]: {"budget": row[2], "sessions": row[3], "participants": row[4],
                    "applications": row[5], "approved": row[6]} for row in rows[1:-1]}  # fmt: skip
    expected = expected_programs(gwanak.pk)
    assert got == expected
    # The numbers the scene was built for, so the comparison above cannot pass vacuously.
    assert got["관악 청년 소모임"] == {
        "budget": 1_500_000,
        "sessions": 1,
        "participants": 12,
        "applications": 4,
        "approved": 2,
    }
    assert got["관악 안심귀가"]["budget"] == 32_000_000
    assert "중구 놀다가 모임" not in got  # another district's program
    total = rows[-1]
    assert total[0] == "합계"
    assert total[2] == sum(p["budget"] or 0 for p in expected.values())
    assert total[4] == sum(p["participants"] for p in expected.values())
    assert report.program_rows == len(expected)

    summary = dict(sheet_rows(report, "요약")[1:])
    assert summary["프로그램 참여 인원"] == total[4]
    assert summary["신청 접수"] == sum(p["applications"] for p in expected.values())
    assert report.snapshot["program_totals"]["budget"] == total[2]


def test_regenerating_replaces_the_file_and_snapshot_and_never_duplicates(scene, manager_a):
    gwanak = district(GWANAK)
    first = performance_report_generate(district=gwanak, month=MARCH)
    ProgramSession.objects.create(
        program=scene["pa2"],
        starts_at=seoul("2025-03-25 10:00"),
        ends_at=seoul("2025-03-25 12:00"),
        participants=6,
    )
    second = performance_report_generate(district=gwanak, month=MARCH)

    assert second.pk == first.pk
    assert PerformanceReport.objects.count() == 1
    assert second.file.name == first.file.name
    assert list((Path(django_settings.MEDIA_ROOT) / "reports").iterdir()) == [
        Path(django_settings.MEDIA_ROOT) / first.file.name
    ]
    programs = {row[0]: row for row in sheet_rows(second, "프로그램(예산·참여)")}
    assert programs["관악 안심귀가"][3:5] == (1, 6)
    second.refresh_from_db()
    assert second.snapshot["program_totals"]["participants"] == 12 + 6
    # The managers were told once.
    assert Notification.objects.filter(user=manager_a, template="report.ready").count() == 1


# --- the monthly task ---------------------------------------------------------------------------------


def test_beat_entry_and_task_registration():
    from portal.celery import app

    entry = django_settings.CELERY_BEAT_SCHEDULE["monthly-performance-reports"]
    assert entry["task"] == "portal.performance.tasks.generate_monthly_reports"
    schedule = entry["schedule"]
    assert schedule.day_of_month == {1} and schedule.hour == {6} and schedule.minute == {0}
    assert django_settings.CELERY_TIMEZONE == "Asia/Seoul"
    assert "portal.performance.tasks.generate_monthly_reports" in app.tasks


def test_previous_month():
    assert previous_month(date(2025, 1, 1)) == date(2024, 12, 1)
    assert previous_month(date(2025, 3, 31)) == date(2025, 2, 1)


def test_the_monthly_task_reports_last_month_and_tells_each_districts_managers_only(
    scene, manager_a, manager_b, caseworker_a, city_admin
):
    from reports.performance.tasks import generate_monthly_reports

    # 1 April 06:00 in Seoul is still 31 March in UTC: the month is Seoul's.
    frozen = datetime(2025, 4, 1, 6, 0, tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        made = generate_monthly_reports.delay().get()

    reports = {r.district.code: r for r in PerformanceReport.objects.select_related("district")}
    assert {GWANAK, JUNGGU} <= set(reports)
    assert made == len(reports)
    assert {r.month for r in reports.values()} == {MARCH}

    def notices(user):
        return list(Notification.objects.filter(user=user, template="report.ready"))

    (to_a,) = notices(manager_a)
    (to_b,) = notices(manager_b)
    assert to_a.context["link"].endswith(f"/reports/performance/{reports[GWANAK].pk}/")
    assert to_b.context["link"].endswith(f"/reports/performance/{reports[JUNGGU].pk}/")
    assert to_a.context["month"] == "2025-03"
    assert notices(caseworker_a) == [] and notices(city_admin) == []
    assert Notification.objects.filter(template="report.ready").count() == 2

    # Run again (a retried beat message): same reports, no second notice.
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        generate_monthly_reports.delay().get()
    assert PerformanceReport.objects.count() == len(reports)
    assert Notification.objects.filter(template="report.ready").count() == 2


# --- pages and scoping ---------------------------------------------------------------------------------


@pytest.fixture
def reports(scene):
    return {
        code: performance_report_generate(district=district(code), month=MARCH) for code in (GWANAK, JUNGGU)
    }


def test_a_manager_lists_views_and_downloads_their_own_districts_reports(client, reports, manager_a):
    client.force_login(manager_a)
    own = reports[GWANAK]
    page = client.get(URL)
    assert page.status_code == 200
    assert f"/reports/performance/{own.pk}/".encode() in page.content
    assert f"/reports/performance/{reports[JUNGGU].pk}/".encode() not in page.content

    download = client.get(f"{URL}{own.pk}/download/")
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "private" in download["Cache-Control"]
    body = b"".join(download.streaming_content)
    assert body[:2] == b"PK"


def test_another_districts_reports_do_not_exist_for_a_manager(client, reports, manager_b):
    client.force_login(manager_b)
    other = reports[GWANAK]
    assert client.get(URL, {"district": GWANAK}).status_code == 404
    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.get(f"{URL}{other.pk}/download/").status_code == 404
    assert client.post(f"{URL}generate/", {"district": GWANAK}).status_code == 404
    assert client.get(f"{URL}{reports[JUNGGU].pk}/").status_code == 200


@pytest.mark.parametrize("persona", ["caseworker_a", "program_manager_a"])
def test_other_staff_are_refused(client, reports, persona, request):
    client.force_login(request.getfixturevalue(persona))
    own = reports[GWANAK]
    assert client.get(URL).status_code == 403
    assert client.get(f"{URL}{own.pk}/").status_code == 403
    assert client.get(f"{URL}{own.pk}/download/").status_code == 403
    assert client.post(f"{URL}generate/", {"district": GWANAK}).status_code == 403


def test_not_logged_in_goes_to_the_staff_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_city_admin_sees_every_district_and_filters(client, reports, city_admin):
    client.force_login(city_admin)
    page = client.get(URL)
    for report in reports.values():
        assert f"/reports/performance/{report.pk}/".encode() in page.content
    filtered = client.get(URL, {"district": JUNGGU})
    assert f"/reports/performance/{reports[GWANAK].pk}/".encode() not in filtered.content
    assert client.get(URL, {"district": "99999"}).status_code == 404
    assert client.get(f"{URL}{reports[GWANAK].pk}/download/").status_code == 200


def test_the_printable_page_shows_the_figures(client, reports, manager_a):
    client.force_login(manager_a)
    page = client.get(f"{URL}{reports[GWANAK].pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "css/performance.css" in html
    assert "<caption>" in html
    assert "Programs: budget and participation" in html
    assert "Gwanak youth club" in html  # English titles on an English page
    assert "1,500,000" in html and "32,000,000" in html
    assert '<td class="num">12</td>' in html  # participants of the youth club in March
    total_budget = f"{reports[GWANAK].snapshot['program_totals']['budget']:,}"
    assert total_budget in html


def test_a_manager_makes_last_months_report_now(client, scene, manager_a):
    client.force_login(manager_a)
    frozen = datetime(2025, 4, 15, 12, 0, tzinfo=SEOUL)
    with mock.patch("django.utils.timezone.now", return_value=frozen):
        response = client.post(f"{URL}generate/", {"district": GWANAK})
        again = client.post(f"{URL}generate/", {"district": GWANAK})
    report = PerformanceReport.objects.get()
    assert report.month == MARCH and report.generated_by == manager_a
    assert response.status_code == 302 and response["Location"] == f"{URL}{report.pk}/"
    assert again["Location"] == response["Location"]
    assert client.get(f"{URL}generate/").status_code == 405


def test_the_admin_nav_links_to_the_reports(client, manager_a):
    client.force_login(manager_a)
    assert b'href="/reports/performance/"' in client.get("/admin/").content
