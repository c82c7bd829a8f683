"""Demo inquiries (seed: Gwangju Seo-gu's direct text line, complaints answered within 48 hours): teams
with leads in 관악구 and 중구, topic routes, city-wide answer templates, and a few threads — the demo
resident's answered-and-rated question and their open one about a booking, and a guest's text message
in 중구.

Idempotent: teams by (district, name), routes by (district, topic), templates by title; the resident's
threads only when they have none; the guest's text by its provider message id (stored once anyway).
Threads go through inquiries.services, so their clocks, audit events and messages are real ones.
"""

from __future__ import annotations

from django.conf import settings

from inquiries.models import AnswerTemplate, Inquiry, Team, Topic, TopicRoute
from inquiries.services import inquiry_answer, inquiry_rate, inquiry_receive_sms, inquiry_submit
from portal.models import District, User

TEAMS = [
    # (district, team, lead's demo account, topics)
    ("11620", "1인가구지원팀", "caseworker.gwanak@hana.demo", [Topic.GENERAL, Topic.PROGRAMS, Topic.SAFETY]),
    ("11620", "생활민원팀", "caseworker.gwanak@hana.demo", [Topic.LIVING, Topic.SPACES, Topic.PARCELS]),
    ("11140", "복지정책과 1인가구 민원", "caseworker.junggu@hana.demo", [Topic.GENERAL, Topic.LIVING]),
]

TEMPLATES = [
    (
        Topic.GENERAL,
        "접수 및 확인 안내",
        "안녕하세요, 문의 주셔서 감사합니다. 담당 부서에서 내용을 확인하였으며, "
        "처리 결과를 다시 안내드리겠습니다.",
    ),
    (
        Topic.LIVING,
        "현장 확인 예정",
        "불편을 드려 죄송합니다. 담당 주무관이 현장을 확인한 뒤 조치 결과를 문자로 알려드리겠습니다.",
    ),
    (
        Topic.SPACES,
        "공간 예약 변경 안내",
        "예약 변경은 '내 예약'에서 취소 후 다시 신청하실 수 있습니다. "
        "취소 마감 시간 이후에는 공간 담당자에게 문의해 주세요.",
    ),
]

GUEST_TEXT = "중구청 앞 버스정류장 가로등이 며칠째 꺼져 있어요. 밤에 무섭습니다."


def load_inquiries() -> None:
    for code, name, lead_email, topics in TEAMS:
        district = District.objects.get(code=code)
        team, _created = Team.objects.get_or_create(district=district, name=name)
        lead = User.objects.filter(email=lead_email).first()
        if lead is not None and team.lead_id != lead.pk:
            team.lead = lead
            team.save(update_fields=["lead"])
        for topic in topics:
            TopicRoute.objects.get_or_create(district=district, topic=topic, defaults={"team": team})
    for topic, title, body in TEMPLATES:
        AnswerTemplate.objects.get_or_create(title=title, defaults={"topic": topic, "body": body})
    _resident_threads()
    _guest_text()


def _resident_threads() -> None:
    resident = User.objects.filter(email="resident@hana.demo").first()
    staff = User.objects.filter(email="caseworker.gwanak@hana.demo").first()
    if resident is None or staff is None or Inquiry.objects.filter(user=resident).exists():
        return
    answered = inquiry_submit(
        user=resident,
        title="안심귀갓길 동행 서비스 신청 방법",
        body="밤 늦게 퇴근하는데 안심귀갓길 동행 서비스는 어떻게 신청하나요?",
        topic=Topic.SAFETY,
    )
    inquiry_answer(
        staff=staff,
        inquiry_id=answered.pk,
        body="안심귀가 스카우트는 도착 30분 전 120다산콜 또는 구청 상황실로 신청하시면 됩니다. "
        "평일 22시부터 다음 날 1시까지 운영합니다.",
    )
    inquiry_rate(user=resident, inquiry_id=answered.pk, rating=5, comment="빠르고 친절한 답변 감사합니다.")
    inquiry_submit(
        user=resident,
        title="공유주방 이용 시간 문의",
        body="주말에도 공유주방을 쓸 수 있나요? 친구들과 요리 모임을 하고 싶어요.",
        topic=Topic.SPACES,
    )


def _guest_text() -> None:
    if not District.objects.filter(code=settings.INQUIRY_GUEST_DISTRICT).exists():
        return
    # A number no household has verified: a guest thread in the guest district, answered by text.
    inquiry_receive_sms(sender="010-9000-0001", text=GUEST_TEXT, message_id="demo-sms-0001")
