"""The programs app's models, one module per concept; Django and callers import them from here."""

from .applications import (
    ACTIVE_STATUSES,
    PLACE_HOLDING_STATUSES,
    UNDECIDED_STATUSES,
    Application,
    ApplicationDocument,
    ApplicationNote,
    ApplicationStatus,
    EligibilityRecord,
    InformationRequest,
    LotteryDraw,
)
from .catalog import (
    BenefitType,
    Category,
    PolicyMilestone,
    PolicyOfficial,
    Program,
    ProgramQuerySet,
    ProgramQuestion,
    ProgramStatus,
    QuestionKind,
    SelectionMethod,
)
from .outreach import OutreachNotice, ProgramDismissal
from .rules import Criterion, CriterionGroup, Field, Logic, MedianIncome, Operator, Parameter
from .sessions import ProgramSession

__all__ = [
    "ACTIVE_STATUSES",
    "PLACE_HOLDING_STATUSES",
    "UNDECIDED_STATUSES",
    "Application",
    "ApplicationDocument",
    "ApplicationNote",
    "ApplicationStatus",
    "BenefitType",
    "Category",
    "Criterion",
    "CriterionGroup",
    "EligibilityRecord",
    "Field",
    "InformationRequest",
    "Logic",
    "LotteryDraw",
    "MedianIncome",
    "Operator",
    "OutreachNotice",
    "Parameter",
    "PolicyMilestone",
    "PolicyOfficial",
    "Program",
    "ProgramQuerySet",
    "ProgramDismissal",
    "ProgramQuestion",
    "ProgramSession",
    "ProgramStatus",
    "QuestionKind",
    "SelectionMethod",
]
