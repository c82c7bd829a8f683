"""Demo safety kits: the 8 items from the seeds (Seoul 안심홈세트, Daegu 세이프-홈, 안전도어 지킴이), offers
for 관악구, 영등포구 and 중구, stock receipts, and a few requests of the demo residents in various states.

Idempotent: items and offers are matched by natural keys (item code, district), demo receipts by their
reason text, and the demo requests are only created for a resident who has none yet. Requests go
through safety.services, so their ledger, audit events and notifications are those of real ones.
"""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

from portal.models import District, User
from programs.models import Program
from safety.models import KitItem, KitOffer, KitRequest, MovementKind, StockMovement
from safety.services import (
    kit_request_approve,
    kit_request_submit,
    stock_receive,
    survey_submit,
    visit_complete,
    visit_schedule,
)

DEMO_RECEIPT = "초기 물량 입고 (데모)"

ITEMS: list[dict[str, Any]] = [
    {
        "code": "door-double-lock",
        "icon": "🔒",
        "name": "현관문 이중잠금장치",
        "name_en": "Door double lock",
        "description": "현관문 안쪽에 설치하는 보조 잠금장치로, "
        "열쇠나 번호키가 뚫려도 문이 열리지 않게 합니다.",
        "description_en": "A second lock fitted inside the front door: it keeps the door shut even if the "
        "key or keypad lock is defeated.",
    },
    {
        "code": "emergency-bell",
        "icon": "🔔",
        "name": "휴대용 비상벨",
        "name_en": "Portable emergency bell",
        "description": "누르면 큰 경보음이 울리고 미리 등록한 보호자에게 위치가 담긴 문자가 전송됩니다.",
        "description_en": "Press it and it sounds a loud alarm and texts your location to the contacts "
        "you registered.",
    },
    {
        "code": "window-lock",
        "icon": "🪟",
        "name": "창문 잠금장치",
        "name_en": "Window lock",
        "description": "창문이 바깥에서 열리지 않도록 고정하는 잠금장치입니다. "
        "반지하·저층 주택에 권장합니다.",
        "description_en": "Locks a window so that it cannot be opened from outside; recommended for "
        "semi-basement and ground-floor homes.",
    },
    {
        "code": "smart-safety-sensor",
        "icon": "📡",
        "name": "스마트 안전센서",
        "name_en": "Smart safety sensor",
        "description": "외출 중 현관문이 열리면 스마트폰으로 알림을 보내는 센서입니다.",
        "description_en": "Sends an alert to your phone when the front door is opened while you are out.",
    },
    {
        "code": "video-doorbell",
        "icon": "📹",
        "name": "스마트 초인종",
        "name_en": "Smart video doorbell",
        "description": "문 앞 방문자를 스마트폰으로 보고 대화할 수 있는 영상 초인종입니다.",
        "description_en": "A video doorbell: see and talk to whoever is at the door from your phone.",
    },
    {
        "code": "door-open-sensor",
        "icon": "🚪",
        "name": "문열림 센서",
        "name_en": "Door-open sensor",
        "description": "문이나 창문이 열리면 경보를 울리고 알림을 보냅니다.",
        "description_en": "Sounds an alarm and sends an alert when a door or window is opened.",
    },
    {
        "code": "home-cctv",
        "icon": "🎥",
        "name": "가정용 CCTV",
        "name_en": "Home CCTV",
        "description": "집 안팎을 녹화하고 실시간으로 확인할 수 있는 가정용 카메라입니다.",
        "description_en": "A home camera that records and lets you watch live, inside or outside.",
    },
    {
        "code": "door-camera-service",
        "icon": "🛡️",
        "name": "도어카메라 보안 서비스",
        "name_en": "Door-camera security service",
        "description": "도어카메라와 긴급출동을 결합한 보안 서비스(안전도어 지킴이): "
        "실시간 영상, 양방향 대화, 동작 감지, 긴급출동 요청.",
        "description_en": "A door camera with an emergency call-out service (Safety Door Guard): live "
        "video, two-way talk, motion detection and a call-out button.",
    },
]

OFFERS: list[dict[str, Any]] = [
    {
        "district": "11620",
        "program": "gwanak-women-safe-home-set",
        "items": ["door-double-lock", "emergency-bell", "window-lock", "smart-safety-sensor"],
        "max_items": 3,
        "priority_notes": "재고 범위 내 신청 순. 기초생활수급자, 차상위계층, "
        "임차 가구(전세·월세·공공임대) 순으로 우선 배정하며, 반지하·1층 거주자를 우선 고려합니다.",
        "priority_notes_en": "First come, within stock. Basic livelihood recipients first, then the "
        "near-poverty group, then renters; semi-basement and ground-floor homes are considered first.",
    },
    {
        "district": "11560",
        "program": "yeongdeungpo-safe-home-set",
        "items": ["door-double-lock", "emergency-bell", "window-lock", "smart-safety-sensor"],
        "max_items": 2,
        "priority_notes": "대상 요건 확인 후 재고 범위 내 신청 순(범죄피해자 우선).",
        "priority_notes_en": "After checking who qualifies, first come within stock (crime victims first).",
    },
    {
        "district": "11140",
        "program": None,  # every resident of Jung-gu
        "items": ["video-doorbell", "door-open-sensor", "home-cctv", "door-camera-service", "emergency-bell"],
        "max_items": 2,
        "priority_notes": "중구 1인가구 누구나 신청할 수 있으며, 수급자·차상위·임차 가구를 우선 배정합니다.",
        "priority_notes_en": "Open to every single-person household in Jung-gu; recipients, the "
        "near-poverty group and renters come first.",
    },
]


def load_safety(*, today: date) -> None:
    items = {spec["code"]: _item(position, spec) for position, spec in enumerate(ITEMS)}
    for spec in OFFERS:
        offer = _offer(spec, items)
        for position, code in enumerate(spec["items"]):
            _receive(offer.district, items[code], 20 + (position * 7) % 21)
    _requests(today, items)


def _item(position: int, spec: dict[str, Any]) -> KitItem:
    item = KitItem.objects.filter(code=spec["code"]).first() or KitItem(code=spec["code"])
    wanted = {**spec, "position": position}
    if item.pk is None or any(getattr(item, k) != v for k, v in wanted.items()):
        for name, value in wanted.items():
            setattr(item, name, value)
        item.save()
    return item


def _offer(spec: dict[str, Any], items: dict[str, KitItem]) -> KitOffer:
    district = District.objects.get(code=spec["district"])
    program = Program.objects.filter(slug=spec["program"]).first() if spec["program"] else None
    values = {
        "program": program,
        "max_items": spec["max_items"],
        "is_active": True,
        "priority_notes": spec["priority_notes"],
        "priority_notes_en": spec["priority_notes_en"],
    }
    offer = KitOffer.objects.filter(district=district).first()
    if offer is None:
        offer = KitOffer.objects.create(district=district, **values)
    elif any(getattr(offer, k) != v for k, v in values.items()):
        for name, value in values.items():
            setattr(offer, name, value)
        offer.save()
    wanted = {items[code].pk for code in spec["items"]}
    if set(offer.items.values_list("pk", flat=True)) != wanted:
        offer.items.set(wanted)
    return offer


def _receive(district: District, item: KitItem, quantity: int) -> None:
    done = StockMovement.objects.filter(
        district=district, item=item, kind=MovementKind.RECEIPT, reason=DEMO_RECEIPT
    ).exists()
    if not done:
        stock_receive(district=district, item=item, quantity=quantity, actor=None, reason=DEMO_RECEIPT)


def _requests(today: date, items: dict[str, KitItem]) -> None:
    resident = User.objects.get(email="resident@hana.demo")
    resident2 = User.objects.get(email="resident2@hana.demo")
    gwanak_staff = User.objects.get(email="caseworker.gwanak@hana.demo")
    soon = [{"date": (today + timedelta(days=days)).isoformat(), "slot": "afternoon"} for days in (3, 5)]

    if not KitRequest.objects.filter(household__user=resident).exists():
        # An installed kit, with its survey answered …
        done = kit_request_submit(
            user=resident, item_ids=[items["door-double-lock"].pk, items["emergency-bell"].pk], windows=soon
        )
        kit_request_approve(kit_request=done, actor=gwanak_staff)
        visit = visit_schedule(
            kit_request=done,
            actor=gwanak_staff,
            date=today,
            window_start=time(10),
            window_end=time(12),
            installer="관악안심설치 김기사",
        )
        visit_complete(
            visit=visit, actor=gwanak_staff, installed=True, note="이중잠금장치·비상벨 설치, 사용법 안내"
        )
        survey_submit(user=resident, kit_request=done, rating=5, comment="친절하게 설명해 주셨어요.")
        # … and a window lock asked for later, with its visit scheduled.
        open_request = kit_request_submit(user=resident, item_ids=[items["window-lock"].pk], windows=soon)
        kit_request_approve(kit_request=open_request, actor=gwanak_staff)
        visit_schedule(
            kit_request=open_request,
            actor=gwanak_staff,
            date=today + timedelta(days=3),
            window_start=time(14),
            window_end=time(16),
            installer="관악안심설치 김기사",
        )

    if not KitRequest.objects.filter(household__user=resident2).exists():
        # Left undecided: the Jung-gu caseworker's queue has one to review.
        kit_request_submit(
            user=resident2, item_ids=[items["video-doorbell"].pk, items["door-open-sensor"].pk], windows=soon
        )
