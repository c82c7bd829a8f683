"""The caseworkers' review queue in the admin: own district only (list, search, filters, change and
history pages, autocomplete), oldest first, masked names, constant queries, a capped count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.admin_tools import CappedCountPaginator
from portal.models import AuditEvent
from programs.admin.applications import VisibleProgramFilter
from programs.models import ApplicationStatus
from tests.factories import (
    GWANAK,
    JUNGGU,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    district,
    login,
)

pytestmark = pytest.mark.django_db
S = ApplicationStatus

CHANGELIST = reverse("admin:programs_application_changelist")


def change_url(application) -> str:
    return reverse("admin:programs_application_change", args=[application.pk])


def history_url(application) -> str:
    return reverse("admin:programs_application_history", args=[application.pk])


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def ago(**delta):
    return timezone.now() - timedelta(**delta)


@pytest.fixture
def caseworker_client(client, caseworker_a):
    return login(client, caseworker_a)


@pytest.fixture
def programs():
    seoul = district(GWANAK).city
    return {
        "gwanak": ProgramFactory(title="관악 청년 소셜다이닝", district=district(GWANAK)),
        "seoul": ProgramFactory(title="서울시 안심귀가", district=None, city=seoul),
        "junggu": ProgramFactory(title="중구 어르신 돌봄", district=district(JUNGGU)),
    }


def own_application(program, **kwargs):
    household = kwargs.pop("household", None) or HouseholdFactory(
        name=kwargs.pop("name", "김하나"), district=district(GWANAK)
    )
    return ApplicationFactory(program=program, household=household, **kwargs)


def other_application(program, **kwargs):
    household = HouseholdFactory(name=kwargs.pop("name", "박중구"), district=district(JUNGGU))
    return ApplicationFactory(program=program, household=household, **kwargs)


@pytest.fixture
def own(programs):
    return own_application(programs["gwanak"], submitted_at=ago(hours=5))


@pytest.fixture
def other(programs):
    return other_application(programs["junggu"], submitted_at=ago(hours=6))


# --- the list --------------------------------------------------------------------------------------


def test_changelist_lists_own_district_applications_only(caseworker_client, programs, own, other):
    city_wide = own_application(programs["seoul"], name="이솔", submitted_at=ago(hours=1))
    # A Jung-gu resident's application to the city-wide program is Jung-gu's to review.
    other_application(programs["seoul"], submitted_at=ago(hours=2))

    response = caseworker_client.get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [own, city_wide]


def test_other_caseworker_sees_their_own_district(client, caseworker_b, own, other):
    response = login(client, caseworker_b).get(CHANGELIST)

    assert listed(response) == [other]


def test_city_admin_sees_every_district(client, city_admin, own, other):
    response = login(client, city_admin).get(CHANGELIST)

    assert set(listed(response)) == {own, other}


def test_drafts_are_not_in_the_queue(caseworker_client, programs, own):
    own_application(programs["seoul"], status=S.DRAFT, submitted_at=None)

    assert listed(caseworker_client.get(CHANGELIST)) == [own]


def test_queue_is_sorted_oldest_submitted_first(caseworker_client, programs):
    middle = own_application(programs["gwanak"], submitted_at=ago(days=2))
    newest = own_application(programs["seoul"], submitted_at=ago(hours=1))
    oldest = own_application(programs["gwanak"], name="이솔", submitted_at=ago(days=9))

    assert listed(caseworker_client.get(CHANGELIST)) == [oldest, middle, newest]


def test_names_are_masked_and_another_districts_data_never_appears(caseworker_client, own, other):
    page = caseworker_client.get(CHANGELIST).content.decode()

    assert own.reference in page
    assert "김*나" in page
    assert "김하나" not in page
    assert other.reference not in page
    assert "박*구" not in page
    assert "박중구" not in page


def test_columns_show_waiting_time_and_eligibility(caseworker_client, programs, settings):
    caseworker_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    own_application(programs["gwanak"], submitted_at=ago(hours=5), eligibility_verdict="eligible")
    own_application(programs["seoul"], submitted_at=ago(days=3, hours=1), eligibility_verdict="needs_info")

    page = caseworker_client.get(CHANGELIST).content.decode()

    assert "5 hours" in page
    assert "3 days" in page
    assert "over 48 hours" in page
    assert "Eligible" in page
    assert "More information needed" in page


# --- search ----------------------------------------------------------------------------------------


def test_search_by_reference_stays_in_the_district(caseworker_client, own, other):
    assert listed(caseworker_client.get(CHANGELIST, {"q": own.reference})) == [own]
    assert listed(caseworker_client.get(CHANGELIST, {"q": other.reference})) == []


def test_search_by_name_finds_own_district_rows_only(caseworker_client, programs, own, other):
    namesake = own_application(programs["seoul"], name="박중구", submitted_at=ago(hours=1))

    response = caseworker_client.get(CHANGELIST, {"q": "박중구"})

    assert listed(response) == [namesake]
    assert other.reference not in response.content.decode()


# --- filters ---------------------------------------------------------------------------------------


def test_program_filter_offers_visible_programs_only(caseworker_client, programs, own, other):
    response = caseworker_client.get(CHANGELIST)

    page = response.content.decode()
    assert "관악 청년 소셜다이닝" in page
    assert "서울시 안심귀가" in page
    assert "중구 어르신 돌봄" not in page
    spec = next(
        spec for spec in response.context["cl"].filter_specs if isinstance(spec, VisibleProgramFilter)
    )
    assert {label for _pk, label in spec.lookup_choices} == {"관악 청년 소셜다이닝", "서울시 안심귀가"}


def test_program_filter_narrows_the_queue(caseworker_client, programs, own):
    own_application(programs["seoul"], name="이솔")

    response = caseworker_client.get(CHANGELIST, {"program__id__exact": programs["gwanak"].pk})

    assert listed(response) == [own]


def test_filtering_by_another_districts_program_finds_nothing(caseworker_client, programs, own, other):
    response = caseworker_client.get(CHANGELIST, {"program__id__exact": programs["junggu"].pk})

    assert response.status_code == 200
    assert listed(response) == []
    assert "중구 어르신 돌봄" not in response.content.decode()


def test_status_filter(caseworker_client, programs, own):
    approved = own_application(programs["seoul"], name="이솔", status=S.APPROVED)

    assert listed(caseworker_client.get(CHANGELIST, {"status__exact": "approved"})) == [approved]
    assert listed(caseworker_client.get(CHANGELIST, {"status__exact": "submitted"})) == [own]


def test_submitted_date_filter(caseworker_client, programs, other):
    recent = own_application(programs["gwanak"], submitted_at=ago(days=2))
    own_application(programs["seoul"], name="이솔", submitted_at=ago(days=30))
    spec = next(
        spec
        for spec in caseworker_client.get(CHANGELIST).context["cl"].filter_specs
        if getattr(spec, "field_path", "") == "submitted_at"
    )
    _title, past_seven_days = spec.links[2]  # any date, today, past 7 days, this month, this year

    response = caseworker_client.get(CHANGELIST, past_seven_days)

    assert set(past_seven_days) == {"submitted_at__gte", "submitted_at__lt"}
    assert listed(response) == [recent]


@pytest.mark.parametrize("status", [S.SUBMITTED, S.UNDER_REVIEW, S.INFO_REQUESTED, S.WAITLISTED])
def test_waiting_more_than_48_hours_filter(caseworker_client, programs, status):
    overdue = own_application(programs["gwanak"], status=status, submitted_at=ago(hours=49))
    own_application(programs["seoul"], name="이솔", submitted_at=ago(hours=47))  # still within the promise
    own_application(
        programs["gwanak"], name="최결정", status=S.APPROVED, submitted_at=ago(days=5)
    )  # answered
    other_application(programs["junggu"], submitted_at=ago(days=5))

    response = caseworker_client.get(CHANGELIST, {"waiting": "over_48h"})

    assert listed(response) == [overdue]


# --- one application ------------------------------------------------------------------------------


def test_opening_another_districts_application_is_refused_and_not_logged(caseworker_client, other):
    response = caseworker_client.get(change_url(other))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = caseworker_client.get(change_url(other), follow=True)
    assert other.reference not in followed.content.decode()
    assert "박중구" not in followed.content.decode()
    assert not AuditEvent.objects.filter(action="programs.application.viewed").exists()


def test_a_malformed_id_is_not_an_error(caseworker_client):
    assert caseworker_client.get(f"{CHANGELIST}not-a-number/change/").status_code == 302
    assert caseworker_client.get(f"{CHANGELIST}not-a-number/history/").status_code == 302


def test_another_districts_history_page_is_not_shown(caseworker_client, other):
    response = caseworker_client.get(history_url(other))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = caseworker_client.get(history_url(other), follow=True)
    assert other.reference not in followed.content.decode()
    assert not AuditEvent.objects.filter(action="programs.application.viewed").exists()


def test_another_districts_history_version_is_not_shown(caseworker_client, other):
    version = other.history.latest()
    url = reverse("admin:programs_application_simple_history", args=[other.pk, version.history_id])

    response = caseworker_client.get(url, follow=True)

    assert other.reference not in response.content.decode()
    assert "박중구" not in response.content.decode()


def test_own_history_page_shows_who_changed_what_and_is_logged(caseworker_client, caseworker_a, programs):
    # Created with its reference: no reference-less (draft) version, see the xfail test below.
    application = own_application(programs["gwanak"], reference="HN-2026-900001")
    application.status = S.APPROVED
    application._history_user = caseworker_a
    application.save()

    response = caseworker_client.get(history_url(application))

    assert response.status_code == 200
    page = response.content.decode()
    assert "HN-2026-900001" in page
    assert str(caseworker_a) in page
    event = AuditEvent.objects.get(action="programs.application.viewed")
    assert event.actor == caseworker_a
    assert event.target_id == str(application.pk)
    assert event.data == {"page": "history", "reference": "HN-2026-900001"}


def test_history_page_of_an_application_that_was_a_draft(caseworker_client, own):
    assert own.history.earliest().reference is None  # saved once before its reference, as submit does

    response = caseworker_client.get(history_url(own))

    assert response.status_code == 200


def test_an_old_version_cannot_be_restored(caseworker_client, programs):
    application = own_application(programs["gwanak"], reference="HN-2026-900002")
    application.status = S.APPROVED
    application.save()
    first = application.history.earliest()
    url = reverse("admin:programs_application_simple_history", args=[application.pk, first.history_id])

    assert caseworker_client.get(url).status_code == 200
    assert caseworker_client.post(url, {"_change_history": "1"}).status_code == 403
    application.refresh_from_db()
    assert application.status == S.APPROVED


# --- autocomplete (any foreign key to Application reaches the admin's autocomplete endpoint) -------


@pytest.mark.parametrize("model_name", ["applicationnote", "applicationdocument"])
def test_autocomplete_offers_own_district_applications_only(caseworker_client, own, other, model_name):
    response = caseworker_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "programs", "model_name": model_name, "field_name": "application", "term": "HN-"},
    )

    assert response.status_code == 200
    assert [row["text"] for row in response.json()["results"]] == [own.reference]


# --- scale -----------------------------------------------------------------------------------------

# Session, user, the user's own and group permissions, the programs for the program filter, the capped
# COUNT and the page of applications joined to program and household. (Measured on a second page load:
# the first one after logging in also stamps the staff session's last activity.)
CHANGELIST_QUERIES = 7


@pytest.mark.parametrize("count", [5, 40])
def test_changelist_query_count_is_constant(caseworker_client, programs, django_assert_num_queries, count):
    for index in range(count):
        program = programs["gwanak"] if index % 2 else programs["seoul"]
        own_application(program, submitted_at=ago(hours=index + 1))
    caseworker_client.get(CHANGELIST)

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = caseworker_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == count


def test_count_is_capped_and_shown_as_a_lower_bound(caseworker_client, programs, monkeypatch):
    monkeypatch.setattr(CappedCountPaginator, "cap", 3)
    for index in range(5):
        own_application(programs["gwanak"], submitted_at=ago(hours=index + 1))
    caseworker_client.get(CHANGELIST)

    with CaptureQueriesContext(connection) as queries:
        response = caseworker_client.get(CHANGELIST)

    assert response.context["cl"].result_count == 4
    assert "3+" in response.content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == 1
    assert "LIMIT 4" in counts[0].upper()


def test_program_manager_sees_the_queue_read_only(client, program_manager_a, own):
    response = login(client, program_manager_a).get(CHANGELIST)

    assert response.status_code == 200
    assert listed(response) == [own]
    assert 'name="action"' not in response.content.decode()
