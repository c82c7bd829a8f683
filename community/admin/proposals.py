"""Proposals: screening, field-visit notes, milestones, payments and the public results text."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, ScopedHistoryMixin
from portal.errors import DomainError

from ..models import BudgetLine, FieldVisitNote, Milestone, Payment, Proposal, ProposalMember, ProposalStatus
from ..services import milestone_add, payment_record, proposal_screen, visit_note_add


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class BudgetLineInline(ReadOnlyInline):
    model = BudgetLine
    fields = ("item", "amount")
    readonly_fields = fields


class MemberInline(ReadOnlyInline):
    model = ProposalMember
    fields = ("status", "invited_at", "responded_at")
    readonly_fields = fields


class AddOnlyInline(admin.TabularInline):
    """New rows are created through a service (ProposalAdmin.save_formset); saved rows are history."""

    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class VisitNoteInline(AddOnlyInline):
    model = FieldVisitNote
    fields = ("visited_on", "note", "author")
    readonly_fields = ("author",)


class MilestoneInline(AddOnlyInline):
    model = Milestone
    fields = ("title", "due_on")


class PaymentInline(AddOnlyInline):
    model = Payment
    fields = ("amount", "paid_on", "note", "recorded_by")
    readonly_fields = ("recorded_by",)


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ("results",)


@admin.register(Proposal)
class ProposalAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    access_log_action = "community.proposal.viewed"
    form = ProposalForm
    list_display = ("reference", "title", "group_name", "call", "status", "submitted_at", "grant_amount")
    list_filter = ("status", "call__status")
    list_select_related = ("call",)
    search_fields = ("reference", "title", "group_name")
    show_full_result_count = False
    readonly_fields = (
        "reference",
        "call",
        "category",
        "group_name",
        "title",
        "purpose",
        "plan",
        "schedule",
        "space_hours_wanted",
        "status",
        "submitted_at",
        "screening_reason",
        "closed_score",
        "decided_at",
        "grant_amount",
        "space_hours_quota",
    )
    fields = readonly_fields + ("results",)
    inlines = (BudgetLineInline, MemberInline, VisitNoteInline, MilestoneInline, PaymentInline)
    actions = ("mark_eligible",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).exclude(status=ProposalStatus.DRAFT)

    def access_log_subject(self, obj):
        return obj.lead_id, obj.call.district

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("weighted score"))
    def closed_score(self, obj: Proposal):
        # Shown once scoring closed (the score is stored then): before, it would break independence.
        return obj.score if obj.call.status in ("deciding", "announced") else "–"

    def save_formset(self, request, form, formset, change):
        proposal = form.instance
        for instance in formset.save(commit=False):
            try:
                if isinstance(instance, FieldVisitNote):
                    visit_note_add(
                        proposal=proposal,
                        actor=request.user,
                        visited_on=instance.visited_on,
                        note=instance.note,
                        request=request,
                    )
                elif isinstance(instance, Milestone):
                    milestone_add(
                        proposal=proposal, actor=request.user, title=instance.title, due_on=instance.due_on
                    )
                elif isinstance(instance, Payment):
                    payment_record(
                        proposal=proposal,
                        actor=request.user,
                        amount=instance.amount,
                        paid_on=instance.paid_on,
                        note=instance.note,
                        request=request,
                    )
            except DomainError as error:
                messages.error(request, error.message)

    @admin.action(description=_("Mark the selected proposals eligible"), permissions=["change"])
    def mark_eligible(self, request, queryset):
        for proposal in queryset:
            try:
                proposal_screen(proposal=proposal, actor=request.user, eligible=True, request=request)
            except DomainError as error:
                messages.error(request, f"{proposal}: {error.message}")
