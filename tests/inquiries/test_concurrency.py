"""Races the database settles (Postgres: real threads, real connections): a gateway delivering the same
text twice at once stores it once; two sweeps at once alert and mark each inquiry once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from inquiries.models import Inquiry, InquiryMessage, Team, Topic, TopicRoute
from inquiries.services import inquiries_sweep, inquiry_receive_sms
from portal.models import Notification
from tests.concurrency import run_together
from tests.factories import JUNGGU, UserFactory, district

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def jung_team(settings):
    settings.INQUIRY_GUEST_DISTRICT = JUNGGU
    team = Team.objects.create(district=district(JUNGGU), name="민원팀", lead=UserFactory())
    TopicRoute.objects.create(district=team.district, topic=Topic.GENERAL, team=team)
    return team


def test_the_same_text_delivered_four_times_at_once_is_stored_once(jung_team):
    def deliver():
        return inquiry_receive_sms(sender="01055550101", text="가로등 고장", message_id="dup-1")

    results = run_together([deliver] * 4)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(stored for _inquiry, stored in results) == [False, False, False, True]
    assert Inquiry.objects.count() == 1 and InquiryMessage.objects.count() == 1
    assert len({inquiry.pk for inquiry, _stored in results}) == 1


def test_two_sweeps_at_once_stamp_and_tell_once(jung_team):
    for n in range(20):
        inquiry_receive_sms(sender="01055550101", text=f"문의 {n}", message_id=f"s-{n}")
        Inquiry.objects.filter(user__isnull=True).update(status="closed")  # one thread per text
    now = timezone.now()
    Inquiry.objects.update(status="open", alert_at=now - timedelta(hours=2), due_at=now - timedelta(hours=1))
    results = run_together([inquiries_sweep, inquiries_sweep])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sum(r["alerted"] for r in results) == 20 and sum(r["breached"] for r in results) == 20
    assert not Inquiry.objects.filter(alerted_at__isnull=True).exists()
    alerts = Notification.objects.filter(user=jung_team.lead, template="inquiry.lead_alert", channel="in_app")
    assert sum(n.context["count"] for n in alerts) == 20
