"""The benefits app's models, one module per concept; Django and callers import them from here."""

from .ledger import (
    COMMITTED_STATUSES,
    Award,
    AwardStatus,
    BankAccount,
    Claim,
    ClaimStatus,
    Payment,
    PaymentBatch,
    PaymentStatus,
)
from .reverification import Reverification, ReverificationStatus
from .terms import BenefitKind, BenefitTerms

__all__ = [
    "COMMITTED_STATUSES",
    "Award",
    "AwardStatus",
    "BankAccount",
    "BenefitKind",
    "BenefitTerms",
    "Claim",
    "ClaimStatus",
    "Payment",
    "PaymentBatch",
    "PaymentStatus",
    "Reverification",
    "ReverificationStatus",
]
