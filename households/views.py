"""Resident account pages: household profile, consents, data download and account deletion.

Sign-up, login, logout, email verification, password reset and sessions are django-allauth's
(households.accounts is its adapter)."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .forms import HouseholdForm, PasswordConfirmForm
from .models import Consent, Household
from .outreach import outreach_opted_in
from .phone import phone_needs_verification
from .services import (
    ConsentRequired,
    account_data_export,
    account_delete,
    active_consents,
    consent_give,
    consent_withdraw,
    household_save,
)


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    household = (
        Household.objects.select_related("district__city", "neighbourhood").filter(user=request.user).first()
    )
    if household is None:
        return redirect("households:profile_edit")
    return render(
        request,
        "households/profile.html",
        {
            "household": household,
            "consents": Consent.objects.filter(user=request.user),
            "outreach_on": outreach_opted_in(household),
        },
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    household = Household.objects.filter(user=request.user).first()
    given = active_consents(user=request.user)
    form = HouseholdForm(request.POST or None, instance=household, given_consents=given)
    if request.method == "POST" and form.is_valid():
        try:
            saved = household_save(
                user=request.user, data=form.cleaned_data, consents=form.ticked_consents(), request=request
            )
        except ConsentRequired:
            form.add_error("consent_profile", _("We can keep your profile only with this consent."))
        else:
            messages.success(request, _("Your household profile is saved."))
            if household is not None and "phone" in form.changed_data and phone_needs_verification(saved):
                # A changed number is verified before use (a new profile's notice is on the profile page).
                return redirect("households:phone_verify")
            return redirect("households:profile")
    return render(request, "households/profile_form.html", {"form": form, "creating": household is None})


@login_required
def consents(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        purpose = request.POST.get("purpose", "")
        action = request.POST.get("action", "")
        if (
            purpose not in Consent.Purpose.values
            or purpose == Consent.Purpose.PROFILE
            or action
            not in {
                "give",
                "withdraw",
            }
        ):
            messages.error(request, _("That consent cannot be changed here."))
        elif action == "give":
            consent_give(user=request.user, purpose=purpose, request=request)
            messages.success(request, _("Thank you: your consent is recorded."))
        else:
            consent_withdraw(user=request.user, purpose=purpose, request=request)
            messages.success(request, _("Your consent is withdrawn."))
        return redirect("households:consents")
    rows = Consent.objects.filter(user=request.user).order_by("purpose", "-given_at")
    active = {c.purpose for c in rows if c.withdrawn_at is None}
    purposes = [
        {
            "value": value,
            "label": label,
            "active": value in active,
            "required": value == Consent.Purpose.PROFILE,
        }
        for value, label in Consent.Purpose.choices
    ]
    return render(request, "households/consents.html", {"purposes": purposes, "history": rows})


@login_required
def data_export(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "households/data_export.html")
    data = account_data_export(user=request.user, request=request)
    body = json.dumps(data, ensure_ascii=False, indent=2, cls=DjangoJSONEncoder)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"hana-my-data-{timezone.localdate():%Y%m%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def account_delete_view(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        account_delete(user=request.user, request=request)
        logout(request)
        messages.success(request, _("Your account is deleted and your personal data erased."))
        return redirect("home")
    return render(request, "households/account_delete.html", {"form": form})
