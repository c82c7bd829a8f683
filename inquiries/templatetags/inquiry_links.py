"""Template tags with which the record pages of the lower apps (a program application, a space booking, a
safety kit request, a parcel) offer "Ask about this" and link to the resident's questions about the record.

Those apps must not import inquiries (the layers): their templates only `{% load inquiry_links %}`, a
runtime lookup, and the reads stay here.

    {% about_record "application" application.pk %}           one record page (one query)
    {% inquiries_about "parcel" page_obj.object_list as threads %}
    {% about_record "parcel" delivery.pk threads=threads compact=True %}   a list page (one query in all)
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from ..models import SubjectKind
from ..selectors import threads_about

register = template.Library()


def _user(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


@register.simple_tag(takes_context=True)
def inquiries_about(context, kind: str, records) -> dict:
    """The resident's inquiries about these records (objects with a pk), by record id."""
    return threads_about(_user(context), kind, [getattr(record, "pk", None) for record in records or ()])


@register.inclusion_tag("inquiries/_about_record.html", takes_context=True)
def about_record(
    context, kind: str, pk, threads: dict | None = None, compact: bool = False, label: str = ""
) -> dict:
    """The "Ask about this" link (the form with the record preselected) and the resident's threads about
    it. `threads`: what inquiries_about read for a whole list page; without it, one query here. `label`
    tells screen readers which record a compact link is about (a list page has one per card)."""
    user = _user(context)
    if user is None or kind not in SubjectKind.values or not isinstance(pk, int):
        return {"show": False}
    found = (threads if threads is not None else threads_about(user, kind, [pk])).get(pk, [])
    return {
        "show": True,
        "ask_url": f"{reverse('inquiries:new')}?{urlencode({'about': f'{kind}:{pk}'})}",
        "threads": found,
        "kind": kind,
        "pk": pk,
        "compact": compact,
        "label": label,
    }
