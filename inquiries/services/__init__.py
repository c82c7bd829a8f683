"""The inquiries services: every rule of the app. Views, admin, API, webhooks and tasks call these."""

from .accounts import inquiries_data_for_export, inquiries_erase_for_deleted_account
from .base import TRANSITIONS, InquiryError, inquiry_flow
from .inbound import inquiry_receive_email, inquiry_receive_sms
from .sweep import inquiries_sweep
from .threads import (
    clean_body,
    inquiry_answer,
    inquiry_close,
    inquiry_follow_up,
    inquiry_rate,
    inquiry_submit,
    local_text,
)

__all__ = [
    "TRANSITIONS",
    "InquiryError",
    "clean_body",
    "inquiries_data_for_export",
    "inquiries_erase_for_deleted_account",
    "inquiries_sweep",
    "inquiry_answer",
    "inquiry_close",
    "inquiry_flow",
    "inquiry_follow_up",
    "inquiry_rate",
    "inquiry_receive_email",
    "inquiry_receive_sms",
    "inquiry_submit",
    "local_text",
]
