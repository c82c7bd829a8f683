"""Parcel lockers in the admin, scoped to the staff member's district: sites with their compartments,
kiosk devices (the token is shown once, at creation), deliveries (recipients masked; deposit through
delivery_deposit; unlock and return through their services) and the districts' fee policies.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator
from portal.identifiers import refuse_identifiers
from portal.masking import mask_name, mask_phone
from portal.models import District

from .models import Compartment, CompartmentSize, Delivery, LockerDevice, LockerPolicy, LockerSite
from .selectors import registrations_by_phone
from .services import (
    LockerError,
    compartment_unlock,
    delivery_deposit,
    delivery_mark_returned,
    device_create,
)


class DistrictScopedAdmin(admin.ModelAdmin):
    """Rows of the user's district only (each model's ``visible_to``); the district field offers theirs."""

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = District.objects.visible_to(request.user)
        elif db_field.name == "site":
            kwargs["queryset"] = LockerSite.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def _unlock(modeladmin, request, compartments) -> None:
    done = 0
    for compartment in compartments:
        try:
            compartment_unlock(compartment=compartment, actor=request.user, request=request)
        except LockerError as error:
            modeladmin.message_user(request, f"{compartment}: {error.message}", messages.WARNING)
        else:
            done += 1
    if done:
        modeladmin.message_user(
            request,
            ngettext("%(count)d compartment unlocked.", "%(count)d compartments unlocked.", done)
            % {"count": done},
            messages.SUCCESS,
        )


# --- sites and compartments ----------------------------------------------------------------------


class CompartmentInline(admin.TabularInline):
    model = Compartment
    fields = ("label", "size", "locked_at")
    readonly_fields = ("locked_at",)
    extra = 0


@admin.register(LockerSite)
class LockerSiteAdmin(DistrictScopedAdmin):
    list_display = ("name", "district", "address", "is_active")
    list_filter = ("is_active",)
    list_select_related = ("district",)
    search_fields = ("name", "address")
    inlines = [CompartmentInline]


@admin.register(Compartment)
class CompartmentAdmin(DistrictScopedAdmin):
    list_display = ("label", "site", "size", "locked_at")
    list_filter = ("size", ("locked_at", admin.EmptyFieldListFilter))
    list_select_related = ("site",)
    search_fields = ("label", "site__name")
    readonly_fields = ("locked_at", "unlocked_at")
    actions = ("unlock_selected",)

    @admin.action(description=_("Unlock selected compartments"), permissions=["change"])
    def unlock_selected(self, request, queryset):
        _unlock(self, request, queryset.filter(locked_at__isnull=False))


# --- devices -------------------------------------------------------------------------------------


@admin.register(LockerDevice)
class LockerDeviceAdmin(DistrictScopedAdmin):
    list_display = ("name", "site", "is_active", "last_seen_at")
    list_filter = ("is_active",)
    list_select_related = ("site",)
    readonly_fields = ("last_seen_at", "created_at")

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("site", "name")
        return ("site", "name", "is_active", "last_seen_at", "created_at")

    def get_readonly_fields(self, request, obj=None):
        return ("site", "last_seen_at", "created_at") if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return super().save_model(request, obj, form, change)
        device, token = device_create(site=obj.site, name=obj.name, actor=request.user)
        obj.pk, obj.token_hash, obj.created_at = device.pk, device.token_hash, device.created_at
        # Shown this once: only its hash is kept, so a lost token means a new device.
        messages.warning(
            request,
            _("Device token (copy it into the kiosk now; it will not be shown again): %(token)s")
            % {"token": token},
        )
        return None


# --- deliveries ----------------------------------------------------------------------------------


class DepositForm(forms.Form):
    site = forms.ModelChoiceField(queryset=LockerSite.objects.none(), label=_("Locker site"))
    recipient_phone = forms.CharField(
        label=_("Recipient's mobile number"),
        max_length=13,
        help_text=_("They must be registered for the site."),
    )
    size = forms.ChoiceField(label=_("Compartment size"), choices=CompartmentSize.choices)
    courier = forms.CharField(
        label=_("Courier"), max_length=60, required=False, validators=[refuse_identifiers]
    )
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=40, required=False)

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = LockerSite.objects.filter(is_active=True).visible_to(user)

    def clean(self):
        cleaned = super().clean()
        site, phone = cleaned.get("site"), cleaned.get("recipient_phone")
        if site and phone:
            found = registrations_by_phone(site, phone)
            if not found:
                self.add_error(
                    "recipient_phone", _("No one registered for this site has that mobile number.")
                )
            elif len(found) > 1:
                self.add_error("recipient_phone", _("Several residents share that mobile number."))
            else:
                cleaned["recipient"] = found[0].user
        return cleaned


@admin.register(Delivery)
class DeliveryAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = ("reference", "site", "compartment_label", "recipient_masked", "status", "deposited_at")
    list_filter = (
        "status",
        ("recipient_erased_at", admin.EmptyFieldListFilter),
        ("deposited_at", admin.DateFieldListFilter),
    )
    list_select_related = ("compartment__site", "recipient__household")
    search_fields = ("reference", "tracking_number")
    search_help_text = _("Search by reference (PL-2026-000123) or tracking number.")
    ordering = ("-deposited_at", "-pk")
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = ("mark_returned_selected", "unlock_compartments_selected")
    fields = (
        "reference",
        "site",
        "compartment_label",
        "recipient_name",
        "recipient_phone",
        "courier",
        "tracking_number",
        "status",
        "deposited_at",
        "picked_up_at",
        "closed_at",
        "fee_charged",
        "reminded_at",
    )
    readonly_fields = fields

    access_log_action = "lockers.delivery.viewed"

    def access_log_subject(self, obj: Delivery):
        return obj.recipient_id, obj.district

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        """Nothing is edited here: deliveries change through their services only."""

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:lockers_delivery_deposit"))

    def get_urls(self):
        return [
            path("deposit/", self.admin_site.admin_view(self.deposit_view), name="lockers_delivery_deposit")
        ] + super().get_urls()

    def deposit_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = DepositForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                delivery = delivery_deposit(
                    site=data["site"],
                    recipient=data["recipient"],
                    size=data["size"],
                    actor=request.user,
                    courier=data["courier"],
                    tracking_number=data["tracking_number"],
                    request=request,
                )
            except LockerError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request,
                    _(
                        "%(reference)s is in compartment %(label)s; "
                        "the recipient was sent the code by text message."
                    )
                    % {"reference": delivery.reference, "label": delivery.compartment.label},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:lockers_delivery_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deposit a parcel"),
            "form": form,
        }
        return TemplateResponse(request, "admin/lockers/deposit.html", context)

    @admin.display(description=_("site"), ordering="compartment__site__name")
    def site(self, obj: Delivery) -> str:
        return obj.compartment.site.name

    @admin.display(description=_("compartment"))
    def compartment_label(self, obj: Delivery) -> str:
        return obj.compartment.label

    @admin.display(description=_("recipient"))
    def recipient_masked(self, obj: Delivery) -> str:
        household = getattr(obj.recipient, "household", None)
        return mask_name(household.name) if household is not None else "—"

    @admin.display(description=_("recipient"))
    def recipient_name(self, obj: Delivery) -> str:
        household = getattr(obj.recipient, "household", None)
        return household.name if household is not None else "—"

    @admin.display(description=_("mobile number"))
    def recipient_phone(self, obj: Delivery) -> str:
        household = getattr(obj.recipient, "household", None)
        return mask_phone(household.phone) if household is not None and household.phone else "—"

    @admin.action(description=_("Mark selected parcels as returned to the sender"), permissions=["change"])
    def mark_returned_selected(self, request, queryset):
        done = 0
        for delivery in queryset:
            try:
                delivery_mark_returned(delivery=delivery, actor=request.user, request=request)
            except LockerError as error:
                self.message_user(request, f"{delivery.reference}: {error.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(count)d parcel marked as returned.", "%(count)d parcels marked as returned.", done
                )
                % {"count": done},
                messages.SUCCESS,
            )

    @admin.action(description=_("Unlock the compartments of selected parcels"), permissions=["change"])
    def unlock_compartments_selected(self, request, queryset):
        ids = queryset.values_list("compartment_id", flat=True)
        _unlock(self, request, Compartment.objects.filter(pk__in=ids, locked_at__isnull=False))


@admin.register(LockerPolicy)
class LockerPolicyAdmin(DistrictScopedAdmin):
    list_display = ("district", "free_hours", "daily_fee", "max_hold_days", "reminder_hours_before_free_end")
    list_select_related = ("district",)
