"""Care: counselling (services, counsellors, hours, leave, appointments, confidential notes) and
wellbeing check-ins (enrolments, guardians, check-ins, caseworker tasks)."""

from .checkins import (
    CheckIn,
    CheckInStatus,
    CheckInTask,
    Enrolment,
    EnrolmentStatus,
    Guardian,
    TaskKind,
    TaskOutcome,
)
from .counselling import (
    Appointment,
    AppointmentMode,
    AppointmentStatus,
    CounsellingBan,
    CounsellingService,
    Counsellor,
    Leave,
    SessionNote,
    WorkingHours,
    counsellor_of,
)

__all__ = [
    "Appointment",
    "AppointmentMode",
    "AppointmentStatus",
    "CheckIn",
    "CheckInStatus",
    "CheckInTask",
    "Counsellor",
    "CounsellingBan",
    "counsellor_of",
    "CounsellingService",
    "Enrolment",
    "EnrolmentStatus",
    "Guardian",
    "Leave",
    "SessionNote",
    "TaskKind",
    "TaskOutcome",
    "WorkingHours",
]
