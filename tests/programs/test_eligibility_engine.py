"""Table-driven tests of the pure eligibility engine (programs.eligibility).

No database: the engine works on frozen dataclasses, a median-income mapping and a date. Texts are
checked in both languages on what does not depend on the Korean catalogue (numbers, symbols, place
names); English wording is only asserted under override("en"), where the source strings are shown.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils.translation import override

from programs.eligibility import Group, Outcome, Rule, Verdict, evaluate, rule_problems
from programs.models import Field, Logic, Operator, Parameter

ON = date(2025, 6, 1)
# 기준중위소득 as published by the Ministry of Health and Welfare (monthly, won).
MEDIANS = {
    (2024, 1): 2_228_445,
    (2024, 2): 3_682_609,
    (2025, 1): 2_392_013,
    (2025, 2): 3_932_658,
    (2025, 3): 5_025_353,
}
GWANAK = "11620"
YEONGDEUNGPO = "11560"
SEOUL = "11"
BUSAN = "26"
PLACES = {GWANAK: "관악구", YEONGDEUNGPO: "영등포구", SEOUL: "서울특별시", BUSAN: "부산광역시"}

LANGUAGES = pytest.mark.parametrize("language, english", [("ko", False), ("en", True)], ids=["ko", "en"])


def run(tree: Group | None, profile: dict, *, on: date = ON, medians=MEDIANS, **kwargs) -> Outcome:
    return evaluate(tree, profile, medians=medians, on=on, **kwargs)


def one(rule: Rule) -> Group:
    return Group(rules=(rule,))


def median_rule(operator=Operator.LTE, percent=150, **kwargs) -> Rule:
    return Rule(
        Field.MONTHLY_INCOME,
        operator,
        parameter=Parameter.MEDIAN_INCOME,
        parameter_percent=percent,
        **kwargs,
    )


def half_up(base: int, percent: int) -> int:
    """The ministry's rounding, computed independently of the engine's integer formula."""
    return int((Decimal(base) * percent / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Every operator on every kind of field ------------------------------------------------------------


def op_case(field, operator, value, actual, passed, note=""):
    if isinstance(value, list):
        shown = ("..".join if operator == Operator.BETWEEN else "|".join)(str(v) for v in value)
    else:
        shown = "" if value is None else str(value)
    parts = [str(field), str(operator), shown, f"given-{actual}", "passes" if passed else "fails", note]
    return pytest.param(field, operator, value, actual, passed, id="-".join(p for p in parts if p))


OPERATOR_CASES = [
    # numeric: age
    op_case(Field.AGE, Operator.EQ, 30, 30, True),
    op_case(Field.AGE, Operator.EQ, 30, 31, False),
    op_case(Field.AGE, Operator.NE, 30, 31, True),
    op_case(Field.AGE, Operator.NE, 30, 30, False),
    op_case(Field.AGE, Operator.LT, 40, 39, True),
    op_case(Field.AGE, Operator.LT, 40, 40, False, "at-limit"),
    op_case(Field.AGE, Operator.LTE, 39, 39, True, "at-limit"),
    op_case(Field.AGE, Operator.LTE, 39, 40, False),
    op_case(Field.AGE, Operator.GT, 18, 19, True),
    op_case(Field.AGE, Operator.GT, 18, 18, False, "at-limit"),
    op_case(Field.AGE, Operator.GTE, 19, 19, True, "at-limit"),
    op_case(Field.AGE, Operator.GTE, 19, 18, False),
    op_case(Field.AGE, Operator.BETWEEN, [19, 39], 19, True, "low-bound-inclusive"),
    op_case(Field.AGE, Operator.BETWEEN, [19, 39], 39, True, "high-bound-inclusive"),
    op_case(Field.AGE, Operator.BETWEEN, [19, 39], 25, True),
    op_case(Field.AGE, Operator.BETWEEN, [19, 39], 18, False, "below"),
    op_case(Field.AGE, Operator.BETWEEN, [19, 39], 40, False, "above"),
    op_case(Field.AGE, Operator.BETWEEN, [65, 65], 65, True, "single-point"),
    op_case(Field.AGE, Operator.IN, [19, 20], 20, True),
    op_case(Field.AGE, Operator.IN, [19, 20], 21, False),
    op_case(Field.AGE, Operator.NOT_IN, [19, 20], 21, True),
    op_case(Field.AGE, Operator.NOT_IN, [19, 20], 19, False),
    # numeric: household size
    op_case(Field.HOUSEHOLD_SIZE, Operator.EQ, 1, 1, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.EQ, 1, 2, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.NE, 1, 2, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.NE, 1, 1, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.LT, 3, 2, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.LT, 3, 3, False, "at-limit"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.LTE, 2, 2, True, "at-limit"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.LTE, 2, 3, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.GT, 1, 2, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.GT, 1, 1, False, "at-limit"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.GTE, 2, 2, True, "at-limit"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.GTE, 2, 1, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.BETWEEN, [1, 2], 1, True, "low-bound-inclusive"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.BETWEEN, [1, 2], 2, True, "high-bound-inclusive"),
    op_case(Field.HOUSEHOLD_SIZE, Operator.BETWEEN, [1, 2], 3, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.IN, [1, 2], 2, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.IN, [1, 2], 3, False),
    op_case(Field.HOUSEHOLD_SIZE, Operator.NOT_IN, [1], 2, True),
    op_case(Field.HOUSEHOLD_SIZE, Operator.NOT_IN, [1], 1, False),
    # numeric: monthly income (fixed amounts; the median parameter has its own section)
    op_case(Field.MONTHLY_INCOME, Operator.EQ, 0, 0, True, "zero-is-a-fact"),
    op_case(Field.MONTHLY_INCOME, Operator.EQ, 0, 1, False),
    op_case(Field.MONTHLY_INCOME, Operator.NE, 0, 1, True),
    op_case(Field.MONTHLY_INCOME, Operator.NE, 0, 0, False),
    op_case(Field.MONTHLY_INCOME, Operator.LT, 2_000_000, 1_999_999, True),
    op_case(Field.MONTHLY_INCOME, Operator.LT, 2_000_000, 2_000_000, False, "at-limit"),
    op_case(Field.MONTHLY_INCOME, Operator.LT, 2_000_000, 0, True, "zero-income"),
    op_case(Field.MONTHLY_INCOME, Operator.LTE, 2_000_000, 2_000_000, True, "at-limit"),
    op_case(Field.MONTHLY_INCOME, Operator.LTE, 2_000_000, 2_000_001, False),
    op_case(Field.MONTHLY_INCOME, Operator.GT, 1_000_000, 1_000_001, True),
    op_case(Field.MONTHLY_INCOME, Operator.GT, 1_000_000, 1_000_000, False, "at-limit"),
    op_case(Field.MONTHLY_INCOME, Operator.GTE, 1_000_000, 1_000_000, True, "at-limit"),
    op_case(Field.MONTHLY_INCOME, Operator.GTE, 1_000_000, 999_999, False),
    op_case(Field.MONTHLY_INCOME, Operator.BETWEEN, [1_000_000, 2_000_000], 1_000_000, True, "low-bound"),
    op_case(Field.MONTHLY_INCOME, Operator.BETWEEN, [1_000_000, 2_000_000], 2_000_000, True, "high-bound"),
    op_case(Field.MONTHLY_INCOME, Operator.BETWEEN, [1_000_000, 2_000_000], 999_999, False, "below"),
    op_case(Field.MONTHLY_INCOME, Operator.BETWEEN, [1_000_000, 2_000_000], 2_000_001, False, "above"),
    # choice: gender
    op_case(Field.GENDER, Operator.EQ, "female", "female", True),
    op_case(Field.GENDER, Operator.EQ, "female", "male", False),
    op_case(Field.GENDER, Operator.NE, "male", "female", True),
    op_case(Field.GENDER, Operator.NE, "male", "male", False),
    op_case(Field.GENDER, Operator.IN, ["female", "no_answer"], "no_answer", True),
    op_case(Field.GENDER, Operator.IN, ["female", "no_answer"], "male", False),
    op_case(Field.GENDER, Operator.NOT_IN, ["male"], "female", True),
    op_case(Field.GENDER, Operator.NOT_IN, ["male"], "male", False),
    # choice: housing tenure
    op_case(Field.HOUSING_TENURE, Operator.EQ, "public_rental", "public_rental", True),
    op_case(Field.HOUSING_TENURE, Operator.EQ, "public_rental", "owned", False),
    op_case(Field.HOUSING_TENURE, Operator.NE, "owned", "jeonse", True),
    op_case(Field.HOUSING_TENURE, Operator.NE, "owned", "owned", False),
    op_case(Field.HOUSING_TENURE, Operator.IN, ["jeonse", "monthly_rent"], "monthly_rent", True),
    op_case(Field.HOUSING_TENURE, Operator.IN, ["jeonse", "monthly_rent"], "owned", False),
    op_case(Field.HOUSING_TENURE, Operator.NOT_IN, ["owned"], "jeonse", True),
    op_case(Field.HOUSING_TENURE, Operator.NOT_IN, ["owned"], "owned", False),
    # choice: district code
    op_case(Field.DISTRICT, Operator.EQ, GWANAK, GWANAK, True),
    op_case(Field.DISTRICT, Operator.EQ, GWANAK, YEONGDEUNGPO, False),
    op_case(Field.DISTRICT, Operator.NE, GWANAK, YEONGDEUNGPO, True),
    op_case(Field.DISTRICT, Operator.NE, GWANAK, GWANAK, False),
    op_case(Field.DISTRICT, Operator.IN, [GWANAK, YEONGDEUNGPO], YEONGDEUNGPO, True),
    op_case(Field.DISTRICT, Operator.IN, [GWANAK, YEONGDEUNGPO], "11680", False),
    op_case(Field.DISTRICT, Operator.NOT_IN, [GWANAK], YEONGDEUNGPO, True),
    op_case(Field.DISTRICT, Operator.NOT_IN, [GWANAK], GWANAK, False),
    # choice: city code
    op_case(Field.CITY, Operator.EQ, SEOUL, SEOUL, True),
    op_case(Field.CITY, Operator.EQ, SEOUL, BUSAN, False),
    op_case(Field.CITY, Operator.NE, SEOUL, BUSAN, True),
    op_case(Field.CITY, Operator.NE, SEOUL, SEOUL, False),
    op_case(Field.CITY, Operator.IN, [SEOUL, "41"], "41", True),
    op_case(Field.CITY, Operator.IN, [SEOUL, "41"], BUSAN, False),
    op_case(Field.CITY, Operator.NOT_IN, [SEOUL], BUSAN, True),
    op_case(Field.CITY, Operator.NOT_IN, [SEOUL], SEOUL, False),
    # choice: employment
    op_case(Field.EMPLOYMENT, Operator.EQ, "job_seeking", "job_seeking", True),
    op_case(Field.EMPLOYMENT, Operator.EQ, "job_seeking", "employed", False),
    op_case(Field.EMPLOYMENT, Operator.NE, "employed", "student", True),
    op_case(Field.EMPLOYMENT, Operator.NE, "employed", "employed", False),
    op_case(Field.EMPLOYMENT, Operator.IN, ["job_seeking", "student"], "student", True),
    op_case(Field.EMPLOYMENT, Operator.IN, ["job_seeking", "student"], "retired", False),
    op_case(Field.EMPLOYMENT, Operator.NOT_IN, ["employed", "self_employed"], "job_seeking", True),
    op_case(Field.EMPLOYMENT, Operator.NOT_IN, ["employed", "self_employed"], "self_employed", False),
    # choice: income support
    op_case(Field.INCOME_SUPPORT, Operator.EQ, "none", "none", True),
    op_case(Field.INCOME_SUPPORT, Operator.EQ, "none", "near_poverty", False),
    op_case(Field.INCOME_SUPPORT, Operator.NE, "none", "basic_livelihood", True),
    op_case(Field.INCOME_SUPPORT, Operator.NE, "none", "none", False),
    op_case(Field.INCOME_SUPPORT, Operator.IN, ["basic_livelihood", "near_poverty"], "near_poverty", True),
    op_case(Field.INCOME_SUPPORT, Operator.IN, ["basic_livelihood", "near_poverty"], "none", False),
    op_case(Field.INCOME_SUPPORT, Operator.NOT_IN, ["basic_livelihood"], "none", True),
    op_case(Field.INCOME_SUPPORT, Operator.NOT_IN, ["basic_livelihood"], "basic_livelihood", False),
    # boolean facts
    op_case(Field.CRIME_VICTIM, Operator.IS_TRUE, None, True, True),
    op_case(Field.CRIME_VICTIM, Operator.IS_TRUE, None, False, False, "false-is-a-fact"),
    op_case(Field.CRIME_VICTIM, Operator.IS_FALSE, None, False, True, "false-is-a-fact"),
    op_case(Field.CRIME_VICTIM, Operator.IS_FALSE, None, True, False),
    op_case(Field.SINGLE_PARENT, Operator.IS_TRUE, None, True, True),
    op_case(Field.SINGLE_PARENT, Operator.IS_TRUE, None, False, False),
    op_case(Field.SINGLE_PARENT, Operator.IS_FALSE, None, False, True),
    op_case(Field.SINGLE_PARENT, Operator.IS_FALSE, None, True, False),
    op_case(Field.DISABILITY, Operator.IS_TRUE, None, True, True),
    op_case(Field.DISABILITY, Operator.IS_TRUE, None, False, False),
    op_case(Field.DISABILITY, Operator.IS_FALSE, None, False, True),
    op_case(Field.DISABILITY, Operator.IS_FALSE, None, True, False),
]


@LANGUAGES
@pytest.mark.parametrize("field, operator, value, actual, passed", OPERATOR_CASES)
def test_operator(field, operator, value, actual, passed, language, english):
    rule = Rule(field, operator, value, explanation="설명", explanation_en="explanation", id=11)
    assert rule_problems(rule) == [], "the table only holds rules the admin form accepts"
    with override(language):
        outcome = run(one(rule), {field: actual}, place_names=PLACES, english=english)
    assert outcome.verdict == (Verdict.ELIGIBLE if passed else Verdict.INELIGIBLE)
    assert outcome.eligible is passed
    [line] = outcome.lines
    assert line.passed is passed
    assert line.criterion_id == 11
    assert isinstance(line.comparison, str)
    assert line.comparison
    assert outcome.missing == ()


def test_operator_table_covers_every_operator_and_field_both_ways():
    cases = [p.values for p in OPERATOR_CASES]
    assert {(op, passed) for _, op, _, _, passed in cases} == {
        (op, b) for op in Operator for b in (True, False)
    }
    assert {(field, passed) for field, _, _, _, passed in cases} == {
        (f, b) for f in Field for b in (True, False)
    }


# --- AND / OR with three-valued logic ---------------------------------------------------------------

# With PROFILE below: PASS(...) passes, FAIL(...) fails, UNKNOWN(...) is unknown (fact not given).
PROFILE = {"age": 30, "gender": "male"}


def PASS(i: int) -> Rule:  # noqa: N802 - reads like a truth value in the tables
    return Rule(Field.AGE, Operator.GTE, 19, id=i)


def FAIL(i: int) -> Rule:  # noqa: N802
    return Rule(Field.GENDER, Operator.EQ, "female", id=i)


def UNKNOWN(i: int) -> Rule:  # noqa: N802
    return Rule(Field.CRIME_VICTIM, Operator.IS_TRUE, id=i)


def ALL(*rules: Rule, groups: tuple[Group, ...] = ()) -> Group:  # noqa: N802
    return Group(Logic.ALL, tuple(rules), groups)


def ANY(*rules: Rule, groups: tuple[Group, ...] = ()) -> Group:  # noqa: N802
    return Group(Logic.ANY, tuple(rules), groups)


LOGIC_CASES = [
    pytest.param(ALL(PASS(1), PASS(2)), Verdict.ELIGIBLE, id="all-pass-pass-eligible"),
    pytest.param(ALL(PASS(1), FAIL(2)), Verdict.INELIGIBLE, id="all-pass-fail-ineligible"),
    pytest.param(ALL(UNKNOWN(1), FAIL(2)), Verdict.INELIGIBLE, id="all-fail-beats-unknown-ineligible"),
    pytest.param(
        ALL(FAIL(1), UNKNOWN(2), PASS(3)), Verdict.INELIGIBLE, id="all-fail-unknown-pass-ineligible"
    ),
    pytest.param(ALL(PASS(1), UNKNOWN(2)), Verdict.NEEDS_INFO, id="all-unknown-no-fail-needs-info"),
    pytest.param(ALL(UNKNOWN(1)), Verdict.NEEDS_INFO, id="all-only-unknown-needs-info"),
    pytest.param(ANY(PASS(1), UNKNOWN(2)), Verdict.ELIGIBLE, id="any-pass-unknown-eligible"),
    pytest.param(ANY(FAIL(1), PASS(2)), Verdict.ELIGIBLE, id="any-fail-pass-eligible"),
    pytest.param(ANY(UNKNOWN(1), FAIL(2)), Verdict.NEEDS_INFO, id="any-unknown-fail-needs-info"),
    pytest.param(ANY(FAIL(1), FAIL(2)), Verdict.INELIGIBLE, id="any-all-fail-ineligible"),
    pytest.param(ANY(UNKNOWN(1), UNKNOWN(2)), Verdict.NEEDS_INFO, id="any-all-unknown-needs-info"),
    pytest.param(ALL(), Verdict.ELIGIBLE, id="empty-all-eligible"),
    pytest.param(ANY(), Verdict.ELIGIBLE, id="empty-any-eligible"),
    pytest.param(ALL(PASS(1), groups=(ALL(),)), Verdict.ELIGIBLE, id="all-with-empty-subgroup-eligible"),
    pytest.param(
        ALL(PASS(1), groups=(ANY(FAIL(2), FAIL(3)),)),
        Verdict.INELIGIBLE,
        id="all-with-failing-any-ineligible",
    ),
    pytest.param(
        ALL(PASS(1), groups=(ANY(UNKNOWN(2), FAIL(3)),)),
        Verdict.NEEDS_INFO,
        id="all-with-unknown-any-needs-info",
    ),
    pytest.param(
        ANY(FAIL(1), groups=(ALL(PASS(2), UNKNOWN(3)),)),
        Verdict.NEEDS_INFO,
        id="any-with-unknown-all-needs-info",
    ),
    pytest.param(
        ANY(UNKNOWN(1), groups=(ALL(PASS(2), PASS(3)),)), Verdict.ELIGIBLE, id="any-with-passing-all-eligible"
    ),
    pytest.param(
        ANY(groups=(ALL(PASS(1), FAIL(2)), ALL(FAIL(3), UNKNOWN(4)))),
        Verdict.INELIGIBLE,
        id="any-of-two-failing-alls-ineligible",
    ),
    pytest.param(
        ALL(PASS(1), groups=(ANY(FAIL(2), groups=(ALL(PASS(3), PASS(4)),)),)),
        Verdict.ELIGIBLE,
        id="all-any-all-deep-eligible",
    ),
    pytest.param(
        ALL(PASS(1), groups=(ANY(UNKNOWN(2), groups=(ALL(PASS(3), FAIL(4)),)),)),
        Verdict.NEEDS_INFO,
        id="all-any-all-deep-needs-info",
    ),
    pytest.param(
        ALL(groups=(ANY(FAIL(1)), ANY(UNKNOWN(2)))),
        Verdict.INELIGIBLE,
        id="all-of-groups-fail-beats-unknown",
    ),
]


@pytest.mark.parametrize("tree, verdict", LOGIC_CASES)
def test_three_valued_logic(tree, verdict):
    assert run(tree, PROFILE).verdict == verdict


def test_tree_none_is_eligible_without_lines():
    outcome = run(None, {}, rule_version=4)
    assert outcome.verdict == Verdict.ELIGIBLE
    assert outcome.lines == ()
    assert outcome.rule_version == 4


# The Yeongdeungpo safety-kit rule: district = 11560 AND (female single-person household
# OR (single parent AND female) OR crime victim of any gender).
YEONGDEUNGPO_KIT = ALL(
    Rule(Field.DISTRICT, Operator.EQ, YEONGDEUNGPO, id=1),
    groups=(
        ANY(
            Rule(Field.CRIME_VICTIM, Operator.IS_TRUE, id=6),
            groups=(
                ALL(
                    Rule(Field.GENDER, Operator.EQ, "female", id=2),
                    Rule(Field.HOUSEHOLD_SIZE, Operator.EQ, 1, id=3),
                ),
                ALL(
                    Rule(Field.SINGLE_PARENT, Operator.IS_TRUE, id=4),
                    Rule(Field.GENDER, Operator.EQ, "female", id=5),
                ),
            ),
        ),
    ),
)


def resident(**facts):
    base = {
        "district": YEONGDEUNGPO,
        "gender": "female",
        "household_size": 1,
        "single_parent": False,
        "crime_victim": False,
    }
    return {**base, **facts}


@pytest.mark.parametrize(
    "profile, verdict",
    [
        pytest.param(resident(), Verdict.ELIGIBLE, id="female-single-person"),
        pytest.param(
            resident(household_size=3, single_parent=True), Verdict.ELIGIBLE, id="female-single-parent"
        ),
        pytest.param(
            resident(gender="male", household_size=2, crime_victim=True), Verdict.ELIGIBLE, id="male-victim"
        ),
        pytest.param(
            resident(gender="no_answer", crime_victim=True), Verdict.ELIGIBLE, id="no-answer-victim"
        ),
        pytest.param(resident(gender="male"), Verdict.INELIGIBLE, id="male-single-not-victim"),
        pytest.param(
            resident(gender="male", single_parent=True), Verdict.INELIGIBLE, id="male-single-parent"
        ),
        pytest.param(resident(household_size=2), Verdict.INELIGIBLE, id="female-two-person-not-parent"),
        pytest.param(resident(district=GWANAK), Verdict.INELIGIBLE, id="female-single-other-district"),
        pytest.param(
            resident(district=GWANAK, gender="male", crime_victim=None),
            Verdict.INELIGIBLE,
            id="other-district-beats-unknown",
        ),
        pytest.param(
            resident(gender="male", crime_victim=None), Verdict.NEEDS_INFO, id="male-victim-unknown"
        ),
        pytest.param(
            resident(household_size=2, single_parent=None), Verdict.NEEDS_INFO, id="female-parent-unknown"
        ),
        pytest.param(resident(district=None), Verdict.NEEDS_INFO, id="district-unknown"),
        pytest.param(
            resident(gender="male", crime_victim=True, single_parent=None),
            Verdict.ELIGIBLE,
            id="victim-passes-despite-unknown-parent",
        ),
    ],
)
def test_yeongdeungpo_kit_rule(profile, verdict):
    outcome = run(YEONGDEUNGPO_KIT, profile)
    assert outcome.verdict == verdict
    # Rules of a group come before its sub-groups; nothing is short-circuited.
    assert [line.criterion_id for line in outcome.lines] == [1, 6, 2, 3, 4, 5]


# --- Missing data -----------------------------------------------------------------------------------

RULE_PER_FIELD = {
    Field.AGE: Rule(Field.AGE, Operator.GTE, 19, id=1),
    Field.HOUSEHOLD_SIZE: Rule(Field.HOUSEHOLD_SIZE, Operator.EQ, 1, id=1),
    Field.MONTHLY_INCOME: Rule(Field.MONTHLY_INCOME, Operator.LT, 2_000_000, id=1),
    Field.GENDER: Rule(Field.GENDER, Operator.EQ, "female", id=1),
    Field.HOUSING_TENURE: Rule(Field.HOUSING_TENURE, Operator.IN, ["jeonse", "monthly_rent"], id=1),
    Field.DISTRICT: Rule(Field.DISTRICT, Operator.EQ, GWANAK, id=1),
    Field.CITY: Rule(Field.CITY, Operator.EQ, SEOUL, id=1),
    Field.EMPLOYMENT: Rule(Field.EMPLOYMENT, Operator.NOT_IN, ["employed"], id=1),
    Field.INCOME_SUPPORT: Rule(Field.INCOME_SUPPORT, Operator.NE, "none", id=1),
    Field.CRIME_VICTIM: Rule(Field.CRIME_VICTIM, Operator.IS_TRUE, id=1),
    Field.SINGLE_PARENT: Rule(Field.SINGLE_PARENT, Operator.IS_TRUE, id=1),
    Field.DISABILITY: Rule(Field.DISABILITY, Operator.IS_FALSE, id=1),
}
ABSENT = object()


@LANGUAGES
@pytest.mark.parametrize(
    "missing", [ABSENT, None, ""], ids=["key-absent", "value-None", "value-empty-string"]
)
@pytest.mark.parametrize("field", list(Field), ids=str)
def test_missing_fact_needs_info(field, missing, language, english):
    profile = {} if missing is ABSENT else {field: missing}
    with override(language):
        outcome = run(one(RULE_PER_FIELD[field]), profile, english=english)
    assert outcome.verdict == Verdict.NEEDS_INFO
    [line] = outcome.lines
    assert line.passed is None
    assert line.criterion_id == 1
    assert outcome.missing == (line,)
    assert line.comparison
    if language == "en":
        assert "not in your profile yet" in line.comparison


def test_missing_line_names_the_fact_in_english():
    with override("en"):
        outcome = run(one(RULE_PER_FIELD[Field.MONTHLY_INCOME]), {}, english=True)
    assert outcome.lines[0].comparison == "Monthly income: not in your profile yet"


def test_missing_fact_and_a_failing_fact_is_ineligible_with_both_lines():
    tree = ALL(RULE_PER_FIELD[Field.DISABILITY], Rule(Field.AGE, Operator.GTE, 65, id=2))
    outcome = run(tree, {"age": 30})
    assert outcome.verdict == Verdict.INELIGIBLE
    assert [(line.criterion_id, line.passed) for line in outcome.lines] == [(1, None), (2, False)]
    assert [line.criterion_id for line in outcome.missing] == [1]


# --- The median-income parameter --------------------------------------------------------------------


def test_150_percent_of_2025_median_for_one_person_is_3_588_020():
    # 2,392,013 × 1.5 = 3,588,019.5 → half up → 3,588,020; the engine's integer formula:
    assert (2_392_013 * 150 + 50) // 100 == 3_588_020
    rule = median_rule(Operator.LTE, 150, id=5)
    for language, english in (("ko", False), ("en", True)):
        with override(language):
            at_limit = run(one(rule), {"monthly_income": 3_588_020, "household_size": 1}, english=english)
            above = run(one(rule), {"monthly_income": 3_588_021, "household_size": 1}, english=english)
        assert at_limit.verdict == Verdict.ELIGIBLE
        assert above.verdict == Verdict.INELIGIBLE
        for outcome in (at_limit, above):
            assert "3,588,020" in outcome.lines[0].comparison
            assert "150%" in outcome.lines[0].comparison
            assert "2025" in outcome.lines[0].comparison


@pytest.mark.parametrize(
    "percent, amount",
    [
        pytest.param(150, 3_588_020, id="150pct-exact-half-rounds-up"),
        pytest.param(50, 1_196_007, id="50pct-exact-half-rounds-up"),
        pytest.param(100, 2_392_013, id="100pct-the-median-itself"),
        pytest.param(60, 1_435_208, id="60pct-point-8-rounds-up"),
        pytest.param(72, 1_722_249, id="72pct-point-36-rounds-down"),
        pytest.param(45, 1_076_406, id="45pct-point-85-rounds-up"),
        pytest.param(30, 717_604, id="30pct-point-9-rounds-up"),
    ],
)
def test_median_percent_is_rounded_half_up_to_the_won(percent, amount):
    assert half_up(2_392_013, percent) == amount
    assert (2_392_013 * percent + 50) // 100 == amount
    lte = one(median_rule(Operator.LTE, percent))
    lt = one(median_rule(Operator.LT, percent))
    single = {"household_size": 1}
    assert run(lte, {**single, "monthly_income": amount}).verdict == Verdict.ELIGIBLE
    assert run(lte, {**single, "monthly_income": amount + 1}).verdict == Verdict.INELIGIBLE
    assert run(lt, {**single, "monthly_income": amount}).verdict == Verdict.INELIGIBLE
    assert run(lt, {**single, "monthly_income": amount - 1}).verdict == Verdict.ELIGIBLE
    with override("en"):
        comparison = run(lte, {**single, "monthly_income": amount}).lines[0].comparison
    assert f"{amount:,}" in comparison
    assert f"{percent}%" in comparison


@LANGUAGES
def test_income_above_100_percent_of_median_text(language, english):
    with override(language):
        outcome = run(
            one(median_rule(Operator.LTE, 100)),
            {"monthly_income": 2_900_000, "household_size": 1},
            english=english,
        )
    assert outcome.verdict == Verdict.INELIGIBLE
    comparison = outcome.lines[0].comparison
    for fragment in ("2,900,000", "2,392,013", ">", "100%", "2025"):
        assert fragment in comparison


@pytest.mark.parametrize(
    "rule, on, profile, verdict, shown",
    [
        pytest.param(
            median_rule(Operator.LTE, 100),
            ON,
            {"monthly_income": 2_300_000, "household_size": 1},
            Verdict.ELIGIBLE,
            ["2,392,013", "2025"],
            id="year-from-evaluation-date-2025",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100, parameter_year=2024),
            ON,
            {"monthly_income": 2_300_000, "household_size": 1},
            Verdict.INELIGIBLE,
            ["2,228,445", "2024"],
            id="explicit-year-2024-wins-over-2025-date",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100),
            date(2024, 12, 31),
            {"monthly_income": 2_300_000, "household_size": 1},
            Verdict.INELIGIBLE,
            ["2,228,445", "2024"],
            id="year-from-evaluation-date-2024",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100, parameter_year=2025),
            date(2024, 12, 31),
            {"monthly_income": 2_300_000, "household_size": 1},
            Verdict.ELIGIBLE,
            ["2,392,013", "2025"],
            id="explicit-year-2025-on-a-2024-date",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100),
            ON,
            {"monthly_income": 3_000_000, "household_size": 2},
            Verdict.ELIGIBLE,
            ["3,932,658", "3,000,000"],
            id="size-from-profile-two-persons",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100, parameter_household_size=1),
            ON,
            {"monthly_income": 3_000_000, "household_size": 2},
            Verdict.INELIGIBLE,
            ["2,392,013", "3,000,000"],
            id="fixed-size-one-wins-over-profile-two",
        ),
        pytest.param(
            median_rule(Operator.LTE, 100, parameter_household_size=1),
            ON,
            {"monthly_income": 2_000_000},
            Verdict.ELIGIBLE,
            ["2,392,013"],
            id="fixed-size-needs-no-profile-size",
        ),
        pytest.param(
            median_rule(Operator.GT, 50, parameter_year=2024, parameter_household_size=2),
            ON,
            {"monthly_income": 1_841_305, "household_size": 1},
            Verdict.INELIGIBLE,
            ["1,841,305", "50%", "2024"],
            id="fixed-year-and-size-gt-at-limit",
        ),
    ],
)
def test_median_year_and_household_size(rule, on, profile, verdict, shown):
    with override("ko"):
        outcome = run(one(rule), profile, on=on)
    assert outcome.verdict == verdict
    for fragment in shown:
        assert fragment in outcome.lines[0].comparison


@LANGUAGES
@pytest.mark.parametrize(
    "rule, on, profile, english_text",
    [
        pytest.param(
            median_rule(id=9),
            date(2026, 1, 2),
            {"monthly_income": 1_000_000, "household_size": 1},
            "The standard median income for 2026 is not published yet",
            id="evaluation-year-not-in-table",
        ),
        pytest.param(
            median_rule(parameter_year=2023, id=9),
            ON,
            {"monthly_income": 1_000_000, "household_size": 1},
            "The standard median income for 2023 is not published yet",
            id="explicit-year-not-in-table",
        ),
        pytest.param(
            median_rule(id=9),
            ON,
            {"monthly_income": 1_000_000, "household_size": 7},
            None,
            id="household-size-not-in-table",
        ),
        pytest.param(
            median_rule(id=9),
            ON,
            {"monthly_income": 1_000_000},
            "Household size is needed to compare with the standard median income",
            id="household-size-absent",
        ),
        pytest.param(
            median_rule(id=9),
            ON,
            {"monthly_income": 1_000_000, "household_size": None},
            "Household size is needed to compare with the standard median income",
            id="household-size-None",
        ),
        pytest.param(
            median_rule(id=9),
            ON,
            {"household_size": 1},
            "Monthly income: not in your profile yet",
            id="income-absent",
        ),
    ],
)
def test_median_unknown_needs_info_with_a_line(rule, on, profile, english_text, language, english):
    with override(language):
        outcome = run(one(rule), profile, on=on, english=english)
    assert outcome.verdict == Verdict.NEEDS_INFO
    [line] = outcome.lines
    assert line.passed is None
    assert line.criterion_id == 9
    assert line.comparison
    if "year" in str(english_text):
        assert str(on.year if rule.parameter_year is None else rule.parameter_year) in line.comparison
    if language == "en" and english_text:
        assert line.comparison == english_text


def test_median_with_empty_string_household_size_needs_info():
    outcome = run(one(median_rule(id=9)), {"monthly_income": 1_000_000, "household_size": ""})
    assert outcome.verdict == Verdict.NEEDS_INFO
    assert outcome.lines[0].passed is None


# --- Lines: one per criterion, tree order, ids, rule version, as_dict --------------------------------


def test_one_line_per_criterion_in_tree_order_without_short_circuit():
    tree = ALL(
        FAIL(1),
        PASS(2),
        groups=(
            ANY(PASS(3), UNKNOWN(4), groups=(ALL(FAIL(5)),)),
            ALL(UNKNOWN(6), Rule(Field.AGE, Operator.LT, 65)),
        ),
    )
    outcome = run(tree, PROFILE)
    assert outcome.verdict == Verdict.INELIGIBLE
    assert [(line.criterion_id, line.passed) for line in outcome.lines] == [
        (1, False),
        (2, True),
        (3, True),
        (4, None),
        (5, False),
        (6, None),
        (None, True),
    ]
    assert [line.criterion_id for line in outcome.missing] == [4, 6]


@pytest.mark.parametrize("rule_version", [0, 1, 42], ids=lambda v: f"version-{v}")
@pytest.mark.parametrize(
    "tree", [None, ALL(), ALL(PASS(1)), ALL(UNKNOWN(1))], ids=["none", "empty", "pass", "unknown"]
)
def test_rule_version_is_passed_through(tree, rule_version):
    outcome = run(tree, PROFILE, rule_version=rule_version)
    assert outcome.rule_version == rule_version
    assert outcome.as_dict()["rule_version"] == rule_version


def test_rule_version_defaults_to_zero():
    assert run(ALL(PASS(1)), PROFILE).rule_version == 0


def test_as_dict_shape():
    tree = ALL(
        Rule(Field.AGE, Operator.GTE, 19, explanation="만 19세 이상", id=1),
        Rule(Field.CRIME_VICTIM, Operator.IS_TRUE, explanation="범죄 피해자", id=2),
        Rule(Field.GENDER, Operator.EQ, "female", explanation="여성"),
    )
    with override("ko"):
        outcome = run(tree, PROFILE, rule_version=5)
    data = outcome.as_dict()
    assert data == {
        "verdict": "ineligible",
        "rule_version": 5,
        "lines": [
            {
                "criterion": 1,
                "passed": True,
                "rule": "만 19세 이상",
                "comparison": outcome.lines[0].comparison,
            },
            {
                "criterion": 2,
                "passed": None,
                "rule": "범죄 피해자",
                "comparison": outcome.lines[1].comparison,
            },
            {"criterion": None, "passed": False, "rule": "여성", "comparison": outcome.lines[2].comparison},
        ],
    }
    assert type(data["verdict"]) is str
    assert all(type(line["comparison"]) is str and type(line["rule"]) is str for line in data["lines"])
    assert json.loads(json.dumps(data, ensure_ascii=False)) == data


@pytest.mark.parametrize(
    "tree, verdict, eligible",
    [
        pytest.param(ALL(PASS(1)), "eligible", True, id="eligible"),
        pytest.param(ALL(FAIL(1)), "ineligible", False, id="ineligible"),
        pytest.param(ALL(UNKNOWN(1)), "needs_info", False, id="needs-info"),
    ],
)
def test_verdict_values(tree, verdict, eligible):
    outcome = run(tree, PROFILE)
    assert outcome.as_dict()["verdict"] == verdict
    assert outcome.eligible is eligible


# --- Texts in their language --------------------------------------------------------------------------

KO, EN = "만 19세 이상", "Aged 19 or over"


@pytest.mark.parametrize(
    "profile",
    [
        pytest.param({"age": 30}, id="decided-line"),
        pytest.param({}, id="missing-fact-line"),
        pytest.param({"age": "thirty"}, id="unchecked-line"),
    ],
)
@pytest.mark.parametrize(
    "language, english, explanation_en, shown",
    [
        pytest.param("ko", False, EN, KO, id="ko-shows-korean"),
        pytest.param("ko", False, "", KO, id="ko-shows-korean-without-english"),
        pytest.param("en", True, EN, EN, id="en-shows-english"),
        pytest.param("en", True, "", KO, id="en-falls-back-to-korean"),
    ],
)
def test_explanation_in_the_page_language(profile, language, english, explanation_en, shown):
    rule = Rule(Field.AGE, Operator.GTE, 19, explanation=KO, explanation_en=explanation_en, id=1)
    with override(language):
        outcome = run(one(rule), profile, english=english)
    assert outcome.lines[0].rule == shown


@pytest.mark.parametrize(
    "language, english, explanation_en, shown",
    [
        pytest.param("ko", False, "Income up to 150% of the median", "중위소득 150% 이하", id="ko"),
        pytest.param(
            "en", True, "Income up to 150% of the median", "Income up to 150% of the median", id="en"
        ),
        pytest.param("en", True, "", "중위소득 150% 이하", id="en-fallback"),
    ],
)
def test_explanation_on_a_median_line_without_the_year(language, english, explanation_en, shown):
    rule = median_rule(explanation="중위소득 150% 이하", explanation_en=explanation_en, id=3)
    with override(language):
        outcome = run(
            one(rule), {"monthly_income": 1, "household_size": 1}, on=date(2030, 1, 1), english=english
        )
    assert outcome.verdict == Verdict.NEEDS_INFO
    assert outcome.lines[0].rule == shown


def test_english_comparison_uses_english_labels():
    with override("en"):
        outcome = run(
            ALL(
                Rule(Field.GENDER, Operator.EQ, "female"),
                Rule(Field.HOUSING_TENURE, Operator.IN, ["jeonse", "monthly_rent"]),
                Rule(Field.CRIME_VICTIM, Operator.IS_TRUE),
                Rule(Field.AGE, Operator.BETWEEN, [19, 39]),
            ),
            {"gender": "female", "housing_tenure": "monthly_rent", "crime_victim": True, "age": 25},
            english=True,
        )
    assert [line.comparison for line in outcome.lines] == [
        "Gender: Female (required: Female)",
        "Housing tenure: Monthly rent (월세) "
        "(required: one of Jeonse deposit lease (전세), Monthly rent (월세))",
        "Victim of a crime: yes (required: yes)",
        "Age 25 years (required: 19 years – 39 years)",
    ]


COMPARISON_CASES = [
    pytest.param(
        Rule(Field.MONTHLY_INCOME, Operator.LT, 2_000_000),
        {"monthly_income": 1_500_000},
        ["1,500,000", "<", "2,000,000"],
        [],
        id="income-below-fixed-limit",
    ),
    pytest.param(
        Rule(Field.MONTHLY_INCOME, Operator.BETWEEN, [1_000_000, 12_000_000]),
        {"monthly_income": 10_500_000},
        ["10,500,000", "1,000,000", "12,000,000"],
        [],
        id="income-between-grouped",
    ),
    pytest.param(Rule(Field.AGE, Operator.LT, 40), {"age": 40}, ["40", "="], [], id="age-equal-to-limit"),
    pytest.param(Rule(Field.AGE, Operator.GTE, 19), {"age": 17}, ["17", "<", "19"], [], id="age-below"),
    pytest.param(
        Rule(Field.AGE, Operator.BETWEEN, [19, 39]), {"age": 25}, ["25", "19", "39"], [], id="age-between"
    ),
    pytest.param(
        Rule(Field.HOUSEHOLD_SIZE, Operator.LTE, 2),
        {"household_size": 3},
        ["3", ">", "2"],
        [],
        id="size-above",
    ),
    pytest.param(
        Rule(Field.DISTRICT, Operator.EQ, GWANAK),
        {"district": GWANAK},
        ["관악구"],
        [GWANAK],
        id="district-named",
    ),
    pytest.param(
        Rule(Field.DISTRICT, Operator.IN, [GWANAK, YEONGDEUNGPO]),
        {"district": YEONGDEUNGPO},
        ["관악구", "영등포구"],
        [GWANAK, YEONGDEUNGPO],
        id="district-list-named",
    ),
    pytest.param(
        Rule(Field.DISTRICT, Operator.NOT_IN, [GWANAK]),
        {"district": "11680"},
        ["관악구", "11680"],
        [GWANAK],
        id="unnamed-district-shows-its-code",
    ),
    pytest.param(
        Rule(Field.CITY, Operator.EQ, SEOUL),
        {"city": BUSAN},
        ["서울특별시", "부산광역시"],
        [],
        id="city-named",
    ),
]


@LANGUAGES
@pytest.mark.parametrize("rule, profile, present, absent", COMPARISON_CASES)
def test_comparison_text(rule, profile, present, absent, language, english):
    with override(language):
        comparison = run(one(rule), profile, place_names=PLACES, english=english).lines[0].comparison
    for fragment in present:
        assert fragment in comparison
    for fragment in absent:
        assert fragment not in comparison


def test_district_code_shown_without_place_names():
    comparison = run(one(Rule(Field.DISTRICT, Operator.EQ, GWANAK)), {"district": GWANAK}).lines[0].comparison
    assert GWANAK in comparison
    assert "관악구" not in comparison


# --- Wrong-typed values never raise ---------------------------------------------------------------------


@LANGUAGES
@pytest.mark.parametrize(
    "rule, profile",
    [
        pytest.param(Rule(Field.AGE, Operator.LT, 40), {"age": "30"}, id="string-age-lt"),
        pytest.param(Rule(Field.AGE, Operator.GTE, 19), {"age": "30"}, id="string-age-gte"),
        pytest.param(Rule(Field.AGE, Operator.BETWEEN, [19, 39]), {"age": "30"}, id="string-age-between"),
        pytest.param(Rule(Field.AGE, Operator.LT, "30"), {"age": 25}, id="string-limit-lt"),
        pytest.param(Rule(Field.AGE, Operator.BETWEEN, [19]), {"age": 25}, id="between-one-number"),
        pytest.param(Rule(Field.AGE, Operator.BETWEEN, 19), {"age": 25}, id="between-scalar"),
        pytest.param(Rule(Field.AGE, Operator.BETWEEN, None), {"age": 25}, id="between-no-value"),
        pytest.param(Rule(Field.DISTRICT, Operator.IN, None), {"district": GWANAK}, id="in-no-value"),
        pytest.param(
            Rule(Field.MONTHLY_INCOME, Operator.GT, "1000000"), {"monthly_income": 2}, id="string-income"
        ),
        pytest.param(
            median_rule(), {"monthly_income": "2900000", "household_size": 1}, id="string-income-median"
        ),
        pytest.param(Rule(Field.AGE, "unknown_op", 30), {"age": 30}, id="unknown-operator"),
        pytest.param(
            Rule(Field.AGE, Operator.EQ, "30"),
            {"age": 30},
            id="string-limit-eq",
        ),
        pytest.param(
            Rule(Field.AGE, Operator.NE, 30),
            {"age": "30"},
            id="string-age-ne",
        ),
        pytest.param(
            Rule(Field.DISTRICT, Operator.IN, GWANAK),
            {"district": "116"},
            id="in-with-string-instead-of-list",
        ),
        pytest.param(
            median_rule(),
            {"monthly_income": 1_000_000, "household_size": "two"},
            id="string-household-size-median",
        ),
    ],
)
def test_wrong_typed_value_needs_info(rule, profile, language, english):
    with override(language):
        outcome = run(one(rule), profile, english=english)
    assert outcome.verdict == Verdict.NEEDS_INFO
    [line] = outcome.lines
    assert line.passed is None
    if language == "en":
        assert "cannot be checked automatically" in line.comparison


def test_wrong_typed_rule_does_not_hide_a_failing_one():
    tree = ALL(Rule(Field.AGE, Operator.LT, "30", id=1), FAIL(2))
    outcome = run(tree, PROFILE)
    assert outcome.verdict == Verdict.INELIGIBLE
    assert [line.passed for line in outcome.lines] == [None, False]


# --- rule_problems ------------------------------------------------------------------------------------------

VALID_RULES = [
    pytest.param(Rule(Field.AGE, Operator.GTE, 19), id="age-gte"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, [19, 39]), id="age-between"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, [65, 65]), id="age-between-equal-bounds"),
    pytest.param(Rule(Field.MONTHLY_INCOME, Operator.BETWEEN, [0, 2_000_000]), id="income-between"),
    pytest.param(Rule(Field.MONTHLY_INCOME, Operator.LT, 2_000_000), id="income-lt-fixed"),
    pytest.param(median_rule(Operator.LTE, 150), id="income-lte-median"),
    pytest.param(
        median_rule(Operator.GT, 50, parameter_year=2024, parameter_household_size=2), id="median-fixed"
    ),
    pytest.param(Rule(Field.HOUSEHOLD_SIZE, Operator.EQ, 1), id="size-eq"),
    pytest.param(Rule(Field.GENDER, Operator.EQ, "female"), id="gender-eq"),
    pytest.param(Rule(Field.DISTRICT, Operator.IN, [GWANAK]), id="district-in"),
    pytest.param(Rule(Field.CITY, Operator.NE, SEOUL), id="city-ne"),
    pytest.param(Rule(Field.HOUSING_TENURE, Operator.NOT_IN, ["owned"]), id="tenure-not-in"),
    pytest.param(Rule(Field.CRIME_VICTIM, Operator.IS_TRUE), id="victim-is-true"),
    pytest.param(Rule(Field.SINGLE_PARENT, Operator.IS_FALSE), id="single-parent-is-false"),
    pytest.param(Rule(Field.DISABILITY, Operator.IS_TRUE), id="disability-is-true"),
]

INVALID_RULES = [
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, [19]), id="between-one-number"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, 19), id="between-scalar"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, [19, 39, 65]), id="between-three-numbers"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, [39, 19]), id="between-low-above-high"),
    pytest.param(Rule(Field.AGE, Operator.BETWEEN, ["19", "39"]), id="between-strings"),
    pytest.param(Rule(Field.DISTRICT, Operator.IN, []), id="in-empty-list"),
    pytest.param(Rule(Field.DISTRICT, Operator.NOT_IN, []), id="not-in-empty-list"),
    pytest.param(Rule(Field.DISTRICT, Operator.IN, GWANAK), id="in-string-not-list"),
    pytest.param(Rule(Field.AGE, Operator.IS_TRUE), id="is-true-on-age"),
    pytest.param(Rule(Field.MONTHLY_INCOME, Operator.IS_FALSE), id="is-false-on-income"),
    pytest.param(Rule(Field.GENDER, Operator.LT, "female"), id="lt-on-gender"),
    pytest.param(Rule(Field.HOUSING_TENURE, Operator.BETWEEN, ["jeonse", "owned"]), id="between-on-tenure"),
    pytest.param(Rule(Field.CRIME_VICTIM, Operator.EQ, True), id="eq-on-boolean"),
    pytest.param(
        Rule(Field.AGE, Operator.LTE, parameter=Parameter.MEDIAN_INCOME, parameter_percent=100),
        id="median-on-age",
    ),
    pytest.param(median_rule(percent=None), id="median-without-percent"),
    pytest.param(median_rule(Operator.BETWEEN), id="median-with-between"),
    pytest.param(median_rule(Operator.IN), id="median-with-in"),
    pytest.param(Rule(Field.GENDER, Operator.EQ, ["female"]), id="eq-with-list"),
    pytest.param(Rule(Field.AGE, Operator.EQ, [30]), id="eq-with-list-on-age"),
    pytest.param(Rule(Field.GENDER, Operator.NE, {"a": 1}), id="ne-with-dict"),
    pytest.param(Rule(Field.GENDER, Operator.EQ), id="eq-without-value"),
    pytest.param(Rule(Field.AGE, Operator.GTE, "19"), id="string-for-number"),
    pytest.param(Rule(Field.AGE, Operator.GTE, True), id="boolean-for-number"),
]


@pytest.mark.parametrize("rule", VALID_RULES)
def test_rule_problems_valid(rule):
    assert rule_problems(rule) == []


@pytest.mark.parametrize("language", ["ko", "en"])
@pytest.mark.parametrize("rule", INVALID_RULES)
def test_rule_problems_invalid(rule, language):
    with override(language):
        problems = rule_problems(rule)
    assert problems
    assert all(isinstance(problem, str) and problem for problem in problems)
