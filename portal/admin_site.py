"""The admin site with optional 2-step login (django-otp, TOTP), switched by STAFF_OTP_REQUIRED.

`portal.apps.HanaAdminConfig` makes it the default admin site, so every ModelAdmin registered on
`admin.site` is covered. With the setting on it behaves as django-otp's OTPAdminSite (the login form
asks for the token; a staff member whose session was not verified by a device is treated as not
staff); with it off, as Django's plain AdminSite. The setting is read per request rather than once at
start-up so that a test, or override_settings, sees the behaviour it sets.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.admin import AdminSite
from django.http import HttpRequest
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class HanaAdminSite(OTPAdminSite):
    @property
    def login_form(self):
        # None lets AdminSite.login() fall back to Django's AdminAuthenticationForm.
        return OTPAdminAuthenticationForm if settings.STAFF_OTP_REQUIRED else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.STAFF_OTP_REQUIRED else None

    def has_permission(self, request: HttpRequest) -> bool:
        if settings.STAFF_OTP_REQUIRED:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)
