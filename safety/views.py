"""The resident's side of safety kits: the district's offer with an eligibility check, the request
form (items within the limit, 1–3 preferred visit times), the confirmation page with the reference,
and "My safety kit requests" with rescheduling, cancelling and the satisfaction survey.

Every rule lives in safety.services; these views turn form posts into service calls and service
refusals (SafetyError, or the profile check's HouseholdError: any DomainError) into form errors or
messages, so no bad input ends in a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from households.selectors import household_for
from portal.errors import DomainError
from portal.models import District

from .forms import ERROR_FIELDS, KitRequestForm, RescheduleForm, SurveyForm
from .models import OPEN_STATUSES, KitOffer, KitRequest, VisitStatus
from .selectors import offer_eligibility, offer_for, requests_of
from .services import (
    CANCELLABLE,
    kit_request_cancel,
    kit_request_submit,
    survey_submit,
    visit_reschedule_request,
)

PAGE_SIZE = 20


def _own(request: HttpRequest, pk: int) -> KitRequest:
    """One of the resident's own requests; anyone else's is "not found", never "forbidden"."""
    household = household_for(request.user)
    if household is None:
        raise Http404
    return get_object_or_404(requests_of(household), pk=pk)


def offer(request: HttpRequest) -> HttpResponse:
    """The kit offer of the resident's district (or of the district chosen, for visitors)."""
    household = household_for(request.user) if request.user.is_authenticated else None
    district_id = household.district_id if household else None
    if district_id is None and (request.GET.get("district") or "").isdigit():
        district = District.objects.filter(code=request.GET["district"]).first()
        district_id = district.pk if district else None
    kit_offer = offer_for(district_id)
    outcome = offer_eligibility(kit_offer, household) if kit_offer and household else None
    open_request = (
        KitRequest.objects.filter(household=household, status__in=OPEN_STATUSES).first()
        if household
        else None
    )
    others = (
        KitOffer.objects.filter(is_active=True).select_related("district__city").order_by("district__code")
        if district_id is None
        else []
    )
    return render(
        request,
        "safety/offer.html",
        {
            "offer": kit_offer,
            "household": household,
            "outcome": outcome,
            "open_request": open_request,
            "offers": others,
        },
    )


@login_required
def request_form(request: HttpRequest) -> HttpResponse:
    household = household_for(request.user)
    kit_offer = offer_for(household.district_id) if household else None
    if kit_offer is None or not kit_offer.is_active:
        messages.error(request, _("Your district is not taking safety kit requests now."))
        return redirect("safety:offer")
    open_request = KitRequest.objects.filter(household=household, status__in=OPEN_STATUSES).first()
    if open_request is not None:
        messages.info(request, _("You already have an open safety kit request: follow it here."))
        return redirect("safety:request_detail", pk=open_request.pk)
    form = KitRequestForm(
        request.POST if request.method == "POST" else None, offer=kit_offer, items=kit_offer.offered_items
    )
    if request.method == "POST" and form.is_valid():
        try:
            kit_request = kit_request_submit(
                user=request.user, item_ids=form.cleaned_data["items"], windows=form.windows, request=request
            )
        except DomainError as error:
            form.add_error(ERROR_FIELDS.get(error.code), error.message)
        else:
            return redirect("safety:request_submitted", pk=kit_request.pk)
    outcome = offer_eligibility(kit_offer, household)
    return render(request, "safety/request_form.html", {"offer": kit_offer, "form": form, "outcome": outcome})


@login_required
def request_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "safety/submitted.html", {"kit_request": _own(request, pk)})


@login_required
def request_list(request: HttpRequest) -> HttpResponse:
    household = household_for(request.user)
    requests = requests_of(household) if household else KitRequest.objects.none()
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "safety/list.html", {"page_obj": page, "kit_requests": page.object_list, "querystring": ""}
    )


def _detail(request: HttpRequest, kit_request: KitRequest, **forms) -> HttpResponse:
    visits = list(kit_request.visits.all())
    current = next(
        (v for v in visits if v.status in (VisitStatus.SCHEDULED, VisitStatus.RESCHEDULE_REQUESTED)), None
    )
    survey = getattr(kit_request, "survey", None)
    context = {
        "kit_request": kit_request,
        "visits": visits,
        "current_visit": current,
        "can_cancel": kit_request.status in CANCELLABLE,
        "can_reschedule": current is not None and current.status == VisitStatus.SCHEDULED,
        "survey": survey,
        "can_survey": kit_request.status == "installed" and survey is None,
        "reschedule_form": forms.get("reschedule_form") or RescheduleForm(),
        "survey_form": forms.get("survey_form") or SurveyForm(),
    }
    return render(request, "safety/detail.html", context, status=forms.get("status", 200))


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own(request, pk))


@login_required
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    kit_request = _own(request, pk)
    if request.method == "POST":
        try:
            kit_request_cancel(user=request.user, kit_request=kit_request, request=request)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Your safety kit request is cancelled."))
        return redirect("safety:request_detail", pk=kit_request.pk)
    return render(request, "safety/cancel.html", {"kit_request": kit_request})


@login_required
def request_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    kit_request = _own(request, pk)
    if request.method != "POST":
        return redirect("safety:request_detail", pk=pk)
    form = RescheduleForm(request.POST)
    if form.is_valid():
        try:
            visit_reschedule_request(
                user=request.user, kit_request=kit_request, note=form.cleaned_data["note"]
            )
        except DomainError as error:
            form.add_error("note", error.message)
        else:
            messages.success(
                request, _("We told the district. They will schedule a new visit and let you know.")
            )
            return redirect("safety:request_detail", pk=pk)
    return _detail(request, kit_request, reschedule_form=form, status=400)


@login_required
def request_survey(request: HttpRequest, pk: int) -> HttpResponse:
    kit_request = _own(request, pk)
    if request.method != "POST":
        return redirect("safety:request_detail", pk=pk)
    form = SurveyForm(request.POST)
    if form.is_valid():
        try:
            survey_submit(
                user=request.user,
                kit_request=kit_request,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you for answering the survey."))
            return redirect("safety:request_detail", pk=pk)
    return _detail(request, kit_request, survey_form=form, status=400)
