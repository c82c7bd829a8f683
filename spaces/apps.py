from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Community spaces, rooms, opening hours, bookings, series and no-show bans."""

    name = "spaces"
    verbose_name = _("Community spaces")

    def ready(self) -> None:
        from portal import pagecache

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import BookingPolicy, Closure, OpeningHours, Room, Space

        # What the public spaces pages show (and the rooms that program pages name for their sessions).
        pagecache.watch(Space, Room, OpeningHours, Closure, BookingPolicy)
