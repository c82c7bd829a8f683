"""Payments (masked account, approve / record returned one by one) and payment batches (build, download
the bank-transfer file, mark paid), all through benefits.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name

from ..exports import batch_download
from ..models import Payment, PaymentBatch, PaymentStatus
from ..services import batch_create, batch_mark_paid, payment_approve, payment_settle
from .base import ScopedAdminMixin

BULK_LIMIT = 500


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("What the bank said"), max_length=200, validators=[refuse_identifiers])


@admin.register(Payment)
class PaymentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "program", "recipient", "account", "amount_won", "due_on", "status", "batch")
    list_filter = ("status", "due_on")
    list_select_related = ("terms__program", "award__household__bank_account", "batch")
    actions = ["approve_selected"]
    readonly_fields = (
        "program",
        "recipient",
        "account",
        "period",
        "amount_won",
        "due_on",
        "status",
        "batch",
        "approved_at",
        "sent_at",
        "settled_at",
        "return_reason",
    )
    fields = readonly_fields

    @admin.display(description=_("program"))
    def program(self, obj):
        return obj.terms.program

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        return mask_name(obj.award.household.name)

    @admin.display(description=_("bank account"))
    def account(self, obj):
        account = getattr(obj.award.household, "bank_account", None)
        return account.masked if account else _("not given yet")

    @admin.display(description=_("amount (won)"))
    def amount_won(self, obj):
        return f"{obj.amount:,}"

    @admin.action(description=_("Approve selected payments (within the budget)"), permissions=["change"])
    def approve_selected(self, request, queryset):
        done, refused = 0, []
        for payment in queryset.order_by("due_on", "pk")[:BULK_LIMIT]:
            try:
                payment_approve(payment=payment, actor=request.user, request=request)
            except DomainError as error:
                refused.append(f"{payment}: {error.message}")
            else:
                done += 1
        self.message_user(request, _("%(count)d payments approved.") % {"count": done}, messages.SUCCESS)
        for line in refused[:10]:
            self.message_user(request, line, messages.ERROR)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = []
        if obj is not None and obj.status == PaymentStatus.SENT and self.has_change_permission(request, obj):
            buttons.append(
                {
                    "url": reverse("admin:benefits_payment_returned", args=[obj.pk]),
                    "label": _("Record returned"),
                }
            )
        context["decision_buttons"] = buttons
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<path:object_id>/returned/", view(self.returned_view), name="benefits_payment_returned"),
            *super().get_urls(),
        ]

    def returned_view(self, request, object_id):
        payment = self.changeable(request, object_id)
        back = reverse("admin:benefits_payment_change", args=[payment.pk])
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                payment_settle(
                    payment=payment,
                    paid=False,
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
            title=_("Record returned"),
            form=form,
            lines=[(_("payment"), payment), (_("batch"), payment.batch)],
            submit_label=_("Record returned"),
            cancel_url=back,
        )


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "district", "created_at", "payment_count", "total_won", "download")
    readonly_fields = ("district", "created_by", "created_at", "payment_count", "total_won", "download")
    fields = readonly_fields

    @admin.display(description=_("total (won)"))
    def total_won(self, obj):
        return f"{obj.total:,}"

    @admin.display(description=_("bank-transfer file"))
    def download(self, obj):
        return format_html(
            '<a href="{}">CSV</a>', reverse("admin:benefits_paymentbatch_download", args=[obj.pk])
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["decision_buttons"] = (
            [
                {
                    "url": reverse("admin:benefits_paymentbatch_paid", args=[obj.pk]),
                    "label": _("The bank paid this batch"),
                }
            ]
            if obj is not None and self.has_change_permission(request, obj)
            else []
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("build/", view(self.build_view), name="benefits_paymentbatch_build"),
            path(
                "<path:object_id>/download/", view(self.download_view), name="benefits_paymentbatch_download"
            ),
            path("<path:object_id>/paid/", view(self.paid_view), name="benefits_paymentbatch_paid"),
            *super().get_urls(),
        ]

    def build_view(self, request):
        if not self.has_change_permission(request) or request.user.district_id is None:
            raise Http404
        back = reverse("admin:benefits_paymentbatch_changelist")
        if request.method == "POST":
            try:
                batch = batch_create(district=request.user.district, actor=request.user, request=request)
            except DomainError as error:
                self.refused(request, error)
                return HttpResponseRedirect(back)
            return HttpResponseRedirect(reverse("admin:benefits_paymentbatch_change", args=[batch.pk]))
        waiting = Payment.objects.filter(district=request.user.district, status=PaymentStatus.APPROVED)
        return self.form_page(
            request,
            title=_("Build a payment batch"),
            form=None,
            lines=[(_("approved payments waiting"), waiting.count())],
            submit_label=_("Build the batch and mark its payments sent"),
            cancel_url=back,
        )

    def paid_view(self, request, object_id):
        batch = self.changeable(request, object_id)
        back = reverse("admin:benefits_paymentbatch_change", args=[batch.pk])
        if request.method == "POST":
            count = batch_mark_paid(batch=batch, actor=request.user, request=request)
            self.message_user(
                request, _("%(count)d payments marked paid.") % {"count": count}, messages.SUCCESS
            )
            return HttpResponseRedirect(back)
        return self.form_page(
            request,
            title=_("The bank paid this batch"),
            form=None,
            lines=[(_("batch"), batch), (_("payments"), batch.payment_count)],
            submit_label=_("Mark the batch's sent payments paid (record returns first)"),
            cancel_url=back,
        )

    def download_view(self, request, object_id):
        batch = self.get_object(request, object_id)
        if batch is None or not self.has_view_permission(request, batch):
            raise Http404
        return batch_download(request, batch)
