"""Evaluator and staff pages on the public site (citizen panel members are not admin users):
the evaluator's queue, a proposal's page with the conflict declaration and the score sheet, and the
staff's ranking page where they decide and move the call on.

Independence: the sheets of a proposal are shown only when services.scores_visible says so.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import DomainError

from .forms import ConflictForm, ScoreForm
from .models import Call, ConflictDeclaration, Proposal, ProposalStatus, ScoreSheet
from .services import (
    call_advance,
    conflict_declare,
    evaluation_queue,
    is_evaluator,
    proposal_decide,
    proposal_screen,
    ranking,
    scores_visible,
    scoresheet_submit,
    selected_total,
)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "community/evaluate/queue.html", {"proposals": evaluation_queue(request.user)})


def _evaluated(request: HttpRequest, pk: int) -> Proposal:
    proposal = get_object_or_404(
        Proposal.objects.select_related("call__district", "category").exclude(status=ProposalStatus.DRAFT),
        pk=pk,
    )
    if not is_evaluator(request.user, proposal.call_id):
        raise Http404
    return proposal


def _page(request, proposal, *, conflict_form=None, score_form=None, status=200) -> HttpResponse:
    declaration = ConflictDeclaration.objects.filter(proposal=proposal, evaluator=request.user).first()
    own = ScoreSheet.objects.filter(proposal=proposal, evaluator=request.user).first()
    criteria = list(proposal.call.criteria.all())
    sheets = None
    if scores_visible(request.user, proposal):
        sheets = list(
            ScoreSheet.objects.filter(proposal=proposal)
            .prefetch_related("scores__criterion")
            .order_by("submitted_at")
        )
    return render(
        request,
        "community/evaluate/proposal.html",
        {
            "proposal": proposal,
            "budget_lines": list(proposal.budget_lines.all()),
            "visit_notes": list(proposal.visit_notes.all()),
            "declaration": declaration,
            "own": own,
            "sheets": sheets,
            "conflict_form": conflict_form or (ConflictForm() if declaration is None else None),
            "score_form": score_form
            or (
                ScoreForm(criteria=criteria)
                if declaration and not declaration.conflicted and own is None
                else None
            ),
        },
        status=status,
    )


@login_required
def proposal(request: HttpRequest, pk: int) -> HttpResponse:
    return _page(request, _evaluated(request, pk))


@login_required
@require_POST
def declare(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _evaluated(request, pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        try:
            conflict_declare(
                user=request.user,
                proposal_id=proposal.pk,
                conflicted=form.cleaned_data["conflicted"],
                note=form.cleaned_data["note"],
                request=request,
            )
        except DomainError as error:
            messages.error(request, error.message)
        return redirect("community:evaluate_proposal", pk=proposal.pk)
    return _page(request, proposal, conflict_form=form, status=400)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _evaluated(request, pk)
    form = ScoreForm(request.POST, criteria=list(proposal.call.criteria.all()))
    if form.is_valid():
        try:
            scoresheet_submit(
                user=request.user,
                proposal_id=proposal.pk,
                scores=form.scores(),
                comment=form.cleaned_data["comment"],
                request=request,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your scores are sent."))
            return redirect("community:evaluate_proposal", pk=proposal.pk)
    return _page(request, proposal, score_form=form, status=400)


def _staff_call(request: HttpRequest, pk: int) -> Call:
    if not request.user.is_authenticated or not request.user.is_staff:
        raise Http404
    call = get_object_or_404(Call.objects.visible_to(request.user).select_related("district"), pk=pk)
    if not request.user.has_perm("community.change_proposal"):
        raise PermissionDenied
    return call


@login_required
def call_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    call = _staff_call(request, pk)
    # Before scoring closes the ranking would reveal evaluators' scores: staff see only the list.
    show_scores = call.status in ("deciding", "announced")
    rows = ranking(call) if show_scores else []
    # While the call takes proposals or is being evaluated, staff screen what was submitted.
    screening = (
        list(
            call.proposals.filter(
                status__in=(ProposalStatus.SUBMITTED, ProposalStatus.ELIGIBLE, ProposalStatus.INELIGIBLE)
            ).order_by("submitted_at", "pk")
        )
        if call.status in ("published", "scoring")
        else []
    )
    return render(
        request,
        "community/evaluate/ranking.html",
        {
            "call": call,
            "rows": rows,
            "show_scores": show_scores,
            "selected_total": selected_total(call),
            "proposal_count": call.proposals.exclude(status=ProposalStatus.DRAFT).count(),
            "screening": screening,
        },
    )


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    _staff_call(request, proposal.call_id)
    raw_grant = (request.POST.get("grant_amount") or "").strip().replace(",", "")
    try:
        grant = int(raw_grant) if raw_grant else None
    except ValueError:
        messages.error(request, _("Enter the grant in whole won."))
        return redirect("community:call_ranking", pk=proposal.call_id)
    try:
        proposal_decide(
            proposal=proposal,
            actor=request.user,
            select=request.POST.get("decision") == "select",
            grant_amount=grant,
            request=request,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Decision recorded for %(reference)s.") % {"reference": proposal.reference}
        )
    return redirect("community:call_ranking", pk=proposal.call_id)


@login_required
@require_POST
def advance(request: HttpRequest, pk: int) -> HttpResponse:
    call = _staff_call(request, pk)
    try:
        call = call_advance(call=call, actor=request.user, request=request)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The call is now: %(status)s.") % {"status": call.get_status_display()})
    return redirect("community:call_ranking", pk=call.pk)


@login_required
@require_POST
def screen(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_staff:
        raise Http404
    proposal = get_object_or_404(Proposal.objects.visible_to(request.user), pk=pk)
    _staff_call(request, proposal.call_id)
    try:
        proposal_screen(
            proposal=proposal,
            actor=request.user,
            eligible=request.POST.get("eligible") == "yes",
            reason=request.POST.get("reason", "")[:2000],
            request=request,
        )
    except DomainError as error:
        messages.error(request, f"{proposal.reference}: {error.message}")
    else:
        messages.success(
            request, _("Screening recorded for %(reference)s.") % {"reference": proposal.reference}
        )
    return redirect("community:call_ranking", pk=proposal.call_id)
