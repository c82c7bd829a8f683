"""The program catalog (fields as in 복지로), its policy real-name record (정책실명제) and the questions a
program asks on its application form."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.i18n import localized
from portal.models import City, District
from portal.scoping import ScopedQuerySet, sees_all, staff_district_id


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


class ProgramQuerySet(ScopedQuerySet):
    def visible_to(self, user) -> ProgramQuerySet:
        """Staff see their district's programs and their city's city-wide ones (read-only for the latter:
        see Program.editable_by)."""
        if sees_all(user):
            return self
        district = staff_district_id(user)
        if not district:
            return self.none()
        city = District.objects.filter(pk=district).values("city_id")  # a subquery, not an extra round trip
        return self.filter(models.Q(district_id=district) | models.Q(district__isnull=True, city_id__in=city))

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

    def editable_by(self, user) -> bool:
        """Only a city admin edits city-wide programs; district staff edit their own district's."""
        if user.sees_all_districts:
            return True
        return self.district_id is not None and self.district_id == staff_district_id(user)

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


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Text")
    NUMBER = "number", _("Number")
    CHOICE = "choice", _("Choice")
    YES_NO = "yes_no", _("Yes / no")
    DATE = "date", _("Date")
    FILE = "file", _("File (document upload)")


class ProgramQuestion(models.Model):
    """A question a program asks on its application form, defined by the program's manager."""

    program = models.ForeignKey("programs.Program", on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    label = models.CharField(_("question (Korean)"), max_length=200)
    label_en = models.CharField(_("question (English)"), max_length=200, blank=True)
    help_text = models.CharField(_("hint (Korean)"), max_length=300, blank=True)
    help_text_en = models.CharField(_("hint (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For "choice" questions: a list such as ["오전", "오후"].'),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")

    def __str__(self) -> str:
        return localized(self, "label")

    @property
    def field_name(self) -> str:
        return f"q{self.pk}"
