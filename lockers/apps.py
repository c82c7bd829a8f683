from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LockersConfig(AppConfig):
    """Safe parcel lockers (무인택배함): sites, compartments, deliveries and kiosk pickup by code.

    A Django app of its own inside safety/ so its migrations stand apart from the safety kits'.
    """

    name = "lockers"
    label = "lockers"
    verbose_name = _("Parcel lockers")
