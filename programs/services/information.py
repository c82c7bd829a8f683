"""The resident's reply to a request for more information: text, documents, changed answers.

A caseworker's request_info (application_decide) opens an InformationRequest with their question; the
reply completes it and sends the application back to review, in one transaction with its audit event,
and tells the caseworker who asked (in their Hana inbox, as staff are told everything). Documents sent
with the reply need not answer one of the program's questions; documents uploaded on their own while the
request was open (the API's documents/ endpoint) count as part of the reply too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.models import AuditEvent, User
from portal.notifications import notify

from ..answers import AnswerError, clean_text, upload_problem
from ..models import Application, ApplicationStatus, InformationRequest
from .applications import ApplicationError, application_flow, open_information_request
from .documents import document_attach

S = ApplicationStatus

# At most this many documents in one reply: a bounded amount of work per request.
MAX_REPLY_FILES = 10
EMPTY_REPLY = gettext_lazy(
    "Write your reply, upload a document or change an answer before sending: an empty reply was not sent."
)


def reply_problem(reply: str) -> str | None:
    """Why the reply text cannot be taken (too long, a registration number in it), or None."""
    try:
        clean_text(reply)
    except AnswerError as error:
        return error.message
    return None


@transaction.atomic
def application_provide_info(
    *,
    user: User,
    application: Application,
    reply: str = "",
    answers: dict[str, Any] | None = None,
    uploads: Sequence[UploadedFile] = (),
    request: HttpRequest | None = None,
) -> Application:
    """Answer the open request for information; the application returns to the review queue.

    `answers` (already checked against the program's questions) replace the stored ones; None keeps them.
    Refused (ApplicationError) when the application is not the user's (not_found), is not waiting on
    information (invalid_transition), the reply text or a file is refused (invalid, invalid_file), or
    nothing at all is sent (empty_reply): no text, no document in this round and no changed answer.
    Nothing is stored when refused.
    """
    application = application_flow.lock(application.pk)
    if application.household.user_id != user.pk:
        raise ApplicationError("not_found", _("Application not found."))
    if application.status != S.INFO_REQUESTED:
        raise ApplicationError("invalid_transition", _("No information was asked for on this application."))
    reply = (reply or "").strip()
    problem = reply_problem(reply)
    if problem:
        raise ApplicationError("invalid", problem, field="reply")
    if len(uploads) > MAX_REPLY_FILES:
        raise ApplicationError(
            "invalid_file",
            _("Send at most %(count)d documents with one reply.") % {"count": MAX_REPLY_FILES},
            field="files",
        )
    for upload in uploads:  # all checked before any is stored: a refused reply keeps nothing
        problem = upload_problem(upload)
        if problem:
            raise ApplicationError("invalid_file", f"{upload.name}: {problem}", field="files")
    round_ = open_information_request(application)
    new_answers = application.answers if answers is None else answers
    changed = sorted(
        name
        for name in set(application.answers) | set(new_answers)
        if _comparable(application.answers.get(name)) != _comparable(new_answers.get(name))
    )
    if not (reply or uploads or changed or round_.documents.exists()):
        raise ApplicationError("empty_reply", str(EMPTY_REPLY), field="reply")
    for upload in uploads:
        document_attach(user=user, application=application, question=None, upload=upload)
    now = timezone.now()
    round_.reply, round_.changed_answers, round_.replied_at, round_.closed_at = reply, changed, now, now
    round_.save(update_fields=["reply", "changed_answers", "replied_at", "closed_at"])
    application.answers = new_answers
    application_flow.move(application, S.UNDER_REVIEW, actor=user, request=request)
    event = application_flow.record(
        application,
        "programs.application.info_provided",
        actor=user,
        request=request,
        information_request=round_.pk,
        documents=list(round_.documents.values_list("pk", flat=True)),
        changed_answers=changed,
    )
    _tell_staff(application, round_, event)
    return application


def _comparable(value: Any) -> Any:
    # A yes/no answer is stored as true/false from the API and "yes"/"no" from the web form: the same
    # answer sent back unchanged through the other channel is not a change.
    return {True: "yes", False: "no"}.get(value, value) if isinstance(value, bool) else value


def _tell_staff(application: Application, round_: InformationRequest, event: AuditEvent) -> None:
    """The caseworker who asked hears of the reply; when they no longer can (account closed, asker
    unknown for a request older than this record), the district's caseworkers do."""
    asker = round_.asked_by
    if asker is not None and asker.is_active and asker.is_staff:
        recipients = [asker]
    else:
        recipients = list(
            User.objects.filter(
                district_id=application.district_id,
                role=User.Role.CASEWORKER,
                is_active=True,
                is_staff=True,
            ).order_by("pk")
        )
    program = application.program
    for staff in recipients:
        notify(
            user=staff,
            template="application.info_provided",
            # Once per reply and person, however often a caller retries.
            event_key=f"application:{application.pk}:application.info_provided:{event.pk}:{staff.pk}",
            context={
                "program": program.title,
                "program_en": program.title_en,
                "reference": application.reference or "",
                "link": f"{settings.SITE_URL}/admin/programs/application/{application.pk}/change/",
            },
        )
