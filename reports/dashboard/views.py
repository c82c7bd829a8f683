"""The district dashboard page: /reports/dashboard/?district=<code>&from=YYYY-MM-DD&to=YYYY-MM-DD.

Who: a district manager, for their own district only (another district's code answers 404, as if it did
not exist); a city admin, for any district or all of them. Other staff and residents get 403; someone
not logged in (or, with STAFF_OTP_REQUIRED, not verified) goes to the staff login.

The figures come from reports.dashboard.cache (versioned, short-lived cache of the selectors' aggregate
results); the charts are drawn here, per request, in the page's language.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from households.models import Gender
from portal.models import District, User
from programs.models import ApplicationStatus

from .cache import PANEL_TIMEOUT, dashboard_panels
from .care import care_section, care_snapshot
from .charts import Series, bar_chart, line_chart, number, percent
from .forms import ALL_DISTRICTS, PeriodForm
from .selectors import STATUS_ORDER, Period

AGE_BAND_LABELS = {
    "under_19": gettext_lazy("Under 19"),
    "19_39": gettext_lazy("19–39 (youth)"),
    "40_64": gettext_lazy("40–64 (middle age)"),
    "65_plus": gettext_lazy("65 and over (seniors)"),
}


def may_view_dashboard(user: User) -> bool:
    return user.is_authenticated and user.is_manager


def _district_choices(user: User) -> tuple[list[tuple[str, str]], dict[str, District]]:
    if user.sees_all_districts:
        districts = {d.code: d for d in District.objects.select_related("city").order_by("code")}
        choices = [(ALL_DISTRICTS, _("All districts"))] + [
            (code, d.full_name) for code, d in districts.items()
        ]
        return choices, districts
    district = District.objects.select_related("city").get(pk=user.district_id)
    return [(district.code, district.full_name)], {district.code: district}


def default_period(today: date | None = None) -> Period:
    """The current month so far, in Seoul."""
    today = today or timezone.localdate()
    return Period(today.replace(day=1), today)


@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    verified = not settings.STAFF_OTP_REQUIRED or (hasattr(user, "is_verified") and user.is_verified())
    if not user.is_authenticated or (user.is_staff and not verified):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    if not may_view_dashboard(user):
        raise PermissionDenied
    choices, districts = _district_choices(user)
    default_code = ALL_DISTRICTS if user.sees_all_districts else next(iter(districts))
    code = request.GET.get("district") or default_code
    if code not in districts and not (code == ALL_DISTRICTS and user.sees_all_districts):
        # Another district's figures do not exist for this user: same answer as an unknown code.
        raise Http404
    district = districts.get(code)
    period = default_period()
    if "from" in request.GET or "to" in request.GET:
        form = PeriodForm(request.GET, districts=choices)
        if form.is_valid():
            period = Period(form.cleaned_data["from"], form.cleaned_data["to"])
    else:
        form = PeriodForm(
            initial={"district": code, "from": period.start, "to": period.end}, districts=choices
        )
    context = {
        "form": form,
        "district": district,
        "district_code": code,
        "show_district_choice": user.sees_all_districts,
        "period": period,
        "cache_minutes": PANEL_TIMEOUT // 60,
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/dashboard.html", context)
    panels = dashboard_panels(user, district.pk if district else None, period)
    context.update(panels)
    context["charts"] = build_charts(panels, all_districts=district is None)
    context["figures"] = key_figures(panels)
    context["care_figures"] = care_section(care_snapshot(panels["care"]))["summary"]
    context["computed_at"] = min(panel.computed_at for panel in panels.values())
    context["queue_url"] = reverse("admin:programs_application_changelist") + "?waiting=over_48h"
    return render(request, "reports/dashboard.html", context)


def _days(value: float | None) -> str:
    return "—" if value is None else _("%(days)s days") % {"days": f"{value:,.1f}"}


def key_figures(panels: dict) -> dict[str, list[tuple[str, str]]]:
    """Each section's headline numbers, labelled and formatted."""
    households, applications = panels["households"], panels["applications"]
    sessions, kits, lockers, spaces = panels["sessions"], panels["kits"], panels["lockers"], panels["spaces"]
    return {
        "households": [
            (_("Registered households at the end of the period"), number(households.total)),
            (_("Registered during the period"), number(households.new_in_period)),
        ],
        "applications": [
            (_("Applications submitted"), number(applications.total)),
            (_("Decided (approved, completed or rejected)"), number(applications.decided)),
            (_("Approval rate (approved or completed ÷ decided)"), percent(applications.approval_rate)),
            (_("Median time from submission to decision"), _days(applications.median_days)),
            (_("Waiting more than 48 hours now"), number(applications.waiting_over_48h)),
        ],
        "sessions": [
            (_("Sessions held"), number(sessions.sessions)),
            (_("Participants"), number(sessions.participants)),
        ],
        "kits": [
            (_("Items requested"), number(kits.requested)),
            (_("Items installed"), number(kits.installed)),
            (_("Items in stock now"), number(sum(item.stock for item in kits.items))),
        ],
        "lockers": [
            (_("Parcels deposited"), number(lockers.deposited)),
            (_("Parcels picked up"), number(lockers.picked_up)),
        ],
        "spaces": [
            (_("Hours booked"), number(round(spaces.booked_hours, 1))),
            (_("Hours open (all bookable rooms)"), number(round(spaces.open_hours, 1))),
            (_("Room utilization"), percent(spaces.utilization)),
            (_("No-show rate (no-shows ÷ attended and no-shows)"), percent(spaces.no_show_rate)),
        ],
    }


def build_charts(panels: dict, *, all_districts: bool) -> dict:
    """The page's charts (and their data tables) from the panels, in the active language."""
    households, applications = panels["households"], panels["applications"]
    sessions, kits, lockers, spaces = panels["sessions"], panels["kits"], panels["lockers"], panels["spaces"]
    charts = {}

    bands = [b for b in AGE_BAND_LABELS if b != "under_19" or households.age_bands[b]]
    charts["age"] = bar_chart(
        "chart-age",
        _("Registered households by age band"),
        [str(AGE_BAND_LABELS[b]) for b in bands],
        [Series(_("Households"), [households.age_bands[b] for b in bands])],
        category_header=_("Age band"),
    )
    charts["gender"] = bar_chart(
        "chart-gender",
        _("Registered households by gender"),
        [str(label) for label in Gender.labels],
        [Series(_("Households"), [households.genders[value] for value in Gender.values])],
        category_header=_("Gender"),
    )
    area_header = _("District") if all_districts else _("Neighbourhood (haengjeong-dong)")
    charts["area"] = bar_chart(
        "chart-area",
        _("Registered households by district")
        if all_districts
        else _("Registered households by neighbourhood (haengjeong-dong)"),
        [str(name) if name else _("Not given") for name, _n in households.areas],
        [Series(_("Households"), [n for _name, n in households.areas])],
        category_header=area_header,
    )

    statuses = [s for s in STATUS_ORDER if applications.by_status.get(s)]
    charts["applications"] = bar_chart(
        "chart-applications",
        _("Applications submitted in the period, by program and status"),
        [str(p.title) for p in applications.programs],
        [
            Series(str(ApplicationStatus(s).label), [p.by_status.get(s, 0) for p in applications.programs])
            for s in statuses
        ]
        or [Series(_("Applications"), [0 for _p in applications.programs])],
        category_header=_("Program"),
        stacked=True,
    )

    charts["applications"].columns += [_("Decided"), _("Approval rate")]
    for row, program in zip(charts["applications"].rows, applications.programs, strict=True):
        row += [number(program.decided), percent(program.approval_rate)]

    charts["sessions"] = bar_chart(
        "chart-sessions",
        _("Participants per program"),
        [str(p.title) for p in sessions.programs],
        [
            Series(_("Sessions"), [p.sessions for p in sessions.programs]),
            Series(_("Participants"), [p.participants for p in sessions.programs]),
        ],
        category_header=_("Program"),
    )

    months = kits.month_totals()
    charts["kits"] = line_chart(
        "chart-kits",
        _("Safety kit items requested and installed per month"),
        [f"{month:%Y-%m}" for month, _r, _i in months],
        [
            Series(_("Requested"), [r for _m, r, _i in months]),
            Series(_("Installed"), [i for _m, _r, i in months]),
        ],
        category_header=_("Month"),
    )

    charts["kit_items"] = bar_chart(
        "chart-kit-items",
        _("Safety kit items requested and installed, per item"),
        [str(item.name) for item in kits.items],
        [
            Series(_("Requested"), [item.requested for item in kits.items]),
            Series(_("Installed"), [item.installed for item in kits.items]),
        ],
        category_header=_("Item"),
    )
    charts["kit_items"].columns.append(_("In stock now"))
    for row, item in zip(charts["kit_items"].rows, kits.items, strict=True):
        row.append(number(item.stock))
    names = {item.item_id: str(item.name) for item in kits.items}
    month_rows = []
    for month in kits.months:
        for item_id, name in names.items():
            requested = kits.requested_by_month.get((item_id, month), 0)
            installed = kits.installed_by_month.get((item_id, month), 0)
            if requested or installed:
                month_rows.append([f"{month:%Y-%m}", name, number(requested), number(installed)])
    charts["kit_months"] = {
        "columns": [_("Month"), _("Item"), _("Requested"), _("Installed")],
        "rows": month_rows,
    }

    site_names = [f"{s.district} {s.name}" if all_districts else s.name for s in lockers.sites]
    charts["lockers"] = bar_chart(
        "chart-lockers",
        _("Parcels deposited and picked up, per locker site"),
        site_names,
        [
            Series(_("Deposited"), [s.deposited for s in lockers.sites]),
            Series(_("Picked up"), [s.picked_up for s in lockers.sites]),
        ],
        category_header=_("Locker site"),
    )

    utilization = [s.utilization for s in spaces.spaces]
    peak = max([u for u in utilization if u is not None] + [1.0])
    charts["spaces"] = bar_chart(
        "chart-spaces",
        _("Room utilization per space (booked hours / open hours)"),
        [str(s.name) for s in spaces.spaces],
        [Series(_("Utilization"), utilization)],
        category_header=_("Space"),
        fmt=percent,
        max_value=peak,
    )
    charts["spaces"].columns += [_("Booked hours"), _("Open hours"), _("No-show rate")]
    for row, space in zip(charts["spaces"].rows, spaces.spaces, strict=True):
        row += [
            number(round(space.booked_hours, 1)),
            number(round(space.open_hours, 1)),
            percent(space.no_show_rate),
        ]
    return charts
