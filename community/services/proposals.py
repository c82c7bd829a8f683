"""The group's side: draft a proposal, invite members (who confirm), set budget lines, submit before the
deadline, withdraw."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from households.models import Household
from portal.identifiers import contains_identifier
from portal.models import User
from portal.timeutils import to_local

from ..models import BudgetLine, Call, MemberStatus, Proposal, ProposalMember
from .base import CommunityError, P, proposal_flow, tell_group

MAX_BUDGET_LINES = 30
TEXT_LIMITS = {"group_name": 100, "title": 200, "purpose": 2000, "plan": 4000, "schedule": 2000}
EDITABLE = {P.DRAFT}


def _refuse_identifiers(fields: dict[str, Any]) -> None:
    for name, value in fields.items():
        if contains_identifier(value):
            raise CommunityError("identifier", _("Do not enter a resident registration number."), field=name)


def _clean_text(fields: dict[str, Any]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for name, limit in TEXT_LIMITS.items():
        value = fields.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if not value:
            raise CommunityError("required", _("This field is required."), field=name)
        if len(value) > limit:
            raise CommunityError(
                "too_long", _("Keep this to %(limit)d characters.") % {"limit": limit}, field=name
            )
        cleaned[name] = value
    _refuse_identifiers(cleaned)
    return cleaned


def clean_budget_lines(call: Call, lines: Any) -> list[tuple[str, int]]:
    """Budget lines as (item, whole won); their total must stay within the call's per-project limit."""
    if not isinstance(lines, list) or not lines:
        raise CommunityError("invalid_budget", _("Add at least one budget line."))
    if len(lines) > MAX_BUDGET_LINES:
        raise CommunityError("invalid_budget", _("Use at most 30 budget lines."))
    cleaned: list[tuple[str, int]] = []
    for line in lines:
        item = line.get("item") if isinstance(line, dict) else None
        amount = line.get("amount") if isinstance(line, dict) else None
        if not isinstance(item, str) or not item.strip() or len(item.strip()) > 200:
            raise CommunityError("invalid_budget", _("Name each budget line (up to 200 characters)."))
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= 10**12:
            raise CommunityError(
                "invalid_budget", _("Give each budget line an amount in whole won, above 0.")
            )
        if contains_identifier(item):
            raise CommunityError("invalid_budget", _("Do not enter a resident registration number."))
        cleaned.append((item.strip(), amount))
    total = sum(amount for _item, amount in cleaned)
    if total > call.per_project_limit:
        raise CommunityError(
            "over_limit",
            _("The budget totals %(total)s won, above this call's limit of %(limit)s won per project.")
            % {"total": f"{total:,}", "limit": f"{call.per_project_limit:,}"},
        )
    return cleaned


def _clean_hours(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1000:
        raise CommunityError(
            "invalid_hours", _("Enter whole hours from 0 to 1000."), field="space_hours_wanted"
        )
    return value


def own_proposal(proposal_id: int, user: User) -> Proposal:
    """The lead's proposal, locked; anyone else's is "not found"."""
    try:
        proposal = proposal_flow.lock(proposal_id)
    except Proposal.DoesNotExist as exc:
        raise CommunityError("not_found", _("Proposal not found.")) from exc
    if proposal.lead_id != user.pk:
        raise CommunityError("not_found", _("Proposal not found."))
    return proposal


def _open_call(call_id: Any) -> Call:
    call = (
        Call.objects.select_related("district").filter(pk=call_id).first()
        if isinstance(call_id, int)
        else None
    )
    if call is None or not call.is_open():
        raise CommunityError("not_open", _("This call is not taking proposals."), field="call")
    return call


@transaction.atomic
def proposal_create(
    *,
    user: User,
    call_id: int,
    category_id: Any,
    budget_lines: Any,
    space_hours_wanted: Any = 0,
    request: HttpRequest | None = None,
    **text: Any,
) -> Proposal:
    """A draft proposal with the user as lead (a resident with a household profile)."""
    if not Household.objects.filter(user=user, anonymized_at__isnull=True).exists():
        raise CommunityError("no_profile", _("Fill in your household profile first."))
    call = _open_call(call_id)
    fields = _clean_text(text)
    category = call.categories.filter(pk=category_id).first() if isinstance(category_id, int) else None
    if category is None:
        raise CommunityError("invalid_category", _("Choose one of this call's categories."))
    lines = clean_budget_lines(call, budget_lines)
    proposal = Proposal(
        call=call, category=category, lead=user, space_hours_wanted=_clean_hours(space_hours_wanted), **fields
    )
    proposal._history_user = user
    proposal.save()
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, item=item, amount=amount) for item, amount in lines
    )
    ProposalMember.objects.create(
        proposal=proposal, user=user, status=MemberStatus.CONFIRMED, responded_at=timezone.now()
    )
    proposal_flow.record(proposal, "community.proposal.created", actor=user, request=request)
    return proposal


@transaction.atomic
def proposal_update(
    *,
    user: User,
    proposal: Proposal,
    category_id: Any,
    budget_lines: Any,
    space_hours_wanted: Any = 0,
    request: HttpRequest | None = None,
    **text: Any,
) -> Proposal:
    proposal = own_proposal(proposal.pk, user)
    if proposal.status not in EDITABLE:
        raise proposal_flow.refusal(proposal)
    fields = _clean_text(text)
    category = (
        proposal.call.categories.filter(pk=category_id).first() if isinstance(category_id, int) else None
    )
    if category is None:
        raise CommunityError("invalid_category", _("Choose one of this call's categories."))
    lines = clean_budget_lines(proposal.call, budget_lines)
    for name, value in fields.items():
        setattr(proposal, name, value)
    proposal.category = category
    proposal.space_hours_wanted = _clean_hours(space_hours_wanted)
    proposal._history_user = user
    proposal.save()
    proposal.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(proposal=proposal, item=item, amount=amount) for item, amount in lines
    )
    proposal_flow.record(proposal, "community.proposal.updated", actor=user, request=request)
    return proposal


@transaction.atomic
def member_invite(
    *, user: User, proposal: Proposal, email: Any, request: HttpRequest | None = None
) -> ProposalMember:
    """Invite a resident by the email address of their account; they confirm on their own page."""
    proposal = own_proposal(proposal.pk, user)
    if proposal.status not in EDITABLE:
        raise proposal_flow.refusal(proposal)
    email = email.strip() if isinstance(email, str) else ""
    invitee = (
        User.objects.filter(email__iexact=email, is_active=True, role=User.Role.RESIDENT).first()
        if 0 < len(email) <= 254
        else None
    )
    # The same answer for "no such account" and "not a resident": the form reveals no accounts.
    if invitee is None:
        raise CommunityError(
            "unknown_member", _("No resident account uses that email address. Ask them to sign up first.")
        )
    try:
        with transaction.atomic():
            member = ProposalMember.objects.create(proposal=proposal, user=invitee)
    except IntegrityError as exc:
        raise CommunityError("unknown_member", _("That person is already invited.")) from exc
    event = proposal_flow.record(
        proposal, "community.member.invited", actor=user, request=request, member=member.pk
    )
    proposal_flow.notify(
        proposal,
        "community.member.invited",
        user=invitee,
        event=event,
        context={
            "title": proposal.title,
            "call": proposal.call.title,
            "link": f"{settings.SITE_URL}/community/proposals/{proposal.pk}/",
        },
    )
    return member


@transaction.atomic
def member_respond(
    *, user: User, member_id: int, accept: bool, request: HttpRequest | None = None
) -> ProposalMember:
    member = (
        ProposalMember.objects.select_for_update(of=("self",))
        .select_related("proposal__call__district")
        .filter(pk=member_id, user=user)
        .first()
    )
    if member is None:
        raise CommunityError("not_found", _("Invitation not found."))
    if member.status != MemberStatus.INVITED or member.proposal.status != P.DRAFT:
        raise CommunityError("invalid_transition", _("This invitation was already answered or has closed."))
    member.status = MemberStatus.CONFIRMED if accept else MemberStatus.DECLINED
    member.responded_at = timezone.now()
    member.save(update_fields=["status", "responded_at"])
    proposal_flow.record(
        member.proposal, f"community.member.{member.status}", actor=user, request=request, member=member.pk
    )
    return member


def resident_members(proposal: Proposal) -> int:
    """Confirmed members (lead included) whose household lives in the call's district."""
    return Household.objects.filter(
        user__community_memberships__proposal=proposal,
        user__community_memberships__status=MemberStatus.CONFIRMED,
        district_id=proposal.call.district_id,
        anonymized_at__isnull=True,
    ).count()


@transaction.atomic
def proposal_submit(*, user: User, proposal: Proposal, request: HttpRequest | None = None) -> Proposal:
    """Submit before the call's deadline (the server's clock decides), with enough resident members and
    the budget within the per-project limit."""
    proposal = own_proposal(proposal.pk, user)
    call = proposal.call
    if proposal.status != P.DRAFT:
        raise proposal_flow.refusal(proposal)
    if not call.is_open():
        raise CommunityError(
            "deadline_passed",
            _("The call closed on %(deadline)s: proposals can no longer be submitted.")
            % {"deadline": f"{to_local(call.closes_at):%Y-%m-%d %H:%M}"},
        )
    count = resident_members(proposal)
    if count < call.min_members:
        raise CommunityError(
            "too_few_members",
            _(
                "This call needs at least %(min)d confirmed members living in %(district)s "
                "(you have %(count)d). "
                "Invite more members and ask them to confirm."
            )
            % {"min": call.min_members, "district": call.district, "count": count},
        )
    total = proposal.budget_lines.aggregate(total=Sum("amount"))["total"] or 0
    if not 0 < total <= call.per_project_limit:
        raise CommunityError("over_limit", _("The budget must total between 1 won and the call's limit."))
    now = timezone.now()
    if not proposal.reference:
        proposal.reference = f"CP-{to_local(now).year}-{proposal.pk:06d}"
    proposal_flow.move(proposal, P.SUBMITTED, actor=user, request=request, submitted_at=now)
    tell_group(proposal, "community.proposal.submitted")
    return proposal


@transaction.atomic
def proposal_withdraw(*, user: User, proposal: Proposal, request: HttpRequest | None = None) -> Proposal:
    proposal = own_proposal(proposal.pk, user)
    if proposal.call.status not in ("published", "scoring"):
        raise proposal_flow.refusal(proposal)
    return proposal_flow.move(proposal, P.WITHDRAWN, actor=user, request=request)
