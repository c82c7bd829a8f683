"""Re-verification of a recurring benefit before each period: the resident confirms their circumstances,
eligibility is judged again with the current rules and 기준중위소득, and staff decide when it fails."""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.scoping import ScopedManager
from programs.models import EligibilityRecord


class ReverificationStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the resident")
    CONFIRMED = "confirmed", _("Confirmed: still eligible")
    NEEDS_DECISION = "needs_decision", _("Not eligible any more: staff decide")
    CONTINUED = "continued", _("Continued by staff")
    STOPPED = "stopped", _("Stopped")


def _document_path(instance: Reverification, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"benefits/reverifications/{instance.award_id}/{uuid.uuid4().hex}{suffix}"


class Reverification(EligibilityRecord):
    award = models.ForeignKey(
        "benefits.Award", on_delete=models.CASCADE, related_name="reverifications", verbose_name=_("award")
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    period = models.CharField(_("period"), max_length=20)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReverificationStatus.choices,
        default=ReverificationStatus.REQUESTED,
    )
    requested_at = models.DateTimeField(_("asked"), auto_now_add=True)
    circumstances_changed = models.BooleanField(_("circumstances changed"), null=True, blank=True)
    changes = models.TextField(_("what changed"), blank=True, validators=[refuse_identifiers])
    document = models.FileField(_("document"), upload_to=_document_path, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), blank=True, validators=[refuse_identifiers])

    objects = ScopedManager()

    class Meta:
        verbose_name = _("re-verification")
        verbose_name_plural = _("re-verifications")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["award", "period"], name="reverification_one_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.period}"
