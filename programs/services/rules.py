"""Business operations on programs and their rules."""

from __future__ import annotations

import hashlib
import json

from django.db import transaction

from portal import pagecache
from portal.audit import audit_log
from portal.models import User

from ..eligibility import Group
from ..models import CriterionGroup, Logic, Program
from ..selectors import load_rule_trees, rules_changed
from .outreach import outreach_program_changed


def _canonical(group: Group) -> list:
    """The decision-relevant content of a rule tree, in evaluation order: no ids, no wording."""
    rules = [
        [
            r.field,
            r.operator,
            r.value,
            r.parameter,
            r.parameter_percent,
            r.parameter_year,
            r.parameter_household_size,
        ]
        for r in group.rules
    ]
    return [group.logic, rules, [_canonical(child) for child in group.groups]]


def _rules_fingerprint(program: Program) -> str:
    """A digest of everything that decides an outcome. Rewording an explanation, or deleting and
    re-creating identical rules, does not change it; changing a value, operator or grouping does."""
    tree = load_rule_trees([program.pk]).get(program.pk)  # from the rows, never the cache
    payload = json.dumps(_canonical(tree) if tree else None, sort_keys=True, default=str)
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
    # Wording may have changed even when the decision did not: every process recompiles its cached
    # trees once this transaction has committed (a rollback leaves the old rules in force).
    transaction.on_commit(rules_changed)
    fingerprint = _rules_fingerprint(program)
    if fingerprint != program.rule_fingerprint:
        first_time = not program.rule_fingerprint
        program.rule_fingerprint = fingerprint
        if not first_time:
            program.rule_version += 1
        Program.objects.filter(pk=program.pk).update(
            rule_fingerprint=fingerprint, rule_version=program.rule_version
        )
        pagecache.bump()  # an update() sends no signal; the program's page and API show its rule version
        if not first_time:
            audit_log(
                actor=actor,
                action="programs.rules.changed",
                target=program,
                district=program.district,
                data={"rule_version": program.rule_version},
            )
    # Called after every save of a program in the admin: published, reopened, a new period or new rules
    # may make households newly eligible (outreach tells each one once).
    outreach_program_changed(program)
    return program
