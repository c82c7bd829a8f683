"""What each notification says, in Korean and English (gettext), per channel.

Placeholders come from the notification's stored context: %(program)s, %(reference)s, %(reason)s,
%(link)s. SMS texts stay short: Korean carriers bill by 90-byte segments.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Message:
    subject: str
    body: str
    sms: str


MESSAGES: dict[str, Message] = {
    "application.submitted": Message(
        subject=_("We received your application %(reference)s"),
        body=_(
            "Thank you for applying to %(program)s. Your reference number is %(reference)s. "
            "We will tell you as soon as it is decided. Follow it at %(link)s"
        ),
        sms=_("[Hana] Application %(reference)s to %(program)s received."),
    ),
    "application.under_review": Message(
        subject=_("Your application %(reference)s is being reviewed"),
        body=_(
            "The district is reviewing your application %(reference)s to %(program)s. Follow it at %(link)s"
        ),
        sms=_("[Hana] %(reference)s is being reviewed."),
    ),
    "application.approved": Message(
        subject=_("Your application %(reference)s is approved"),
        body=_("Good news: your application %(reference)s to %(program)s is approved. Details at %(link)s"),
        sms=_("[Hana] %(reference)s approved: %(program)s."),
    ),
    "application.promoted": Message(
        subject=_("A place opened up: your application %(reference)s is approved"),
        body=_(
            "A place in %(program)s became free and you were next on the waiting list: "
            "your application %(reference)s is approved. Details at %(link)s"
        ),
        sms=_("[Hana] A place opened: %(reference)s approved."),
    ),
    "application.waitlisted": Message(
        subject=_("Your application %(reference)s is on the waiting list"),
        body=_(
            "All places in %(program)s are taken for now. Your application %(reference)s is on the waiting "
            "list and we will tell you if a place opens up. Follow it at %(link)s"
        ),
        sms=_("[Hana] %(reference)s is on the waiting list."),
    ),
    "application.rejected": Message(
        subject=_("Decision on your application %(reference)s"),
        body=_(
            "Your application %(reference)s to %(program)s was not approved.\n"
            "Reason: %(reason)s\n"
            "You may ask the department named on the program page about this decision. %(link)s"
        ),
        sms=_("[Hana] %(reference)s was not approved. See the reason at Hana."),
    ),
    "application.info_requested": Message(
        subject=_("More information needed for %(reference)s"),
        body=_(
            "The district needs more information about your application %(reference)s to %(program)s:\n"
            "%(reason)s\n"
            "Please answer at %(link)s"
        ),
        sms=_("[Hana] More information needed for %(reference)s."),
    ),
    "application.cancelled": Message(
        subject=_("Your application %(reference)s is cancelled"),
        body=_("As you asked, your application %(reference)s to %(program)s is cancelled."),
        sms=_("[Hana] %(reference)s cancelled."),
    ),
    "application.completed": Message(
        subject=_("%(program)s: completed"),
        body=_("Your participation in %(program)s (%(reference)s) is recorded as completed. Thank you."),
        sms=_("[Hana] %(reference)s completed."),
    ),
}
