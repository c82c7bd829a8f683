"""The shared page cache (portal.pagecache): public pages served from memory, changes visible on the very
next request, and nothing of one visitor ever stored or served to another."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.models import District
from programs.models import Criterion, PolicyOfficial, ProgramSession, ProgramStatus
from spaces.models import Closure, ClosureReason
from tests.factories import (
    JUNGGU,
    HouseholdFactory,
    ProgramFactory,
    add_rules,
    book,
    login,
    space_with_room,
)

pytestmark = pytest.mark.django_db

CATALOG = reverse("programs:catalog")
HOME = reverse("home")
API = "/api/v1/programs/"
OPEN_DATA = reverse("open_data:programs_json")


def page(client: Client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# --- served from the cache --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [CATALOG, HOME, API, OPEN_DATA, reverse("spaces:list")],
)
def test_a_repeated_anonymous_read_is_answered_without_a_query(client, django_assert_num_queries, url):
    ProgramFactory(application_start=timezone.localdate(), application_end=timezone.localdate())
    space_with_room()
    first = client.get(url)
    with django_assert_num_queries(0):
        second = client.get(url)
    assert second.status_code == 200
    assert second.content == first.content


def test_program_and_space_pages_are_cached_too(client, django_assert_num_queries):
    program = ProgramFactory()
    room = space_with_room()
    for url in (program.get_absolute_url(), reverse("spaces:detail", args=[room.space.slug])):
        first = client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).content == first.content


def test_every_spelling_of_the_same_filters_is_one_entry_and_unknown_parameters_are_not_repeated(
    client, django_assert_num_queries
):
    ProgramFactory(category="safety", title="안심 귀가 스카우트")
    first = page(client, CATALOG, category="safety", q="", utm_source="evil")
    with django_assert_num_queries(0):
        again = client.get(f"{CATALOG}?zzz=1&category=safety").content.decode()
    assert again == first
    assert "안심 귀가 스카우트" in first
    assert "utm_source" not in first and "evil" not in first and "zzz" not in first


# --- exact invalidation -------------------------------------------------------------------------


def test_a_program_change_is_visible_on_the_next_request_of_every_page(client):
    program = ProgramFactory(title="청년 마음건강 상담")
    urls = [CATALOG, program.get_absolute_url(), API, f"{API}{program.pk}/", OPEN_DATA]
    for url in urls:
        assert "청년 마음건강 상담" in page(client, url)
    program.title = "청년 마음건강 상담 (2차)"
    program.save()
    for url in urls:
        assert "청년 마음건강 상담 (2차)" in page(client, url)


def test_a_new_or_withdrawn_program_is_visible_on_the_next_request(client):
    assert "안심택배함" not in page(client, CATALOG)
    program = ProgramFactory(title="안심택배함 운영")
    assert "안심택배함 운영" in page(client, CATALOG)
    program.status = ProgramStatus.DRAFT
    program.save()
    assert "안심택배함 운영" not in page(client, CATALOG)
    assert client.get(program.get_absolute_url()).status_code == 404


def test_a_period_change_turns_open_now_on_the_next_request(client):
    today = timezone.localdate()
    program = ProgramFactory(
        title="1인가구 건강 반찬",
        application_start=today + timedelta(days=3),
        application_end=today + timedelta(days=9),
    )
    assert "1인가구 건강 반찬" not in page(client, CATALOG, open_now="true")
    assert "1인가구 건강 반찬" not in page(client, HOME)
    program.application_start = today
    program.save()
    assert "1인가구 건강 반찬" in page(client, CATALOG, open_now="true")
    assert "1인가구 건강 반찬" in page(client, HOME)


def test_the_day_turning_opens_a_program_without_any_write(client, monkeypatch):
    today = timezone.localdate()
    ProgramFactory(title="내일 여는 사업", application_start=today + timedelta(days=1))
    assert "내일 여는 사업" not in page(client, CATALOG, open_now="true")
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    assert "내일 여는 사업" in page(client, CATALOG, open_now="true")


def test_a_rules_change_is_visible_on_the_next_request(client):
    program = ProgramFactory()
    add_rules(program, {"field": "age", "operator": "gte", "value": "19", "explanation": "만 19세 이상"})
    before = client.get(f"{API}{program.pk}/").json()["rule_version"]
    criterion = Criterion.objects.get(group__program=program)
    criterion.value = "20"
    criterion.save()
    from programs.services import program_rules_changed

    program_rules_changed(program=program)
    assert client.get(f"{API}{program.pk}/").json()["rule_version"] == before + 1


def test_a_district_rename_is_visible_on_the_next_request(client):
    room = space_with_room(JUNGGU)
    ProgramFactory(district=room.space.district, city=room.space.district.city)
    assert "중구" in page(client, reverse("spaces:list"))
    junggu = District.objects.get(code=JUNGGU)
    junggu.name, junggu.name_en = "새중구", "New Jung-gu"
    junggu.save()
    assert "새중구" in page(client, reverse("spaces:list"))
    assert "새중구" in page(client, CATALOG)


def test_room_and_closure_changes_are_visible_on_the_space_page(client):
    room = space_with_room()
    url = reverse("spaces:detail", args=[room.space.slug])
    assert "모임방" in page(client, url)
    room.name = "공유부엌"
    room.save()
    assert "공유부엌" in page(client, url)
    day = timezone.localdate() + timedelta(days=2)
    Closure.objects.create(
        space=room.space, starts_on=day, ends_on=day, reason=ClosureReason.HOLIDAY, note="개천절"
    )
    assert "개천절" in page(client, url)


def test_sessions_and_their_bookings_are_visible_on_the_program_page(client):
    room = space_with_room()
    program = ProgramFactory()
    url = program.get_absolute_url()
    assert "No upcoming sessions" not in page(client, url)
    start = timezone.localtime() + timedelta(days=2)
    booking = book(room, start=start.strftime("%Y-%m-%d 10:00"), end=start.strftime("%Y-%m-%d 12:00"))
    ProgramSession.objects.create(program=program, booking=booking, title="집밥 클래스 1회차")
    assert "집밥 클래스 1회차" in page(client, url)
    booking.status = "cancelled"
    booking.save()
    assert "Cancelled" in page(client, url) or "취소" in page(client, url)


def test_a_session_ending_moves_it_out_of_the_upcoming_list_without_any_write(client, monkeypatch):
    program = ProgramFactory()
    ends = timezone.now() + timedelta(hours=1)
    ProgramSession.objects.create(
        program=program,
        title="마지막 회차",
        starts_at=ends - timedelta(hours=2),
        ends_at=ends,
        place="구청 강당",
    )
    assert "마지막 회차" in page(client, program.get_absolute_url())
    later = ends + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "마지막 회차" not in page(client, program.get_absolute_url())


def test_a_child_row_of_a_program_is_visible_on_its_page(client):
    program = ProgramFactory()
    PolicyOfficial.objects.create(program=program, department="1인가구지원과", position="과장", name="홍길동")
    page(client, program.get_absolute_url())
    official = PolicyOfficial.objects.get(program=program)
    official.name = "김철수"
    official.save()
    assert "김철수" in page(client, program.get_absolute_url())


def test_a_change_inside_a_transaction_is_not_stored_under_the_new_version_before_commit(client):
    """The version is bumped again at commit: a page rendered from the old rows while the transaction
    was open cannot be served afterwards."""
    from django.db import transaction

    from portal import pagecache

    program = ProgramFactory(title="변경 전")
    with transaction.atomic():
        program.title = "변경 후"
        program.save()
        during = pagecache.current_version()
    # TestCase-style tests never commit; run the on-commit bump the way a commit would.
    pagecache._set_new_version()
    assert pagecache.current_version() != during
    assert "변경 후" in page(client, CATALOG)


# --- nothing personal ------------------------------------------------------------------------------


def test_a_logged_in_page_is_neither_stored_nor_served_to_anyone_else(client):
    ProgramFactory(title="공유 프로그램")
    resident = HouseholdFactory()
    logged_in = login(Client(), resident.user)
    theirs = page(logged_in, CATALOG)
    assert "Log out" in theirs or "로그아웃" in theirs
    token = logged_in.cookies["csrftoken"].value if "csrftoken" in logged_in.cookies else None

    anonymous = page(client, CATALOG)
    assert "로그아웃" not in anonymous and "Log out" not in anonymous
    assert "csrfmiddlewaretoken" not in anonymous
    if token:
        assert token not in anonymous


def test_a_logged_in_visitor_never_gets_the_anonymous_copy(client):
    ProgramFactory(title="공유 프로그램")
    anonymous = page(client, CATALOG)
    assert "로그인" in anonymous
    resident = HouseholdFactory()
    response = login(Client(), resident.user).get(CATALOG)
    assert "로그아웃" in response.content.decode()
    assert "private" in response["Cache-Control"]


def test_anonymous_pages_carry_no_csrf_token_and_the_language_switch_still_works():
    visitor = Client(enforce_csrf_checks=True)
    html = page(visitor, CATALOG)
    assert "csrfmiddlewaretoken" not in html
    response = visitor.post(reverse("set_language"), {"language": "en", "next": CATALOG})
    assert response.status_code == 302
    assert visitor.cookies["django_language"].value == "en"


def test_a_page_that_used_a_csrf_token_is_not_stored(rf):
    from django.middleware.csrf import get_token

    from portal import pagecache
    from portal.pagecache import shared_page

    calls = []

    @shared_page()
    def view(request):
        calls.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>", content_type="text/html")

    for _ in range(2):
        request = rf.get("/a-form/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        view(request)
    assert len(calls) == 2  # rendered each time: nothing stored
    assert pagecache.current_version() is not None


def test_waiting_messages_are_shown_to_their_visitor_only(client):
    ProgramFactory()
    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(constants.SUCCESS, "계정이 삭제되었습니다 (비공개 메시지)")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies["messages"] = carrier.cookies["messages"].value

    assert "비공개 메시지" in page(client, HOME)
    assert "비공개 메시지" not in page(Client(), HOME)
    assert "비공개 메시지" not in page(client, HOME)  # shown once, as messages are


def test_each_language_has_its_own_copy(client):
    ProgramFactory(title="청년 마음건강", title_en="Youth mental health")
    assert "청년 마음건강" in page(client, CATALOG)
    english = Client()
    english.cookies["django_language"] = "en"
    html = page(english, CATALOG)
    assert "Youth mental health" in html and 'lang="en"' in html
    assert 'lang="ko"' in page(client, CATALOG)[:200]


def test_the_cache_can_be_switched_off(client, settings, django_assert_num_queries):
    settings.PAGE_CACHE_ENABLED = False
    ProgramFactory()
    client.get(CATALOG)
    response = client.get(CATALOG)
    assert "ETag" not in response


# --- HTTP caching for machines ---------------------------------------------------------------------


@pytest.mark.parametrize("path", ["list", "detail", "open_data"])
def test_api_and_open_data_answer_304_to_a_matching_revalidation(client, path):
    program = ProgramFactory()
    url = {"list": API, "detail": f"{API}{program.pk}/", "open_data": OPEN_DATA}[path]
    first = client.get(url)
    assert first.status_code == 200
    etag, modified = first["ETag"], first["Last-Modified"]

    by_etag = client.get(url, headers={"If-None-Match": etag})
    assert by_etag.status_code == 304 and by_etag.content == b"" and by_etag["ETag"] == etag
    by_date = client.get(url, headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304

    program.summary = "바뀐 요약"
    program.save()
    changed = client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert "바뀐 요약" in changed.content.decode()


def test_the_open_data_csv_revalidates_and_changes_with_the_catalog(client):
    program = ProgramFactory()
    url = reverse("open_data:programs_csv")
    first = client.get(url)
    etag = first["ETag"]
    b"".join(first.streaming_content)
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    program.save()
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 200


def test_anonymous_pages_let_a_proxy_keep_them_only_with_revalidation(client):
    ProgramFactory()
    for _ in range(2):  # the rendered response and the cached one say the same
        response = client.get(CATALOG)
        cache_control = response["Cache-Control"]
        assert "public" in cache_control and "no-cache" in cache_control
        assert "Cookie" in response["Vary"]
        assert response["ETag"]
    api = client.get(API)
    assert {"Cookie", "Accept", "Accept-Language"} <= {v.strip() for v in api["Vary"].split(",")}


def test_a_logged_in_api_reader_is_answered_privately_with_their_own_view(client):
    ProgramFactory()
    client.get(API)
    resident = HouseholdFactory()
    response = login(Client(), resident.user).get(API)
    assert response.status_code == 200
    assert "private" in response["Cache-Control"]


def test_the_browsable_api_is_never_shared(client):
    ProgramFactory()
    html = client.get(API, headers={"Accept": "text/html"})
    assert html.status_code == 200
    assert "public" not in html.get("Cache-Control", "")


# --- logged-in pages: the shared part from the cache, their own parts for them ---------------------


def _youth_program(title: str, *more_rules: dict):
    today = timezone.localdate()
    program = ProgramFactory(
        title=title, application_start=today - timedelta(days=1), application_end=today + timedelta(days=9)
    )
    youth = {"field": "age", "operator": "between", "value": [19, 39], "explanation": "만 19~39세"}
    add_rules(program, youth, *more_rules)
    return program


def test_a_resident_sees_their_own_eligibility_on_the_catalog_and_nobody_else_does(client):
    from datetime import date

    _youth_program("청년 월세 지원", {"field": "employment", "operator": "eq", "value": "employed"})
    young = HouseholdFactory(birth_date=date(1996, 3, 1))
    old = HouseholdFactory(birth_date=date(1950, 3, 1))
    unknown = HouseholdFactory(birth_date=date(1996, 3, 1), employment="")

    theirs = page(login(Client(), young.user), CATALOG)
    assert "status-tag--eligible" in theirs
    assert "status-tag--eligible" not in page(login(Client(), old.user), CATALOG)
    assert "status-tag--needs_info" in page(login(Client(), unknown.user), CATALOG)
    anonymous = page(client, CATALOG)
    assert "status-tag--eligible" not in anonymous and "status-tag--needs_info" not in anonymous
    assert "<!--eligibility:" not in anonymous and "<!--eligibility:" not in theirs


def test_a_logged_in_catalog_renders_only_the_visitors_own_parts(client, django_assert_max_num_queries):
    from datetime import date

    for n in range(5):
        _youth_program(f"청년 프로그램 {n}")
    resident = HouseholdFactory(birth_date=date(1996, 3, 1))
    browser = login(Client(), resident.user)
    first = page(browser, CATALOG)
    # Session, user, household, unread count: the filters, the results and the outcomes are cached.
    with django_assert_max_num_queries(4):
        again = page(browser, CATALOG)
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')  # masked afresh for each response
    assert token.sub("", again) == token.sub("", first)
    assert again.count("status-tag--eligible") == 5


def test_a_profile_change_changes_the_tags_on_the_next_request(client):
    from datetime import date

    _youth_program("청년 마음 상담")
    resident = HouseholdFactory(birth_date=date(1996, 3, 1))
    browser = login(Client(), resident.user)
    assert "status-tag--eligible" in page(browser, CATALOG)
    resident.birth_date = date(1960, 1, 1)
    resident.save()
    assert "status-tag--eligible" not in page(browser, CATALOG)


def test_a_fragment_that_used_a_csrf_token_is_not_stored(rf):
    from django.middleware.csrf import get_token

    from portal import pagecache

    calls = []

    def render(request):
        calls.append(1)
        return f"<form>{get_token(request)}</form>"

    for _ in range(2):
        request = rf.get("/programs/")
        request._pagecache_address = "http://testserver/programs/"
        pagecache.fragment(request, "form", lambda request=request: render(request))
    assert len(calls) == 2  # rendered each time: a token is one visitor's
