"""The kit catalogue (city-wide) and each district's offer in the admin."""

from __future__ import annotations

from django.contrib import admin

from portal.models import District
from programs.models import Program

from ..models import KitItem, KitOffer


@admin.register(KitItem)
class KitItemAdmin(admin.ModelAdmin):
    list_display = ("position", "icon", "name", "name_en", "code")
    list_display_links = ("name",)
    search_fields = ("name", "name_en", "code")
    ordering = ("position", "pk")
    prepopulated_fields = {"code": ("name_en",)}


@admin.register(KitOffer)
class KitOfferAdmin(admin.ModelAdmin):
    list_display = ("district", "program", "max_items", "is_active")
    list_select_related = ("district", "program")
    filter_horizontal = ("items",)
    fields = (
        "district",
        "program",
        "items",
        "max_items",
        "is_active",
        "visit_horizon_days",
        "priority_notes",
        "priority_notes_en",
    )

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and not request.user.sees_all_districts:
            kwargs["queryset"] = District.objects.visible_to(request.user)
        if db_field.name == "program":
            # Programs' own rule: the district's programs and its city's city-wide ones.
            kwargs["queryset"] = Program.objects.visible_to(request.user).order_by("title")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
