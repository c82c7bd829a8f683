"""Template helpers for program pages: `{% load programs_tags %}`."""

from __future__ import annotations

from datetime import date

from django import template
from django.utils import timezone
from django.utils.safestring import SafeString

from .. import fragments
from ..eligibility import stored_text

register = template.Library()


def _today(context: template.Context) -> date:
    """Today in Seoul, computed once per page render rather than once per card."""
    render_context = context.render_context
    if "programs_today" not in render_context:
        render_context["programs_today"] = timezone.localdate()
    return render_context["programs_today"]


def _detail_urls(context: template.Context):
    """One program-page URL maker per page render (fragments.detail_urls)."""
    render_context = context.render_context
    if "programs_detail_urls" not in render_context:
        render_context["programs_detail_urls"] = fragments.detail_urls()
    return render_context["programs_detail_urls"]


@register.filter
def application_state(program) -> str:
    """The status badge's state: "open", "upcoming" (published, period not started) or "closed"."""
    return fragments.application_state(program)


@register.simple_tag(takes_context=True)
def program_card(context: template.Context, program, eligibility_slot: bool = False) -> SafeString:
    """`{% program_card program %}`: a program in a list (programs/fragments.py);
    `eligibility_slot=True` leaves the place of the visitor's eligibility tag."""
    return fragments.program_card(program, _today(context), _detail_urls(context), slot=eligibility_slot)


@register.simple_tag(takes_context=True)
def status_badge(context: template.Context, program) -> SafeString:
    """`{% status_badge program %}`: open, opening soon or closed."""
    return fragments.status_badge(program, _today(context))


@register.simple_tag
def application_period(program, show_note: bool = False) -> SafeString:
    """`{% application_period program show_note=True %}`: the dates, else the note, else "any time"."""
    return fragments.application_period(program, show_note=show_note)


@register.filter
def in_reader_language(line: dict, key: str) -> str:
    """`{{ line|in_reader_language:"rule" }}`: a kept eligibility line's text in the page's language."""
    return stored_text(line, key)
