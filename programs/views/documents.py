"""Downloads of the documents residents upload to their applications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from households.models import Household
from portal.audit import audit_log
from portal.files import serve_private

from ..models import Application, ApplicationDocument


@login_required
def document_download(request: HttpRequest, doc_id: int) -> HttpResponse:
    """A document, to the resident who uploaded it or to staff whose district the application is in.

    Anyone else gets a 404, never a 403: whether a document exists is itself not theirs to know.
    """
    document = get_object_or_404(
        ApplicationDocument.objects.select_related("application__household", "application__district"),
        pk=doc_id,
    )
    application = document.application
    household: Household = application.household
    owner = household.user_id == request.user.pk
    if not owner and not (
        request.user.is_staff
        and Application.objects.visible_to(request.user).filter(pk=application.pk).exists()
    ):
        raise Http404

    def log_staff_access() -> None:
        # PIPA: every look at a resident's personal data by staff is logged (who, when, whose, what).
        audit_log(
            actor=request.user,
            action="programs.document.viewed",
            target=document,
            subject_user_id=household.user_id,
            district=application.district,
            request=request,
            data={"application": application.pk, "reference": application.reference},
        )

    return serve_private(
        request,
        document.file,
        filename=document.original_name,
        content_type=document.content_type,
        on_serve=None if owner else log_staff_access,
    )
