"""Hana's django-allauth adapter: residents sign up as residents, throttles count the real client,
and every link in an account email points at SITE_URL.

Verification (ACCOUNT_EMAIL_VERIFICATION = "mandatory") is enforced at sign-up only: a new account is
not logged in until its link is opened, so signing up with a taken address (the owner is emailed)
answers exactly like signing up with a new one. Logging in later does not wait for it
(households.account_stages): an unverified resident may log in and look around, and is refused
only when applying, booking or requesting a kit (households.services.applicant_household).

Links: allauth builds them from the request's host, which behind a proxy (or in a task) is not the
address residents use; the rest of Hana's emails link to SITE_URL, so these do too.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from portal.clientip import client_ip
from portal.models import User


def site_url(url: str) -> str:
    """``url`` (absolute or a path) on SITE_URL's scheme and host."""
    site = urlsplit(settings.SITE_URL)
    bits = urlsplit(url)
    return urlunsplit((site.scheme, site.netloc, bits.path, bits.query, bits.fragment))


class HanaAccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self) -> list[str]:
        stage = "allauth.account.stages.EmailVerificationStage"
        return [
            "households.account_stages.SignupEmailVerificationStage" if path == stage else path
            for path in super().get_login_stages()
        ]

    def get_email_verification_redirect_url(self, email_address) -> str:
        # Confirmed (and logged in, in the browser that signed up): on to the household profile,
        # which asks for the household first when there is none.
        return reverse("households:profile")

    def get_client_ip(self, request: HttpRequest) -> str:
        # The same address axes locks out and the audit log records (TRUSTED_PROXY_COUNT).
        return client_ip(request) or request.META.get("REMOTE_ADDR", "")

    def save_user(self, request, user, form, commit=True):
        # Only residents sign up; staff accounts are made by a city admin.
        user.role = User.Role.RESIDENT
        return super().save_user(request, user, form, commit=commit)

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return site_url(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return site_url(super().get_reset_password_from_key_url(key))

    def send_account_already_exists_mail(self, email: str) -> None:
        self.send_mail(
            "account/email/account_already_exists",
            email,
            {
                "signup_url": site_url(reverse("account_signup")),
                "password_reset_url": site_url(reverse("account_reset_password")),
            },
        )
