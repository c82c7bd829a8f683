"""Inquiries: teams and their topics, the inquiry thread with its working-hours clock, answer templates."""

from .inquiries import (
    OPEN_STATUSES,
    Author,
    Channel,
    Inquiry,
    InquiryMessage,
    InquiryStatus,
    SubjectKind,
    Topic,
)
from .teams import AnswerTemplate, Team, TopicRoute

__all__ = [
    "OPEN_STATUSES",
    "AnswerTemplate",
    "Author",
    "Channel",
    "Inquiry",
    "InquiryMessage",
    "InquiryStatus",
    "SubjectKind",
    "Team",
    "Topic",
    "TopicRoute",
]
