"""The inquiry thread: the resident's (or a guest's) question, staff answers and follow-ups, on the channel
it came from, with the 48-working-hour clock stored as instants (received_at, alert_at, due_at) so the queue
and the sweep are indexed comparisons."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager

from .teams import Team, Topic


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")


class InquiryStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (InquiryStatus.OPEN,)


class SubjectKind(models.TextChoices):
    """What the inquiry is about, when it is about one of the resident's own records."""

    APPLICATION = "application", _("Program application")
    BOOKING = "booking", _("Space booking")
    KIT_REQUEST = "kit_request", _("Safety kit request")
    PARCEL = "parcel", _("Parcel")


class Inquiry(models.Model):
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("team"),
    )
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices, default=Topic.GENERAL)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # The resident; empty for a guest (a number or address matched to no verified household).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inquiries",
        verbose_name=_("resident"),
    )
    # Where a guest's answers go (the number or address it came from); erased when the thread is anonymized.
    guest_address = models.CharField(_("guest's number or address"), max_length=254, blank=True)
    title = models.CharField(_("subject"), max_length=120, validators=[refuse_identifiers])
    subject_kind = models.CharField(_("about"), max_length=20, choices=SubjectKind.choices, blank=True)
    subject_id = models.PositiveBigIntegerField(_("about record"), null=True, blank=True)
    subject_label = models.CharField(_("about"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=InquiryStatus.choices, default=InquiryStatus.OPEN
    )
    # The clock of the current question (a follow-up after an answer starts it again).
    received_at = models.DateTimeField(_("received"))
    alert_at = models.DateTimeField(_("lead alerted from"))
    due_at = models.DateTimeField(_("answer due"))
    alerted_at = models.DateTimeField(_("lead alerted"), null=True, blank=True)
    breached_at = models.DateTimeField(_("promise broken"), null=True, blank=True)
    # The first answer: the figures (answered within 48 working hours, median time) read these.
    first_answered_at = models.DateTimeField(_("first answered"), null=True, blank=True)
    answer_seconds = models.PositiveIntegerField(_("working seconds to first answer"), null=True, blank=True)
    answered_in_time = models.BooleanField(_("answered within the promise"), null=True, blank=True)
    last_answered_at = models.DateTimeField(_("last answered"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        _("rating"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(
        _("rating comment"), blank=True, max_length=1000, validators=[refuse_identifiers]
    )
    rated_at = models.DateTimeField(_("rated"), null=True, blank=True)
    anonymized_at = models.DateTimeField(_("anonymized"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["rating_comment", "guest_address", "title"])
    objects = ScopedManager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("inquiry")
        verbose_name_plural = _("inquiries")
        indexes = [
            # The queue: a district's open inquiries, the soonest due first. Partial: open rows only, a
            # small slice of millions.
            models.Index(fields=["district", "due_at"], name="inquiry_queue_idx", condition=Q(status="open")),
            # The sweep: open rows not yet alerted / not yet marked breached.
            models.Index(
                fields=["alert_at"],
                name="inquiry_alert_due_idx",
                condition=Q(status="open", alerted_at__isnull=True),
            ),
            models.Index(
                fields=["due_at"],
                name="inquiry_breach_due_idx",
                condition=Q(status="open", breached_at__isnull=True),
            ),
            # The district's list in any status ("All"), soonest due first.
            models.Index(fields=["district", "due_at", "id"], name="inquiry_district_due_idx"),
            # The monthly figures: a district's first answers by month.
            models.Index(fields=["district", "received_at"], name="inquiry_month_idx"),
            models.Index(fields=["user", "received_at"], name="inquiry_resident_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="inquiry_rating_range",
            ),
            models.CheckConstraint(
                condition=Q(due_at__gte=models.F("alert_at")), name="inquiry_alert_before_due"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Inquiry"))

    @property
    def is_guest(self) -> bool:
        return self.user_id is None


class Author(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    STAFF = "staff", _("Staff")


class InquiryMessage(models.Model):
    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="messages")
    author = models.CharField(_("from"), max_length=10, choices=Author.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    body = models.TextField(_("message"), max_length=2000, validators=[refuse_identifiers])
    # The gateway's id of an inbound text or email: the same message delivered twice is stored once.
    provider_message_id = models.CharField(_("provider message id"), max_length=100, blank=True)
    template = models.ForeignKey(
        "inquiries.AnswerTemplate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer template"),
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("inquiry message")
        verbose_name_plural = _("inquiry messages")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "provider_message_id"],
                condition=~Q(provider_message_id=""),
                name="inquiry_message_provider_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_author_display()} · {self.created_at:%Y-%m-%d %H:%M}"
