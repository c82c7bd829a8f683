"""Inquiries that arrive from the gateways: inbound text messages and emails (inquiries.webhooks checks
the signature first).

Idempotent on the provider's message id (a unique constraint on the thread's messages): a gateway that
retries delivers the message once. A number is matched only to a household that **verified** it (a typed
number may be a stranger's); anything else is a guest thread keyed by the number (or the address), in the
guest district of the settings. A text that carries a resident registration number is stored with it
masked: an inbound message cannot be sent back for correcting, and the number must never be stored.
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.identifiers import mask_identifiers
from portal.models import District, Notification, User

from ..models import Channel, Inquiry, InquiryMessage, InquiryStatus, Topic
from .base import InquiryError
from .threads import MAX_BODY, _create, _follow_up

MOBILE = re.compile(r"^01[016789]\d{7,8}$")
REFERENCE = re.compile(r"IQ-\d{4}-\d{6}")
# A text within this many days of the last one continues the same thread (unless it was closed).
THREAD_DAYS = 30


def phone_digits(raw: str) -> str:
    digits = re.sub(r"\D", "", raw or "")
    if digits.startswith("82") and len(digits) in (11, 12):  # +82 10-… → 010-…
        digits = "0" + digits[2:]
    if not MOBILE.match(digits):
        raise InquiryError("invalid_sender", _("The sender is not a Korean mobile number."), field="sender")
    return digits


def _phone_forms(digits: str) -> list[str]:
    """The ways households.phone may hold the number (with or without hyphens)."""
    return [digits, f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"]


def verified_household(digits: str) -> Household | None:
    return (
        Household.objects.filter(
            phone__in=_phone_forms(digits), phone_verified_at__isnull=False, anonymized_at__isnull=True
        )
        .select_related("user", "district")
        .order_by("-phone_verified_at")
        .first()
    )


def guest_district() -> District:
    district = District.objects.filter(code=settings.INQUIRY_GUEST_DISTRICT).first()
    if district is None:
        raise InquiryError("no_district", "INQUIRY_GUEST_DISTRICT names no district")
    return district


def _text(raw: str) -> str:
    text = mask_identifiers((raw or "").strip())[:MAX_BODY]
    if not text:
        raise InquiryError("body_required", _("The message is empty."), field="text")
    return text


def _already(channel: str, message_id: str) -> Inquiry | None:
    message = (
        InquiryMessage.objects.filter(channel=channel, provider_message_id=message_id)
        .select_related("inquiry")
        .first()
    )
    return message.inquiry if message else None


def _open_thread(channel: str, *, user: User | None, address: str, reference: str = "") -> Inquiry | None:
    threads = Inquiry.objects.filter(channel=channel, anonymized_at__isnull=True).exclude(
        status=InquiryStatus.CLOSED
    )
    threads = (
        threads.filter(user=user)
        if user is not None
        else threads.filter(user__isnull=True, guest_address=address)
    )
    if reference:
        return threads.filter(reference=reference).first()
    since = timezone.now() - timedelta(days=THREAD_DAYS)
    return threads.filter(received_at__gte=since).order_by("-received_at").first()


def adopt_guest_threads(*, user: User, address: str) -> int:
    """A number (or address) now proven to be a resident's: the guest threads from it become theirs, with
    the messages the outbox sent to it, so the resident follows them and their account's erasure reaches
    them (households blanks the number before telling the apps, so it could not be matched then)."""
    ids = list(Inquiry.objects.filter(user__isnull=True, guest_address=address).values_list("pk", flat=True))
    if not ids:
        return 0
    Inquiry.objects.filter(pk__in=ids).update(user=user, guest_address="")
    for pk in ids:
        Notification.objects.filter(user__isnull=True, event_key__startswith=f"inquiry:{pk}:").update(
            user=user
        )
    return len(ids)


def _receive(
    *,
    channel: str,
    user: User | None,
    district: District,
    address: str,
    title: str,
    text: str,
    message_id: str,
    reference: str = "",
) -> tuple[Inquiry, bool]:
    if not message_id or len(message_id) > 100:
        raise InquiryError(
            "invalid_message_id",
            _("Give the provider's message id (at most 100 characters)."),
            field="message_id",
        )
    existing = _already(channel, message_id)
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            thread = _open_thread(channel, user=user, address=address, reference=reference)
            if thread is not None:
                from .base import inquiry_flow

                locked = inquiry_flow.lock(thread.pk)
                _follow_up(locked, body=text, channel=channel, actor=user, provider_message_id=message_id)
                return locked, True
            inquiry = _create(
                district=district,
                topic=Topic.GENERAL,
                channel=channel,
                title=title,
                body=text,
                user=user,
                guest_address="" if user is not None else address,
                provider_message_id=message_id,
            )
            return inquiry, True
    except IntegrityError:
        # The same message delivered twice at once: the other delivery stored it.
        existing = _already(channel, message_id)
        if existing is None:
            raise
        return existing, False


def inquiry_receive_sms(*, sender: str, text: str, message_id: str) -> tuple[Inquiry, bool]:
    """An inbound text message: a new inquiry or the next message of the sender's open thread.
    Returns (inquiry, stored) — stored is False for a message already received."""
    digits = phone_digits(sender)
    body = _text(text)
    household = verified_household(digits)
    user = household.user if household else None
    if user is not None:
        adopt_guest_threads(user=user, address=digits)
    district = household.district if household else guest_district()
    return _receive(
        channel=Channel.SMS,
        user=user,
        district=district,
        address=digits,
        title=body[:40],
        text=body,
        message_id=message_id,
    )


def inquiry_receive_email(*, sender: str, subject: str, text: str, message_id: str) -> tuple[Inquiry, bool]:
    """An inbound email (parsed by the mail gateway): the sender's account if one has this address and a
    household, else a guest thread; "IQ-2026-000123" in the subject continues that thread."""
    address = (sender or "").strip().lower()
    if "@" not in address or len(address) > 254 or any(c.isspace() for c in address):
        raise InquiryError("invalid_sender", _("The sender is not an email address."), field="sender")
    body = _text(text)
    title = mask_identifiers((subject or "").strip())[:120] or body[:40]
    household = (
        Household.objects.filter(Q(user__email=address), anonymized_at__isnull=True)
        .select_related("user", "district")
        .first()
    )
    user = household.user if household else None
    if user is not None:
        adopt_guest_threads(user=user, address=address)
    district = household.district if household else guest_district()
    match = REFERENCE.search(subject or "")
    return _receive(
        channel=Channel.EMAIL,
        user=user,
        district=district,
        address=address,
        title=title,
        text=body,
        message_id=message_id,
        reference=match.group(0) if match else "",
    )
