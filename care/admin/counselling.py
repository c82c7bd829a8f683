from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.utils.translation import gettext_lazy as _

from portal.admin_tools import AccessLoggedAdminMixin
from portal.errors import DomainError
from portal.masking import mask_name
from portal.timeutils import to_local

from ..models import (
    Appointment,
    AppointmentStatus,
    CounsellingService,
    Counsellor,
    Leave,
    SessionNote,
    WorkingHours,
    counsellor_of,
)
from ..services.appointments import appointment_mark_attendance
from ..services.notes import READ_ACTION, note_add


class DistrictScopedAdmin(admin.ModelAdmin):
    def get_queryset(self, request):
        return (
            self.model.objects.visible_to(request.user)
            if hasattr(self.model.objects, "visible_to")
            else super().get_queryset(request)
        )


@admin.register(CounsellingService)
class CounsellingServiceAdmin(DistrictScopedAdmin):
    list_display = (
        "name",
        "district",
        "duration_minutes",
        "offers_room",
        "offers_phone",
        "offers_video",
        "is_active",
    )
    list_filter = ("is_active",)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            from portal.models import District

            kwargs["queryset"] = District.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class WorkingHoursInline(admin.TabularInline):
    model = WorkingHours
    extra = 0


class LeaveInline(admin.TabularInline):
    model = Leave
    extra = 0


@admin.register(Counsellor)
class CounsellorAdmin(DistrictScopedAdmin):
    list_display = ("__str__", "district", "is_centre_lead", "room")
    inlines = [WorkingHoursInline, LeaveInline]
    raw_id_fields = ("user", "room")
    filter_horizontal = ("services",)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "video_link":
            kwargs["assume_scheme"] = "https"  # a meeting link without a scheme is an https one
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # A counsellor keeps their own hours, leave and video link; the setup is the managers'.
        if request.user.role == "counsellor":
            return ("user", "district", "services", "is_centre_lead", "room")
        return ()

    def get_queryset(self, request):
        rows = super().get_queryset(request).select_related("user", "district", "room")
        if request.user.role == "counsellor":
            # Even the lead changes only their own row (the lead reads the others' calendars).
            return rows.filter(user_id=request.user.pk)
        return rows


class UpcomingFilter(admin.SimpleListFilter):
    title = _("when")
    parameter_name = "when"

    def lookups(self, request, model_admin):
        return [("upcoming", _("Upcoming")), ("past", _("Past"))]

    def queryset(self, request, queryset):
        from django.utils import timezone

        if self.value() == "upcoming":
            return queryset.filter(starts_at__gte=timezone.now())
        if self.value() == "past":
            return queryset.filter(starts_at__lt=timezone.now())
        return queryset


@admin.register(Appointment)
class AppointmentAdmin(AccessLoggedAdminMixin, DistrictScopedAdmin):
    """A counsellor's calendar and clients: their own appointments (the lead: the district's)."""

    access_log_action = "care.appointment.viewed"
    list_display = ("reference", "local_start", "counsellor", "service", "mode", "status", "urgent", "client")
    list_filter = (UpcomingFilter, "status", "mode", "crisis", "service")
    date_hierarchy = "starts_at"
    ordering = ("starts_at",)
    actions = ["mark_attended", "mark_no_show"]
    fields = (
        "reference",
        "service",
        "counsellor",
        "household",
        "starts_at",
        "ends_at",
        "mode",
        "status",
        "urgency",
        "crisis",
        "topic",
        "intake",
        "preferred_contact",
        "notes_link",
    )
    readonly_fields = fields

    def access_log_subject(self, obj):
        return obj.household.user_id, obj.district

    def get_queryset(self, request):
        rows = (
            super()
            .get_queryset(request)
            .select_related("counsellor__user", "service", "household", "district")
        )
        if request.user.role == "counsellor":
            mine = counsellor_of(request.user)
            if mine is None:
                return rows.none()
            if not mine.is_centre_lead:
                rows = rows.filter(counsellor=mine)
        return rows

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("starts"), ordering="starts_at")
    def local_start(self, obj):
        return f"{to_local(obj.starts_at):%Y-%m-%d %H:%M}"

    @admin.display(description=_("urgent"), boolean=True)
    def urgent(self, obj):
        return obj.is_urgent

    @admin.display(description=_("client"))
    def client(self, obj):
        return mask_name(obj.household.name)

    @admin.display(description=_("session notes"))
    def notes_link(self, obj):
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html(
            '<a href="{}?appointment__id__exact={}">{}</a>',
            reverse("admin:care_sessionnote_changelist"),
            obj.pk,
            _("Session notes"),
        )

    def _attendance(self, request, queryset, attended: bool):
        done = 0
        for pk in queryset.values_list("pk", flat=True):
            try:
                appointment_mark_attendance(
                    actor=request.user, appointment_id=pk, attended=attended, request=request
                )
                done += 1
            except DomainError as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, _("%(count)d appointments updated.") % {"count": done})

    @admin.action(description=_("Mark as attended"), permissions=["change"])
    def mark_attended(self, request, queryset):
        self._attendance(
            request, queryset.filter(status__in=[AppointmentStatus.BOOKED, AppointmentStatus.NO_SHOW]), True
        )

    @admin.action(description=_("Mark as did not come"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._attendance(
            request, queryset.filter(status__in=[AppointmentStatus.BOOKED, AppointmentStatus.ATTENDED]), False
        )


class NoteForm(forms.ModelForm):
    class Meta:
        model = SessionNote
        fields = ("appointment", "text")


@admin.register(SessionNote)
class SessionNoteAdmin(admin.ModelAdmin):
    """Confidential: the queryset is readable_by(user) whatever the user's permissions; opening a note
    writes the access log (care.note.viewed); the list shows no text."""

    form = NoteForm
    list_display = ("appointment", "counsellor", "created_at")
    list_filter = ("appointment__service",)
    raw_id_fields = ("appointment",)

    def get_queryset(self, request):
        return SessionNote.objects.readable_by(request.user).select_related(
            "appointment__household", "appointment__district", "counsellor__user"
        )

    def has_view_permission(self, request, obj=None):
        return counsellor_of(request.user) is not None and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return counsellor_of(request.user) is not None and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return False  # a note is never rewritten: a new note corrects it

    def has_delete_permission(self, request, obj=None):
        return False

    def get_fields(self, request, obj=None):
        return ("appointment", "text") if obj is None else ("appointment", "counsellor", "created_at", "text")

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("appointment", "counsellor", "created_at", "text")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "appointment":
            kwargs["queryset"] = Appointment.objects.filter(counsellor__user_id=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        note = note_add(
            actor=request.user,
            appointment_id=form.cleaned_data["appointment"].pk,
            text=form.cleaned_data["text"],
            request=request,
        )
        obj.pk, obj.counsellor, obj.created_at = note.pk, note.counsellor, note.created_at

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            from portal.audit import audit_log

            note = self.get_object(request, unquote(object_id))
            if note is not None:
                appointment = note.appointment
                audit_log(
                    actor=request.user,
                    action=READ_ACTION,
                    target=appointment,
                    subject_user_id=appointment.household.user_id,
                    district=appointment.district,
                    request=request,
                    data={"reference": appointment.reference, "note": note.pk},
                )
        return response
