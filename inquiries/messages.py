"""What the inquiries app tells people (registered into the core's MESSAGES in InquiriesConfig.ready), and
how its staff reads are named in the resident's access log."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.access_log import PERSONAL_DATA_READS
from portal.messages import MESSAGES, Message

# What the resident is told a staff member opened (households' "who read my data" page).
PERSONAL_DATA_READS["inquiries.inquiry.viewed"] = _("Your inquiry")

MESSAGES.update(
    {
        "inquiry.received": Message(
            subject=_("We received your inquiry %(reference)s"),
            body=_(
                "Thank you. Your inquiry %(reference)s (%(title)s) went to %(team)s. "
                "An answer is expected by %(due)s. Follow it at %(link)s"
            ),
            sms=_("[Hana] Inquiry %(reference)s received. Answer expected by %(due)s."),
        ),
        "inquiry.answered": Message(
            subject=_("Answer to your inquiry %(reference)s"),
            body=_("%(answer)s\n\nRead the whole thread, reply or rate the answer at %(link)s"),
            # A text message is answered by text: the answer is the message (the thread is on the web for
            # residents; a guest replies by text).
            sms=_("[Hana] %(answer)s"),
        ),
        "inquiry.lead_alert": Message(
            subject=_("%(count)s inquiries of %(team)s are close to their 48-hour promise"),
            body=_(
                "%(count)s inquiries of %(team)s have waited 36 working hours without an answer "
                "(%(references)s). Answer them in the queue: %(link)s"
            ),
            sms=_("[Hana] %(count)s inquiries of %(team)s near 48 h."),
        ),
        "inquiry.breached": Message(
            subject=_("%(count)s inquiries of %(team)s broke the 48-hour promise"),
            body=_(
                "%(count)s inquiries of %(team)s were not answered within 48 working hours "
                "(%(references)s). The queue: %(link)s"
            ),
            sms=_("[Hana] %(count)s inquiries of %(team)s over 48 h."),
        ),
    }
)
