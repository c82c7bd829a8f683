"""The application lifecycle: draft → submitted → (eligibility task) → approved / waitlisted / review …

Every state change is one transaction through the applications' Workflow (portal.workflow): it locks
the application row, checks the transition table, writes the audit event and queues the resident's
notification on commit. Capacity is never a counter: the program row is locked and the approved
applications are counted under that lock, so concurrent submissions or decisions can never approve more
than the program's places.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, ClassVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Household
from households.services import HouseholdError
from households.services import applicant_household as household_of_applicant
from portal import outbox
from portal.audit import audit_log
from portal.errors import DomainError
from portal.models import User
from portal.workflow import Workflow

from ..eligibility import Verdict
from ..models import (
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationNote,
    ApplicationStatus,
    InformationRequest,
    Program,
    QuestionKind,
    SelectionMethod,
)
from ..selectors import eligibility_for

S = ApplicationStatus

# Which status may follow which. Anything else is refused by the workflow, whoever asks (web, admin, API).
TRANSITIONS: dict[str, set[str]] = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED, S.REJECTED, S.INFO_REQUESTED, S.CANCELLED},
    S.UNDER_REVIEW: {S.APPROVED, S.WAITLISTED, S.REJECTED, S.INFO_REQUESTED, S.CANCELLED},
    S.INFO_REQUESTED: {S.UNDER_REVIEW, S.APPROVED, S.WAITLISTED, S.REJECTED, S.CANCELLED},
    S.WAITLISTED: {S.APPROVED, S.UNDER_REVIEW, S.REJECTED, S.CANCELLED},
    S.APPROVED: {S.COMPLETED, S.CANCELLED},
    S.REJECTED: set(),
    S.CANCELLED: set(),
    S.COMPLETED: set(),
}
# What a resident may cancel: anything not yet finished. Cancelling an approved place frees it.
CANCELLABLE = {S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED, S.WAITLISTED, S.APPROVED}
STAFF_ACTIONS = {
    "approve": S.APPROVED,
    "reject": S.REJECTED,
    "waitlist": S.WAITLISTED,
    "request_info": S.INFO_REQUESTED,
    "review": S.UNDER_REVIEW,
    "complete": S.COMPLETED,
}


@dataclass
class ApplicationError(DomainError):
    """A refusal of the applications' workflow.

    An "incomplete" refusal carries the unanswered questions (field name → message), which the API
    lists under `fields` as "answers.<field name>".
    """

    problems: dict[str, str] = field(default_factory=dict)

    # The application's current state is what stands in the way: a conflict, not a bad request.
    status_by_code: ClassVar[dict[str, int]] = {
        "not_found": 404,
        "invalid_transition": 409,
        "full": 409,
        "locked": 409,
        "email_unverified": 403,  # households.services.applicant_household's, kept when re-raised
    }

    def by_field(self) -> dict[str, list[str]]:
        if self.problems:
            return {f"answers.{name}": [message] for name, message in self.problems.items()}
        return super().by_field()


application_flow = Workflow(
    model=Application,
    transitions=TRANSITIONS,
    action="programs.application",
    notify_key="application",
    error=ApplicationError,
    refused=gettext_lazy("This application is %(status)s: it cannot be changed that way."),
    lock_related=("program", "household__user"),
    subject_user_id=lambda application: application.household.user_id,
    district=lambda application: application.district,
    audit_data=lambda application: {"reference": application.reference},
)


def notify_resident(application: Application, template: str) -> None:
    """The resident's message about the application's latest move (once per channel per move)."""
    program = application.program
    application_flow.notify(
        application,
        template,
        user=application.household.user,
        context={
            "program": program.title,
            "program_en": program.title_en,
            "reference": application.reference or "",
            "reason": application.decision_reason,
            "link": f"{settings.SITE_URL}/programs/applications/{application.pk}/",
        },
    )


def _reviewing_district(program: Program, household: Household):
    """Whose staff review it: the district that owns the program, or for a city-wide program the
    applicant's own district (where their caseworkers are)."""
    return program.district if program.district_id else household.district


def _places_taken(program: Program) -> int:
    return Application.objects.filter(program=program, status__in=PLACE_HOLDING_STATUSES).count()


def _lock_program(program_id: int) -> Program:
    return Program.objects.select_for_update().get(pk=program_id)


def _has_place(program: Program) -> bool:
    """Call with the program row locked: the count is only final under that lock."""
    return program.capacity is None or _places_taken(program) < program.capacity


def applicant_household(user: User) -> Household:
    """The household a user applies as, refused in the applications' own terms when it is missing."""
    try:
        return household_of_applicant(user)
    except HouseholdError as error:
        raise ApplicationError(error.code, error.message) from error


def check_can_apply(program: Program, household: Household, *, exclude: int | None = None) -> None:
    """Refuse (ApplicationError) when the program is not open or the household already applied."""
    if not program.is_open_now:
        raise ApplicationError("closed", _("Applications for this program are not open now."))
    if program.district_id is None and household.district.city_id != program.city_id:
        # A city-wide program serves that city's residents, and is reviewed by the applicant's own
        # district: from another city there is no district of the program's city to review it.
        raise ApplicationError(
            "not_resident",
            _("This program is for residents of %(city)s.") % {"city": program.city},
        )
    others = Application.objects.filter(program=program, household=household, status__in=ACTIVE_STATUSES)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        raise ApplicationError("duplicate", _("You have already applied to this program."))


def answers_problems(program: Program, answers: dict[str, Any], *, documents: set[int] = frozenset()) -> dict:
    """Question field name → message for each required question left unanswered."""
    problems = {}
    for question in program.questions.all():
        if not question.required:
            continue
        if question.kind == QuestionKind.FILE:
            if question.pk not in documents:
                problems[question.field_name] = _("Upload this document.")
        elif answers.get(question.field_name) in (None, "", []):
            problems[question.field_name] = _("Answer this question.")
    return problems


# --- resident operations -----------------------------------------------------------------------------


@transaction.atomic
def application_draft_save(*, user: User, program: Program, answers: dict[str, Any]) -> Application:
    """Keep what the resident has answered so far (they may leave and come back)."""
    household = applicant_household(user)
    draft = (
        Application.objects.select_for_update()
        .filter(program=program, household=household, status=S.DRAFT)
        .first()
    )
    if draft is None:
        check_can_apply(program, household)
        draft = Application(
            program=program, household=household, district=_reviewing_district(program, household)
        )
    draft.answers = answers
    draft._history_user = user
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as exc:  # a concurrent request created one first
        raise ApplicationError("duplicate", _("You have already applied to this program.")) from exc
    return draft


@transaction.atomic
def application_submit(
    *, user: User, program: Program, answers: dict[str, Any] | None = None, request: HttpRequest | None = None
) -> Application:
    """Submit the resident's application; eligibility and the decision follow in a task after commit."""
    household = applicant_household(user)
    draft = (
        Application.objects.select_for_update()
        .select_related("household")
        .filter(program=program, household=household, status=S.DRAFT)
        .first()
    )
    check_can_apply(program, household, exclude=draft.pk if draft else None)
    if draft is None:
        draft = Application(
            program=program, household=household, district=_reviewing_district(program, household), answers={}
        )
    if answers is not None:
        draft.answers = answers
    documents = set(draft.documents.values_list("question_id", flat=True)) if draft.pk else set()
    problems = answers_problems(program, draft.answers, documents=documents)
    if problems:
        raise ApplicationError("incomplete", " ".join(sorted(set(problems.values()))), problems=problems)
    now = timezone.now()
    try:
        with transaction.atomic():
            if draft.pk is None:
                draft._history_user = user
                draft.save()
            # The reference is the row's id under the year: unique without a shared counter to lock.
            draft.reference = f"HN-{timezone.localtime(now).year}-{draft.pk:06d}"
            application_flow.move(
                draft,
                S.SUBMITTED,
                actor=user,
                submitted_at=now,
                district=_reviewing_district(program, household),
            )
    except IntegrityError as exc:  # the database's one-live-application rule, under a race
        raise ApplicationError("duplicate", _("You have already applied to this program.")) from exc
    notify_resident(draft, "application.submitted")
    # Through the task outbox: the evaluation is recorded with the submission, so a broker outage delays
    # it (the relay publishes it later) but neither loses it nor answers 500 for a saved application.
    _queue_evaluation(draft.pk)
    return draft


def _delete_files(names: list[str]) -> None:
    storage = ApplicationDocument._meta.get_field("file").storage
    for name in names:
        storage.delete(name)


def _queue_evaluation(application_id: int) -> None:
    from ..tasks import process_application  # tasks import the services: a module-level import would cycle

    outbox.enqueue(
        process_application, application_id, dedupe_key=f"programs.application.evaluate:{application_id}"
    )


# A bounded batch per sweep: the sweep runs every few minutes and the relay drains what it queues.
SWEEP_BATCH = 500


def applications_requeue_unjudged(*, older_than: timedelta | None = None, limit: int = SWEEP_BATCH) -> int:
    """Queue the evaluation again for applications submitted but never judged (beat, every 2 minutes).

    The task outbox guarantees the evaluation is published; this catches what happened after that: the
    task failed (the database connection was cut under it, a bug since fixed) or its message was lost,
    and applications submitted before the outbox existed. Safe however often it runs: a pending outbox
    row for the same application is not duplicated, and application_evaluate leaves a judged
    application alone. Lottery entries that were judged stay `submitted` until the draw and are not
    touched (their eligibility_checked_at is set). Returns how many were queued.
    """
    cutoff = timezone.now() - (older_than or settings.APPLICATION_EVALUATION_SWEEP_AFTER)
    ids = list(
        Application.objects.filter(
            status=S.SUBMITTED, eligibility_checked_at__isnull=True, submitted_at__lt=cutoff
        )
        .order_by("submitted_at")
        .values_list("pk", flat=True)[:limit]
    )
    with transaction.atomic():
        for pk in ids:
            _queue_evaluation(pk)
    return len(ids)


def application_evaluate(*, application_id: int) -> Application:
    """The submission task: judge eligibility (stored with its rule version), then route by method.

    Idempotent: an application already judged, or no longer submitted, is left as it is.
    """
    with transaction.atomic():
        application = application_flow.lock(application_id)
        if application.status != S.SUBMITTED or application.eligibility_checked_at is not None:
            return application
        outcome = eligibility_for(program=application.program, household=application.household)
        application.save(update_fields=application.record_eligibility(outcome))
        method = application.program.selection_method
        if outcome.verdict != Verdict.ELIGIBLE:
            # Never an automatic refusal: a caseworker looks at what did not match or is missing.
            application_flow.move(application, S.UNDER_REVIEW, actor=None)
            notify_resident(application, "application.under_review")
        elif method == SelectionMethod.FIRST_COME:
            program = _lock_program(application.program_id)
            if _has_place(program):
                application_flow.move(application, S.APPROVED, actor=None, decided_at=timezone.now())
                notify_resident(application, "application.approved")
            else:
                application_flow.move(application, S.WAITLISTED, actor=None)
                notify_resident(application, "application.waitlisted")
        elif method == SelectionMethod.REVIEW:
            application_flow.move(application, S.UNDER_REVIEW, actor=None)
            notify_resident(application, "application.under_review")
        # Lottery entries stay "submitted" until the draw at the deadline.
    return application


@transaction.atomic
def application_cancel(
    *, user: User, application: Application, request: HttpRequest | None = None
) -> Application:
    application = application_flow.lock(application.pk)
    if application.household.user_id != user.pk:
        raise ApplicationError("not_found", _("Application not found."))
    if application.status not in CANCELLABLE:
        raise ApplicationError(
            "invalid_transition",
            _("This application is %(status)s: it can no longer be cancelled.")
            % {"status": application.get_status_display()},
        )
    return _withdraw(application, actor=user, request=request, tell=True)


@transaction.atomic
def applications_withdraw_for_deleted_account(
    *, user: User, household: Household | None, request: HttpRequest | None = None
) -> int:
    """The account is being deleted: each of its applications still under way is withdrawn as the
    resident would cancel it (a draft is discarded, an approved place goes to the waiting list), with
    its audit event and history but no message: nobody is left to read it. Then what the resident
    wrote and uploaded is erased from every application, decided ones included: the answers, the replies
    to information requests, the eligibility lines (they quote the profile's income and age), and the
    documents, whose files leave the storage once the deletion commits. The applications themselves
    stay, as facts without a person: a program's counts and decisions still add up. Returns how many
    were withdrawn."""
    if household is None:
        return 0
    ids = list(
        Application.objects.filter(household=household, status__in=CANCELLABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    withdrawn = 0
    for pk in ids:
        application = application_flow.lock(pk)
        if application.status in CANCELLABLE:  # a decision may have finished it meanwhile
            _withdraw(application, actor=user, request=request, tell=False)
            withdrawn += 1
    documents = ApplicationDocument.objects.filter(application__household=household)
    files = list(documents.values_list("file", flat=True))
    documents.delete()
    transaction.on_commit(lambda: _delete_files(files))
    # Not a state change (no history row: the history never holds answers or lines).
    Application.objects.filter(household=household).update(answers={}, eligibility_lines=[])
    InformationRequest.objects.filter(application__household=household).update(reply="")
    return withdrawn


def _withdraw(
    application: Application, *, actor: User, request: HttpRequest | None, tell: bool
) -> Application:
    """Cancel a locked, cancellable application (a draft is deleted) and pass a freed place on."""
    held_a_place = application.status == S.APPROVED
    if held_a_place:
        _lock_program(application.program_id)  # taken before promoting, so two cancels queue up
    if application.status == S.DRAFT:
        # Nothing was submitted: the draft and its uploaded files go, once the deletion commits.
        files = [document.file.name for document in application.documents.all()]
        application._history_user = actor
        application.delete()
        transaction.on_commit(lambda: _delete_files(files))
        return application
    close_information_request(application)
    application_flow.move(application, S.CANCELLED, actor=actor, request=request)
    if tell:
        notify_resident(application, "application.cancelled")
    if held_a_place:
        _promote_from_waitlist(application.program)
    return application


def _promote_from_waitlist(program: Program) -> Application | None:
    """Give a freed place to the head of the waiting list. Call with the program row locked."""
    program = Program.objects.get(pk=program.pk)
    if not _has_place(program):
        return None
    head = (
        # skip_locked: a waitlisted application a caseworker is deciding right now is passed over
        # rather than waited for (waiting could deadlock with their lock on the program).
        Application.objects.select_for_update(of=("self",), skip_locked=True)
        .select_related("program", "household__user")
        .filter(program=program, status=S.WAITLISTED)
        .order_by("lottery_rank", "submitted_at", "pk")
        .first()
    )
    if head is None:
        return None
    application_flow.move(head, S.APPROVED, actor=None, decided_at=timezone.now())
    notify_resident(head, "application.promoted")
    return head


def open_information_request(application: Application) -> InformationRequest:
    """The round of "more information" the application is waiting on. Call with the row locked.

    An application moved to "information requested" without one (written straight to the database,
    by a fixture or an old import) gets it now, from the reason it was given, so a reply is never lost.
    """
    current = InformationRequest.objects.filter(application=application, closed_at__isnull=True).first()
    if current is None:
        current = InformationRequest.objects.create(
            application=application, question=application.decision_reason, asked_at=application.updated_at
        )
    return current


def close_information_request(application: Application) -> None:
    """End the application's open round of "more information" without a reply (it is being decided or
    cancelled meanwhile). Call with the application row locked."""
    InformationRequest.objects.filter(application=application, closed_at__isnull=True).update(
        closed_at=timezone.now()
    )


# --- staff operations --------------------------------------------------------------------------------


@transaction.atomic
def application_decide(
    *,
    application: Application,
    action: str,
    actor: User,
    reason: str = "",
    request: HttpRequest | None = None,
) -> Application:
    """A caseworker's decision. Reason is required to reject and to ask for more information."""
    if action not in STAFF_ACTIONS:
        raise ApplicationError("invalid_action", _("Unknown action."))
    to = STAFF_ACTIONS[action]
    reason = reason.strip()
    if to in (S.REJECTED, S.INFO_REQUESTED) and not reason:
        raise ApplicationError(
            "reason_required",
            _("Give a reason: the resident will read it.")
            if to == S.REJECTED
            else _("Say what information is needed: the resident will read it."),
            field="reason",
        )
    application = application_flow.lock(application.pk)
    application_flow.check(application, to)  # before the capacity check: a decided application is not "full"
    fields: dict[str, Any] = {}
    if to in (S.APPROVED, S.REJECTED):
        fields.update(decided_at=timezone.now(), decided_by=actor)
    # The reason shown to the resident belongs to the latest step only: an earlier request for
    # information must not read as the reason for an approval.
    fields["decision_reason"] = reason if to in (S.REJECTED, S.INFO_REQUESTED) else ""
    if to == S.APPROVED:
        program = _lock_program(application.program_id)
        if not _has_place(program):
            raise ApplicationError(
                "full", _("All places are taken: put the application on the waiting list instead.")
            )
    if S.INFO_REQUESTED in (application.status, to):
        # Decided without waiting for the reply, or asked anew: an unanswered round is over.
        close_information_request(application)
    application_flow.move(application, to, actor=actor, request=request, **fields)
    if to == S.INFO_REQUESTED:
        # The round's question, kept after the application moves on (decision_reason holds only the
        # latest step's reason): the resident's reply completes it (services.information).
        InformationRequest.objects.create(application=application, question=reason, asked_by=actor)
    template = {
        S.APPROVED: "application.approved",
        S.REJECTED: "application.rejected",
        S.WAITLISTED: "application.waitlisted",
        S.INFO_REQUESTED: "application.info_requested",
        S.UNDER_REVIEW: "application.under_review",
        S.COMPLETED: "application.completed",
    }[to]
    notify_resident(application, template)
    return application


def application_complete(*, application: Application, actor: User) -> Application:
    return application_decide(application=application, action="complete", actor=actor)


@transaction.atomic
def application_note_add(*, application: Application, author: User, body: str) -> ApplicationNote:
    body = body.strip()
    if not body:
        raise ApplicationError("empty", _("Write the note first."))
    note = ApplicationNote.objects.create(application=application, author=author, body=body)
    audit_log(
        actor=author,
        action="programs.application.note_added",
        target=application,
        subject_user_id=application.household.user_id,
        district=application.district,
    )
    return note
