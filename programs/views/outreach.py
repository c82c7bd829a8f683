"""The resident's side of outreach: "new for you", following a message's link, and "not interested"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from households.selectors import household_for

from ..models import OutreachNotice, Program
from ..services import outreach


@login_required
def outreach_open(request: HttpRequest, pk: int) -> HttpResponse:
    """The link in an outreach message: counted as opened (the funnel), then the program's page."""
    notice = get_object_or_404(OutreachNotice, pk=pk, household__user=request.user)
    outreach.outreach_notice_open(notice=notice)
    return redirect("programs:detail", pk=notice.program_id)


@require_POST
@login_required
def not_interested(request: HttpRequest, pk: int) -> HttpResponse:
    household = household_for(request.user)
    if household is None:
        raise Http404
    program = get_object_or_404(Program.objects.published(), pk=pk)
    if request.POST.get("undo"):
        outreach.program_undismiss(household=household, program=program)
        messages.success(request, _("%(program)s is back in your suggestions.") % {"program": program})
    else:
        outreach.program_dismiss(household=household, program=program)
        messages.success(
            request,
            _("We will not suggest %(program)s to you again. You can still find it in the catalog.")
            % {"program": program},
        )
    target = request.POST.get("next", "")
    if not (target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)):
        target = "programs:may_qualify"
    return redirect(target)
