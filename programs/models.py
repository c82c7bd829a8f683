"""The program catalog (fields as in 복지로), its policy real-name record, and eligibility rules as data."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.i18n import localized
from portal.models import City, District


class Category(models.TextChoices):
    """The four areas of Gwanak-gu's single-person household plan."""

    HOUSING_JOBS = "housing_jobs", _("Housing & jobs")
    SAFETY = "safety", _("Safety")
    HEALTH_CARE = "health_care", _("Health & care")
    SOCIAL = "social", _("Social connection")


class BenefitType(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")
    VOUCHER = "voucher", _("Voucher")
    SERVICE = "service", _("Service")


class SelectionMethod(models.TextChoices):
    FIRST_COME = "first_come", _("First come, first served")
    REVIEW = "review", _("Review by the district")
    LOTTERY = "lottery", _("Lottery")


class ProgramStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class ProgramQuerySet(models.QuerySet):
    def published(self) -> ProgramQuerySet:
        return self.filter(status=ProgramStatus.PUBLISHED)

    def open_on(self, day) -> ProgramQuerySet:
        """Published and inside the application period on `day` (a local date); open ends are open."""
        return self.published().filter(
            models.Q(application_start__isnull=True) | models.Q(application_start__lte=day),
            models.Q(application_end__isnull=True) | models.Q(application_end__gte=day),
        )

    def open_now(self) -> ProgramQuerySet:
        return self.open_on(timezone.localdate())

    def serving_district(self, district: District) -> ProgramQuerySet:
        """Programs a resident of `district` can use: the district's own and city-wide ones."""
        return self.filter(
            models.Q(district=district) | models.Q(district__isnull=True, city_id=district.city_id)
        )


class Program(models.Model):
    slug = models.SlugField(
        _("code"), max_length=80, unique=True, help_text=_("A stable identifier used in open-data exports.")
    )
    title = models.CharField(_("title"), max_length=120)
    title_en = models.CharField(_("title (English)"), max_length=160, blank=True)
    summary = models.CharField(_("summary"), max_length=300)
    summary_en = models.CharField(_("summary (English)"), max_length=400, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    # Target groups (life stages and women). A program for everyone has all three life stages.
    for_youth = models.BooleanField(_("youth (19–39)"), default=False)
    for_middle_aged = models.BooleanField(_("middle age (40–64)"), default=False)
    for_seniors = models.BooleanField(_("seniors (65+)"), default=False)
    for_women = models.BooleanField(_("women"), default=False)
    benefit_type = models.CharField(_("benefit type"), max_length=10, choices=BenefitType.choices)

    # The 복지로 catalog fields, shown on the program page in this order.
    target_text = models.TextField(_("who can apply (지원대상)"))
    target_text_en = models.TextField(_("who can apply (English)"), blank=True)
    benefit_text = models.TextField(_("what you get (지원내용)"))
    benefit_text_en = models.TextField(_("what you get (English)"), blank=True)
    selection_text = models.TextField(_("selection criteria (선정기준)"), blank=True)
    application_start = models.DateField(_("applications open"), null=True, blank=True)
    application_end = models.DateField(_("applications close"), null=True, blank=True)
    period_note = models.CharField(
        _("application period note (신청기간)"), max_length=200, blank=True, help_text=_("e.g. 연중 상시")
    )
    how_to_apply = models.TextField(_("how to apply (신청방법)"))
    required_documents = models.TextField(_("required documents (구비서류)"), blank=True)
    department = models.CharField(_("responsible department (담당부서)"), max_length=80)
    contact = models.CharField(_("contact (문의처)"), max_length=120)
    legal_basis = models.TextField(_("legal basis (근거법령)"), blank=True)
    capacity = models.PositiveIntegerField(
        _("places (모집인원)"), null=True, blank=True, help_text=_("Empty means no fixed limit.")
    )
    budget = models.PositiveBigIntegerField(
        _("budget (won)"),
        null=True,
        blank=True,
        help_text=_("The program's budget for the year, in won. Shown in the monthly performance report."),
    )
    selection_method = models.CharField(
        _("selection method"), max_length=12, choices=SelectionMethod.choices, default=SelectionMethod.REVIEW
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProgramStatus.choices, default=ProgramStatus.DRAFT, db_index=True
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="programs", verbose_name=_("city"))
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programs",
        verbose_name=_("district"),
        help_text=_("Empty for a city-wide program."),
    )

    # 정책실명제 (policy real-name record): who is answerable for the program, published with it.
    policy_number = models.CharField(_("policy record number (등록번호)"), max_length=20, blank=True)
    policy_background = models.TextField(_("background (추진배경)"), blank=True)
    policy_period = models.CharField(_("project period (사업기간)"), max_length=60, blank=True)

    # Bumped by programs.services.program_rules_changed whenever the criteria change, so a stored
    # eligibility outcome can say which rules it was judged by.
    rule_version = models.PositiveIntegerField(_("rule version"), default=1, editable=False)
    rule_fingerprint = models.CharField(max_length=64, blank=True, editable=False)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProgramQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-application_end", "title"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        indexes = [
            models.Index(fields=["status", "category"], name="program_status_category_idx"),
            models.Index(fields=["status", "district"], name="program_status_district_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application_start__isnull=True)
                | models.Q(application_end__isnull=True)
                | models.Q(application_start__lte=models.F("application_end")),
                name="program_period_ordered",
                violation_error_message=_("The application period must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return localized(self, "title")

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.pk])

    def clean(self) -> None:
        super().clean()
        if self.district_id and self.city_id and self.district.city_id != self.city_id:
            raise ValidationError({"district": _("This district is not in the program's city.")})

    @property
    def owner_name(self) -> str:
        # The program's own city is the district's city: reading it from `self.city` keeps list pages
        # from loading each district's city row (N+1).
        return f"{self.city} {self.district}" if self.district_id else str(self.city)

    def is_open_on(self, day) -> bool:
        return (
            self.status == ProgramStatus.PUBLISHED
            and (self.application_start is None or self.application_start <= day)
            and (self.application_end is None or self.application_end >= day)
        )

    @property
    def is_open_now(self) -> bool:
        return self.is_open_on(timezone.localdate())


class PolicyOfficial(models.Model):
    """An official answerable for the program (정책실명제 ⑥ 담당자)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="officials")
    department = models.CharField(_("department"), max_length=80)
    position = models.CharField(_("position"), max_length=40, help_text=_("e.g. 과장, 팀장, 주무관"))
    name = models.CharField(_("name"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("responsible official")
        verbose_name_plural = _("responsible officials")

    def __str__(self) -> str:
        return f"{self.department} {self.position} {self.name}"


class PolicyMilestone(models.Model):
    """A dated step of the program's timeline (정책실명제 추진경과), with the officials involved."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="milestones")
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("what was done"))
    people = models.CharField(_("officials involved"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return f"{self.start:%Y.%m} {self.description[:40]}"


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


# Applications live in their own module to keep this one about the catalog; Django finds them here.
from .application_models import (  # noqa: E402, F401
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    UNDECIDED_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationNote,
    ApplicationStatus,
    LotteryDraw,
    ProgramQuestion,
    QuestionKind,
)
from .session_models import ProgramSession  # noqa: E402, F401
