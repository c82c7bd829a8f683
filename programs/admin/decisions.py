"""Decisions on applications in the admin: the buttons on an application's page, the bulk actions of the
review queue and their confirmation page. Every decision goes through application_decide (the service),
one transaction per application.
"""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal.errors import DomainError
from portal.identifiers import refuse_identifiers

from ..models import Application
from ..services.applications import STAFF_ACTIONS, TRANSITIONS, application_decide

# A bulk decision runs one locked transaction per application: keep one request's work bounded.
BULK_LIMIT = 500


@dataclass(frozen=True)
class Decision:
    action: str  # the service's action name (programs.services.applications.STAFF_ACTIONS)
    label: str | Promise
    reason_label: str | Promise | None = None  # set when the resident must be told why
    reason_required: str | Promise = ""


DECISIONS: dict[str, Decision] = {
    decision.action: decision
    for decision in (
        Decision("approve", _("Approve")),
        Decision(
            "reject",
            _("Reject"),
            reason_label=_("Reason for rejecting (the resident will read it)"),
            reason_required=_("Give a reason: the resident will read it."),
        ),
        Decision("waitlist", _("Put on the waiting list")),
        Decision(
            "request_info",
            _("Request more information"),
            reason_label=_("Information needed (the resident will read it)"),
            reason_required=_("Say what information is needed: the resident will read it."),
        ),
        Decision("review", _("Mark as under review")),
        Decision("complete", _("Mark as completed")),
    )
}


class DecisionForm(forms.Form):
    """The confirmation page's form: a reason box for the decisions the resident must be told about."""

    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}), max_length=2000, validators=[refuse_identifiers]
    )

    def __init__(self, *args, decision: Decision, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if decision.reason_label is None:
            del self.fields["reason"]
        else:
            field = self.fields["reason"]
            field.label = decision.reason_label
            field.error_messages["required"] = decision.reason_required

    @property
    def reason_text(self) -> str:
        return self.cleaned_data.get("reason", "")


class DecisionActionsMixin:
    """The decision buttons, pages and bulk actions of ApplicationAdmin."""

    # --- decision buttons on the change page ----------------------------------------------------

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        buttons = []
        if obj is not None and self.has_change_permission(request, obj):
            # Only the moves the transition table allows from here; the service checks again on submit.
            allowed = TRANSITIONS.get(obj.status, set())
            for name, decision in DECISIONS.items():
                if STAFF_ACTIONS[name] in allowed:
                    url = reverse("admin:programs_application_decide", args=[obj.pk, name])
                    buttons.append({"url": url, "label": decision.label})
        context["decision_buttons"] = buttons
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/decide/<slug:action>/",
                self.admin_site.admin_view(self.decide_view),
                name="programs_application_decide",
            )
        ]
        return urls + super().get_urls()

    def decide_view(self, request: HttpRequest, object_id: str, action: str) -> HttpResponse:
        decision = DECISIONS.get(action)
        application = self.get_object(request, unquote(object_id))
        if decision is None or application is None:
            raise Http404
        if not self.has_change_permission(request, application):
            raise PermissionDenied
        change_url = reverse("admin:programs_application_change", args=[application.pk])
        form = DecisionForm(request.POST if request.method == "POST" else None, decision=decision)
        if form.is_bound and form.is_valid():
            self._decide(request, [application], decision, form.reason_text)
            return HttpResponseRedirect(change_url)
        return self._confirmation(request, [application], decision, form, cancel_url=change_url, bulk=False)

    # --- decision actions on the changelist -----------------------------------------------------

    @admin.action(description=_("Approve selected applications"), permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["approve"])

    @admin.action(description=_("Reject selected applications"), permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["reject"])

    @admin.action(description=_("Put selected applications on the waiting list"), permissions=["change"])
    def waitlist_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["waitlist"])

    @admin.action(description=_("Request more information on selected applications"), permissions=["change"])
    def request_info_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["request_info"])

    @admin.action(description=_("Mark selected applications as under review"), permissions=["change"])
    def review_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["review"])

    @admin.action(description=_("Mark selected applications as completed"), permissions=["change"])
    def complete_selected(self, request, queryset):
        return self._decide_selected(request, queryset, DECISIONS["complete"])

    def _decide_selected(self, request, queryset, decision: Decision) -> HttpResponse | None:
        """First call: the confirmation page. Its form posts back here with `post` (and the reason)."""
        # Oldest first, as in the queue: when places run out, the earliest applicants got them.
        applications = list(
            queryset.select_related("program").order_by("submitted_at", "pk")[: BULK_LIMIT + 1]
        )
        if not applications:
            self.message_user(request, _("None of the selected applications can be found."), messages.WARNING)
            return None
        if len(applications) > BULK_LIMIT:
            self.message_user(
                request,
                _("Select at most %(limit)d applications at a time.") % {"limit": BULK_LIMIT},
                messages.ERROR,
            )
            return None
        form = DecisionForm(request.POST if request.POST.get("post") else None, decision=decision)
        if form.is_bound and form.is_valid():
            self._decide(request, applications, decision, form.reason_text)
            return None  # back to the changelist, with the messages
        return self._confirmation(
            request,
            applications,
            decision,
            form,
            cancel_url=request.get_full_path(),
            bulk=True,
            action_name=f"{decision.action}_selected",
        )

    def _decide(self, request, applications: list[Application], decision: Decision, reason: str) -> None:
        done, refused = 0, []
        for application in applications:
            # One transaction per application (inside the service): a refusal leaves the others done.
            try:
                application_decide(
                    application=application,
                    action=decision.action,
                    actor=request.user,
                    reason=reason,
                    request=request,
                )
            except DomainError as error:
                refused.append(f"{application.reference}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d application done.",
                    "%(decision)s: %(count)d applications done.",
                    done,
                )
                % {"decision": decision.label, "count": done},
                messages.SUCCESS,
            )
        if refused:
            self.message_user(
                request,
                ngettext(
                    "%(decision)s: %(count)d application could not be changed. %(details)s",
                    "%(decision)s: %(count)d applications could not be changed. %(details)s",
                    len(refused),
                )
                % {"decision": decision.label, "count": len(refused), "details": " · ".join(refused)},
                messages.ERROR,
            )

    def _confirmation(
        self,
        request,
        applications: list[Application],
        decision: Decision,
        form: DecisionForm,
        *,
        cancel_url: str,
        bulk: bool,
        action_name: str = "",
    ) -> TemplateResponse:
        context = {
            **self.admin_site.each_context(request),
            "title": decision.label,
            "opts": self.opts,
            "decision": decision,
            "applications": applications,
            "form": form,
            "bulk": bulk,
            "action_name": action_name,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "admin/programs/application/decision_confirmation.html", context)
