"""The in-app inbox: messages of the resident, unread first, the count in the menu, marking read."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Notification
from portal.notifications import notify
from programs.services import application_submit
from tests.factories import HouseholdFactory, ProgramFactory

pytestmark = pytest.mark.django_db
INBOX = reverse("inbox")


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


def in_app(user):
    return Notification.objects.filter(user=user, channel=Notification.Channel.IN_APP)


def test_inbox_shows_the_messages_of_an_application(en, resident, committed):
    program = ProgramFactory(selection_method="first_come", title_en="Meal kits")
    application = committed(application_submit, user=resident, program=program)
    application.refresh_from_db()

    html = en.get(INBOX).content.decode()

    assert f"We received your application {application.reference}" in html
    assert f"Your application {application.reference} is approved" in html
    assert "Meal kits" in html  # the English title on an English page
    assert in_app(resident).count() == 2


def test_unread_first_then_newest(en, resident):
    now = timezone.now()
    for n, (age, read) in enumerate([(3, False), (2, True), (1, False), (0, True)]):
        row = notify(
            user=resident,
            template="application.cancelled",
            event_key=f"test:{n}",
            context={"program": f"P{n}", "reference": f"HN-2026-00000{n}"},
        )[0]
        Notification.objects.filter(pk=row.pk).update(
            created_at=now - timedelta(hours=age), read_at=now if read else None
        )

    html = en.get(INBOX).content.decode()

    positions = [html.index(f"HN-2026-00000{n}") for n in (2, 0, 3, 1)]
    assert positions == sorted(positions)


def test_unread_count_in_the_menu(en, resident, committed):
    committed(application_submit, user=resident, program=ProgramFactory(selection_method="review"))
    html = en.get(reverse("programs:catalog")).content.decode()
    assert 'Notifications&nbsp;<span class="nav-count">(2<span' in html

    in_app(resident).update(read_at=timezone.now())
    html = en.get(reverse("programs:catalog")).content.decode()
    assert 'class="nav-count"' not in html
    assert ">Notifications</a>" in html


def test_the_menu_count_costs_one_count_query_and_none_for_visitors(en, client, resident):
    with CaptureQueriesContext(connection) as queries:
        en.get(reverse("home"))
    counts = [q["sql"] for q in queries.captured_queries if "portal_notification" in q["sql"]]
    assert len(counts) == 1
    assert "COUNT(" in counts[0].upper()

    en.logout()
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("home"))
    assert not [q for q in queries.captured_queries if "portal_notification" in q["sql"]]


def test_opening_a_message_marks_it_read_and_goes_to_the_application(en, resident, committed):
    application = committed(
        application_submit, user=resident, program=ProgramFactory(selection_method="review")
    )
    message = in_app(resident).get(template="application.submitted")

    response = en.get(reverse("inbox_open", args=[message.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("programs:application_detail", args=[application.pk])
    message.refresh_from_db()
    assert message.read_at is not None
    assert in_app(resident).filter(read_at__isnull=True).count() == 1


def test_mark_all_as_read(en, resident, committed):
    committed(application_submit, user=resident, program=ProgramFactory(selection_method="review"))
    assert "Mark all as read" in en.get(INBOX).content.decode()

    assert en.get(reverse("inbox_read_all")).status_code == 405  # a change needs a POST
    response = en.post(reverse("inbox_read_all"))

    assert response["Location"] == INBOX
    assert not in_app(resident).filter(read_at__isnull=True).exists()
    assert "Mark all as read" not in en.get(INBOX).content.decode()


def test_other_peoples_messages_are_not_shown_nor_opened(en, committed):
    other = HouseholdFactory().user
    committed(application_submit, user=other, program=ProgramFactory(selection_method="review"))
    message = in_app(other).first()

    assert "We received your application" not in en.get(INBOX).content.decode()
    assert en.get(reverse("inbox_open", args=[message.pk])).status_code == 404
    en.post(reverse("inbox_read_all"))
    message.refresh_from_db()
    assert message.read_at is None


def test_inbox_is_paginated(en, resident):
    for n in range(25):
        notify(
            user=resident,
            template="application.cancelled",
            event_key=f"p:{n}",
            context={"reference": f"R{n}"},
        )
    first = en.get(INBOX)
    assert len(first.context["items"]) == 20
    assert len(en.get(INBOX, {"page": 2}).context["items"]) == 5
    assert en.get(INBOX, {"page": "abc"}).status_code == 200


def test_empty_inbox_and_login_required(en, client):
    assert "No messages yet" in en.get(INBOX).content.decode()
    en.logout()
    response = client.get(INBOX)
    assert response.status_code == 302
    assert reverse("households:login") in response["Location"]
