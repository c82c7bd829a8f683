from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """Home-safety kits (안심홈세트): catalog, stock per district, requests and installation visits.

    Parcel lockers are the app `lockers`, one layer below: they never import safety.
    """

    name = "safety"
    verbose_name = _("Safety")

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the account-deletion receiver
