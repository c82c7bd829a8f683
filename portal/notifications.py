"""Notifications through an outbox: rows written with the change, delivered by Celery after commit.

notify() records one row per channel the resident chose (the in-app inbox always) and queues delivery
with transaction.on_commit, so a rolled-back change sends nothing. notification_deliver() claims a row
with a conditional UPDATE before sending, so a task that is retried, duplicated or run twice sends at
most once; a failure is recorded on the row (attempts, last_error) and retried with backoff.

Every row ends `sent`, `failed` (staff see it in the admin) or `cancelled`. A worker killed mid-delivery
leaves its row `sending`; notifications_reap_stuck() (beat) finds rows claimed longer ago than any
delivery can take and ends them: an email is sent again under the Message-ID stored before its first
send, so it is recognisably the same message; a text message is never blindly repeated: a template
with a registered stuck handler (a parcel pickup code: lockers issues a new code and texts it) is
cancelled in favour of what the handler sends, any other one is marked failed for staff to look at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from email.utils import make_msgid, parseaddr
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext

from .messages import MESSAGES
from .models import Notification, User
from .sms import get_backend

logger = logging.getLogger(__name__)
Channel = Notification.Channel
Status = Notification.Status


def notify(
    *,
    user: User,
    template: str,
    event_key: str,
    context: dict[str, Any],
    email: bool | None = None,
    sms: bool | None = None,
) -> list[Notification]:
    """Record the event for each of the user's channels and queue delivery once committed.

    Text messages go only to a verified number (households: `phone_verified_at`): a number typed wrong
    belongs to someone else, who must not receive the resident's notices. Idempotent on `event_key`:
    calling it again for the same event creates and sends nothing new. `email` / `sms`: the channels a
    message with a consent of its own was chosen for (outreach), instead of the profile's choices.
    """
    if template not in MESSAGES:
        raise ValueError(f"unknown notification template {template!r}")
    household = getattr(user, "household", None)
    channels: list[tuple[str, str]] = [(Channel.IN_APP, "")]
    if household is not None and household.anonymized_at is None:
        wants_email = household.notify_by_email if email is None else email
        wants_sms = household.notify_by_sms if sms is None else sms
        if wants_email and user.email:
            channels.append((Channel.EMAIL, user.email))
        if wants_sms and household.phone and household.phone_verified_at is not None:
            channels.append((Channel.SMS, household.phone))
    return _record(user=user, channels=channels, template=template, event_key=event_key, context=context)


def notify_sms_to(
    *, user: User, address: str, template: str, event_key: str, context: dict[str, Any]
) -> Notification | None:
    """One text message to a number the resident has not verified yet: only the code that verifies it.

    notify() never texts an unverified number; proving the number is the one exception, and it goes to
    the number alone (no inbox or email copy of a code). Same outbox, same delivery and redaction.
    Returns None when the event was already recorded.
    """
    if template not in MESSAGES:
        raise ValueError(f"unknown notification template {template!r}")
    rows = _record(
        user=user, channels=[(Channel.SMS, address)], template=template, event_key=event_key, context=context
    )
    return rows[0] if rows else None


def notify_address(
    *,
    channel: str,
    address: str,
    template: str,
    event_key: str,
    context: dict[str, Any],
    user: User | None = None,
) -> Notification | None:
    """One email or text message to an address that is not one of `user`'s own channels: a contact who
    is not a user. With `user` it is a message *about* that resident (a guardian they named for care
    check-ins, with the guardian's own consent, checked by the caller): the row is the resident's data
    (erased with their account, redacted like theirs, in their language) but goes to `address` alone, no
    inbox copy. Without `user` there is no account behind the address (a guest who texted the inquiry
    line from a number no household verified): the default language. Same outbox, delivery, retries and
    idempotency on event_key; returns None when the event was already recorded."""
    if template not in MESSAGES:
        raise ValueError(f"unknown notification template {template!r}")
    if channel not in (Channel.EMAIL, Channel.SMS) or not address:
        raise ValueError("a contact is reached by email or text message, at an address")
    rows = _record(
        user=user, channels=[(channel, address)], template=template, event_key=event_key, context=context
    )
    return rows[0] if rows else None


def _record(
    *,
    user: User | None,
    channels: list[tuple[str, str]],
    template: str,
    event_key: str,
    context: dict[str, Any],
) -> list[Notification]:
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


def code_only_in_sms(rows: list[Notification]) -> None:
    """Blank a one-time code from every row of a notify() but the text message's: the inbox and email rows
    never hold it, not even briefly (they are blanked in the caller's transaction, before anything
    commits). The text message's row blanks it once sent (`redact_after_send`)."""
    others = [row.pk for row in rows if row.channel != Channel.SMS]
    for row in Notification.objects.filter(pk__in=others):
        row.context = {**row.context, "code": "", "redact_after_send": False}
        row.save(update_fields=["context"])


def _queue(notification_id: int) -> None:
    from .tasks import deliver_notification

    # This runs in an on_commit hook, after the change is saved. An exception escaping here (broker
    # down, or a task error propagated in eager mode) would answer 500 for a saved change and skip the
    # hooks after it (other channels, the evaluation task). Logged instead: the row stays pending and
    # notifications_requeue_stale() queues it again.
    try:
        deliver_notification.delay(notification_id)
    except Exception as exc:
        if deliver_notification.app.conf.task_always_eager:
            # In-process, the exception is the delivery's own: a bug worth a traceback (and a report).
            logger.exception(
                "notification %s failed in-process; it stays for the requeue job", notification_id
            )
        else:
            # The broker is down: expected, and it would repeat for every message of an outage, so a
            # warning without the traceback (error reporting takes ERROR lines only).
            logger.warning(
                "could not queue notification %s (%s: %s); it stays pending for the requeue job",
                notification_id,
                exc.__class__.__name__,
                exc,
            )


def render(notification: Notification) -> tuple[str, str]:
    """(subject, text) in the recipient's language; SMS text for the SMS channel."""
    message = MESSAGES[notification.template]
    context = dict(notification.context)
    language = notification.user.language if notification.user_id else ""
    if (language or "").startswith("en"):
        # A name stored in both languages ("program" / "program_en", "place" / "place_en"): English
        # readers get the English one when it was given.
        for key in [k for k in context if k.endswith("_en")]:
            if context[key]:
                context[key[:-3]] = context[key]
    with translation.override(language or settings.LANGUAGE_CODE):
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
        pk=notification_id, status__in=[Status.PENDING, Status.FAILED], held=False
    ).update(status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now())
    if not claimed:
        return Delivery.SKIPPED
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    try:
        subject, text = render(notification)
        if notification.channel == Channel.EMAIL:
            EmailMessage(
                subject,
                text,
                settings.DEFAULT_FROM_EMAIL,
                [notification.address],
                headers=_email_headers(notification),
            ).send(fail_silently=False)
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


def _email_headers(notification: Notification) -> dict[str, str]:
    headers = {"Message-ID": _message_id(notification)}
    unsubscribe = notification.context.get("unsubscribe")
    if unsubscribe:
        # RFC 2369 and RFC 8058: mail programs show an unsubscribe button that POSTs to the signed link,
        # no login needed (households.outreach).
        headers["List-Unsubscribe"] = f"<{unsubscribe}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return headers


def _message_id(notification: Notification) -> str:
    """The email's Message-ID: made and committed before the first send, reused by every re-send."""
    if not notification.message_id:
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "hana.local"
        # Unique across databases too (a timestamp and random part), so two installations' row 123 are
        # never taken by a mail system for the same message.
        notification.message_id = make_msgid(idstring=f"notification-{notification.pk}", domain=domain)
        Notification.objects.filter(pk=notification.pk).update(message_id=notification.message_id)
    return notification.message_id


def notifications_requeue_stale(*, older_than: timedelta | None = None) -> int:
    """Re-queue pending rows whose queue message was lost (e.g. the broker was down at commit time)."""
    cutoff = timezone.now() - (older_than or settings.NOTIFICATION_REQUEUE_AFTER)
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


# --- rows stuck in `sending` ---------------------------------------------------------------------------

# A stuck handler answers for a text message that may or may not have reached the phone, when resending
# the same text would be wrong. Called inside the transaction that cancels the stuck row (the row is
# already `cancelled` and its one-time secret blanked); it sends whatever replaces the message (through
# notify(), so on commit) and returns a line for the row's last_error saying what it did. The apps above
# register theirs in AppConfig.ready (the core imports no app).
StuckHandler = Callable[[Notification], str]
STUCK_HANDLERS: dict[str, StuckHandler] = {}


def register_stuck_handler(template: str, handler: StuckHandler) -> None:
    if template not in MESSAGES:
        raise ValueError(f"unknown notification template {template!r}")
    STUCK_HANDLERS[template] = handler


class Reaped(StrEnum):
    RESENT = "resent"  # an email, queued again with its Message-ID
    REPLACED = "replaced"  # a text message cancelled, its stuck handler sent what replaces it
    FAILED = "failed"  # given up: staff see it
    SKIPPED = "skipped"  # another reaper or a late worker got there first


def notifications_reap_stuck(*, older_than: timedelta | None = None, limit: int = 500) -> dict[str, int]:
    """End rows left `sending` by a worker that died mid-delivery (beat, every 2 minutes).

    `older_than` must exceed the delivery task's hard time limit, so a delivery still running is never
    taken for a dead one (settings: NOTIFICATION_SENDING_TIMEOUT). Returns how many rows ended how.
    """
    cutoff = timezone.now() - (older_than or settings.NOTIFICATION_SENDING_TIMEOUT)
    stuck = (
        Notification.objects.filter(status=Status.SENDING)
        # Rows claimed before claimed_at existed have only their creation time.
        .filter(Q(claimed_at__lt=cutoff) | Q(claimed_at__isnull=True, created_at__lt=cutoff))
        .order_by("pk")[:limit]
    )
    outcome: dict[str, int] = {}
    for row in stuck:
        try:
            result = _reap(row)
        except Exception:  # noqa: BLE001 - one row's failure must not stop the others; it is retried
            logger.exception("could not reap stuck notification %s", row.pk)
            continue
        outcome[result] = outcome.get(result, 0) + 1
    if outcome:
        logger.warning("reaped notifications stuck in sending: %s", outcome)
    return outcome


def _reap(row: Notification) -> Reaped:
    # Every ending is a conditional UPDATE on the state this run saw (status, attempts, claim time): a
    # late worker that finishes meanwhile, or a second reaper, makes it match nothing, and nothing is
    # sent twice.
    same = Notification.objects.filter(
        pk=row.pk, status=Status.SENDING, attempts=row.attempts, claimed_at=row.claimed_at
    )
    if row.attempts >= _max_attempts():
        failed = same.update(
            status=Status.FAILED,
            last_error=gettext("Stuck while being sent %(attempts)d times: given up.")
            % {"attempts": row.attempts},
        )
        return Reaped.FAILED if failed else Reaped.SKIPPED
    if row.channel == Channel.EMAIL:
        # Sending an email twice under one Message-ID is harmless (mail systems and readers see one
        # message), so the row goes back to the queue; its next delivery claims it as usual.
        if not same.update(
            status=Status.PENDING,
            last_error=gettext(
                "Stuck while being sent (the worker stopped): sent again with the same Message-ID."
            ),
        ):
            return Reaped.SKIPPED
        _queue(row.pk)
        return Reaped.RESENT
    handler = STUCK_HANDLERS.get(row.template)
    if handler is None:
        failed = same.update(
            status=Status.FAILED,
            held=True,
            last_error=gettext(
                "Stuck while being sent (the worker stopped): the text message may or may not have reached "
                "the phone, so it is not sent again automatically. Check with the resident and send it "
                "again if needed."
            ),
        )
        return Reaped.FAILED if failed else Reaped.SKIPPED
    with transaction.atomic():
        context = dict(row.context)
        if context.get("redact_after_send"):
            # The stuck message's secret is void now: it must not stay in the outbox either.
            context.update(code="", redact_after_send=False)
        if not same.update(status=Status.CANCELLED, context=context):
            return Reaped.SKIPPED
        row.refresh_from_db()
        note = handler(row)
        Notification.objects.filter(pk=row.pk).update(last_error=note[:2000])
    return Reaped.REPLACED


def _max_attempts() -> int:
    from .tasks import MAX_ATTEMPTS  # tasks import this module

    return MAX_ATTEMPTS


def notification_resend(*, notification_id: int) -> bool:
    """Staff send a failed row again (an admin action): back to pending, queued. Only a failed row."""
    if not Notification.objects.filter(pk=notification_id, status=Status.FAILED).update(
        status=Status.PENDING, held=False
    ):
        return False
    transaction.on_commit(lambda: _queue(notification_id))
    return True


def notifications_forget_recipient(*, user: User) -> int:
    """The account is being erased: nothing more goes out to it and the outbox forgets where it went.

    Rows not yet sent end `cancelled` (a conditional UPDATE: a worker's claim of a pending row fails
    afterwards, so a queued message never leaves); every row of the user loses its address (the email
    or phone number captured when the event happened) and its context (names, references). A row a
    worker holds at this moment (`sending`) keeps going to the address it has already read. Returns
    how many were cancelled."""
    rows = Notification.objects.filter(user=user)
    cancelled = rows.filter(status__in=[Status.PENDING, Status.FAILED]).update(
        status=Status.CANCELLED, held=False, last_error="account deleted"
    )
    rows.update(address="", context={})
    return cancelled


def outbox_backlog() -> dict[str, int]:
    """How many outbox rows wait, are being sent, or failed: for /metrics and /healthz.

    `failed` counts rows whose last attempt failed, including those the task will still retry; a row
    that stays failed is one staff must look at (admin: notifications, status "Failed")."""
    counts = dict(
        Notification.objects.filter(status__in=[Status.PENDING, Status.SENDING, Status.FAILED])
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {status.value: counts.get(status, 0) for status in (Status.PENDING, Status.SENDING, Status.FAILED)}
