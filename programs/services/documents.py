"""Documents a resident uploads to an application: while drafting, or when more information is asked."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.models import User

from ..answers import ALLOWED_UPLOAD_TYPES, upload_problem
from ..models import Application, ApplicationDocument, ApplicationStatus, ProgramQuestion, QuestionKind
from .applications import ApplicationError, application_flow, open_information_request

S = ApplicationStatus


@transaction.atomic
def document_attach(
    *, user: User, application: Application, question: ProgramQuestion | None, upload: UploadedFile
) -> ApplicationDocument:
    application = application_flow.lock(application.pk)
    if application.household.user_id != user.pk:
        raise ApplicationError("not_found", _("Application not found."))
    if application.status not in (S.DRAFT, S.INFO_REQUESTED):
        raise ApplicationError("locked", _("Documents can be added only before submitting or when asked."))
    if question is not None and (
        question.program_id != application.program_id or question.kind != QuestionKind.FILE
    ):
        raise ApplicationError(
            "invalid_question", _("That question does not take a document."), field="question"
        )
    problem = upload_problem(upload)
    if problem:
        raise ApplicationError("invalid_file", problem, field="file")
    if question is not None:
        # One document per question: a new upload replaces the old one.
        for old in application.documents.filter(question=question):
            old.file.delete(save=False)
            old.delete()
    suffix = upload.name[upload.name.rfind(".") :].lower()
    return ApplicationDocument.objects.create(
        application=application,
        question=question,
        # Sent while information is asked for: part of the reply to that round, whichever way it came.
        information_request=open_information_request(application)
        if application.status == S.INFO_REQUESTED
        else None,
        file=upload,
        original_name=upload.name[:200],
        content_type=ALLOWED_UPLOAD_TYPES[suffix],
        size=upload.size,
    )
