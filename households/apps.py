from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from portal.notifications import register_stuck_handler

        from . import (
            receivers,  # noqa: F401 - connects the account-deletion receiver
            sessions,  # noqa: F401  (records each login's session for the sessions page)
        )
        from .phone import verification_code_stuck
        from .retention import register_retention

        # A verification text stuck mid-send is cancelled (its code blanked), never repeated blindly.
        register_stuck_handler("phone.verification_code", verification_code_stuck)

        # Its classes in the core's retention table (the core imports no app).
        register_retention()
