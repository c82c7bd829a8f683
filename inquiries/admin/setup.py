"""The district's teams, which team takes which topic, and the answer templates (district managers keep
them; caseworkers read them). Scoped: a district's staff see and file rows under their own district."""

from __future__ import annotations

from django.contrib import admin

from portal.models import District

from ..models import AnswerTemplate, Team, TopicRoute


class DistrictScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = District.objects.visible_to(request.user)
        if db_field.name == "team":
            kwargs["queryset"] = Team.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Team)
class TeamAdmin(DistrictScopedAdmin):
    list_display = ("name", "district", "lead")
    list_select_related = ("district", "lead")
    autocomplete_fields = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "lead":
            from portal.models import User
            from portal.scoping import scope_to_district

            kwargs["queryset"] = scope_to_district(
                User.objects.filter(is_staff=True, is_active=True), request.user
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(TopicRoute)
class TopicRouteAdmin(DistrictScopedAdmin):
    list_display = ("district", "topic", "team")
    list_select_related = ("district", "team")


@admin.register(AnswerTemplate)
class AnswerTemplateAdmin(DistrictScopedAdmin):
    list_display = ("title", "topic", "district", "is_active")
    list_filter = ("topic", "is_active")
    list_select_related = ("district",)
    search_fields = ("title",)

    def get_queryset(self, request):
        # Every district's staff also use the city-wide templates (no district); only city admins edit those.
        queryset = admin.ModelAdmin.get_queryset(self, request)
        return queryset.filter(pk__in=queryset.visible_to(request.user).values("pk")) | queryset.filter(
            district__isnull=True
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.district_id is None and not request.user.sees_all_districts:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj) and super().has_delete_permission(request, obj)
