"""Staff side of care: the counselling setup (services, counsellors, hours, leave), counsellors' calendar
and confidential notes, check-in enrolments and the caseworkers' board of open check-in tasks.

Nothing here decides anything: bookings, notes, enrolments and task outcomes go through care.services.
Querysets are scoped by district (visible_to); notes by SessionNote.objects.readable_by, which no
permission widens (a superuser browsing the admin sees no note)."""

from . import bans, checkins, counselling  # noqa: F401
