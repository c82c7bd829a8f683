"""The resident's private calendar feed: making and revoking its address, and the feed itself."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ..ical import calendar_for
from ..models import Booking, CalendarFeed
from ..services import calendar_feed_create, calendar_feed_revoke, calendar_feed_user
from .common import ics_response

FEED_DAYS_BACK = 60


# --- the private calendar feed -----------------------------------------------------------------------


def _feed_addresses(token: str) -> dict[str, str]:
    https = f"{settings.SITE_URL.rstrip('/')}{reverse('spaces:feed', args=[token])}"
    return {"feed_url": https, "webcal_url": "webcal://" + https.split("://", 1)[-1]}


@login_required
def calendar_feed(request: HttpRequest) -> HttpResponse:
    """Make (or replace) and revoke the resident's private feed address. The address is shown once,
    in the answer to the POST that makes it: only its hash is kept."""
    addresses: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "revoke":
            if calendar_feed_revoke(user=request.user):
                messages.success(
                    request, _("Your calendar feed address is turned off. Calendars using it stop updating.")
                )
            return redirect("spaces:calendar_feed")
        if action != "create":
            return redirect("spaces:calendar_feed")
        addresses = _feed_addresses(calendar_feed_create(user=request.user))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    response = render(request, "spaces/calendar_feed.html", {"feed": feed, **addresses})
    if addresses:
        response["Cache-Control"] = "no-store"  # the address is a secret: never keep the page
    return response


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed a calendar app polls: no login, the token is the key. Unknown or revoked: not found."""
    user = calendar_feed_user(token)
    if user is None:
        raise Http404
    since = timezone.now() - timedelta(days=FEED_DAYS_BACK)
    bookings = (
        Booking.objects.filter(household__user_id=user.pk, starts_at__gte=since)
        .select_related("room__space")
        .order_by("starts_at", "pk")
    )
    response = ics_response(
        calendar_for(bookings, name=_("Hana: my community space bookings")),
        "hana-bookings.ics",
        attachment=False,
    )
    response["Cache-Control"] = "private, max-age=900"
    return response
