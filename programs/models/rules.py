"""Eligibility rules as data: a program's tree of criterion groups and criteria, and the standard median
income table that criteria may refer to. programs.eligibility evaluates them."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.i18n import localized

from .catalog import Program


class MedianIncome(models.Model):
    """기준중위소득: the standard median income published yearly by the Ministry of Health and Welfare."""

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2015), MaxValueValidator(2100)]
    )
    household_size = models.PositiveSmallIntegerField(
        _("household size"), validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    amount = models.PositiveIntegerField(_("monthly amount (KRW)"))

    class Meta:
        ordering = ["-year", "household_size"]
        verbose_name = _("standard median income")
        verbose_name_plural = _("standard median income table")
        constraints = [
            models.UniqueConstraint(fields=["year", "household_size"], name="median_income_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} · {self.household_size}: {self.amount:,}"


class Logic(models.TextChoices):
    ALL = "all", _("all of (AND)")
    ANY = "any", _("any of (OR)")


class CriterionGroup(models.Model):
    """A node of a program's rule tree: its criteria and sub-groups combined with AND or OR.

    Each program has exactly one root group (parent empty); an empty root means everyone qualifies.
    """

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="criterion_groups")
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent group"),
    )
    label = models.CharField(_("label"), max_length=80, blank=True)
    logic = models.CharField(_("combine with"), max_length=3, choices=Logic.choices, default=Logic.ALL)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("criterion group")
        verbose_name_plural = _("criterion groups")
        constraints = [
            models.UniqueConstraint(
                fields=["program"], condition=models.Q(parent__isnull=True), name="one_root_group_per_program"
            )
        ]

    def __str__(self) -> str:
        return self.label or f"{self.get_logic_display()} #{self.pk}"


class Field(models.TextChoices):
    """Profile facts a criterion can test; see programs.eligibility for how each is read."""

    AGE = "age", _("Age")
    GENDER = "gender", _("Gender")
    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    HOUSING_TENURE = "housing_tenure", _("Housing tenure")
    HOUSEHOLD_SIZE = "household_size", _("Household size")
    MONTHLY_INCOME = "monthly_income", _("Monthly income")
    EMPLOYMENT = "employment", _("Employment")
    INCOME_SUPPORT = "income_support", _("Public assistance status")
    CRIME_VICTIM = "crime_victim", _("Victim of a crime")
    SINGLE_PARENT = "single_parent", _("Single-parent household")
    DISABILITY = "disability", _("Registered disability")


class Operator(models.TextChoices):
    EQ = "eq", "="
    NE = "ne", "≠"
    LT = "lt", "<"
    LTE = "lte", "≤"
    GT = "gt", ">"
    GTE = "gte", "≥"
    BETWEEN = "between", _("between")
    IN = "in", _("one of")
    NOT_IN = "not_in", _("none of")
    IS_TRUE = "is_true", _("is yes")
    IS_FALSE = "is_false", _("is no")


class Parameter(models.TextChoices):
    NONE = "", _("— fixed value —")
    MEDIAN_INCOME = "median_income", _("Percentage of the standard median income (기준중위소득)")


class Criterion(models.Model):
    """One comparison of a profile fact against a value or a reference parameter.

    `value` is JSON: a number or string for comparisons, a list for in/not_in, [low, high] for between
    (inclusive). With `parameter` = median_income the compared value is `parameter_percent` % of the
    기준중위소득 for `parameter_year` (empty: the year of evaluation) and `parameter_household_size`
    (empty: the applicant's household size).
    """

    group = models.ForeignKey(
        CriterionGroup, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("group")
    )
    field = models.CharField(_("profile field"), max_length=20, choices=Field.choices)
    operator = models.CharField(_("operator"), max_length=10, choices=Operator.choices)
    value = models.JSONField(_("value"), null=True, blank=True)
    parameter = models.CharField(
        _("parameter"), max_length=20, choices=Parameter.choices, blank=True, default=""
    )
    parameter_percent = models.PositiveSmallIntegerField(
        _("percent of median"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    parameter_year = models.PositiveSmallIntegerField(_("median income year"), null=True, blank=True)
    parameter_household_size = models.PositiveSmallIntegerField(
        _("median income household size"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    explanation = models.CharField(_("explanation (Korean)"), max_length=200)
    explanation_en = models.CharField(_("explanation (English)"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("eligibility criterion")
        verbose_name_plural = _("eligibility criteria")

    def __str__(self) -> str:
        return localized(self, "explanation")
