"""Demo care data, from the seeds: Gwanak-gu's 1인가구지원센터 runs customised psychological counselling
(심리상담) and financial counselling (재무상담) in its counselling room; Jung-gu's 안심 홈 상담소 has two
dedicated managers advising on rental contracts (전월세 계약 상담), by phone. Counsellor accounts
(one the Gwanak centre lead), their weekly hours, an upcoming appointment of resident@hana.demo, and
resident@hana.demo enrolled in wellbeing check-ins (Mon and Thu 10:00, with a consenting guardian) with
one missed check-in waiting on the Gwanak caseworkers' board.

Idempotent: services by (district, name), counsellors by account, hours only when a counsellor has none,
the appointment and the enrolment only when there are none yet; a second run writes nothing."""

from __future__ import annotations

from datetime import date, time, timedelta

from django.db import transaction
from django.utils import timezone

from care.models import (
    Appointment,
    CheckIn,
    CheckInTask,
    CounsellingService,
    Counsellor,
    Enrolment,
    WorkingHours,
)
from care.services import checkins as checkin_services
from care.services.appointments import appointment_book
from care.services.slots import free_slots
from demo.loader import DEMO_PASSWORD, DemoAccount, _ensure_user
from households.models import Household
from portal.errors import DomainError
from portal.models import District, User
from portal.roles import user_set_role
from portal.timeutils import local_datetime
from spaces.models import Room

GWANAK, JUNGGU = "11620", "11140"

SERVICES = [
    (
        GWANAK,
        "맞춤형 심리상담",
        "Psychological counselling",
        60,
        True,
        True,
        "1인가구지원센터 상담실에서 전문 상담사와 1:1로 마음 건강을 이야기합니다. 전화 상담도 됩니다.",
    ),
    (
        GWANAK,
        "재무상담",
        "Financial counselling",
        60,
        True,
        True,
        "생활비, 부채, 저축 계획을 재무상담 멘토와 함께 살펴봅니다.",
    ),
    (
        JUNGGU,
        "전월세 계약 상담",
        "Rental contract advice (jeonse / monthly rent)",
        30,
        False,
        True,
        "안심 홈 상담소 전담 상담사가 전월세 계약서, 보증금 반환보증을 전화로 함께 확인합니다.",
    ),
]

COUNSELLORS = [
    # (email, name, district, lead, room name, services)
    (
        "counsellor.gwanak@hana.demo",
        "박상담 (센터장)",
        GWANAK,
        True,
        "상담실",
        ["맞춤형 심리상담", "재무상담"],
    ),
    ("counsellor2.gwanak@hana.demo", "이마음", GWANAK, False, "상담실", ["맞춤형 심리상담"]),
    ("homecounsel.junggu@hana.demo", "정안심", JUNGGU, False, None, ["전월세 계약 상담"]),
]


def load_care(*, today: date | None = None) -> list[dict[str, str]]:
    today = today or timezone.localdate()
    services = {}
    for code, name, name_en, minutes, room, phone, description in SERVICES:
        services[name], _created = CounsellingService.objects.get_or_create(
            district=District.objects.get(code=code),
            name=name,
            defaults={
                "name_en": name_en,
                "duration_minutes": minutes,
                "offers_room": room,
                "offers_phone": phone,
                "description": description,
            },
        )
    accounts = []
    for email, display, code, lead, room_name, names in COUNSELLORS:
        district = District.objects.get(code=code)
        user = _ensure_user(DemoAccount(email, User.Role.COUNSELLOR, code, display, "1인가구지원센터"))
        if user.role != User.Role.COUNSELLOR or user.district_id != district.pk:
            user_set_role(user=user, role=User.Role.COUNSELLOR, district=district)
        room = Room.objects.filter(space__district=district, name=room_name).first() if room_name else None
        counsellor, _created = Counsellor.objects.get_or_create(
            user=user, defaults={"district": district, "is_centre_lead": lead, "room": room}
        )
        counsellor.services.add(*(services[n] for n in names))
        if not counsellor.hours.exists():
            WorkingHours.objects.bulk_create(
                WorkingHours(counsellor=counsellor, weekday=day, starts=time(10), ends=time(18))
                for day in range(5)
            )
        accounts.append(
            {"email": email, "password": DEMO_PASSWORD, "role": "counsellor", "district": str(district)}
        )
    resident = User.objects.get(email="resident@hana.demo")
    _appointment(resident, services["맞춤형 심리상담"], today)
    _enrolment(resident, today)
    return accounts


def _appointment(resident: User, service: CounsellingService, today: date) -> None:
    if Appointment.objects.filter(household__user=resident).exists():
        return
    for slot in free_slots(service=service, first=today + timedelta(days=2), last=today + timedelta(days=14)):
        try:
            with transaction.atomic():
                appointment_book(
                    user=resident,
                    service_id=service.pk,
                    counsellor_id=slot.counsellor_id,
                    starts_at=slot.starts_at,
                    mode=slot.modes[0],
                    topic="혼자 지내며 생긴 불면과 불안",
                    intake="요즘 잠을 잘 못 자고 마음이 답답해요.",
                )
            return
        except DomainError:
            continue


def _enrolment(resident: User, today: date) -> None:
    if Enrolment.objects.filter(household__user=resident).exists():
        return
    caseworker = User.objects.get(email="caseworker.gwanak@hana.demo")
    household = Household.objects.get(user=resident)
    with transaction.atomic():
        enrolment = checkin_services.enrolment_create(
            actor=caseworker,
            household_id=household.pk,
            weekdays=[0, 3],
            at=time(10),
            consent_version="2026-1",
            guardians=[
                {"name": "김보호", "relation": "언니", "email": "guardian@hana.demo", "consented": True}
            ],
        )
        # Last Monday's check-in went unanswered: it is now a call task on the caseworkers' board.
        monday = today - timedelta(days=today.weekday() or 7)
        at = local_datetime(monday, time(10))
        checkin = CheckIn.objects.create(
            enrolment=enrolment,
            district_id=enrolment.district_id,
            scheduled_at=at,
            status="call",
            sent_at=at,
            reminded_at=at + timedelta(hours=4),
            escalated_at=at + timedelta(hours=8),
            due_at=at + timedelta(hours=32),
            notified_step="call",
        )
        CheckInTask.objects.create(
            checkin=checkin,
            district_id=enrolment.district_id,
            neighbourhood_id=enrolment.neighbourhood_id,
            kind="call",
            created_at=at + timedelta(hours=8),
        )
