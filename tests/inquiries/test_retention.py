"""Retention: finished threads older than RETENTION_INQUIRIES_DAYS are blanked (figures stay); open ones
and recent ones are kept; a second run finds nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries.models import Inquiry, InquiryMessage
from inquiries.services import inquiry_answer, inquiry_submit
from portal.retention import retention_run

pytestmark = pytest.mark.django_db


def test_old_finished_threads_are_blanked_and_the_figures_stay(resident, caseworker_a, teams):
    old = inquiry_submit(user=resident, title="오래된 문의", body="오래된 내용")
    inquiry_answer(staff=caseworker_a, inquiry_id=old.pk, body="답변")
    waiting = inquiry_submit(user=resident, title="아직 대기", body="내용")
    recent = inquiry_submit(user=resident, title="최근", body="내용")
    inquiry_answer(staff=caseworker_a, inquiry_id=recent.pk, body="답변")
    long_ago = timezone.now() - timedelta(days=3 * 365 + 1)
    Inquiry.objects.filter(pk__in=[old.pk, waiting.pk]).update(received_at=long_ago)

    assert retention_run(only=["inquiries"])["inquiries"] == 1
    old.refresh_from_db()
    assert old.title == "—" and old.anonymized_at is not None and old.answered_in_time is True
    assert set(InquiryMessage.objects.filter(inquiry=old).values_list("body", flat=True)) == {"—"}
    assert Inquiry.objects.get(pk=waiting.pk).title == "아직 대기"
    assert Inquiry.objects.get(pk=recent.pk).title == "최근"
    assert retention_run(only=["inquiries"])["inquiries"] == 0
