"""Community building (마을공동체 사업): calls, proposals, evaluation and selected projects."""

from .calls import Appointment, Call, CallCategory, CallStatus, Criterion
from .evaluation import ConflictDeclaration, FieldVisitNote, Score, ScoreSheet
from .projects import (
    ActivityReport,
    Milestone,
    Payment,
    ProjectBooking,
    ReportFile,
    ReportFileKind,
    ReportStatus,
)
from .proposals import BudgetLine, MemberStatus, Proposal, ProposalMember, ProposalStatus

__all__ = [
    "ActivityReport",
    "Appointment",
    "BudgetLine",
    "Call",
    "CallCategory",
    "CallStatus",
    "ConflictDeclaration",
    "Criterion",
    "FieldVisitNote",
    "MemberStatus",
    "Milestone",
    "Payment",
    "ProjectBooking",
    "Proposal",
    "ProposalMember",
    "ProposalStatus",
    "ReportFile",
    "ReportFileKind",
    "ReportStatus",
    "Score",
    "ScoreSheet",
]
