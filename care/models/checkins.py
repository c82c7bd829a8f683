"""Wellbeing check-ins (the 살피미 idea): an enrolled resident is asked how they are on a schedule; a
missed or undeliverable answer always escalates: reminder → caseworker call → home visit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District, Neighbourhood
from portal.scoping import ScopedManager


class EnrolmentStatus(models.TextChoices):
    # A pause is a date range on an active enrolment (paused_from … paused_until): no check-in then.
    ACTIVE = "active", _("Active")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Step(models.TextChoices):
    """Ladder steps (for the plan's "tell guardians at")."""

    NEVER = "never", _("Never")
    REMINDER = "reminder", _("When a reminder is sent")
    CALL = "call", _("When a call task is opened")
    VISIT = "visit", _("When a home visit task is opened")


class Enrolment(models.Model):
    """A resident enrolled (with their recorded consent) in scheduled check-ins."""

    household = models.OneToOneField(
        "households.Household", on_delete=models.CASCADE, related_name="care_enrolment"
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("행정동"),
    )
    status = models.CharField(_("status"), max_length=10, choices=EnrolmentStatus.choices, default="active")
    # The resident's consent, recorded when staff enrolled them (what they agreed to, and when).
    consent_version = models.CharField(_("consent notice version"), max_length=20)
    consent_given_at = models.DateTimeField(_("consent given"))
    # Schedule: a bitmask of weekdays (bit 0 = Monday … bit 6 = Sunday; a mask filters the same way on
    # SQLite and PostgreSQL, where a JSON list would not), at a local time.
    days = models.PositiveSmallIntegerField(_("weekdays"), default=0b0001001)
    at = models.TimeField(_("time of day"))
    by_email = models.BooleanField(_("by email"), default=True)
    by_sms = models.BooleanField(_("by text message"), default=True)
    # Escalation plan: how long an answer may take before the next step, and when guardians are told.
    answer_window_hours = models.PositiveSmallIntegerField(_("hours to answer"), default=4)
    guardians_told_at = models.CharField(
        _("tell guardians"), max_length=10, choices=Step.choices, default=Step.CALL
    )
    paused_from = models.DateField(_("paused from"), null=True, blank=True)
    paused_until = models.DateField(_("paused until"), null=True, blank=True)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("enrolled"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("check-in enrolment")
        verbose_name_plural = _("check-in enrolments")
        indexes = [models.Index(fields=["status", "district"], name="care_enrol_status")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    @property
    def weekdays(self) -> list[int]:
        return [day for day in range(7) if self.days & (1 << day)]

    def is_paused_on(self, day) -> bool:
        return bool(self.paused_from and self.paused_until and self.paused_from <= day <= self.paused_until)


class Guardian(models.Model):
    """Someone the resident named to be told when check-ins go unanswered. Not a user: reached by email
    or text message (portal.notifications.notify_address), only with their own consent."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("name"), max_length=50, validators=[refuse_identifiers])
    relation = models.CharField(_("relation"), max_length=30, blank=True, validators=[refuse_identifiers])
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    consent_given_at = models.DateTimeField(_("guardian's consent given"), null=True, blank=True)

    class Meta:
        verbose_name = _("guardian")
        verbose_name_plural = _("guardians")

    def __str__(self) -> str:
        return self.name


class CheckInStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    SENT = "sent", _("Sent")
    REMINDED = "reminded", _("Reminded")
    CALL = "call", _("Caseworker to call")
    VISIT = "visit", _("Home visit")
    ANSWERED_OK = "answered_ok", _("Doing well")
    HELP_REQUESTED = "help_requested", _("Asked for help")
    SKIPPED = "skipped", _("Not sent (paused or withdrawn)")
    CLOSED = "closed", _("Closed by staff")


OPEN_CHECKIN_STATUSES = ("sent", "reminded")


class CheckIn(models.Model):
    # Few indexes on purpose: the sweep moves tens of thousands of rows at once, and every index is
    # written again for each moved row. The FKs' own indexes are covered by the ones in Meta.
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+", db_index=False)
    scheduled_at = models.DateTimeField(_("scheduled"))
    status = models.CharField(_("status"), max_length=16, choices=CheckInStatus.choices, default="scheduled")
    # When the current step runs out (set at send and at reminder; the sweep compares it with now).
    due_at = models.DateTimeField(_("answer due"), null=True, blank=True)
    # When the dispatch queued its send task (the next dispatch leaves it alone unless it went stale).
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The answer link is single-use: the first answer sets used_at, later taps change nothing.
    used_at = models.DateTimeField(_("answered"), null=True, blank=True)
    # What the messages of the current step were (reminder/task messages are sent by a task that claims
    # the row: notified_step = status once done, so a rerun sends nothing).
    notified_step = models.CharField(max_length=16, blank=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["-scheduled_at", "-id"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "scheduled_at"], name="care_checkin_once"),
        ]
        indexes = [
            # The sweep's: open check-ins by when their step runs out (a row leaving them is not re-added).
            models.Index(
                fields=["due_at"],
                condition=Q(status__in=["sent", "reminded", "call"]),
                name="care_checkin_due",
            ),
            # The dispatch's: scheduled check-ins by time.
            models.Index(fields=["scheduled_at"], condition=Q(status="scheduled"), name="care_checkin_sched"),
            # Staff lists and the dashboard: a district's check-ins by time.
            models.Index(fields=["district", "scheduled_at"], name="care_checkin_district"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"


class TaskKind(models.TextChoices):
    CALL = "call", _("Phone the resident")
    VISIT = "visit", _("Home visit")
    HELP = "help", _("Resident asked for help")


class TaskOutcome(models.TextChoices):
    REACHED = "reached", _("Reached: all right")
    NO_ANSWER = "no_answer", _("No answer")
    NEEDS_VISIT = "needs_visit", _("Needs a visit")
    VISITED = "visited", _("Visited")


class CheckInTask(models.Model):
    """An open item on the caseworkers' board: a call, a visit, or a resident's request for help."""

    # FK indexes covered by the unique constraint and the board's index (see Meta).
    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="tasks", db_index=False)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("행정동"),
        db_index=False,
    )
    kind = models.CharField(_("task"), max_length=10, choices=TaskKind.choices)
    created_at = models.DateTimeField(_("opened"))
    outcome = models.CharField(_("outcome"), max_length=12, choices=TaskOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True, validators=[refuse_identifiers])
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ScopedManager()

    class Meta:
        ordering = ["created_at", "id"]  # the board: oldest first
        verbose_name = _("check-in task")
        verbose_name_plural = _("check-in tasks")
        constraints = [
            # One task per check-in and kind: the sweep running twice opens nothing new.
            models.UniqueConstraint(fields=["checkin", "kind"], name="care_task_once"),
        ]
        indexes = [
            models.Index(
                fields=["district", "neighbourhood", "created_at"],
                condition=Q(closed_at__isnull=True),
                name="care_task_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
