"""Caseworkers look up their own district's households: masked in lists, logged when opened in full."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator
from portal.masking import mask_name, mask_phone

from .models import Consent, Household
from .phone import phone_changed


class ConsentInline(admin.TabularInline):
    model = Consent
    fk_name = "user"
    extra = 0
    can_delete = False
    readonly_fields = ("purpose", "version", "given_at", "withdrawn_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class AgeBandFilter(admin.SimpleListFilter):
    title = _("life stage")
    parameter_name = "life_stage"
    BANDS = {"youth": (19, 39), "middle_aged": (40, 64), "seniors": (65, 150)}

    def lookups(self, request, model_admin):
        return [
            ("youth", _("Youth (19–39)")),
            ("middle_aged", _("Middle age (40–64)")),
            ("seniors", _("Seniors (65+)")),
        ]

    def queryset(self, request, queryset):
        band = self.BANDS.get(self.value() or "")
        if band is None:
            return queryset
        today = timezone.localdate()
        low, high = band
        # Born after (today - (high+1) years) and on or before (today - low years).
        oldest = today.replace(year=today.year - high - 1)
        youngest = today.replace(year=today.year - low)
        return queryset.filter(birth_date__gt=oldest, birth_date__lte=youngest)


@admin.register(Household)
class HouseholdAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    list_display = (
        "masked_name",
        "masked_phone",
        "district",
        "neighbourhood",
        "housing_tenure",
        "updated_at",
    )
    list_filter = (AgeBandFilter, "housing_tenure", "gender", "district")
    list_select_related = ("district", "neighbourhood")
    search_fields = ("name", "phone")
    show_full_result_count = False  # no COUNT(*) over the whole table on every page load
    paginator = CappedCountPaginator  # 1.6 million households: count at most 10,001 rows
    readonly_fields = ("user", "phone_verified_at", "created_at", "updated_at", "anonymized_at")

    def get_queryset(self, request: HttpRequest):
        return super().get_queryset(request).visible_to(request.user)

    def save_model(self, request: HttpRequest, obj: Household, form, change: bool) -> None:
        if change and "phone" in form.changed_data:
            # A number staff typed is no more proven than one the resident typed: verified again first.
            phone_changed(
                household=obj, old_phone=form.initial.get("phone", ""), actor=request.user, request=request
            )
        super().save_model(request, obj, form, change)

    def has_add_permission(self, request) -> bool:
        return False  # residents create their own profile; staff never do it for them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deletion is the resident's anonymizing account deletion, not a row delete

    @admin.display(description=_("name"), ordering="name")
    def masked_name(self, obj: Household) -> str:
        return mask_name(obj.name) or "—"

    @admin.display(description=_("mobile number"))
    def masked_phone(self, obj: Household) -> str:
        return mask_phone(obj.phone) or "—"

    access_log_action = "households.household.viewed"

    def access_log_subject(self, obj: Household):
        return obj.user_id, obj.district
