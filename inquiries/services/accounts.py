"""inquiries' part when a resident's account is deleted (households announces it: see inquiries.receivers)."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.http import HttpRequest
from django.utils import timezone

from households.models import Household
from portal.models import Notification, User

from ..models import Inquiry, InquiryMessage, InquiryStatus


def inquiries_erase_for_deleted_account(
    *, user: User, household: Household | None, request: HttpRequest | None = None
) -> int:
    """Close the resident's threads and erase what they wrote (subjects, messages, rating comments) and the
    number or address a thread of theirs kept; the rows stay for the district's figures, with no one in
    them. Also the guest threads from the resident's verified number or their email address."""
    # The account's address (still set when the apps are told). Guest threads from the resident's number
    # became theirs when the number was matched (inbound.adopt_guest_threads): households has blanked
    # the number by now.
    addresses = [user.email.lower()] if user.email else []
    threads = Inquiry.objects.filter(
        Q(user=user) | Q(user__isnull=True, guest_address__in=addresses or ["-"])
    )
    ids = list(threads.values_list("pk", flat=True))
    if not ids:
        return 0
    now = timezone.now()
    Inquiry.objects.filter(pk__in=ids, status__in=[InquiryStatus.OPEN, InquiryStatus.ANSWERED]).update(
        status=InquiryStatus.CLOSED
    )
    inquiries_anonymize(pks=ids, now=now)
    # Messages the outbox sent to a guest address of theirs (no account behind them then).
    Notification.objects.filter(user__isnull=True, address__in=addresses or ["-"]).update(
        address="", context={}
    )
    return len(ids)


def inquiries_anonymize(*, pks: list[int], now) -> int:
    """Blank what people wrote in these threads (subjects, messages — staff answers quote the question —
    rating comments, what a thread was about) and the number or address a guest thread kept, history
    included; the rows stay, with their clock and rating, for the district's figures."""
    done = Inquiry.objects.filter(pk__in=pks).update(
        title="—", rating_comment="", guest_address="", subject_label="", anonymized_at=now
    )
    InquiryMessage.objects.filter(inquiry_id__in=pks).update(body="—")
    Inquiry.history.filter(id__in=pks).update(subject_label="")
    return done


def inquiries_data_for_export(*, user: User) -> dict:
    """The inquiries section of a resident's data download (PIPA art. 35): every thread they asked, with
    each message (theirs and the district's answers) and their rating."""
    threads = (
        Inquiry.objects.filter(user=user)
        .prefetch_related(Prefetch("messages", queryset=InquiryMessage.objects.order_by("created_at", "pk")))
        .order_by("received_at", "pk")
    )
    return {
        "inquiries": [
            {
                "reference": inquiry.reference,
                "title": inquiry.title,
                "about": inquiry.subject_label,
                "channel": inquiry.channel,
                "status": inquiry.status,
                "received_at": inquiry.received_at.isoformat(),
                "rating": inquiry.rating,
                "rating_comment": inquiry.rating_comment,
                "messages": [
                    {
                        "from": message.author,
                        "channel": message.channel,
                        "sent_at": message.created_at.isoformat(),
                        "text": message.body,
                    }
                    for message in inquiry.messages.all()
                ],
            }
            for inquiry in threads
        ]
    }
