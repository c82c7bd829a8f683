"""The personal-identifier guard in safety: the resident's reschedule note and survey comment (pages and
API), staff's reasons, installers and visit notes (admin and API), stock reasons; and the migration."""

from __future__ import annotations

import importlib
from datetime import time, timedelta

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from safety.admin.requests import RejectForm
from safety.admin.stock import StockEntryForm
from safety.admin.visits import CompleteVisitForm, ScheduleVisitForm
from safety.models import (
    InstallationVisit,
    KitRequest,
    KitRequestStatus,
    SatisfactionSurvey,
    StockMovement,
    VisitStatus,
)
from safety.services import kit_request_approve, kit_request_submit, visit_complete, visit_schedule
from tests.factories import HouseholdFactory, login
from tests.safety.conftest import windows

pytestmark = pytest.mark.django_db
WHY = "Hana never needs it"
STAFF = "/api/v1/staff/safety/requests/"
MINE = "/api/v1/safety/requests/"

TYPED = [
    pytest.param("제 주민번호는 900101-1234567 입니다", id="dash"),
    pytest.param("제 주민번호는 9001011234567 입니다", id="no-dash"),
    pytest.param("제 주민번호는 900101 1234567 입니다", id="space"),
    pytest.param("외국인등록번호 850505-5234567 입니다", id="foreigner"),
]


def post(client, url: str, data: dict):
    return client.post(url, data, content_type="application/json")


@pytest.fixture
def en(resident_client):
    resident_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return resident_client


def scheduled(user, caseworker, items) -> tuple[KitRequest, InstallationVisit]:
    kit_request = kit_request_submit(user=user, item_ids=[items[0].pk], windows=windows())
    kit_request_approve(kit_request=kit_request, actor=caseworker)
    visit = visit_schedule(
        kit_request=kit_request,
        actor=caseworker,
        date=timezone.localdate() + timedelta(days=2),
        window_start=time(10),
        window_end=time(12),
        installer="김기사",
    )
    return kit_request, visit


# --- the resident ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_a_reschedule_note_with_a_registration_number_is_refused_on_the_page_and_by_the_api(
    en, resident, caseworker_a, stocked_a, items, typed
):
    kit_request, visit = scheduled(resident, caseworker_a, items)

    page = en.post(reverse("safety:request_reschedule", args=[kit_request.pk]), {"note": typed})
    response = post(en, f"{MINE}{kit_request.pk}/reschedule/", {"note": typed})

    assert page.status_code == 400
    assert WHY in page.content.decode() and typed.split()[0] in page.content.decode()
    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["note"][0]
    visit.refresh_from_db()
    assert visit.status == VisitStatus.SCHEDULED and visit.resident_note == ""


@pytest.mark.parametrize("typed", TYPED)
def test_a_survey_comment_with_a_registration_number_is_refused_on_the_page_and_by_the_api(
    en, resident, caseworker_a, stocked_a, items, typed
):
    kit_request, visit = scheduled(resident, caseworker_a, items)
    visit_complete(visit=visit, actor=caseworker_a, installed=True)

    page = en.post(reverse("safety:request_survey", args=[kit_request.pk]), {"rating": "4", "comment": typed})
    response = post(en, f"{MINE}{kit_request.pk}/survey/", {"rating": 4, "comment": typed})

    assert page.status_code == 400
    html = page.content.decode()
    assert WHY in html and typed.split()[0] in html
    assert 'value="4" required id="id_rating_1" checked' in html  # the rating is kept
    assert response.status_code == 400, response.content
    assert WHY in response.json()["error"]["fields"]["comment"][0]
    assert not SatisfactionSurvey.objects.exists()


# --- staff -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", TYPED)
def test_staff_text_with_a_registration_number_is_refused_by_the_api(
    client, caseworker_a, stocked_a, items, typed
):
    submitted = kit_request_submit(user=HouseholdFactory().user, item_ids=[items[0].pk], windows=windows())
    _request, visit = scheduled(HouseholdFactory().user, caseworker_a, items)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    api = login(client, caseworker_a)
    day = (timezone.localdate() + timedelta(days=2)).isoformat()

    rejected = post(api, f"{STAFF}{submitted.pk}/decide/", {"action": "reject", "reason": typed})
    installer = post(
        api,
        f"{STAFF}{_request.pk}/visits/",
        {"date": day, "window_start": "10:00", "window_end": "12:00", "installer": typed},
    )
    completed = post(
        api,
        f"{STAFF}visits/{visit.pk}/complete/",
        {"installed": False, "failure_reason": typed, "note": typed},
    )

    for response, fields in (
        (rejected, {"reason"}),
        (installer, {"installer"}),
        (completed, {"note", "failure_reason"}),
    ):
        assert response.status_code == 400, response.content
        error_fields = response.json()["error"]["fields"]
        assert set(error_fields) == fields
        assert all(WHY in messages[0] for messages in error_fields.values())
    submitted.refresh_from_db()
    visit.refresh_from_db()
    assert submitted.status == KitRequestStatus.SUBMITTED
    assert visit.status == VisitStatus.SCHEDULED and visit.failure_reason == ""


@pytest.mark.parametrize("typed", TYPED)
def test_the_admin_forms_refuse_a_registration_number(caseworker_a, typed):
    forms = [
        (RejectForm({"reason": typed}), "reason"),
        (CompleteVisitForm({"outcome": "failed", "failure_reason": typed, "note": "ok"}), "failure_reason"),
        (CompleteVisitForm({"outcome": "installed", "note": typed}), "note"),
        (
            ScheduleVisitForm(
                {"date": "2030-01-02", "window_start": "10:00", "window_end": "12:00", "installer": typed}
            ),
            "installer",
        ),
        (StockEntryForm({"reason": typed}, user=caseworker_a), "reason"),
    ]
    with translation.override("en"):
        for form, field in forms:
            assert not form.is_valid()
            assert WHY in form.errors[field][0], (type(form).__name__, form.errors)


def test_the_model_fields_carry_the_guard():
    for model, field in (
        (KitRequest, "decision_reason"),
        (InstallationVisit, "installer"),
        (InstallationVisit, "note"),
        (InstallationVisit, "failure_reason"),
        (InstallationVisit, "resident_note"),
        (SatisfactionSurvey, "comment"),
        (StockMovement, "reason"),
    ):
        with pytest.raises(ValidationError):
            model._meta.get_field(field).run_validators("900101-1234567")


# --- the data migration ----------------------------------------------------------------------------------


def test_the_migration_masks_identifiers_already_stored_and_says_how_many(
    caseworker_a, stocked_a, items, capsys
):
    kit_request, visit = scheduled(HouseholdFactory().user, caseworker_a, items)
    InstallationVisit.objects.filter(pk=visit.pk).update(
        resident_note="9001011234567 로 연락 주세요", note="현관"
    )
    KitRequest.objects.filter(pk=kit_request.pk).update(decision_reason="850505-6234567 확인")
    migration = importlib.import_module("safety.migrations.0002_identifier_guard")

    migration.mask_identifiers(django_apps, None)

    visit.refresh_from_db()
    kit_request.refresh_from_db()
    assert visit.resident_note == "9001011****** 로 연락 주세요" and visit.note == "현관"
    assert visit.installer == "김기사"
    assert kit_request.decision_reason == "850505-6****** 확인"
    output = capsys.readouterr().out
    assert "safety: registration numbers masked in 2 row(s)" in output
