"""portal.widgets: the Python-rendered widgets write Django's markup byte for byte."""

from __future__ import annotations

import pytest
from django import forms
from django.utils.translation import gettext_lazy as _

from portal.widgets import FastSelect, FastTextInput

CHOICES = [("", _("All districts")), ("a", 'A & "B"'), (1, "<one>"), (None, "none")]
ATTRS = [None, {"id": "id_x", "aria-invalid": "true", "aria-describedby": "id_x_error", "required": True}]


@pytest.mark.parametrize("value", [None, "", "a", "1", 1, ["a"], "missing", "<x>"])
@pytest.mark.parametrize("attrs", ATTRS)
def test_select_matches_django(value, attrs):
    expected = forms.Select(choices=CHOICES).render("district", value, attrs)

    assert FastSelect(choices=CHOICES).render("district", value, attrs) == expected


def test_select_with_option_groups_falls_back_to_django():
    grouped = [("Seoul", [("11620", "관악구")]), ("", "All")]

    expected = forms.Select(choices=grouped).render("d", "11620")

    assert FastSelect(choices=grouped).render("d", "11620") == expected


@pytest.mark.parametrize("value", [None, "", "청년 <모임>", 3])
@pytest.mark.parametrize("attrs", ATTRS)
def test_text_input_matches_django(value, attrs):
    expected = forms.TextInput(attrs={"maxlength": 100}).render("q", value, attrs)

    assert FastTextInput(attrs={"maxlength": 100}).render("q", value, attrs) == expected


def test_bound_field_with_errors_matches_django():
    class Plain(forms.Form):
        sort = forms.ChoiceField(choices=[("a", "A"), ("b", "B")])

    class Fast(forms.Form):
        sort = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=FastSelect)

    assert str(Fast({"sort": "zzz"})["sort"]) == str(Plain({"sort": "zzz"})["sort"])
