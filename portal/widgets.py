"""Form widgets that render in Python instead of through Django's widget templates.

Django renders a <select> with one template {% include %} per option (and one more per option for its
attributes): the catalog's filter form, a list of 39 districts and four shorter lists, spent about a
third of the page's time there. These widgets write the same markup, byte for byte
(tests/portal/test_widgets.py compares them with Django's own), with plain string building. Anything
they do not handle (option groups, a widget with a template of its own) goes to Django's rendering.
"""

from __future__ import annotations

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


def render_attrs(attrs: dict) -> str:
    """Django's django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for
    False."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            parts.append(f" {name}")
        else:
            parts.append(f' {name}="{conditional_escape(str(value))}"')
    return "".join(parts)


class FastTextInput(forms.TextInput):
    """A TextInput rendered without its template (django/forms/widgets/input.html)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.TextInput.template_name:
            return super().render(name, value, attrs, renderer)
        value = self.format_value(value)
        shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
        final_attrs = render_attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - every value and attribute above is escaped
            f'<input type="{self.input_type}" name="{conditional_escape(name)}"{shown}{final_attrs}>'
        )


class FastSelect(forms.Select):
    """A single-choice Select rendered without its templates (select.html, select_option.html)."""

    def render(self, name, value, attrs=None, renderer=None):
        if self.template_name != forms.Select.template_name or self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        options = []
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)):
                return super().render(name, value, attrs, renderer)  # option groups: Django's markup
            if option_value is None:
                option_value = ""
            option_value = str(option_value)
            selected = not has_selected and option_value in values
            has_selected |= selected
            # Each option comes from its own template file, which ends with a newline.
            options.append(
                f'\n  <option value="{conditional_escape(option_value)}"{" selected" if selected else ""}>'
                f"{conditional_escape(option_label)}</option>\n"
            )
        final_attrs = render_attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(  # noqa: S308 - every value, label and attribute above is escaped
            f'<select name="{conditional_escape(name)}"{final_attrs}>{"".join(options)}\n</select>'
        )
