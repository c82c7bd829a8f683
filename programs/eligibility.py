"""The eligibility engine: a pure function over a rule tree, a profile and the median-income table.

Rules are data (programs.models.Criterion / CriterionGroup); programs.selectors turns rows into the
frozen dataclasses below, and this module never touches the database, so it is tested table-driven.

Three-valued logic: each criterion passes, fails, or is unknown (the profile lacks the fact, or the
reference table lacks the year). ALL fails if any part fails, else is unknown if any part is unknown;
ANY passes if any part passes, else is unknown if any part is unknown. Unknown at the root means
"more information needed": we never guess a resident into or out of a program.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cached_property, partial
from typing import Any

from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Employment, Gender, HousingTenure, IncomeSupport
from portal.i18n import is_english

from .models import Field, Logic, Operator, Parameter

NUMERIC_FIELDS = {Field.AGE, Field.HOUSEHOLD_SIZE, Field.MONTHLY_INCOME}
BOOLEAN_FIELDS = {Field.CRIME_VICTIM, Field.SINGLE_PARENT, Field.DISABILITY}
CHOICE_FIELDS = {
    Field.GENDER,
    Field.HOUSING_TENURE,
    Field.EMPLOYMENT,
    Field.INCOME_SUPPORT,
    Field.CITY,
    Field.DISTRICT,
}

NUMERIC_OPERATORS = {Operator.LT, Operator.LTE, Operator.GT, Operator.GTE, Operator.BETWEEN}
EQUALITY_OPERATORS = {Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN}
BOOLEAN_OPERATORS = {Operator.IS_TRUE, Operator.IS_FALSE}

CHOICE_LABELS: dict[str, Any] = {
    Field.GENDER: Gender,
    Field.HOUSING_TENURE: HousingTenure,
    Field.EMPLOYMENT: Employment,
    Field.INCOME_SUPPORT: IncomeSupport,
}

# Labels as read in a sentence ("월 소득 2,900,000원 > 기준 …"), not the admin's column names.
FIELD_LABELS = {
    Field.AGE: gettext_lazy("Age"),
    Field.GENDER: gettext_lazy("Gender"),
    Field.CITY: gettext_lazy("City of residence"),
    Field.DISTRICT: gettext_lazy("District of residence"),
    Field.HOUSING_TENURE: gettext_lazy("Housing tenure"),
    Field.HOUSEHOLD_SIZE: gettext_lazy("Household size"),
    Field.MONTHLY_INCOME: gettext_lazy("Monthly income"),
    Field.EMPLOYMENT: gettext_lazy("Employment"),
    Field.INCOME_SUPPORT: gettext_lazy("Public assistance"),
    Field.CRIME_VICTIM: gettext_lazy("Victim of a crime"),
    Field.SINGLE_PARENT: gettext_lazy("Single-parent household"),
    Field.DISABILITY: gettext_lazy("Registered disability"),
}


class Verdict(StrEnum):
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    NEEDS_INFO = "needs_info"


@dataclass(frozen=True)
class Rule:
    field: str
    operator: str
    value: Any = None
    parameter: str = ""
    parameter_percent: int | None = None
    parameter_year: int | None = None
    parameter_household_size: int | None = None
    explanation: str = ""
    explanation_en: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Group:
    logic: str = Logic.ALL
    rules: tuple[Rule, ...] = ()
    groups: tuple[Group, ...] = ()
    label: str = ""


@dataclass(frozen=True, eq=False)
class Line:
    """One line per criterion: what the rule says, what was compared, and the result (None: unknown).

    The comparison sentence is written only when read: "programs you may qualify for" judges hundreds
    of programs and shows none of their lines, and formatting them was most of the evaluation's cost.
    """

    criterion_id: int | None
    passed: bool | None
    rule: str
    explain: Callable[[], str] = field(repr=False)
    language: str | None = field(default=None, repr=False)  # active when the line was judged
    # The rule's own words in Korean and English, whatever the language it was judged in: what a
    # request keeps (Outcome.stored_lines) so its page shows them in its reader's language.
    rule_texts: tuple[str, str] = field(default=("", ""), repr=False)

    @cached_property
    def comparison(self) -> str:
        with translation.override(self.language):
            return str(self.explain())

    def stored(self) -> dict[str, Any]:
        """The line as a request keeps it: both languages' texts ("rule", "comparison" in Korean; the
        same with "_en" in English), as the rules read when it was judged."""
        korean, english = self.rule_texts
        with translation.override("ko"):
            comparison = str(self.explain())
        with translation.override("en"):
            comparison_en = str(self.explain())
        return {
            "criterion": self.criterion_id,
            "passed": self.passed,
            "rule": korean or self.rule,
            "comparison": comparison,
            "rule_en": english or korean or self.rule,
            "comparison_en": comparison_en,
        }


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    lines: tuple[Line, ...] = field(default_factory=tuple)
    rule_version: int = 0

    @property
    def eligible(self) -> bool:
        return self.verdict == Verdict.ELIGIBLE

    @property
    def missing(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.passed is None)

    def as_dict(self) -> dict[str, Any]:
        return {
            "verdict": str(self.verdict),
            "rule_version": self.rule_version,
            "lines": [
                {
                    "criterion": ln.criterion_id,
                    "passed": ln.passed,
                    "rule": ln.rule,
                    "comparison": ln.comparison,
                }
                for ln in self.lines
            ],
        }


MedianTable = Mapping[tuple[int, int], int]


def evaluate(
    tree: Group | None,
    profile: Mapping[str, Any],
    *,
    medians: MedianTable,
    on: date,
    rule_version: int = 0,
    place_names: Mapping[str, str] | None = None,
    english: bool = False,
) -> Outcome:
    """Judge `profile` against `tree` on day `on`. Texts use the active language (gettext)."""
    if tree is None:
        return Outcome(Verdict.ELIGIBLE, (), rule_version)
    ctx = _Context(profile, medians, on, place_names or {}, english, translation.get_language())
    result = _evaluate_group(tree, ctx)
    verdict = {True: Verdict.ELIGIBLE, False: Verdict.INELIGIBLE, None: Verdict.NEEDS_INFO}[result]
    return Outcome(verdict, tuple(ctx.lines), rule_version)


@dataclass
class _Context:
    profile: Mapping[str, Any]
    medians: MedianTable
    on: date
    place_names: Mapping[str, str]
    english: bool
    language: str | None
    lines: list[Line] = field(default_factory=list)


def _evaluate_group(group: Group, ctx: _Context) -> bool | None:
    # Every part is evaluated (no short-circuit) so the resident sees a line for every criterion.
    results = [_evaluate_rule(rule, ctx) for rule in group.rules]
    results += [_evaluate_group(child, ctx) for child in group.groups]
    if group.logic == Logic.ANY:
        if any(r is True for r in results) or not results:
            return True
        return None if any(r is None for r in results) else False
    if any(r is False for r in results):
        return False
    return None if any(r is None for r in results) else True


def stored_text(line: dict[str, Any], key: str) -> str:
    """A kept line's text ("rule" or "comparison") in the reader's language. Lines judged before both
    languages were kept have only the one they were judged in."""
    if is_english():
        return line.get(f"{key}_en") or line.get(key) or ""
    return line.get(key) or ""


def _rule_texts(rule: Rule) -> tuple[str, str]:
    return (rule.explanation or "", rule.explanation_en or "")


def _evaluate_rule(rule: Rule, ctx: _Context) -> bool | None:
    rule_text = (rule.explanation_en if ctx.english and rule.explanation_en else rule.explanation) or ""
    actual = ctx.profile.get(rule.field)
    if rule.parameter == Parameter.MEDIAN_INCOME:
        expected, reference = _median_reference(rule, ctx)
        if expected is None:
            ctx.lines.append(Line(rule.id, None, rule_text, reference, ctx.language, _rule_texts(rule)))
            return None
    else:
        expected, reference = rule.value, None
    if actual is None or actual == "":
        ctx.lines.append(
            Line(
                rule.id, None, rule_text, partial(_missing_text, rule.field), ctx.language, _rule_texts(rule)
            )
        )
        return None
    try:
        passed = _compare(rule.field, rule.operator, actual, expected)
    except (TypeError, ValueError):
        # A rule written with the wrong kind of value (the admin form prevents it, imported data may
        # not): never decide on it, leave it to a caseworker.
        ctx.lines.append(
            Line(
                rule.id,
                None,
                rule_text,
                partial(_unchecked_text, rule.field),
                ctx.language,
                _rule_texts(rule),
            )
        )
        return None
    explain = partial(_describe, rule, actual, expected, reference, ctx.place_names)
    ctx.lines.append(Line(rule.id, passed, rule_text, explain, ctx.language, _rule_texts(rule)))
    return passed


def _label(field_name: str) -> str:
    return str(FIELD_LABELS.get(field_name, field_name))


def _missing_text(field_name: str) -> str:
    return _("%(field)s: not in your profile yet") % {"field": _label(field_name)}


def _unchecked_text(field_name: str) -> str:
    return _("%(field)s: this rule cannot be checked automatically") % {"field": _label(field_name)}


def _median_reference(rule: Rule, ctx: _Context) -> tuple[int | None, Callable[[], str]]:
    """The compared amount (None when it cannot be known) and the words saying where it comes from.

    The words are partials of module functions, not lambdas, so that an outcome can be pickled into the
    shared cache (programs.selectors.household_outcomes)."""
    year = rule.parameter_year or ctx.on.year
    size = rule.parameter_household_size or ctx.profile.get(Field.HOUSEHOLD_SIZE)
    if size is None or size == "":
        return None, _size_needed_text
    if not _is_number(size) or int(size) != size or size < 1:
        return None, partial(_unchecked_text, Field.HOUSEHOLD_SIZE)
    if not any(key[0] == year for key in ctx.medians):
        return None, partial(_median_unpublished_text, year)
    base = ctx.medians.get((year, size))
    if base is None:
        return None, partial(_median_missing_text, year, size)
    percent = rule.parameter_percent or 100
    # Round half up to the won, as the ministry's own tables do when they publish 50%/150% figures.
    amount = (base * percent + 50) // 100
    return amount, partial(_median_text, percent, year, size)


def _size_needed_text() -> str:
    return _("Household size is needed to compare with the standard median income")


def _median_unpublished_text(year: int) -> str:
    return _("The standard median income for %(year)s is not published yet") % {"year": year}


def _median_missing_text(year: int, size: int) -> str:
    return _("There is no %(year)s standard median income figure for %(size)s person(s)") % {
        "year": year,
        "size": size,
    }


def _median_text(percent: int, year: int, size: int) -> str:
    return _("%(percent)s%% of the %(year)s standard median income for %(size)s person(s)") % {
        "percent": percent,
        "year": year,
        "size": size,
    }


def _compare(field_name: str, operator: str, actual: Any, expected: Any) -> bool:
    """The comparison itself. Raises TypeError when the two sides are not of the kind the fact is."""
    if field_name in NUMERIC_FIELDS:
        limits = expected if operator in {Operator.BETWEEN, Operator.IN, Operator.NOT_IN} else [expected]
        if not _is_number(actual) or not isinstance(limits, list | tuple) or not all(map(_is_number, limits)):
            raise TypeError("numeric facts compare with numbers")
    match operator:
        case Operator.EQ:
            return actual == expected
        case Operator.NE:
            return actual != expected
        case Operator.LT:
            return actual < expected
        case Operator.LTE:
            return actual <= expected
        case Operator.GT:
            return actual > expected
        case Operator.GTE:
            return actual >= expected
        case Operator.BETWEEN:
            low, high = expected
            return low <= actual <= high
        case Operator.IN | Operator.NOT_IN:
            if not isinstance(expected, list | tuple):
                # "116" in "11620" is True for strings: a list is required, never a substring test.
                raise TypeError("in/not_in need a list")
            return (actual in expected) == (operator == Operator.IN)
        case Operator.IS_TRUE:
            return actual is True
        case Operator.IS_FALSE:
            return actual is False
    raise ValueError(f"unknown operator {operator!r}")


def _describe(
    rule: Rule,
    actual: Any,
    expected: Any,
    reference: Callable[[], str] | None,
    place_names: Mapping[str, str],
) -> str:
    """The comparison in words, e.g. "월 소득 2,900,000원 > 기준 2,392,013원"."""
    label = _label(rule.field)
    shown = _format_value(rule.field, actual, place_names)
    if rule.operator in NUMERIC_OPERATORS | {Operator.EQ, Operator.NE} and rule.field in NUMERIC_FIELDS:
        if rule.operator == Operator.BETWEEN:
            low, high = (_format_value(rule.field, v, place_names) for v in expected)
            text = _("%(field)s %(actual)s (required: %(low)s – %(high)s)") % {
                "field": label,
                "actual": shown,
                "low": low,
                "high": high,
            }
        else:
            relation = "<" if actual < expected else ">" if actual > expected else "="
            text = _("%(field)s %(actual)s %(relation)s limit %(expected)s") % {
                "field": label,
                "actual": shown,
                "relation": relation,
                "expected": _format_value(rule.field, expected, place_names),
            }
        return f"{text} ({reference()})" if reference else text
    if rule.operator in BOOLEAN_OPERATORS:
        required = _("yes") if rule.operator == Operator.IS_TRUE else _("no")
        return _("%(field)s: %(actual)s (required: %(expected)s)") % {
            "field": label,
            "actual": shown,
            "expected": required,
        }
    if rule.operator in {Operator.IN, Operator.NOT_IN}:
        options = ", ".join(_format_value(rule.field, v, place_names) for v in expected)
        template = (
            _("%(field)s: %(actual)s (required: one of %(expected)s)")
            if rule.operator == Operator.IN
            else _("%(field)s: %(actual)s (required: none of %(expected)s)")
        )
        return template % {"field": label, "actual": shown, "expected": options}
    template = (
        _("%(field)s: %(actual)s (required: %(expected)s)")
        if rule.operator == Operator.EQ
        else _("%(field)s: %(actual)s (required: not %(expected)s)")
    )
    return template % {
        "field": label,
        "actual": shown,
        "expected": _format_value(rule.field, expected, place_names),
    }


def _format_value(field_name: str, value: Any, place_names: Mapping[str, str]) -> str:
    if field_name == Field.MONTHLY_INCOME:
        return _("%(amount)s won") % {"amount": number_format(value, force_grouping=True)}
    if field_name == Field.AGE:
        return _("%(age)s years") % {"age": value}
    if field_name == Field.HOUSEHOLD_SIZE:
        return _("%(size)s person(s)") % {"size": value}
    if field_name in BOOLEAN_FIELDS:
        return _("yes") if value else _("no")
    if field_name in (Field.CITY, Field.DISTRICT):
        return place_names.get(str(value), str(value))
    choices = CHOICE_LABELS.get(field_name)
    if choices is not None:
        try:
            return str(choices(value).label)
        except ValueError:
            return str(value)
    return str(value)


def rule_problems(rule: Rule) -> list[str]:
    """Why a criterion cannot be evaluated as written (empty list: it can). Used by the admin form."""
    problems: list[str] = []
    op, value = rule.operator, rule.value
    if rule.field in BOOLEAN_FIELDS and op not in BOOLEAN_OPERATORS:
        problems.append(_("Yes/no facts take the operators “is yes” or “is no”."))
    if rule.field not in BOOLEAN_FIELDS and op in BOOLEAN_OPERATORS:
        problems.append(_("“is yes” and “is no” only apply to yes/no facts."))
    if rule.field in CHOICE_FIELDS and op in NUMERIC_OPERATORS:
        problems.append(_("This fact is not a number: use =, ≠, one of or none of."))
    if rule.parameter == Parameter.MEDIAN_INCOME:
        if rule.field != Field.MONTHLY_INCOME:
            problems.append(_("The median-income parameter only applies to monthly income."))
        if op not in NUMERIC_OPERATORS - {Operator.BETWEEN}:
            problems.append(_("Compare income with the median using <, ≤, > or ≥."))
        if not rule.parameter_percent:
            problems.append(_("Give the percentage of the median income."))
        return problems
    if op in BOOLEAN_OPERATORS:
        return problems
    if op == Operator.BETWEEN:
        if not (isinstance(value, list) and len(value) == 2 and all(_is_number(v) for v in value)):
            problems.append(_("“between” takes two numbers, e.g. [19, 39]."))
        elif value[0] > value[1]:
            problems.append(_("The lower bound must not exceed the upper bound."))
    elif op in {Operator.IN, Operator.NOT_IN}:
        if not (isinstance(value, list) and value):
            problems.append(_('“one of” and “none of” take a list, e.g. ["jeonse", "monthly_rent"].'))
    elif value is None or isinstance(value, list | dict):
        problems.append(_("Give a single value to compare with."))
    elif rule.field in NUMERIC_FIELDS and not _is_number(value):
        problems.append(_("This fact is a number: give a number."))
    return problems


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
