"""Template helpers for Hana's pages: bilingual fields and accessible form fields."""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.conf import settings
from django.core.paginator import Page
from django.forms import BoundField, CheckboxInput
from django.http import QueryDict
from django.urls import get_script_prefix, get_urlconf
from django.utils.translation import get_language

from portal.i18n import is_english
from portal.i18n import localized as localized_value

register = template.Library()


@register.filter
def localized(obj: object, field: str) -> str:
    """`{{ program|localized:"title" }}`: the English column on English pages when filled in."""
    return localized_value(obj, field)


@register.filter
def lang_of(obj: object, field: str) -> str:
    """The language `localized` picks, for a `lang` attribute: "en" only if the English text exists."""
    return "en" if is_english() and getattr(obj, f"{field}_en", "") else "ko"


@register.filter
def minutes(value: timedelta | None) -> int | None:
    """A lock-out's length in whole minutes (django-axes passes a timedelta)."""
    if not isinstance(value, timedelta):
        return None
    return max(1, round(value.total_seconds() / 60))


@register.filter
def is_checkbox(field: BoundField) -> bool:
    """A single yes/no checkbox (its label goes after the box)."""
    return isinstance(field.field.widget, CheckboxInput)


@register.filter
def is_choice_group(field: BoundField) -> bool:
    """Radio buttons or a list of checkboxes: rendered inside <fieldset><legend>."""
    return bool(field.field.widget.use_fieldset)


@register.filter
def describedby(field: BoundField) -> str:
    """Ids of the hint and error texts of `field`, in the same form Django gives single inputs."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return " ".join(ids)


@register.filter
def error_anchor(field: BoundField) -> str:
    """Where an error summary link should land: the input itself, or a group's first option."""
    if field.field.widget.use_fieldset:
        return f"{field.auto_id}_0"
    return field.id_for_label or field.auto_id


@register.simple_tag
def querystring_page(querystring: str, number: int) -> str:
    """`?<current filters>&page=<number>` for pagination links that keep the filters."""
    query = QueryDict(querystring, mutable=True)
    query["page"] = str(number)
    return "?" + query.urlencode()


@register.simple_tag
def page_numbers(page_obj: Page) -> list:
    """Page numbers around the current page, with Paginator.ELLIPSIS where pages are left out."""
    return list(page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1))


# --- remembered fragments ------------------------------------------------------------------------

REMEMBERED_LIMIT = 2000  # distinct fragments a process keeps (languages x views x the given keys)
_remembered: dict[tuple, str] = {}


class RememberNode(template.Node):
    def __init__(self, enabled, keys, nodelist):
        self.enabled = enabled
        self.keys = keys
        self.nodelist = nodelist

    def render(self, context: template.Context) -> str:
        if settings.DEBUG or not self.enabled.resolve(context):
            return self.nodelist.render(context)
        key = (
            get_language(),
            get_script_prefix(),
            get_urlconf(),
            *(key.resolve(context) for key in self.keys),
        )
        html = _remembered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            if len(_remembered) < REMEMBERED_LIMIT:
                _remembered[key] = html
        return html


@register.tag
def remember(parser, token):
    """`{% remember <enabled> "name" key... %}…{% endremember %}`: the enclosed markup is rendered once
    per process for each language, script prefix and set of keys, and then reused.

    For page chrome that every request renders the same way (the menu, the footer: a dozen {% url %}s and
    {% translate %}s): everything the fragment shows must follow from the keys and the language, so no
    user's data, no CSRF token, nothing from the query string. When `enabled` is false (e.g. a logged-in
    user, whose menu holds a CSRF token and a count) or DEBUG is on (templates being edited), it renders
    as if the tag were not there.
    """
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError(f"{bits[0]} needs <enabled> and a name.")
    nodelist = parser.parse(("endremember",))
    parser.delete_first_token()
    return RememberNode(
        parser.compile_filter(bits[1]), [parser.compile_filter(bit) for bit in bits[2:]], nodelist
    )
