"""GET /api/v1/programs/: the public catalog over the API — listing, filters, sorting, paging, errors."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation
from rest_framework import serializers

from programs.api.catalog import ProgramListSerializer
from programs.models import PolicyMilestone, PolicyOfficial, ProgramStatus
from programs.selectors import public_programs
from tests.factories import GWANAK, JUNGGU, YEONGDEUNGPO, ProgramFactory, district, login

pytestmark = pytest.mark.django_db

URL = "/api/v1/programs/"


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


def ordered_titles(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def assert_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert error["status"] == status
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert set(error) <= {"status", "code", "message", "fields"}
    return error


def city_wide(**kwargs):
    return ProgramFactory(district=None, city=district(GWANAK).city, **kwargs)


# --- what is listed --------------------------------------------------------------------------------


def test_lists_published_and_closed_programs_only(client):
    ProgramFactory(title="게시됨", status=ProgramStatus.PUBLISHED)
    ProgramFactory(title="마감됨", status=ProgramStatus.CLOSED)
    ProgramFactory(title="초안", status=ProgramStatus.DRAFT)
    ProgramFactory(title="보관됨", status=ProgramStatus.ARCHIVED)

    response = client.get(URL)

    assert titles(response) == {"게시됨", "마감됨"}


def test_draft_and_archived_programs_have_no_detail(client):
    draft = ProgramFactory(status=ProgramStatus.DRAFT)
    archived = ProgramFactory(status=ProgramStatus.ARCHIVED)

    assert_error_shape(client.get(f"{URL}{draft.pk}/"), 404)
    assert_error_shape(client.get(f"{URL}{archived.pk}/"), 404)


# --- filters ---------------------------------------------------------------------------------------


def test_q_matches_a_korean_word_inside_a_compound_title(client):
    ProgramFactory(title="청년1인가구 소셜다이닝", title_en="Social dining", summary="요리 모임")
    ProgramFactory(
        title="어르신 건강 체크", title_en="Health check", summary="방문 건강관리", target_text="어르신"
    )

    assert titles(client.get(URL, {"q": "청년"})) == {"청년1인가구 소셜다이닝"}


def test_q_matches_an_english_word_case_insensitively(client):
    ProgramFactory(title="안심귀가 스카우트", title_en="Safe Return Scouts")
    ProgramFactory(title="반려식물 키우기", title_en="Houseplant Club")

    assert titles(client.get(URL, {"q": "scouts"})) == {"안심귀가 스카우트"}


def test_q_with_two_words_requires_both(client):
    ProgramFactory(title="청년 월세 지원", title_en="Youth rent support")
    ProgramFactory(title="청년 마음건강", title_en="Youth mental health")
    ProgramFactory(title="어르신 월세 지원", title_en="Senior rent support", target_text="어르신")

    assert titles(client.get(URL, {"q": "청년 월세"})) == {"청년 월세 지원"}


def test_district_filter_includes_own_and_same_city_wide_programs_only(client):
    ProgramFactory(title="관악구 사업", district=district(GWANAK))
    city_wide(title="서울시 전체 사업")
    ProgramFactory(title="중구 사업", district=district(JUNGGU))
    ProgramFactory(title="영등포구 사업", district=district(YEONGDEUNGPO))
    gwangju_district = district("29140")
    ProgramFactory(title="광주 시 전체 사업", district=None, city=gwangju_district.city)

    response = client.get(URL, {"district": GWANAK})

    assert titles(response) == {"관악구 사업", "서울시 전체 사업"}


def test_category_filter(client):
    ProgramFactory(title="안전", category="safety")
    ProgramFactory(title="주거", category="housing_jobs")

    assert titles(client.get(URL, {"category": "safety"})) == {"안전"}


@pytest.mark.parametrize(
    "stage, expected",
    [("youth", {"청년"}), ("middle_aged", {"중장년"}), ("seniors", {"어르신"})],
)
def test_life_stage_filter(client, stage, expected):
    ProgramFactory(title="청년", for_youth=True, for_middle_aged=False, for_seniors=False)
    ProgramFactory(title="중장년", for_youth=False, for_middle_aged=True, for_seniors=False)
    ProgramFactory(title="어르신", for_youth=False, for_middle_aged=False, for_seniors=True)

    assert titles(client.get(URL, {"life_stage": stage})) == expected


def test_women_filter(client):
    ProgramFactory(title="여성 안심", for_women=True)
    ProgramFactory(title="모두", for_women=False)

    assert titles(client.get(URL, {"women": "true"})) == {"여성 안심"}


def test_benefit_type_filter(client):
    ProgramFactory(title="현금", benefit_type="cash")
    ProgramFactory(title="바우처", benefit_type="voucher")

    assert titles(client.get(URL, {"benefit_type": "voucher"})) == {"바우처"}


@pytest.fixture
def periods():
    today = timezone.localdate()
    day = timedelta(days=1)
    ProgramFactory(title="진행 중", application_start=today - day, application_end=today + day)
    ProgramFactory(title="오늘 마감", application_start=today - 10 * day, application_end=today)
    ProgramFactory(title="상시", application_start=None, application_end=None)
    ProgramFactory(title="예정", application_start=today + day, application_end=today + 10 * day)
    ProgramFactory(title="지남", application_start=today - 10 * day, application_end=today - day)
    ProgramFactory(
        title="마감 처리", status=ProgramStatus.CLOSED, application_start=None, application_end=None
    )


def test_open_now_true_lists_programs_open_today(client, periods):
    assert titles(client.get(URL, {"open_now": "true"})) == {"진행 중", "오늘 마감", "상시"}


def test_open_now_false_lists_the_others(client, periods):
    assert titles(client.get(URL, {"open_now": "false"})) == {"예정", "지남", "마감 처리"}


# --- sorting ---------------------------------------------------------------------------------------


def test_sort_by_deadline_puts_open_programs_first_then_always_open_then_finished(client):
    today = timezone.localdate()
    ProgramFactory(title="지난 사업", application_end=today - timedelta(days=3))
    ProgramFactory(title="상시 사업", application_end=None)
    ProgramFactory(title="늦게 마감", application_end=today + timedelta(days=30))
    ProgramFactory(title="곧 마감", application_end=today + timedelta(days=2))
    ProgramFactory(title="마감 처리", status=ProgramStatus.CLOSED, application_end=today + timedelta(days=1))

    response = client.get(URL, {"sort": "deadline"})

    # Within the finished ones the deadline order holds too.
    assert ordered_titles(response) == ["곧 마감", "늦게 마감", "상시 사업", "지난 사업", "마감 처리"]


def test_sort_by_newest(client):
    for title in ("첫째", "둘째", "셋째"):
        ProgramFactory(title=title)

    assert ordered_titles(client.get(URL, {"sort": "newest"})) == ["셋째", "둘째", "첫째"]


def test_sort_by_title(client):
    for title in ("다람쥐", "가나다", "나비"):
        ProgramFactory(title=title)

    assert ordered_titles(client.get(URL, {"sort": "title"})) == ["가나다", "나비", "다람쥐"]


# --- paging ----------------------------------------------------------------------------------------


def test_pagination_shape(client):
    ProgramFactory.create_batch(3)

    body = client.get(URL, {"page_size": 2}).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "page=2" in body["next"]
    second = client.get(URL, {"page_size": 2, "page": 2}).json()
    assert len(second["results"]) == 1
    assert second["next"] is None
    assert second["previous"] is not None


def test_default_page_size_is_20(client):
    ProgramFactory.create_batch(25)

    assert len(client.get(URL).json()["results"]) == 20


def test_page_size_is_capped_at_100(client):
    ProgramFactory.create_batch(105)

    body = client.get(URL, {"page_size": 500}).json()

    assert body["count"] == 105
    assert len(body["results"]) == 100


def test_list_row_fields(client):
    program = ProgramFactory(title="관악 사업", district=district(GWANAK))

    row = client.get(URL).json()["results"][0]

    assert row["id"] == program.pk
    assert row["district"] == GWANAK
    assert row["city"] == "11"
    assert row["owner"] == "서울특별시 관악구"
    assert row["url"] == f"/programs/{program.pk}/"


@pytest.mark.parametrize("language", ["ko", "en"])
def test_list_rows_are_what_drf_field_by_field_rendering_gives(client, language):
    """ProgramListSerializer writes its rows itself; they must be exactly what its declared fields
    (the ones the OpenAPI schema describes) would give."""
    today = timezone.localdate()
    ProgramFactory(title_en="", summary_en="", capacity=20, period_note="연중 <상시>")
    ProgramFactory(application_start=today - timedelta(days=3), application_end=today + timedelta(days=3))
    ProgramFactory(application_start=today + timedelta(days=3), status=ProgramStatus.CLOSED)
    city_wide(for_women=True, for_seniors=True, selection_method="lottery")

    rows = client.get(URL, HTTP_COOKIE=f"django_language={language}").json()["results"]

    with translation.override(language):
        programs = {p.pk: p for p in public_programs()}
        serializer = ProgramListSerializer()
        generic = {
            pk: serializers.ModelSerializer.to_representation(serializer, program)
            for pk, program in programs.items()
        }
    assert len(rows) == 4
    for row in rows:
        assert list(row) == list(generic[row["id"]])
        assert row == generic[row["id"]]


# --- query counts ----------------------------------------------------------------------------------

# COUNT(*) for the paginator, then one SELECT of the page joined to city and district.
LIST_QUERIES = 2


@pytest.mark.parametrize("page_size", [5, 50])
def test_list_query_count_does_not_grow_with_page_size(client, django_assert_num_queries, page_size):
    for index in range(60):
        ProgramFactory(district=district(GWANAK) if index % 2 else None)

    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(URL, {"page_size": page_size})

    assert len(response.json()["results"]) == page_size


# One more than the plain list: validating district=<code> looks the district up.
FILTERED_LIST_QUERIES = LIST_QUERIES + 1


@pytest.mark.parametrize("page_size", [5, 50])
def test_filtered_list_query_count_does_not_grow_with_page_size(client, django_assert_num_queries, page_size):
    ProgramFactory.create_batch(60, category="safety")
    params = {
        "page_size": page_size,
        "district": GWANAK,
        "category": "safety",
        "q": "청년",
        "open_now": "true",
    }

    with django_assert_num_queries(FILTERED_LIST_QUERIES):
        response = client.get(URL, params)

    assert len(response.json()["results"]) == page_size


# --- detail ----------------------------------------------------------------------------------------


def test_detail_includes_officials_and_milestones(client):
    program = ProgramFactory(policy_number="2026-07")
    PolicyOfficial.objects.create(
        program=program, department="1인가구지원과", position="과장", name="이정책", order=1
    )
    PolicyOfficial.objects.create(
        program=program, department="1인가구지원과", position="주무관", name="박실무", order=2
    )
    PolicyMilestone.objects.create(program=program, start=timezone.localdate(), description="사업 계획 수립")

    body = client.get(f"{URL}{program.pk}/").json()

    assert body["policy_number"] == "2026-07"
    assert [o["name"] for o in body["officials"]] == ["이정책", "박실무"]
    assert body["officials"][0] == {"department": "1인가구지원과", "position": "과장", "name": "이정책"}
    assert [m["description"] for m in body["milestones"]] == ["사업 계획 수립"]
    assert body["rule_version"] == program.rule_version


# The program joined to city and district, then one query each for officials and milestones.
DETAIL_QUERIES = 3


@pytest.mark.parametrize("extra", [1, 10])
def test_detail_query_count_is_constant(client, django_assert_num_queries, extra):
    program = ProgramFactory()
    for n in range(extra):
        PolicyOfficial.objects.create(program=program, department="과", position="주무관", name=f"담당{n}")
        PolicyMilestone.objects.create(program=program, start=timezone.localdate(), description=f"단계 {n}")

    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(f"{URL}{program.pk}/")

    assert len(response.json()["officials"]) == extra


# --- language --------------------------------------------------------------------------------------


def test_english_request_gets_english_title_and_summary(client):
    ProgramFactory(title="안심귀가", title_en="Safe return home", summary="귀가 동행", summary_en="Walk home")

    row = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]

    assert row["title"] == "Safe return home"
    assert row["summary"] == "Walk home"


def test_english_request_falls_back_to_korean_when_no_english_text(client):
    ProgramFactory(title="안심귀가", title_en="")

    assert titles(client.get(URL, HTTP_ACCEPT_LANGUAGE="en")) == {"안심귀가"}


def test_korean_request_gets_korean_title(client):
    ProgramFactory(title="안심귀가", title_en="Safe return home")

    assert titles(client.get(URL, HTTP_ACCEPT_LANGUAGE="ko")) == {"안심귀가"}


# --- bad input -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"district": "nope"}, "district"),
        ({"category": "xyz"}, "category"),
        ({"life_stage": "toddlers"}, "life_stage"),
        ({"benefit_type": "gold"}, "benefit_type"),
        ({"sort": "random"}, "sort"),
        ({"q": "가" * 5000}, "q"),
    ],
    ids=["district", "category", "life_stage", "benefit_type", "sort", "q-5000-chars"],
)
def test_invalid_filter_value_is_a_400_naming_the_field(client, params, field):
    ProgramFactory()

    error = assert_error_shape(client.get(URL, params), 400)

    assert error["code"] == "invalid"
    assert list(error["fields"]) == [field]


@pytest.mark.parametrize("page", ["abc", "99999", "0", "-1"])
def test_a_page_that_does_not_exist_is_a_404_in_the_error_format(client, page):
    # DRF answers "Invalid page." with 404 for any page number it cannot serve, malformed or too big.
    ProgramFactory()

    error = assert_error_shape(client.get(URL, {"page": page}), 404)

    assert error["code"] == "not_found"


@pytest.mark.parametrize("page_size", ["-1", "0", "abc"])
def test_an_unusable_page_size_falls_back_to_the_default(client, page_size):
    # DRF ignores a page_size it cannot use rather than refusing the request.
    ProgramFactory.create_batch(25)

    body = client.get(URL, {"page_size": page_size}).json()

    assert len(body["results"]) == 20


def test_open_now_with_an_unknown_value_is_ignored_not_a_500(client, periods):
    response = client.get(URL, {"open_now": "maybe"})

    assert titles(response) == {"진행 중", "오늘 마감", "상시", "예정", "지남", "마감 처리"}


def test_unknown_bracketed_parameter_is_ignored_not_a_500(client):
    ProgramFactory(title="관악", district=district(GWANAK))
    ProgramFactory(title="중구", district=district(JUNGGU))

    response = client.get(f"{URL}?district[]=x")

    assert titles(response) == {"관악", "중구"}


def test_repeated_district_parameter_uses_the_last_value(client):
    # A repeated query parameter is read as its last value, as Django's QueryDict.get does.
    ProgramFactory(title="관악", district=district(GWANAK))
    ProgramFactory(title="중구", district=district(JUNGGU))

    assert titles(client.get(f"{URL}?district={JUNGGU}&district={GWANAK}")) == {"관악"}
    error = assert_error_shape(client.get(f"{URL}?district={GWANAK}&district=nope"), 400)
    assert "district" in error["fields"]


def test_detail_of_a_non_numeric_id_is_a_404_in_the_error_format(client):
    response = client.get(f"{URL}abc/")

    assert_error_shape(response, 404)


def test_writes_are_refused(client, resident):
    program = ProgramFactory()
    resident_client = login(client, resident)

    assert_error_shape(resident_client.post(URL, {"title": "x"}), 405)
    assert_error_shape(resident_client.delete(f"{URL}{program.pk}/"), 405)


def test_missing_program_has_the_not_found_code(client):
    error = assert_error_shape(client.get(f"{URL}999999/"), 404)

    assert error["code"] == "not_found"


@pytest.mark.parametrize("pk", ["999999", "-1", "99999999999999999999999"])
def test_missing_program_is_a_404_in_the_error_format(client, pk):
    assert_error_shape(client.get(f"{URL}{pk}/"), 404)


def test_null_character_in_q_is_a_400(client):
    error = assert_error_shape(client.get(URL, {"q": "청년\x00"}), 400)

    assert "q" in error["fields"]
