"""The programs app's classes in the retention table: documents of rejected applications, and the
reasons outreach notices quoted from a profile."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import ApplicationDocument, ApplicationStatus, OutreachNotice


def rejected_documents_due(*, now, cutoff) -> models.QuerySet:
    # Counted from the decision: the appeal period runs from it. The application itself (reference,
    # decision and reason) stays: it is the record of the public decision.
    return ApplicationDocument.objects.filter(
        application__status=ApplicationStatus.REJECTED, application__decided_at__lt=cutoff
    )


def rejected_documents_prune(*, pks, now) -> int:
    """Delete the stored files, then the rows. A file is deleted before its row, so a run stopped in
    between finds the row still due and deletes again (a missing file is no error)."""
    documents = list(ApplicationDocument.objects.filter(pk__in=pks).only("pk", "file"))
    for document in documents:
        if document.file:
            document.file.storage.delete(document.file.name)
    return ApplicationDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()[0]


def outreach_reasons_due(*, now, cutoff) -> models.QuerySet:
    # Counted from when the household was found; the notice without its reasons still says "told".
    return OutreachNotice.objects.filter(created_at__lt=cutoff).exclude(reasons=[])


def outreach_reasons_prune(*, pks, now) -> int:
    return OutreachNotice.objects.filter(pk__in=pks).update(reasons=[])


def register_retention() -> None:
    register(
        DataClass(
            key="rejected_documents",
            label=_("Documents uploaded with an application that was not approved"),
            outcome=_("files deleted, counted from the decision"),
            setting="RETENTION_REJECTED_DOCUMENTS_DAYS",
            due=rejected_documents_due,
            prune=rejected_documents_prune,
            order=20,
        )
    )
    register(
        DataClass(
            key="outreach_reasons",
            label=_("Reasons given in a notice about a program you may qualify for"),
            outcome=_("the reasons blanked; that you were told stays, so you are not told twice"),
            setting="RETENTION_OUTREACH_REASONS_DAYS",
            due=outreach_reasons_due,
            prune=outreach_reasons_prune,
            order=25,
        )
    )
