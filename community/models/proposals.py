"""A group's proposal to a call: lead, invited members, plan, budget lines and space hours wanted."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.identifiers import refuse_identifiers
from portal.scoping import ScopedManager

from .calls import Call, CallCategory


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ELIGIBLE = "eligible", _("Eligible, under evaluation")
    INELIGIBLE = "ineligible", _("Not eligible")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Proposal(models.Model):
    district_scope = "call__district"

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("call"))
    category = models.ForeignKey(
        CallCategory, on_delete=models.PROTECT, related_name="proposals", verbose_name=_("category")
    )
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="community_proposals",
        verbose_name=_("lead"),
    )
    # The only name shown publicly: the group's, never a member's.
    group_name = models.CharField(_("group name"), max_length=100, validators=[refuse_identifiers])
    title = models.CharField(_("project title"), max_length=200, validators=[refuse_identifiers])
    purpose = models.TextField(_("purpose"), max_length=2000, validators=[refuse_identifiers])
    plan = models.TextField(_("activity plan"), max_length=4000, validators=[refuse_identifiers])
    schedule = models.TextField(_("schedule"), max_length=2000, validators=[refuse_identifiers])
    space_hours_wanted = models.PositiveIntegerField(_("space hours wanted"), default=0)
    status = models.CharField(
        _("status"), max_length=12, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    screening_reason = models.TextField(_("screening reason"), blank=True, validators=[refuse_identifiers])
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(_("weighted score"), max_digits=5, decimal_places=2, null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A selected project's grant and its quota of space hours bookable by its members.
    grant_amount = models.PositiveBigIntegerField(_("grant (won)"), default=0)
    space_hours_quota = models.PositiveIntegerField(_("space hours quota"), default=0)
    results = models.TextField(
        _("public results"),
        blank=True,
        validators=[refuse_identifiers],
        help_text=_("What the project achieved, shown on the public page."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["purpose", "plan", "schedule"])
    objects = ScopedManager()

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["call", "status"], name="proposal_call_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ineligible") | ~Q(screening_reason=""), name="proposal_ineligible_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.reference or self.title

    @property
    def budget_total(self) -> int:
        return sum(line.amount for line in self.budget_lines.all())


class MemberStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    CONFIRMED = "confirmed", _("Confirmed")
    DECLINED = "declined", _("Declined")


class ProposalMember(models.Model):
    """A member invited by the lead (by the email of their resident account); counts once confirmed."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="community_memberships"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=MemberStatus.choices, default=MemberStatus.INVITED
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="member_once")]

    def __str__(self) -> str:
        return f"{self.proposal} · {self.get_status_display()}"


class BudgetLine(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    item = models.CharField(_("item"), max_length=200, validators=[refuse_identifiers])
    amount = models.PositiveBigIntegerField(_("amount (won)"))

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.item}: {self.amount:,}"
