"""The eligibility engine compiled to one SQL condition over the household table.

programs.eligibility judges one profile in Python; finding every household a program's rules let in
("who may qualify": outreach, counts for a program manager) would mean loading every household. Here a
rule tree becomes two Django conditions over `Household`: `passes` (the engine says eligible) and
`fails` (it says ineligible); a household matching neither needs more information. The verdicts are
exactly the engine's, NULLs and odd rules included; tests/programs/test_eligibility_sql_equivalence.py
proves it against the Python engine on random trees and households.

How: each criterion yields a (pass, fail) pair of conditions, both false where the engine answers
"unknown" (a missing fact, an unpublished median figure, a rule of the wrong kind). Groups combine
with Kleene logic: ALL passes when every part passes and fails when one fails; ANY passes when one
part passes (an empty ANY passes) and fails when every part fails. No condition is ever NULL: each
criterion's conditions are guarded by "the fact is known", so negations inside them are safe.

Facts become columns: age (만 나이) as a range of birth dates, city and district codes as the set of
districts they select (a subquery), the median-income parameter as one branch per household size in
the median table (the amount of each branch is computed by the engine's own code, so the rounding is
the same).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import CharField, F, Func, Q, QuerySet, Value
from django.db.models.expressions import Case, When
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual, LessThan, LessThanOrEqual

from households.models import Household
from portal.models import District

from .eligibility import (
    BOOLEAN_FIELDS,
    Group,
    MedianTable,
    Rule,
    Verdict,
    _compare,
    _Context,
    _median_reference,
)
from .models import Field, Logic, Operator, Parameter

__all__ = ["Compiled", "compile_tree", "eligible_households"]

# A condition while compiling: a constant (folded away) or a Django Q.
Cond = bool | Q

# The range of any integer SQLite or PostgreSQL can store: thresholds outside it are decided here
# (SQLite cannot even bind a larger Python int).
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1

_STRING_COLUMNS = {
    Field.GENDER: "gender",
    Field.HOUSING_TENURE: "housing_tenure",
    Field.EMPLOYMENT: "employment",
    Field.INCOME_SUPPORT: "income_support",
}
# Place codes are columns of District (and its City): conditions on them select districts, and a
# household matches when its district is one of them (a small subquery, not a join on every row).
_PLACE_COLUMNS = {Field.CITY: "city__code", Field.DISTRICT: "code"}
_INTEGER_COLUMNS = {Field.HOUSEHOLD_SIZE: "household_size", Field.MONTHLY_INCOME: "monthly_income"}
_BOOLEAN_COLUMNS = {field: str(field) for field in BOOLEAN_FIELDS}


@dataclass(frozen=True)
class Compiled:
    """A rule tree as conditions over `Household` (usable in filter(), exclude() and When())."""

    passes: Q  # households the engine finds eligible
    fails: Q  # households the engine finds ineligible; needs_info is neither

    def verdict(self) -> Case:
        """An annotation giving each household's Verdict value ("eligible", "ineligible", "needs_info")."""
        return Case(
            When(self.passes, then=Value(Verdict.ELIGIBLE.value)),
            When(self.fails, then=Value(Verdict.INELIGIBLE.value)),
            default=Value(Verdict.NEEDS_INFO.value),
            output_field=CharField(),
        )


def compile_tree(tree: Group | None, *, on: date, medians: MedianTable) -> Compiled:
    """The conditions selecting the households `evaluate(tree, profile, medians=medians, on=on)` finds
    eligible and ineligible. No tree: everyone is eligible, as in the engine."""
    if tree is None:
        return Compiled(_q(True), _q(False))
    passes, fails = _group(tree, _Compiler(on, medians))
    return Compiled(_q(passes), _q(fails))


def eligible_households(
    tree: Group | None, *, on: date, medians: MedianTable, queryset: QuerySet[Household] | None = None
) -> QuerySet[Household]:
    """The households (of `queryset`, default all) the engine finds eligible on day `on`."""
    households = Household.objects.all() if queryset is None else queryset
    return households.filter(compile_tree(tree, on=on, medians=medians).passes)


# --- conditions -----------------------------------------------------------------------------------


def _q(cond: Cond) -> Q:
    if cond is True:
        return ~Q(pk__in=[])  # Django omits an always-true condition (FullResultSet)
    if cond is False:
        return Q(pk__in=[])  # ... and answers an always-false one without a query (EmptyResultSet)
    return cond


def _and(*parts: Cond) -> Cond:
    result: Cond = True
    for part in parts:
        if part is False:
            return False
        if part is not True:
            result = part if result is True else result & part
    return result


def _or(*parts: Cond) -> Cond:
    result: Cond = False
    for part in parts:
        if part is True:
            return True
        if part is not False:
            result = part if result is False else result | part
    return result


def _not(cond: Cond) -> Cond:
    return (not cond) if isinstance(cond, bool) else ~cond


Pair = tuple[Cond, Cond]  # (passes, fails)
UNKNOWN: Pair = (False, False)


@dataclass(frozen=True)
class _Compiler:
    on: date
    medians: MedianTable

    def sizes(self) -> set[int]:
        """Household sizes the median table has a figure for (any year): other sizes are unknown."""
        found = set()
        for key in self.medians:
            size = key[1]
            if isinstance(size, int) and not isinstance(size, bool):
                found.add(size)
            elif isinstance(size, float) and size.is_integer():
                found.add(int(size))
        return found


def _group(group: Group, compiler: _Compiler) -> Pair:
    results = [_rule(rule, compiler) for rule in group.rules]
    results += [_group(child, compiler) for child in group.groups]
    if group.logic == Logic.ANY:
        if not results:
            return True, False
        return _or(*(p for p, _ in results)), _and(*(f for _, f in results))
    return _and(*(p for p, _ in results)), _or(*(f for _, f in results))


def _rule(rule: Rule, compiler: _Compiler) -> Pair:
    if rule.parameter != Parameter.MEDIAN_INCOME:
        return _criterion(rule.field, rule.operator, rule.value, compiler)
    if rule.parameter_household_size:
        # A fixed size: one amount (or none) for every household.
        expected = _median_amount(rule, compiler, None)
        if expected is None:
            return UNKNOWN
        return _criterion(rule.field, rule.operator, expected, compiler)
    # The household's own size: one branch per size the table knows; other sizes (and 0) are unknown.
    passes: list[Cond] = []
    fails: list[Cond] = []
    for size in sorted(compiler.sizes()):
        expected = _median_amount(rule, compiler, size)
        if expected is None:
            continue
        passed, failed = _criterion(rule.field, rule.operator, expected, compiler)
        same_size = Q(household_size=size)
        passes.append(_and(same_size, passed))
        fails.append(_and(same_size, failed))
    return _or(*passes), _or(*fails)


def _median_amount(rule: Rule, compiler: _Compiler, size: int | None) -> Any:
    """The engine's own figure (its year, size and rounding rules) for a household of `size`."""
    profile = {} if size is None else {Field.HOUSEHOLD_SIZE: size}
    context = _Context(profile, compiler.medians, compiler.on, {}, False, None)
    expected, _reference = _median_reference(rule, context)
    return expected


def _criterion(field: str, operator: str, expected: Any, compiler: _Compiler) -> Pair:
    """One comparison of a fact with a constant, as the engine's _compare does it."""
    if field == Field.AGE:
        return _numeric(operator, expected, field, _Age(compiler.on), known=True)
    if field in _INTEGER_COLUMNS:
        column = _INTEGER_COLUMNS[field]
        known: Cond = True if field == Field.HOUSEHOLD_SIZE else Q(**{f"{column}__isnull": False})
        return _numeric(operator, expected, field, _IntegerColumn(column), known=known)
    if field in _BOOLEAN_COLUMNS:
        return _boolean(field, operator, expected, _BOOLEAN_COLUMNS[field])
    if field in _STRING_COLUMNS:
        return _string(operator, expected, _STRING_COLUMNS[field])
    if field in _PLACE_COLUMNS:
        passed, failed = _string(operator, expected, _PLACE_COLUMNS[field])
        return _in_districts(passed), _in_districts(failed)
    return UNKNOWN  # not a fact of the profile: the engine finds it missing


def _guarded(known: Cond, passed: Cond, failed: Cond) -> Pair:
    return _and(known, passed), _and(known, failed)


# --- numbers: age, household size, monthly income -------------------------------------------------


class _IntegerColumn:
    """An integer column compared with integer thresholds."""

    def __init__(self, column: str) -> None:
        self.column = column

    def at_least(self, k: int) -> Cond:
        if k <= _INT_MIN:
            return True
        if k > _INT_MAX:
            return False
        return Q(**{f"{self.column}__gte": k})

    def at_most(self, k: int) -> Cond:
        if k >= _INT_MAX:
            return True
        if k < _INT_MIN:
            return False
        return Q(**{f"{self.column}__lte": k})

    def equal(self, k: int) -> Cond:
        if not _INT_MIN <= k <= _INT_MAX:
            return False
        return Q(**{self.column: k})


class _Age:
    """만 나이 on a day, as birth-date bounds (Household.age_on): age ≥ n ⇔ born on or before the day n
    years earlier, where a 29 February that year does not have is read as the 28th (nobody is born
    between the 28th and 1 March)."""

    def __init__(self, on: date) -> None:
        self.on = on

    def _cutoff(self, years: int) -> date | bool:
        """The last birth date of those aged `years` or more (True: everyone, False: nobody)."""
        year = self.on.year - years
        if year < date.min.year:
            return False
        if year > date.max.year:
            return True
        try:
            return self.on.replace(year=year)
        except ValueError:  # 29 February in a common year
            return date(year, 2, 28)

    def at_least(self, k: int) -> Cond:
        cutoff = self._cutoff(k)
        return cutoff if isinstance(cutoff, bool) else Q(birth_date__lte=cutoff)

    def at_most(self, k: int) -> Cond:  # not (age >= k + 1)
        cutoff = self._cutoff(k + 1)
        return (not cutoff) if isinstance(cutoff, bool) else Q(birth_date__gt=cutoff)

    def equal(self, k: int) -> Cond:
        return _and(self.at_least(k), self.at_most(k))


def age_range(on: date, low: int | None, high: int | None) -> Q:
    """Households aged `low` to `high` (inclusive; None: open) on `on`, 만 나이 as the engine counts it:
    the life stages the impact preview counts by use the same bounds as the rules."""
    age, condition = _Age(on), True
    if low is not None:
        condition = _and(condition, age.at_least(low))
    if high is not None:
        condition = _and(condition, age.at_most(high))
    return _q(condition)


def _ge(fact: _IntegerColumn | _Age, x: float) -> Cond:  # fact >= x
    if isinstance(x, float):
        if math.isnan(x):
            return False
        if math.isinf(x):
            return x < 0
        return fact.at_least(math.ceil(x))
    return fact.at_least(x)


def _gt(fact: _IntegerColumn | _Age, x: float) -> Cond:  # fact > x
    if isinstance(x, float):
        if math.isnan(x):
            return False
        if math.isinf(x):
            return x < 0
        return fact.at_least(math.floor(x) + 1)
    return fact.at_least(x + 1)


def _le(fact: _IntegerColumn | _Age, x: float) -> Cond:  # fact <= x
    if isinstance(x, float):
        if math.isnan(x):
            return False
        if math.isinf(x):
            return x > 0
        return fact.at_most(math.floor(x))
    return fact.at_most(x)


def _lt(fact: _IntegerColumn | _Age, x: float) -> Cond:  # fact < x
    if isinstance(x, float):
        if math.isnan(x):
            return False
        if math.isinf(x):
            return x > 0
        return fact.at_most(math.ceil(x) - 1)
    return fact.at_most(x - 1)


def _eq(fact: _IntegerColumn | _Age, x: float) -> Cond:  # fact == x
    if isinstance(x, float):
        if not x.is_integer():  # also NaN and infinities
            return False
        x = int(x)
    return fact.equal(x)


def _numeric(operator: str, expected: Any, field: str, fact: _IntegerColumn | _Age, *, known: Cond) -> Pair:
    try:
        # Whether the engine refuses the rule (a value of the wrong kind, a "between" without two
        # bounds, an unknown operator) does not depend on the household's number: ask it once.
        _compare(field, operator, 0, expected)
    except (TypeError, ValueError):
        return UNKNOWN
    passed: Cond
    if operator == Operator.EQ:
        passed = _eq(fact, expected)
    elif operator == Operator.NE:
        passed = _not(_eq(fact, expected))
    elif operator == Operator.LT:
        passed = _lt(fact, expected)
    elif operator == Operator.LTE:
        passed = _le(fact, expected)
    elif operator == Operator.GT:
        passed = _gt(fact, expected)
    elif operator == Operator.GTE:
        passed = _ge(fact, expected)
    elif operator == Operator.BETWEEN:
        low, high = expected
        passed = _and(_ge(fact, low), _le(fact, high))
    elif operator in (Operator.IN, Operator.NOT_IN):
        among = _or(*(_eq(fact, value) for value in expected))
        passed = among if operator == Operator.IN else _not(among)
    else:  # is yes / is no: a number is never True nor False
        passed = False
    return _guarded(known, passed, _not(passed))


# --- yes/no facts ---------------------------------------------------------------------------------


def _boolean(field: str, operator: str, expected: Any, column: str) -> Pair:
    """Two possible answers: ask the engine about each (NULL is unknown, as a missing fact)."""
    passes: list[Cond] = []
    fails: list[Cond] = []
    for answer in (True, False):
        try:
            passed = _compare(field, operator, answer, expected)
        except (TypeError, ValueError):
            continue
        (passes if passed is True else fails).append(Q(**{column: answer}))
    return _or(*passes), _or(*fails)


# --- choices and place codes ----------------------------------------------------------------------


class _CodePointOrder(Func):
    """A text column ordered as Python orders str (by code point), not by the database's locale.

    SQLite's default collation (BINARY) already compares UTF-8 bytes, i.e. code points; PostgreSQL's
    database collation may be a language's order, so its comparisons use the "C" collation.
    """

    template = "%(expressions)s"
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template='(%(expressions)s) COLLATE "C"', **extra_context)


_ORDERINGS = {
    Operator.LT: LessThan,
    Operator.LTE: LessThanOrEqual,
    Operator.GT: GreaterThan,
    Operator.GTE: GreaterThanOrEqual,
}


def _ordered(column: str, lookup: type, bound: str) -> Q:
    condition = lookup(_CodePointOrder(F(column)), Value(bound, output_field=CharField()))
    return Q(condition)


def _string(operator: str, expected: Any, column: str) -> Pair:
    known = _not(Q(**{column: ""}))  # blank answers are missing facts (the columns are NOT NULL)
    passed: Cond
    if operator in (Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN):
        if operator in (Operator.EQ, Operator.NE):
            options = [expected]
        elif isinstance(expected, list | tuple):
            options = list(expected)
        else:
            return UNKNOWN  # in/not_in need a list
        # Only non-empty texts can equal a known answer, and matching one implies it is known.
        texts = _unique(value for value in options if isinstance(value, str) and value)
        among: Cond = False
        if len(texts) == 1:
            among = Q(**{column: texts[0]})
        elif texts:
            among = Q(**{f"{column}__in": texts})
        if operator in (Operator.EQ, Operator.IN):
            return among, _and(known, _not(among))
        return _and(known, _not(among)), among
    elif operator in _ORDERINGS:
        if not isinstance(expected, str):
            return UNKNOWN  # str < number: TypeError in the engine
        passed = _ordered(column, _ORDERINGS[operator], expected)
    elif operator == Operator.BETWEEN:
        try:
            low, high = expected
        except (TypeError, ValueError):
            return UNKNOWN
        # `low <= actual <= high` stops at the first false comparison: a bound of the wrong kind is
        # an error only for the values that reach it.
        if not isinstance(low, str):
            return UNKNOWN
        above_low = _ordered(column, GreaterThanOrEqual, low)
        if not isinstance(high, str):
            return _guarded(known, False, _not(above_low))
        below_high = _ordered(column, LessThanOrEqual, high)
        return _guarded(
            known, _and(above_low, below_high), _or(_not(above_low), _and(above_low, _not(below_high)))
        )
    elif operator in (Operator.IS_TRUE, Operator.IS_FALSE):
        passed = False  # a text is never True nor False
    else:
        return UNKNOWN  # unknown operator: ValueError in the engine
    return _guarded(known, passed, _not(passed))


def _in_districts(cond: Cond) -> Cond:
    if isinstance(cond, bool):
        return cond  # every household has a district
    return Q(district_id__in=District.objects.filter(cond).values("pk"))


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))
