"""The resident's side of applications (GOV.UK patterns): the question page, check your answers,
the confirmation page with the reference number, "My applications" with cancelling and answering a
request for more information (downloads of uploaded documents: programs.views.documents).

Every rule lives in programs.services.applications; these views only turn form posts into service
calls and service refusals (ApplicationError) into messages, so no bad input ends in a 500.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from households.selectors import household_for
from portal.errors import DomainError
from portal.models import Notification, User

from ..forms import ApplicationAnswersForm, InformationReplyForm, answer_display, field_anchor
from ..models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    InformationRequest,
    Program,
    ProgramQuestion,
    QuestionKind,
)
from ..selectors import eligibility_for, public_programs
from ..services import (
    ApplicationError,
    answers_problems,
    application_cancel,
    application_draft_save,
    application_provide_info,
    application_submit,
    document_attach,
)

# The same checks the services run before creating an application, reused (not restated) so the pages
# can say why someone cannot apply before they type anything.
from ..services.applications import CANCELLABLE, applicant_household, check_can_apply

S = ApplicationStatus
PAGE_SIZE = 20
# Refusals that end the attempt: shown on their own page, with the way forward.
BLOCKING = {"profile_incomplete", "closed", "duplicate"}


# --- helpers -----------------------------------------------------------------------------------------


@dataclass
class ApplyState:
    """Where a resident stands with a program: why they cannot apply, or their draft / application."""

    refusal: ApplicationError | None = None
    existing: Application | None = None  # a live (submitted or later) application
    draft: Application | None = None


def apply_state(user: User, program: Program) -> ApplyState:
    try:
        household = applicant_household(user)
    except DomainError as refusal:
        return ApplyState(refusal=refusal)
    mine = list(
        Application.objects.filter(
            program=program, household=household, status__in=[S.DRAFT, *ACTIVE_STATUSES]
        ).order_by("-created_at")
    )
    state = ApplyState(
        existing=next((a for a in mine if a.status != S.DRAFT), None),
        draft=next((a for a in mine if a.status == S.DRAFT), None),
    )
    try:
        check_can_apply(program, household)
    except DomainError as refusal:
        state.refusal = refusal
    return state


def apply_panel(request: HttpRequest, program: Program) -> dict[str, Any]:
    """What the program page needs for its "Apply online" panel."""
    user = request.user
    if not user.is_authenticated or not user.is_resident:
        return {"apply": None}
    return {"apply": apply_state(user, program)}


def _program(pk: int) -> Program:
    return get_object_or_404(public_programs(), pk=pk)


def _own_applications(user: User) -> QuerySet[Application]:
    return Application.objects.filter(household__user=user).select_related("program")


def _documents_by_question(application: Application | None) -> dict[int, ApplicationDocument]:
    if application is None or application.pk is None:
        return {}
    return {d.question_id: d for d in application.documents.all() if d.question_id is not None}


@dataclass
class QuestionRow:
    """One question on a form page: its bound field and the document already uploaded for it."""

    question: ProgramQuestion
    field: Any
    document: ApplicationDocument | None = None


def _question_rows(form: ApplicationAnswersForm, documents: dict[int, ApplicationDocument]) -> list:
    return [QuestionRow(q, form[q.field_name], documents.get(q.pk)) for q in form.questions]


@dataclass
class AnswerRow:
    label: str
    value: str
    anchor: str
    document: ApplicationDocument | None = None
    problem: str = ""


@dataclass
class AnswerSummary:
    rows: list[AnswerRow] = field(default_factory=list)
    other_documents: list[ApplicationDocument] = field(default_factory=list)


def _answer_summary(
    questions: list[ProgramQuestion],
    answers: dict[str, Any],
    documents: list[ApplicationDocument],
    problems: dict[str, str] | None = None,
) -> AnswerSummary:
    by_question = {d.question_id: d for d in documents if d.question_id is not None}
    asked = {q.pk for q in questions}
    summary = AnswerSummary(
        other_documents=[d for d in documents if d.question_id is None or d.question_id not in asked]
    )
    for question in questions:
        document = by_question.get(question.pk) if question.kind == QuestionKind.FILE else None
        summary.rows.append(
            AnswerRow(
                label=str(question),
                value=answer_display(question, answers.get(question.field_name)),
                anchor=field_anchor(question),
                document=document,
                problem=(problems or {}).get(question.field_name, ""),
            )
        )
    return summary


def _refused(request: HttpRequest, program: Program, state: ApplyState) -> HttpResponse:
    return render(request, "programs/apply/refused.html", {"program": program, "state": state})


def _refusal_state(user: User, program: Program, error: ApplicationError) -> ApplyState:
    """The page state after a service refused mid-way (e.g. a duplicate from another tab)."""
    state = apply_state(user, program)
    state.refusal = error
    return state


# --- apply: question page, check your answers, confirmation -------------------------------------------


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(pk)
    state = apply_state(request.user, program)
    if state.refusal is not None:
        return _refused(request, program, state)
    draft = state.draft
    questions = list(program.questions.all())
    documents = _documents_by_question(draft)
    answers = draft.answers if draft else {}
    if request.method != "POST":
        form = ApplicationAnswersForm(questions=questions, answers=answers, documents=documents)
        return _apply_page(request, program, form, documents, draft)

    leaving = request.POST.get("action") == "draft"
    form = ApplicationAnswersForm(
        request.POST,
        request.FILES,
        questions=questions,
        answers=answers,
        documents=documents,
        drafting=leaving,
    )
    form.is_valid()
    # Whatever is valid is kept even when something else is not: a second, rejected file must not
    # cost the resident the first one, nor their typed answers.
    try:
        draft = application_draft_save(
            user=request.user, program=program, answers=form.merged_answers(answers)
        )
        for question, upload in form.uploads():
            try:
                document_attach(user=request.user, application=draft, question=question, upload=upload)
            except DomainError as error:
                if error.code in BLOCKING:
                    raise
                form.add_error(question.field_name, error.message)
    except DomainError as error:
        if error.code in BLOCKING:
            return _refused(request, program, _refusal_state(request.user, program, error))
        form.add_error(None, error.message)
    if form.errors:
        documents = _documents_by_question(draft)
        return _apply_page(request, program, form, documents, draft, partly_saved=leaving)
    if leaving:
        messages.success(
            request,
            _("Your draft is saved. Come back to it from My applications before applications close."),
        )
        return redirect("programs:application_list")
    return redirect("programs:apply_check", pk=program.pk)


def _apply_page(
    request: HttpRequest,
    program: Program,
    form: ApplicationAnswersForm,
    documents: dict[int, ApplicationDocument],
    draft: Application | None,
    *,
    partly_saved: bool = False,
) -> HttpResponse:
    return render(
        request,
        "programs/apply/form.html",
        {
            "program": program,
            "form": form,
            "rows": _question_rows(form, documents),
            "draft": draft,
            "partly_saved": partly_saved,
        },
    )


@login_required
def apply_check(request: HttpRequest, pk: int) -> HttpResponse:
    program = _program(pk)
    state = apply_state(request.user, program)
    if state.refusal is not None:
        return _refused(request, program, state)
    draft = state.draft
    if draft is None:
        messages.info(request, _("Answer the questions first: then you can check and submit them."))
        return redirect("programs:apply", pk=program.pk)
    questions = list(program.questions.all())
    documents = list(draft.documents.all())
    problems = answers_problems(program, draft.answers, documents={d.question_id for d in documents})
    error = ""
    if request.method == "POST" and not problems:
        try:
            application = application_submit(user=request.user, program=program, request=request)
        except DomainError as refusal:
            if refusal.code in BLOCKING:
                return _refused(request, program, _refusal_state(request.user, program, refusal))
            error = refusal.message
        else:
            return redirect("programs:application_submitted", pk=application.pk)
    household = household_for(request.user)
    return render(
        request,
        "programs/apply/check.html",
        {
            "program": program,
            "draft": draft,
            "summary": _answer_summary(questions, draft.answers, documents, problems),
            "problems": problems,
            "error": error,
            "household": household,
            "outcome": eligibility_for(program=program, household=household) if household else None,
        },
    )


@login_required
def application_submitted(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(_own_applications(request.user), pk=pk)
    if application.status == S.DRAFT:
        return redirect("programs:apply", pk=application.program_id)
    # The channels the "received" message actually went to, as recorded in the outbox.
    channels = set(
        Notification.objects.filter(
            user=request.user,
            template="application.submitted",
            context__reference=application.reference,
        ).values_list("channel", flat=True)
    )
    return render(
        request,
        "programs/applications/submitted.html",
        {
            "application": application,
            "program": application.program,
            "channels": [label for value, label in Notification.Channel.choices if value in channels],
        },
    )


# --- my applications ---------------------------------------------------------------------------------


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    applications = _own_applications(request.user).order_by("-created_at", "-pk")
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "programs/applications/list.html",
        {"page_obj": page, "applications": page.object_list, "querystring": ""},
    )


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(_own_applications(request.user), pk=pk)
    if application.status == S.DRAFT:
        return redirect("programs:apply", pk=application.program_id)
    questions = list(application.program.questions.all())
    form = None
    if application.status == S.INFO_REQUESTED:
        documents = _documents_by_question(application)
        form = InformationReplyForm(
            request.POST or None,
            request.FILES or None,
            questions=questions,
            answers=application.answers,
            documents=documents,
        )
        if request.method == "POST":
            sent = _provide_info(request, application, form)
            if sent is not None:
                return sent
    documents = list(application.documents.all())
    rounds = _information_rounds(application, documents)
    open_round = next((r for r in rounds if r.is_open), None) if form else None
    return render(
        request,
        "programs/applications/detail.html",
        {
            "application": application,
            "program": application.program,
            "summary": _answer_summary(questions, application.answers, documents),
            "form": form,
            "rows": _question_rows(form, _documents_by_question(application)) if form else [],
            "cancellable": application.status in CANCELLABLE,
            "open_round": open_round,
            # The question on the page: the open round's, or (an application moved there by hand,
            # with no round yet) the reason it was given.
            "info_question": open_round.question if open_round else application.decision_reason,
            "past_rounds": [r for r in rounds if not r.is_open],
        },
    )


def _information_rounds(
    application: Application, documents: list[ApplicationDocument]
) -> list[InformationRequest]:
    """Every request for information on the application, oldest first, each with `.sent` (the
    documents that came with its reply), from the documents already read (no query per round)."""
    rounds = list(InformationRequest.objects.filter(application=application))
    for round_ in rounds:
        round_.sent = [d for d in documents if d.information_request_id == round_.pk]
    return rounds


def _provide_info(
    request: HttpRequest, application: Application, form: InformationReplyForm
) -> HttpResponse | None:
    """Send the reply to a request for more information; None to show the form again with errors.

    Valid documents are stored even when something else on the page is refused (a registration number
    in the text, a second file of the wrong type): the resident does not choose them again, and they
    are part of this round's reply. The typed text stays in the form.
    """
    form.is_valid()
    try:
        # Files first: once the answer is sent the application is back in review and takes no files.
        uploads = [(question, upload) for question, upload in form.uploads()]
        uploads += [(None, upload) for upload in form.reply_files()]
        for question, upload in uploads:
            try:
                document_attach(user=request.user, application=application, question=question, upload=upload)
            except DomainError as error:
                if error.code != "invalid_file":
                    raise
                form.add_error(question.field_name if question else "files", error.message)
        if form.errors:
            return None
        application_provide_info(
            user=request.user,
            application=application,
            reply=form.cleaned_data.get("reply", ""),
            answers=form.merged_answers(application.answers),
            request=request,
        )
    except DomainError as error:
        if error.field in form.fields:  # the reply's own refusals (empty, the text): shown on the form
            form.add_error(error.field, error.message)
            return None
        messages.error(request, error.message)
        return redirect("programs:application_detail", pk=application.pk)
    messages.success(
        request, _("Thank you: your answer is sent. The district will look at your application again.")
    )
    return redirect("programs:application_detail", pk=application.pk)


@login_required
def application_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    application = get_object_or_404(_own_applications(request.user), pk=pk)
    if application.status not in CANCELLABLE:
        messages.error(
            request,
            _("This application is %(status)s: it can no longer be cancelled.")
            % {"status": application.get_status_display()},
        )
        return redirect("programs:application_detail", pk=application.pk)
    if request.method == "POST":
        was_draft = application.status == S.DRAFT
        try:
            application_cancel(user=request.user, application=application, request=request)
        except DomainError as error:
            messages.error(request, error.message)
            return redirect("programs:application_detail", pk=application.pk)
        if was_draft:
            messages.success(request, _("Your draft is deleted."))
            return redirect("programs:application_list")
        messages.success(
            request,
            _("Your application %(reference)s is cancelled.") % {"reference": application.reference},
        )
        return redirect("programs:application_detail", pk=application.pk)
    return render(
        request,
        "programs/applications/cancel.html",
        {"application": application, "program": application.program},
    )
