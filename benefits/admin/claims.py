"""Reimbursement claims: the receipt (access-logged download), its figures, and the decision — an amount
within the share and the cap, or a rejection with a reason — through benefits.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import AccessLoggedAdminMixin
from portal.audit import audit_log
from portal.errors import DomainError
from portal.files import serve_private
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name

from ..models import Claim, ClaimStatus
from ..services import claim_approve, claim_limit, claim_reject
from .base import ScopedAdminMixin


class AmountForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount to pay (won)"), min_value=1)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (the resident will read it)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        validators=[refuse_identifiers],
    )


@admin.register(Claim)
class ClaimAdmin(AccessLoggedAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    access_log_action = "benefits.claim.viewed"

    list_display = (
        "__str__",
        "program",
        "claimant",
        "period",
        "receipt_amount_won",
        "status",
        "approved_amount",
        "submitted_at",
    )
    list_filter = ("status",)
    list_select_related = ("award__terms__program", "award__household")
    search_fields = ("receipt_number", "issuer")
    readonly_fields = (
        "program",
        "claimant",
        "period",
        "issuer",
        "receipt_number",
        "receipt_date",
        "receipt_amount_won",
        "receipt_link",
        "status",
        "approved_amount",
        "decision_reason",
        "decided_by",
        "decided_at",
    )
    fields = readonly_fields

    def access_log_subject(self, obj):
        return obj.award.household.user_id, obj.district

    @admin.display(description=_("program"))
    def program(self, obj):
        return obj.award.terms.program

    @admin.display(description=_("claimant"))
    def claimant(self, obj):
        return mask_name(obj.award.household.name)

    @admin.display(description=_("amount on the receipt (won)"))
    def receipt_amount_won(self, obj):
        return f"{obj.receipt_amount:,}"

    @admin.display(description=_("receipt"))
    def receipt_link(self, obj):
        if not obj.receipt:
            return "—"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:benefits_claim_receipt", args=[obj.pk]), obj.original_name
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["decision_buttons"] = (
            [
                {
                    "url": reverse("admin:benefits_claim_approve", args=[obj.pk]),
                    "label": _("Approve an amount"),
                },
                {"url": reverse("admin:benefits_claim_reject", args=[obj.pk]), "label": _("Reject")},
            ]
            if obj is not None
            and obj.status == ClaimStatus.SUBMITTED
            and self.has_change_permission(request, obj)
            else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/approve/", view(self.approve_view), name="benefits_claim_approve"),
            path("<path:object_id>/reject/", view(self.reject_view), name="benefits_claim_reject"),
            path("<path:object_id>/receipt/", view(self.receipt_view), name="benefits_claim_receipt"),
            *super().get_urls(),
        ]

    def _lines(self, claim):
        return [
            (_("program"), claim.award.terms.program),
            (_("issuer"), claim.issuer),
            (_("receipt number"), claim.receipt_number),
            (_("amount on the receipt (won)"), f"{claim.receipt_amount:,}"),
            (_("at most (share and cap)"), f"{claim_limit(claim):,}"),
        ]

    def approve_view(self, request, object_id):
        claim = self.changeable(request, object_id)
        back = reverse("admin:benefits_claim_change", args=[claim.pk])
        form = AmountForm(request.POST or None, initial={"amount": claim_limit(claim)})
        if request.method == "POST" and form.is_valid():
            try:
                claim_approve(
                    claim=claim, amount=form.cleaned_data["amount"], actor=request.user, request=request
                )
            except DomainError as error:
                form.add_error("amount", error.message)
            else:
                self.message_user(request, _("Claim approved: the payment is committed."), messages.SUCCESS)
                return HttpResponseRedirect(back)
        return self.form_page(
            request,
            title=_("Approve an amount"),
            form=form,
            lines=self._lines(claim),
            submit_label=_("Approve"),
            cancel_url=back,
        )

    def reject_view(self, request, object_id):
        claim = self.changeable(request, object_id)
        back = reverse("admin:benefits_claim_change", args=[claim.pk])
        form = ReasonForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                claim_reject(
                    claim=claim, reason=form.cleaned_data["reason"], actor=request.user, request=request
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return HttpResponseRedirect(back)
        return self.form_page(
            request,
            title=_("Reject"),
            form=form,
            lines=self._lines(claim),
            submit_label=_("Reject"),
            cancel_url=back,
        )

    def receipt_view(self, request, object_id):
        claim = self.get_object(request, object_id)
        if claim is None:
            raise Http404

        def logged():
            audit_log(
                actor=request.user,
                action="benefits.claim.receipt_viewed",
                target=claim,
                request=request,
                subject_user_id=claim.award.household.user_id,
                district=claim.district,
            )

        return serve_private(
            request,
            claim.receipt,
            filename=claim.original_name,
            content_type=claim.content_type,
            on_serve=logged,
        )
