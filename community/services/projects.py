"""Selected projects: milestones and activity reports (text, photos, receipts), review, payments, and
space bookings within the project's quota of hours.

The quota wraps the spaces booking service rather than changing spaces: the project's row is locked,
the hours its members already hold (bookings not cancelled or rejected) are counted, and only then is
spaces.services.booking_create called — so every room and household rule of spaces still applies, and
two members cannot both take the last hours.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.identifiers import contains_identifier
from portal.models import User
from programs.answers import ALLOWED_UPLOAD_TYPES, upload_problem
from spaces.models import Booking, BookingStatus, Room
from spaces.services import booking_create

from ..models import (
    ActivityReport,
    MemberStatus,
    Milestone,
    Payment,
    ProjectBooking,
    Proposal,
    ReportFile,
    ReportFileKind,
    ReportStatus,
)
from .base import CommunityError, P, proposal_flow, tell_group

MAX_FILES = 10
# Bookings that use up quota: the ones still holding or having held the room.
QUOTA_STATUSES = (
    BookingStatus.PENDING,
    BookingStatus.CONFIRMED,
    BookingStatus.ATTENDED,
    BookingStatus.NO_SHOW,
)


def is_member(user: User, proposal: Proposal) -> bool:
    return (
        user.is_authenticated and proposal.members.filter(user=user, status=MemberStatus.CONFIRMED).exists()
    )


def _member_project(user: User, proposal_id: int) -> Proposal:
    proposal = Proposal.objects.select_related("call__district").filter(pk=proposal_id).first()
    if proposal is None or not is_member(user, proposal):
        raise CommunityError("not_found", _("Project not found."))
    if proposal.status != P.SELECTED:
        raise CommunityError("invalid_transition", _("Only selected projects do this."))
    return proposal


def hours_used(proposal: Proposal) -> float:
    total = sum(
        (booking.ends_at - booking.starts_at).total_seconds()
        for booking in Booking.objects.filter(
            community_project__proposal=proposal, status__in=QUOTA_STATUSES
        ).only("starts_at", "ends_at")
    )
    return total / 3600


def project_book(
    *,
    user: User,
    proposal_id: int,
    room_id: int,
    starts_at: datetime,
    ends_at: datetime,
    headcount: int | None,
    purpose: str,
    request: HttpRequest | None = None,
) -> Booking:
    """A member books a room for the project, counted against its quota of space hours."""
    with transaction.atomic():
        proposal = _member_project(user, proposal_id)
        proposal = proposal_flow.lock(proposal.pk)  # serializes the project's bookings
        # The web form offers only these rooms; the API takes any id: the rule lives here for both.
        room = Room.objects.filter(
            pk=room_id, space__district_id=proposal.call.district_id, is_active=True
        ).first()
        if room is None:
            raise CommunityError(
                "invalid_room", _("Choose one of the rooms of the call's district."), field="room"
            )
        hours = (ends_at - starts_at).total_seconds() / 3600
        left = proposal.space_hours_quota - hours_used(proposal)
        if hours > left:
            raise CommunityError(
                "quota_exceeded",
                _("This project has %(left)s space hours left of its %(quota)d.")
                % {"left": f"{max(left, 0):g}", "quota": proposal.space_hours_quota},
            )
        booking = booking_create(
            user=user,
            room_id=room.pk,
            starts_at=starts_at,
            ends_at=ends_at,
            headcount=headcount,
            purpose=purpose,
            request=request,
        )
        ProjectBooking.objects.create(proposal=proposal, booking=booking)
        proposal_flow.record(
            proposal, "community.project.booked", actor=user, request=request, booking=booking.pk
        )
    return booking


@transaction.atomic
def milestone_add(*, proposal: Proposal, actor: User, title: str, due_on: date) -> Milestone:
    title = title.strip() if isinstance(title, str) else ""
    if not title or contains_identifier(title):
        raise CommunityError("title_required", _("Name the milestone."), field="title")
    proposal = proposal_flow.lock(proposal.pk)
    if proposal.status != P.SELECTED:
        raise CommunityError("invalid_transition", _("Only selected projects have milestones."))
    milestone = Milestone.objects.create(proposal=proposal, title=title[:200], due_on=due_on)
    proposal_flow.record(proposal, "community.milestone.added", actor=actor, milestone=milestone.pk)
    return milestone


def report_submit(
    *,
    user: User,
    milestone_id: int,
    text: str,
    spent: int = 0,
    photos: list[UploadedFile] | None = None,
    receipts: list[UploadedFile] | None = None,
    request: HttpRequest | None = None,
) -> ActivityReport:
    """A member reports on a milestone; photos and receipts are checked (type, size, content) first."""
    # proposal__call: the report's district is then known to the dashboard's cache without a query.
    milestone = Milestone.objects.select_related("proposal__call").filter(pk=milestone_id).first()
    if milestone is None:
        raise CommunityError("not_found", _("Milestone not found."))
    proposal = _member_project(user, milestone.proposal_id)
    text = text.strip() if isinstance(text, str) else ""
    if not text:
        raise CommunityError("text_required", _("Write what the group did."), field="text")
    if len(text) > 4000:
        raise CommunityError(
            "text_required", _("Keep this to %(limit)d characters.") % {"limit": 4000}, field="text"
        )
    if contains_identifier(text):
        raise CommunityError("text_required", _("Do not enter a resident registration number."), field="text")
    if isinstance(spent, bool) or not isinstance(spent, int) or not 0 <= spent <= 10**12:
        raise CommunityError("invalid_amount", _("Enter the amount spent in whole won."), field="spent")
    uploads = [(ReportFileKind.PHOTO, f) for f in photos or []] + [
        (ReportFileKind.RECEIPT, f) for f in receipts or []
    ]
    if len(uploads) > MAX_FILES:
        raise CommunityError("invalid_file", _("Attach at most 10 files."), field="files")
    for kind, upload in uploads:
        problem = upload_problem(upload)
        if problem:
            raise CommunityError(
                "invalid_file", problem, field="photos" if kind == ReportFileKind.PHOTO else "receipts"
            )
    with transaction.atomic():
        report = ActivityReport.objects.create(milestone=milestone, submitted_by=user, text=text, spent=spent)
        for kind, upload in uploads:
            suffix = upload.name[upload.name.rfind(".") :].lower()
            ReportFile.objects.create(
                report=report,
                kind=kind,
                file=upload,
                original_name=upload.name[:200],
                content_type=ALLOWED_UPLOAD_TYPES[suffix],
                size=upload.size,
            )
        proposal_flow.record(
            proposal, "community.report.submitted", actor=user, request=request, report=report.pk
        )
    return report


@transaction.atomic
def report_review(
    *, report: ActivityReport, actor: User, accept: bool, note: str = "", request: HttpRequest | None = None
) -> ActivityReport:
    note = note.strip() if isinstance(note, str) else ""
    if not accept and not note:
        raise CommunityError("note_required", _("Say what the group should change."))
    if contains_identifier(note):
        raise CommunityError("note_required", _("Do not enter a resident registration number."))
    report = (
        ActivityReport.objects.select_for_update(of=("self",))
        .select_related("milestone__proposal__call")
        .get(pk=report.pk)
    )
    if report.status != ReportStatus.SUBMITTED:
        raise CommunityError("invalid_transition", _("This report was already reviewed."))
    report.status = ReportStatus.ACCEPTED if accept else ReportStatus.RETURNED
    report.review_note = note
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.save()
    proposal = proposal_flow.lock(report.milestone.proposal_id)
    proposal_flow.record(
        proposal, f"community.report.{report.status}", actor=actor, request=request, report=report.pk
    )
    tell_group(
        proposal,
        "community.report.reviewed",
        outcome=str(report.get_status_display()),
        reason=note,
    )
    return report


@transaction.atomic
def payment_record(
    *,
    proposal: Proposal,
    actor: User,
    amount: int,
    paid_on: date,
    note: str = "",
    request: HttpRequest | None = None,
) -> Payment:
    """Record a payment of the grant; the payments never add up to more than the grant."""
    proposal = proposal_flow.lock(proposal.pk)
    if proposal.status != P.SELECTED:
        raise CommunityError("invalid_transition", _("Only selected projects are paid."))
    if isinstance(amount, bool) or not isinstance(amount, int) or amount <= 0:
        raise CommunityError("invalid_amount", _("Enter an amount in whole won, above 0."))
    paid = proposal.payments.aggregate(total=Sum("amount"))["total"] or 0
    if paid + amount > proposal.grant_amount:
        raise CommunityError(
            "invalid_amount",
            _("Only %(left)s won of the grant is left to pay.")
            % {"left": f"{proposal.grant_amount - paid:,}"},
        )
    note = note.strip()[:200] if isinstance(note, str) else ""
    if contains_identifier(note):
        raise CommunityError(
            "invalid_amount", _("Do not enter a resident registration number."), field="note"
        )
    payment = Payment.objects.create(
        proposal=proposal, amount=amount, paid_on=paid_on, note=note, recorded_by=actor
    )
    proposal_flow.record(proposal, "community.payment.recorded", actor=actor, request=request, amount=amount)
    return payment
