"""Inquiry fixtures: district A's (관악구) teams with leads and their topics, an answer template."""

from __future__ import annotations

import pytest

from inquiries.models import AnswerTemplate, Team, Topic, TopicRoute
from tests.factories import GWANAK, JUNGGU, district


@pytest.fixture
def teams(db, caseworker_a):
    general = Team.objects.create(district=district(GWANAK), name="1인가구지원팀", lead=caseworker_a)
    spaces = Team.objects.create(district=district(GWANAK), name="공간운영팀")
    TopicRoute.objects.create(district=general.district, topic=Topic.GENERAL, team=general)
    TopicRoute.objects.create(district=general.district, topic=Topic.SPACES, team=spaces)
    jung = Team.objects.create(district=district(JUNGGU), name="중구 민원팀")
    TopicRoute.objects.create(district=jung.district, topic=Topic.GENERAL, team=jung)
    return {"general": general, "spaces": spaces, "jung": jung}


@pytest.fixture
def answer_template(db):
    return AnswerTemplate.objects.create(
        title="접수 안내", body="문의 주셔서 감사합니다. 담당자가 확인하였습니다.", topic=Topic.GENERAL
    )
