"""The resident's side of inquiries: ask (optionally about one of their own records), follow the thread
("answer expected by …"), add to it and rate the answer; and the public monthly figures page.

Every rule lives in inquiries.services; refusals become form errors, so no bad input ends in a 500.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import pagecache
from portal.errors import DomainError
from portal.models import District
from portal.timeutils import local_today

from .figures import monthly_figures
from .forms import ERROR_FIELDS, FollowUpForm, InquiryForm, RatingForm
from .models import Inquiry
from .selectors import inquiries_of, resident_context, subject_from_param
from .services import inquiry_follow_up, inquiry_rate, inquiry_submit

PAGE_SIZE = 20
FIGURE_MONTHS = 12
FIGURES_HOLD = timedelta(minutes=10)


def _own(request: HttpRequest, pk: int) -> Inquiry:
    return get_object_or_404(inquiries_of(request.user), pk=pk)


def _refuse(form, error: DomainError) -> None:
    form.add_error(
        ERROR_FIELDS.get(error.code) if ERROR_FIELDS.get(error.code) in form.fields else None, error.message
    )


@login_required
def inquiry_form(request: HttpRequest) -> HttpResponse:
    """The question form. ?about=<kind>:<id> (the "Ask about this" link of an application, booking, kit
    request or parcel page) preselects that record if it is the resident's own; any other value is
    ignored without a word, so the page says nothing about other people's records. On a POST the chosen
    record is resolved the same way, so one no longer under way stays a valid choice."""
    posted = request.method == "POST"
    about = subject_from_param(
        request.user, request.POST.get("subject") if posted else request.GET.get("about")
    )
    form = InquiryForm(
        request.POST if posted else None, context_rows=resident_context(request.user), about=about
    )
    if request.method == "POST" and form.is_valid():
        kind, pk = form.subject_parts()
        try:
            inquiry = inquiry_submit(
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                topic=form.cleaned_data["topic"],
                subject_kind=kind,
                subject_id=pk,
                request=request,
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(
                request, _("Your inquiry %(reference)s was sent.") % {"reference": inquiry.reference}
            )
            return redirect("inquiries:detail", pk=inquiry.pk)
    return render(request, "inquiries/form.html", {"form": form})


@login_required
def inquiry_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(inquiries_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "inquiries/list.html", {"page_obj": page, "inquiries": page.object_list, "querystring": ""}
    )


def _detail(
    request: HttpRequest, inquiry: Inquiry, *, follow_up=None, rating=None, status=200
) -> HttpResponse:
    return render(
        request,
        "inquiries/detail.html",
        {
            "inquiry": inquiry,
            "thread": inquiry.messages.all(),
            "follow_up_form": follow_up or FollowUpForm(),
            "rating_form": rating or RatingForm(),
        },
        status=status,
    )


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own(request, pk))


@login_required
@require_POST
def inquiry_follow_up_view(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _own(request, pk)
    form = FollowUpForm(request.POST)
    if form.is_valid():
        try:
            inquiry_follow_up(
                user=request.user, inquiry_id=inquiry.pk, body=form.cleaned_data["body"], request=request
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Your message was added."))
            return redirect("inquiries:detail", pk=inquiry.pk)
    return _detail(request, inquiry, follow_up=form, status=400)


@login_required
@require_POST
def inquiry_rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    inquiry = _own(request, pk)
    form = RatingForm(request.POST)
    if form.is_valid():
        try:
            inquiry_rate(
                user=request.user,
                inquiry_id=inquiry.pk,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except DomainError as error:
            _refuse(form, error)
        else:
            messages.success(request, _("Thank you for rating the answer."))
            return redirect("inquiries:detail", pk=inquiry.pk)
    return _detail(request, inquiry, rating=form, status=400)


def _month_range(today: date, months: int) -> tuple[date, date]:
    year, month = today.year, today.month - (months - 1)
    while month <= 0:
        month += 12
        year -= 1
    return date(year, month, 1), today


@pagecache.shared_page(params=("district",))
def figures(request: HttpRequest) -> HttpResponse:
    """Public: each district's monthly figure of the promise (no personal data). Served from the shared page
    cache for at most FIGURES_HOLD: inquiries change all day long, and watching them would bump the one
    page-cache version and throw away every public page of the site with each question asked."""
    pagecache.holds_until(request, timezone.now() + FIGURES_HOLD)
    districts = District.objects.order_by("code")
    chosen = request.GET.get("district") or ""
    selected = districts.filter(code=chosen) if chosen.isdigit() else None
    if chosen and not (selected is not None and selected.exists()):
        raise Http404
    start, end = _month_range(local_today(), FIGURE_MONTHS)
    rows = monthly_figures(start=start, end=end, districts=selected)
    return render(
        request,
        "inquiries/figures.html",
        {"figures": rows, "districts": districts, "chosen": chosen, "answer_hours": 48},
    )
