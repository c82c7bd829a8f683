"""A call (공모, one round) of a district: categories, budget, limits, dates, eligibility and rubric."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    # Open for proposals between opens_at and closes_at.
    PUBLISHED = "published", _("Published")
    # Submissions closed: staff screen, evaluators score.
    SCORING = "scoring", _("Evaluation")
    # Scoring closed: scores are visible to the district's staff, who decide.
    DECIDING = "deciding", _("Selection")
    # Applicants were told; selected projects run.
    ANNOUNCED = "announced", _("Results announced")


class Call(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200, validators=[refuse_identifiers])
    description = models.TextField(_("description"), blank=True, validators=[refuse_identifiers])
    budget = models.PositiveBigIntegerField(_("total budget (won)"))
    per_project_limit = models.PositiveBigIntegerField(_("limit per project (won)"))
    opens_at = models.DateTimeField(_("open from"))
    closes_at = models.DateTimeField(_("deadline"))
    min_members = models.PositiveSmallIntegerField(
        _("minimum members resident in the district"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(50)],
        help_text=_("Counting the lead: confirmed members whose household lives in the district."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        ordering = ["-opens_at", "-id"]
        indexes = [models.Index(fields=["district", "status"], name="call_district_status_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="call_dates_order"),
            models.CheckConstraint(
                condition=Q(per_project_limit__lte=models.F("budget")), name="call_limit_within_budget"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.status == CallStatus.PUBLISHED and self.opens_at <= now < self.closes_at


class CallCategory(models.Model):
    """A category of a call, e.g. 공동체 활동 지원 / 공동체 공간 운영 (Seoul's two tracks)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=100, validators=[refuse_identifiers])
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """A rubric line. Each evaluator gives it 0–10 points; its weight (the weights of a call sum to 100)
    turns the points into the weighted score out of 100."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200, validators=[refuse_identifiers])
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gte=1, weight__lte=100), name="criterion_weight")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight})"


class Appointment(models.Model):
    """Who evaluates a call: district staff or a resident appointed to its citizen panel (정책지원단).
    Only appointed evaluators score; the appointment is what gives a resident the evaluator pages."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="community_appointments",
        verbose_name=_("evaluator"),
    )
    appointed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("appointed"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluator appointment")
        verbose_name_plural = _("evaluator appointments")
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="appointment_once")]

    def __str__(self) -> str:
        return f"{self.call} · {self.user_id}"
