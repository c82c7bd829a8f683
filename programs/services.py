"""Business operations on programs and their rules."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from portal.audit import audit_log
from portal.models import User

from .models import Criterion, CriterionGroup, Logic, Program


def _rules_fingerprint(program: Program) -> str:
    """A digest of everything that decides an outcome; wording-only edits do not change it."""
    groups = list(
        CriterionGroup.objects.filter(program=program).values_list("id", "parent_id", "logic").order_by("id")
    )
    criteria = list(
        Criterion.objects.filter(group__program=program)
        .order_by("id")
        .values_list(
            "group_id",
            "field",
            "operator",
            "value",
            "parameter",
            "parameter_percent",
            "parameter_year",
            "parameter_household_size",
        )
    )
    payload = json.dumps([groups, criteria], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def program_root_group(*, program: Program) -> CriterionGroup:
    """The program's root group, created (AND, empty: everyone qualifies) if it has none yet."""
    group, _created = CriterionGroup.objects.get_or_create(
        program=program, parent=None, defaults={"logic": Logic.ALL, "label": ""}
    )
    return group


@transaction.atomic
def program_rules_changed(*, program: Program, actor: User | None = None) -> Program:
    """Call after criteria were edited: bumps rule_version when what decides an outcome changed."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    program_root_group(program=program)
    fingerprint = _rules_fingerprint(program)
    if fingerprint != program.rule_fingerprint:
        first_time = not program.rule_fingerprint
        program.rule_fingerprint = fingerprint
        if not first_time:
            program.rule_version += 1
        Program.objects.filter(pk=program.pk).update(
            rule_fingerprint=fingerprint, rule_version=program.rule_version
        )
        if not first_time:
            audit_log(
                actor=actor,
                action="programs.rules.changed",
                target=program,
                district=program.district,
                data={"rule_version": program.rule_version},
            )
    return program
