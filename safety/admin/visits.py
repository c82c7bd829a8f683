"""The installation visits of a kit request in the admin: the inline list and the two pages that
schedule a visit and record its outcome (through safety.services, which audit and tell the resident)."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal.datefields import SupportedDateField
from portal.errors import DomainError
from portal.identifiers import refuse_identifiers

from ..models import OPEN_VISIT_STATUSES, InstallationVisit, Slot
from ..services import visit_complete, visit_schedule

SLOT_LABELS = dict(Slot.choices)


class ScheduleVisitForm(forms.Form):
    date = SupportedDateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    window_start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}))
    window_end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}))
    installer = forms.CharField(label=_("Installer"), max_length=100, validators=[refuse_identifiers])


class CompleteVisitForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[("installed", _("Installed")), ("failed", _("Installation failed"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Installation note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[refuse_identifiers],
    )
    failure_reason = forms.CharField(
        label=_("Why it failed"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        validators=[refuse_identifiers],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == "failed" and not (cleaned.get("failure_reason") or "").strip():
            self.add_error("failure_reason", _("Say why the installation failed."))
        return cleaned


class InstallationVisitInline(admin.TabularInline):
    """Visits are scheduled and closed through their own pages (and the services), never edited here."""

    model = InstallationVisit
    fields = ("date", "window", "installer", "status", "note", "failure_reason", "resident_note", "close")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Installation visits")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("window"))
    def window(self, visit: InstallationVisit) -> str:
        return f"{visit.window_start:%H:%M}–{visit.window_end:%H:%M}"

    @admin.display(description=_("record the outcome"))
    def close(self, visit: InstallationVisit) -> str:
        if visit.status not in OPEN_VISIT_STATUSES:
            return "—"
        url = reverse("admin:safety_kitrequest_complete_visit", args=[visit.request_id, visit.pk])
        return format_html('<a href="{}">{}</a>', url, _("Installed or failed…"))


class VisitPagesMixin:
    """The visit pages of KitRequestAdmin, which provides _changeable (the scoped, changeable request)
    and _page (an admin page of the request)."""

    def schedule_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        kit_request = self._changeable(request, object_id)
        change_url = reverse("admin:safety_kitrequest_change", args=[kit_request.pk])
        form = ScheduleVisitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                visit_schedule(
                    kit_request=kit_request, actor=request.user, request=request, **form.cleaned_data
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(
                    request, _("The visit is scheduled and the resident notified."), messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            "visit_form.html",
            title=_("Schedule an installation visit"),
            kit_request=kit_request,
            form=form,
            cancel_url=change_url,
            preferred=[
                (w.get("date", ""), SLOT_LABELS.get(w.get("slot"), "")) for w in kit_request.preferred_windows
            ],
            open_visits=list(kit_request.visits.filter(status__in=OPEN_VISIT_STATUSES)),
        )

    def complete_visit_view(self, request: HttpRequest, object_id: str, visit_id: int) -> HttpResponse:
        kit_request = self._changeable(request, object_id)
        visit = kit_request.visits.filter(pk=visit_id).first()
        if visit is None:
            raise Http404
        change_url = reverse("admin:safety_kitrequest_change", args=[kit_request.pk])
        form = CompleteVisitForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                visit_complete(
                    visit=visit,
                    actor=request.user,
                    installed=form.cleaned_data["outcome"] == "installed",
                    note=form.cleaned_data["note"],
                    failure_reason=form.cleaned_data["failure_reason"],
                    request=request,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                self.message_user(request, _("The visit's outcome is recorded."), messages.SUCCESS)
                return HttpResponseRedirect(change_url)
        return self._page(
            request,
            "visit_form.html",
            title=_("Record the visit's outcome"),
            kit_request=kit_request,
            visit=visit,
            form=form,
            cancel_url=change_url,
        )
