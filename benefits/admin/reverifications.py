"""Re-verifications: the resident's answer, the eligibility lines judged with the current rules, and
staff's decision (continue or stop) when the household no longer qualifies."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import AccessLoggedAdminMixin
from portal.audit import audit_log
from portal.errors import DomainError
from portal.files import serve_private
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name
from programs.answers import ALLOWED_UPLOAD_TYPES
from programs.eligibility import stored_text

from ..models import Reverification, ReverificationStatus
from ..services import reverification_decide
from .base import ScopedAdminMixin


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("continue", _("Continue the benefit")), ("stop", _("Stop the benefit"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (the resident will read it)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        validators=[refuse_identifiers],
    )


@admin.register(Reverification)
class ReverificationAdmin(AccessLoggedAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    access_log_action = "benefits.reverification.viewed"

    list_display = (
        "__str__",
        "recipient",
        "period",
        "status",
        "eligibility_verdict",
        "requested_at",
        "answered_at",
    )
    list_filter = ("status",)
    list_select_related = ("award__terms__program", "award__household", "award__application")
    readonly_fields = (
        "recipient",
        "period",
        "status",
        "circumstances_changed",
        "changes",
        "document_link",
        "eligibility_verdict",
        "reasons",
        "answered_at",
        "decided_by",
        "decided_at",
        "decision_reason",
    )
    fields = readonly_fields

    def access_log_subject(self, obj):
        return obj.award.household.user_id, obj.district

    @admin.display(description=_("document"))
    def document_link(self, obj):
        if not obj.document:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:benefits_reverification_document", args=[obj.pk]),
            _("Download"),
        )

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return mask_name(obj.award.household.name)

    @admin.display(description=_("eligibility details"))
    def reasons(self, obj):
        return (
            format_html_join(
                "",
                "<div>{} {} — {}</div>",
                (
                    (
                        "✓" if line.get("passed") else "✗",
                        stored_text(line, "rule"),
                        stored_text(line, "comparison"),
                    )
                    for line in obj.eligibility_lines or []
                ),
            )
            or "—"
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["decision_buttons"] = (
            [{"url": reverse("admin:benefits_reverification_decide", args=[obj.pk]), "label": _("Decide")}]
            if obj is not None
            and obj.status in (ReverificationStatus.NEEDS_DECISION, ReverificationStatus.REQUESTED)
            and self.has_change_permission(request, obj)
            else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/decide/", view(self.decide_view), name="benefits_reverification_decide"),
            path(
                "<path:object_id>/document/",
                view(self.document_view),
                name="benefits_reverification_document",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request, object_id):
        row = self.changeable(request, object_id)
        back = reverse("admin:benefits_reverification_change", args=[row.pk])
        form = DecideForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                reverification_decide(
                    reverification=row,
                    carry_on=form.cleaned_data["decision"] == "continue",
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return HttpResponseRedirect(back)
        return self.form_page(
            request,
            title=_("Decide"),
            form=form,
            lines=[
                (_("program"), row.award.terms.program),
                (_("period"), row.period),
                (_("eligibility details"), self.reasons(row)),
            ],
            submit_label=_("Decide"),
            cancel_url=back,
        )

    def document_view(self, request, object_id):
        row = self.get_object(request, object_id)
        if row is None:
            raise Http404

        def logged():
            audit_log(
                actor=request.user,
                action="benefits.reverification.document_viewed",
                target=row,
                request=request,
                subject_user_id=row.award.household.user_id,
                district=row.district,
            )

        suffix = row.document.name.rsplit(".", 1)[-1].lower() if row.document else ""
        return serve_private(
            request,
            row.document,
            filename=f"reverification-{row.pk}.{suffix}",
            content_type=ALLOWED_UPLOAD_TYPES.get(f".{suffix}", "application/octet-stream"),
            on_serve=logged,
        )
