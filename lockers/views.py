"""The resident's pages for parcel lockers: the sites (a map-free, accessible list with free
compartments per size), registering for a site, and "My parcels". Pickup codes are never shown here:
they exist only in the text message."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import IN_COMPARTMENT, Delivery, LockerRegistration, LockerSite
from .selectors import sites_with_availability
from .services import LockerError, fee_due, free_until, locker_register, policy_for

PAGE_SIZE = 20


def site_list(request: HttpRequest) -> HttpResponse:
    sites = sites_with_availability().order_by("district__code", "name", "pk")
    page = Paginator(sites, PAGE_SIZE).get_page(request.GET.get("page"))
    registered: set[int] = set()
    if request.user.is_authenticated:
        registered = set(
            LockerRegistration.objects.filter(user=request.user).values_list("site_id", flat=True)
        )
    return render(
        request,
        "lockers/sites.html",
        {"page_obj": page, "sites": page.object_list, "registered": registered, "querystring": ""},
    )


@login_required
@require_POST
def register(request: HttpRequest, pk: int) -> HttpResponse:
    site = get_object_or_404(LockerSite, pk=pk, is_active=True)
    try:
        locker_register(user=request.user, site=site, request=request)
    except LockerError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "You are registered for %(site)s. "
                "When a parcel arrives, the pickup code comes by text message."
            )
            % {"site": site.name},
        )
    return redirect("lockers:sites")


@login_required
def my_parcels(request: HttpRequest) -> HttpResponse:
    rows = (
        Delivery.objects.filter(recipient=request.user)
        .select_related("compartment__site")
        .order_by("-deposited_at", "-pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    policies: dict[int, object] = {}
    parcels = []
    for delivery in page.object_list:
        if delivery.district_id not in policies:
            policies[delivery.district_id] = policy_for(delivery.district_id)
        policy = policies[delivery.district_id]
        waiting = delivery.status in IN_COMPARTMENT
        parcels.append(
            {
                "delivery": delivery,
                "waiting": waiting,
                "free_until": free_until(delivery, policy),
                "fee": fee_due(deposited_at=delivery.deposited_at, at=now, policy=policy)
                if waiting
                else (delivery.fee_charged or 0),
                "daily_fee": policy.daily_fee,
            }
        )
    return render(request, "lockers/parcels.html", {"page_obj": page, "parcels": parcels, "querystring": ""})
