from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from django.contrib import admin
        from django.contrib.auth.signals import user_logged_in

        from .admin_site import HanaAdminSite
        from .roles import ensure_role_groups
        from .staff_session import start_clock_on_login

        # Staff 2-step login: the default site (already holding every registration) becomes an
        # OTPAdminSite that requires a verified device when STAFF_OTP_REQUIRED is on.
        admin.site.__class__ = HanaAdminSite
        user_logged_in.connect(start_clock_on_login, dispatch_uid="hana.staff_session_clock")

        # Permissions exist only after migrate has run, so the role groups are synced there.
        post_migrate.connect(ensure_role_groups, dispatch_uid="hana.ensure_role_groups")
