"""Open data: the program catalog as CSV and JSON for public data portals (공공데이터포털).

Published programs only, and nothing personal: the columns are the public catalog fields under the
names Korean welfare catalogs (복지로) use, plus stable identifiers, the owning authority, the category
and the time of the last change. Of the policy real-name record (정책실명제) only the responsible
department is exported; officials' names stay on the program page.

The column names and their order are a published interface: add columns at the end, never rename.
Texts are the Korean originals (English titles and summaries have columns of their own) and choice
labels are Korean whatever the visitor's language, so every download of the same data is identical.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from functools import cache
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import get_script_prefix, get_urlconf
from django.utils import timezone, translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from portal.jsontext import dumps_indented
from portal.pagecache import shared_page

from ..fragments import detail_urls
from ..models import BenefitType, Category, Program, SelectionMethod

MAX_AGE = 3600  # seconds public caches may keep a download: the catalog changes a few times a day

# (column, how to read it from a program). 복지로 names for the catalog fields.
COLUMNS: list[tuple[str, Any]] = [
    ("ID", lambda p: p.pk),
    ("서비스ID", lambda p: p.slug),
    ("서비스명", lambda p: p.title),
    ("서비스명(영문)", lambda p: p.title_en),
    ("서비스요약", lambda p: p.summary),
    ("서비스요약(영문)", lambda p: p.summary_en),
    ("서비스분야", lambda p: _label("category", p.category)),
    ("서비스분야코드", lambda p: p.category),
    ("지원유형", lambda p: _label("benefit_type", p.benefit_type)),
    ("생애주기", lambda p: _life_stages(p)),
    ("지원대상", lambda p: p.target_text),
    ("지원내용", lambda p: p.benefit_text),
    ("선정기준", lambda p: p.selection_text),
    ("선정방법", lambda p: _label("selection_method", p.selection_method)),
    ("신청기간", lambda p: _period(p)),
    ("신청시작일", lambda p: p.application_start.isoformat() if p.application_start else None),
    ("신청종료일", lambda p: p.application_end.isoformat() if p.application_end else None),
    ("신청방법", lambda p: p.how_to_apply),
    ("구비서류", lambda p: p.required_documents),
    ("모집인원", lambda p: p.capacity),
    ("담당부서", lambda p: p.department),
    ("문의처", lambda p: p.contact),
    ("근거법령", lambda p: p.legal_basis),
    ("소관기관코드", lambda p: p.district.code if p.district_id else p.city.code),
    ("소관기관명", lambda p: p.owner_name),
    ("시도명", lambda p: p.city.name),
    ("시군구명", lambda p: p.district.name if p.district_id else None),
    ("상세조회URL", lambda p: settings.SITE_URL.rstrip("/") + _detail_url(p.pk)),
    ("수정일시", lambda p: timezone.localtime(p.updated_at).isoformat(timespec="seconds")),
]
FIELDS = [name for name, _read in COLUMNS]

_CHOICES = {"category": Category, "benefit_type": BenefitType, "selection_method": SelectionMethod}


@cache
def _labels(field: str) -> dict[str, str]:
    """A choice field's Korean labels by value (what get_<field>_display() gives inside
    program_records' Korean override), translated once per process instead of once per cell."""
    with translation.override("ko"):
        return {value: str(label) for value, label in _CHOICES[field].choices}


def _label(field: str, value: str) -> str:
    return _labels(field).get(value, value)  # an unknown value shows as itself, as Django's display does


def _detail_url(pk: int) -> str:
    return _detail_urls(get_script_prefix(), get_urlconf())(pk)


@cache
def _detail_urls(script_prefix: str, urlconf: str | None):
    """One URL maker (fragments.detail_urls: a single reverse()) for every row, per script prefix and
    URLconf: what reverse() depends on here."""
    return detail_urls()


def _life_stages(program: Program) -> str:
    stages = [
        ("청년", program.for_youth),
        ("중장년", program.for_middle_aged),
        ("노년", program.for_seniors),
        ("여성", program.for_women),
    ]
    return ", ".join(name for name, applies in stages if applies)


def _period(program: Program) -> str:
    dates = ""
    if program.application_start or program.application_end:
        start = program.application_start.isoformat() if program.application_start else ""
        end = program.application_end.isoformat() if program.application_end else ""
        dates = f"{start} ~ {end}".strip()
    return " ".join(part for part in (dates, program.period_note) if part)


def published_programs():
    return Program.objects.published().select_related("city", "district").order_by("pk")


def program_records() -> Iterator[dict[str, Any]]:
    """One dict per published program, keys in column order, labels in Korean."""
    with translation.override("ko"):
        for program in published_programs().iterator(chunk_size=500):
            yield {name: read(program) for name, read in COLUMNS}


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site may fetch it
    return response


class _Echo:
    def write(self, value: str) -> str:
        return value


# A cell that a spreadsheet would run as a formula is prefixed with an apostrophe (CSV injection).
# "-" is left alone: Korean documents lists start lines with it, and a leading "-" text is no formula.
_FORMULA_START = ("=", "+", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@require_safe
@shared_page(last_modified=True, streaming=True)
def programs_csv(request: HttpRequest) -> StreamingHttpResponse:
    """UTF-8 with a byte-order mark, so Excel (the usual reader on Korean portals) opens it as UTF-8."""
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(FIELDS)
        for record in program_records():
            yield writer.writerow([_cell(record[name]) for name in FIELDS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="hana-programs.csv"'
    return _public(response)


@require_safe
@shared_page(last_modified=True)
def programs_json(request: HttpRequest) -> HttpResponse:
    records = list(program_records())
    body = {
        "name": "hana-programs",
        "description": "1인가구 지원 사업 목록 (게시 중인 사업)",
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "fields": FIELDS,
        "count": len(records),
        "data": records,
    }
    # dumps_indented: json.dumps(body, ensure_ascii=False, indent=1), byte for byte, but fast.
    response = HttpResponse(dumps_indented(body, indent=1), content_type="application/json; charset=utf-8")
    return _public(response)
