"""programs' answers to the events of the apps below it (connected in ProgramsConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from households.signals import account_deleting, household_changed
from portal import pagecache
from spaces.models import Booking
from spaces.signals import booking_rescheduled, series_booked

from . import services
from .models import ProgramSession


@receiver(account_deleting, dispatch_uid="programs.withdraw_applications_of_deleted_account")
def withdraw_applications(sender: Any, *, user, household, request=None, **kwargs: Any) -> None:
    services.applications_withdraw_for_deleted_account(user=user, household=household, request=request)
    if household is not None:
        services.outreach.outreach_forget_household(household=household)


@receiver(household_changed, dispatch_uid="programs.outreach_for_changed_household")
def outreach_for_changed_household(sender: Any, *, household, **kwargs: Any) -> None:
    services.outreach.outreach_household_changed(household)


@receiver(series_booked, dispatch_uid="programs.sessions_for_booked_series")
def sessions_for_series(sender: Any, *, series, bookings, **kwargs: Any) -> None:
    services.sessions_for_series(series=series, bookings=bookings)


@receiver(booking_rescheduled, dispatch_uid="programs.session_follows_its_booking")
def session_follows_booking(sender: Any, *, booking, **kwargs: Any) -> None:
    services.session_follow_booking(booking=booking)


@receiver(post_save, sender=Booking, dispatch_uid="programs.session_page_follows_its_booking")
def session_booking_saved(sender: Any, *, instance, created: bool, raw: bool = False, **kwargs: Any) -> None:
    """A program's page shows its sessions' rooms and whether each was called off: a change to a booking
    holding a session changes that page. (A new booking holds no session yet: series_booked makes them.)"""
    if created or raw:
        return
    if ProgramSession.objects.filter(booking_id=instance.pk).exists():
        pagecache.bump()
