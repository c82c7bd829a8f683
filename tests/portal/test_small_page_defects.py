"""Defects found using the portal in a browser (issue 13): each page-level one, pinned."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from spaces.models import Amenity
from tests.factories import ProgramFactory, space_with_room

pytestmark = pytest.mark.django_db

STATIC = Path(settings.BASE_DIR) / "static"


def test_every_page_names_a_favicon_that_exists(client):
    page = client.get(reverse("home")).content.decode()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert icon is not None
    assert (STATIC / "favicon.svg").is_file()
    assert icon.group(1).endswith("favicon.svg")


def test_amenity_tags_do_not_start_with_an_empty_box(client):
    """An empty square before "Wi-Fi" read as "not available"."""
    room = space_with_room()
    room.space.amenities = [Amenity.WIFI]
    room.space.save()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("spaces:list")).content.decode()
    tag = re.search(r'<li class="tag">(.*?)Wi-Fi</li>', page, re.S)
    assert tag is not None
    assert "<rect" not in tag.group(1)


def test_phone_numbers_do_not_break_at_their_hyphens(client):
    css = (STATIC / "css" / "hana.css").read_text()
    rule = re.search(r'a\[href\^="tel:"\],\s*\.phone\s*\{[^}]*white-space:\s*nowrap', css)
    assert rule is not None
    program = ProgramFactory(contact="02-879-0000")
    page = client.get(program.get_absolute_url()).content.decode()
    assert re.search(r'<dd class="phone"[^>]*>02-879-0000</dd>', page)
