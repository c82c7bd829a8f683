"""Erasure that erases: a resident who touched every app deletes their account, and afterwards no table
and no stored file holds their name, email address, phone number or birth date.

The search is exhaustive by construction: every model Django knows (history tables, the outbox, the
task outbox, login-failure records and sessions included), every text and JSON column, every row, and
every file under the storage's root, by name and by content.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lockers.models import Delivery, LockerRegistration
from portal.models import AuditEvent, Notification
from portal.notifications import notify
from programs.models import Application, QuestionKind
from programs.services import (
    application_decide,
    application_draft_save,
    application_provide_info,
    application_submit,
    document_attach,
)
from safety.models import KitRequest
from safety.services import kit_request_submit
from spaces.models import Booking
from tests.factories import (
    GWANAK,
    HouseholdFactory,
    ProgramFactory,
    ProgramQuestionFactory,
    UserFactory,
    book,
    district,
    space_with_room,
)
from tests.lockers.helpers import deposit, make_site
from tests.safety.conftest import ITEMS, make_offer, stock, windows

pytestmark = pytest.mark.django_db

NAME = "탁서윤"
EMAIL = "seoyun.tak@example.kr"
PHONE = "010-7777-3141"
BIRTH = date(1991, 7, 23)
PASSWORD = "correct-horse-battery-42"
NEEDLES = [
    NAME,
    EMAIL,
    "seoyun.tak",
    PHONE,
    "01077773141",
    "7777-3141",
    "1991-07-23",
    "19910723",
    "1991.07.23",
]


def text_columns(model: type[models.Model]) -> list[str]:
    return [
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField)
    ]


def found_in_tables() -> list[str]:
    """'<table>.<column>: <needle>' for every value that still holds one of the needles."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        columns = text_columns(model)
        if not columns:
            continue
        for row in model._base_manager.values_list(*columns):
            for column, value in zip(columns, row, strict=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
                found += [f"{model._meta.db_table}.{column}: {n}" for n in NEEDLES if n in text]
    return found


def found_in_storage(root: Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            found += [f"{path.relative_to(root)}: {n}" for n in NEEDLES if n in path.name]
            found += [f"{path.relative_to(root)} (content): {n}" for n in NEEDLES if n.encode() in content]
    return found


@pytest.fixture
def everywhere(client, settings, tmp_path, django_capture_on_commit_callbacks, caseworker_a):
    """The resident, having used every part of Hana; returns the logged-in client."""
    settings.MEDIA_ROOT = tmp_path
    caseworker = caseworker_a
    user = UserFactory(email=EMAIL)
    household = HouseholdFactory(
        user=user,
        name=NAME,
        phone=PHONE,
        birth_date=BIRTH,
        district=district(GWANAK),
        notify_by_email=True,
        notify_by_sms=True,
    )
    # A failed login first (django-axes records the address typed), then the real one.
    client.post(reverse("households:login"), {"username": EMAIL, "password": "wrong-password"})
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        # programs: a text answer that repeats the name and number, and a document named after them
        program = ProgramFactory(selection_method="review")
        text = ProgramQuestionFactory(program=program, kind=QuestionKind.TEXT, label="자기소개")
        lease = ProgramQuestionFactory(program=program, kind=QuestionKind.FILE, label="임대차계약서")
        draft = application_draft_save(
            user=user, program=program, answers={text.field_name: f"저는 {NAME}입니다. 연락처 {PHONE}"}
        )
        upload = SimpleUploadedFile(
            f"{NAME}_계약서.pdf", f"%PDF-1.4\n임차인 {NAME} {PHONE}\n%%EOF\n".encode(), "application/pdf"
        )
        document_attach(user=user, application=draft, question=lease, upload=upload)
        application_submit(user=user, program=program)
        # … and a second one where the district asked for more and the reply names the person again
        asked = application_submit(user=user, program=ProgramFactory(selection_method="review"))
        application_decide(application=asked, action="request_info", actor=caseworker, reason="재직증명서")
        application_provide_info(user=user, application=asked, reply=f"{NAME}의 재직증명서입니다 ({PHONE})")

        # spaces: an upcoming booking and a past one, both with the name in the purpose
        room = space_with_room(GWANAK)
        tomorrow = timezone.localdate() + timedelta(days=1)
        book(room, household, f"{tomorrow} 10:00", f"{tomorrow} 11:00", purpose=f"{NAME} 독서 모임")
        book(room, household, "2026-01-05 10:00", "2026-01-05 11:00", purpose=f"{NAME}의 생일 모임")

        # safety: a kit request (it reserves nothing until approved)
        items = [
            apps.get_model("safety", "KitItem").objects.create(code=c, name=n, name_en=e, icon=i, position=p)
            for p, (c, n, e, i) in enumerate(ITEMS)
        ]
        make_offer(GWANAK, items)
        for item in items:
            stock(GWANAK, item, 5)
        kit_request_submit(user=user, item_ids=[items[0].pk], windows=windows())

        # lockers: registered at a site, a parcel waiting (its code went by text message)
        site = make_site(GWANAK)
        LockerRegistration.objects.create(user=user, site=site)
        deposit(site, user)

        # the inbox and the outbox: a message addressed by name
        notify(
            user=user,
            template="application.submitted",
            event_key="erasure-test",
            context={
                "reference": "HN-TEST",
                "program": program.title,
            },
        )
    client.post(reverse("households:data_export"))
    assert found_in_tables(), "the scene must hold the needles before the deletion"
    assert found_in_storage(tmp_path)
    return client


def test_nothing_of_the_person_is_left_in_any_table_or_file(
    everywhere, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # files leave the storage on commit
        response = everywhere.post(reverse("households:account_delete"), {"password": PASSWORD})
    assert response.status_code == 302

    left = sorted(set(found_in_tables()))
    assert not left, "\n".join(left)
    assert found_in_storage(tmp_path) == []


def test_what_was_under_way_is_ended_through_each_apps_own_workflow(everywhere):
    user_id = everywhere.session["_auth_user_id"]
    everywhere.post(reverse("households:account_delete"), {"password": PASSWORD})

    assert not Application.objects.filter(household__user_id=user_id).exclude(status="cancelled").exists()
    upcoming = Booking.objects.filter(household__user_id=user_id, starts_at__gt=timezone.now())
    assert set(upcoming.values_list("status", flat=True)) == {"cancelled"}
    assert set(KitRequest.objects.filter(household__user_id=user_id).values_list("status", flat=True)) == {
        "cancelled"
    }
    assert not LockerRegistration.objects.filter(user_id=user_id).exists()
    waiting = Delivery.objects.get(recipient_id=user_id)
    assert waiting.recipient_erased_at is not None
    assert not Notification.objects.filter(user_id=user_id, status__in=["pending", "sending"]).exists()
    # The trail survives, pointing at a pseudonymous id rather than the person.
    assert AuditEvent.objects.filter(subject_user_id=user_id, action="households.account.deleted").exists()
