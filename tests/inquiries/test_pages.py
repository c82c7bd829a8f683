"""The resident's pages: ask (keeping what was typed on a refusal), the thread with "answer expected by",
follow-ups and rating; someone else's inquiry is a 404; the public figures page shows no one."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.models import Inquiry, InquiryStatus
from inquiries.services import inquiry_answer, inquiry_submit
from tests.factories import HouseholdFactory, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_asking_from_the_web(english, resident, teams):
    login(english, resident)
    page = english.get(reverse("inquiries:new"))
    assert page.status_code == 200 and b'name="body"' in page.content
    response = english.post(
        reverse("inquiries:new"), {"topic": "general", "title": "쓰레기", "body": "수거일?"}
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302 and response.url == reverse("inquiries:detail", args=[inquiry.pk])
    detail = english.get(response.url)
    assert b"Answer expected by" in detail.content
    assert inquiry.reference.encode() in detail.content


def test_a_refusal_keeps_what_was_typed(english, resident, teams):
    login(english, resident)
    response = english.post(
        reverse("inquiries:new"), {"topic": "general", "title": "쓰레기", "body": "번호 900101-1234567"}
    )
    assert response.status_code == 200
    assert b"error-summary" in response.content and "쓰레기".encode() in response.content
    assert not Inquiry.objects.exists()


def test_follow_up_and_rating(english, resident, teams, caseworker_a):
    login(english, resident)
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답변입니다")
    page = english.get(reverse("inquiries:detail", args=[inquiry.pk]))
    assert "답변입니다".encode() in page.content and b"Rate the answer" in page.content
    bad = english.post(reverse("inquiries:rate", args=[inquiry.pk]), {"rating": "9"})
    assert bad.status_code == 400 and b"error-summary" in bad.content
    english.post(reverse("inquiries:rate", args=[inquiry.pk]), {"rating": "5", "comment": "good"})
    english.post(reverse("inquiries:follow_up", args=[inquiry.pk]), {"body": "one more"})
    inquiry.refresh_from_db()
    assert inquiry.rating == 5 and inquiry.status == InquiryStatus.OPEN


def test_someone_elses_inquiry_is_not_found(client, resident, teams):
    inquiry = inquiry_submit(user=resident, title="t", body="b")
    login(client, HouseholdFactory().user)
    assert client.get(reverse("inquiries:detail", args=[inquiry.pk])).status_code == 404
    assert client.post(reverse("inquiries:follow_up", args=[inquiry.pk]), {"body": "x"}).status_code == 404


def test_the_list_uses_a_constant_number_of_queries(client, resident, teams, django_assert_max_num_queries):
    login(client, resident)
    for n in range(3):
        inquiry_submit(user=resident, title=f"t{n}", body="b")
    client.get(reverse("inquiries:list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("inquiries:list"))
    for n in range(20):
        inquiry_submit(user=resident, title=f"u{n}", body="b")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("inquiries:list"))


def test_the_public_figures_show_counts_and_no_personal_data(client, resident, teams, caseworker_a, english):
    inquiry = inquiry_submit(user=resident, title="비밀 제목", body="b")
    inquiry_answer(staff=caseworker_a, inquiry_id=inquiry.pk, body="답")
    inquiry_submit(user=resident, title="비밀 제목 2", body="b")
    response = english.get(reverse("inquiries:figures"))
    assert response.status_code == 200
    row = response.context["figures"][0]
    assert (row.received, row.answered, row.in_time, row.in_time_rate) == (2, 1, 1, 100.0)
    assert "비밀".encode() not in response.content
    assert resident.household.name.encode() not in response.content
    assert english.get(reverse("inquiries:figures") + "?district=99999").status_code == 404
    assert english.get(reverse("inquiries:figures") + "?district=11620").status_code == 200
