"""portal.scoping: one rule for every district-scoped queryset, the districts themselves included."""

from __future__ import annotations

import pytest

from portal.models import AuditEvent, District
from portal.scoping import scope_to_district

pytestmark = pytest.mark.django_db


def test_a_city_admin_may_choose_every_district(city_admin):
    assert District.objects.visible_to(city_admin).count() == District.objects.count()


def test_district_staff_may_choose_their_own_district_only(caseworker_a, caseworker_b):
    assert list(District.objects.visible_to(caseworker_a)) == [caseworker_a.district]
    assert list(District.objects.visible_to(caseworker_b)) == [caseworker_b.district]


def test_a_resident_or_a_visitor_sees_no_district(resident, client):
    assert not District.objects.visible_to(resident).exists()
    assert not AuditEvent.objects.visible_to(resident).exists()


def test_rows_of_other_districts_or_of_none_stay_hidden(caseworker_a, caseworker_b):
    own = AuditEvent.objects.create(action="test.own", district=caseworker_a.district)
    AuditEvent.objects.create(action="test.other", district=caseworker_b.district)
    AuditEvent.objects.create(action="test.none")

    assert list(AuditEvent.objects.visible_to(caseworker_a)) == [own]
    assert list(scope_to_district(AuditEvent.objects.all(), caseworker_a)) == [own]
