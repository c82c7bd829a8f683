"""The benefits services: every change to terms' awards, claims, payments, batches and re-verifications
goes through here (transition tables, the budget lock, audit events, the resident's messages)."""

from .accounts import BANKS, bank_account_save, benefits_data_for_export, benefits_erase_for_deleted_account
from .base import BenefitsError, award_for
from .budget import Execution, execution
from .claims import cap_remaining, claim_approve, claim_limit, claim_reject, claim_submit
from .payments import (
    awards_open,
    batch_create,
    batch_mark_paid,
    instalments_schedule,
    payment_approve,
    payment_settle,
    payments_approve_due,
    payments_cancel_scheduled,
)
from .reverification import reverification_answer, reverification_decide, reverifications_request_due
from .transfer_file import batch_export_record

__all__ = [
    "batch_export_record",
    "BANKS",
    "BenefitsError",
    "Execution",
    "award_for",
    "awards_open",
    "bank_account_save",
    "batch_create",
    "batch_mark_paid",
    "benefits_data_for_export",
    "benefits_erase_for_deleted_account",
    "cap_remaining",
    "claim_approve",
    "claim_limit",
    "claim_reject",
    "claim_submit",
    "execution",
    "instalments_schedule",
    "payment_approve",
    "payment_settle",
    "payments_approve_due",
    "payments_cancel_scheduled",
    "reverification_answer",
    "reverification_decide",
    "reverifications_request_due",
]
