"""Public catalog pages and the resident's eligibility pages."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from households.selectors import household_for
from portal import pagecache
from portal.pagecache import shared_page
from spaces.models import BookingStatus

from ..eligibility import Verdict
from ..filters import ProgramFilter
from ..models import Category, ProgramSession
from ..selectors import (
    eligibility_for,
    household_outcomes,
    household_verdicts,
    new_for_you,
    programs_for_household,
    public_programs,
)
from .applications import apply_panel

PAGE_SIZE = 12
UPCOMING_SESSIONS = 10
# A session whose room booking ended in these statuses did not take place.
CALLED_OFF = (BookingStatus.CANCELLED, BookingStatus.REJECTED)


# What the catalog reads of its address; the shared cache's key ignores anything else.
CATALOG_PARAMS = (*ProgramFilter.base_filters, "page")


@shared_page(params=CATALOG_PARAMS)
def catalog(request: HttpRequest) -> HttpResponse:
    """Anonymous visitors get the whole page from the shared cache. Logged-in ones get the filters and
    results from it too (the same for everyone at this address) inside their own header and menu, with
    their eligibility tags put in the cards' places: what is rendered for them is only what is theirs."""
    main = pagecache.fragment(request, "catalog", lambda: _catalog_main(request))
    verdicts = household_verdicts(request.user) if request.user.is_authenticated else None
    return render(
        request,
        "programs/catalog.html",
        {"main": mark_safe(with_eligibility(main["html"], verdicts)), "has_errors": main["has_errors"]},  # noqa: S308 - rendered by our template
    )


def _catalog_main(request: HttpRequest) -> dict:
    filterset = ProgramFilter(request.GET, queryset=public_programs())
    # An invalid filter value (a hand-edited URL) is reported next to its field and ignored; the
    # valid ones still apply. Never a 500.
    programs = filterset.qs
    page = Paginator(programs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()  # the filters, for the pagination links
    query.pop("page", None)
    folded = [name for name in ProgramFilter.base_filters if name != "q"]
    html = render_to_string(
        "programs/_catalog_main.html",
        {
            "more_filters_open": bool(filterset.form.errors) or any(request.GET.get(name) for name in folded),
            "filter": filterset,
            "page_obj": page,
            "programs": page.object_list,
            "querystring": query.urlencode(),
            "categories": Category.choices,
        },
        request=request,
    )
    return {"html": html, "has_errors": bool(filterset.form.errors)}


_SLOT = re.compile(r"<!--eligibility:(\d+)-->")
_TAG = '<p class="card__eligibility"><strong class="status-tag status-tag--{}">{}</strong></p>\n'


def with_eligibility(html: str, verdicts: dict[int, str] | None) -> str:
    """Fill the cards' eligibility places (fragments.eligibility_slot) with a household's verdicts: a tag
    where it may qualify or where its profile does not say enough, nothing elsewhere or for anyone else.
    The verdicts are judged once per household and rules generation (selectors.household_verdicts)."""
    if verdicts is None:
        return _SLOT.sub("", html)
    tags = {
        Verdict.ELIGIBLE: format_html(_TAG, "eligible", _("You may qualify")),
        Verdict.NEEDS_INFO: format_html(_TAG, "needs_info", _("Your profile does not say enough to check")),
    }

    def tag(match: re.Match) -> str:
        return tags.get(verdicts.get(int(match.group(1))), "")

    return _SLOT.sub(tag, html)


@shared_page()
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    program = get_object_or_404(
        public_programs().prefetch_related("officials", "milestones"),
        pk=pk,
    )
    household = household_for(request.user)
    outcome = None
    if household is not None:  # judged already if it is open to the household (selectors.household_outcomes)
        outcome = household_outcomes(household).get(program.pk) or eligibility_for(
            program=program, household=household
        )
    return render(
        request,
        "programs/detail.html",
        {
            "program": program,
            "household": household,
            "outcome": outcome,
            **apply_panel(request, program),
            **program_sessions(request, program),
        },
    )


def program_sessions(request: HttpRequest, program) -> dict:
    """The next sessions (one query, place and time from their room booking) and what the past ones
    add up to (one more)."""
    now = timezone.now()
    sessions = ProgramSession.objects.filter(program=program)
    upcoming = list(
        sessions.filter(ends_at__gt=now)
        .select_related("booking__room__space")
        .order_by("starts_at", "pk")[:UPCOMING_SESSIONS]
    )
    for session in upcoming:
        session.program = program  # its display_title falls back to the program's: no query per session
    if upcoming:  # the first session to end leaves this list and joins the count of past ones
        pagecache.holds_until(request, min(session.ends_at for session in upcoming))
    past = (
        sessions.filter(ends_at__lte=now)
        .exclude(booking__status__in=CALLED_OFF)
        .aggregate(count=Count("pk"), participants=Sum("participants"))
    )
    return {
        "upcoming_sessions": upcoming,
        "past_session_count": past["count"],
        "past_participants": past["participants"] or 0,
    }


@login_required
def may_qualify(request: HttpRequest) -> HttpResponse:
    household = household_for(request.user)
    results, needs_info = programs_for_household(household=household) if household else ([], [])
    return render(
        request,
        "programs/may_qualify.html",
        {
            "household": household,
            "results": results,
            "needs_info": needs_info,
            "new_for_you": new_for_you(household),
        },
    )
