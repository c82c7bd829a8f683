"""The in-app inbox over the API: list (unread first), mark one read, mark all read."""

from __future__ import annotations

import pytest
from django.utils import timezone

from portal.models import Notification
from portal.notifications import notify, render
from tests.factories import HouseholdFactory, login

pytestmark = pytest.mark.django_db
URL = "/api/v1/inbox/"
CONTEXT = {
    "program": "청년 소셜다이닝",
    "program_en": "Youth social dining",
    "reference": "HN-2026-000123",
    "reason": "",
    "link": "https://hana.example.kr/programs/applications/123/",
}


def message(user, template: str = "application.approved", key: str | None = None) -> Notification:
    """The in-app row of a notification, as the services record it."""
    key = key or f"test:{Notification.objects.count()}"
    rows = notify(user=user, template=template, event_key=key, context=CONTEXT)
    return next(row for row in rows if row.channel == Notification.Channel.IN_APP)


def assert_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.content
    assert response.json()["error"]["status"] == status
    assert response.json()["error"]["code"] == code


def test_lists_my_in_app_messages_unread_first_then_newest(resident_client, resident):
    first = message(resident, "application.submitted")
    second = message(resident, "application.under_review")
    third = message(resident, "application.approved")
    Notification.objects.filter(pk=third.pk).update(read_at=timezone.now())
    message(HouseholdFactory().user)  # someone else's

    response = resident_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [row["id"] for row in body["results"]] == [second.pk, first.pk, third.pk]
    subject, text = render(Notification.objects.select_related("user").get(pk=second.pk))
    assert body["results"][0] == {
        "id": second.pk,
        "subject": subject,
        "text": text,
        "link": CONTEXT["link"],
        "created_at": body["results"][0]["created_at"],
        "read_at": None,
    }
    assert "HN-2026-000123" in subject
    assert body["results"][2]["read_at"] is not None


def test_email_and_sms_copies_are_not_inbox_messages(resident_client, resident):
    household = resident.household
    household.notify_by_email = household.notify_by_sms = True
    household.save()

    message(resident)

    assert Notification.objects.filter(user=resident).count() == 3
    assert resident_client.get(URL).json()["count"] == 1


def test_messages_are_in_the_recipients_language(client):
    user = HouseholdFactory().user
    user.language = "en"
    user.save()
    message(user)

    row = login(client, user).get(URL).json()["results"][0]

    assert row["subject"] == "Your application HN-2026-000123 is approved"
    assert "Youth social dining" in row["text"]


def test_mark_one_read(resident_client, resident):
    unread, other = message(resident), message(resident)

    response = resident_client.post(f"{URL}{unread.pk}/read/")

    assert response.status_code == 200, response.content
    assert response.json()["read_at"] is not None
    unread.refresh_from_db()
    other.refresh_from_db()
    assert unread.read_at is not None and other.read_at is None
    # Marking it again keeps the first reading time.
    first_read = unread.read_at
    assert resident_client.post(f"{URL}{unread.pk}/read/").status_code == 200
    unread.refresh_from_db()
    assert unread.read_at == first_read


def test_mark_all_read(resident_client, resident):
    for _ in range(3):
        message(resident)
    theirs = message(HouseholdFactory().user)

    response = resident_client.post(f"{URL}read-all/")

    assert response.status_code == 200
    assert response.json() == {"marked": 3}
    assert not Notification.objects.filter(user=resident, channel="in_app", read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert resident_client.post(f"{URL}read-all/").json() == {"marked": 0}


def test_another_users_message_is_a_404(resident_client):
    theirs = message(HouseholdFactory().user)

    assert_error(resident_client.post(f"{URL}{theirs.pk}/read/"), 404, "not_found")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_an_email_row_cannot_be_marked_read_as_a_message(resident_client, resident):
    household = resident.household
    household.notify_by_email = True
    household.save()
    message(resident)
    email = Notification.objects.get(user=resident, channel=Notification.Channel.EMAIL)

    assert_error(resident_client.post(f"{URL}{email.pk}/read/"), 404, "not_found")


def test_anonymous_users_get_403(client):
    assert_error(client.get(URL), 403, "not_authenticated")
    assert_error(client.post(f"{URL}read-all/"), 403, "not_authenticated")
    assert_error(client.post(f"{URL}1/read/"), 403, "not_authenticated")


def test_inbox_query_count_does_not_grow(resident_client, resident, django_assert_num_queries):
    for _ in range(2):
        message(resident)
    # session, user, count, page (recipient joined for the language)
    with django_assert_num_queries(4):
        assert len(resident_client.get(URL).json()["results"]) == 2

    for _ in range(10):
        message(resident)
    with django_assert_num_queries(4):
        assert len(resident_client.get(URL).json()["results"]) == 12
