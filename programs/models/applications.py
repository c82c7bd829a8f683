"""Applications to programs: the application and its lifecycle, uploaded documents, staff notes and
lottery draws. The questions a program asks live with the catalog (programs.models.catalog)."""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager

from .catalog import ProgramQuestion

if TYPE_CHECKING:
    from ..eligibility import Outcome


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    WAITLISTED = "waitlisted", _("On the waiting list")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


# Statuses that hold or may still take a place: used for "applied twice" and capacity counts.
ACTIVE_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.APPROVED,
    ApplicationStatus.COMPLETED,
)
PLACE_HOLDING_STATUSES = (ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED)
UNDECIDED_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.WAITLISTED,
)


class EligibilityRecord(models.Model):
    """The eligibility outcome a request was judged on, kept with the rule version that produced it
    (applications and safety-kit requests alike)."""

    eligibility_verdict = models.CharField(_("eligibility"), max_length=12, blank=True)
    eligibility_lines = models.JSONField(_("eligibility details"), default=list, blank=True)
    eligibility_rule_version = models.PositiveIntegerField(_("rule version"), null=True, blank=True)
    eligibility_checked_at = models.DateTimeField(_("eligibility checked"), null=True, blank=True)

    ELIGIBILITY_FIELDS = (
        "eligibility_verdict",
        "eligibility_lines",
        "eligibility_rule_version",
        "eligibility_checked_at",
    )

    class Meta:
        abstract = True

    def record_eligibility(self, outcome: Outcome | None) -> list[str]:
        """Store `outcome` (None: no rules, everyone qualifies); returns the fields to save."""
        if outcome is None:
            self.eligibility_verdict, self.eligibility_lines, self.eligibility_rule_version = (
                "eligible",
                [],
                None,
            )
        else:
            self.eligibility_verdict = str(outcome.verdict)
            self.eligibility_lines = [line.stored() for line in outcome.lines]
            self.eligibility_rule_version = outcome.rule_version
        self.eligibility_checked_at = timezone.now()
        return list(self.ELIGIBILITY_FIELDS)


class Application(EligibilityRecord):
    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="applications", verbose_name=_("program")
    )
    household = models.ForeignKey(
        "households.Household",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("household"),
    )
    # The district whose staff review it (the program's, or for a city-wide program the applicant's):
    # what scopes the application to a district's staff.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)

    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])
    lottery_rank = models.PositiveIntegerField(_("lottery rank"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # visible_to(user): staff see the applications of their district (the one reviewing them).
    objects = ScopedManager()
    history = HistoricalRecords(excluded_fields=["answers", "eligibility_lines"])

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at"]
        indexes = [
            # The review queue: a district's applications oldest first, all or of one status.
            models.Index(fields=["district", "submitted_at"], name="application_district_idx"),
            models.Index(fields=["district", "status", "submitted_at"], name="application_queue_idx"),
            models.Index(fields=["program", "status", "submitted_at"], name="application_program_idx"),
            models.Index(fields=["submitted_at"], name="application_submitted_idx"),  # city admins' queue
            # The sweep of applications never judged (their evaluation task was lost): only those rows,
            # so the index stays tiny however many millions of applications there are.
            models.Index(
                fields=["submitted_at"],
                condition=Q(status="submitted", eligibility_checked_at__isnull=True),
                name="application_unjudged_idx",
            ),
        ]
        constraints = [
            # One live application per household and program, whatever the code path (API, web, admin).
            models.UniqueConstraint(
                fields=["program", "household"],
                condition=~Q(status__in=["cancelled", "rejected"]),
                name="application_one_live_per_household",
                violation_error_message=_("You have already applied to this program."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(decision_reason=""),
                name="application_rejection_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.reference or str(_("Draft application"))

    @property
    def is_open(self) -> bool:
        return self.status in UNDECIDED_STATUSES or self.status == ApplicationStatus.DRAFT


def _document_path(instance: ApplicationDocument, filename: str) -> str:
    # A random name: the resident's file name may hold personal data and must not become a path.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class InformationRequest(models.Model):
    """One round of "the district needs more information": the caseworker's question and the resident's
    reply, kept after the application moves on, so several rounds read as an exchange.

    Created by application_decide (request_info); closed by the resident's reply
    (application_provide_info), or, unanswered, when the application is decided or cancelled meanwhile.
    An application has at most one open request (the database says so).
    """

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="information_requests",
        verbose_name=_("application"),
    )
    question = models.TextField(_("information asked for"), validators=[refuse_identifiers])
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("asked by"),
    )
    asked_at = models.DateTimeField(_("asked"), default=timezone.now)
    reply = models.TextField(_("reply"), blank=True, validators=[refuse_identifiers])
    # The questions whose answers the resident changed with the reply (field names, "q12").
    changed_answers = models.JSONField(_("answers changed"), default=list, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    # Set with the reply, or when the application left "information requested" without one.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(closed_at__isnull=True),
                name="information_request_one_open",
            ),
        ]

    def __str__(self) -> str:
        return self.question[:50]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ApplicationDocument(models.Model):
    """An uploaded document, stored under MEDIA_ROOT (never served directly: see programs.views.documents)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    question = models.ForeignKey(
        ProgramQuestion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The round of "more information" the document was sent with (None: uploaded while drafting).
    information_request = models.ForeignKey(
        InformationRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("information request"),
    )
    file = models.FileField(_("file"), upload_to=_document_path)
    original_name = models.CharField(_("file name"), max_length=200, validators=[refuse_identifiers])
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.original_name


class ApplicationNote(models.Model):
    """A caseworker's note on an application; visible to staff only."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    body = models.TextField(_("note"), validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")

    def __str__(self) -> str:
        return self.body[:50]


class LotteryDraw(models.Model):
    """A lottery held for a program at its deadline; `seed` lets anyone replay the draw."""

    program = models.OneToOneField("programs.Program", on_delete=models.PROTECT, related_name="lottery_draw")
    seed = models.CharField(_("seed"), max_length=64)
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    entrants = models.PositiveIntegerField(_("entrants"))
    approved = models.PositiveIntegerField(_("approved"))
    order = models.JSONField(_("drawn order (application ids)"), default=list)

    class Meta:
        verbose_name = _("lottery draw")
        verbose_name_plural = _("lottery draws")

    def __str__(self) -> str:
        return f"{self.program} · {self.drawn_at:%Y-%m-%d}"
