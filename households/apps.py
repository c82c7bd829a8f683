from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Households")

    def ready(self) -> None:
        from .retention import register_retention

        # Its classes in the core's retention table (the core imports no app).
        register_retention()
