"""Proactive outreach: find the opted-in households a program newly suits, and tell each one once.

Two ways in, one ledger (programs.models.OutreachNotice, unique per household and program):
- a program is published, reopened, or its rules or period change (program_rules_changed runs after
  every save in the admin) → `outreach_match_program`: the rule tree compiled to one SQL condition
  (programs.eligibility_sql) finds the households, in batches, straight from the database;
- a household's profile changes, or its owner opts in → `outreach_match_household`: that one household
  judged by the Python engine against every open program serving its district.
Both insert notice rows ignoring duplicates, so a retried or doubled task tells nobody twice, then queue
their delivery. Delivery (`outreach_deliver`) checks again that the notice still matters (the program
open, the household still eligible and opted in, not applied, not "not interested"), respects the
resident's cadence (immediate or weekly digest), weekly cap and quiet hours for text messages, and
claims the row with a conditional UPDATE before the message is recorded in the outbox.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from households.models import Household, OutreachPreference
from households.outreach import (
    in_quiet_hours,
    outreach_channels,
    outreach_consented_q,
    outreach_may_send,
    outreach_opted_in_q,
    outreach_preference,
    unsubscribe_url,
)
from portal import outbox
from portal.notifications import notify

from ..eligibility import Outcome, Verdict
from ..eligibility_sql import age_range, compile_tree
from ..models import Application, OutreachNotice, Program, ProgramDismissal
from ..selectors import (
    eligibility_for,
    evaluate_programs,
    median_table,
    open_programs_serving,
    rule_trees,
)

Notice = OutreachNotice
MATCH_BATCH = 2000  # households found and noted per transaction: progress kept, locks short
DELIVER_BATCH = 200  # notices per delivery task
ANALYZE_AFTER = 10_000  # notices noted in one run after which the ledger's statistics are refreshed

MATCH_PROGRAM_TASK = "programs.tasks.match_outreach_for_program"
MATCH_HOUSEHOLD_TASK = "programs.tasks.match_outreach_for_household"
DELIVER_TASK = "programs.tasks.deliver_outreach"


# --- who ---------------------------------------------------------------------------------------------


def program_audience(program: Program) -> Q:
    """The households a program serves: its district's, or for a city-wide program its city's."""
    if program.district_id:
        return Q(district_id=program.district_id)
    return Q(district__city_id=program.city_id)


def program_qualifying(program: Program, *, on: date, queryset: QuerySet[Household] | None = None):
    """Households the program serves that its rules find eligible on `on` (one SQL condition)."""
    tree = rule_trees([program.pk]).get(program.pk)
    compiled = compile_tree(tree, on=on, medians=median_table())
    base = Household.objects.all() if queryset is None else queryset
    return base.filter(program_audience(program), compiled.passes, anonymized_at__isnull=True)


def _not_yet_told(program: Program) -> list[Exists]:
    """Conditions that leave out households told already, applied already, or not interested."""
    return [
        ~Exists(Notice.objects.filter(household=OuterRef("pk"), program=program)),
        ~Exists(Application.objects.filter(household=OuterRef("pk"), program=program)),
        ~Exists(ProgramDismissal.objects.filter(household=OuterRef("pk"), program=program)),
    ]


def outreach_candidates(program: Program, *, on: date) -> QuerySet[Household]:
    """Opted-in households newly eligible for the program: the ones a matching run tells."""
    return program_qualifying(program, on=on).filter(outreach_opted_in_q(), *_not_yet_told(program))


# --- finding -----------------------------------------------------------------------------------------


def outreach_program_changed(program: Program) -> None:
    """After a program was saved: if it is open today, look for households to tell (once committed)."""
    if program.is_open_now:
        outbox.enqueue(MATCH_PROGRAM_TASK, program.pk, dedupe_key=f"outreach-program:{program.pk}")


def outreach_household_changed(household: Household) -> None:
    """After a profile changed or its owner opted in: look for programs it newly qualifies for."""
    if not Household.objects.filter(outreach_opted_in_q(), pk=household.pk).exists():
        return
    outbox.enqueue(MATCH_HOUSEHOLD_TASK, household.pk, dedupe_key=f"outreach-household:{household.pk}")


def outreach_programs_opening(*, on: date | None = None) -> int:
    """Programs published earlier whose application period starts today (beat, every morning)."""
    day = on or timezone.localdate()
    opening = Program.objects.open_on(day).filter(application_start=day).values_list("pk", flat=True)
    count = 0
    for pk in opening:
        outbox.enqueue(MATCH_PROGRAM_TASK, pk, dedupe_key=f"outreach-program:{pk}")
        count += 1
    return count


def outreach_birthdays(*, on: date | None = None) -> int:
    """Households whose age changed today (a birthday: 19, 40 and 65 open whole groups of programs) are
    judged again like a changed profile (beat, every morning). A 29 February birthday counts on
    1 March in other years, as Household.age_on does. Returns how many were queued."""
    day = on or timezone.localdate()
    born_today = Q(birth_date__month=day.month, birth_date__day=day.day)
    if day.month == 3 and day.day == 1 and not calendar.isleap(day.year):
        born_today |= Q(birth_date__month=2, birth_date__day=29)
    queued = 0
    for pk in Household.objects.filter(born_today, outreach_opted_in_q()).values_list("pk", flat=True):
        outbox.enqueue(MATCH_HOUSEHOLD_TASK, pk, dedupe_key=f"outreach-household:{pk}")
        queued += 1
    return queued


def outreach_match_program(*, program_id: int, on: date | None = None, batch: int = MATCH_BATCH) -> int:
    """Note every opted-in household newly eligible for the program; returns how many were noted.

    One query finds them all, read `batch` ids at a time (on PostgreSQL a server-side cursor: memory
    stays flat over a whole city); each batch is noted in its own transaction, so a task killed half-way
    keeps what it noted, and its rerun (the notes made leave those households out) does the rest."""
    program = Program.objects.filter(pk=program_id).select_related("city", "district").first()
    day = on or timezone.localdate()
    if program is None or not program.is_open_on(day):
        return 0
    candidates = outreach_candidates(program, on=day).order_by().values_list("pk", flat=True)
    if connection.vendor == "postgresql":
        ids = candidates.iterator(chunk_size=batch)
    else:
        # SQLite cannot begin a transaction (the batches') while a read is still open on the same
        # connection: the embedded default reads the ids first (it never holds a city).
        ids = iter(list(candidates))
    noted = 0
    while chunk := list(islice(ids, batch)):
        noted += _note(program, chunk, trigger=Notice.Trigger.PROGRAM)
    if noted >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # The next match (a retry, the program's next change) leaves out the households noted here:
        # with the table's statistics still those of before this run, PostgreSQL took it for empty and
        # scanned it once per household (minutes at city scale instead of a second).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Notice._meta.db_table}")
    return noted


def outreach_match_household(*, household_id: int, on: date | None = None) -> int:
    """Note every open program the household newly qualifies for (its profile changed, or it opted in)."""
    household = (
        Household.objects.filter(outreach_opted_in_q(), pk=household_id, anonymized_at__isnull=True)
        .select_related("district__city", "user")
        .first()
    )
    if household is None:
        return 0
    day = on or timezone.localdate()
    settled = set(Notice.objects.filter(household=household).values_list("program_id", flat=True))
    settled |= set(Application.objects.filter(household=household).values_list("program_id", flat=True))
    settled |= set(ProgramDismissal.objects.filter(household=household).values_list("program_id", flat=True))
    programs = [p for p in open_programs_serving(household, day) if p.pk not in settled]
    judged = evaluate_programs(household=household, programs=programs, on=day)
    noted = 0
    for program, outcome in judged:
        if outcome.verdict == Verdict.ELIGIBLE:
            noted += _note(program, [household.pk], trigger=Notice.Trigger.PROFILE)
    return noted


@transaction.atomic
def _note(program: Program, household_ids: list[int], *, trigger: str) -> int:
    """Insert the notices (a duplicate is skipped by the unique row) and queue their delivery."""
    Notice.objects.bulk_create(
        [
            Notice(household_id=pk, program=program, trigger=trigger, rule_version=program.rule_version)
            for pk in household_ids
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )
    for start in range(0, len(household_ids), DELIVER_BATCH):
        outbox.enqueue(DELIVER_TASK, program.pk, household_ids[start : start + DELIVER_BATCH])
    return len(household_ids)


# --- telling -----------------------------------------------------------------------------------------


def outreach_deliver(*, program_id: int, household_ids: Iterable[int], at: datetime | None = None) -> int:
    """Send the pending notices of these households about this program; returns how many went out."""
    now = at or timezone.now()
    pending = (
        Notice.objects.filter(program_id=program_id, household_id__in=list(household_ids))
        .filter(status=Notice.Status.PENDING)
        .select_related("program", "household__user", "household__district", "household__outreach_preference")
    )
    return sum(_deliver_one(notice, now=now) for notice in pending)


def outreach_deliver_due(*, at: datetime | None = None, limit: int = 5000) -> int:
    """The sweep (beat, hourly): notices of immediate-cadence residents held back by quiet hours or the
    weekly cap, or whose delivery task was lost, go out when they may."""
    now = at or timezone.now()
    due = (
        Notice.objects.filter(status=Notice.Status.PENDING, created_at__lte=now - timedelta(minutes=5))
        .select_related("program", "household__user", "household__district", "household__outreach_preference")
        .order_by("pk")[:limit]
    )
    return sum(_deliver_one(notice, now=now) for notice in due)


def _still_relevant(notice: Notice, day: date) -> Outcome | None:
    """The eligibility that makes the notice worth sending today, or None (then it is withdrawn)."""
    household, program = notice.household, notice.program
    if household.anonymized_at is not None or not program.is_open_on(day):
        return None
    if not Household.objects.filter(outreach_opted_in_q(), pk=household.pk).exists():
        return None
    if Application.objects.filter(household=household, program=program).exists():
        return None
    if ProgramDismissal.objects.filter(household=household, program=program).exists():
        return None
    outcome = eligibility_for(program=program, household=household, on=day)
    return outcome if outcome.verdict == Verdict.ELIGIBLE else None


def _messages_this_week(household: Household, now: datetime) -> int:
    return (
        Notice.objects.filter(household=household, sent_at__gte=now - timedelta(days=7))
        .values("message_key")
        .distinct()
        .count()
    )


def _weekly(household: Household) -> bool:
    return outreach_preference(household).cadence == OutreachPreference.Cadence.WEEKLY


def _channels_now(household: Household, now: datetime) -> set[str] | None:
    """The channels a message may go on now, or None when it must wait: not opted in (any more), or a
    text message was chosen and it is the quiet hours (21:00–08:00 Seoul time): the whole message then
    waits for the morning rather than going out without the text the resident asked for."""
    channels = outreach_channels(household, at=now)
    if not channels:
        return None
    texts_wanted = outreach_preference(household).by_sms and household.phone_verified_at is not None
    if texts_wanted and household.phone and in_quiet_hours(now):
        return None
    return channels


def _withdraw(notice: Notice) -> int:
    Notice.objects.filter(pk=notice.pk, status=Notice.Status.PENDING).update(status=Notice.Status.WITHDRAWN)
    return 0


def _deliver_one(notice: Notice, *, now: datetime) -> int:
    day = timezone.localdate(now)
    outcome = _still_relevant(notice, day)
    if outcome is None:
        return _withdraw(notice)
    household = notice.household
    if _weekly(household):
        return 0  # the weekly digest takes it
    channels = _channels_now(household, now)
    if channels is None or not outreach_may_send(
        household, at=now, sent_this_week=_messages_this_week(household, now)
    ):
        return 0  # quiet hours for a text message, or this week's cap: the sweep sends it later
    key = f"outreach:{notice.pk}"
    reasons = _reasons(outcome)
    with transaction.atomic():
        claimed = Notice.objects.filter(pk=notice.pk, status=Notice.Status.PENDING).update(
            status=Notice.Status.SENT, sent_at=now, message_key=key, reasons=reasons
        )
        if not claimed:
            return 0  # another run sent it
        notify(
            user=household.user,
            template="outreach.new_program",
            event_key=key,
            context={
                **_program_context(notice),
                "reasons": _reason_text(reasons, "ko"),
                "reasons_en": _reason_text(reasons, "en"),
                "unsubscribe": unsubscribe_url(household),
            },
            email="email" in channels,
            sms="sms" in channels,
        )
    return 1


def outreach_weekly_digest(*, at: datetime | None = None) -> int:
    """Weekly-cadence residents get one message listing the programs found for them since the last one."""
    now = at or timezone.now()
    day = timezone.localdate(now)
    pending = (
        Notice.objects.filter(status=Notice.Status.PENDING)
        .select_related("program", "household__user", "household__district", "household__outreach_preference")
        .order_by("household_id", "pk")
    )
    by_household: dict[int, list[Notice]] = defaultdict(list)
    for notice in pending.iterator(chunk_size=2000):
        by_household[notice.household_id].append(notice)
    sent = 0
    for notices in by_household.values():
        household = notices[0].household
        if not _weekly(household):
            continue
        relevant = [(n, o) for n in notices if (o := _still_relevant(n, day)) is not None]
        stale = {n.pk for n in notices} - {n.pk for n, _o in relevant}
        if stale:
            Notice.objects.filter(pk__in=stale, status=Notice.Status.PENDING).update(
                status=Notice.Status.WITHDRAWN
            )
        channels = _channels_now(household, now)
        if not relevant or channels is None:
            continue
        if not outreach_may_send(household, at=now, sent_this_week=_messages_this_week(household, now)):
            continue
        key = f"outreach-digest:{household.pk}:{day.isoformat()}"
        with transaction.atomic():
            claimed = [
                n
                for n, outcome in relevant
                if Notice.objects.filter(pk=n.pk, status=Notice.Status.PENDING).update(
                    status=Notice.Status.SENT, sent_at=now, message_key=key, reasons=_reasons(outcome)
                )
            ]
            if not claimed:
                continue
            notify(
                user=household.user,
                template="outreach.digest",
                event_key=key,
                context={
                    "programs": "\n".join(f"- {n.program.title}" for n in claimed),
                    "programs_en": "\n".join(f"- {n.program.title_en or n.program.title}" for n in claimed),
                    "count": len(claimed),
                    "link": f"{settings.SITE_URL}{reverse('programs:may_qualify')}",
                    "unsubscribe": unsubscribe_url(household),
                },
                email="email" in channels,
                sms="sms" in channels,
            )
        sent += len(claimed)
    return sent


def _program_context(notice: Notice) -> dict[str, Any]:
    program = notice.program
    return {
        "program": program.title,
        "program_en": program.title_en,
        "link": f"{settings.SITE_URL}{reverse('programs:outreach_open', args=[notice.pk])}",
    }


def _reasons(outcome: Outcome) -> list[dict[str, Any]]:
    """The criteria met, in both languages (eligibility.Line.stored), as the notice keeps them."""
    return [line.stored() for line in outcome.lines if line.passed]


def _reason_text(reasons: list[dict[str, Any]], language: str) -> str:
    suffix = "_en" if language == "en" else ""
    lines = []
    for reason in reasons:
        rule, comparison = reason.get(f"rule{suffix}") or "", reason.get(f"comparison{suffix}") or ""
        lines.append(f"- {rule} ({comparison})" if rule else f"- {comparison}")
    return "\n".join(lines)


# --- the resident's side -------------------------------------------------------------------------------


def outreach_notice_open(*, notice: Notice, now: datetime | None = None) -> None:
    """The resident followed the message's link: counted once in the funnel as opened."""
    Notice.objects.filter(pk=notice.pk, opened_at__isnull=True).update(opened_at=now or timezone.now())


def program_dismiss(*, household: Household, program: Program) -> bool:
    """ "Not interested": never announced again, gone from "new for you". True when newly recorded."""
    _row, created = ProgramDismissal.objects.get_or_create(household=household, program=program)
    if created:
        Notice.objects.filter(household=household, program=program, status=Notice.Status.PENDING).update(
            status=Notice.Status.WITHDRAWN
        )
    return created


def program_undismiss(*, household: Household, program: Program) -> bool:
    return ProgramDismissal.objects.filter(household=household, program=program).delete()[0] > 0


def outreach_forget_household(*, household: Household) -> int:
    """Erasure: the notices (their reasons quote the profile) and the "not interested" marks go."""
    notices = Notice.objects.filter(household=household).delete()[0]
    return notices + ProgramDismissal.objects.filter(household=household).delete()[0]


# --- the program manager's side ---------------------------------------------------------------------

LIFE_STAGES = (  # (key, lowest age, highest age): DESIGN.md's target groups
    ("under_19", None, 18),
    ("youth", 19, 39),
    ("middle_age", 40, 64),
    ("senior", 65, None),
)


@dataclass
class Impact:
    """Who would qualify now: counts only, never a person."""

    total: int = 0
    opted_in: int = 0
    by_district: dict[int, list[int]] = field(default_factory=dict)  # district id → [qualify, opted in]
    by_neighbourhood: dict[int | None, list[int]] = field(default_factory=dict)
    by_stage: dict[str, int] = field(default_factory=dict)  # life stage → qualify


def outreach_impact(program: Program, *, user, on: date | None = None) -> Impact:
    """How many households the program's rules find eligible today, among those the staff member may
    see, by district, 행정동 and life stage, and how many of them opted in to outreach (by place): two
    grouped queries over the compiled rules (the same SQL the matching task runs).

    Grouped by place only, the life stages and the opt-in counted with filters: a few hundred groups the
    database hashes in memory, where grouping by computed stage too sorted half a million rows."""
    day = on or timezone.localdate()
    qualifying = program_qualifying(program, on=day, queryset=Household.objects.visible_to(user))
    stages = {key: Count("pk", filter=age_range(day, low, high)) for key, low, high in LIFE_STAGES}
    places = qualifying.values("district_id", "neighbourhood_id").order_by()
    impact = Impact()
    for row in places.annotate(n=Count("pk"), **stages):
        impact.total += row["n"]
        for table, key in (
            (impact.by_district, row["district_id"]),
            (impact.by_neighbourhood, row["neighbourhood_id"]),
        ):
            table.setdefault(key, [0, 0])[0] += row["n"]
        for key, _low, _high in LIFE_STAGES:
            if row[key]:
                impact.by_stage[key] = impact.by_stage.get(key, 0) + row[key]
    # The opted-in in a second grouped query, the consent as a condition: PostgreSQL joins the
    # consenting accounts once (a hash semi-join). Counted inside the first query, as a CASE or an
    # aggregate's filter, it was looked up once per household: 1.1–1.5 s of a city-wide preview.
    # The households counted are live (program_qualifying says so): the consent alone decides.
    for row in places.filter(outreach_consented_q()).annotate(n=Count("pk")):
        impact.opted_in += row["n"]
        for table, key in (
            (impact.by_district, row["district_id"]),
            (impact.by_neighbourhood, row["neighbourhood_id"]),
        ):
            table.setdefault(key, [0, 0])[1] += row["n"]
    return impact
