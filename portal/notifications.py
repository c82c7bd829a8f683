"""Notifications through an outbox: rows written with the change, delivered by Celery after commit.

notify() records one row per channel the resident chose (the in-app inbox always) and queues delivery
with transaction.on_commit, so a rolled-back change sends nothing. notification_deliver() claims a row
with a conditional UPDATE before sending, so a task that is retried, duplicated or run twice sends at
most once; a failure is recorded on the row (attempts, last_error) and retried with backoff.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from .messages import MESSAGES
from .models import Notification, User
from .sms import get_backend

logger = logging.getLogger(__name__)
Channel = Notification.Channel
Status = Notification.Status


def notify(*, user: User, template: str, event_key: str, context: dict[str, Any]) -> list[Notification]:
    """Record the event for each of the user's channels and queue delivery once committed.

    Idempotent on `event_key`: calling it again for the same event creates and sends nothing new.
    """
    if template not in MESSAGES:
        raise ValueError(f"unknown notification template {template!r}")
    household = getattr(user, "household", None)
    channels: list[tuple[str, str]] = [(Channel.IN_APP, "")]
    if household is not None and household.anonymized_at is None:
        if household.notify_by_email and user.email:
            channels.append((Channel.EMAIL, user.email))
        if household.notify_by_sms and household.phone:
            channels.append((Channel.SMS, household.phone))
    created = []
    now = timezone.now()
    for channel, address in channels:
        in_app = channel == Channel.IN_APP
        try:
            # A savepoint per row: a duplicate event must not break the caller's transaction.
            with transaction.atomic():
                row = Notification.objects.create(
                    user=user,
                    channel=channel,
                    template=template,
                    context=context,
                    event_key=event_key,
                    address=address,
                    # The inbox row is the message itself: nothing to deliver.
                    status=Status.SENT if in_app else Status.PENDING,
                    sent_at=now if in_app else None,
                )
        except IntegrityError:
            # Only the duplicate of an event already recorded for this channel is expected; a row
            # refused for any other reason (a missing user, a broken constraint) must not vanish.
            if Notification.objects.filter(event_key=event_key, channel=channel).exists():
                continue  # this event was already recorded for this channel
            raise
        created.append(row)
        if not in_app:
            transaction.on_commit(lambda pk=row.pk: _queue(pk))
    return created


def _queue(notification_id: int) -> None:
    from .tasks import deliver_notification

    # This runs in an on_commit hook, after the change is saved. An exception escaping here (broker
    # down, or a task error propagated in eager mode) would answer 500 for a saved change and skip the
    # hooks after it (other channels, the evaluation task). Logged instead: the row stays pending and
    # notifications_requeue_stale() queues it again.
    try:
        deliver_notification.delay(notification_id)
    except Exception:
        logger.exception(
            "could not queue notification %s; it stays pending for the requeue job", notification_id
        )


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) in the recipient's language; SMS text for the SMS channel."""
    message = MESSAGES[notification.template]
    context = dict(notification.context)
    if (notification.user.language or "").startswith("en"):
        # A name stored in both languages ("program" / "program_en", "place" / "place_en"): English
        # readers get the English one when it was given.
        for key in [k for k in context if k.endswith("_en")]:
            if context[key]:
                context[key[:-3]] = context[key]
    with translation.override(notification.user.language or settings.LANGUAGE_CODE):
        subject = str(message.subject) % _Defaults(context)
        text = str(message.sms if notification.channel == Channel.SMS else message.body) % _Defaults(context)
    return subject, text


class _Defaults(dict):
    """A missing placeholder renders empty rather than failing a delivery."""

    def __missing__(self, key: str) -> str:
        return ""


class Delivery(StrEnum):
    SENT = "sent"
    SKIPPED = "skipped"  # already sent, or being sent by another worker
    FAILED = "failed"


def notification_deliver(*, notification_id: int) -> Delivery:
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Status.PENDING, Status.FAILED]
    ).update(status=Status.SENDING, attempts=F("attempts") + 1)
    if not claimed:
        return Delivery.SKIPPED
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        subject, text = render(notification)
        if notification.channel == Channel.EMAIL:
            send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [notification.address], fail_silently=False)
        elif notification.channel == Channel.SMS:
            get_backend().send(to=notification.address, text=text)
    except Exception as exc:  # noqa: BLE001 - every failure is recorded on the row, then retried
        logger.warning("notification %s failed: %s", notification_id, exc)
        Notification.objects.filter(pk=notification_id).update(
            status=Status.FAILED, last_error=f"{exc.__class__.__name__}: {exc}"[:2000]
        )
        return Delivery.FAILED
    Notification.objects.filter(pk=notification_id).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    if notification.context.get("redact_after_send"):
        # A secret meant for this one message (a parcel locker's one-time pickup code) must not outlive
        # its delivery in the outbox: blank it now that it is sent. Only here, after the send: a failed
        # attempt keeps it for the retry.
        redacted = {**notification.context, "code": "", "redact_after_send": False}
        Notification.objects.filter(pk=notification_id).update(context=redacted)
    return Delivery.SENT


def notifications_requeue_stale(*, older_than_minutes: int = 5) -> int:
    """Re-queue pending rows whose queue message was lost (e.g. the broker was down at commit time)."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(
        Notification.objects.filter(status=Status.PENDING, created_at__lt=cutoff).values_list(
            "pk", flat=True
        )[:1000]
    )
    for pk in ids:
        _queue(pk)
    return len(ids)


def inbox_mark_read(*, user: User, notification_id: int | None = None) -> int:
    rows = Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True)
    if notification_id is not None:
        rows = rows.filter(pk=notification_id)
    return rows.update(read_at=timezone.now())
