"""Activity reports: staff accept them or return them with a note, through report_review."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.identifiers import refuse_identifiers

from ..models import ActivityReport, ReportStatus
from ..services import report_review


class ReviewForm(forms.ModelForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", "—"), ("accept", _("Accept")), ("return", _("Return for changes"))],
        required=False,
    )
    review_note = forms.CharField(
        label=_("Review note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[refuse_identifiers],
        max_length=2000,
    )

    class Meta:
        model = ActivityReport
        fields = ()


@admin.register(ActivityReport)
class ActivityReportAdmin(admin.ModelAdmin):
    form = ReviewForm
    list_display = ("milestone", "project", "status", "spent", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("milestone__proposal",)
    readonly_fields = ("milestone", "text", "spent", "status", "files_list", "submitted_at", "reviewed_at")
    fields = readonly_fields + ("decision", "review_note")

    def get_queryset(self, request):
        from ..models import Proposal

        visible = Proposal.objects.visible_to(request.user)
        return super().get_queryset(request).filter(milestone__proposal__in=visible)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("project"))
    def project(self, obj: ActivityReport) -> str:
        return str(obj.milestone.proposal)

    @admin.display(description=_("files"))
    def files_list(self, obj: ActivityReport) -> str:
        return format_html_join(
            ", ",
            '<a href="{}">{}</a> ({})',
            (
                (reverse("community:report_file", args=[f.pk]), f.original_name, f.get_kind_display())
                for f in obj.files.all()
            ),
        )

    def save_model(self, request, obj, form, change):
        decision = form.cleaned_data.get("decision")
        if not decision or obj.status != ReportStatus.SUBMITTED:
            return
        try:
            report_review(
                report=obj,
                actor=request.user,
                accept=decision == "accept",
                note=form.cleaned_data.get("review_note", ""),
                request=request,
            )
        except DomainError as error:
            messages.error(request, error.message)
