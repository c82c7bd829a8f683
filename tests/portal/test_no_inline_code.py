"""The Content-Security-Policy allows no inline script or style: none may come back into a template,
the chart SVG, a static script, or the third-party pages the portal overrides (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/(?:ld\+)?json\")[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\.style\b|setAttribute\(\s*['\"]style", re.I)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _sources():
    yield from (ROOT / "templates").rglob("*.html")
    yield from (ROOT / "static").rglob("*.js")
    yield from (ROOT / "static").rglob("*.svg")
    yield ROOT / "reports" / "dashboard" / "charts.py"


@pytest.mark.parametrize("path", sorted(_sources()), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_inline_script_style_or_handler(path):
    text = path.read_text(encoding="utf-8")
    # Comments may mention the words; only markup and code count.
    text = re.sub(r"\{% comment %\}.*?\{% endcomment %\}|\{#.*?#\}|<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r'\|cut:"[^"]*"', "", text)  # admin/change_list.html cutting Django's <style> out
    assert not INLINE_SCRIPT.search(text)
    assert not INLINE_STYLE.search(text)
    assert not EVENT_HANDLER.search(text)


@pytest.mark.django_db
def test_the_admin_pages_django_writes_inline_styles_on_are_clean(client, city_admin, monkeypatch):
    """Django's change list without actions and django-simple-history's history list each wrote an
    inline style; the portal's overrides serve them as files."""
    from django.contrib import admin

    from portal.models import AuditEvent
    from tests.factories import ApplicationFactory

    # No admin hides its actions today; Django styles that case inline, so try it on one.
    audit_admin = admin.site._registry[AuditEvent]
    monkeypatch.setattr(audit_admin, "actions_on_top", False)
    monkeypatch.setattr(audit_admin, "actions_on_bottom", False)
    application = ApplicationFactory()
    client.force_login(city_admin)
    for url in (
        reverse("admin:portal_auditevent_changelist"),
        reverse("admin:programs_application_changelist"),
        reverse("admin:programs_application_history", args=[application.pk]),
        reverse("admin:programs_application_change", args=[application.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "<style" not in html and " style=" not in html, url
        assert not INLINE_SCRIPT.search(html), url
