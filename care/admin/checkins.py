from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from households.models import Household
from portal.admin_tools import AccessLoggedAdminMixin
from portal.errors import DomainError
from portal.masking import mask_name

from ..models import CheckIn, CheckInTask, Enrolment, TaskOutcome
from ..services.checkins import enrolment_create, task_record_outcome

WEEKDAYS = [
    (0, _("Mon")),
    (1, _("Tue")),
    (2, _("Wed")),
    (3, _("Thu")),
    (4, _("Fri")),
    (5, _("Sat")),
    (6, _("Sun")),
]


class EnrolmentForm(forms.ModelForm):
    """Enrolling: the schedule, channels and plan, the resident's consent, and optionally one guardian
    (more can be added later) with their own consent."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("Weekdays"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    resident_consented = forms.BooleanField(label=_("The resident consented (notice read and agreed)"))
    guardian_name = forms.CharField(label=_("Guardian's name"), required=False, max_length=50)
    guardian_relation = forms.CharField(label=_("Relation"), required=False, max_length=30)
    guardian_email = forms.EmailField(label=_("Guardian's email"), required=False)
    guardian_phone = forms.CharField(label=_("Guardian's mobile number"), required=False, max_length=20)
    guardian_consented = forms.BooleanField(label=_("The guardian consented to be contacted"), required=False)

    class Meta:
        model = Enrolment
        fields = (
            "household",
            "at",
            "by_email",
            "by_sms",
            "answer_window_hours",
            "guardians_told_at",
            "consent_version",
        )


@admin.register(Enrolment)
class EnrolmentAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    access_log_action = "care.enrolment.viewed"
    list_display = ("pk", "resident", "neighbourhood", "status", "schedule", "paused_until", "created_at")
    list_filter = ("status", "neighbourhood")
    raw_id_fields = ("household",)

    def access_log_subject(self, obj):
        return obj.household.user_id, obj.district

    def get_queryset(self, request):
        return Enrolment.objects.visible_to(request.user).select_related(
            "household", "neighbourhood", "district"
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = EnrolmentForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                *EnrolmentForm.Meta.fields[:1],
                "weekdays",
                *EnrolmentForm.Meta.fields[1:],
                "resident_consented",
                "guardian_name",
                "guardian_relation",
                "guardian_email",
                "guardian_phone",
                "guardian_consented",
            ]
        return (
            "resident",
            "status",
            "schedule",
            "by_email",
            "by_sms",
            "answer_window_hours",
            "guardians_told_at",
            "consent_version",
            "consent_given_at",
            "paused_from",
            "paused_until",
            "guardian_list",
        )

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "household":
            from portal.scoping import scope_to_district

            kwargs["queryset"] = scope_to_district(Household.objects.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("resident"))
    def resident(self, obj):
        return mask_name(obj.household.name)

    @admin.display(description=_("schedule"))
    def schedule(self, obj):
        names = dict(WEEKDAYS)
        return f"{' '.join(str(names[d]) for d in obj.weekdays)} {obj.at:%H:%M}"

    @admin.display(description=_("guardians"))
    def guardian_list(self, obj):
        return (
            ", ".join(
                f"{mask_name(g.name)} ({_('consented') if g.consent_given_at else _('no consent')})"
                for g in obj.guardians.all()
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        guardians = []
        if data.get("guardian_name"):
            guardians.append(
                {
                    "name": data["guardian_name"],
                    "relation": data.get("guardian_relation", ""),
                    "email": data.get("guardian_email", ""),
                    "phone": data.get("guardian_phone", ""),
                    "consented": bool(data.get("guardian_consented")),
                }
            )
        created = enrolment_create(
            actor=request.user,
            household_id=data["household"].pk,
            weekdays=data["weekdays"],
            at=data["at"],
            consent_version=data["consent_version"],
            by_email=data["by_email"],
            by_sms=data["by_sms"],
            answer_window_hours=data["answer_window_hours"],
            guardians_told_at=data["guardians_told_at"],
            guardians=guardians,
            request=request,
        )
        obj.pk, obj.created_at = created.pk, created.created_at

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())


class OpenFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("open", _("Open")), ("closed", _("Closed")), ("all", _("All"))]

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": (self.value() or "open") == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }

    def queryset(self, request, queryset):
        value = self.value() or "open"
        if value == "open":
            return queryset.filter(closed_at__isnull=True)
        if value == "closed":
            return queryset.filter(closed_at__isnull=False)
        return queryset


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = CheckInTask
        fields = ("outcome", "note")

    def clean_outcome(self):
        value = self.cleaned_data.get("outcome")
        if not value:
            raise ValidationError(_("Choose the outcome."))
        return value


@admin.register(CheckInTask)
class CheckInTaskAdmin(AccessLoggedAdminMixin, admin.ModelAdmin):
    """The caseworkers' board: open check-in tasks of the district by 행정동, oldest first; opening one
    shows whom to call (access-logged) and records the outcome (reached / no answer / needs a visit)."""

    access_log_action = "care.checkin_task.viewed"
    form = OutcomeForm
    list_display = ("neighbourhood", "kind", "created_at", "waiting", "resident", "checkin_status", "outcome")
    list_filter = (OpenFilter, "kind", "neighbourhood")
    ordering = ("neighbourhood__name", "created_at", "id")
    list_select_related = ("neighbourhood", "checkin__enrolment__household")

    def access_log_subject(self, obj):
        return obj.checkin.enrolment.household.user_id, obj.district

    def get_queryset(self, request):
        return CheckInTask.objects.visible_to(request.user).select_related(
            "neighbourhood", "checkin__enrolment__household", "district"
        )

    def get_fields(self, request, obj=None):
        return (
            "kind",
            "created_at",
            "resident_name",
            "phone",
            "address",
            "checkin_status",
            "outcome",
            "note",
            "closed_at",
        )

    def get_readonly_fields(self, request, obj=None):
        fixed = ["kind", "created_at", "resident_name", "phone", "address", "checkin_status", "closed_at"]
        return [*fixed, "outcome", "note"] if obj is not None and obj.closed_at else fixed

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("waiting"))
    def waiting(self, obj):
        hours = int((timezone.now() - obj.created_at).total_seconds() // 3600)
        return _("%(hours)d h") % {"hours": hours}

    @admin.display(description=_("resident"))
    def resident(self, obj):
        return mask_name(obj.checkin.enrolment.household.name)

    @admin.display(description=_("resident"))
    def resident_name(self, obj):
        return obj.checkin.enrolment.household.name

    @admin.display(description=_("mobile number"))
    def phone(self, obj):
        return obj.checkin.enrolment.household.phone

    @admin.display(description=_("address"))
    def address(self, obj):
        household = obj.checkin.enrolment.household
        return f"{household.neighbourhood or ''} {household.address_detail}".strip()

    @admin.display(description=_("check-in"))
    def checkin_status(self, obj):
        return obj.checkin.get_status_display()

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "outcome":
            kwargs["choices"] = [("", "---------"), *TaskOutcome.choices]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        task_record_outcome(
            actor=request.user,
            task_id=obj.pk,
            outcome=form.cleaned_data["outcome"],
            note=form.cleaned_data.get("note", ""),
            request=request,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as error:
            self.message_user(request, str(error), messages.ERROR)
            from django.http import HttpResponseRedirect

            return HttpResponseRedirect(request.get_full_path())


@admin.register(CheckIn)
class CheckInAdmin(admin.ModelAdmin):
    list_display = ("pk", "scheduled_at", "status", "sent_at", "reminded_at", "escalated_at", "used_at")
    list_filter = ("status",)
    readonly_fields = (
        "enrolment",
        "scheduled_at",
        "status",
        "due_at",
        "sent_at",
        "reminded_at",
        "escalated_at",
        "used_at",
    )
    fields = readonly_fields
    raw_id_fields = ("enrolment",)

    def get_queryset(self, request):
        return CheckIn.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
