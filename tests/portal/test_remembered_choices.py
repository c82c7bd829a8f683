"""portal.choices: the district list public pages show, remembered per process, language and content
version."""

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


def test_any_content_change_elsewhere_makes_every_process_read_it_again(django_assert_num_queries):
    """Another process's change reaches this one through the shared version (portal.pagecache)."""
    from portal import pagecache

    choices.district_choices()
    pagecache._set_new_version()  # what a bump in another process leaves in the shared cache
    with django_assert_num_queries(1):
        choices.district_choices()


def test_with_the_cache_unreachable_the_list_is_read_each_time(monkeypatch, django_assert_num_queries):
    from portal import pagecache

    monkeypatch.setattr(pagecache, "current_version", lambda: None)
    with django_assert_num_queries(2):
        choices.district_choices()
        choices.district_choices()


def test_catalog_district_filter_lists_them_and_still_validates_against_the_table(client):
    page = client.get("/programs/?district=11620").content.decode()
    assert '<option value="11620" selected>관악구</option>' in page

    response = client.get("/programs/?district=99999")
    assert response.context["filter"].errors["district"]


def test_districts_that_share_a_name_carry_their_city(client):
    """Seoul's and Daegu's 중구 were two identical lines in the catalogue's district filter."""
    korean = dict(choices.district_choices())
    assert korean["11140"] == "서울특별시 중구" and korean["27110"] == "대구광역시 중구"
    assert korean["11620"] == "관악구"  # a name only one city has stays short
    page = client.get("/programs/").content.decode()
    assert ">서울특별시 중구</option>" in page and ">대구광역시 중구</option>" in page
