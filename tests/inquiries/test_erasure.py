"""A resident who asked on the web and by text (first as a guest, then from the verified number), was
answered and rated the answer deletes the account: no table keeps their name, email or number."""

from __future__ import annotations

import pytest
from django.urls import reverse

from inquiries.models import Inquiry, InquiryStatus
from inquiries.services import (
    inquiry_answer,
    inquiry_rate,
    inquiry_receive_email,
    inquiry_receive_sms,
    inquiry_submit,
)
from tests.factories import GWANAK, HouseholdFactory, UserFactory, district
from tests.households.test_erasure_everywhere import EMAIL, NAME, PASSWORD, PHONE, found_in_tables

pytestmark = pytest.mark.django_db


def test_nothing_of_the_person_is_left_in_the_inquiry_tables(
    client, settings, caseworker_a, caseworker_b, teams, django_capture_on_commit_callbacks
):
    settings.INQUIRY_GUEST_DISTRICT = "11140"
    with django_capture_on_commit_callbacks(execute=True):
        # A text before the account existed: a guest thread keyed by the number, answered by text.
        guest, _stored = inquiry_receive_sms(sender=PHONE, text=f"{NAME}입니다. 문의드려요", message_id="g-1")
        inquiry_answer(staff=caseworker_b, inquiry_id=guest.pk, body=f"{NAME}님, 안내드립니다.")
        user = UserFactory(email=EMAIL)
        HouseholdFactory(user=user, name=NAME, phone=PHONE, district=district(GWANAK), notify_by_sms=True)
        web = inquiry_submit(user=user, title=f"{NAME} 문의", body=f"연락처 {PHONE}, {EMAIL}")
        inquiry_answer(staff=caseworker_a, inquiry_id=web.pk, body=f"{NAME}님 답변입니다")
        inquiry_rate(user=user, inquiry_id=web.pk, rating=4, comment=f"{NAME} 만족")
        inquiry_receive_sms(sender=PHONE, text=f"{NAME} 또 문의", message_id="r-1")
        inquiry_receive_email(sender=EMAIL, subject=f"{NAME}", text=f"{NAME}", message_id="<e-1>")
    assert Inquiry.objects.filter(user=user).count() == 3
    assert any("inquiries_" in hit for hit in found_in_tables())

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    left = sorted(set(found_in_tables()))
    assert not left, "\n".join(left)
    # The rows stay, anonymized and closed, for the district's figures.
    assert set(Inquiry.objects.values_list("status", flat=True)) == {InquiryStatus.CLOSED}
    assert Inquiry.objects.filter(anonymized_at__isnull=True).count() == 0
    assert Inquiry.objects.filter(rating=4).exists()


def test_the_residents_data_download_holds_their_threads(caseworker_a, teams):
    from households.services import account_data_export

    user = UserFactory(email=EMAIL)
    HouseholdFactory(user=user, name=NAME, phone=PHONE, district=district(GWANAK))
    web = inquiry_submit(user=user, title="월세 지원 문의", body="신청 기간이 언제인가요?")
    inquiry_answer(staff=caseworker_a, inquiry_id=web.pk, body="다음 달 1일부터입니다.")
    inquiry_rate(user=user, inquiry_id=web.pk, rating=5, comment="빨라요")
    [thread] = account_data_export(user=user)["inquiries"]
    assert thread["title"] == "월세 지원 문의"
    assert thread["rating"] == 5 and thread["rating_comment"] == "빨라요"
    assert [m["text"] for m in thread["messages"]] == ["신청 기간이 언제인가요?", "다음 달 1일부터입니다."]
