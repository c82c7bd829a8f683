"""The program card, status badge and application period, written in Python (programs/fragments.py)
instead of three nested template includes: the markup the templates wrote, escaped the same way."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone, translation

from programs import fragments
from programs.models import ProgramStatus
from tests.factories import ProgramFactory

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def test_card_markup(client):
    program = ProgramFactory(
        title="청년 <소모임> & 클래스",
        summary='"함께" 하는 1인가구',
        application_start=date(2026, 3, 1),
        application_end=date(2026, 3, 31),
    )

    card = fragments.program_card(program, TODAY)

    assert card == (
        f'<article class="card" aria-labelledby="program-{program.pk}-title">\n'
        '  <p class="card__status"><span class="badge badge--open"><span aria-hidden="true">● </span>'
        "신청 가능</span></p>\n"
        f'  <h3 class="card__title" id="program-{program.pk}-title"><a href="/programs/{program.pk}/"'
        ' lang="ko">청년 &lt;소모임&gt; &amp; 클래스</a></h3>\n'
        '  <p class="card__summary" lang="ko">&quot;함께&quot; 하는 1인가구</p>\n'
        '  <dl class="card__meta">\n'
        "    <div><dt>운영 기관</dt><dd>서울특별시 관악구</dd></div>\n"
        "    <div><dt>분야</dt><dd>사회적 관계</dd></div>\n"
        "    <div><dt>지원 형태</dt><dd>서비스</dd></div>\n"
        '    <div><dt>신청기간</dt><dd><time datetime="2026-03-01">2026.03.01</time> ~ '
        '<time datetime="2026-03-31">2026.03.31</time></dd></div>\n'
        "  </dl>\n"
        "</article>\n"
    )


def test_card_in_english_uses_the_english_columns_when_filled_in():
    with translation.override("en"):
        english = fragments.program_card(ProgramFactory(title_en="Youth club", summary_en=""), TODAY)

    assert 'lang="en">Youth club</a>' in english
    assert '<p class="card__summary" lang="ko">1인가구를 위한 지원 사업</p>' in english
    assert "<dt>Run by</dt><dd>Seoul Gwanak-gu</dd>" in english


@pytest.mark.parametrize(
    ("status", "start", "end", "state", "text"),
    [
        (ProgramStatus.PUBLISHED, None, None, "open", "● </span>신청 가능"),
        (ProgramStatus.PUBLISHED, TODAY + timedelta(days=1), None, "upcoming", "◐ </span>신청 예정"),
        (ProgramStatus.PUBLISHED, None, TODAY - timedelta(days=1), "closed", "○ </span>마감"),
        (ProgramStatus.CLOSED, None, None, "closed", "○ </span>마감"),
    ],
)
def test_status_badge(status, start, end, state, text):
    program = ProgramFactory(status=status, application_start=start, application_end=end)

    badge = fragments.status_badge(program, TODAY)

    assert badge.startswith(f'<span class="badge badge--{state}"><span aria-hidden="true">')
    assert text in badge


def test_status_badge_defaults_to_today_in_seoul():
    program = ProgramFactory(application_start=timezone.localdate() + timedelta(days=1))

    assert "badge--upcoming" in fragments.status_badge(program)


def test_application_period_variants():
    dated = ProgramFactory(application_end=date(2026, 4, 1), period_note="매월 <1일>")
    noted = ProgramFactory(period_note="연중 상시")
    open_ended = ProgramFactory()

    assert fragments.application_period(dated) == ' ~ <time datetime="2026-04-01">2026.04.01</time>'
    assert fragments.application_period(dated, show_note=True).endswith(
        '<br><span class="muted">매월 &lt;1일&gt;</span>'
    )
    assert fragments.application_period(noted) == "<span>연중 상시</span>"
    assert fragments.application_period(open_ended) == "상시 (마감 없음)"
    with translation.override("en"):
        assert fragments.application_period(noted) == '<span lang="ko">연중 상시</span>'
        assert fragments.application_period(open_ended) == "Any time (no deadline)"


def test_pages_show_the_cards(client):
    program = ProgramFactory(title="청년 소모임")

    for url in ("/", "/programs/"):
        page = client.get(url).content.decode()
        assert f'<article class="card" aria-labelledby="program-{program.pk}-title">' in page
        assert "badge--open" in page


def test_home_highlights_programs_open_now_soonest_deadline_first(client):
    today = timezone.localdate()
    later = ProgramFactory(title="나중 마감", application_end=today + timedelta(days=30))
    sooner = ProgramFactory(title="곧 마감", application_end=today + timedelta(days=3))
    ProgramFactory(title="마감된 사업", application_end=today - timedelta(days=1))
    ProgramFactory(title="종료 상태", status=ProgramStatus.CLOSED)
    ProgramFactory(title="준비 중", status=ProgramStatus.DRAFT)

    response = client.get("/")

    assert [p.title for p in response.context["highlights"]] == [sooner.title, later.title]
    assert response.context["open_count"] == 2
