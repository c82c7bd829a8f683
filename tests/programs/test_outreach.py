"""Proactive outreach (issue 15): each opted-in household is told once about each program it newly
qualifies for — when a program opens or changes, and when its own profile changes — with the reasons,
on the channels, cadence and hours it chose; residents see "new for you" and can wave a program away."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from households.outreach import outreach_opt_in, outreach_opt_out
from households.services import household_save
from portal.models import Notification
from programs.models import Application, OutreachNotice, ProgramDismissal
from programs.services import outreach
from tests.factories import (
    JUNGGU,
    ApplicationFactory,
    HouseholdFactory,
    ProgramFactory,
    add_rules,
    district,
    login,
)

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
TODAY = date(2026, 12, 4)
MORNING = datetime(2026, 12, 4, 10, 0, tzinfo=SEOUL)
LATE_EVENING = datetime(2026, 12, 4, 22, 0, tzinfo=SEOUL)


def opted_in(household, *, email=False, sms=False, cadence="immediate", weekly_limit=None):
    # As committed: opting in looks for the programs open now (none yet in most tests) at once.
    with TestCase.captureOnCommitCallbacks(execute=True):
        outreach_opt_in(
            user=household.user, by_email=email, by_sms=sms, cadence=cadence, weekly_limit=weekly_limit
        )
    return household


def low_income_program(**fields):
    """A program for residents earning at most 2,500,000 won a month, renting."""
    program = ProgramFactory(**fields)
    add_rules(
        program,
        {
            "field": "monthly_income",
            "operator": "lte",
            "value": 2_500_000,
            "explanation": "월 소득 250만 원 이하",
        },
        {
            "field": "housing_tenure",
            "operator": "in",
            "value": ["monthly_rent", "jeonse"],
            "explanation": "임차",
        },
    )
    return program


def notices(program=None):
    rows = OutreachNotice.objects.all()
    return rows.filter(program=program) if program else rows


def test_a_new_program_is_announced_once_to_each_opted_in_household_it_suits():
    told = opted_in(HouseholdFactory(), email=True)
    not_opted = HouseholdFactory()
    too_rich = opted_in(HouseholdFactory(monthly_income=4_000_000))
    applied = opted_in(HouseholdFactory())
    elsewhere = opted_in(HouseholdFactory(district=district(JUNGGU)))
    program = low_income_program()
    ApplicationFactory(program=program, household=applied)

    assert outreach.outreach_match_program(program_id=program.pk, on=TODAY) == 1
    assert outreach.outreach_match_program(program_id=program.pk, on=TODAY) == 0  # run twice: nobody new
    assert list(notices(program).values_list("household_id", flat=True)) == [told.pk]
    assert not notices().filter(household__in=[not_opted, too_rich, applied, elsewhere]).exists()

    sent = outreach.outreach_deliver(program_id=program.pk, household_ids=[told.pk], at=MORNING)
    assert sent == 1
    again = outreach.outreach_deliver(program_id=program.pk, household_ids=[told.pk], at=MORNING)
    assert again == 0  # a redelivered task sends nothing
    notice = notices(program).get()
    assert notice.status == OutreachNotice.Status.SENT and notice.sent_at is not None
    assert {line["rule"] for line in notice.reasons} == {"월 소득 250만 원 이하", "임차"}
    inbox = Notification.objects.filter(user=told.user, template="outreach.new_program")
    assert set(inbox.values_list("channel", flat=True)) == {"in_app", "email"}
    assert "2,100,000" in inbox.get(channel="in_app").context["reasons"]


def test_the_email_carries_a_one_click_unsubscribe_link(django_capture_on_commit_callbacks):
    household = opted_in(HouseholdFactory(), email=True)
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk, on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk], at=MORNING)
    message = next(m for m in mail.outbox if household.user.email in m.to)
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in message.body
    assert program.title in message.subject


def test_publishing_in_the_admin_finds_the_households_through_the_task(
    admin_client, django_capture_on_commit_callbacks
):
    household = opted_in(HouseholdFactory())
    program = low_income_program(status="draft")
    assert not notices().exists()
    with django_capture_on_commit_callbacks(execute=True):
        program.status = "published"
        program.save()
        from programs.services import program_rules_changed

        program_rules_changed(program=program)
    notice = notices(program).get(household=household)
    assert notice.trigger == OutreachNotice.Trigger.PROGRAM
    assert notice.status == OutreachNotice.Status.SENT


def test_a_profile_change_that_makes_a_household_eligible_tells_it_once(django_capture_on_commit_callbacks):
    household = opted_in(HouseholdFactory(monthly_income=4_000_000))
    program = low_income_program()
    assert outreach.outreach_match_program(program_id=program.pk, on=timezone.localdate()) == 0
    data = {
        name: getattr(household, name)
        for name in ("name", "birth_date", "gender", "phone", "district", "housing_tenure", "household_size")
    }
    with django_capture_on_commit_callbacks(execute=True):
        household_save(user=household.user, data={**data, "monthly_income": 1_800_000})
    notice = notices(program).get(household=household)
    assert notice.trigger == OutreachNotice.Trigger.PROFILE
    assert notice.status == OutreachNotice.Status.SENT
    with django_capture_on_commit_callbacks(execute=True):
        household_save(user=household.user, data={**data, "monthly_income": 1_700_000})
    assert notices(program).count() == 1
    assert Notification.objects.filter(user=household.user, template="outreach.new_program").count() == 1


def test_a_household_not_opted_in_is_never_told_and_opting_out_stops_what_waits():
    household = HouseholdFactory()
    program = low_income_program()
    assert outreach.outreach_match_household(household_id=household.pk) == 0
    opted_in(household, cadence="weekly")  # opting in looks at the programs open now at once
    assert notices(program).filter(household=household, status="pending").exists()
    assert outreach.outreach_match_household(household_id=household.pk) == 0  # told once
    outreach_opt_out(user=household.user)
    assert outreach.outreach_weekly_digest(at=MORNING) == 0
    assert notices(program).get().status == OutreachNotice.Status.WITHDRAWN


def test_not_interested_is_never_announced_and_leaves_new_for_you(client):
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    login(client, household.user)
    response = client.post(
        reverse("programs:not_interested", args=[program.pk]), {"next": reverse("programs:may_qualify")}
    )
    assert response.status_code == 302
    assert ProgramDismissal.objects.filter(household=household, program=program).exists()
    assert outreach.outreach_match_program(program_id=program.pk, on=timezone.localdate()) == 0


def test_new_for_you_shows_the_reasons_and_following_the_link_counts_as_opened(client):
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk])
    login(client, household.user)
    for page in (reverse("home"), reverse("programs:may_qualify")):
        body = client.get(page).content.decode()
        assert "새로 찾은 프로그램" in body  # "New for you" in Korean
        assert program.title in body and "월 소득 250만 원 이하" in body
    notice = notices(program).get()
    response = client.get(reverse("programs:outreach_open", args=[notice.pk]))
    assert response.status_code == 302 and response["Location"] == program.get_absolute_url()
    notice.refresh_from_db()
    assert notice.opened_at is not None
    # Once applied for, it is no longer "new".
    ApplicationFactory(program=program, household=household)
    assert "new-for-you-title" not in client.get(reverse("programs:may_qualify")).content.decode()


def test_someone_elses_notice_link_is_not_found(client):
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    notice = notices(program).get()
    login(client, HouseholdFactory().user)
    assert client.get(reverse("programs:outreach_open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.opened_at is None
    assert household  # the notice stays its owner's


def test_quiet_hours_hold_a_text_message_until_morning():
    household = opted_in(HouseholdFactory(), sms=True)
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk, on=TODAY)
    assert (
        outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk], at=LATE_EVENING) == 0
    )
    assert notices(program).get().status == OutreachNotice.Status.PENDING
    next_morning = datetime(2026, 12, 5, 9, 0, tzinfo=SEOUL)
    assert outreach.outreach_deliver_due(at=next_morning) == 1
    channels = set(
        Notification.objects.filter(user=household.user, template="outreach.new_program").values_list(
            "channel", flat=True
        )
    )
    assert channels == {"in_app", "sms"}


def test_the_weekly_cap_holds_messages_and_the_digest_sends_one_for_many():
    capped = opted_in(HouseholdFactory(), weekly_limit=1)
    first, second = low_income_program(), low_income_program()
    for program in (first, second):
        outreach.outreach_match_program(program_id=program.pk, on=TODAY)
        outreach.outreach_deliver(program_id=program.pk, household_ids=[capped.pk], at=MORNING)
    statuses = dict(notices().filter(household=capped).values_list("program_id", "status"))
    assert sorted(statuses.values()) == ["pending", "sent"]

    weekly = opted_in(HouseholdFactory(), cadence="weekly")
    for program in (first, second):
        outreach.outreach_match_program(program_id=program.pk, on=TODAY)
        outreach.outreach_deliver(program_id=program.pk, household_ids=[weekly.pk], at=MORNING)
    assert not notices().filter(household=weekly, status="sent").exists()
    assert outreach.outreach_weekly_digest(at=MORNING) == 2
    digests = Notification.objects.filter(user=weekly.user, template="outreach.digest", channel="in_app")
    assert digests.count() == 1
    assert (
        first.title in digests.get().context["programs"] and second.title in digests.get().context["programs"]
    )
    assert outreach.outreach_weekly_digest(at=MORNING) == 0


def test_a_notice_is_withdrawn_when_the_household_applied_before_it_went_out():
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk, on=TODAY)
    Application.objects.create(program=program, household=household, district=household.district)
    assert outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk], at=MORNING) == 0
    assert notices(program).get().status == OutreachNotice.Status.WITHDRAWN


def test_impact_preview_counts_by_district_and_life_stage_without_naming_anyone(
    client, city_admin, caseworker_a, program_manager_a
):
    opted_in(HouseholdFactory(name="가나다", birth_date=date(1995, 1, 1)))
    HouseholdFactory(name="라마바", birth_date=date(1950, 1, 1))
    HouseholdFactory(name="사아자", birth_date=date(1980, 6, 1), district=district(JUNGGU))
    HouseholdFactory(name="차카타", monthly_income=9_000_000)
    program = low_income_program(district=None)  # city-wide: both districts' households count

    impact = outreach.outreach_impact(program, user=city_admin)
    assert (impact.total, impact.opted_in) == (3, 1)
    assert impact.by_stage == {"youth": 1, "middle_age": 1, "senior": 1}
    assert sorted(counts[1] for counts in impact.by_district.values()) == [0, 1]  # opted in, by place
    assert sum(counts[0] for counts in impact.by_district.values()) == 3
    assert outreach.outreach_impact(program, user=caseworker_a).total == 2  # their district only

    own = low_income_program()  # a 관악구 program its manager may open
    login(client, program_manager_a)
    page = client.get(reverse("admin:programs_program_outreach_impact", args=[own.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "관악구" in body and not any(name in body for name in ("가나다", "라마바", "사아자"))
    change = client.get(reverse("admin:programs_program_change", args=[own.pk])).content.decode()
    assert reverse("admin:programs_program_outreach_impact", args=[own.pk]) in change


def test_the_dashboard_shows_the_outreach_funnel(city_admin, client):
    from reports.dashboard.selectors import Period, outreach_panel

    household = opted_in(HouseholdFactory())
    other = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk, other.pk])
    notice = notices(program).get(household=household)
    outreach.outreach_notice_open(notice=notice)
    ApplicationFactory(program=program, household=household)

    today = timezone.localdate()
    panel = outreach_panel(city_admin, None, Period(today - timedelta(days=30), today))
    row = next(p for p in panel.programs if p.program_id == program.pk)
    assert (row.sent, row.opened, row.applied) == (2, 1, 1)
    login(client, city_admin)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert 'id="outreach"' in page and program.title in page


def test_erasing_an_account_forgets_its_notices():
    from households.services import account_delete

    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    outreach.program_dismiss(household=household, program=low_income_program())
    account_delete(user=household.user)
    assert not OutreachNotice.objects.filter(household=household).exists()
    assert not ProgramDismissal.objects.filter(household=household).exists()


def test_the_reasons_a_notice_quoted_are_blanked_after_the_retention_period(settings):
    from portal import retention

    settings.RETENTION_OUTREACH_REASONS_DAYS = 365
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk])
    data_class = retention.get("outreach_reasons")
    assert retention.prune_class(data_class, now=timezone.now() + timedelta(days=300)) == 0
    assert notices(program).get().reasons
    assert retention.prune_class(data_class, now=timezone.now() + timedelta(days=366)) == 1
    notice = notices(program).get()
    assert notice.reasons == [] and notice.status == OutreachNotice.Status.SENT
    assert outreach.outreach_match_program(program_id=program.pk) == 0  # still told once


def test_the_api_lists_new_for_you_with_reasons_and_takes_not_interested(client):
    household = opted_in(HouseholdFactory())
    program = low_income_program()
    outreach.outreach_match_program(program_id=program.pk)
    outreach.outreach_deliver(program_id=program.pk, household_ids=[household.pk])
    url = reverse("program-new-for-you")
    assert client.get(url).status_code in (401, 403)
    login(client, household.user)
    rows = client.get(url).json()
    assert [row["program"]["id"] for row in rows] == [program.pk]
    assert {reason["rule"] for reason in rows[0]["reasons"]} == {"월 소득 250만 원 이하", "임차"}

    not_interested = reverse("program-not-interested", args=[program.pk])
    assert client.post(not_interested).status_code == 204
    assert client.get(url).json() == []
    assert client.delete(not_interested).status_code == 204
    assert [row["program"]["id"] for row in client.get(url).json()] == [program.pk]
    assert client.post(reverse("program-not-interested", args=[999999])).status_code == 404


def test_a_birthday_that_opens_a_program_tells_the_household():
    from portal.models import QueuedTask

    # Opted in before the program exists (opting in judges the open programs at once).
    turning_19 = opted_in(HouseholdFactory(birth_date=date(2007, 12, 4)))  # 19 on TODAY
    not_today = opted_in(HouseholdFactory(birth_date=date(2007, 12, 5)))
    youth_program = ProgramFactory()
    add_rules(youth_program, {"field": "age", "operator": "gte", "value": 19, "explanation": "만 19세 이상"})
    assert outreach.outreach_match_household(household_id=turning_19.pk, on=date(2026, 12, 3)) == 0  # 18
    QueuedTask.objects.all().delete()
    assert outreach.outreach_birthdays(on=TODAY) == 1
    queued = QueuedTask.objects.get(name=outreach.MATCH_HOUSEHOLD_TASK)
    assert queued.args == [turning_19.pk]
    assert outreach.outreach_match_household(household_id=turning_19.pk, on=TODAY) == 1
    assert notices(youth_program).filter(household=turning_19).exists()
    assert not notices(youth_program).filter(household=not_today).exists()


def test_a_29_february_birthday_counts_on_1_march_in_other_years():
    leapling = opted_in(HouseholdFactory(birth_date=date(2004, 2, 29)))
    march_first = date(2023, 3, 1)
    from portal.models import QueuedTask

    QueuedTask.objects.all().delete()
    assert outreach.outreach_birthdays(on=march_first) == 1
    assert QueuedTask.objects.filter(name=outreach.MATCH_HOUSEHOLD_TASK, args=[leapling.pk]).exists()
    assert outreach.outreach_birthdays(on=date(2024, 3, 1)) == 0  # a leap year has its own 29 February
