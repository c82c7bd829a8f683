"""Six cities have a 중구: every list that offers districts labels a shared name with its city, and every
행정동 with its district (portal.place_fields), in every admin form and sidebar filter and the exports."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.models import District, Neighbourhood
from portal.place_fields import is_place_relation

pytestmark = pytest.mark.django_db

OPTION = re.compile(r"<option[^>]*>([^<]*)</option>")


def select_labels(html: str, name: str) -> list[str]:
    match = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no <select name={name}>"
    return [label.strip() for label in OPTION.findall(match.group(1)) if label.strip() != "---------"]


def repeated(labels: list[str]) -> list[str]:
    return [label for label, count in Counter(labels).items() if count > 1]


def admins_with_place_dropdowns():
    for model, model_admin in admin.site._registry.items():
        fields = [
            f.name
            for f in model._meta.get_fields()
            if is_place_relation(f)
            and f.many_to_one
            and f.name not in getattr(model_admin, "raw_id_fields", ())
            and f.name not in getattr(model_admin, "autocomplete_fields", ())
        ]
        if fields:
            yield model, fields


def test_the_reference_data_has_shared_names_to_tell_apart():
    names = Counter(District.objects.values_list("name", flat=True))
    assert names["중구"] > 1


def test_every_admin_add_form_labels_districts_with_their_city(admin_client):
    checked = 0
    for model, fields in admins_with_place_dropdowns():
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        response = admin_client.get(url)
        if response.status_code != 200:
            continue  # an admin that adds no rows (read-only registers)
        html = response.content.decode()
        for name in fields:
            if f'name="{name}"' not in html or not re.search(rf'<select[^>]*name="{name}"', html):
                continue
            labels = select_labels(html, name)
            assert not repeated(labels), (model, name, repeated(labels))
            checked += 1
    assert checked >= 3  # households, programs, spaces at least


def test_the_admins_sidebar_filter_by_district_names_the_city(admin_client):
    response = admin_client.get(reverse("admin:programs_program_changelist"))
    html = response.content.decode()
    assert "대구광역시 중구" in html
    assert "서울특별시 중구" in html


def test_the_residents_profile_form_labels_districts_and_neighbourhoods(resident_client):
    response = resident_client.get(reverse("households:profile_edit"))
    html = response.content.decode()
    assert not repeated(select_labels(html, "district"))
    labels = select_labels(html, "neighbourhood")
    myeongdong = Neighbourhood.objects.get(code="1114055000")
    assert f"서울특별시 중구 · {myeongdong.name}" in labels
    assert not repeated(labels)


def test_the_export_form_lists_each_district_once(client, city_admin):
    client.force_login(city_admin)
    response = client.get(reverse("exports:form"))
    html = response.content.decode()
    labels = select_labels(html, "district")
    assert not repeated(labels)
    assert "대구광역시 중구" in labels
