"""Stock in the admin: each district's stock rows with what is available (the ledger's sum), and the
ledger itself, read-only; "add" records a receipt or an adjustment through safety.services."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import CappedCountPaginator
from portal.identifiers import refuse_identifiers
from portal.models import District
from portal.place_fields import PlaceChoiceField

from ..models import KitItem, KitStock, MovementKind, StockMovement
from ..selectors import available_subquery
from ..services import SafetyError, stock_adjust, stock_receive


class StockEntryForm(forms.Form):
    district = PlaceChoiceField(label=_("District"), queryset=District.objects.none())
    item = forms.ModelChoiceField(label=_("Item"), queryset=KitItem.objects.all())
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (MovementKind.RECEIPT, _("Receipt (new stock arrived)")),
            (MovementKind.ADJUSTMENT, _("Adjustment")),
        ],
        widget=forms.RadioSelect,
    )
    quantity = forms.IntegerField(
        label=_("Quantity"),
        help_text=_("A receipt: how many arrived. An adjustment: the change, e.g. -2 or 3."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=500,
        validators=[refuse_identifiers],
        help_text=_("Required for an adjustment (e.g. 'counted 2 fewer: damaged in storage')."),
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # A city admin records stock for any district; district staff for their own only.
        self.fields["district"].queryset = (
            District.objects.select_related("city").order_by("code").visible_to(user)
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == MovementKind.ADJUSTMENT and not (cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why the stock is adjusted."))
        return cleaned


@admin.register(KitStock)
class KitStockAdmin(admin.ModelAdmin):
    list_display = ("district", "item", "available", "low_stock_threshold", "is_low", "ledger_link")
    list_filter = ("item",)
    list_select_related = ("district", "item")
    ordering = ("district__code", "item__position", "item_id")
    fields = ("district", "item", "available", "low_stock_threshold", "ledger_link")
    show_full_result_count = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).annotate(available=available_subquery())
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return ("district", "item", "available", "ledger_link")

    def has_add_permission(self, request) -> bool:
        return False  # a stock row appears with its first receipt

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("available"), ordering="available")
    def available(self, obj: KitStock) -> int:
        return obj.available

    @admin.display(description=_("low"), boolean=True)
    def is_low(self, obj: KitStock) -> bool:
        return obj.available <= obj.low_stock_threshold

    @admin.display(description=_("ledger"))
    def ledger_link(self, obj: KitStock) -> str:
        url = reverse("admin:safety_stockmovement_changelist")
        return format_html(
            '<a href="{}?district__id__exact={}&amp;item__id__exact={}">{}</a>',
            url,
            obj.district_id,
            obj.item_id,
            _("See every movement"),
        )


@admin.register(StockMovement)
class StockMovementAdmin(admin.ModelAdmin):
    """The ledger, read-only. "Add" records a receipt or an adjustment through the services."""

    list_display = (
        "created_at",
        "district",
        "item",
        "kind",
        "signed_quantity",
        "reason",
        "request_link",
        "actor",
    )
    list_filter = ("kind", "item", "district")
    list_select_related = ("district", "item", "request", "actor")
    ordering = ("-created_at", "-pk")
    search_fields = ("request__reference", "reason")
    show_full_result_count = False
    paginator = CappedCountPaginator

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_list_filter(self, request):
        return ("kind", "item", "district") if request.user.sees_all_districts else ("kind", "item")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("quantity"), ordering="quantity")
    def signed_quantity(self, obj: StockMovement) -> str:
        return f"{obj.quantity:+d}"

    @admin.display(description=_("request"))
    def request_link(self, obj: StockMovement) -> str:
        if obj.request_id is None:
            return "—"
        url = reverse("admin:safety_kitrequest_change", args=[obj.request_id])
        return format_html('<a href="{}">{}</a>', url, obj.request.reference or obj.request_id)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        initial = {
            "kind": MovementKind.RECEIPT,
            **{k: v for k, v in request.GET.items() if k in ("item", "district")},
        }
        form = StockEntryForm(
            request.POST if request.method == "POST" else None, user=request.user, initial=initial
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            service = stock_receive if data["kind"] == MovementKind.RECEIPT else stock_adjust
            try:
                service(
                    district=data["district"],
                    item=data["item"],
                    quantity=data["quantity"],
                    actor=request.user,
                    reason=data["reason"],
                )
            except SafetyError as error:
                field = {
                    "invalid_quantity": "quantity",
                    "negative_stock": "quantity",
                    "reason_required": "reason",
                }
                form.add_error(field.get(error.code), error.message)
            else:
                self.message_user(request, _("The movement is recorded in the ledger."), messages.SUCCESS)
                return HttpResponseRedirect(
                    f"{reverse('admin:safety_stockmovement_changelist')}"
                    f"?district__id__exact={data['district'].pk}&item__id__exact={data['item'].pk}"
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Record a receipt or an adjustment"),
            "form": form,
            "cancel_url": reverse("admin:safety_stockmovement_changelist"),
        }
        return TemplateResponse(request, "admin/safety/stockmovement/entry_form.html", context)
