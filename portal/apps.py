from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    default = True  # this module also holds HanaAdminConfig
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            heartbeat,  # noqa: F401 - registers the heartbeat task in every process
        )
        from .choices import forget_choices
        from .models import City, District
        from .roles import ensure_role_groups
        from .staff_session import start_clock_on_login

        user_logged_in.connect(start_clock_on_login, dispatch_uid="hana.staff_session_clock")

        # The remembered district list (portal.choices) is dropped when a city or district changes.
        for model in (City, District):
            for signal in (post_save, post_delete):
                uid = f"hana.forget_choices.{model.__name__}.{signal is post_save}"
                signal.connect(forget_choices, sender=model, dispatch_uid=uid)

        # Permissions exist only after migrate has run, so the role groups are synced there.
        post_migrate.connect(ensure_role_groups, dispatch_uid="hana.ensure_role_groups")


class HanaAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with Hana's site as the default one (Django's documented way to replace it):
    staff 2-step login (django-otp) when STAFF_OTP_REQUIRED is on, for every ModelAdmin on admin.site."""

    default = False  # "portal" alone still means PortalConfig
    default_site = "portal.admin_site.HanaAdminSite"
