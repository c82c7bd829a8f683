"""Events households announces, so the apps above it can react without households importing them.

Each receiver answers through its own app's services (its workflow, audit and history), never by
updating another app's rows directly.
"""

from django.dispatch import Signal

# Sent inside account_delete's transaction, before the user row is anonymized.
# kwargs: user, household (None when the user never made a profile), now, request.
account_deleting = Signal()

# Sent by account_data_export. kwargs: user, household (may be None). Each receiver returns a dict of
# sections to add to the download, e.g. {"bookings": [...]}.
account_data_requested = Signal()

# Sent inside phone_verification_confirm's transaction, once the resident proved the number is theirs:
# what waited for a verified number (a parcel's pickup code) can now be texted.
# kwargs: user, household, now, request.
phone_verified = Signal()

# Sent inside household_save's transaction when the profile's facts changed (and by the outreach opt-in):
# the apps above may look again at what the household now qualifies for. kwargs: household, fields.
household_changed = Signal()
