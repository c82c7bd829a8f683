"""Staff side of community spaces: spaces with their rooms, hours and closures; the district's booking
policy; the booking review queue; staff booking series; no-show bans; a calendar of each space.

Nothing here changes a booking by itself: approvals, refusals, attendance, cancellations, series and
lifting a ban all go through spaces.services (transition table, locks, audit events, notifications).
Every queryset is scoped with `visible_to` (portal.scoping), so district staff see their own district's
spaces only and another district's row answers "doesn't exist", as Django's change view does.

Times: bookings are stored in UTC and shown in Asia/Seoul (portal.timeutils.to_local); opening hours and
closures are local wall-clock times and dates already.

Modules: common (shared helpers), setup (spaces, rooms, hours, closures, policy, the space calendar),
bookings (the review queue), series (staff series), suspensions (no-show bans). Importing them registers
their ModelAdmins.
"""

from . import bookings, series, setup, suspensions  # noqa: F401
