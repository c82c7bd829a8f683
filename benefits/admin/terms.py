"""Benefit terms per program, with its budget execution (집행률), and the year's schedule and approvals.

Registered here rather than as an inline on the program admin: programs never imports benefits."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Q, Sum
from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.errors import DomainError
from programs.models import Program

from ..models import COMMITTED_STATUSES, BenefitTerms, PaymentStatus
from ..services import instalments_schedule, payments_approve_due
from .base import ScopedAdminMixin


class ApproveDueForm(forms.Form):
    until = SupportedDateField(
        label=_("Approve the scheduled payments due by"), widget=forms.DateInput(attrs={"type": "date"})
    )


@admin.register(BenefitTerms)
class BenefitTermsAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "program",
        "kind",
        "budget",
        "committed_won",
        "paid_won",
        "execution_rate",
        "budget_line_code",
    )
    list_filter = ("kind",)
    search_fields = ("program__title", "budget_line_code", "budget_line_name")
    list_select_related = ("program",)
    actions = ["schedule_this_year"]
    fields = (
        "program",
        "kind",
        "amount",
        "share_percent",
        "cap",
        "instalments_per_year",
        "reverify_documents",
        "budget_line_code",
        "budget_line_name",
    )

    def has_add_permission(self, request) -> bool:
        return admin.ModelAdmin.has_add_permission(self, request)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                committed=Sum(
                    "payments__amount", filter=Q(payments__status__in=COMMITTED_STATUSES), default=0
                ),
                paid=Sum("payments__amount", filter=Q(payments__status=PaymentStatus.PAID), default=0),
            )
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            # Only the programs the staff member edits (a city-wide one: the city admin).
            programs = Program.objects.all()
            if not request.user.sees_all_districts:
                programs = programs.filter(district_id=request.user.district_id)
            kwargs["queryset"] = programs
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("budget (won)"))
    def budget(self, obj):
        return f"{obj.program.budget:,}" if obj.program.budget is not None else "—"

    @admin.display(description=_("committed (won)"))
    def committed_won(self, obj):
        return f"{obj.committed:,}"

    @admin.display(description=_("paid (won)"))
    def paid_won(self, obj):
        return f"{obj.paid:,}"

    @admin.display(description=_("execution rate (집행률)"))
    def execution_rate(self, obj):
        return f"{obj.paid * 100 / obj.program.budget:.1f}%" if obj.program.budget else "—"

    @admin.action(description=_("Schedule this year's instalments"), permissions=["change"])
    def schedule_this_year(self, request, queryset):
        year = timezone.localdate().year
        count = sum(
            instalments_schedule(terms=terms, year=year) for terms in queryset.select_related("program")
        )
        self.message_user(request, _("%(count)d payments scheduled.") % {"count": count}, messages.SUCCESS)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["approve_due_url"] = reverse("admin:benefits_benefitterms_approve_due", args=[obj.pk])
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/approve-due/",
                view(self.approve_due_view),
                name="benefits_benefitterms_approve_due",
            ),
            *super().get_urls(),
        ]

    def approve_due_view(self, request, object_id):
        terms = self.changeable(request, object_id)
        back = reverse("admin:benefits_benefitterms_change", args=[terms.pk])
        form = ApproveDueForm(request.POST or None, initial={"until": timezone.localdate()})
        if request.method == "POST" and form.is_valid():
            try:
                count, total = payments_approve_due(
                    terms=terms,
                    until=form.cleaned_data["until"],
                    actor=request.user,
                    district=None if request.user.sees_all_districts else request.user.district,
                )
            except DomainError as error:
                self.refused(request, error)
            else:
                self.message_user(
                    request,
                    _("%(count)d payments approved: %(total)s won.")
                    % {"count": count, "total": f"{total:,}"},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(back)
        return self.form_page(
            request,
            title=_("Approve payments due"),
            form=form,
            lines=[(_("program"), terms.program), (_("budget (won)"), self.budget(terms))],
            submit_label=_("Approve within the budget"),
            cancel_url=back,
        )
