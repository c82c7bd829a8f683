"""The public catalog, the program page with "Am I eligible?", and the "may qualify" page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from programs.models import PolicyMilestone, PolicyOfficial, ProgramStatus
from tests.factories import GWANAK, JUNGGU, ProgramFactory, add_rules, district

pytestmark = pytest.mark.django_db

CATALOG = reverse("programs:catalog")


def titles(response) -> list[str]:
    return [p.title for p in response.context["programs"]]


def test_catalog_lists_public_programs_only(client):
    shown = ProgramFactory(title="청년 소모임 클래스")
    ProgramFactory(title="아직 준비 중인 사업", status=ProgramStatus.DRAFT)
    ProgramFactory(title="보관된 사업", status=ProgramStatus.ARCHIVED)

    response = client.get(CATALOG)

    assert response.status_code == 200
    assert titles(response) == [shown.title]
    assert "청년 소모임 클래스" in response.content.decode()


def test_korean_search_matches_part_of_a_compound_word(client):
    ProgramFactory(title="청년1인가구 커뮤니티 클래스")
    ProgramFactory(title="중장년 행복동행", summary="중장년 1인가구 지원", target_text="만 40~64세")

    response = client.get(CATALOG, {"q": "청년"})

    assert titles(response) == ["청년1인가구 커뮤니티 클래스"]


def test_district_filter_includes_city_wide_programs(client):
    gwanak = ProgramFactory(title="관악 사업", district=district(GWANAK))
    seoul = ProgramFactory(title="서울시 사업", district=None, city=district(GWANAK).city)
    ProgramFactory(title="중구 사업", district=district(JUNGGU))

    response = client.get(CATALOG, {"district": GWANAK})

    assert sorted(titles(response)) == sorted([gwanak.title, seoul.title])


def test_open_now_filter_and_closed_programs_last(client):
    today = timezone.localdate()
    ProgramFactory(
        title="마감된 사업",
        application_start=today - timedelta(days=60),
        application_end=today - timedelta(days=1),
    )
    ProgramFactory(title="상시 사업", application_start=None, application_end=None)
    ProgramFactory(
        title="곧 마감",
        application_start=today - timedelta(days=5),
        application_end=today + timedelta(days=3),
    )

    assert titles(client.get(CATALOG)) == ["곧 마감", "상시 사업", "마감된 사업"]
    assert titles(client.get(CATALOG, {"open_now": "true"})) == ["곧 마감", "상시 사업"]


def test_life_stage_women_and_benefit_filters(client):
    ProgramFactory(title="여성 안심", for_youth=True, for_women=True, benefit_type="in_kind")
    ProgramFactory(title="어르신 안부", for_youth=False, for_seniors=True, benefit_type="service")

    assert titles(client.get(CATALOG, {"women": "true"})) == ["여성 안심"]
    assert titles(client.get(CATALOG, {"life_stage": "seniors"})) == ["어르신 안부"]
    assert titles(client.get(CATALOG, {"benefit_type": "in_kind"})) == ["여성 안심"]


@pytest.mark.parametrize(
    "query",
    [
        {"district": "nope"},
        {"category": "<script>"},
        {"life_stage": "toddlers"},
        {"open_now": "maybe"},
        {"page": "abc"},
        {"page": "99999"},
        {"sort": "random"},
        {"q": "가" * 5000},
    ],
    ids=lambda q: next(iter(q)),
)
def test_bad_query_parameters_never_fail(client, query):
    ProgramFactory()

    response = client.get(CATALOG, query)

    assert response.status_code == 200


def test_bad_filter_value_is_reported_and_other_filters_still_apply(client):
    ProgramFactory(title="안전 사업", category="safety")
    ProgramFactory(title="소통 사업", category="social")

    response = client.get(CATALOG, {"category": "safety", "district": "nope"})

    assert titles(response) == ["안전 사업"]
    assert response.context["filter"].errors["district"]


def test_catalog_query_count_is_constant(client, django_assert_num_queries, uncached_pages):
    """Count + page: the same however many programs are on the page. The district list is read once
    per content version and then remembered by the process (portal.choices)."""
    ProgramFactory.create_batch(3)
    with django_assert_num_queries(3):
        client.get(CATALOG)  # the first one reads the district list too
    with django_assert_num_queries(2):
        client.get(CATALOG)
    ProgramFactory.create_batch(30)
    with django_assert_num_queries(3):
        client.get(CATALOG)  # the catalogue changed: the district list is read again, once
    with django_assert_num_queries(2):
        client.get(CATALOG)


def test_catalog_follows_the_browsers_language_until_the_visitor_chooses(client):
    """A browser asking for English gets English pages (Korean is the default for everyone else); the
    language switch's choice (a cookie) wins over the browser from then on."""
    ProgramFactory(title="청년 소모임", title_en="Youth meet-ups")

    english = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en"' in english and "Youth meet-ups" in english

    client.post(reverse("set_language"), {"language": "ko", "next": CATALOG})
    chosen = client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="ko"' in chosen and "청년 소모임" in chosen and "Youth meet-ups" not in chosen

    assert '<html lang="ko"' in client.get(CATALOG, HTTP_ACCEPT_LANGUAGE="fr-FR").content.decode()


def test_language_switch_shows_english_titles(client):
    ProgramFactory(title="청년 소모임", title_en="Youth meet-ups")

    switched = client.post(reverse("set_language"), {"language": "en", "next": CATALOG})
    page = client.get(switched["Location"]).content.decode()

    assert '<html lang="en"' in page
    assert "Youth meet-ups" in page


def test_program_page_shows_catalog_fields_and_policy_record(client):
    program = ProgramFactory(
        title="전세보증금 반환보증료 지원",
        legal_basis="서울특별시 중구 1인가구 지원 조례",
        required_documents="임대차계약서 사본",
        policy_number="2023-13",
    )
    PolicyOfficial.objects.create(program=program, department="복지정책과", position="과장", name="이춘배")
    PolicyMilestone.objects.create(
        program=program,
        start=timezone.localdate().replace(year=2022, month=1, day=1),
        description="총 30회 585명 참여",
    )

    page = client.get(program.get_absolute_url()).content.decode()

    for text in (
        "서울특별시 중구 1인가구 지원 조례",
        "임대차계약서 사본",
        "2023-13",
        "이춘배",
        "총 30회 585명 참여",
    ):
        assert text in page


def test_program_page_asks_anonymous_visitors_to_log_in(client):
    program = ProgramFactory()

    response = client.get(program.get_absolute_url())

    assert response.context["outcome"] is None
    assert reverse("households:login") in response.content.decode()


def test_program_page_tells_a_resident_whether_they_are_eligible(resident_client):
    program = ProgramFactory()
    add_rules(
        program,
        {"field": "age", "operator": "between", "value": [19, 39], "explanation": "만 19~39세 청년"},
        {
            "field": "monthly_income",
            "operator": "lte",
            "parameter": "median_income",
            "parameter_percent": 150,
            "explanation": "기준중위소득 150% 이하",
        },
    )

    response = resident_client.get(program.get_absolute_url())

    outcome = response.context["outcome"]
    assert outcome.verdict == "eligible"
    assert [line.passed for line in outcome.lines] == [True, True]
    page = response.content.decode()
    assert "만 19~39세 청년" in page and "2,100,000" in page


def test_program_page_lists_the_missing_fact(resident_client, resident):
    resident.household.crime_victim = None
    resident.household.save()
    program = ProgramFactory()
    add_rules(program, {"field": "crime_victim", "operator": "is_true", "explanation": "범죄 피해 1인가구"})

    response = resident_client.get(program.get_absolute_url())

    assert response.context["outcome"].verdict == "needs_info"
    assert reverse("households:profile_edit") in response.content.decode()


def test_unpublished_program_page_is_not_found(client):
    draft = ProgramFactory(status=ProgramStatus.DRAFT)

    assert client.get(draft.get_absolute_url()).status_code == 404


def test_may_qualify_lists_every_open_program_the_resident_passes(resident_client):
    today = timezone.localdate()
    youth = ProgramFactory(title="청년 사업", category="social")
    add_rules(youth, {"field": "age", "operator": "lte", "value": 39})
    safety = ProgramFactory(title="여성 안심", category="safety")
    add_rules(safety, {"field": "gender", "operator": "eq", "value": "female"})
    seniors = ProgramFactory(title="어르신 사업")
    add_rules(seniors, {"field": "age", "operator": "gte", "value": 65})
    ProgramFactory(
        title="마감 사업",
        application_end=today - timedelta(days=1),
        application_start=today - timedelta(days=9),
    )
    ProgramFactory(title="중구 사업", district=district(JUNGGU))

    response = resident_client.get(reverse("programs:may_qualify"))

    shown = {program.title for program, _outcome in response.context["results"]}
    assert shown == {"청년 사업", "여성 안심"}


def test_may_qualify_needs_a_login(client):
    response = client.get(reverse("programs:may_qualify"))

    assert response.status_code == 302
    assert reverse("households:login") in response["Location"]


def test_a_search_typed_in_decomposed_hangul_finds_the_same_programs(client):
    """Some keyboards send Hangul as jamo (NFD): "놀다가" decomposed must match the stored composed text."""
    import unicodedata

    ProgramFactory(title="놀다가 1인가구 모임")
    decomposed = unicodedata.normalize("NFD", "놀다가")
    assert decomposed != "놀다가"
    assert titles(client.get(CATALOG, {"q": decomposed})) == ["놀다가 1인가구 모임"]
    response = client.get("/api/v1/programs/", {"q": decomposed})
    assert [row["title"] for row in response.json()["results"]] == ["놀다가 1인가구 모임"]


def test_on_a_phone_the_filters_beyond_the_search_fold_away_unless_one_is_set(client):
    """The seven filters filled a phone's first screen: the search stays, the rest fold behind "More
    filters", opened when one of them is set (or wrong)."""
    ProgramFactory()
    plain = client.get(CATALOG).content.decode()
    start = plain.index('class="filters"')
    form = plain[start : plain.index("</form>", start)]
    assert '<details class="filters__more">' in form
    assert form.index('name="q"') < form.index("<details") < form.index('name="district"')
    chosen = client.get(CATALOG, {"category": "safety"}).content.decode()
    assert '<details class="filters__more" open>' in chosen
    wrong = client.get(CATALOG, {"district": "99999"}).content.decode()
    assert '<details class="filters__more" open>' in wrong
