from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """Home-safety kits (안심홈세트): catalog, stock per district, requests and installation visits.

    Parcel lockers live in the nested app safety.lockers.
    """

    name = "safety"
    verbose_name = _("Safety")
