"""HTML fragments that program lists repeat per row: the card, its status badge and its application
period. Built in Python, not template includes.

The catalog shows 12 cards a page and the home page 6; as three nested {% include %}s each (card,
badge, period), with their `localized`/`lang_of`/`date` filters, they were about a third of an uncached
catalog page (~0.35 ms a card against ~0.03 ms here). The markup is the one the templates wrote
(tests/programs/test_program_fragments.py pins it); templates use it through programs_tags:
{% program_card program %}, {% status_badge program %}, {% application_period program %}.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import cache

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString, mark_safe
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from .models import BenefitType, Category, Program, ProgramStatus


def _esc(value) -> str:
    """django.utils.html.conditional_escape without its lazy-string wrapper (which cost more than the
    escaping): the same html.escape."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


@cache
def _texts(language: str) -> dict[str, str]:
    """Every fixed text of a card in `language`, translated and escaped once per process and language
    (a gettext call costs about as much as the rest of a card)."""
    with override(language):
        texts = {
            "open": _("Open for applications"),
            "upcoming": _("Opening soon"),
            "closed": _("Closed"),
            "any_time": _("Any time (no deadline)"),
            "run_by": _("Run by"),
            "area": _("Area"),
            "benefit_type": _("Benefit type"),
            "period": _("Application period"),
            **{f"category:{value}": str(label) for value, label in Category.choices},
            **{f"benefit:{value}": str(label) for value, label in BenefitType.choices},
        }
    return {key: _esc(text) for key, text in texts.items()}


def _language() -> str:
    return get_language() or "ko"


_URL_MARKER = 987654321


def detail_urls() -> Callable[[int], str]:
    """A maker of program page URLs, `Program.get_absolute_url` without a reverse() per row: one
    reverse for a marker id (under the current script prefix), whose place the row's id takes."""
    head, _marker, tail = reverse("programs:detail", args=[_URL_MARKER]).rpartition(str(_URL_MARKER))
    return lambda pk: f"{head}{pk}{tail}"


def application_state(program: Program, today: date | None = None) -> str:
    """The status badge's state: "open", "upcoming" (published, period not started) or "closed"."""
    today = today or timezone.localdate()
    if program.is_open_on(today):
        return "open"
    start = program.application_start
    if program.status == ProgramStatus.PUBLISHED and start is not None and start > today:
        return "upcoming"
    return "closed"


BADGE_MARKS = {"open": "● ", "upcoming": "◐ ", "closed": "○ "}


def status_badge(program: Program, today: date | None = None, language: str | None = None) -> SafeString:
    state = application_state(program, today)
    text = _texts(language or _language())[state]
    mark = BADGE_MARKS[state]
    return mark_safe(  # noqa: S308 - state and mark are ours, the text is escaped
        f'<span class="badge badge--{state}"><span aria-hidden="true">{mark}</span>{text}</span>'
    )


def _day(value: date) -> str:
    # The templates' |date:'Y-m-d' and |date:"Y.m.d".
    return f'<time datetime="{value:%Y-%m-%d}">{value:%Y.%m.%d}</time>'


def application_period(program: Program, show_note: bool = False, language: str | None = None) -> SafeString:
    """Dates as Y.m.d when set, otherwise the 신청기간 note, otherwise "any time". With show_note the
    note is also shown under the dates (program page). The note is Korean: marked so on other pages."""
    language = language or _language()
    start, end, note = program.application_start, program.application_end, program.period_note
    note_lang = "" if language == "ko" else ' lang="ko"'
    if start or end:
        period = (_day(start) if start else "") + " ~ " + (_day(end) if end else "")
        if show_note and note:
            period += f'<br><span class="muted"{note_lang}>{_esc(note)}</span>'
        return mark_safe(period)  # noqa: S308 - dates are formatted by us, the note is escaped
    if note:
        return mark_safe(f"<span{note_lang}>{_esc(note)}</span>")  # noqa: S308 - escaped
    return mark_safe(_texts(language)["any_time"])  # noqa: S308 - escaped in _texts


def _bilingual(program: Program, field: str, english: bool) -> tuple[str, str]:
    """(text, lang): `portal.i18n.localized` and the `lang_of` filter in one step."""
    if english:
        text = getattr(program, f"{field}_en", "")
        if text:
            return text, "en"
    return getattr(program, field), "ko"


def eligibility_slot(pk: int) -> str:
    """Where a card shows a logged-in resident's eligibility: the card itself is the same for everyone
    and cached for everyone, and programs.views.catalog puts each visitor's tag in its place."""
    return f"<!--eligibility:{pk}-->"


def program_card(
    program: Program,
    today: date | None = None,
    url: Callable[[int], str] | None = None,
    *,
    slot: bool = False,
) -> SafeString:
    """A program in a list (home, catalog, "Programs for me"): badge, title link, summary, who runs
    it, area, benefit type and application period. `url`: a detail_urls() maker shared by a list;
    `slot`: leave the place for the visitor's eligibility tag (eligibility_slot)."""
    language = _language()
    texts = _texts(language)
    english = language.startswith("en")  # portal.i18n.is_english
    title, title_lang = _bilingual(program, "title", english)
    summary, summary_lang = _bilingual(program, "summary", english)
    pk = program.pk
    category = texts[f"category:{program.category}"]
    benefit = texts[f"benefit:{program.benefit_type}"]
    badge = status_badge(program, today, language)
    period = application_period(program, language=language)
    href = _esc(url(pk) if url else program.get_absolute_url())
    return mark_safe(  # noqa: S308 - every value from the program is escaped; texts are escaped in _texts
        f'<article class="card" aria-labelledby="program-{pk}-title">\n'
        f'  <p class="card__status">{badge}</p>\n'
        f"{eligibility_slot(pk) if slot else ''}"
        f'  <h3 class="card__title" id="program-{pk}-title"><a href="{href}"'
        f' lang="{title_lang}">{_esc(title)}</a></h3>\n'
        f'  <p class="card__summary" lang="{summary_lang}">{_esc(summary)}</p>\n'
        f'  <dl class="card__meta">\n'
        f"    <div><dt>{texts['run_by']}</dt><dd>{_esc(program.owner_name)}</dd></div>\n"
        f"    <div><dt>{texts['area']}</dt><dd>{category}</dd></div>\n"
        f"    <div><dt>{texts['benefit_type']}</dt><dd>{benefit}</dd></div>\n"
        f"    <div><dt>{texts['period']}</dt><dd>{period}</dd></div>\n"
        f"  </dl>\n"
        f"</article>\n"
    )
