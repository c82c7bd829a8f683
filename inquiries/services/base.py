"""What every inquiries service shares: the refusal, the transition table and the workflow.

Every status move of an inquiry is one transaction through ``inquiry_flow``: it locks the row, checks
TRANSITIONS, saves with its history user and writes the audit event ("inquiries.inquiry.<status>").
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy

from portal.errors import DomainError
from portal.workflow import Workflow

from ..models import Inquiry, InquiryStatus

S = InquiryStatus

# An answer closes the current question; the resident's follow-up opens it again with a fresh clock.
TRANSITIONS: dict[str, set[str]] = {
    S.OPEN: {S.ANSWERED, S.CLOSED},
    S.ANSWERED: {S.OPEN, S.CLOSED},
    S.CLOSED: set(),
}


@dataclass
class InquiryError(DomainError):
    status_by_code = {"not_found": 404, "invalid_transition": 409, "already_rated": 409, "bad_signature": 403}
    field_by_code = {
        "title_required": "title",
        "body_required": "body",
        "body_too_long": "body",
        "invalid_subject": "subject",
        "invalid_rating": "rating",
        "invalid_topic": "topic",
    }


inquiry_flow = Workflow(
    model=Inquiry,
    transitions=TRANSITIONS,
    action="inquiries.inquiry",
    notify_key="inquiry",
    error=InquiryError,
    refused=gettext_lazy("This inquiry is %(status)s: it cannot be changed that way."),
    lock_related=("user", "district", "team"),
    subject_user_id=lambda inquiry: inquiry.user_id,
    district=lambda inquiry: inquiry.district,
    audit_data=lambda inquiry: {"reference": inquiry.reference},
)
