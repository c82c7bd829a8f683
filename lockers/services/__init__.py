"""Parcel lockers' business rules, as plain functions: views, the admin, the API and tasks call these.

Modules: base (LockerError, the code hash, the district's fee policy), registration (signing up for a
site), deposit (a parcel in, the code out by text message), pickup (the kiosk, and unlocking a
compartment), devices (kiosk tokens), holding (reminders, overdue parcels, returns).
"""

from .base import LockerError, code_hash, fee_due, free_until, hold_until, policy_for
from .deposit import delivery_deposit
from .devices import device_create, device_for_token, token_hash
from .holding import delivery_mark_returned, locker_overdue_due, locker_reminders_due
from .pickup import compartment_unlock, pickup_by_code
from .registration import locker_register

__all__ = [
    "LockerError",
    "code_hash",
    "compartment_unlock",
    "delivery_deposit",
    "delivery_mark_returned",
    "device_create",
    "device_for_token",
    "fee_due",
    "free_until",
    "hold_until",
    "locker_overdue_due",
    "locker_register",
    "locker_reminders_due",
    "pickup_by_code",
    "policy_for",
    "token_hash",
]
