"""The benefits app's messages to residents (registered into portal.messages.MESSAGES at startup)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.messages import MESSAGES, Message

MESSAGES.update(
    {
        "benefits.claim.approved": Message(
            subject=_("Your claim for %(program)s is approved"),
            body=_(
                "Your claim for %(program)s is approved: %(amount)s won will be paid to your account. "
                "Details at %(link)s"
            ),
            sms=_("[Hana] Claim approved: %(amount)s won."),
        ),
        "benefits.claim.rejected": Message(
            subject=_("Your claim for %(program)s was not approved"),
            body=_("Your claim for %(program)s was not approved. Reason: %(reason)s. Details at %(link)s"),
            sms=_("[Hana] Claim not approved. See the portal."),
        ),
        "benefits.payment.paid": Message(
            subject=_("%(amount)s won of %(program)s is paid"),
            body=_("%(amount)s won of %(program)s has been paid into your account. Details at %(link)s"),
            sms=_("[Hana] %(amount)s won paid."),
        ),
        "benefits.payment.returned": Message(
            subject=_("A payment of %(program)s came back"),
            body=_(
                "The bank returned the payment of %(amount)s won of %(program)s. Please check your bank "
                "account details at %(link)s"
            ),
            sms=_("[Hana] A payment came back: check your bank account details."),
        ),
        "benefits.reverification.requested": Message(
            subject=_("Please confirm your circumstances for %(program)s"),
            body=_(
                "Before the next period (%(period)s) of %(program)s, please tell us whether your "
                "circumstances have changed: %(link)s"
            ),
            sms=_("[Hana] Please confirm your circumstances for %(program)s."),
        ),
        "benefits.reverification.continued": Message(
            subject=_("%(program)s continues"),
            body=_("The district decided that %(program)s continues for %(period)s. Details at %(link)s"),
            sms=_("[Hana] %(program)s continues."),
        ),
        "benefits.reverification.stopped": Message(
            subject=_("%(program)s stops"),
            body=_(
                "The district decided to stop %(program)s from %(period)s. Reason: %(reason)s. "
                "Details at %(link)s"
            ),
            sms=_("[Hana] %(program)s stops. See the portal."),
        ),
    }
)
