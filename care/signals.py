"""What care tells the apps above it. The check-in sweep (and the other set-based check-in changes)
are single UPDATE/INSERT statements that send no post_save: they send `checkins_changed` instead, so
reports' dashboard cache forgets the care panel's check-in figures."""

from django.dispatch import Signal

# Sent with district_id (None: several or unknown districts), after the change's transaction commits.
checkins_changed = Signal()
