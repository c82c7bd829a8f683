"""CappedCountPaginator: a bounded COUNT for admin lists over millions of rows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.admin_tools import CappedCountPaginator
from portal.models import District

pytestmark = pytest.mark.django_db


class SmallCap(CappedCountPaginator):
    cap = 5


def districts():
    return District.objects.order_by("code")


def test_below_the_cap_the_count_is_exact():
    queryset = districts().filter(code__in=["11620", "11140", "11560"])

    paginator = SmallCap(queryset, per_page=2)

    assert paginator.count == 3
    assert not paginator.is_capped
    assert paginator.display_count == "3"
    assert paginator.num_pages == 2


def test_past_the_cap_the_count_stops_at_cap_plus_one():
    assert districts().count() > 10  # the reference data holds every district
    paginator = SmallCap(districts(), per_page=2)

    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 6

    assert paginator.is_capped
    assert paginator.display_count == "5+"
    (sql,) = [query["sql"].upper() for query in queries.captured_queries]
    assert sql.startswith("SELECT COUNT(*) FROM (SELECT")
    assert "LIMIT 6" in sql
    assert "ORDER BY" not in sql


def test_pages_within_the_cap_are_served():
    paginator = SmallCap(districts(), per_page=2)

    assert [d.code for d in paginator.page(2).object_list] == [d.code for d in districts()[2:4]]


def test_a_list_is_simply_measured():
    assert CappedCountPaginator(list(range(3)), per_page=2).count == 3


def test_the_default_cap_is_shown_with_thousands_separators():
    class Capped(CappedCountPaginator):
        count = CappedCountPaginator.cap + 1

    assert CappedCountPaginator.cap == 10_000
    assert Capped([], per_page=2).display_count == "10,000+"
