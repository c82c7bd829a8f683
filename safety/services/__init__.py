"""Every business rule of the safety app, as plain functions: views, the admin, the API, tasks and the
demo loader all call these.

Modules: base (SafetyError, the kit request's transition table and workflow), requests (submit, cancel,
survey, approve, reject), visits (schedule, outcome, the resident's reschedule request), stock (receipts,
adjustments, reservations and the low-stock alert).
"""

from .base import (
    CANCELLABLE,
    DECISION_PROMISE,
    MAX_WINDOWS,
    SLOT_TIMES,
    STAFF_ACTIONS,
    TRANSITIONS,
    SafetyError,
    kit_request_flow,
)
from .requests import (
    active_offer,
    clean_windows,
    kit_request_approve,
    kit_request_cancel,
    kit_request_decide,
    kit_request_reject,
    kit_request_submit,
    priority_of,
    survey_submit,
)
from .stock import stock_adjust, stock_low_alert, stock_receive
from .visits import visit_complete, visit_reschedule_request, visit_schedule

__all__ = [
    "CANCELLABLE",
    "DECISION_PROMISE",
    "MAX_WINDOWS",
    "SLOT_TIMES",
    "STAFF_ACTIONS",
    "TRANSITIONS",
    "SafetyError",
    "active_offer",
    "clean_windows",
    "kit_request_flow",
    "kit_request_approve",
    "kit_request_cancel",
    "kit_request_decide",
    "kit_request_reject",
    "kit_request_submit",
    "priority_of",
    "stock_adjust",
    "stock_low_alert",
    "stock_receive",
    "survey_submit",
    "visit_complete",
    "visit_reschedule_request",
    "visit_schedule",
]
