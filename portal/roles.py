"""Staff roles as Django permission groups, kept in sync after every migrate.

The role on the user decides *which rows* they see (each model's visible_to); the group decides *what they may
do* in the admin. Later issues extend ROLE_PERMISSIONS as their models arrive.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import District, User

Role = User.Role

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.CASEWORKER: [
        "households.view_household",
        "programs.view_program",
        "programs.view_medianincome",
        "programs.view_application",
        "programs.change_application",
        "programs.view_applicationnote",
        "programs.add_applicationnote",
        "programs.view_applicationdocument",
        "programs.view_programquestion",
        "safety.view_kititem",
        "safety.view_kitoffer",
        "safety.view_kitrequest",
        "safety.change_kitrequest",
        "safety.view_kitrequestitem",
        "safety.view_installationvisit",
        "safety.add_installationvisit",
        "safety.change_installationvisit",
        "safety.view_satisfactionsurvey",
        "safety.view_kitstock",
        "safety.change_kitstock",
        "safety.view_stockmovement",
        "safety.add_stockmovement",
    ],
    Role.PROGRAM_MANAGER: [
        "programs.view_program",
        "programs.add_program",
        "programs.change_program",
        "programs.view_policyofficial",
        "programs.add_policyofficial",
        "programs.change_policyofficial",
        "programs.delete_policyofficial",
        "programs.view_policymilestone",
        "programs.add_policymilestone",
        "programs.change_policymilestone",
        "programs.delete_policymilestone",
        "programs.view_criteriongroup",
        "programs.add_criteriongroup",
        "programs.change_criteriongroup",
        "programs.delete_criteriongroup",
        "programs.view_criterion",
        "programs.add_criterion",
        "programs.change_criterion",
        "programs.delete_criterion",
        "programs.view_medianincome",
        "programs.view_programquestion",
        "programs.add_programquestion",
        "programs.change_programquestion",
        "programs.delete_programquestion",
        "programs.view_application",
        "programs.view_lotterydraw",
        "safety.view_kititem",
        "safety.view_kitoffer",
        "safety.change_kitoffer",
        "safety.view_kitrequest",
        "safety.view_kitstock",
        "safety.view_stockmovement",
    ],
    Role.DISTRICT_MANAGER: [
        "households.view_household",
        "programs.view_program",
        "programs.view_medianincome",
        "portal.view_auditevent",
        "programs.view_application",
        "programs.view_lotterydraw",
        "safety.view_kititem",
        "safety.view_kitoffer",
        "safety.view_kitrequest",
        "safety.view_installationvisit",
        "safety.view_satisfactionsurvey",
        "safety.view_kitstock",
        "safety.change_kitstock",
        "safety.view_stockmovement",
        "safety.add_stockmovement",
    ],
}
# Parcel lockers (lockers): caseworkers run their district's sites day to day.
ROLE_PERMISSIONS[Role.CASEWORKER] += [
    "lockers.view_lockersite",
    "lockers.view_compartment",
    "lockers.change_compartment",
    "lockers.view_delivery",
    "lockers.add_delivery",
    "lockers.change_delivery",
    "lockers.view_lockerdevice",
    "lockers.view_lockerpolicy",
]
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += [
    "lockers.view_lockersite",
    "lockers.add_lockersite",
    "lockers.change_lockersite",
    "lockers.view_compartment",
    "lockers.add_compartment",
    "lockers.change_compartment",
    "lockers.view_delivery",
    "lockers.view_lockerdevice",
    "lockers.add_lockerdevice",
    "lockers.change_lockerdevice",
    "lockers.view_lockerpolicy",
    "lockers.change_lockerpolicy",
]
# Community spaces: caseworkers run bookings day to day; managers also set up spaces, rooms and rules.
_SPACES_VIEW = [
    "spaces.view_space",
    "spaces.view_room",
    "spaces.view_openinghours",
    "spaces.view_closure",
    "spaces.view_bookingpolicy",
    "spaces.view_booking",
    "spaces.view_bookingseries",
    "spaces.view_suspension",
    "programs.view_programsession",
]
_SPACES_SETUP = [
    f"spaces.{verb}_{model}"
    for model in ("space", "room", "openinghours", "closure")
    for verb in ("add", "change", "delete")
] + ["spaces.add_bookingpolicy", "spaces.change_bookingpolicy"]
_SPACES_RUN = [
    "spaces.change_booking",
    "spaces.add_bookingseries",
    "spaces.change_bookingseries",
    "spaces.change_suspension",
    "programs.add_programsession",
    "programs.change_programsession",
]
ROLE_PERMISSIONS[Role.CASEWORKER] += (
    _SPACES_VIEW
    + _SPACES_RUN
    + [
        "spaces.add_closure",
        "spaces.change_closure",
        "spaces.delete_closure",
    ]
)
ROLE_PERMISSIONS[Role.PROGRAM_MANAGER] += _SPACES_VIEW + [
    "spaces.add_bookingseries",
    "spaces.change_bookingseries",
    "programs.add_programsession",
    "programs.change_programsession",
    "programs.delete_programsession",
]
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += _SPACES_VIEW + _SPACES_SETUP + _SPACES_RUN
# Exports (reports.exports): district managers export their district's data and follow their export
# jobs. Unmasked personal data needs portal.export_personal_data, granted to no role by default.
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += ["reports.view_exportjob", "reports.add_exportjob"]
# The apps above (benefits, care, inquiries, community) add their permissions below, one block each.
ROLE_PERMISSIONS[Role.COUNSELLOR] = []
# Care: counsellors keep their calendar and confidential notes (which notes a counsellor reads is decided
# by SessionNote.objects.readable_by, not by a permission: the note's counsellor and the centre lead only);
# caseworkers enrol residents in check-ins and work the board; managers set up services and counsellors.
ROLE_PERMISSIONS[Role.COUNSELLOR] += [
    "care.view_counsellingservice",
    "care.view_counsellor",
    "care.change_counsellor",  # their own row only (the admin's queryset): hours, leave, video link
    "care.view_workinghours",
    "care.add_workinghours",
    "care.change_workinghours",
    "care.delete_workinghours",
    "care.view_leave",
    "care.add_leave",
    "care.change_leave",
    "care.delete_leave",
    "care.view_appointment",
    "care.change_appointment",
    "care.view_sessionnote",
    "care.add_sessionnote",
    "care.view_counsellingban",
    "care.change_counsellingban",  # lifting a no-show ban early (the admin action; nothing else edits)
]
ROLE_PERMISSIONS[Role.CASEWORKER] += [
    "care.view_enrolment",
    "care.add_enrolment",
    "care.view_guardian",
    "care.view_checkin",
    "care.view_checkintask",
    "care.change_checkintask",
]
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += [
    *(
        f"care.{verb}_{model}"
        for model in ("counsellingservice", "counsellor", "workinghours", "leave")
        for verb in ("view", "add", "change")
    ),
    "care.view_appointment",
    "care.view_enrolment",
    "care.view_checkin",
    "care.view_checkintask",
    "care.view_counsellingban",
    "care.change_counsellingban",
]
# --- benefits (cash benefits: terms, claims, payments, batches, re-verification) ---------------------
_BENEFITS_VIEW = [
    "benefits.view_benefitterms",
    "benefits.view_claim",
    "benefits.view_payment",
    "benefits.view_paymentbatch",
    "benefits.view_reverification",
]
# Caseworkers decide claims and re-verifications and approve payments (within the budget lock).
ROLE_PERMISSIONS[Role.CASEWORKER] += _BENEFITS_VIEW + [
    "benefits.change_claim",
    "benefits.change_payment",
    "benefits.change_reverification",
]
# Program managers set the terms and budget line of their programs.
ROLE_PERMISSIONS[Role.PROGRAM_MANAGER] += _BENEFITS_VIEW + [
    "benefits.add_benefitterms",
    "benefits.change_benefitterms",
]
# District managers also build payment batches, download them (masked unless they hold
# portal.export_personal_data) and record what the bank paid or returned.
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += _BENEFITS_VIEW + [
    "benefits.change_benefitterms",
    "benefits.change_claim",
    "benefits.change_payment",
    "benefits.change_paymentbatch",
    "benefits.change_reverification",
]
# --- inquiries: caseworkers answer their district's inquiries from the templates; district managers also
# keep the teams, topic routes and templates. City admins have every permission.
_INQUIRIES_ANSWER = [
    "inquiries.view_inquiry",
    "inquiries.change_inquiry",
    "inquiries.view_answertemplate",
    "inquiries.view_team",
    "inquiries.view_topicroute",
]
_INQUIRIES_SETUP = [
    "inquiries.add_answertemplate",
    "inquiries.change_answertemplate",
    "inquiries.delete_answertemplate",
    "inquiries.add_team",
    "inquiries.change_team",
    "inquiries.add_topicroute",
    "inquiries.change_topicroute",
    "inquiries.delete_topicroute",
]
ROLE_PERMISSIONS[Role.CASEWORKER] += _INQUIRIES_ANSWER
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += _INQUIRIES_ANSWER + _INQUIRIES_SETUP
# --- community (community building calls, proposals, evaluation, projects) ---
_COMMUNITY_REVIEW = [
    "community.view_call",
    "community.view_callcategory",
    "community.view_criterion",
    "community.view_appointment",
    "community.view_proposal",
    "community.change_proposal",
    "community.view_budgetline",
    "community.view_proposalmember",
    "community.view_fieldvisitnote",
    "community.add_fieldvisitnote",
    "community.view_milestone",
    "community.add_milestone",
    "community.view_payment",
    "community.add_payment",
    "community.view_activityreport",
    "community.change_activityreport",
]
_COMMUNITY_SETUP = [
    "community.add_call",
    "community.change_call",
    "community.add_callcategory",
    "community.change_callcategory",
    "community.delete_callcategory",
    "community.add_criterion",
    "community.change_criterion",
    "community.delete_criterion",
    "community.add_appointment",
    "community.change_appointment",
    "community.delete_appointment",
]
ROLE_PERMISSIONS[Role.CASEWORKER] += _COMMUNITY_REVIEW
ROLE_PERMISSIONS[Role.PROGRAM_MANAGER] += _COMMUNITY_REVIEW + _COMMUNITY_SETUP
ROLE_PERMISSIONS[Role.DISTRICT_MANAGER] += _COMMUNITY_REVIEW + _COMMUNITY_SETUP

STAFF_ROLES = {Role.CASEWORKER, Role.PROGRAM_MANAGER, Role.DISTRICT_MANAGER, Role.COUNSELLOR, Role.CITY_ADMIN}


def ensure_role_groups(**_kwargs) -> None:
    """Create or update one group per staff role with exactly its permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


@transaction.atomic
def user_set_role(*, user: User, role: str, district: District | None) -> User:
    """Give `user` a role: staff flags, district and permission group follow from it."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    if (
        role in {Role.CASEWORKER, Role.PROGRAM_MANAGER, Role.DISTRICT_MANAGER, Role.COUNSELLOR}
        and district is None
    ):
        raise ValueError("district staff need a district")
    user.role = role
    user.district = district if role != Role.RESIDENT else None
    user.is_staff = role in STAFF_ROLES
    user.is_superuser = role == Role.CITY_ADMIN
    user.save(update_fields=["role", "district", "is_staff", "is_superuser"])
    user.groups.set(Group.objects.filter(name=role))
    return user
