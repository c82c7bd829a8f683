from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Community spaces, rooms and bookings: built in a later issue."""

    name = "spaces"
    verbose_name = _("Community spaces")
