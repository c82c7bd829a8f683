"""The caseworkers' review queue in the admin: applications of their own district, oldest first.

Nothing here decides anything: every decision goes through programs.services.applications
(application_decide, application_note_add), which checks the transition table, writes the audit event
and notifies the resident. Status is never an editable field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.errors import DomainError
from portal.masking import mask_name
from portal.scoping_legacy import applications_visible_to, programs_visible_to

from .models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationNote,
    LotteryDraw,
    ProgramQuestion,
    QuestionKind,
)
from .services.applications import (
    STAFF_ACTIONS,
    TRANSITIONS,
    application_decide,
    application_note_add,
)

# Gwangju Seo-gu promises residents an answer within 48 hours of applying; the queue shows who waits longer.
ANSWER_PROMISE = timedelta(hours=48)
# A bulk decision runs one locked transaction per application: keep one request's work bounded.
BULK_LIMIT = 500

VERDICT_LABELS = {
    "eligible": _("Eligible"),
    "ineligible": _("Not eligible"),
    "needs_info": _("More information needed"),
}


def document_url(document: ApplicationDocument) -> str:
    """Where staff download a document: the permission-checked view, never the storage path."""
    try:
        return reverse("programs:document_download", args=[document.pk])
    except NoReverseMatch:  # the download view is not wired in yet: its agreed address
        return f"/programs/documents/{document.pk}/"


def waiting_since(application: Application, now=None) -> timedelta | None:
    if application.status not in UNDECIDED_STATUSES or application.submitted_at is None:
        return None
    return (now or timezone.now()) - application.submitted_at


def format_waiting(waited: timedelta) -> str:
    hours = max(int(waited.total_seconds() // 3600), 0)
    if waited < ANSWER_PROMISE:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    days = hours // 24
    return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}


def format_answer(value: Any) -> str:
    if value is True:
        return str(_("Yes"))
    if value is False:
        return str(_("No"))
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)


# --- decisions -----------------------------------------------------------------------------------


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

    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 5, "cols": 70}), max_length=2000)

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


# --- list filters --------------------------------------------------------------------------------


class VisibleProgramFilter(admin.RelatedFieldListFilter):
    """The program filter offers only programs the user may see: the default one would list every
    district's program names."""

    def field_choices(self, field, request, model_admin):
        programs = programs_visible_to(request.user).only("pk", "title", "title_en").order_by("title", "pk")
        return [(program.pk, str(program)) for program in programs]


class WaitingTooLongFilter(admin.SimpleListFilter):
    title = _("waiting time")
    parameter_name = "waiting"

    def lookups(self, request, model_admin):
        return [("over_48h", _("Waiting more than 48 hours"))]

    def queryset(self, request, queryset):
        if self.value() == "over_48h":
            return queryset.filter(
                status__in=UNDECIDED_STATUSES, submitted_at__lt=timezone.now() - ANSWER_PROMISE
            )
        return queryset


# --- inlines -------------------------------------------------------------------------------------


class ApplicationNoteInline(admin.TabularInline):
    """Notes are added, never edited or deleted: the existing ones are shown read-only."""

    model = ApplicationNote
    fields = ("body", "written_by", "created_at")
    readonly_fields = ("written_by", "created_at")
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 60})}}
    extra = 1
    can_delete = False
    verbose_name = _("note")
    verbose_name_plural = _("Notes (staff only; the resident does not see them)")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("author"))
    def written_by(self, note: ApplicationNote) -> str:
        # Plain text: a link would lead caseworkers to the staff accounts page they may not open.
        return str(note.author) if note.author_id else "—"


class ProgramQuestionForm(forms.ModelForm):
    choices = forms.JSONField(
        label=_("Choices"),
        required=False,
        help_text=_('For "choice" questions: a list such as ["오전", "오후"].'),
        widget=forms.TextInput(attrs={"size": 30}),
    )

    class Meta:
        model = ProgramQuestion
        fields = (
            "position",
            "kind",
            "label",
            "label_en",
            "help_text",
            "help_text_en",
            "required",
            "choices",
        )

    def clean(self):
        cleaned = super().clean()
        if "choices" in self.errors:  # not JSON: the field already says so
            return cleaned
        choices = cleaned.get("choices")
        if choices is None:
            choices = cleaned["choices"] = []
        if cleaned.get("kind") == QuestionKind.CHOICE:
            if (
                not isinstance(choices, list)
                or not choices
                or not all(isinstance(choice, str) and choice.strip() for choice in choices)
            ):
                self.add_error("choices", _('List the choices as text, such as ["오전", "오후"].'))
            elif len(set(choices)) != len(choices):
                self.add_error("choices", _("Each choice must be different."))
        elif choices:
            self.add_error("choices", _('Only a "choice" question has choices: leave this empty.'))
        return cleaned


class ProgramQuestionInline(admin.TabularInline):
    """The questions a program's application form asks, defined by its manager."""

    model = ProgramQuestion
    form = ProgramQuestionForm
    extra = 0
    verbose_name_plural = _("Application form questions")


# --- the review queue ----------------------------------------------------------------------------


DETAIL_RELATED = (
    "program",
    "district",
    "household__user",
    "household__district",
    "household__neighbourhood",
    "decided_by",
)


@admin.register(Application)
class ApplicationAdmin(AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
    list_display = (
        "reference",
        "program",
        "applicant",
        "status",
        "submitted_at",
        "waiting",
        "eligibility",
    )
    list_filter = (
        ("program", VisibleProgramFilter),
        "status",
        ("submitted_at", admin.DateFieldListFilter),
        WaitingTooLongFilter,
    )
    list_select_related = ("program", "household")
    search_fields = ("reference", "household__name")
    search_help_text = _("Search by reference number (HN-2026-000123) or applicant name.")
    ordering = ("submitted_at", "pk")  # oldest first: the queue is worked through in order of arrival
    # No COUNT(*) over the whole table, and a capped one for the filtered list (see CappedCountPaginator).
    show_full_result_count = False
    paginator = CappedCountPaginator
    actions = (
        "approve_selected",
        "reject_selected",
        "waitlist_selected",
        "request_info_selected",
        "review_selected",
        "complete_selected",
    )
    inlines = [ApplicationNoteInline]
    fieldsets = (
        (None, {"fields": ("reference", "program", "status", "submitted_at", "waiting")}),
        (_("Applicant"), {"fields": ("applicant_name", "applicant_contact", "applicant_area")}),
        (
            _("Eligibility"),
            {
                "fields": (
                    "eligibility",
                    "eligibility_rule_version",
                    "eligibility_checked_at",
                    "eligibility_outcome",
                )
            },
        ),
        (_("Answers and documents"), {"fields": ("answers_list", "documents_list")}),
        (_("Decision"), {"fields": ("decided_at", "decider", "decision_reason", "lottery_rank")}),
    )

    # Every field is read-only: status changes only through the decision actions (and their service).
    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest):
        # submitted_at is set on submission: drafts are the resident's unfinished work, not the queue's.
        queryset = super().get_queryset(request).filter(submitted_at__isnull=False)
        return applications_visible_to(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(*DETAIL_RELATED)
        field = self.opts.pk if from_field is None else self.opts.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (Application.DoesNotExist, ValidationError, ValueError):
            return None

    def has_add_permission(self, request) -> bool:
        return False  # residents apply; staff never create an application for them

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # an application is cancelled or rejected, never deleted

    def save_model(self, request, obj, form, change) -> None:
        """Nothing on the application itself is editable here: only notes are saved (save_formset)."""

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not ApplicationNote:
            return super().save_formset(request, form, formset, change)
        added = []
        for note_form in formset.extra_forms:
            if not note_form.has_changed():
                continue
            try:
                added.append(
                    application_note_add(
                        application=formset.instance,
                        author=request.user,
                        body=note_form.cleaned_data["body"],
                    )
                )
            except DomainError as error:
                messages.error(request, error.message)
        # What the admin's change message and log entry read after a formset.save().
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], []
        return None

    # --- columns and fields --------------------------------------------------------------------

    @admin.display(description=_("applicant"))
    def applicant(self, obj: Application) -> str:
        return mask_name(obj.household.name) or "—"

    @admin.display(description=_("waiting"), ordering="submitted_at")
    def waiting(self, obj: Application) -> str:
        waited = waiting_since(obj)
        if waited is None:
            return "—"
        text = format_waiting(waited)
        if waited >= ANSWER_PROMISE:
            return format_html("<strong>{}</strong> ({})", text, _("over 48 hours"))
        return text

    @admin.display(description=_("eligibility"), ordering="eligibility_verdict")
    def eligibility(self, obj: Application) -> str:
        return VERDICT_LABELS.get(obj.eligibility_verdict, _("Not checked yet"))

    @admin.display(description=_("name"))
    def applicant_name(self, obj: Application) -> str:
        return obj.household.name or "—"

    @admin.display(description=_("contact"))
    def applicant_contact(self, obj: Application) -> str:
        household = obj.household
        lines = [value for value in (household.phone, household.user.email) if value]
        return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)) if lines else "—"

    @admin.display(description=_("district and neighbourhood"))
    def applicant_area(self, obj: Application) -> str:
        household = obj.household
        parts = [str(household.district)]
        if household.neighbourhood_id:
            parts.append(str(household.neighbourhood))
        return " ".join(parts)

    @admin.display(description=_("decided by"))
    def decider(self, obj: Application) -> str:
        return str(obj.decided_by) if obj.decided_by_id else "—"

    @admin.display(description=_("eligibility details"))
    def eligibility_outcome(self, obj: Application) -> str:
        if not obj.eligibility_lines:
            return "—"
        marks = {True: _("✔ met"), False: _("✘ not met"), None: _("? unknown")}
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (marks.get(line.get("passed"), marks[None]), line.get("rule", ""), line.get("comparison", ""))
                for line in obj.eligibility_lines
            ),
        )
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            "</tr></thead><tbody>{}</tbody></table>",
            _("Result"),
            _("Rule"),
            _("Comparison"),
            rows,
        )

    def _documents(self, obj: Application) -> list[ApplicationDocument]:
        if not hasattr(obj, "_admin_documents"):
            obj._admin_documents = list(obj.documents.all()) if obj.pk else []
        return obj._admin_documents

    def _document_links(self, documents: list[ApplicationDocument]) -> str:
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({} KB)',
            ((document_url(doc), doc.original_name, max(doc.size // 1024, 1)) for doc in documents),
        )

    @admin.display(description=_("answers"))
    def answers_list(self, obj: Application) -> str:
        answers = obj.answers or {}
        documents = self._documents(obj)
        rows = []
        for question in obj.program.questions.all():
            if question.kind == QuestionKind.FILE:
                uploaded = [doc for doc in documents if doc.question_id == question.pk]
                answer = self._document_links(uploaded) if uploaded else "—"
            else:
                answer = format_answer(answers.get(question.field_name))
            rows.append((str(question), answer))
        if not rows:
            return "—"
        return format_html(
            "<dl>{}</dl>", format_html_join("", "<dt><strong>{}</strong></dt><dd>{}</dd>", rows)
        )

    @admin.display(description=_("documents"))
    def documents_list(self, obj: Application) -> str:
        documents = self._documents(obj)
        return self._document_links(documents) if documents else "—"

    # --- opening a record is logged (PIPA access log): AccessLoggedAdminMixin -----------------------

    access_log_action = "programs.application.viewed"

    def access_log_subject(self, obj: Application):
        return obj.household.user_id, obj.district

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


@admin.register(LotteryDraw)
class LotteryDrawAdmin(admin.ModelAdmin):
    """Read-only: a draw is a record of what happened, replayable from its seed."""

    list_display = ("program", "drawn_at", "entrants", "approved", "seed")
    list_select_related = ("program",)
    search_fields = ("program__title",)
    ordering = ("-drawn_at", "-pk")
    show_full_result_count = False
    fields = ("program", "drawn_at", "seed", "entrants", "approved", "order")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest):
        programs = programs_visible_to(request.user)
        return super().get_queryset(request).filter(program__in=programs)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
