"""Template helpers for program pages: `{% load programs_tags %}`."""

from __future__ import annotations

from django import template
from django.utils import timezone

from ..models import ProgramStatus

register = template.Library()


@register.filter
def application_state(program) -> str:
    """The status badge's state: "open", "upcoming" (published, period not started) or "closed"."""
    if program.is_open_now:
        return "open"
    start = program.application_start
    if program.status == ProgramStatus.PUBLISHED and start is not None and start > timezone.localdate():
        return "upcoming"
    return "closed"
