"""Generating a district's monthly performance report (성과관리).

The figures are the dashboard's (reports.dashboard.selectors, called with a city-admin-like system user
scoped to the district and the month as the period) plus one table per program: its budget, the
sessions held and participants recorded in the month, the applications submitted and approved in it.
Everything is read with aggregate queries; no row is loaded to be counted.

The result is kept twice: an XLSX workbook (openpyxl write-only mode, one sheet per section, Korean
headers: the file is the district's administrative record) in the default storage's reports/, and a JSON
snapshot of the same numbers the printable page is drawn from. Generating a district's month again
replaces both (same row, same file name); the managers are told once per report.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from households.models import Household
from portal.files import save_spooled
from portal.models import District, User
from portal.notifications import notify
from programs.models import Program, ProgramStatus
from reports.dashboard.benefits import benefits_figures, benefits_panel
from reports.dashboard.care import CARE_SHEET, care_panel, care_sheet, care_snapshot
from reports.dashboard.community import community_panel
from reports.dashboard.inquiries import inquiries_panel
from reports.dashboard.selectors import (
    AGE_BANDS,
    STATUS_ORDER,
    Period,
    applications_panel,
    households_panel,
    kits_panel,
    lockers_panel,
    sessions_panel,
    spaces_panel,
)
from reports.exports.writers import _cell
from reports.models import PerformanceReport
from spaces.models import Space

logger = logging.getLogger(__name__)

SNAPSHOT_VERSION = 1
REPORT_DIR = "reports"

# Sheet titles and headers of the workbook, in Korean: the file is filed as the district's record.
SHEETS = (
    "요약",
    "세대",
    "신청",
    "프로그램(예산·참여)",
    "안전물품",
    "무인택배",
    "공간",
    CARE_SHEET,
    "현금급여 집행",
    "마을공동체",
)
AGE_BAND_KO = {
    "under_19": "19세 미만",
    "19_39": "19–39세(청년)",
    "40_64": "40–64세(중장년)",
    "65_plus": "65세 이상",
}
GENDER_KO = {"female": "여성", "male": "남성", "no_answer": "응답 안 함"}
STATUS_KO = {
    "submitted": "접수",
    "under_review": "검토 중",
    "waitlisted": "대기",
    "approved": "승인",
    "completed": "완료",
    "rejected": "반려",
    "cancelled": "취소",
}


def month_start(day: date) -> date:
    return day.replace(day=1)


def previous_month(today: date | None = None) -> date:
    """The first day of the month before `today` (Seoul's today by default)."""
    today = today or timezone.localdate()
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def month_period(month: date) -> Period:
    next_month = (month.replace(day=1) + timedelta(days=32)).replace(day=1)
    return Period(month.replace(day=1), next_month - timedelta(days=1))


def system_user() -> User:
    """An unsaved city-admin-like user: the selectors' scoping sees every district, and the district
    argument narrows it to the one reported on."""
    return User(role=User.Role.CITY_ADMIN, is_staff=True, is_active=True, email="performance@system")


def report_filename(district: District, month: date) -> str:
    return f"{REPORT_DIR}/performance-{district.code}-{month:%Y-%m}.xlsx"


def download_filename(report: PerformanceReport) -> str:
    return f"성과관리-{report.district.name}-{report.month:%Y-%m}.xlsx"


# --- figures -----------------------------------------------------------------------------------------


def _num(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def report_figures(*, district: District, month: date) -> dict[str, Any]:
    """The month's figures for the district as plain JSON-able data (the snapshot)."""
    period = month_period(month)
    user = system_user()
    households = households_panel(user, district.pk, period)
    applications = applications_panel(user, district.pk, period)
    sessions = sessions_panel(user, district.pk, period)
    kits = kits_panel(user, district.pk, period)
    lockers = lockers_panel(user, district.pk, period)
    spaces = spaces_panel(user, district.pk, period)
    care = care_panel(user, district.pk, period)
    benefits = benefits_panel(user, district.pk, period)

    session_rows = {p.program_id: p for p in sessions.programs}
    application_rows = {p.program_id: p for p in applications.programs}
    # The district's own running programs, and every program with activity in the district this month
    # (a city-wide program held in its rooms or applied to by its residents): one query.
    programs = list(
        Program.objects.filter(
            Q(district=district, status__in=[ProgramStatus.PUBLISHED, ProgramStatus.CLOSED])
            | Q(pk__in=list(session_rows) + list(application_rows))
        )
        .values("pk", "title", "title_en", "budget", "district_id")
        .order_by("title", "pk")
    )
    program_rows = []
    for program in programs:
        held = session_rows.get(program["pk"])
        applied = application_rows.get(program["pk"])
        program_rows.append(
            {
                "id": program["pk"],
                "title": program["title"],
                "title_en": program["title_en"] or "",
                "citywide": program["district_id"] is None,
                "budget": program["budget"],
                "sessions": held.sessions if held else 0,
                "participants": held.participants if held else 0,
                "applications": applied.total if applied else 0,
                "approved": applied.approved if applied else 0,
            }
        )
    return {
        "version": SNAPSHOT_VERSION,
        "district": {"code": district.code, "name": district.name, "name_en": district.name_en},
        "month": f"{month:%Y-%m}",
        "period": {"start": period.start.isoformat(), "end": period.end.isoformat()},
        "households": {
            "total": households.total,
            "new": households.new_in_period,
            "age_bands": households.age_bands,
            "genders": households.genders,
            "areas": [
                {"name": area.ko if area else "", "name_en": area.en if area else "", "count": n}
                for area, n in households.areas
            ],
        },
        "applications": {
            "total": applications.total,
            "decided": applications.decided,
            "approved": applications.approved,
            "approval_rate": applications.approval_rate,
            "median_days": _num(applications.median_days),
            "timed_decisions": applications.timed_decisions,
            "waiting_over_48h": applications.waiting_over_48h,
            "by_status": {s: applications.by_status.get(s, 0) for s in STATUS_ORDER},
        },
        "programs": program_rows,
        "program_totals": {
            "budget": sum(p["budget"] or 0 for p in program_rows),
            "sessions": sum(p["sessions"] for p in program_rows),
            "participants": sum(p["participants"] for p in program_rows),
            "applications": sum(p["applications"] for p in program_rows),
            "approved": sum(p["approved"] for p in program_rows),
        },
        "kits": {
            "requested": kits.requested,
            "installed": kits.installed,
            "stock": sum(item.stock for item in kits.items),
            "items": [
                {
                    "name": item.name.ko,
                    "name_en": item.name.en,
                    "requested": item.requested,
                    "installed": item.installed,
                    "stock": item.stock,
                }
                for item in kits.items
            ],
        },
        "lockers": {
            "deposited": lockers.deposited,
            "picked_up": lockers.picked_up,
            "sites": [
                {"name": s.name, "deposited": s.deposited, "picked_up": s.picked_up} for s in lockers.sites
            ],
        },
        "benefits": benefits_figures(benefits),
        "inquiries": _inquiry_figures(inquiries_panel(user, district.pk, period)),
        "community": community_figures(user, district, period),
        "spaces": {
            "open_hours": _num(spaces.open_hours),
            "booked_hours": _num(spaces.booked_hours),
            "utilization": spaces.utilization,
            "attended": spaces.attended,
            "no_show": spaces.no_show,
            "no_show_rate": spaces.no_show_rate,
            "spaces": [
                {
                    "name": s.name.ko,
                    "name_en": s.name.en,
                    "rooms": s.rooms,
                    "open_hours": _num(s.open_hours),
                    "booked_hours": _num(s.booked_hours),
                    "utilization": s.utilization,
                    "attended": s.attended,
                    "no_show": s.no_show,
                    "no_show_rate": s.no_show_rate,
                }
                for s in spaces.spaces
            ],
        },
        "care": care_snapshot(care),
    }


def _inquiry_figures(panel) -> dict[str, Any]:
    """The 48-hour promise (inquiries): the month's one row of the district, as JSON-able numbers."""
    row = panel.months[0] if panel.months else None
    return {
        "received": panel.received,
        "answered": panel.answered,
        "in_time": panel.in_time,
        "in_time_rate": None if row is None or not row.answered else row.in_time / row.answered,
        "median_hours": row.median_hours if row else None,
        "ratings": row.ratings if row else 0,
        "average_rating": row.average_rating if row else None,
    }


# --- the workbook ------------------------------------------------------------------------------------


def _pct(value: float | None) -> float | None:
    """A ratio as a percentage with one decimal (Excel shows the number; the header says %)."""
    return None if value is None else round(value * 100, 1)


def workbook_sheets(figures: dict[str, Any]) -> list[tuple[str, list[list[Any]]]]:
    """(sheet title, rows including the header row) for each section."""
    h, a, k = figures["households"], figures["applications"], figures["kits"]
    lk, sp, totals = figures["lockers"], figures["spaces"], figures["program_totals"]
    summary = [
        ["항목", "값"],
        ["자치구", figures["district"]["name"]],
        ["기간", f"{figures['period']['start']} ~ {figures['period']['end']}"],
        ["등록 세대(월말)", h["total"]],
        ["신규 등록 세대", h["new"]],
        ["신청 접수", a["total"]],
        ["결정(승인·완료·반려)", a["decided"]],
        ["승인(승인·완료)", a["approved"]],
        ["승인율(%)", _pct(a["approval_rate"])],
        ["결정까지 중앙값(일)", a["median_days"]],
        ["48시간 넘게 대기(작성 시점)", a["waiting_over_48h"]],
        ["프로그램 예산 합계(원)", totals["budget"]],
        ["프로그램 회차", totals["sessions"]],
        ["프로그램 참여 인원", totals["participants"]],
        ["안전물품 신청 수량", k["requested"]],
        ["안전물품 설치 수량", k["installed"]],
        ["안전물품 재고(작성 시점)", k["stock"]],
        ["무인택배 보관", lk["deposited"]],
        ["무인택배 수령", lk["picked_up"]],
        ["공간 예약 시간", sp["booked_hours"]],
        ["공간 운영 시간", sp["open_hours"]],
        ["공간 이용률(%)", _pct(sp["utilization"])],
        ["노쇼율(%)", _pct(sp["no_show_rate"])],
    ]
    # The 48-hour promise (inquiries); reports made before it have no such figures.
    iq = figures.get("inquiries")
    if iq:
        rows = [
            ["문의 접수", iq["received"]],
            ["48시간(근무시간) 내 답변", iq["in_time"]],
            ["48시간 내 답변율(%)", _pct(iq["in_time_rate"])],
            ["첫 답변까지 중앙값(근무시간)", iq["median_hours"]],
            ["답변 평점 평균(5점)", iq["average_rating"]],
            ["답변 평점 수", iq["ratings"]],
        ]
        # An empty cell would shorten the row when read back: a month without answers says "—".
        summary += [[label, "—" if value is None else value] for label, value in rows]
    households = [["구분", "항목", "세대 수"]]
    households += [["연령대", AGE_BAND_KO[b], h["age_bands"].get(b, 0)] for b in AGE_BANDS]
    households += [["성별", GENDER_KO.get(g, g), n] for g, n in h["genders"].items()]
    households += [["행정동", area["name"] or "미기재", area["count"]] for area in h["areas"]]
    applications = [["상태", "건수"]]
    applications += [[STATUS_KO.get(s, s), a["by_status"].get(s, 0)] for s in STATUS_ORDER]
    applications.append(["합계", a["total"]])
    programs = [["프로그램", "구분", "예산(원)", "회차", "참여 인원", "신청", "승인"]]
    programs += [
        [
            p["title"],
            "시 전체" if p["citywide"] else "자치구",
            p["budget"],
            p["sessions"],
            p["participants"],
            p["applications"],
            p["approved"],
        ]
        for p in figures["programs"]
    ]
    programs.append(
        [
            "합계",
            "",
            totals["budget"],
            totals["sessions"],
            totals["participants"],
            totals["applications"],
            totals["approved"],
        ]
    )
    kits = [["물품", "신청 수량", "설치 수량", "재고"]]
    kits += [[i["name"], i["requested"], i["installed"], i["stock"]] for i in k["items"]]
    lockers = [["보관함", "보관", "수령"]]
    lockers += [[s["name"], s["deposited"], s["picked_up"]] for s in lk["sites"]]
    spaces = [["공간", "호실 수", "운영 시간", "예약 시간", "이용률(%)", "이용", "노쇼", "노쇼율(%)"]]
    spaces += [
        [
            s["name"],
            s["rooms"],
            s["open_hours"],
            s["booked_hours"],
            _pct(s["utilization"]),
            s["attended"],
            s["no_show"],
            _pct(s["no_show_rate"]),
        ]
        for s in sp["spaces"]
    ]
    # A snapshot made before care has no "care" figures: its sheet holds the header row only.
    care = care_sheet(figures.get("care"))
    benefits = benefit_rows(figures.get("benefits"))  # reports made before issue 18 have none
    # community: snapshots made before it have no "community" key (an empty sheet then).
    community = community_sheet(figures.get("community", {"calls": []}))
    sections = [summary, households, applications, programs, kits, lockers, spaces, care, benefits, community]
    return list(zip(SHEETS, sections, strict=True))


def community_figures(user: User, district: District, period) -> dict[str, Any]:
    """Community building per call (reports.dashboard.community), as JSON-able data."""
    panel = community_panel(user, district.pk, period)
    return {
        "calls": [
            {
                "title": c.title,
                "proposals": c.proposals,
                "selected": c.selected,
                "selection_rate": c.selection_rate,
                "grants": c.grants,
                "spent": c.spent,
                "reports": c.reports,
                "reports_accepted": c.reports_accepted,
            }
            for c in panel.calls
        ],
    }


def community_sheet(community: dict[str, Any]) -> list[list[Any]]:
    rows = [["공모", "제안", "선정", "선정률(%)", "지원금(원)", "집행(원)", "활동보고", "승인된 활동보고"]]
    rows += [
        [
            c["title"],
            c["proposals"],
            c["selected"],
            _pct(c["selection_rate"]),
            c["grants"],
            c["spent"],
            c["reports"],
            c["reports_accepted"],
        ]
        for c in community["calls"]
    ]
    return rows


def benefit_rows(figures: dict[str, Any] | None) -> list[list[Any]]:
    """The cash-benefits sheet: budget execution (집행률) per program, a total row last."""
    rows: list[list[Any]] = [
        [
            "프로그램",
            "예산 세부사업",
            "예산(원)",
            "집행 예정(원)",
            "지급 누계(원)",
            "당월 지급(원)",
            "집행률(%)",
        ]
    ]
    if not figures:
        return rows
    rows += [
        [
            p["title"],
            p["budget_line"],
            p["budget"],
            p["committed"],
            p["paid"],
            p["paid_in_month"],
            _pct(p["rate"]),
        ]
        for p in figures["programs"]
    ]
    rows.append(
        [
            "합계",
            "",
            figures["budget"],
            figures["committed"],
            figures["paid"],
            figures["paid_in_month"],
            _pct(figures["rate"]),
        ]
    )
    return rows


def write_workbook(out: IO[bytes], figures: dict[str, Any]) -> None:
    """Write the workbook (write-only mode) to a binary file."""
    workbook = Workbook(write_only=True)
    for title, rows in workbook_sheets(figures):
        sheet = workbook.create_sheet(title=title)
        for row in rows:
            sheet.append([_cell(value) for value in row])
    workbook.save(out)


# --- generation --------------------------------------------------------------------------------------


def managers_of(district: District):
    return User.objects.filter(
        role=User.Role.DISTRICT_MANAGER, district=district, is_active=True, is_staff=True
    ).order_by("pk")


def performance_report_generate(
    *, district: District, month: date, by: User | None = None
) -> PerformanceReport:
    """Make (or remake) the district's report for `month` (any day of it): figures, XLSX file, snapshot,
    and an in-app notice to each of the district's active managers (once per report and manager)."""
    month = month_start(month)
    figures = report_figures(district=district, month=month)
    # The workbook is complete before it is uploaded; a regeneration replaces the file under the same
    # name (see save_spooled for the moment in between).
    name, _none = save_spooled(
        report_filename(district, month),
        lambda out: write_workbook(out, figures),
        storage=PerformanceReport._meta.get_field("file").storage,
        replace=True,
    )
    with transaction.atomic():
        report, _created = PerformanceReport.objects.update_or_create(
            district=district,
            month=month,
            defaults={
                "file": name,
                "snapshot": figures,
                "program_rows": len(figures["programs"]),
                "generated_at": timezone.now(),
                "generated_by": by if by is not None and by.pk else None,
            },
        )
        link = settings.SITE_URL.rstrip("/") + reverse("performance:detail", args=[report.pk])
        for manager in managers_of(district):
            notify(
                user=manager,
                template="report.ready",
                event_key=f"report.ready:{district.pk}:{month:%Y-%m}:{manager.pk}",
                context={
                    "district": district.name,
                    "district_en": district.name_en,
                    "month": f"{month:%Y-%m}",
                    "link": link,
                },
            )
    return report


def districts_to_report():
    """Districts with a district manager, or with any program, household or space."""
    return District.objects.filter(
        Exists(User.objects.filter(district=OuterRef("pk"), role=User.Role.DISTRICT_MANAGER, is_active=True))
        | Exists(Program.objects.filter(district=OuterRef("pk")))
        | Exists(Household.objects.filter(district=OuterRef("pk")))
        | Exists(Space.objects.filter(district=OuterRef("pk")))
    ).order_by("code")


def monthly_reports_generate(*, month: date | None = None) -> int:
    """Last month's report (or `month`'s) for every district to report on; one district's failure is
    logged and does not stop the others. Returns how many reports were made."""
    month = month_start(month) if month else previous_month()
    made = 0
    for district in districts_to_report():
        try:
            performance_report_generate(district=district, month=month)
        except Exception:
            logger.exception("performance report of district %s for %s failed", district.code, month)
        else:
            made += 1
    return made
