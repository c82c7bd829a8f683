"""Outreach pages: the resident's choices (/accounts/outreach/) and the unsubscribe link, which works
without logging in (/outreach/unsubscribe/<token>/).

The link's GET only shows a page with one button: mail scanners and link previews open links, and must
not unsubscribe anyone. The button POSTs; so does a mail client's RFC 8058 one-click unsubscribe
(List-Unsubscribe-Post: List-Unsubscribe=One-Click), which carries no CSRF token and no cookie — the
signed token in the address is the authority, so the view is exempt from the CSRF check.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from .forms import OutreachForm
from .models import Household
from .outreach import (
    OutreachError,
    household_for_unsubscribe_token,
    outreach_opt_in,
    outreach_opt_out,
    outreach_opted_in,
    outreach_status,
)


@login_required
def outreach_settings(request: HttpRequest) -> HttpResponse:
    household = (
        Household.objects.select_related("user").filter(user=request.user, anonymized_at__isnull=True).first()
    )
    if household is None:
        return redirect("households:profile_edit")
    status = outreach_status(household)
    initial = {
        "outreach": "yes" if status["opted_in"] else "no",
        "by_email": status["by_email"],
        "by_sms": status["by_sms"],
        "cadence": status["cadence"],
        "weekly_limit": status["weekly_limit"],
    }
    form = OutreachForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["outreach"] == "yes":
            try:
                outreach_opt_in(
                    user=request.user,
                    by_email=data["by_email"],
                    by_sms=data["by_sms"],
                    cadence=data["cadence"],
                    weekly_limit=data["weekly_limit"],
                    request=request,
                )
            except OutreachError as error:
                for field, errors in (error.by_field() or {None: [error.message]}).items():
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
            else:
                messages.success(request, _("Saved: we will tell you about programs you may qualify for."))
                return redirect("households:outreach")
        else:
            outreach_opt_out(user=request.user, request=request, source="web")
            messages.success(
                request, _("Saved: we will not write to you about programs you may qualify for.")
            )
            return redirect("households:outreach")
    return render(
        request, "households/outreach.html", {"form": form, "household": household, "status": status}
    )


@never_cache
@csrf_exempt
@require_http_methods(["GET", "POST"])
def outreach_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    household = household_for_unsubscribe_token(token)
    if household is None:
        return render(request, "households/outreach_unsubscribe_invalid.html", status=400)
    if request.method == "POST":
        outreach_opt_out(household=household, request=request, source="link")
        return render(request, "households/outreach_unsubscribe.html", {"done": True})
    return render(
        request,
        "households/outreach_unsubscribe.html",
        {"done": False, "opted_in": outreach_opted_in(household)},
    )
