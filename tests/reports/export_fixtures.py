"""Export fixtures: a small scene in district A (관악구) and district B (중구) of every exported data set.

Not a conftest.py: tests/reports/ is shared with the dashboard's tests, so each export test module
imports these fixtures itself (`from .export_fixtures import ...`) and the autouse ones apply to it alone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.utils import translation

from lockers.models import Compartment, Delivery, LockerSite
from portal.models import Neighbourhood, User
from programs.models import ApplicationStatus
from safety.models import KitItem, KitOffer, KitRequest, KitRequestItem
from tests.factories import (
    GWANAK,
    JUNGGU,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    book,
    district,
    seoul,
    space_with_room,
)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Export files land in a temporary MEDIA_ROOT, never in var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _korean():
    """Exports are Korean by default: headers and labels are read in Korean unless a test says so."""
    with translation.override("ko"):
        yield


def neighbourhood(code: str, index: int = 0) -> Neighbourhood:
    return Neighbourhood.objects.filter(district__code=code).order_by("name")[index]


def grant_unmasked(user: User) -> User:
    """Give `user` portal.export_personal_data; returns a fresh copy (permissions are cached)."""
    user.user_permissions.add(
        Permission.objects.get(codename="export_personal_data", content_type__app_label="portal")
    )
    return User.objects.get(pk=user.pk)


def _household(code: str, nbhd: Neighbourhood, name: str, phone: str, address: str, **fields):
    return HouseholdFactory(
        district=district(code), neighbourhood=nbhd, name=name, phone=phone, address_detail=address, **fields
    )


def _kit_request(household, offer, item, *, status: str, submitted: str, reference: str) -> KitRequest:
    kit_request = KitRequest.objects.create(
        household=household,
        district=household.district,
        offer=offer,
        status=status,
        submitted_at=seoul(submitted),
        reference=reference,
        decision_reason="재고 부족" if status == "rejected" else "",
    )
    KitRequestItem.objects.create(request=kit_request, item=item)
    return kit_request


def _delivery(site: LockerSite, label: str, recipient: User, *, deposited: str, reference: str, **fields):
    compartment = Compartment.objects.create(site=site, label=label, size="S")
    return Delivery.objects.create(
        compartment=compartment,
        recipient=recipient,
        district=site.district,
        code_hash="0" * 64,
        deposited_at=seoul(deposited),
        reference=reference,
        courier="CJ대한통운",
        **fields,
    )


@pytest.fixture
def export_scene(db):
    """Two households, applications, kit requests, deliveries and bookings in A; one of each in B."""
    n_a1, n_a2, n_b = neighbourhood(GWANAK, 0), neighbourhood(GWANAK, 1), neighbourhood(JUNGGU, 0)
    ha1 = _household(GWANAK, n_a1, "김하나", "010-1234-5678", "신림로 12길 34 101호", gender="female")
    ha2 = _household(GWANAK, n_a2, "이솔", "010-2222-3333", "관악로 1", gender="male")
    hb = _household(JUNGGU, n_b, "박중구", "010-9999-8888", "퇴계로 100", gender="female")

    program_a = ProgramFactory(title="청년 소모임", title_en="Youth clubs")
    program_a2 = ProgramFactory(title="마음 건강", title_en="Mind health")
    program_b = ProgramFactory(title="중구 요리교실", title_en="Cooking class", district=district(JUNGGU))
    app_a1 = ApplicationFactory(
        program=program_a,
        household=ha1,
        status=ApplicationStatus.APPROVED,
        submitted_at=seoul("2026-03-10 09:30"),
    )
    app_a1.decided_at = seoul("2026-03-11 14:00")
    app_a1.eligibility_verdict = "eligible"
    app_a1.save(update_fields=["decided_at", "eligibility_verdict"])
    app_a2 = ApplicationFactory(program=program_a2, household=ha2, submitted_at=seoul("2026-04-01 00:10"))
    app_b = ApplicationFactory(program=program_b, household=hb, submitted_at=seoul("2026-03-15 10:00"))

    bell = KitItem.objects.create(
        code="emergency-bell", name="휴대용 비상벨", name_en="Portable emergency bell"
    )
    lock = KitItem.objects.create(code="door-lock", name="현관문 이중잠금장치", name_en="Door double lock")
    offer_a = KitOffer.objects.create(district=district(GWANAK), program=program_a)
    offer_b = KitOffer.objects.create(district=district(JUNGGU))
    kit_a = _kit_request(
        ha1, offer_a, bell, status="submitted", submitted="2026-03-02 10:00", reference="KS-2026-000001"
    )
    KitRequestItem.objects.create(request=kit_a, item=lock)
    kit_b = _kit_request(
        hb, offer_b, bell, status="approved", submitted="2026-03-03 10:00", reference="KS-2026-000002"
    )

    site_a = LockerSite.objects.create(
        district=district(GWANAK), name="신림동 안심택배함", address="신림로 1"
    )
    site_b = LockerSite.objects.create(district=district(JUNGGU), name="황학동 택배함", address="황학동 1")
    delivery_a = _delivery(
        site_a,
        "A-01",
        ha1.user,
        deposited="2026-03-05 18:00",
        reference="PL-2026-000001",
        status="picked_up",
        picked_up_at=seoul("2026-03-06 08:15"),
        fee_charged=0,
    )
    delivery_b = _delivery(site_b, "B-01", hb.user, deposited="2026-03-05 19:00", reference="PL-2026-000002")

    room_a = space_with_room(GWANAK)
    room_a.space.neighbourhood = n_a1
    room_a.space.save(update_fields=["neighbourhood"])
    room_b = space_with_room(JUNGGU)
    booking_a = book(room_a, ha1, "2026-03-07 10:00", "2026-03-07 12:00", status="attended")
    booking_a.attendance_marked_at = seoul("2026-03-07 12:05")
    booking_a.save(update_fields=["attendance_marked_at"])
    booking_a2 = book(room_a, ha2, "2026-03-08 10:00", "2026-03-08 11:00", status="no_show")
    booking_b = book(room_b, hb, "2026-03-07 10:00", "2026-03-07 12:00")
    return SimpleNamespace(**locals())
