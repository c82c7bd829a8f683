"""Writes the demo data. Idempotent: a second run finds everything as wanted and writes nothing.

Rows are matched by natural keys (Program.slug, the account's email, the household's account). A
program's officials, milestones and rule tree are compared with what is wanted first; only when they
differ are that program's rows deleted and recreated (inside the caller's transaction), so a rerun never
bumps a program's rule version: the rules fingerprint counts group ids, which recreation would change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps as django_apps
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from households.models import Consent, Household, OutreachPreference
from households.outreach import outreach_opt_in
from portal import pagecache
from portal.models import City, District, Neighbourhood, User
from portal.reference_data import load_median_income, load_reference_data
from portal.roles import user_set_role
from programs.eligibility import Rule, rule_problems
from programs.models import (
    Criterion,
    CriterionGroup,
    Field,
    Logic,
    Operator,
    Parameter,
    PolicyMilestone,
    PolicyOfficial,
    Program,
    ProgramQuestion,
    ProgramStatus,
)
from programs.services import outreach, program_rules_changed

from .benefits import load_benefits
from .community import load_community
from .inquiries import load_inquiries
from .lockers import load_lockers
from .programs import demo_programs
from .safety import load_safety
from .spaces import load_spaces

DEMO_PASSWORD = "hana-demo-2026"

PROGRAM_DEFAULTS: dict[str, Any] = {
    "for_youth": False,
    "for_middle_aged": False,
    "for_seniors": False,
    "for_women": False,
    "selection_text": "",
    "required_documents": "",
    "legal_basis": "",
    "capacity": None,
    "selection_method": "review",
    "status": ProgramStatus.PUBLISHED,
    "policy_number": "",
    "policy_background": "",
    "policy_period": "",
}
NOT_PROGRAM_FIELDS = {"slug", "city", "district", "officials", "milestones", "rules", "questions"}
QUESTION_DEFAULTS = {"label_en": "", "help_text": "", "help_text_en": "", "required": True, "choices": []}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    district_code: str | None
    display_name: str
    department: str = ""


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("resident@hana.demo", User.Role.RESIDENT, None, "김하나"),
    DemoAccount("resident2@hana.demo", User.Role.RESIDENT, None, "최영수"),
    DemoAccount(
        "caseworker.gwanak@hana.demo",
        User.Role.CASEWORKER,
        "11620",
        "관악구 1인가구지원팀 박주무관",
        "관악구 1인가구지원과 1인가구지원팀",
    ),
    DemoAccount(
        "caseworker.junggu@hana.demo",
        User.Role.CASEWORKER,
        "11140",
        "중구 복지정책과 1인가구 담당",
        "중구 복지정책과",
    ),
    DemoAccount(
        "manager.gwanak@hana.demo",
        User.Role.DISTRICT_MANAGER,
        "11620",
        "관악구 1인가구지원과장",
        "관악구 1인가구지원과",
    ),
    DemoAccount(
        "programs.junggu@hana.demo",
        User.Role.PROGRAM_MANAGER,
        "11140",
        "중구 복지정책과 사업담당",
        "중구 복지정책과",
    ),
    DemoAccount(
        "admin@hana.demo", User.Role.CITY_ADMIN, None, "Hana 시스템 관리자", "서울특별시 1인가구담당관"
    ),
]


class DemoDataError(ValueError):
    """The demo data itself is wrong (a criterion that cannot be evaluated, an unknown place code…)."""


# --- entry point --------------------------------------------------------------------------------------
@transaction.atomic
def load_demo(*, today: date | None = None) -> list[dict[str, str]]:
    """Load reference data, programs and demo accounts; returns the accounts as rows for printing."""
    today = today or timezone.localdate()
    load_reference_data(django_apps)
    load_median_income(django_apps)
    programs = demo_programs(today.year)
    for spec in programs:
        check_program(spec)
    for spec in programs:
        load_program(spec)
    accounts = load_accounts(today)
    load_outreach()
    load_safety(today=today)
    load_lockers()
    load_spaces(today=today)
    from demo.care import load_care  # care's loader imports this module's account helpers

    accounts += load_care(today=today)
    load_benefits(today=today)
    load_inquiries()
    accounts += load_community(today=today)
    # Officials, milestones, opening hours and more were written in bulk (no signals): the public pages
    # cached before this load must not outlive it.
    pagecache.bump()
    return accounts


# --- programs -----------------------------------------------------------------------------------------
def check_program(spec: dict[str, Any]) -> None:
    """Raise DemoDataError unless every criterion of `spec` can be evaluated as written."""
    if spec.get("rules") is not None:
        _check_group(spec["slug"], spec["rules"])


def _check_group(slug: str, group: dict[str, Any]) -> None:
    if group["logic"] not in Logic.values:
        raise DemoDataError(f"{slug}: unknown group logic {group['logic']!r}")
    for part in group["parts"]:
        if part["kind"] == "group":
            _check_group(slug, part)
            continue
        if part["field"] not in Field.values or part["operator"] not in Operator.values:
            raise DemoDataError(f"{slug}: unknown field or operator in {part!r}")
        if part["parameter"] not in Parameter.values:
            raise DemoDataError(f"{slug}: unknown parameter {part['parameter']!r}")
        problems = rule_problems(Rule(**{k: part[k] for k in _RULE_KEYS}))
        if problems:
            raise DemoDataError(
                f"{slug}: criterion {part['explanation']!r} is invalid: {'; '.join(problems)}"
            )
        if part["field"] == Field.DISTRICT and not District.objects.filter(code=part["value"]).exists():
            raise DemoDataError(f"{slug}: unknown district code {part['value']!r}")
        if part["field"] == Field.CITY and not City.objects.filter(code=part["value"]).exists():
            raise DemoDataError(f"{slug}: unknown city code {part['value']!r}")
        if not part["explanation"] or not part["explanation_en"]:
            raise DemoDataError(f"{slug}: every criterion needs a Korean and an English explanation")


_RULE_KEYS = (
    "field",
    "operator",
    "value",
    "parameter",
    "parameter_percent",
    "parameter_year",
    "parameter_household_size",
    "explanation",
    "explanation_en",
)


def load_program(spec: dict[str, Any]) -> Program:
    values = {**PROGRAM_DEFAULTS, **{k: v for k, v in spec.items() if k not in NOT_PROGRAM_FIELDS}}
    values["city"] = City.objects.get(code=spec["city"])
    values["district"] = District.objects.get(code=spec["district"]) if spec["district"] else None
    program = Program.objects.filter(slug=spec["slug"]).first() or Program(slug=spec["slug"])
    changed = _assign(program, values)
    if program.pk is None or changed:
        program.full_clean()
        program.save()

    officials = [
        (dept, position, name, order) for order, (dept, position, name) in enumerate(spec["officials"])
    ]
    if _officials(program) != officials:
        program.officials.all().delete()
        PolicyOfficial.objects.bulk_create(
            PolicyOfficial(program=program, department=d, position=p, name=n, order=o)
            for d, p, n, o in officials
        )
    milestones = [tuple(m) for m in spec["milestones"]]
    if _milestones(program) != milestones:
        program.milestones.all().delete()
        PolicyMilestone.objects.bulk_create(
            PolicyMilestone(program=program, start=s, end=e, description=d, people=p)
            for s, e, d, p in milestones
        )

    wanted_tree = _canonical_spec(spec["rules"] or {"logic": Logic.ALL, "label": "", "parts": []})
    if _canonical_db(program) != wanted_tree:
        CriterionGroup.objects.filter(program=program).delete()
        _create_group(program, spec["rules"] or {"logic": Logic.ALL, "label": "", "parts": []}, None, 0)
    load_questions(program, spec.get("questions", []))
    program_rules_changed(program=program)
    return program


def load_questions(program: Program, specs: list[dict[str, Any]]) -> None:
    """The program's application questions, matched by position: a changed question is updated in place
    (answers already given keep their key, q<id>), and none is deleted while an answer may use it."""
    for position, spec in enumerate(specs):
        values = {**QUESTION_DEFAULTS, **spec}
        question = ProgramQuestion.objects.filter(program=program, position=position).first()
        if question is None:
            ProgramQuestion.objects.create(program=program, position=position, **values)
        elif _assign(question, values):
            question.full_clean()
            question.save()


def _assign(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the attributes that differ; True when any did."""
    changed = False
    for name, value in values.items():
        field = obj._meta.get_field(name)
        if field.is_relation:
            current = getattr(obj, field.attname)
            wanted = value.pk if value is not None else None
        else:
            current, wanted = getattr(obj, name), value
        if current != wanted:
            setattr(obj, name, value)
            changed = True
    return changed


def _officials(program: Program) -> list[tuple]:
    if program.pk is None:
        return []
    return list(
        program.officials.order_by("order", "id").values_list("department", "position", "name", "order")
    )


def _milestones(program: Program) -> list[tuple]:
    if program.pk is None:
        return []
    return list(
        program.milestones.order_by("start", "id").values_list("start", "end", "description", "people")
    )


def _canonical_spec(group: dict[str, Any]) -> tuple:
    parts = []
    for position, part in enumerate(group["parts"]):
        if part["kind"] == "group":
            parts.append(("group", position, _canonical_spec(part)))
        else:
            parts.append(("rule", position, tuple(part[k] for k in _RULE_KEYS)))
    return (group["logic"], group["label"], tuple(parts))


def _canonical_db(program: Program) -> tuple | None:
    groups = list(CriterionGroup.objects.filter(program=program))
    roots = [g for g in groups if g.parent_id is None]
    if len(roots) != 1:
        return None
    children: dict[int, list[CriterionGroup]] = {}
    for group in groups:
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(group)
    criteria: dict[int, list[Criterion]] = {}
    for criterion in Criterion.objects.filter(group__program=program):
        criteria.setdefault(criterion.group_id, []).append(criterion)

    def walk(group: CriterionGroup) -> tuple:
        items: list[tuple] = [
            (c.position, 0, c.pk, ("rule", c.position, tuple(getattr(c, k) for k in _RULE_KEYS)))
            for c in criteria.get(group.pk, [])
        ]
        items += [(g.position, 1, g.pk, ("group", g.position, walk(g))) for g in children.get(group.pk, [])]
        items.sort(key=lambda item: item[:3])
        return (group.logic, group.label, tuple(item[3] for item in items))

    return walk(roots[0])


def _create_group(
    program: Program, spec: dict[str, Any], parent: CriterionGroup | None, position: int
) -> None:
    group = CriterionGroup.objects.create(
        program=program, parent=parent, logic=spec["logic"], label=spec["label"], position=position
    )
    for index, part in enumerate(spec["parts"]):
        if part["kind"] == "group":
            _create_group(program, part, group, index)
        else:
            Criterion.objects.create(group=group, position=index, **{k: part[k] for k in _RULE_KEYS})


# --- accounts -----------------------------------------------------------------------------------------
def load_accounts(today: date) -> list[dict[str, str]]:
    for account in ACCOUNTS:
        district = District.objects.get(code=account.district_code) if account.district_code else None
        user = _ensure_user(account)
        if (
            user.role != account.role
            or user.district_id != (district.pk if district else None)
            or set(user.groups.values_list("name", flat=True)) != _expected_groups(account.role)
        ):
            user_set_role(user=user, role=account.role, district=district)
    _ensure_household(
        User.objects.get(email="resident@hana.demo"),
        district_code="11620",
        neighbourhood_name="신림동",
        values={
            "name": "김하나",
            "birth_date": date(1994, 5, 12),
            "gender": "female",
            "phone": "010-1234-5678",
            "address_detail": "신림로 000, 201호 (예시 주소)",
            "housing_tenure": "monthly_rent",
            "household_size": 1,
            "monthly_income": 2_100_000,
            "employment": "employed",
            "income_support": "none",
            "crime_victim": False,
            "single_parent": False,
            "disability": False,
            "notify_by_email": True,
            "notify_by_sms": True,
        },
    )
    _ensure_household(
        User.objects.get(email="resident2@hana.demo"),
        district_code="11140",
        neighbourhood_name="황학동",
        values={
            "name": "최영수",
            # 58 on every day of the current year.
            "birth_date": date(today.year - 58, 1, 1),
            "gender": "male",
            "phone": "010-9876-5432",
            "address_detail": "황학동 000, 302호 (예시 주소)",
            "housing_tenure": "jeonse",
            "household_size": 1,
            "monthly_income": 1_800_000,
            "employment": "self_employed",
            "income_support": "none",
            "crime_victim": False,
            "single_parent": False,
            "disability": False,
            "notify_by_email": True,
            "notify_by_sms": False,
        },
    )
    return [_account_row(account) for account in ACCOUNTS]


def load_outreach() -> None:
    """김하나 asked to hear about programs she may qualify for (in the inbox and by email, at once), and
    has been told about the open ones she qualifies for: her home page shows "new for you" from the
    first login. Her choices are left alone once made (a later load does not opt her in again)."""
    user = User.objects.get(email="resident@hana.demo")
    household = Household.objects.get(user=user)
    if not OutreachPreference.objects.filter(household=household).exists():
        outreach_opt_in(user=user, by_email=True, by_sms=False)
    # Run here rather than left to the task the opt-in queues: the demo works before any worker runs.
    outreach.outreach_match_household(household_id=household.pk)
    pending = outreach.Notice.objects.filter(household=household, status=outreach.Notice.Status.PENDING)
    for program_id in set(pending.values_list("program_id", flat=True)):
        outreach.outreach_deliver(program_id=program_id, household_ids=[household.pk])


def _account_row(account: DemoAccount) -> dict[str, str]:
    user = User.objects.select_related("district__city").get(email=account.email)
    if user.district_id:
        place = user.district.full_name
    else:
        household = (
            Household.objects.filter(user=user).select_related("district__city", "neighbourhood").first()
        )
        place = f"{household.district.full_name} {household.neighbourhood}" if household else "—"
    return {"email": account.email, "password": DEMO_PASSWORD, "role": account.role, "district": place}


def _expected_groups(role: str) -> set[str]:
    from django.contrib.auth.models import Group

    return set(Group.objects.filter(name=role).values_list("name", flat=True))


def _ensure_user(account: DemoAccount) -> User:
    user = _ensure_user_row(account)
    # A verified primary address (allauth): demo residents may apply and book straight away.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"primary": True, "verified": True}
    )
    return user


def _ensure_user_row(account: DemoAccount) -> User:
    user = User.objects.filter(email=account.email).first()
    if user is None:
        return User.objects.create_user(
            account.email, DEMO_PASSWORD, display_name=account.display_name, department=account.department
        )
    fields = []
    for name in ("display_name", "department"):
        if getattr(user, name) != getattr(account, name):
            setattr(user, name, getattr(account, name))
            fields.append(name)
    if not user.is_active:
        user.is_active = True
        fields.append("is_active")
    if fields:
        user.save(update_fields=fields)
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def _ensure_household(
    user: User, *, district_code: str, neighbourhood_name: str, values: dict[str, Any]
) -> None:
    district = District.objects.get(code=district_code)
    values = {
        **values,
        "district": district,
        "neighbourhood": Neighbourhood.objects.get(district=district, name=neighbourhood_name),
    }
    household = Household.objects.filter(user=user).first() or Household(user=user)
    changed = _assign(household, values)
    if household.phone and household.phone_verified_at is None:
        # Demo residents' (made-up) numbers count as verified, so the demo's texts (parcel codes) go out;
        # real rows that existed before verification stayed unverified (the migration set nothing).
        household.phone_verified_at = timezone.now()
        changed = True
    if household.pk is None or changed:
        household.full_clean()
        household.save()
    version = settings.HANA_PRIVACY_CONSENT_VERSION
    for purpose in (Consent.Purpose.PROFILE, Consent.Purpose.SENSITIVE):
        active = Consent.objects.filter(user=user, purpose=purpose, withdrawn_at__isnull=True).first()
        if active is not None and active.version == version:
            continue
        now = timezone.now()
        if active is not None:  # an older notice: withdraw it and record consent to the current one
            active.withdrawn_at = now
            active.save(update_fields=["withdrawn_at"])
        Consent.objects.create(user=user, purpose=purpose, version=version, given_at=now)
