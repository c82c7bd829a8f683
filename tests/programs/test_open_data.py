"""Open data: the published program catalog as CSV (UTF-8 with BOM) and JSON under 복지로 field names."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from programs.models import PolicyOfficial
from programs.views.open_data import FIELDS
from tests.factories import JUNGGU, ProgramFactory, district

CSV_URL = "/open-data/programs.csv"
JSON_URL = "/open-data/programs.json"

# The published interface: these names, in this order, at the start of every file.
EXPECTED_FIELDS = [
    "ID",
    "서비스ID",
    "서비스명",
    "서비스명(영문)",
    "서비스요약",
    "서비스요약(영문)",
    "서비스분야",
    "서비스분야코드",
    "지원유형",
    "생애주기",
    "지원대상",
    "지원내용",
    "선정기준",
    "선정방법",
    "신청기간",
    "신청시작일",
    "신청종료일",
    "신청방법",
    "구비서류",
    "모집인원",
    "담당부서",
    "문의처",
    "근거법령",
    "소관기관코드",
    "소관기관명",
    "시도명",
    "시군구명",
    "상세조회URL",
    "수정일시",
]


@pytest.fixture
def catalog(db):
    published = ProgramFactory(
        slug="youth-club",
        title="청년 1인가구 소모임",
        title_en="Youth club",
        summary="함께 요리하고 이야기하는 모임",
        category="social",
        benefit_type="service",
        for_middle_aged=True,
        target_text="관악구 거주 19~39세 1인가구",
        benefit_text="월 2회 모임 활동비",
        selection_text="선착순",
        selection_method="first_come",
        application_start=date(2026, 3, 1),
        application_end=date(2026, 3, 31),
        period_note="예산 소진 시 마감",
        how_to_apply="온라인 신청",
        required_documents="- 신분증\n- 주민등록등본",
        capacity=30,
        department="관악구 1인가구지원과",
        contact="02-879-0000",
        legal_basis="관악구 1인가구 지원 조례",
    )
    PolicyOfficial.objects.create(
        program=published, department="1인가구지원과", position="주무관", name="홍길동"
    )
    citywide = ProgramFactory(slug="seoul-wide", district=None, title='=HYPERLINK("http://x")')
    ProgramFactory(slug="jung-gu", district=district(JUNGGU))
    ProgramFactory(slug="secret-draft", title="준비 중인 사업", status="draft")
    ProgramFactory(slug="old-one", status="archived")
    ProgramFactory(slug="closed-one", status="closed")
    return published, citywide


def _csv(client):
    response = client.get(CSV_URL)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    return response, body


def test_csv_has_a_bom_and_the_documented_columns(client, catalog):
    response, body = _csv(client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert list(rows[0].keys()) == EXPECTED_FIELDS == FIELDS
    youth = next(row for row in rows if row["서비스ID"] == "youth-club")
    assert youth["서비스명"] == "청년 1인가구 소모임"
    assert (youth["서비스분야"], youth["서비스분야코드"]) == ("사회적 관계", "social")
    assert (youth["지원유형"], youth["선정방법"]) == ("서비스", "선착순")
    assert youth["지원대상"] == "관악구 거주 19~39세 1인가구"
    assert youth["신청기간"] == "2026-03-01 ~ 2026-03-31 예산 소진 시 마감"
    assert youth["구비서류"] == "- 신분증\n- 주민등록등본"  # multi-line cell, "-" lists untouched
    assert youth["모집인원"] == "30"
    assert youth["담당부서"] == "관악구 1인가구지원과"
    assert youth["소관기관코드"] == "11620"
    assert youth["상세조회URL"].endswith(f"/programs/{catalog[0].pk}/")
    assert youth["생애주기"] == "청년, 중장년"


def test_only_published_programs(client, catalog):
    _response, body = _csv(client)
    slugs = {row["서비스ID"] for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert slugs == {"youth-club", "seoul-wide", "jung-gu"}
    data = client.get(JSON_URL).json()
    assert {row["서비스ID"] for row in data["data"]} == slugs
    assert "준비 중인 사업" not in body.decode("utf-8-sig")


def test_no_personal_data_of_officials(client, catalog):
    _response, body = _csv(client)
    text = body.decode("utf-8-sig") + client.get(JSON_URL).content.decode()
    assert "홍길동" not in text


def test_a_cell_that_looks_like_a_formula_is_defused(client, catalog):
    _response, body = _csv(client)
    rows = {row["서비스ID"]: row for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))}
    assert rows["seoul-wide"]["서비스명"].startswith("'=")
    assert rows["seoul-wide"]["소관기관코드"] == "11"  # a city-wide program belongs to the city
    assert rows["seoul-wide"]["시군구명"] == ""


def test_json_structure(client, catalog):
    response = client.get(JSON_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert set(data) == {"name", "description", "generated_at", "fields", "count", "data"}
    assert data["fields"] == EXPECTED_FIELDS
    assert data["count"] == len(data["data"]) == 3
    youth = next(row for row in data["data"] if row["서비스ID"] == "youth-club")
    assert list(youth) == EXPECTED_FIELDS
    assert youth["모집인원"] == 30
    assert youth["신청시작일"] == "2026-03-01"
    assert youth["ID"] == catalog[0].pk
    citywide = next(row for row in data["data"] if row["서비스ID"] == "seoul-wide")
    assert citywide["시군구명"] is None and citywide["모집인원"] is None
    assert "서비스명" in response.content.decode("utf-8")  # real UTF-8, not \\u escapes


@pytest.mark.parametrize("url", [CSV_URL, JSON_URL])
def test_public_and_cacheable(client, catalog, url):
    response = client.get(url)
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert client.post(url).status_code == 405


def test_same_content_whatever_the_visitors_language(client, catalog):
    korean = client.get(JSON_URL).json()["data"]
    client.cookies["django_language"] = "en"
    english = client.get(JSON_URL).json()["data"]
    assert korean == english
    assert {row["서비스분야"] for row in korean} == {"사회적 관계"}


def test_empty_catalog(client, db):
    _response, body = _csv(client)
    assert body.decode("utf-8-sig").strip() == ",".join(EXPECTED_FIELDS)
    assert client.get(JSON_URL).json()["count"] == 0
