from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpacesConfig(AppConfig):
    """Community spaces, rooms, opening hours, bookings, series and no-show bans."""

    name = "spaces"
    verbose_name = _("Community spaces")

    def ready(self) -> None:
        from .retention import register_retention

        # Its classes in the core's retention table (the core imports no app).
        register_retention()

        from portal import pagecache

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import BookingPolicy, Closure, OpeningHours, Room, Space

        # What the public spaces pages show (and the rooms that program pages name for their sessions).
        pagecache.watch(Space, Room, OpeningHours, Closure, BookingPolicy)
