"""A resident's household profile and their consent records.

We collect the minimum the programs need. Never a resident registration number (주민등록번호): PIPA
art. 24-2 forbids processing it without a statutory basis, and eligibility only needs the birth date.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import District, Neighbourhood
from portal.scoping import ScopedManager

mobile_number_validator = RegexValidator(
    r"^01[016789]-?\d{3,4}-?\d{4}$",
    _("Enter a mobile number such as 010-1234-5678."),
)


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NO_ANSWER = "no_answer", _("Prefer not to say")


class HousingTenure(models.TextChoices):
    OWNED = "owned", _("Owner-occupied (자가)")
    JEONSE = "jeonse", _("Jeonse deposit lease (전세)")
    MONTHLY_RENT = "monthly_rent", _("Monthly rent (월세)")
    PUBLIC_RENTAL = "public_rental", _("Public rental housing (공공임대)")
    OTHER = "other", _("Other (기타)")


class Employment(models.TextChoices):
    EMPLOYED = "employed", _("Employed")
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    JOB_SEEKING = "job_seeking", _("Looking for work")
    STUDENT = "student", _("Student")
    RETIRED = "retired", _("Retired")
    OTHER = "other", _("Other")


class IncomeSupport(models.TextChoices):
    NONE = "none", _("None")
    BASIC_LIVELIHOOD = "basic_livelihood", _("Basic livelihood recipient (기초생활수급자)")
    NEAR_POVERTY = "near_poverty", _("Near-poverty group (차상위계층)")


class Household(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="household",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=50)
    birth_date = models.DateField(_("date of birth"))
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    phone = models.CharField(
        _("mobile number"), max_length=13, blank=True, validators=[mobile_number_validator]
    )
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="households", verbose_name=_("district")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
        verbose_name=_("neighbourhood (haengjeong-dong)"),
    )
    address_detail = models.CharField(_("street address"), max_length=200, blank=True)
    housing_tenure = models.CharField(_("housing tenure"), max_length=20, choices=HousingTenure.choices)
    household_size = models.PositiveSmallIntegerField(
        _("household size"), default=1, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    monthly_income = models.PositiveIntegerField(
        _("monthly income (KRW)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1_000_000_000)],
        help_text=_("Before tax, in won. Leave empty if you prefer not to say."),
    )
    employment = models.CharField(_("employment"), max_length=20, choices=Employment.choices, blank=True)
    income_support = models.CharField(
        _("public assistance status"), max_length=20, choices=IncomeSupport.choices, blank=True
    )
    # Optional circumstances some programs require. None = not answered (eligibility then asks for more
    # information rather than guessing). Kept only with the separate consent for sensitive data.
    crime_victim = models.BooleanField(_("victim of a crime"), null=True, blank=True)
    single_parent = models.BooleanField(_("single-parent household"), null=True, blank=True)
    disability = models.BooleanField(_("registered disability"), null=True, blank=True)

    notify_by_email = models.BooleanField(_("notify me by email"), default=True)
    notify_by_sms = models.BooleanField(_("notify me by text message"), default=False)
    # Set when the resident typed back the code texted to `phone` (households.phone); cleared whenever
    # the number changes. No text message but the verification code itself goes to an unverified
    # number: a typo must not send someone's notices (or a parcel's pickup code) to a stranger.
    phone_verified_at = models.DateTimeField(_("mobile number verified"), null=True, blank=True)

    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    anonymized_at = models.DateTimeField(_("anonymized"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        indexes = [models.Index(fields=["district", "neighbourhood"], name="household_area_idx")]

    def __str__(self) -> str:
        return self.name or _("(anonymized household)")

    def age_on(self, day: date) -> int:
        """만 나이 (international age) on a given day, as Korean law counts it since June 2023."""
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


class Consent(models.Model):
    """One consent given by a resident; withdrawing sets `withdrawn_at`, the row itself stays as proof."""

    class Purpose(models.TextChoices):
        PROFILE = "profile", _("Collection and use of my profile to find and apply for programs (required)")
        SENSITIVE = (
            "sensitive",
            _("Use of my optional circumstances (disability, crime victim, single parent)"),
        )
        NOTIFICATIONS = "notifications", _("Notices about new programs by email or text message")
        OUTREACH = "outreach", _("Tell me about programs I may qualify for")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consents", verbose_name=_("account")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=Purpose.choices)
    version = models.CharField(_("notice version"), max_length=20)
    given_at = models.DateTimeField(_("given"))
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            # At most one live consent per purpose; history rows are the withdrawn ones.
            models.UniqueConstraint(
                fields=["user", "purpose"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="consent_one_active_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None


# The most outreach notices a week a resident may ask for (settings.OUTREACH_WEEKLY_LIMIT is the default).
OUTREACH_WEEKLY_LIMIT_MAX = 10


class OutreachPreference(models.Model):
    """How a household wants to hear about programs it may qualify for (households.outreach).

    Whether it wants to hear at all is its live OUTREACH consent; this row only says how. The in-app
    inbox is always a channel; text messages go only to a verified number and never in the quiet hours.
    """

    class Cadence(models.TextChoices):
        IMMEDIATE = "immediate", _("As soon as a program opens")
        WEEKLY = "weekly", _("Once a week, in one summary")

    household = models.OneToOneField(
        Household,
        on_delete=models.CASCADE,
        related_name="outreach_preference",
        verbose_name=_("household"),
    )
    by_email = models.BooleanField(_("by email"), default=False)
    by_sms = models.BooleanField(_("by text message"), default=False)
    cadence = models.CharField(
        _("how often"), max_length=10, choices=Cadence.choices, default=Cadence.IMMEDIATE
    )
    weekly_limit = models.PositiveSmallIntegerField(
        _("at most this many a week"),
        validators=[MinValueValidator(1), MaxValueValidator(OUTREACH_WEEKLY_LIMIT_MAX)],
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("outreach preference")
        verbose_name_plural = _("outreach preferences")

    def __str__(self) -> str:
        return f"{self.household_id} · {self.cadence}"


class PhoneVerification(models.Model):
    """One code texted to a resident's mobile number to prove it is theirs.

    Neither the code nor the number is kept in clear: `code_hash` is an HMAC (key: SECRET_KEY) of the
    row id and the code — a 6-digit code has only a million values, so a bare hash would be reversed
    in a moment — and `phone_hash` an HMAC of the number, enough to count the codes sent to it (the
    per-number throttle) and to tell that the profile's number is still the one the code went to.
    The code itself exists only in the text message (the outbox row blanks it once sent).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="phone_verifications",
        verbose_name=_("account"),
    )
    phone_hash = models.CharField(_("number hash"), max_length=64, editable=False)
    code_hash = models.CharField(_("code hash"), max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent"))
    expires_at = models.DateTimeField(_("expires"))
    attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("phone verification")
        verbose_name_plural = _("phone verifications")
        indexes = [
            models.Index(fields=["user", "created_at"], name="phoneverif_user_idx"),
            models.Index(fields=["phone_hash", "created_at"], name="phoneverif_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"
