"""The resident's side of community building: calls, the proposal form, invitations, the proposal's
page (status, members, submission, score summary, project follow-up), project bookings and activity
reports, and the public list of selected projects.

Every rule lives in community.services: these views turn posts into service calls and refusals
(any DomainError) into form errors or messages, so bad input never ends in a 500.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import DomainError
from portal.files import serve_private
from portal.masking import mask_email, mask_name
from portal.pagecache import shared_page

from .forms import ERROR_FIELDS, InviteForm, ProjectBookingForm, ProposalForm, ReportForm
from .models import Milestone, Proposal, ProposalStatus, ReportFile
from .selectors import (
    invitations_for,
    open_calls,
    paid_total,
    project_rooms,
    proposals_of,
    public_calls,
    public_projects,
)
from .services import (
    hours_used,
    is_member,
    member_invite,
    member_respond,
    project_book,
    proposal_create,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
    report_submit,
    score_summary,
)

PAGE_SIZE = 20


def _form_error(form, error: DomainError) -> None:
    name = error.field or error._by_code("field_by_code")
    name = ERROR_FIELDS.get(name, name)
    form.add_error(name if name in form.fields else None, error.message)


@shared_page()
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "community/index.html", {"calls": open_calls()[:50]})


@shared_page()
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(public_calls().prefetch_related("categories", "criteria"), pk=pk)
    return render(request, "community/call_detail.html", {"call": call})


@login_required
def proposal_new(request: HttpRequest, call_pk: int) -> HttpResponse:
    call = get_object_or_404(public_calls(), pk=call_pk)
    if not call.is_open():
        messages.error(request, _("This call is not taking proposals."))
        return redirect("community:call_detail", pk=call.pk)
    form = ProposalForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = proposal_create(
                user=request.user, call_id=call.pk, request=request, **form.service_kwargs()
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Draft saved. Invite your members, then submit."))
            return redirect("community:proposal_detail", pk=proposal.pk)
    return render(request, "community/proposal_form.html", {"call": call, "form": form})


def _mine(request: HttpRequest, pk: int):
    return get_object_or_404(proposals_of(request.user), pk=pk)


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine(request, pk)
    if proposal.lead_id != request.user.pk or proposal.status != ProposalStatus.DRAFT:
        raise Http404
    form = ProposalForm(request.POST or None, call=proposal.call, initial=ProposalForm.initial_from(proposal))
    if request.method == "POST" and form.is_valid():
        try:
            proposal_update(user=request.user, proposal=proposal, request=request, **form.service_kwargs())
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Proposal saved."))
            return redirect("community:proposal_detail", pk=proposal.pk)
    return render(
        request, "community/proposal_form.html", {"call": proposal.call, "form": form, "proposal": proposal}
    )


@login_required
def proposal_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(proposals_of(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/proposal_list.html",
        {
            "page_obj": page,
            "proposals": page.object_list,
            "invitations": invitations_for(request.user),
            "querystring": "",
        },
    )


def _detail(request: HttpRequest, proposal, *, invite_form=None, status: int = 200) -> HttpResponse:
    lead = proposal.lead_id == request.user.pk
    context = {
        "proposal": proposal,
        "is_lead": lead,
        # Masked: the group sees who joined without a full name or address spelled out.
        "members": [
            (
                mask_name(getattr(getattr(m.user, "household", None), "name", "") or "")
                or mask_email(m.user.email),
                m,
            )
            for m in proposal.members.select_related("user__household").order_by("invited_at", "pk")
        ],
        "budget_lines": list(proposal.budget_lines.all()),
        "invite_form": invite_form
        or (InviteForm() if lead and proposal.status == ProposalStatus.DRAFT else None),
        "summary": score_summary(proposal),
    }
    if proposal.status == ProposalStatus.SELECTED:
        context.update(
            hours_used=hours_used(proposal),
            milestones=proposal.milestones.prefetch_related("reports"),
            paid=paid_total(proposal),
        )
    return render(request, "community/proposal_detail.html", context, status=status)


@login_required
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _mine(request, pk))


@login_required
@require_POST
def proposal_invite(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine(request, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            member_invite(
                user=request.user, proposal=proposal, email=form.cleaned_data["email"], request=request
            )
        except DomainError as error:
            form.add_error("email", error.message)
        else:
            messages.success(request, _("Invitation sent."))
            return redirect("community:proposal_detail", pk=proposal.pk)
    return _detail(request, proposal, invite_form=form, status=400)


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    proposal = _mine(request, pk)
    service = {"submit": proposal_submit, "withdraw": proposal_withdraw}.get(action)
    if service is None:
        raise Http404
    try:
        service(user=request.user, proposal=proposal, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Proposal submitted.") if action == "submit" else _("Proposal withdrawn.")
        )
    return redirect("community:proposal_detail", pk=proposal.pk)


@login_required
@require_POST
def invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    accept = request.POST.get("answer") == "accept"
    try:
        member = member_respond(user=request.user, member_id=pk, accept=accept, request=request)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("community:proposal_list")
    messages.success(request, _("You joined the group.") if accept else _("Invitation declined."))
    return redirect(
        "community:proposal_detail" if accept else "community:proposal_list",
        **({"pk": member.proposal_id} if accept else {}),
    )


@login_required
def project_booking(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _mine(request, pk)
    if proposal.status != ProposalStatus.SELECTED:
        raise Http404
    form = ProjectBookingForm(request.POST or None, rooms=project_rooms(proposal))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project_book(
                user=request.user,
                proposal_id=proposal.pk,
                room_id=data["room"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                headcount=data["headcount"],
                purpose=data["purpose"],
                request=request,
            )
        except DomainError as error:
            for field, texts in error.by_field().items():
                for text in texts:
                    form.add_error(field if field in form.fields else None, text)
            if not error.by_field():
                form.add_error(None, error.message)
        else:
            messages.success(request, _("Booked for the project."))
            return redirect("community:proposal_detail", pk=proposal.pk)
    return render(
        request,
        "community/project_booking.html",
        {"proposal": proposal, "form": form, "hours_used": hours_used(proposal)},
    )


@login_required
def report_new(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_object_or_404(Milestone.objects.select_related("proposal__call"), pk=pk)
    if not is_member(request.user, milestone.proposal):
        raise Http404
    form = ReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report_submit(
                user=request.user,
                milestone_id=milestone.pk,
                text=data["text"],
                spent=data["spent"],
                photos=[data["photos"]] if data.get("photos") else [],
                receipts=[data["receipts"]] if data.get("receipts") else [],
                request=request,
            )
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Activity report sent."))
            return redirect("community:proposal_detail", pk=milestone.proposal_id)
    return render(request, "community/report_form.html", {"milestone": milestone, "form": form})


@shared_page(params=("page",))
def projects(request: HttpRequest) -> HttpResponse:
    """Public: selected projects and their results — the group's public name only."""
    page = Paginator(public_projects(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "community/projects.html",
        {"page_obj": page, "projects": page.object_list, "querystring": ""},
    )


@login_required
def report_file(request: HttpRequest, pk: int) -> HttpResponse:
    """A photo or receipt of an activity report: for the group's members and the district's staff."""
    stored = get_object_or_404(ReportFile.objects.select_related("report__milestone__proposal"), pk=pk)
    proposal = stored.report.milestone.proposal
    staff = (
        request.user.is_staff and Proposal.objects.visible_to(request.user).filter(pk=proposal.pk).exists()
    )
    if not (staff or is_member(request.user, proposal)):
        raise Http404
    return serve_private(
        request, stored.file, filename=stored.original_name, content_type=stored.content_type
    )
