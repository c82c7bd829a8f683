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
    # To the caseworker who asked for more information. Context: %(program)s, %(reference)s, %(link)s.
    "application.info_provided": Message(
        subject=_("The resident answered your request about %(reference)s"),
        body=_(
            "The resident sent the information you asked for on application %(reference)s to "
            "%(program)s. It is back in your review queue: %(link)s"
        ),
        sms=_("[Hana] %(reference)s: the resident answered your request."),
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
    # --- safety kits (안심홈세트) -------------------------------------------------------------------
    # Context: %(reference)s, %(reason)s, %(link)s; visits add %(date)s, %(window)s, %(installer)s.
    "safety.kit_request.submitted": Message(
        subject=_("We received your safety kit request %(reference)s"),
        body=_(
            "Thank you: your safety kit request %(reference)s is received. The district reviews it and "
            "tells you the decision. Follow it at %(link)s"
        ),
        sms=_("[Hana] Safety kit request %(reference)s received."),
    ),
    "safety.kit_request.approved": Message(
        subject=_("Your safety kit request %(reference)s is approved"),
        body=_(
            "Your safety kit request %(reference)s is approved and the items are set aside for you. "
            "The district will schedule the installation visit. Details at %(link)s"
        ),
        sms=_("[Hana] Safety kit %(reference)s approved."),
    ),
    "safety.kit_request.rejected": Message(
        subject=_("Decision on your safety kit request %(reference)s"),
        body=_(
            "Your safety kit request %(reference)s was not approved.\n"
            "Reason: %(reason)s\n"
            "You may ask your district office about this decision. %(link)s"
        ),
        sms=_("[Hana] Safety kit %(reference)s was not approved. See the reason at Hana."),
    ),
    "safety.kit_request.cancelled": Message(
        subject=_("Your safety kit request %(reference)s is cancelled"),
        body=_("As you asked, your safety kit request %(reference)s is cancelled."),
        sms=_("[Hana] Safety kit %(reference)s cancelled."),
    ),
    "safety.visit.scheduled": Message(
        subject=_("Installation visit for %(reference)s: %(date)s %(window)s"),
        body=_(
            "The installer %(installer)s will come on %(date)s between %(window)s to install your safety "
            "kit (%(reference)s). If this time does not suit you, ask for another at %(link)s"
        ),
        sms=_("[Hana] Safety kit visit %(date)s %(window)s. Change it at Hana."),
    ),
    "safety.visit.failed": Message(
        subject=_("The installation visit for %(reference)s could not be completed"),
        body=_(
            "The installation of your safety kit (%(reference)s) could not be completed.\n"
            "Reason: %(reason)s\n"
            "The district will schedule a new visit. %(link)s"
        ),
        sms=_("[Hana] Safety kit visit not completed; a new one will be scheduled."),
    ),
    "safety.kit_request.installed": Message(
        subject=_("Your safety kit is installed (%(reference)s)"),
        body=_(
            "Your safety kit (%(reference)s) is installed. "
            "Please tell us in two questions how it went: %(link)s"
        ),
        sms=_("[Hana] Safety kit installed. Tell us how it went at Hana."),
    ),
    # To district staff. Context: %(item)s, %(district)s, %(available)s, %(link)s.
    "safety.stock.low": Message(
        subject=_("Low stock: %(item)s in %(district)s"),
        body=_(
            "Only %(available)s of %(item)s are left in %(district)s after the latest approval. "
            "Record a receipt when new stock arrives: %(link)s"
        ),
        sms=_("[Hana] Low stock: %(item)s (%(available)s left)."),
    ),
}

# Parcel lockers (lockers). Placeholders: %(reference)s, %(site)s, %(address)s, %(compartment)s,
# %(date)s, %(free_until)s, %(hold_until)s, %(daily_fee)s, %(fee)s, %(link)s; %(code)s only in the
# delivery SMS (the one place the pickup code exists; the row is blanked once sent).
MESSAGES.update(
    {
        "locker.delivered": Message(
            subject=_("A parcel is waiting for you at %(site)s"),
            body=_(
                "A parcel (%(reference)s) was put in compartment %(compartment)s at %(site)s (%(address)s) "
                "on %(date)s. Your one-time pickup code was sent by text message. Pickup is free until "
                "%(free_until)s; after that the fee is %(daily_fee)s won a day. Details at %(link)s"
            ),
            sms=_("[Hana] Parcel %(date)s at %(site)s, box %(compartment)s. Code %(code)s"),
        ),
        # A delivery text stuck mid-send may or may not have reached the phone: its code is replaced, and
        # this message carries the new one (lockers.services.reissue).
        "locker.code_reissued": Message(
            subject=_("A new pickup code for your parcel %(reference)s"),
            body=_(
                "A new one-time pickup code for your parcel %(reference)s (compartment %(compartment)s "
                "at %(site)s) was sent by text message. The code sent earlier no longer works. "
                "Details at %(link)s"
            ),
            sms=_(
                "[Hana] New code %(code)s for box %(compartment)s at %(site)s. "
                "The earlier code no longer works."
            ),
        ),
        # The recipient's mobile number is not verified yet: no code is texted to it (it may be someone
        # else's). The parcel waits; verifying the number texts a code (lockers.services.reissue).
        "locker.awaiting_phone": Message(
            subject=_("A parcel is waiting: verify your phone to receive the pickup code"),
            body=_(
                "A parcel (%(reference)s) was put in compartment %(compartment)s at %(site)s (%(address)s) "
                "on %(date)s. Verify your mobile number to receive the one-time pickup code by text "
                "message: %(verify_link)s. Pickup is free until %(free_until)s; after that the fee is "
                "%(daily_fee)s won a day. Details at %(link)s"
            ),
            sms=_("[Hana] A parcel is waiting at %(site)s."),
        ),
        "locker.reminder": Message(
            subject=_("Collect your parcel %(reference)s before %(free_until)s"),
            body=_(
                "Your parcel %(reference)s is in compartment %(compartment)s at %(site)s (%(address)s). "
                "Pickup is free until %(free_until)s; after that the fee is %(daily_fee)s won a day."
            ),
            sms=_("[Hana] Parcel %(reference)s: free until %(free_until)s."),
        ),
        "locker.picked_up": Message(
            subject=_("Your parcel %(reference)s was picked up"),
            body=_(
                "Your parcel %(reference)s was taken from compartment %(compartment)s at %(site)s. "
                "Fee: %(fee)s won. If this was not you, call the district office at once."
            ),
            sms=_("[Hana] Parcel %(reference)s picked up. Fee %(fee)s won."),
        ),
        "locker.return_marked": Message(
            subject=_("Your parcel %(reference)s will be returned"),
            body=_(
                "Your parcel %(reference)s at %(site)s was held until %(hold_until)s and is now marked for "
                "return to the sender. Contact the district office if you still need it."
            ),
            sms=_("[Hana] Parcel %(reference)s held too long: to be returned."),
        ),
        "locker.overdue_staff": Message(
            subject=_("Parcel %(reference)s to return (%(site)s %(compartment)s)"),
            body=_(
                "Parcel %(reference)s in compartment %(compartment)s at %(site)s passed its holding "
                "period and is marked for return. %(link)s"
            ),
            sms=_("[Hana] Parcel %(reference)s to return."),
        ),
        "locker.compartment_locked": Message(
            subject=_("Compartment %(compartment)s at %(site)s locked"),
            body=_(
                "Compartment %(compartment)s at %(site)s (%(address)s) was locked on %(date)s after "
                "repeated wrong pickup codes. Check it and unlock it in the admin: %(link)s"
            ),
            sms=_("[Hana] Locker %(site)s %(compartment)s locked: wrong codes."),
        ),
    }
)

# Community spaces: %(place)s is "space room", %(when)s the local date and hours.
MESSAGES.update(
    {
        "booking.confirmed": Message(
            subject=_("Booking %(reference)s confirmed: %(place)s"),
            body=_(
                "Your booking %(reference)s of %(place)s on %(when)s is confirmed. "
                "Add it to your calendar or cancel it at %(link)s"
            ),
            sms=_("[Hana] Booked %(place)s %(when)s (%(reference)s)."),
        ),
        "booking.pending": Message(
            subject=_("Booking %(reference)s received: awaiting approval"),
            body=_(
                "We received your booking %(reference)s of %(place)s on %(when)s. Staff approve bookings of "
                "this room; we will tell you as soon as they decide. %(link)s"
            ),
            sms=_("[Hana] Booking %(reference)s received, awaiting approval."),
        ),
        "booking.approved": Message(
            subject=_("Booking %(reference)s approved: %(place)s"),
            body=_("Your booking %(reference)s of %(place)s on %(when)s is approved. Details at %(link)s"),
            sms=_("[Hana] Booking approved: %(place)s %(when)s."),
        ),
        "booking.rejected": Message(
            subject=_("Booking %(reference)s not approved"),
            body=_(
                "Your booking %(reference)s of %(place)s on %(when)s was not approved.\n"
                "Reason: %(reason)s\n%(link)s"
            ),
            sms=_("[Hana] Booking %(reference)s not approved. See the reason at Hana."),
        ),
        "booking.cancelled": Message(
            subject=_("Booking %(reference)s cancelled"),
            body=_("As you asked, your booking %(reference)s of %(place)s on %(when)s is cancelled."),
            sms=_("[Hana] Booking %(reference)s cancelled."),
        ),
        "booking.cancelled_by_staff": Message(
            subject=_("Booking %(reference)s cancelled by the space"),
            body=_(
                "We are sorry: your booking %(reference)s of %(place)s on %(when)s had to be cancelled.\n"
                "Reason: %(reason)s\n%(link)s"
            ),
            sms=_("[Hana] Sorry, booking %(reference)s was cancelled: %(reason)s"),
        ),
        "booking.rescheduled": Message(
            subject=_("Booking %(reference)s moved to %(when)s"),
            body=_("Your booking %(reference)s of %(place)s is now on %(when)s. %(link)s"),
            sms=_("[Hana] Booking %(reference)s moved to %(when)s."),
        ),
        "booking.reminder": Message(
            subject=_("Tomorrow: %(place)s at %(when)s"),
            body=_(
                "A reminder of your booking %(reference)s of %(place)s on %(when)s. If you cannot come, "
                "please cancel it so a neighbour can use the room: %(link)s"
            ),
            sms=_("[Hana] Tomorrow %(when)s: %(place)s."),
        ),
        "booking.suspended": Message(
            subject=_("You cannot book community spaces until %(until)s"),
            body=_(
                "You did not come to %(count)s bookings without cancelling them, so you cannot make new "
                "bookings until %(until)s. Your other bookings stand. If this is a mistake, contact the "
                "space. %(link)s"
            ),
            sms=_("[Hana] Bookings paused until %(until)s after no-shows."),
        ),
        "booking.suspension_lifted": Message(
            subject=_("You can book community spaces again"),
            body=_("The district lifted your booking ban: you can book rooms again. %(link)s"),
            sms=_("[Hana] You can book community spaces again."),
        ),
    }
)

# Exports (reports.exports), to the staff member who asked for a large export. Placeholders:
# %(dataset)s, %(rows)s, %(expires)s, %(link)s; failures add %(reason)s.
MESSAGES.update(
    {
        "export.ready": Message(
            subject=_("Your export is ready: %(dataset)s"),
            body=_(
                "Your export of %(dataset)s (%(rows)s rows) is ready. Download it at %(link)s until "
                "%(expires)s; the file is deleted after that."
            ),
            sms=_("[Hana] Your export of %(dataset)s is ready."),
        ),
        "export.failed": Message(
            subject=_("Your export could not be completed: %(dataset)s"),
            body=_("The export of %(dataset)s could not be completed.\nReason: %(reason)s\n%(link)s"),
            sms=_("[Hana] Your export of %(dataset)s failed."),
        ),
    }
)

# Monthly performance reports (reports.performance), to the district's managers. Placeholders:
# %(district)s, %(month)s, %(link)s.
MESSAGES.update(
    {
        "report.ready": Message(
            subject=_("Monthly performance report for %(month)s: %(district)s"),
            body=_(
                "The performance report of %(district)s for %(month)s is ready. "
                "See it and download the Excel file at %(link)s"
            ),
            sms=_("[Hana] The %(month)s performance report is ready."),
        ),
    }
)

# Verifying a resident's mobile number (households.phone): the one message texted to a number not yet
# verified (portal.notifications.notify_sms_to). %(code)s is blanked from the row once sent;
# %(minutes)s is how long the code is valid.
MESSAGES.update(
    {
        "phone.verification_code": Message(
            subject=_("Your Hana verification code"),
            body=_("Your Hana verification code is %(code)s. It is valid for %(minutes)s minutes."),
            sms=_("[Hana] Verification code %(code)s (valid %(minutes)s min). Never share it."),
        ),
    }
)

# Proactive outreach (programs.services.outreach): a program the resident newly qualifies for, with the
# reasons; or the weekly digest of them. Every one carries its one-click unsubscribe link.
MESSAGES.update(
    {
        "outreach.new_program": Message(
            subject=_("You may qualify for %(program)s"),
            body=_(
                "From what your profile says, you may qualify for %(program)s:\n%(reasons)s\n\n"
                "See the program and apply: %(link)s\n\n"
                "You receive this because you asked to hear about programs you may qualify for. "
                "Stop these messages: %(unsubscribe)s"
            ),
            sms=_("[Hana] You may qualify for %(program)s. %(link)s Stop: %(unsubscribe)s"),
        ),
        "outreach.digest": Message(
            subject=_("%(count)s program(s) you may qualify for"),
            body=_(
                "This week we found programs you may qualify for:\n%(programs)s\n\n"
                "See why and apply: %(link)s\n\n"
                "You receive this because you asked to hear about programs you may qualify for. "
                "Stop these messages: %(unsubscribe)s"
            ),
            sms=_("[Hana] %(count)s program(s) you may qualify for: %(link)s Stop: %(unsubscribe)s"),
        ),
    }
)
