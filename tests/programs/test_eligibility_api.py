"""/api/v1/programs/{id}/eligibility/ and /api/v1/programs/may-qualify/ for a logged-in resident.

Comparison texts are checked on what does not depend on the translation catalogue (numbers and
amounts); English wording is only asserted for texts the program itself stores in English.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from programs.models import ProgramStatus
from programs.selectors import median_table
from tests.factories import (
    GWANAK,
    JUNGGU,
    HouseholdFactory,
    ProgramFactory,
    UserFactory,
    add_rules,
    district,
    login,
)

pytestmark = pytest.mark.django_db

MAY_QUALIFY = "/api/v1/programs/may-qualify/"


def eligibility_url(program) -> str:
    return f"/api/v1/programs/{program.pk}/eligibility/"


def years_ago(years: int) -> date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - timedelta(days=1)  # birthday already passed


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert error["code"]
    assert error["message"]
    return error


@pytest.fixture
def household(db):
    """A 30-year-old in 관악구 living alone on 2,100,000 won a month, sensitive questions unanswered."""
    return HouseholdFactory(
        birth_date=years_ago(30), monthly_income=2_100_000, household_size=1, crime_victim=None
    )


@pytest.fixture
def household_client(client, household):
    return login(client, household.user)


def age_rule(low: int, high: int, **extra) -> dict:
    return {"field": "age", "operator": "between", "value": [low, high], **extra}


def income_rule(percent: int = 150) -> dict:
    return {
        "field": "monthly_income",
        "operator": "lte",
        "parameter": "median_income",
        "parameter_percent": percent,
        "explanation": f"기준중위소득 {percent}% 이하",
    }


def crime_victim_rule() -> dict:
    return {"field": "crime_victim", "operator": "is_true", "explanation": "범죄피해자"}


def open_program(**kwargs):
    today = timezone.localdate()
    kwargs.setdefault("application_start", today - timedelta(days=5))
    kwargs.setdefault("application_end", today + timedelta(days=5))
    return ProgramFactory(**kwargs)


# --- one program -----------------------------------------------------------------------------------


def test_eligible_when_every_criterion_passes(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39, explanation="만 19~39세"), income_rule(150))

    body = household_client.get(eligibility_url(program)).json()

    assert body["verdict"] == "eligible"
    assert [line["passed"] for line in body["lines"]] == [True, True]
    assert [line["rule"] for line in body["lines"]] == ["만 19~39세", "기준중위소득 150% 이하"]


def test_lines_carry_criterion_ids_and_comparisons_with_the_numbers_compared(household_client):
    program = ProgramFactory()
    root = add_rules(program, age_rule(19, 39), income_rule(150))
    age_criterion, income_criterion = root.criteria.order_by("position")
    limit = (median_table()[(timezone.localdate().year, 1)] * 150 + 50) // 100

    age_line, income_line = household_client.get(eligibility_url(program)).json()["lines"]

    assert age_line["criterion"] == age_criterion.pk
    assert "30" in age_line["comparison"]
    assert "19" in age_line["comparison"]
    assert "39" in age_line["comparison"]
    assert income_line["criterion"] == income_criterion.pk
    assert "2,100,000" in income_line["comparison"]
    assert f"{limit:,}" in income_line["comparison"]
    assert "150" in income_line["comparison"]


def test_ineligible_when_a_criterion_fails(household_client, household):
    household.monthly_income = 4_000_000  # above 150% of the 1-person median
    household.save()
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39), income_rule(150))

    body = household_client.get(eligibility_url(program)).json()

    assert body["verdict"] == "ineligible"
    assert [line["passed"] for line in body["lines"]] == [True, False]
    assert "4,000,000" in body["lines"][1]["comparison"]


def test_ineligible_outside_the_age_range(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(65, 120))

    body = household_client.get(eligibility_url(program)).json()

    assert body["verdict"] == "ineligible"
    assert body["lines"][0]["passed"] is False


def test_needs_info_when_the_profile_lacks_a_fact(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39), crime_victim_rule())

    body = household_client.get(eligibility_url(program)).json()

    assert body["verdict"] == "needs_info"
    assert [line["passed"] for line in body["lines"]] == [True, None]
    assert body["lines"][1]["rule"] == "범죄피해자"
    assert body["lines"][1]["comparison"]


def test_a_failed_criterion_outweighs_a_missing_one(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(65, 120), crime_victim_rule())

    assert household_client.get(eligibility_url(program)).json()["verdict"] == "ineligible"


def test_program_without_rules_is_eligible_with_no_lines(household_client):
    program = ProgramFactory()

    body = household_client.get(eligibility_url(program)).json()

    assert body == {"verdict": "eligible", "rule_version": program.rule_version, "lines": []}


def test_outcome_reports_the_rule_version(household_client):
    program = ProgramFactory(rule_version=4)
    add_rules(program, age_rule(19, 39))

    assert household_client.get(eligibility_url(program)).json()["rule_version"] == 4


def test_english_request_gets_the_english_explanation(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39, explanation="만 19~39세", explanation_en="Aged 19 to 39"))

    line = household_client.get(eligibility_url(program), HTTP_ACCEPT_LANGUAGE="en").json()["lines"][0]

    assert line["rule"] == "Aged 19 to 39"


def test_korean_request_gets_the_korean_explanation(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39, explanation="만 19~39세", explanation_en="Aged 19 to 39"))

    line = household_client.get(eligibility_url(program), HTTP_ACCEPT_LANGUAGE="ko").json()["lines"][0]

    assert line["rule"] == "만 19~39세"


def test_comparison_follows_the_request_language(household_client):
    program = ProgramFactory()
    add_rules(program, age_rule(19, 39), income_rule(150))

    english = household_client.get(eligibility_url(program), HTTP_ACCEPT_LANGUAGE="en").json()["lines"]
    korean = household_client.get(eligibility_url(program), HTTP_ACCEPT_LANGUAGE="ko").json()["lines"]

    assert "30 years" in english[0]["comparison"]
    assert "2,100,000 won" in english[1]["comparison"]
    assert "만 30세" in korean[0]["comparison"]
    assert "2,100,000원" in korean[1]["comparison"]


def test_anonymous_visitor_gets_403_in_the_error_format(client):
    program = ProgramFactory()

    error = assert_error_shape(client.get(eligibility_url(program)), 403)

    assert error["code"] == "not_authenticated"


def test_user_without_household_gets_404_with_a_message(client):
    login(client, UserFactory())
    program = ProgramFactory()

    error = assert_error_shape(client.get(eligibility_url(program)), 404)

    assert "household" in error["message"].lower() or "가구" in error["message"]


def test_eligibility_of_a_draft_program_is_404(household_client):
    program = ProgramFactory(status=ProgramStatus.DRAFT)

    assert_error_shape(household_client.get(eligibility_url(program)), 404)


# --- programs I may qualify for --------------------------------------------------------------------


def test_may_qualify_lists_open_passing_programs_of_own_district_and_city_across_categories(household_client):
    seoul = district(GWANAK).city
    today = timezone.localdate()
    own = open_program(title="관악 주거", category="housing_jobs", application_end=today + timedelta(days=3))
    add_rules(own, age_rule(19, 39), income_rule(150))
    city = open_program(title="서울 안전", category="safety", district=None, city=seoul)
    add_rules(city, income_rule(150))
    open_program(title="관악 건강 (조건 없음)", category="health_care", application_end=None)

    closed = ProgramFactory(title="마감 처리", status=ProgramStatus.CLOSED)
    add_rules(closed, age_rule(19, 39))
    open_program(
        title="기간 지남", application_start=today - timedelta(days=9), application_end=today - timedelta(1)
    )
    open_program(title="접수 예정", application_start=today + timedelta(days=1), application_end=None)
    open_program(title="초안", status=ProgramStatus.DRAFT)
    open_program(title="중구 사업", district=district(JUNGGU))
    open_program(title="광주 시 전체", district=None, city=district("29140").city)
    failed = open_program(title="어르신 사업")
    add_rules(failed, age_rule(65, 120))
    unknown = open_program(title="범죄피해자 지원")
    add_rules(unknown, crime_victim_rule())

    response = household_client.get(MAY_QUALIFY)

    assert response.status_code == 200
    rows = response.json()
    # Soonest deadline first; always-open ones last.
    assert [row["title"] for row in rows] == ["관악 주거", "서울 안전", "관악 건강 (조건 없음)"]
    assert {row["category"] for row in rows} == {"housing_jobs", "safety", "health_care"}
    assert all(row["is_open"] for row in rows)


def test_may_qualify_is_empty_when_nothing_fits(household_client):
    add_rules(open_program(), age_rule(65, 120))

    response = household_client.get(MAY_QUALIFY)

    assert response.status_code == 200
    assert response.json() == []


def test_may_qualify_for_anonymous_is_403(client):
    assert_error_shape(client.get(MAY_QUALIFY), 403)


def test_may_qualify_without_household_is_404(client):
    login(client, UserFactory())

    assert_error_shape(client.get(MAY_QUALIFY), 404)


def test_may_qualify_ignores_an_anonymized_household(household_client, household):
    household.anonymized_at = timezone.now()
    household.save()
    open_program()

    assert_error_shape(household_client.get(MAY_QUALIFY), 404)


# Session and user (authentication), the household, the open programs, their groups and criteria, the
# median-income table and the place names (cities, then districts) for the texts; the last three are
# cached between requests, and the cache is empty at the start of each test.
MAY_QUALIFY_QUERIES = 9


@pytest.mark.parametrize("count", [10, 40])
def test_may_qualify_query_count_does_not_grow_with_programs(
    household_client, django_assert_num_queries, count
):
    seoul = district(GWANAK).city
    for index in range(count):
        program = open_program(district=None, city=seoul) if index % 2 else open_program()
        add_rules(program, age_rule(19, 39), income_rule(150))

    with django_assert_num_queries(MAY_QUALIFY_QUERIES):
        response = household_client.get(MAY_QUALIFY)

    assert len(response.json()) == count
