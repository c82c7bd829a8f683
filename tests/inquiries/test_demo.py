"""The inquiries part of the demo data: teams with leads, routes, templates and threads, written once."""

from __future__ import annotations

import pytest

from demo.loader import load_demo
from inquiries.models import AnswerTemplate, Inquiry, InquiryMessage, Team, TopicRoute
from portal.models import AuditEvent, Notification

pytestmark = pytest.mark.django_db
MODELS = (Team, TopicRoute, AnswerTemplate, Inquiry, InquiryMessage, AuditEvent, Notification)


def test_demo_inquiries_load_once():
    load_demo()
    counts = [model.objects.count() for model in MODELS]
    load_demo()
    assert counts == [model.objects.count() for model in MODELS]
    assert Team.objects.filter(lead__email="caseworker.gwanak@hana.demo").count() == 2
    resident = Inquiry.objects.filter(user__email="resident@hana.demo")
    assert set(resident.values_list("status", flat=True)) == {"answered", "open"}
    assert resident.filter(rating=5).exists()
    guest = Inquiry.objects.get(user__isnull=True)
    assert guest.district.code == "11140" and guest.channel == "sms"
