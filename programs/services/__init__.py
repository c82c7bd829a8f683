"""Business operations of the programs app. Views, admin, API, commands and tasks call these."""

from . import outreach  # noqa: F401
from .applications import (  # noqa: F401
    ApplicationError,
    answers_problems,
    application_cancel,
    application_complete,
    application_decide,
    application_draft_save,
    application_evaluate,
    application_note_add,
    application_submit,
    applications_requeue_unjudged,
    applications_withdraw_for_deleted_account,
)
from .documents import document_attach  # noqa: F401
from .information import application_provide_info  # noqa: F401
from .lottery import lottery_draw, lottery_draws_due  # noqa: F401
from .rules import program_root_group, program_rules_changed  # noqa: F401
from .sessions import session_follow_booking, sessions_for_series  # noqa: F401
