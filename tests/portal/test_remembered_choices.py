"""portal.choices: the district list public pages show, remembered per process and language."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal import choices
from portal.models import District

pytestmark = pytest.mark.django_db


def test_district_choices_are_read_once_per_language(django_assert_num_queries):
    with django_assert_num_queries(1):
        korean = choices.district_choices()
        assert choices.district_choices() is korean
    with translation.override("en"), django_assert_num_queries(1):
        english = choices.district_choices()

    codes = list(District.objects.order_by("code").values_list("code", flat=True))
    assert [code for code, _name in korean] == codes
    assert ("11620", "관악구") in korean and ("11620", "Gwanak-gu") in english


def test_saving_a_district_forgets_the_list():
    choices.district_choices()
    gwanak = District.objects.get(code="11620")
    gwanak.name = "관악구(개칭)"
    gwanak.save()

    assert ("11620", "관악구(개칭)") in choices.district_choices()


def test_the_list_is_read_again_after_its_time(monkeypatch, django_assert_num_queries):
    choices.district_choices()
    monkeypatch.setattr(choices, "CHOICES_TTL", 0.0)

    with django_assert_num_queries(1):
        choices.district_choices()


def test_catalog_district_filter_lists_them_and_still_validates_against_the_table(client):
    page = client.get("/programs/?district=11620").content.decode()
    assert '<option value="11620" selected>관악구</option>' in page

    response = client.get("/programs/?district=99999")
    assert response.context["filter"].errors["district"]
