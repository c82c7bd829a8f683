"""The caseworkers' review queue in the admin: applications of their own district, oldest first.

Nothing here decides anything: every decision goes through programs.services.applications
(application_decide, application_note_add), which checks the transition table, writes the audit event
and notifies the resident. Status is never an editable field.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.template.defaultfilters import linebreaksbr
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin_tools import AccessLoggedAdminMixin, CappedCountPaginator, ScopedHistoryMixin
from portal.errors import DomainError
from portal.masking import mask_name

from ..eligibility import stored_text
from ..models import (
    UNDECIDED_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationNote,
    InformationRequest,
    LotteryDraw,
    Program,
    QuestionKind,
)
from ..services.applications import application_note_add
from .decisions import DecisionActionsMixin

# Gwangju Seo-gu promises residents an answer within 48 hours of applying; the queue shows who waits longer.
ANSWER_PROMISE = timedelta(hours=48)
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


# --- list filters --------------------------------------------------------------------------------


class VisibleProgramFilter(admin.RelatedFieldListFilter):
    """The program filter offers only programs the user may see: the default one would list every
    district's program names."""

    def field_choices(self, field, request, model_admin):
        programs = (
            Program.objects.visible_to(request.user).only("pk", "title", "title_en").order_by("title", "pk")
        )
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
    # A tabular inline gives its fields a column heading, not a <label>: the box says what it is itself
    # (found: a screen reader announced an unnamed text area).
    formfield_overrides = {
        models.TextField: {
            "widget": forms.Textarea(attrs={"rows": 3, "cols": 60, "aria-label": _("New note")})
        }
    }
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
class ApplicationAdmin(DecisionActionsMixin, AccessLoggedAdminMixin, ScopedHistoryMixin, SimpleHistoryAdmin):
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
        (_("Requests for more information"), {"fields": ("information_exchange",)}),
        (_("Decision"), {"fields": ("decided_at", "decider", "decision_reason", "lottery_rank")}),
    )

    # Every field is read-only: status changes only through the decision actions (and their service).
    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def get_queryset(self, request: HttpRequest):
        # submitted_at is set on submission: drafts are the resident's unfinished work, not the queue's.
        queryset = super().get_queryset(request).filter(submitted_at__isnull=False)
        return queryset.visible_to(request.user)

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
                (
                    marks.get(line.get("passed"), marks[None]),
                    stored_text(line, "rule"),
                    stored_text(line, "comparison"),
                )
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

    @admin.display(description=_("questions and replies"))
    def information_exchange(self, obj: Application) -> str:
        """Each round: what was asked (by whom, when), the resident's reply, its documents (downloaded
        through the access-logged view) and which answers it changed."""
        rounds = list(
            InformationRequest.objects.filter(application=obj).select_related("asked_by") if obj.pk else []
        )
        if not rounds:
            return "—"
        documents = self._documents(obj)
        questions = {q.field_name: str(q) for q in obj.program.questions.all()}
        items = []
        for round_ in rounds:
            asked = format_html(
                "<p><strong>{}</strong> {} · {}</p><blockquote>{}</blockquote>",
                _("Asked"),
                timezone.localtime(round_.asked_at).strftime("%Y-%m-%d %H:%M"),
                str(round_.asked_by) if round_.asked_by_id else "—",
                linebreaksbr(round_.question),
            )
            if round_.replied_at:
                sent = [doc for doc in documents if doc.information_request_id == round_.pk]
                changed = ", ".join(questions.get(name, name) for name in round_.changed_answers)
                answer = format_html(
                    "<p><strong>{}</strong> {}</p><blockquote>{}</blockquote>{}{}",
                    _("Reply"),
                    timezone.localtime(round_.replied_at).strftime("%Y-%m-%d %H:%M"),
                    linebreaksbr(round_.reply) if round_.reply else "—",
                    format_html("<p>{}: {}</p>", _("Documents"), self._document_links(sent)) if sent else "",
                    format_html("<p>{}: {}</p>", _("Answers changed"), changed) if changed else "",
                )
            elif round_.closed_at:
                answer = format_html("<p>{}</p>", _("Not answered: the application moved on first."))
            else:
                answer = format_html("<p>{}</p>", _("Waiting for the resident's reply."))
            items.append((format_html("{}{}", asked, answer),))
        return format_html(
            '<ol class="information-exchange">{}</ol>', format_html_join("", "<li>{}</li>", items)
        )

    # --- opening a record is logged (PIPA access log): AccessLoggedAdminMixin -----------------------

    access_log_action = "programs.application.viewed"

    def access_log_subject(self, obj: Application):
        return obj.household.user_id, obj.district


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
        programs = Program.objects.visible_to(request.user)
        return super().get_queryset(request).filter(program__in=programs)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
