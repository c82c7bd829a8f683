"""The "verify your phone" page: send a code to the profile's number, type it back, ask for another.

Kept apart from views.py (sign-up and login live there). The page calls households.phone's services;
every refusal (throttle, wrong or expired code) is shown in the error summary with the code typed kept.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Household
from .phone import PhoneVerificationError, phone_verification_confirm, phone_verification_start


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Verification code"),
        max_length=20,
        help_text=gettext_lazy("The 6 digits in the text message we sent you."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


@login_required
def phone_verify(request: HttpRequest) -> HttpResponse:
    household = Household.objects.filter(user=request.user, anonymized_at__isnull=True).first()
    if household is None:
        return redirect("households:profile_edit")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = PhoneCodeForm(request.POST if action == "confirm" else None)
    if action == "send":
        try:
            phone_verification_start(user=request.user, request=request)
        except PhoneVerificationError as error:
            # The code box stays empty (nothing was typed in it); the refusal goes to the error summary.
            # add_error() needs cleaned_data, which an unbound form never gets.
            form.cleaned_data = {}
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("We sent a code to %(phone)s. It is valid for %(minutes)d minutes.")
                % {"phone": household.phone, "minutes": settings.PHONE_CODE_TTL_MINUTES},
            )
            return redirect("households:phone_verify")
    elif action == "confirm" and form.is_valid():
        try:
            phone_verification_confirm(user=request.user, code=form.cleaned_data["code"], request=request)
        except PhoneVerificationError as error:
            for field, errors in (error.by_field() or {None: [error.message]}).items():
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, _("Your mobile number is verified."))
            return redirect("households:profile")
    elif request.method == "POST" and action not in ("send", "confirm"):
        form.cleaned_data = {}
        form.add_error(None, _("Choose to send a code or to confirm one."))
    return render(request, "households/phone_verify.html", {"household": household, "form": form})
