"""What community notifications say (registered into portal.messages.MESSAGES in CommunityConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.messages import MESSAGES, Message

MESSAGES.update(
    {
        "community.member.invited": Message(
            subject=_("You are invited to join the proposal “%(title)s”"),
            body=_(
                "You were invited to join the community proposal “%(title)s” to %(call)s. "
                "Confirm or decline at %(link)s"
            ),
            sms=_("[Hana] Invitation to a community proposal. See %(link)s"),
        ),
        "community.proposal.submitted": Message(
            subject=_("Proposal %(reference)s received"),
            body=_(
                "Your group's proposal “%(title)s” to %(call)s is received as %(reference)s. "
                "Follow it at %(link)s"
            ),
            sms=_("[Hana] Proposal %(reference)s received."),
        ),
        "community.proposal.ineligible": Message(
            subject=_("Proposal %(reference)s: not eligible"),
            body=_(
                "Your group's proposal %(reference)s to %(call)s does not meet the call's conditions.\n"
                "Reason: %(reason)s\nDetails at %(link)s"
            ),
            sms=_("[Hana] Proposal %(reference)s is not eligible. See %(link)s"),
        ),
        "community.proposal.selected": Message(
            subject=_("Proposal %(reference)s is selected"),
            body=_(
                "Congratulations: your group's proposal %(reference)s to %(call)s is selected, with a grant "
                "of %(grant)s won. Score %(score)s of 100 (rank %(rank)s of %(ranked)s, %(evaluators)s "
                "evaluators). Details at %(link)s"
            ),
            sms=_("[Hana] Proposal %(reference)s selected. See %(link)s"),
        ),
        "community.proposal.not_selected": Message(
            subject=_("Result of proposal %(reference)s"),
            body=_(
                "Thank you for your group's proposal %(reference)s to %(call)s. "
                "It was not selected this time. "
                "Score %(score)s of 100 (rank %(rank)s of %(ranked)s, %(evaluators)s evaluators). "
                "Details at %(link)s"
            ),
            sms=_("[Hana] Result of proposal %(reference)s: see %(link)s"),
        ),
        "community.report.reviewed": Message(
            subject=_("Activity report for %(reference)s reviewed"),
            body=_(
                "The district reviewed your activity report for %(reference)s: %(outcome)s. "
                "%(reason)s %(link)s"
            ),
            sms=_("[Hana] Activity report for %(reference)s reviewed. See %(link)s"),
        ),
    }
)
