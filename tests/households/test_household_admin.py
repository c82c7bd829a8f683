"""The households admin for a district caseworker: own district only, masked lists, logged record views."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.models import AuditEvent
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, district, login

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:households_household_changelist")


def change_url(household) -> str:
    return reverse("admin:households_household_change", args=[household.pk])


@pytest.fixture
def caseworker_client(client, caseworker_a):
    return login(client, caseworker_a)


@pytest.fixture
def own():
    return HouseholdFactory(name="김하나", phone="010-1234-5678", district=district(GWANAK))


@pytest.fixture
def other():
    return HouseholdFactory(name="박중구", phone="010-9999-8888", district=district(JUNGGU))


# --- the list --------------------------------------------------------------------------------------


def test_changelist_lists_own_district_households_only(caseworker_client, own, other):
    response = caseworker_client.get(CHANGELIST)

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [own]


def test_changelist_masks_names_and_phone_numbers(caseworker_client, own, other):
    page = caseworker_client.get(CHANGELIST).content.decode()

    assert "김*나" in page
    assert "010-****-5678" in page
    assert "김하나" not in page
    assert "010-1234-5678" not in page
    assert "박중구" not in page
    assert "박*구" not in page
    assert "8888" not in page


def test_search_by_name_finds_own_district_rows_only(caseworker_client, own, other):
    namesake = HouseholdFactory(name="박중구", phone="010-5555-4444", district=district(GWANAK))

    response = caseworker_client.get(CHANGELIST, {"q": "박중구"})

    assert list(response.context["cl"].result_list) == [namesake]
    assert "010-9999-8888" not in response.content.decode()
    assert "010-****-8888" not in response.content.decode()


def test_search_by_another_districts_phone_finds_nothing(caseworker_client, own, other):
    response = caseworker_client.get(CHANGELIST, {"q": "010-9999-8888"})

    assert list(response.context["cl"].result_list) == []


def test_district_filter_cannot_reach_another_district(caseworker_client, own, other):
    response = caseworker_client.get(CHANGELIST, {"district__id__exact": str(district(JUNGGU).pk)})

    assert list(response.context["cl"].result_list) == []


def test_caseworker_of_the_other_district_sees_theirs(client, caseworker_b, own, other):
    login(client, caseworker_b)

    response = client.get(CHANGELIST)

    assert list(response.context["cl"].result_list) == [other]


def test_listing_writes_no_audit_event(caseworker_client, own):
    caseworker_client.get(CHANGELIST)

    assert not AuditEvent.objects.filter(action="households.household.viewed").exists()


# Session, user, the user's own and group permissions, the districts for the district filter, the
# paginator's COUNT and the page of households joined to district and neighbourhood.
CHANGELIST_QUERIES = 7


@pytest.mark.parametrize("count", [5, 30])
def test_changelist_query_count_is_constant(caseworker_client, django_assert_num_queries, count):
    HouseholdFactory.create_batch(count, district=district(GWANAK))

    with django_assert_num_queries(CHANGELIST_QUERIES):
        response = caseworker_client.get(CHANGELIST)

    assert len(response.context["cl"].result_list) == count


# --- opening one record ----------------------------------------------------------------------------


def test_opening_another_districts_household_is_refused_and_not_logged(caseworker_client, other):
    response = caseworker_client.get(change_url(other))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = caseworker_client.get(change_url(other), follow=True)
    assert "박중구" not in followed.content.decode()
    assert "010-9999-8888" not in followed.content.decode()
    assert not AuditEvent.objects.filter(action="households.household.viewed").exists()


def test_opening_an_own_district_household_shows_it_in_full_and_logs_the_view(
    caseworker_client, caseworker_a, own
):
    response = caseworker_client.get(change_url(own), REMOTE_ADDR="198.51.100.7")

    assert response.status_code == 200
    page = response.content.decode()
    assert "김하나" in page
    event = AuditEvent.objects.get(action="households.household.viewed")
    assert event.actor == caseworker_a
    assert event.subject_user_id == own.user_id
    assert event.target_type == "households.household"
    assert event.target_id == str(own.pk)
    assert event.district == district(GWANAK)
    assert event.ip_address == "198.51.100.7"


def test_each_opening_is_logged(caseworker_client, own):
    caseworker_client.get(change_url(own))
    caseworker_client.get(change_url(own))

    assert AuditEvent.objects.filter(action="households.household.viewed").count() == 2


def test_caseworker_cannot_change_a_household(caseworker_client, own):
    response = caseworker_client.post(change_url(own), {"name": "바꿈"})

    assert response.status_code == 403
    own.refresh_from_db()
    assert own.name == "김하나"


def test_program_manager_has_no_household_access(client, program_manager_a, own):
    login(client, program_manager_a)

    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(own)).status_code in {302, 403}
    assert not AuditEvent.objects.filter(action="households.household.viewed").exists()


def test_opening_the_history_page_is_logged_too(caseworker_client, caseworker_a, own):
    # The history page's title is the household's full name.
    response = caseworker_client.get(reverse("admin:households_household_history", args=[own.pk]))

    assert response.status_code == 200
    event = AuditEvent.objects.get(action="households.household.viewed")
    assert event.actor == caseworker_a
    assert event.target_id == str(own.pk)
    assert event.data == {"page": "history"}


def test_another_districts_history_page_is_not_shown(caseworker_client, other):
    response = caseworker_client.get(
        reverse("admin:households_household_history", args=[other.pk]), follow=True
    )

    assert "박중구" not in response.content.decode()
