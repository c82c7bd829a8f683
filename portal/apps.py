from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal core")

    def ready(self) -> None:
        from .roles import ensure_role_groups

        # Permissions exist only after migrate has run, so the role groups are synced there.
        post_migrate.connect(ensure_role_groups, dispatch_uid="hana.ensure_role_groups")
