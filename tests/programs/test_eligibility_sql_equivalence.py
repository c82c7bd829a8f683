"""programs.eligibility_sql gives, for every household, exactly the Python engine's verdict.

A hypothesis property test draws rule trees (nested ALL/ANY, every fact and operator, values at the
boundaries and of the wrong kind, median-income parameters for published and unpublished years and
sizes) and households (ages around birthdays including 29 February, incomes at the median threshold
±1, blank and NULL facts), saves the households and compares the SQL verdict of each with
programs.eligibility.evaluate on its profile. Then a few readable cases of the trickiest corners.
Runs on SQLite and PostgreSQL alike (DATABASE_URL decides).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from households.models import Employment, Gender, Household, HousingTenure, IncomeSupport
from portal.models import City, District, User
from programs.eligibility import Group, Rule, Verdict, evaluate
from programs.eligibility_sql import compile_tree, eligible_households
from programs.models import Field, Logic, Operator, Parameter
from programs.selectors import eligibility_profile

MEDIANS = {
    (2024, 1): 2_228_445,
    (2024, 2): 3_682_609,
    (2024, 3): 4_714_657,
    (2025, 1): 2_392_013,
    (2025, 2): 3_932_658,
    (2025, 4): 6_097_773,
    (2026, 1): 2_564_238,
    (2026, 3): 5_359_036,
}
PERCENTS = [None, 0, 33, 50, 100, 150]
# Days around 29 February in leap and common years, and an ordinary one.
DAYS = [
    date(2024, 2, 28),
    date(2024, 2, 29),
    date(2024, 3, 1),
    date(2025, 2, 28),
    date(2025, 3, 1),
    date(2026, 6, 15),
]
DISTRICT_CODES = ["11620", "11140", "11560", "27110", "29110"]
CITY_CODES = ["11", "27", "29", "26"]
TEXTS = ["", "a", "zz", "관악", "11", "116", "11620x", "other", "female ", "Female"]


def _thresholds() -> list[int]:
    amounts = {(base * (p or 100) + 50) // 100 for base in MEDIANS.values() for p in PERCENTS}
    return sorted({a + d for a in amounts for d in (-1, 0, 1)})


INCOMES = _thresholds()
AGES = [-1, 0, 18, 19, 20, 29, 30, 39, 40, 64, 65, 120]

TEXT_POOL = [
    *TEXTS,
    *DISTRICT_CODES,
    *CITY_CODES,
    *Gender.values,
    *HousingTenure.values,
    *Employment.values,
    *IncomeSupport.values,
]
ODD_NUMBERS = [19.5, 39.0, 2.5, 0.5, -0.5, 1e30, 2**70, -(2**70), float("inf"), float("-inf")]
NUMBER_POOLS = [AGES, [0, 1, 2, 3, 4, 5], INCOMES, ODD_NUMBERS]
FIELDS = [*Field.values, "shoe_size"]
OPERATORS = [*Operator.values, "like"]
FIELD_VALUES = {
    Field.AGE: [*AGES, 18.5, 19.5, 39.5, 64.5, 19.0, 39.0],
    Field.HOUSEHOLD_SIZE: [0, 1, 2, 3, 4, 5, 2.5],
    Field.MONTHLY_INCOME: INCOMES,
    Field.GENDER: Gender.values,
    Field.HOUSING_TENURE: HousingTenure.values,
    Field.EMPLOYMENT: Employment.values,
    Field.INCOME_SUPPORT: IncomeSupport.values,
    Field.CITY: CITY_CODES,
    Field.DISTRICT: DISTRICT_CODES,
}
BOOLEAN_FACTS = (Field.CRIME_VICTIM, Field.SINGLE_PARENT, Field.DISABILITY)
KEY_AGES = [18, 19, 20, 39, 40, 64, 65]

# The generators take `pick`, which chooses one element of a sequence: hypothesis's draw under @given
# (the tree and some households, shrunk on failure), a seeded random.Random for the bulk of each
# example (hypothesis favours the first choices; the bulk keeps every example broad).
Pick = Callable[[Sequence[Any]], Any]


def number(pick: Pick) -> Any:
    return pick(pick(NUMBER_POOLS))


def scalar(pick: Pick) -> Any:
    return pick([number, lambda p: p(TEXT_POOL), lambda p: None, lambda p: p([True, False])])(pick)


def value(pick: Pick) -> Any:
    kind = pick(range(6))
    if kind == 0:
        return scalar(pick)
    if kind == 1:
        return [pick([number, lambda p: p(TEXT_POOL)])(pick) for _ in range(pick(range(5)))]
    if kind == 2:
        return [number(pick), number(pick)]
    if kind == 3:
        return [pick(TEXT_POOL), pick(TEXT_POOL)]
    if kind == 4:
        return [scalar(pick), scalar(pick)]
    return pick(["ab", {"a": 1, "b": 2}, []])


def sensible_rule(pick: Pick) -> Rule:
    """Rules the admin accepts, with values of the fact's own kind (most of a real tree)."""
    field = pick(Field.values)
    if field in BOOLEAN_FACTS:
        return Rule(field, pick([Operator.IS_TRUE, Operator.IS_FALSE]))
    options = FIELD_VALUES[field]
    if field in (Field.AGE, Field.HOUSEHOLD_SIZE, Field.MONTHLY_INCOME):
        operator = pick([o for o in Operator.values if o not in (Operator.IS_TRUE, Operator.IS_FALSE)])
    else:
        operator = pick([Operator.EQ, Operator.NE, Operator.IN, Operator.NOT_IN])
    if operator in (Operator.IN, Operator.NOT_IN):
        return Rule(field, operator, [pick(options) for _ in range(pick([1, 2, 3]))])
    if operator == Operator.BETWEEN:
        return Rule(field, operator, sorted([pick(options), pick(options)]))
    return Rule(field, operator, pick(options))


def median_rule(pick: Pick) -> Rule:
    return Rule(
        pick([Field.MONTHLY_INCOME] * 4 + FIELDS),
        pick([Operator.LT, Operator.LTE, Operator.GT, Operator.GTE] * 3 + OPERATORS),
        value=pick([None, number(pick)]),
        parameter=Parameter.MEDIAN_INCOME,
        parameter_percent=pick(PERCENTS),
        parameter_year=pick([None, None, 0, 2024, 2025, 2026, 2030]),
        parameter_household_size=pick([None, None, None, 0, 1, 2, 3, 9]),
    )


def odd_rule(pick: Pick) -> Rule:
    """Anything at all: wrong kinds of values, unknown facts and operators, like imported data."""
    return Rule(pick(FIELDS), pick(OPERATORS), value=value(pick), parameter=pick(["", "", "other"]))


def rule(pick: Pick) -> Rule:
    return pick([sensible_rule, sensible_rule, median_rule, odd_rule])(pick)


def group(pick: Pick, depth: int, min_rules: int = 0) -> Group:
    return Group(
        logic=pick([Logic.ALL, Logic.ANY, Logic.ANY, "none"]),
        rules=tuple(rule(pick) for _ in range(pick(range(min_rules, 4)))),
        groups=tuple(group(pick, depth - 1) for _ in range(pick(range(3)) if depth > 0 else 0)),
    )


def birth_date(pick: Pick, on: date) -> date:
    """Mostly on (or a day off) the birthdays that make the rules' ages on the day judged, and around
    29 February."""
    years = pick([pick(KEY_AGES), pick(KEY_AGES), pick(range(-1, 91))])
    month, day = pick([(on.month, on.day)] * 4 + [(2, 28), (2, 29), (3, 1), (12, 31)])
    try:
        born = date(on.year - years, month, day)
    except ValueError:
        born = date(on.year - years, 2, 28)
    return born + timedelta(days=pick([0, 0, -1, 1]))


def income(pick: Pick, on: date, size: int) -> int | None:
    """Mostly at (or a won off) a median threshold for the household's own size."""
    base = MEDIANS.get((pick([on.year, 2024, 2025, 2026]), size))
    if base is None or pick(range(4)) == 0:
        return pick([None, 0, pick(INCOMES)])
    return max(0, (base * (pick(PERCENTS) or 100) + 50) // 100 + pick([-1, 0, 1]))


def household_facts(pick: Pick, on: date) -> dict:
    size = pick([0, 1, 2, 3, 4, 5])
    optional = [None, True, False]
    return {
        "birth_date": birth_date(pick, on),
        "gender": pick(["", *Gender.values, "x"]),
        "district_code": pick(DISTRICT_CODES),
        "housing_tenure": pick(["", *HousingTenure.values]),
        "household_size": size,
        "monthly_income": income(pick, on, size),
        "employment": pick(["", *Employment.values]),
        "income_support": pick(["", *IncomeSupport.values]),
        "crime_victim": pick(optional),
        "single_parent": pick(optional),
        "disability": pick(optional),
    }


def day(pick: Pick) -> date:
    return pick([*DAYS, date(2024, 2, 29), date(2028, 2, 29)])  # 29 February more often


@st.composite
def drawn(draw, build: Callable[..., Any], *args: Any) -> Any:
    return build(lambda options: draw(st.sampled_from(list(options))), *args)


def save(facts: list[dict]) -> None:
    districts = {d.code: d for d in District.objects.filter(code__in=DISTRICT_CODES)}
    start = User.objects.count()
    password = make_password(None)
    users = User.objects.bulk_create(
        User(email=f"eq{start + i}@example.kr", password=password) for i in range(len(facts))
    )
    Household.objects.bulk_create(
        Household(
            user=user,
            name="가구",
            district=districts[fact["district_code"]],
            **{k: v for k, v in fact.items() if k != "district_code"},
        )
        for user, fact in zip(users, facts, strict=True)
    )


def assert_same_verdicts(tree: Group | None, on: date, medians=MEDIANS) -> dict[int, str]:
    compiled = compile_tree(tree, on=on, medians=medians)
    rows = Household.objects.select_related("district__city").annotate(sql_verdict=compiled.verdict())
    verdicts = {}
    for household in rows:
        expected = evaluate(tree, eligibility_profile(household, on=on), medians=medians, on=on).verdict
        assert household.sql_verdict == expected, (household.pk, tree)
        verdicts[household.pk] = household.sql_verdict
    eligible = set(eligible_households(tree, on=on, medians=medians).values_list("pk", flat=True))
    assert eligible == {pk for pk, verdict in verdicts.items() if verdict == Verdict.ELIGIBLE}
    failing = set(Household.objects.filter(compiled.fails).values_list("pk", flat=True))
    assert failing == {pk for pk, verdict in verdicts.items() if verdict == Verdict.INELIGIBLE}
    return verdicts


def assert_same_verdicts_of_each(trees: list[Group], on: date, medians=MEDIANS) -> None:
    """Every tree's verdict annotated in one query, each compared with the engine's."""
    annotations = {
        f"verdict_{i}": compile_tree(t, on=on, medians=medians).verdict() for i, t in enumerate(trees)
    }
    for household in Household.objects.select_related("district__city").annotate(**annotations):
        profile = eligibility_profile(household, on=on)
        for i, tree in enumerate(trees):
            expected = evaluate(tree, profile, medians=medians, on=on).verdict
            assert getattr(household, f"verdict_{i}") == expected, (household.pk, profile, tree)


@pytest.mark.django_db
# No shrinking: an example is a database's worth of households (minutes to shrink); a failure names
# the household, its profile and the one criterion or tree that disagree.
@settings(
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(tree=drawn(group, 3, 1), on=drawn(day), facts=st.data(), rng=st.randoms(use_true_random=False))
def test_sql_verdicts_equal_the_engines(tree, on, facts, rng):
    pick = rng.choice
    drawn_facts = [facts.draw(drawn(household_facts, on)) for _ in range(facts.draw(st.integers(1, 6)))]
    with transaction.atomic():
        save(drawn_facts + [household_facts(pick, on) for _ in range(30)])
        assert_same_verdicts(tree, on)
        # Each criterion alone too (most decide differently per household), and many more of them.
        more = [rule(pick) for _ in range(60)]
        assert_same_verdicts_of_each(
            [one(r) for r in all_rules(tree) + more] + [group(pick, 2) for _ in range(10)], on
        )
        transaction.set_rollback(True)


def all_rules(group: Group) -> list[Rule]:
    return [*group.rules, *(rule for child in group.groups for rule in all_rules(child))]


# --- readable cases -------------------------------------------------------------------------------


def one(rule: Rule, logic: str = Logic.ALL) -> Group:
    return Group(logic=logic, rules=(rule,))


def household(**facts) -> Household:
    defaults = {
        "birth_date": date(1994, 5, 12),
        "gender": "female",
        "district_code": "11620",
        "housing_tenure": "monthly_rent",
        "household_size": 1,
        "monthly_income": 2_100_000,
        "employment": "employed",
        "income_support": "",
        "crime_victim": None,
        "single_parent": None,
        "disability": None,
    }
    save([defaults | facts])
    return Household.objects.order_by("-pk").first()


def verdict_of(tree: Group | None, person: Household, on: date) -> str:
    return assert_same_verdicts(tree, on)[person.pk]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "born, on, minimum, verdict",
    [
        (date(2004, 2, 29), date(2023, 2, 28), 19, Verdict.INELIGIBLE),  # a day short in a common year
        (date(2004, 2, 29), date(2023, 3, 1), 19, Verdict.ELIGIBLE),
        (date(2004, 2, 29), date(2024, 2, 29), 20, Verdict.ELIGIBLE),
        (date(2005, 3, 1), date(2024, 2, 29), 19, Verdict.INELIGIBLE),
        (date(2005, 2, 28), date(2024, 2, 29), 19, Verdict.ELIGIBLE),
        (date(2005, 6, 1), date(2024, 5, 31), 18.5, Verdict.INELIGIBLE),  # age 18 < 18.5
        (date(2005, 6, 1), date(2024, 6, 1), 18.5, Verdict.ELIGIBLE),
    ],
)
def test_age_at_least_around_birthdays(born, on, minimum, verdict):
    person = household(birth_date=born)
    assert verdict_of(one(Rule(Field.AGE, Operator.GTE, minimum)), person, on) == verdict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "operator, limit, verdict",
    [
        (Operator.GT, 18.5, Verdict.INELIGIBLE),  # 18 > 18.5 is false
        (Operator.GT, 17.5, Verdict.ELIGIBLE),
        (Operator.LT, 18.5, Verdict.ELIGIBLE),
        (Operator.LTE, 17.5, Verdict.INELIGIBLE),
        (Operator.EQ, 18.0, Verdict.ELIGIBLE),  # 18 == 18.0
        (Operator.EQ, 18.5, Verdict.INELIGIBLE),
        (Operator.NE, 18.5, Verdict.ELIGIBLE),
        (Operator.BETWEEN, [17.5, 18.5], Verdict.ELIGIBLE),
        (Operator.LT, float("inf"), Verdict.ELIGIBLE),
        (Operator.GTE, 10**40, Verdict.INELIGIBLE),
    ],
)
def test_ages_compared_with_fractions_and_extremes(operator, limit, verdict):
    person = household(birth_date=date(2006, 3, 1))  # 18 on 1 June 2024
    assert verdict_of(one(Rule(Field.AGE, operator, limit)), person, date(2024, 6, 1)) == verdict


@pytest.mark.django_db
@pytest.mark.parametrize(
    "income, size, verdict",
    [
        (3_588_020, 1, Verdict.ELIGIBLE),  # 150% of 2,392,013 rounded half up: 3,588,020 (…19.5)
        (3_588_021, 1, Verdict.INELIGIBLE),
        (None, 1, Verdict.NEEDS_INFO),
        (1, 3, Verdict.NEEDS_INFO),  # no 2025 figure for three people
        (1, 0, Verdict.NEEDS_INFO),
    ],
)
def test_income_against_the_median_for_the_households_size(income, size, verdict):
    person = household(monthly_income=income, household_size=size)
    rule = Rule(Field.MONTHLY_INCOME, Operator.LTE, parameter=Parameter.MEDIAN_INCOME, parameter_percent=150)
    assert verdict_of(one(rule), person, date(2025, 6, 1)) == verdict


@pytest.mark.django_db
def test_an_unpublished_year_needs_information_for_everyone():
    person = household(monthly_income=0)
    rule = Rule(Field.MONTHLY_INCOME, Operator.LTE, parameter=Parameter.MEDIAN_INCOME, parameter_percent=50)
    assert verdict_of(one(rule), person, date(2031, 1, 1)) == Verdict.NEEDS_INFO


@pytest.mark.django_db
def test_blank_answers_and_unanswered_questions_need_information():
    person = household(gender="", income_support="", disability=None)
    tree = Group(
        logic=Logic.ANY,
        rules=(
            Rule(Field.GENDER, Operator.EQ, "female"),
            Rule(Field.INCOME_SUPPORT, Operator.NOT_IN, ["basic_livelihood"]),
            Rule(Field.DISABILITY, Operator.IS_TRUE),
        ),
    )
    assert verdict_of(tree, person, date(2025, 6, 1)) == Verdict.NEEDS_INFO
    # One passing part is enough for ANY, one failing part for ALL.
    assert (
        verdict_of(
            Group(logic=Logic.ANY, rules=(*tree.rules, Rule(Field.AGE, Operator.GTE, 19))),
            person,
            date(2025, 6, 1),
        )
        == Verdict.ELIGIBLE
    )
    assert (
        verdict_of(Group(rules=(*tree.rules, Rule(Field.AGE, Operator.LT, 19))), person, date(2025, 6, 1))
        == Verdict.INELIGIBLE
    )


@pytest.mark.django_db
def test_place_codes_are_read_through_the_district():
    person = household(district_code="27110")
    on = date(2025, 6, 1)
    assert verdict_of(one(Rule(Field.CITY, Operator.EQ, "27")), person, on) == Verdict.ELIGIBLE
    assert (
        verdict_of(one(Rule(Field.DISTRICT, Operator.IN, ["11620", "27110"])), person, on) == Verdict.ELIGIBLE
    )
    # A list is required: "2711" is not "in" the code as a substring would be.
    assert verdict_of(one(Rule(Field.DISTRICT, Operator.IN, "27110")), person, on) == Verdict.NEEDS_INFO


@pytest.mark.django_db
def test_a_district_without_a_code_is_an_unknown_fact():
    city = City.objects.create(code="", name="코드 없음")
    district = District.objects.create(city=city, code="", name="코드 없음")
    person = household()
    Household.objects.filter(pk=person.pk).update(district=district)
    on = date(2025, 6, 1)
    assert verdict_of(one(Rule(Field.DISTRICT, Operator.NE, "11620")), person, on) == Verdict.NEEDS_INFO
    assert verdict_of(one(Rule(Field.CITY, Operator.NE, "11")), person, on) == Verdict.NEEDS_INFO


@pytest.mark.django_db
@pytest.mark.parametrize(
    "rule",
    [
        Rule(Field.AGE, Operator.GTE, "19"),  # a number fact compared with text
        Rule(Field.AGE, Operator.BETWEEN, [19]),  # one bound
        Rule(Field.GENDER, Operator.LT, 3),  # text < number
        Rule(Field.HOUSING_TENURE, Operator.IN, "jeonse"),  # no list
        Rule(Field.HOUSEHOLD_SIZE, Operator.IN, [1, True]),  # a yes in a list of numbers
        Rule(Field.MONTHLY_INCOME, "like", 1),  # no such operator
        Rule(Field.CRIME_VICTIM, Operator.LT, "yes"),
    ],
)
def test_rules_the_engine_cannot_check_are_left_undecided(rule):
    person = household(crime_victim=True)
    assert verdict_of(one(rule), person, date(2025, 6, 1)) == Verdict.NEEDS_INFO


@pytest.mark.django_db
def test_refused_rules_the_engine_still_decides_are_decided_alike():
    person = household(crime_victim=True, housing_tenure="jeonse")
    on = date(2025, 6, 1)
    assert (
        verdict_of(one(Rule(Field.CRIME_VICTIM, Operator.EQ, 1)), person, on) == Verdict.ELIGIBLE
    )  # True == 1
    assert verdict_of(one(Rule(Field.HOUSING_TENURE, Operator.LT, "k")), person, on) == Verdict.ELIGIBLE
    assert verdict_of(one(Rule(Field.HOUSING_TENURE, Operator.IS_TRUE)), person, on) == Verdict.INELIGIBLE
    # `low <= actual <= high` stops at a false first comparison: the text bound "m" decides "jeonse"
    # before the number 5 could raise, but "owned" reaches it and cannot be checked.
    between = one(Rule(Field.HOUSING_TENURE, Operator.BETWEEN, ["m", 5]))
    assert verdict_of(between, person, on) == Verdict.INELIGIBLE
    owner = household(housing_tenure="owned")
    assert verdict_of(between, owner, on) == Verdict.NEEDS_INFO


@pytest.mark.django_db
def test_no_rules_and_an_empty_any_let_everyone_in():
    person = household()
    on = date(2025, 6, 1)
    assert verdict_of(None, person, on) == Verdict.ELIGIBLE
    assert verdict_of(Group(logic=Logic.ANY), person, on) == Verdict.ELIGIBLE
    assert verdict_of(Group(), person, on) == Verdict.ELIGIBLE
