"""The profile refuses registration numbers through the core's one guard (portal.identifiers): the same
forms and the same message as every other free-text field, the foreigner's number included."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from households.models import Household
from tests.factories import HouseholdFactory, UserFactory, login
from tests.households.test_account_pages import profile_form_data

pytestmark = pytest.mark.django_db
WHY = "Hana never needs it"

TYPED = [
    pytest.param("관악로 1, 900101-1234567", id="dash"),
    pytest.param("관악로 1, 9001011234567", id="no-dash"),
    pytest.param("관악로 1, 900101 1234567", id="space"),
    pytest.param("관악로 1, 850505-5234567", id="foreigner"),
]


@pytest.mark.parametrize("typed", TYPED)
def test_the_profile_form_refuses_a_registration_number_and_keeps_the_rest(client, typed):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, UserFactory())

    response = client.post(reverse("households:profile_edit"), profile_form_data(address_detail=typed))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["address_detail"]
    assert WHY in response.context["form"].errors["address_detail"][0]
    assert 'value="이솔"' in response.content.decode()
    assert not Household.objects.exists()


@pytest.mark.parametrize("typed", TYPED)
def test_the_profile_api_refuses_a_registration_number_with_the_same_message(client, typed):
    household = HouseholdFactory()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, household.user)

    response = client.patch("/api/v1/me/household/", {"name": typed}, content_type="application/json")

    assert response.status_code == 400
    assert WHY in response.json()["error"]["fields"]["name"][0]
    household.refresh_from_db()
    assert household.name != typed


def test_an_address_with_a_long_number_that_is_no_birth_date_is_accepted(client):
    # The old profile pattern refused any 6+7 digits; the core's checks the date, so this passes.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    user = UserFactory()
    login(client, user)

    response = client.post(
        reverse("households:profile_edit"),
        profile_form_data(address_detail="관악로 1 (사서함 991399 1234567)"),
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Household.objects.get(user=user).address_detail == "관악로 1 (사서함 991399 1234567)"
