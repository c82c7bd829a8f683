""" "Ask about this" on the resident's record pages (an application, a booking, a kit request, a parcel):
the link opens the question form with that record preselected; a record that is not the resident's, or a
malformed value, is ignored without an error or a leak; the record pages link to the questions about them."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from inquiries.models import Inquiry, SubjectKind, Topic
from inquiries.selectors import subject_from_param
from inquiries.services import inquiry_submit
from lockers.models import Delivery
from programs.models import ApplicationStatus
from safety.models import KitOffer, KitRequest
from tests.factories import ApplicationFactory, HouseholdFactory, book, district, login, space_with_room
from tests.lockers.helpers import make_site

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def kit_request(household, status="submitted") -> KitRequest:
    offer = KitOffer.objects.get_or_create(district=household.district, defaults={"max_items": 3})[0]
    return KitRequest.objects.create(
        household=household,
        district=household.district,
        offer=offer,
        status=status,
        submitted_at=timezone.now(),
        reference=f"SK-{household.pk:06d}-{status[:3]}",
    )


def parcel(user, site, n=0, status="stored") -> Delivery:
    return Delivery.objects.create(
        compartment=site.compartments.order_by("pk")[n],
        recipient=user,
        district=site.district,
        code_hash="x" * 64,
        status=status,
        deposited_at=timezone.now(),
        reference=f"PK-{user.pk:05d}-{n}",
    )


def record(kind: str, household, **kwargs):
    """One record of `kind` belonging to `household`, and the resident page that shows it."""
    if kind == SubjectKind.APPLICATION:
        if kwargs.get("status") == ApplicationStatus.REJECTED:
            kwargs["decision_reason"] = "소득 기준 초과"
        row = ApplicationFactory(household=household, **kwargs)
        return row, reverse("programs:application_detail", args=[row.pk])
    if kind == SubjectKind.BOOKING:
        row = book(space_with_room(), household, start="2030-03-04 10:00", end="2030-03-04 11:00", **kwargs)
        return row, reverse("spaces:booking_detail", args=[row.pk])
    if kind == SubjectKind.KIT_REQUEST:
        row = kit_request(household, **kwargs)
        return row, reverse("safety:request_detail", args=[row.pk])
    row = parcel(household.user, make_site(household.district.code), **kwargs)
    return row, reverse("lockers:parcels")


def ask_url(kind: str, pk: int) -> str:
    return f"{reverse('inquiries:new')}?{urlencode({'about': f'{kind}:{pk}'})}"


KINDS = [SubjectKind.APPLICATION, SubjectKind.BOOKING, SubjectKind.KIT_REQUEST, SubjectKind.PARCEL]
TOPICS = {
    SubjectKind.APPLICATION: Topic.PROGRAMS,
    SubjectKind.BOOKING: Topic.SPACES,
    SubjectKind.KIT_REQUEST: Topic.SAFETY,
    SubjectKind.PARCEL: Topic.PARCELS,
}


@pytest.mark.parametrize("kind", KINDS)
def test_ask_about_a_record_from_its_page(english, resident, teams, kind):
    row, page_url = record(kind, resident.household)
    login(english, resident)
    page = english.get(page_url)
    assert page.status_code == 200
    link = ask_url(kind, row.pk)
    assert link.replace("&", "&amp;").encode() in page.content and b"Ask about this" in page.content

    form = english.get(link)
    assert form.status_code == 200
    bound = form.context["form"]
    assert bound.initial["subject"] == f"{kind}:{row.pk}" and bound.initial["topic"] == TOPICS[kind]
    assert f'<option value="{kind}:{row.pk}" selected>'.encode() in form.content

    sent = english.post(
        reverse("inquiries:new"),
        {"topic": TOPICS[kind], "subject": f"{kind}:{row.pk}", "title": "문의", "body": "언제 되나요?"},
    )
    inquiry = Inquiry.objects.get()
    assert sent.status_code == 302 and (inquiry.subject_kind, inquiry.subject_id) == (kind, row.pk)

    again = english.get(page_url)
    thread = reverse("inquiries:detail", args=[inquiry.pk])
    assert f'href="{thread}"'.encode() in again.content and inquiry.reference.encode() in again.content


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (SubjectKind.APPLICATION, ApplicationStatus.REJECTED),
        (SubjectKind.KIT_REQUEST, "installed"),
        (SubjectKind.PARCEL, "picked_up"),
        (SubjectKind.BOOKING, "cancelled"),
    ],
)
def test_a_record_no_longer_under_way_can_still_be_asked_about(english, resident, teams, kind, status):
    """A rejected application or a collected parcel is often just what a resident asks about: the link
    preselects it although the form's usual list holds only records under way."""
    row, _page = record(kind, resident.household, status=status)
    login(english, resident)
    form = english.get(ask_url(kind, row.pk))
    assert f'<option value="{kind}:{row.pk}" selected>'.encode() in form.content
    english.post(
        reverse("inquiries:new"),
        {"topic": "general", "subject": f"{kind}:{row.pk}", "title": "왜요?", "body": "이유가 궁금합니다"},
    )
    assert Inquiry.objects.get().subject_id == row.pk


@pytest.mark.parametrize("kind", KINDS)
def test_someone_elses_record_is_ignored_without_a_leak(english, resident, teams, kind):
    other = HouseholdFactory()
    row, _page = record(kind, other)
    mine, _page = record(kind, resident.household)
    label = subject_from_param(other.user, f"{kind}:{row.pk}").label
    login(english, resident)
    form = english.get(ask_url(kind, row.pk))
    assert form.status_code == 200 and b"error-summary" not in form.content
    assert f'value="{kind}:{row.pk}"'.encode() not in form.content
    subject_select = form.content.split(b'name="subject"')[1]
    assert label.encode() not in form.content and form.context["form"].initial.get("subject") is None
    assert subject_select.count(b" selected>") == 1 and b'<option value="" selected>' in subject_select
    assert f'value="{kind}:{mine.pk}"'.encode() in form.content  # the resident's own still offered
    # Posting it anyway is a plain form error, nothing sent.
    refused = english.post(
        reverse("inquiries:new"),
        {"topic": "general", "subject": f"{kind}:{row.pk}", "title": "t", "body": "b"},
    )
    assert refused.status_code == 200 and b"error-summary" in refused.content
    assert label.encode() not in refused.content and not Inquiry.objects.exists()


@pytest.mark.parametrize(
    "about",
    [
        "",
        "booking",
        "booking:",
        "booking:abc",
        "booking:-1",
        "booking:0",
        "booking:1:2",
        "booking:99999999999999999999999999",
        "spaceship:1",
        "application:١٢",  # Arabic-Indic digits: str.isdigit() says yes, the database would not
        "\x00:1",
        "a" * 5000,
    ],
)
def test_a_bad_about_value_is_ignored(english, resident, teams, about):
    login(english, resident)
    page = english.get(reverse("inquiries:new"), {"about": about})
    assert page.status_code == 200 and b"error-summary" not in page.content
    assert page.context["form"].initial.get("subject") is None


def test_a_bad_subject_posted_is_a_form_error(english, resident, teams):
    login(english, resident)
    for subject in ("booking:99999999999999999999999999", "x:y", "application:١٢"):
        response = english.post(
            reverse("inquiries:new"), {"topic": "general", "subject": subject, "title": "t", "body": "b"}
        )
        assert response.status_code == 200 and b"error-summary" in response.content
    assert not Inquiry.objects.exists()


def test_a_record_page_lists_only_its_own_threads(english, resident, teams):
    household = resident.household
    first, page_url = record(SubjectKind.KIT_REQUEST, household)
    second = kit_request(household, status="cancelled")
    about_first = inquiry_submit(
        user=resident, title="첫째", body="b", subject_kind=SubjectKind.KIT_REQUEST, subject_id=first.pk
    )
    about_second = inquiry_submit(
        user=resident, title="둘째", body="b", subject_kind=SubjectKind.KIT_REQUEST, subject_id=second.pk
    )
    unrelated = inquiry_submit(user=resident, title="무관", body="b")
    login(english, resident)
    page = english.get(page_url)
    assert about_first.reference.encode() in page.content
    assert about_second.reference.encode() not in page.content
    assert unrelated.reference.encode() not in page.content


def test_the_parcel_list_reads_the_threads_in_one_query(english, resident, teams):
    site = make_site(district().code)
    login(english, resident)

    def page_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert english.get(reverse("lockers:parcels")).status_code == 200
        return len(queries)

    first = parcel(resident, site, 0)
    inquiry_submit(user=resident, title="t", body="b", subject_kind=SubjectKind.PARCEL, subject_id=first.pk)
    one = page_queries()
    for n in (1, 2, 3):
        row = parcel(resident, site, n)
        inquiry_submit(user=resident, title="t", body="b", subject_kind=SubjectKind.PARCEL, subject_id=row.pk)
    assert page_queries() == one
    page = english.get(reverse("lockers:parcels"))
    assert page.content.count(b"Ask about this") == 4 and page.content.count(b"IQ-") == 4
