"""Calls: set up by district staff with their categories, rubric and evaluators."""

from __future__ import annotations

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.errors import DomainError
from portal.models import District

from ..models import Appointment, Call, CallCategory, CallStatus, Criterion
from ..services import call_advance


class CategoryInline(admin.TabularInline):
    model = CallCategory
    extra = 0


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


class AppointmentInline(admin.TabularInline):
    model = Appointment
    extra = 0
    raw_id_fields = ("user",)
    readonly_fields = ("appointed_by", "created_at")


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ("title", "district", "status", "opens_at", "closes_at", "budget", "ranking_link")
    list_filter = ("status",)
    list_select_related = ("district",)
    search_fields = ("title",)
    readonly_fields = ("status", "created_at", "updated_at")
    inlines = (CategoryInline, CriterionInline, AppointmentInline)
    actions = ("advance_selected",)

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district" and not request.user.sees_all_districts:
            kwargs["queryset"] = District.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # The set-up (dates, budget, limits, rubric) is fixed once the call is published; evaluators can
        # still be appointed while it runs.
        if obj is not None and obj.status != CallStatus.DRAFT:
            return [f.name for f in Call._meta.concrete_fields if f.name != "id"]
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj=None):
        if obj is not None and obj.status != CallStatus.DRAFT:
            return (AppointmentInline,)
        return super().get_inlines(request, obj)

    def save_formset(self, request, form, formset, change):
        for instance in formset.save(commit=False):
            if isinstance(instance, Appointment) and instance.appointed_by_id is None:
                instance.appointed_by = request.user
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()

    @admin.display(description=_("ranking and selection"))
    def ranking_link(self, obj: Call) -> str:
        return format_html('<a href="{}">{}</a>', reverse("community:call_ranking", args=[obj.pk]), _("Open"))

    @admin.action(description=_("Move the selected calls to their next step"), permissions=["view"])
    def advance_selected(self, request, queryset):
        for call in queryset:
            try:
                call_advance(call=call, actor=request.user, request=request)
            except DomainError as error:
                messages.error(request, f"{call}: {error.message}")
            else:
                messages.success(request, f"{call}: {call.get_status_display()}")
