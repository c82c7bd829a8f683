"""Evaluation: conflict-of-interest declarations, score sheets (one per evaluator and proposal, sent
whole) and their per-criterion scores, field-visit notes."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.identifiers import refuse_identifiers

from .calls import Criterion
from .proposals import Proposal

MAX_POINTS = 10


class ConflictDeclaration(models.Model):
    """Each evaluator declares, per proposal, whether they have a conflict of interest before scoring;
    a conflicted evaluator cannot score that proposal."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="conflicts")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    conflicted = models.BooleanField(_("I have a conflict of interest"))
    note = models.TextField(_("note"), blank=True, validators=[refuse_identifiers])
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [models.UniqueConstraint(fields=["proposal", "evaluator"], name="conflict_once")]

    def __str__(self) -> str:
        return f"{self.proposal} · {'conflicted' if self.conflicted else 'no conflict'}"


class ScoreSheet(models.Model):
    """One evaluator's scores of one proposal, submitted as a whole, once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="score_sheets")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The evaluator's weighted total out of 100 (sum of points / 10 × weight).
    total = models.DecimalField(_("weighted total"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("comment"), blank=True, validators=[refuse_identifiers])
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        constraints = [models.UniqueConstraint(fields=["proposal", "evaluator"], name="scoresheet_once")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.total}"


class Score(models.Model):
    """A Score per (evaluator, proposal, criterion): the sheet names the evaluator and proposal."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.PositiveSmallIntegerField(_("points"), validators=[MaxValueValidator(MAX_POINTS)])

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_once"),
            models.CheckConstraint(condition=Q(points__lte=MAX_POINTS), name="score_points_range"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.points}"


class FieldVisitNote(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="visit_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    note = models.TextField(_("field-visit note"), validators=[refuse_identifiers])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("field-visit note")
        verbose_name_plural = _("field-visit notes")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on:%Y-%m-%d}"
