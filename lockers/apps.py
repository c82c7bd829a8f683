from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockersConfig(AppConfig):
    """Safe parcel lockers (무인택배함): sites, compartments, deliveries and kiosk pickup by code.

    A Django app of its own inside safety/ so its migrations stand apart from the safety kits'.
    """

    name = "lockers"
    label = "lockers"
    verbose_name = _("Parcel lockers")

    def ready(self) -> None:
        from .retention import register_retention

        # Its classes in the core's retention table (the core imports no app).
        register_retention()

        from portal.notifications import register_stuck_handler

        from . import receivers  # noqa: F401 - connects the account-deletion and phone-verified receivers
        from .services.reissue import CODE_TEMPLATES, delivery_code_reissue

        # A pickup-code text stuck mid-send is replaced by a new code, never sent again (the core's
        # reaper asks; it cannot import this app).
        for template in CODE_TEMPLATES:
            register_stuck_handler(template, delivery_code_reissue)
