"""Care's notification texts, added to the core registry (imported in CareConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.messages import MESSAGES, Message

MESSAGES.update(
    {
        "care.appointment.booked": Message(
            subject=_("Counselling appointment %(reference)s booked"),
            body=_(
                "Your %(service)s appointment %(reference)s is booked for %(when)s (%(where)s). "
                "Add it to your calendar, cancel or move it at %(link)s"
            ),
            sms=_("[Hana] Counselling %(reference)s: %(when)s, %(where)s."),
        ),
        "care.appointment.moved": Message(
            subject=_("Counselling appointment %(reference)s moved"),
            body=_("Your appointment %(reference)s is now at %(when)s (%(where)s). Details at %(link)s"),
            sms=_("[Hana] Counselling %(reference)s moved to %(when)s."),
        ),
        "care.appointment.cancelled": Message(
            subject=_("Counselling appointment %(reference)s cancelled"),
            body=_("Your appointment %(reference)s at %(when)s is cancelled. Book again at %(link)s"),
            sms=_("[Hana] Counselling %(reference)s cancelled."),
        ),
        "care.appointment.reminder": Message(
            subject=_("Reminder: counselling tomorrow, %(when)s"),
            body=_("Your appointment %(reference)s is tomorrow, %(when)s (%(where)s). Details at %(link)s"),
            sms=_("[Hana] Reminder: counselling %(when)s, %(where)s."),
        ),
        "care.no_show_ban": Message(
            subject=_("You cannot book counselling until %(until)s"),
            body=_(
                "You did not come to %(count)s counselling appointments without cancelling them, so you "
                "cannot book new ones until %(until)s. Your other appointments stand. If this is a "
                "mistake, contact the counselling centre. %(link)s"
            ),
            sms=_("[Hana] Counselling bookings paused until %(until)s after no-shows."),
        ),
        "care.no_show_ban_lifted": Message(
            subject=_("You can book counselling again"),
            body=_("The district lifted your counselling booking ban: you can book again. %(link)s"),
            sms=_("[Hana] You can book counselling again."),
        ),
        "care.crisis_alert": Message(
            subject=_("URGENT: a counselling intake signals a crisis (%(reference)s)"),
            body=_(
                "The intake of appointment %(reference)s (%(when)s) contains words that may signal a "
                "crisis. Please contact the resident at once. %(link)s"
            ),
            sms=_("[Hana] URGENT crisis signal: %(reference)s. Contact the resident now."),
        ),
        "care.checkin.ask": Message(
            subject=_("How are you today?"),
            body=_(
                "Hello from your district. Tap one link: I'm fine: %(ok_link)s  I need help: %(help_link)s "
                "(You can also answer in your inbox.)"
            ),
            sms=_("[Hana] How are you? Fine: %(ok_link)s Need help: %(help_link)s"),
        ),
        "care.checkin.reminder": Message(
            subject=_("We have not heard from you yet"),
            body=_(
                "We have not heard from you today. Please tap one link: I'm fine: %(ok_link)s  "
                "I need help: %(help_link)s"
            ),
            sms=_("[Hana] Please answer: fine %(ok_link)s help %(help_link)s"),
        ),
        "care.checkin.guardian": Message(
            subject=_("%(resident)s has not answered a check-in"),
            body=_(
                "%(resident)s has not answered the district's wellbeing check-in of %(when)s. The district "
                "is following up (%(step)s). You may want to contact them too."
            ),
            sms=_("[Hana] %(resident)s has not answered a check-in (%(when)s). The district follows up."),
        ),
    }
)
