from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafetyConfig(AppConfig):
    """Home-safety kits (안심홈세트) and parcel lockers (무인택배함): built in a later issue."""

    name = "safety"
    verbose_name = _("Safety")
