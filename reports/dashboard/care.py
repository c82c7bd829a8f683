"""The care panel of the dashboard: counselling by service (booked, attended, no-shows, cancelled),
the wait from booking to a household's first appointment, the no-show rate, and check-in figures
(sent, answered, escalated). Counts only: nothing of an appointment's intake or notes is read."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from care.models import Appointment, AppointmentStatus, CheckIn, CheckInTask
from portal.models import User

from .selectors import Label, Period, _in_district, ratio

A = AppointmentStatus


@dataclass
class ServiceRow:
    service_id: int
    name: Label
    booked: int
    attended: int
    no_show: int
    cancelled: int


@dataclass
class CarePanel:
    services: list[ServiceRow]
    appointments: int
    attended: int
    no_show: int
    no_show_rate: float | None
    first_appointments: int
    median_wait_days: float | None
    checkins_sent: int
    checkins_answered: int
    checkins_escalated: int
    computed_at: datetime = field(default_factory=timezone.now)


def care_panel(user: User, district_id: int | None, period: Period) -> CarePanel:
    """Three queries: appointments by service, the waits of first appointments, check-in figures."""
    appointments = _in_district(Appointment.objects.visible_to(user), district_id).filter(
        starts_at__gte=period.start_at, starts_at__lt=period.end_at
    )
    rows = (
        appointments.values("service_id", "service__name", "service__name_en")
        .annotate(
            booked=Count("pk"),
            attended=Count("pk", filter=Q(status=A.ATTENDED)),
            no_show=Count("pk", filter=Q(status=A.NO_SHOW)),
            cancelled=Count("pk", filter=Q(status=A.CANCELLED)),
        )
        .order_by()
    )
    services = [
        ServiceRow(
            r["service_id"],
            Label(r["service__name"], r["service__name_en"] or ""),
            r["booked"],
            r["attended"],
            r["no_show"],
            r["cancelled"],
        )
        for r in rows
    ]
    services.sort(key=lambda s: (-s.booked, s.name.ko))
    earlier = Appointment.objects.filter(
        household=OuterRef("household"), created_at__lt=OuterRef("created_at")
    )
    waits = [
        (start - made).total_seconds() / 86400
        for made, start in appointments.exclude(status=A.CANCELLED)
        .annotate(earlier=Exists(earlier))
        .filter(earlier=False)
        .values_list("created_at", "starts_at")
    ]
    checkins = _in_district(CheckIn.objects.visible_to(user), district_id).filter(
        scheduled_at__gte=period.start_at, scheduled_at__lt=period.end_at
    )
    figures = checkins.aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(used_at__isnull=False)),
        escalated=Count(
            "pk",
            filter=Q(escalated_at__isnull=False) | Exists(CheckInTask.objects.filter(checkin=OuterRef("pk"))),
        ),
    )
    attended = sum(s.attended for s in services)
    no_show = sum(s.no_show for s in services)
    return CarePanel(
        services=services,
        appointments=sum(s.booked for s in services),
        attended=attended,
        no_show=no_show,
        no_show_rate=ratio(no_show, attended + no_show),
        first_appointments=len(waits),
        median_wait_days=round(statistics.median(waits), 1) if waits else None,
        checkins_sent=figures["sent"],
        checkins_answered=figures["answered"],
        checkins_escalated=figures["escalated"],
    )


# --- the monthly performance report -------------------------------------------------------------------


def care_snapshot(panel: CarePanel) -> dict:
    """The panel as plain JSON-able data for the report's snapshot."""
    return {
        "appointments": panel.appointments,
        "attended": panel.attended,
        "no_show": panel.no_show,
        "no_show_rate": panel.no_show_rate,
        "first_appointments": panel.first_appointments,
        "median_wait_days": panel.median_wait_days,
        "checkins_sent": panel.checkins_sent,
        "checkins_answered": panel.checkins_answered,
        "checkins_escalated": panel.checkins_escalated,
        "services": [
            {
                "name": s.name.ko,
                "name_en": s.name.en,
                "booked": s.booked,
                "attended": s.attended,
                "no_show": s.no_show,
                "cancelled": s.cancelled,
            }
            for s in panel.services
        ],
    }


CARE_SHEET = "상담·안부확인"


def care_sheet(care: dict | None) -> list[list]:
    """The workbook sheet's rows (Korean headers, as the other sheets); the header only for a snapshot
    made before care."""
    rows = [["상담 서비스", "예약", "상담 완료", "노쇼", "취소"]]
    if not care:
        return rows
    rows += [[s["name"], s["booked"], s["attended"], s["no_show"], s["cancelled"]] for s in care["services"]]
    rows += [
        ["합계", care["appointments"], care["attended"], care["no_show"], ""],
        [],
        ["첫 상담까지 대기 중앙값(일)", care["median_wait_days"]],
        ["노쇼율(%)", None if care["no_show_rate"] is None else round(care["no_show_rate"] * 100, 1)],
        ["안부확인 발송", care["checkins_sent"]],
        ["안부확인 응답", care["checkins_answered"]],
        ["안부확인 단계 상향(전화·방문)", care["checkins_escalated"]],
    ]
    return rows


def care_section(care: dict | None) -> dict | None:
    """The report page's care section, labelled in the page's language; None before care existed."""
    from django.utils.translation import gettext as _

    from portal.i18n import is_english

    if not care:
        return None

    def n(value) -> str:
        return "—" if value is None else f"{value:,}"

    rate = care["no_show_rate"]
    return {
        "summary": [
            (_("Counselling appointments"), n(care["appointments"])),
            (_("Sessions held"), n(care["attended"])),
            (
                _("No-show rate (no-shows ÷ attended and no-shows)"),
                "—" if rate is None else f"{rate * 100:.1f}%",
            ),
            (
                _("Median wait from booking to a first appointment"),
                "—"
                if care["median_wait_days"] is None
                else _("%(days)s days") % {"days": f"{care['median_wait_days']:,.1f}"},
            ),
            (_("Wellbeing check-ins sent"), n(care["checkins_sent"])),
            (_("Check-ins answered"), n(care["checkins_answered"])),
            (_("Check-ins escalated to a call or visit"), n(care["checkins_escalated"])),
        ],
        "services": [
            (
                (s["name_en"] if is_english() and s["name_en"] else s["name"]),
                n(s["booked"]),
                n(s["attended"]),
                n(s["no_show"]),
                n(s["cancelled"]),
            )
            for s in care["services"]
        ],
    }
