"""A pickup code whose text message got stuck mid-send is replaced, never repeated.

A worker killed while texting the code leaves the outbox row `sending`: the text may or may not have
reached the phone. Sending the same code again could deliver it twice; not sending it could leave the
resident without one. So when portal's reaper finds such a row it cancels it and asks this handler
(registered for the code-carrying templates in LockersConfig.ready: the core imports no app): the
delivery gets a NEW code (its hash replaced, so the old code opens nothing), the resident is texted the
new one and told the earlier code no longer works, and the change is audited. A parcel no longer
waiting needs no code: the row is just cancelled.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext

from portal.audit import audit_log
from portal.models import Notification, User

from ..models import Delivery
from . import deposit
from .base import S

# The templates whose text message carries a pickup code.
CODE_TEMPLATES = ("locker.delivered", "locker.code_reissued")


def delivery_id_of(event_key: str) -> int | None:
    """The delivery a parcel message is about: its event keys start "locker:<delivery id>:"."""
    parts = event_key.split(":")
    return int(parts[1]) if len(parts) > 2 and parts[0] == "locker" and parts[1].isdigit() else None


def delivery_code_reissue(stuck: Notification) -> str:
    """The stuck-SMS handler: a new code for the delivery the stuck text was about. Runs inside the
    reaper's transaction (the stuck row already cancelled). Returns the note kept on the stuck row."""
    delivery_id = delivery_id_of(stuck.event_key)
    delivery = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("compartment__site", "recipient")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != S.STORED:
        return gettext(
            "Cancelled: stuck while being sent, and the parcel is no longer waiting, so no new code "
            "was needed."
        )
    # The row lock serializes this with the kiosk's pickup, which locks the delivery too: a pickup either
    # went first (status no longer stored, above) or sees only the new hash.
    event = audit_log(
        actor=None,
        action="lockers.delivery.code_reissued",
        target=delivery,
        subject_user_id=delivery.recipient_id,
        district=delivery.compartment.site.district,
        data={"reference": delivery.reference, "stuck_notification": stuck.pk},
    )
    rows = deposit.delivery_code_issue(
        delivery, template="locker.code_reissued", event_key=f"code_reissued:{event.pk}"
    )
    sms = next((row for row in rows if row.channel == Notification.Channel.SMS), None)
    if sms is None:
        # The resident turned text messages off since the parcel arrived: the new code cannot reach them.
        return gettext(
            "Cancelled: stuck while being sent. A new pickup code was issued (the old one no longer "
            "works), but the resident no longer receives text messages: staff must help them collect the "
            "parcel."
        )
    return gettext(
        "Cancelled: stuck while being sent. A new pickup code was issued (the old one no longer works) and "
        "sent in notification %(id)s."
    ) % {"id": sms.pk}


def delivery_codes_for_verified_phone(*, user: User, request: HttpRequest | None = None) -> int:
    """The recipient just verified their number: each of their waiting parcels that never got a code
    (deposited while the number was unverified: an empty hash) gets one now, texted to the verified
    number. Runs inside the verification's transaction (households' phone_verified signal). Returns how
    many codes were sent."""
    waiting = (
        Delivery.objects.select_for_update(of=("self",))
        .select_related("compartment__site__district", "recipient")
        .filter(recipient=user, status=S.STORED, code_hash="", recipient_erased_at__isnull=True)
        .order_by("pk")
    )
    count = 0
    for delivery in waiting:
        event = audit_log(
            actor=user,
            action="lockers.delivery.code_sent_after_verification",
            target=delivery,
            subject_user_id=user.pk,
            district=delivery.compartment.site.district,
            request=request,
            data={"reference": delivery.reference},
        )
        # The delivery message, code included: for the resident this is the parcel's first code.
        deposit.delivery_code_issue(delivery, template="locker.delivered", event_key=f"delivered:{event.pk}")
        count += 1
    return count
