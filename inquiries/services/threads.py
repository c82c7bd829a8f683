"""The inquiry thread: a question arrives (web, email or text message), is routed to its district's team
with the working-hours clock started, is answered by staff on the channel it came from, and continues with
the resident's follow-ups; the resident rates the answer.

Every change is one transaction with its audit event; messages leave through the core's outbox on commit
(notify for residents, notify_address for a guest's bare number or address).
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.identifiers import contains_identifier
from portal.models import District, Notification, User
from portal.notifications import notify, notify_address
from portal.timeutils import to_local

from .. import clock
from ..models import (
    AnswerTemplate,
    Author,
    Channel,
    Inquiry,
    InquiryMessage,
    SubjectKind,
    Topic,
    TopicRoute,
)
from ..selectors import subject_of
from .base import InquiryError, S, inquiry_flow

MAX_BODY = 2000
MAX_TITLE = 120


def _clean_text(value: str, *, code: str, empty: str, limit: int, too_long: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InquiryError(code, empty)
    if len(text) > limit:
        raise InquiryError(f"{code.removesuffix('_required')}_too_long", too_long)
    if contains_identifier(text):
        raise InquiryError(
            code.replace("_required", "_identifier"),
            _("Remove the resident registration number: it must never be sent or stored."),
            field=code.removesuffix("_required"),
        )
    return text


def clean_body(value: str) -> str:
    return _clean_text(
        value,
        code="body_required",
        empty=_("Write your message."),
        limit=MAX_BODY,
        too_long=_("Keep the message under 2,000 characters."),
    )


def clean_title(value: str) -> str:
    return _clean_text(
        value,
        code="title_required",
        empty=_("Give your inquiry a short subject."),
        limit=MAX_TITLE,
        too_long=_("Keep the subject under 120 characters."),
    )


def route(district: District, topic: str):
    """The team taking `topic` in `district`, else the one taking general questions, else none."""
    routes = {
        r.topic: r.team for r in TopicRoute.objects.filter(district=district).select_related("team__lead")
    }
    return routes.get(topic) or routes.get(Topic.GENERAL)


def _start_clock(inquiry: Inquiry, at: datetime) -> None:
    inquiry.received_at = at
    inquiry.alert_at = clock.alert_at(at)
    inquiry.due_at = clock.due_at(at)
    inquiry.alerted_at = None
    inquiry.breached_at = None


def local_text(moment: datetime) -> str:
    return f"{to_local(moment):%Y-%m-%d %H:%M}"


def _link(inquiry: Inquiry) -> str:
    return f"{settings.SITE_URL}/inquiries/{inquiry.pk}/"


def _create(
    *,
    district: District,
    topic: str,
    channel: str,
    title: str,
    body: str,
    user: User | None,
    guest_address: str = "",
    provider_message_id: str = "",
    subject: tuple[str, int, str] | None = None,
    request: HttpRequest | None = None,
) -> Inquiry:
    now = timezone.now()
    inquiry = Inquiry(
        district=district,
        team=route(district, topic),
        topic=topic,
        channel=channel,
        user=user,
        guest_address=guest_address,
        title=title,
    )
    if subject:
        inquiry.subject_kind, inquiry.subject_id, inquiry.subject_label = subject
    _start_clock(inquiry, now)
    inquiry._history_user = user
    inquiry.save()
    inquiry.reference = f"IQ-{timezone.localtime(now).year}-{inquiry.pk:06d}"
    inquiry.save(update_fields=["reference"])
    InquiryMessage.objects.create(
        inquiry=inquiry,
        author=Author.RESIDENT,
        channel=channel,
        body=body,
        provider_message_id=provider_message_id,
    )
    inquiry_flow.record(inquiry, "inquiries.inquiry.received", actor=user, request=request, channel=channel)
    _tell(inquiry, "inquiry.received", {"title": title, "due": local_text(inquiry.due_at)})
    return inquiry


def _tell(inquiry: Inquiry, template: str, extra: dict, *, key: str = "") -> None:
    """Tell the resident or guest on the channel the inquiry came from (residents also in their inbox)."""
    context = {
        "reference": inquiry.reference or "",
        "team": str(inquiry.team or inquiry.district),
        "link": _link(inquiry),
        **extra,
    }
    event_key = f"inquiry:{inquiry.pk}:{template}:{key or inquiry._event.pk}"
    if inquiry.user_id is None:
        if inquiry.guest_address:
            channel = (
                Notification.Channel.SMS if inquiry.channel == Channel.SMS else Notification.Channel.EMAIL
            )
            notify_address(
                channel=channel,
                address=inquiry.guest_address,
                template=template,
                event_key=event_key,
                context=context,
            )
        return
    by_channel = {
        Channel.SMS: {"email": False, "sms": True},
        Channel.EMAIL: {"email": True, "sms": False},
    }.get(inquiry.channel, {})
    notify(user=inquiry.user, template=template, event_key=event_key, context=context, **by_channel)


# --- web -------------------------------------------------------------------------------------------------


@transaction.atomic
def inquiry_submit(
    *,
    user: User,
    title: str,
    body: str,
    topic: str = Topic.GENERAL,
    subject_kind: str = "",
    subject_id: int | None = None,
    request: HttpRequest | None = None,
) -> Inquiry:
    """A resident's question from the web, optionally about one of their own records under way."""
    household = Household.objects.filter(user=user, anonymized_at__isnull=True).first()
    if household is None:
        raise InquiryError(
            "no_household", _("Fill in your profile first: we route your inquiry to your district.")
        )
    if topic not in Topic.values:
        raise InquiryError("invalid_topic", _("Choose a topic from the list."))
    subject = None
    if subject_kind or subject_id:
        row = (
            subject_of(user, subject_kind, subject_id)
            if subject_kind in SubjectKind.values and subject_id
            else None
        )
        if row is None:
            raise InquiryError(
                "invalid_subject", _("Choose one of your own applications, bookings, requests or parcels.")
            )
        subject = (row.kind, row.pk, row.label[:200])
    return _create(
        district=household.district,
        topic=topic,
        channel=Channel.WEB,
        title=clean_title(title),
        body=clean_body(body),
        user=user,
        subject=subject,
        request=request,
    )


def own_inquiry(user: User, inquiry_id: int) -> Inquiry:
    """The resident's own inquiry, locked; anyone else's is "not found"."""
    try:
        inquiry = inquiry_flow.lock(inquiry_id)
    except Inquiry.DoesNotExist:
        inquiry = None
    if inquiry is None or inquiry.user_id != user.pk or inquiry.anonymized_at:
        raise InquiryError("not_found", _("Inquiry not found."))
    return inquiry


def _follow_up(
    inquiry: Inquiry,
    *,
    body: str,
    channel: str,
    actor: User | None,
    provider_message_id: str = "",
    request=None,
) -> InquiryMessage:
    if inquiry.status == S.CLOSED:
        raise InquiryError("invalid_transition", _("This inquiry is closed: start a new one."))
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        author=Author.RESIDENT,
        channel=channel,
        body=body,
        provider_message_id=provider_message_id,
    )
    if inquiry.status == S.ANSWERED:
        # A new question in the thread: the promise starts again for it.
        _start_clock(inquiry, timezone.now())
        inquiry_flow.move(
            inquiry,
            S.OPEN,
            actor=actor,
            request=request,
            received_at=inquiry.received_at,
        )
    else:
        inquiry_flow.record(inquiry, "inquiries.inquiry.follow_up", actor=actor, request=request)
    return message


@transaction.atomic
def inquiry_follow_up(
    *, user: User, inquiry_id: int, body: str, request: HttpRequest | None = None
) -> InquiryMessage:
    inquiry = own_inquiry(user, inquiry_id)
    return _follow_up(inquiry, body=clean_body(body), channel=Channel.WEB, actor=user, request=request)


@transaction.atomic
def inquiry_rate(
    *, user: User, inquiry_id: int, rating: int, comment: str = "", request: HttpRequest | None = None
) -> Inquiry:
    inquiry = own_inquiry(user, inquiry_id)
    if inquiry.first_answered_at is None:
        raise InquiryError("invalid_transition", _("You can rate the answer once there is one."))
    if inquiry.rated_at is not None:
        raise InquiryError("already_rated", _("You have already rated this answer."))
    if not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5:
        raise InquiryError("invalid_rating", _("Choose a rating from 1 to 5."))
    comment = (comment or "").strip()
    if comment:
        comment = _clean_text(
            comment,
            code="comment_required",
            empty="",
            limit=1000,
            too_long=_("Keep the comment under 1,000 characters."),
        )
    inquiry.rating, inquiry.rating_comment, inquiry.rated_at = rating, comment, timezone.now()
    inquiry._history_user = user
    inquiry.save(update_fields=["rating", "rating_comment", "rated_at"])
    inquiry_flow.record(inquiry, "inquiries.inquiry.rated", actor=user, request=request, rating=rating)
    return inquiry


# --- staff -----------------------------------------------------------------------------------------------


def staff_inquiry(staff: User, inquiry_id: int) -> Inquiry:
    """An inquiry of the staff member's district, locked; another district's is "not found"."""
    if not Inquiry.objects.visible_to(staff).filter(pk=inquiry_id).exists():
        raise InquiryError("not_found", _("Inquiry not found."))
    return inquiry_flow.lock(inquiry_id)


@transaction.atomic
def inquiry_answer(
    *,
    staff: User,
    inquiry_id: int,
    body: str,
    template_id: int | None = None,
    request: HttpRequest | None = None,
) -> InquiryMessage:
    """Answer the open question; the answer goes back on the channel the inquiry came from. An answered
    (not closed) thread takes a further answer — a correction, the news staff promised — sent the same
    way and audited as "inquiries.inquiry.answered_again"; it stays answered and its first-answer figures
    do not change."""
    inquiry = staff_inquiry(staff, inquiry_id)
    if inquiry.status != S.ANSWERED:
        inquiry_flow.check(inquiry, S.ANSWERED)
    body = clean_body(body)
    template = None
    if template_id:
        template = (
            AnswerTemplate.objects.visible_to(staff).filter(pk=template_id).first()
            or AnswerTemplate.objects.filter(pk=template_id, district__isnull=True).first()
        )
    now = timezone.now()
    message = InquiryMessage.objects.create(
        inquiry=inquiry,
        author=Author.STAFF,
        staff=staff,
        channel=inquiry.channel,
        body=body,
        template=template,
    )
    fields = {"last_answered_at": now}
    if inquiry.status == S.ANSWERED:
        inquiry.last_answered_at = now
        inquiry._history_user = staff
        inquiry.save(update_fields=["last_answered_at"])
        inquiry_flow.record(inquiry, "inquiries.inquiry.answered_again", actor=staff, request=request)
        _tell(inquiry, "inquiry.answered", {"answer": body})
        return message
    if inquiry.first_answered_at is None:
        fields.update(
            first_answered_at=now,
            answer_seconds=clock.working_seconds_between(inquiry.received_at, now),
            answered_in_time=now <= inquiry.due_at,
        )
    inquiry_flow.move(inquiry, S.ANSWERED, actor=staff, request=request, **fields)
    _tell(inquiry, "inquiry.answered", {"answer": body})
    return message


@transaction.atomic
def inquiry_close(*, staff: User, inquiry_id: int, request: HttpRequest | None = None) -> Inquiry:
    inquiry = staff_inquiry(staff, inquiry_id)
    return inquiry_flow.move(inquiry, S.CLOSED, actor=staff, request=request)
