"""Staff pages of the monthly performance reports: /reports/performance/.

Who: like the dashboard, a district manager for their own district and a city admin for every district
(the list filters by district). Other staff get 403; a report, or a district, that is not the user's to
see answers 404, as if it did not exist. The XLSX is private: streamed from MEDIA_ROOT/reports/ only
through the download view, never served directly.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from households.models import Gender
from portal.files import serve_private
from portal.i18n import is_english
from portal.models import District, User
from programs.models import ApplicationStatus
from reports.dashboard.care import care_section
from reports.dashboard.charts import number, percent
from reports.dashboard.selectors import AGE_BANDS, STATUS_ORDER
from reports.dashboard.views import AGE_BAND_LABELS, may_view_dashboard
from reports.exports.views import CONTENT_TYPES, staff_required
from reports.models import PerformanceReport

from .services import download_filename, performance_report_generate, previous_month


def manager_required(view):
    """Staff (see exports.staff_required) who may see the dashboard: district managers, city admins."""

    @staff_required
    def wrapper(request: HttpRequest, *args, **kwargs):
        if not may_view_dashboard(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def reports_visible_to(user: User):
    return PerformanceReport.objects.select_related("district__city").visible_to(user)


def districts_visible_to(user: User):
    return District.objects.select_related("city").order_by("code").visible_to(user)


def _report_for(user: User, pk: int) -> PerformanceReport:
    report = reports_visible_to(user).filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


@never_cache
@manager_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    districts = list(districts_visible_to(user))
    code = request.GET.get("district") or ""
    district = None
    if code:
        district = next((d for d in districts if d.code == code), None)
        if district is None:
            raise Http404  # another district's reports do not exist for this user
    elif not user.sees_all_districts:
        district = districts[0] if districts else None
    reports = reports_visible_to(user)
    if district is not None:
        reports = reports.filter(district=district)
    return render(
        request,
        "reports/performance_list.html",
        {
            "reports": reports,
            "districts": districts,
            "district": district,
            "show_district_choice": user.sees_all_districts,
            "last_month": previous_month(),
        },
    )


@never_cache
@manager_required
@require_POST
def report_generate(request: HttpRequest) -> HttpResponse:
    """Make (or remake) last month's report of a district now."""
    code = request.POST.get("district") or ""
    district = next((d for d in districts_visible_to(request.user) if d.code == code), None)
    if district is None:
        raise Http404
    report = performance_report_generate(district=district, month=previous_month(), by=request.user)
    messages.success(
        request,
        _("The performance report of %(district)s for %(month)s is ready.")
        % {"district": district, "month": f"{report.month:%Y-%m}"},
    )
    return redirect("performance:detail", pk=report.pk)


def _name(row: dict, field: str = "name") -> str:
    english = row.get(f"{field}_en") if is_english() else ""
    return english or row.get(field) or ""


def page_sections(figures: dict) -> dict:
    """The snapshot's numbers, labelled and formatted in the page's language."""
    h, a, k = figures["households"], figures["applications"], figures["kits"]
    lk, sp, totals = figures["lockers"], figures["spaces"], figures["program_totals"]
    median = a["median_days"]
    return {
        "care": care_section(figures.get("care")),
        "summary": [
            (_("Registered households at the end of the month"), number(h["total"])),
            (_("Registered during the month"), number(h["new"])),
            (_("Applications submitted"), number(a["total"])),
            (_("Decided (approved, completed or rejected)"), number(a["decided"])),
            (_("Approved (approved or completed)"), number(a["approved"])),
            (_("Approval rate (approved or completed ÷ decided)"), percent(a["approval_rate"])),
            (
                _("Median time from submission to decision"),
                "—" if median is None else _("%(days)s days") % {"days": f"{median:,.1f}"},
            ),
            (_("Waiting more than 48 hours when the report was made"), number(a["waiting_over_48h"])),
            (_("Program budgets (won)"), number(totals["budget"])),
            (_("Program sessions held"), number(totals["sessions"])),
            (_("Participants"), number(totals["participants"])),
            (_("Safety kit items requested"), number(k["requested"])),
            (_("Safety kit items installed"), number(k["installed"])),
            (_("Parcels deposited"), number(lk["deposited"])),
            (_("Parcels picked up"), number(lk["picked_up"])),
            (_("Room utilization"), percent(sp["utilization"])),
            (_("No-show rate (no-shows ÷ attended and no-shows)"), percent(sp["no_show_rate"])),
            *_inquiry_lines(figures.get("inquiries")),
        ],
        "age_bands": [(AGE_BAND_LABELS[b], number(h["age_bands"].get(b, 0))) for b in AGE_BANDS],
        "genders": [
            (Gender(g).label if g in Gender.values else g, number(n)) for g, n in h["genders"].items()
        ],
        "areas": [(_name(area) or _("Not given"), number(area["count"])) for area in h["areas"]],
        "statuses": [
            (ApplicationStatus(s).label, number(a["by_status"].get(s, 0)))
            for s in STATUS_ORDER
            if s in a["by_status"]
        ],
        "programs": [
            {
                "title": _name(p, "title"),
                "scope": _("City-wide") if p["citywide"] else _("District"),
                "budget": number(p["budget"]),
                "sessions": number(p["sessions"]),
                "participants": number(p["participants"]),
                "applications": number(p["applications"]),
                "approved": number(p["approved"]),
            }
            for p in figures["programs"]
        ],
        "program_totals": {key: number(value) for key, value in totals.items()},
        "kits": [
            (_name(i), number(i["requested"]), number(i["installed"]), number(i["stock"])) for i in k["items"]
        ],
        "lockers": [(s["name"], number(s["deposited"]), number(s["picked_up"])) for s in lk["sites"]],
        "benefits": [
            (
                _name(p, "title"),
                p["budget_line"],
                number(p["budget"]),
                number(p["committed"]),
                number(p["paid"]),
                number(p["paid_in_month"]),
                percent(p["rate"]),
            )
            for p in (figures.get("benefits") or {}).get("programs", [])
        ],
        "spaces": [
            (
                _name(s),
                number(s["rooms"]),
                number(s["open_hours"]),
                number(s["booked_hours"]),
                percent(s["utilization"]),
                percent(s["no_show_rate"]),
            )
            for s in sp["spaces"]
        ],
        # community (absent from snapshots made before it)
        "community": [
            (
                c["title"],
                number(c["proposals"]),
                number(c["selected"]),
                percent(c["selection_rate"]),
                number(c["grants"]),
                number(c["spent"]),
                number(c["reports"]),
            )
            for c in figures.get("community", {}).get("calls", [])
        ],
    }


def _inquiry_lines(iq: dict | None) -> list[tuple[str, str]]:
    """The 48-hour promise (inquiries) in the summary; none for a report made before it existed."""
    if not iq:
        return []
    median, rating = iq["median_hours"], iq["average_rating"]
    return [
        (_("Inquiries received"), number(iq["received"])),
        (_("Inquiries answered within 48 working hours"), number(iq["in_time"])),
        (_("Share answered within 48 working hours"), percent(iq["in_time_rate"])),
        (
            _("Median working hours to the first answer"),
            "—" if median is None else _("%(hours)s hours") % {"hours": f"{median:,.1f}"},
        ),
        (_("Average rating of answers (of 5)"), "—" if rating is None else f"{rating:.2f} ({iq['ratings']})"),
    ]


@never_cache
@manager_required
@require_GET
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report_for(request.user, pk)
    return render(
        request,
        "reports/performance_detail.html",
        {"report": report, "figures": report.snapshot, "sections": page_sections(report.snapshot)},
    )


@never_cache
@manager_required
@require_GET
def report_download(request: HttpRequest, pk: int) -> HttpResponse:
    # District figures only, no one's personal data: a download is not an access-log event.
    report = _report_for(request.user, pk)
    return serve_private(
        request, report.file, filename=download_filename(report), content_type=CONTENT_TYPES["xlsx"]
    )
