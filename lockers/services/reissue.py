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

from django.utils.translation import gettext

from portal.audit import audit_log
from portal.models import Notification
from portal.notifications import notify

from ..models import Delivery
from . import deposit
from .base import S, code_hash, delivery_context, policy_for

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
    code = deposit._new_code()  # the deposit's generator (tests fix it there)
    # The row lock serializes this with the kiosk's pickup, which locks the delivery too: a pickup either
    # went first (status no longer stored, above) or sees only the new hash.
    delivery.code_hash = code_hash(delivery.pk, code)
    delivery.save(update_fields=["code_hash"])
    compartment = delivery.compartment
    event = audit_log(
        actor=None,
        action="lockers.delivery.code_reissued",
        target=delivery,
        subject_user_id=delivery.recipient_id,
        district=compartment.site.district,
        data={"reference": delivery.reference, "stuck_notification": stuck.pk},
    )
    rows = notify(
        user=delivery.recipient,
        template="locker.code_reissued",
        event_key=f"locker:{delivery.pk}:code_reissued:{event.pk}",
        context={
            **delivery_context(delivery, compartment, compartment.site, policy_for(delivery.district_id)),
            "code": code,
            "redact_after_send": True,
        },
    )
    deposit.code_only_in_sms(rows)
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
