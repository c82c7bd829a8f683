"""Reads of the catalog and of eligibility: rule trees built from rows, profiles built from households."""

from __future__ import annotations

import unicodedata
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from households.models import Household
from households.selectors import household_for, household_stamp
from portal import pagecache
from portal.i18n import is_english
from portal.models import City, District

from .eligibility import Group, Line, MedianTable, Outcome, Rule, Verdict, evaluate
from .models import (
    Application,
    Criterion,
    CriterionGroup,
    Field,
    MedianIncome,
    OutreachNotice,
    Program,
    ProgramDismissal,
    ProgramStatus,
)

PUBLIC_STATUSES = (ProgramStatus.PUBLISHED, ProgramStatus.CLOSED)
SEARCH_FIELDS = (
    "title",
    "title_en",
    "summary",
    "summary_en",
    "target_text",
    "benefit_text",
    "department",
)


def public_programs() -> QuerySet[Program]:
    """What the public catalog lists: published and closed programs, with what list rows show."""
    return Program.objects.filter(status__in=PUBLIC_STATUSES).select_related("city", "district")


def search_programs(queryset: QuerySet[Program], text: str) -> QuerySet[Program]:
    """Every word must appear somewhere in the program's texts.

    Substring matching, not a stemmer: Korean words carry particles (청년이, 청년을) and compound freely,
    so "청년" must match "청년1인가구"; Postgres' full-text parsers have no Korean dictionary.

    The words are NFC-normalized first: some keyboards (macOS) send Hangul decomposed into jamo (NFD),
    which matches nothing stored in the composed form every form and the admin save.
    """
    text = unicodedata.normalize("NFC", text)
    for word in text.split()[:8]:
        match = Q()
        for name in SEARCH_FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


# --- eligibility ------------------------------------------------------------------------------------

MEDIAN_CACHE_KEY = "programs:median-income"
PLACES_CACHE_KEY = "portal:place-names"


def median_table() -> MedianTable:
    """The 기준중위소득 table as {(year, household_size): amount}; cached, cleared when edited."""
    table = cache.get(MEDIAN_CACHE_KEY)
    if table is None:
        table = {(m.year, m.household_size): m.amount for m in MedianIncome.objects.all()}
        cache.set(MEDIAN_CACHE_KEY, table, 3600)
    return table


def place_names() -> dict[str, str]:
    """City and district codes → names in the active language, for eligibility texts."""
    language = get_language() or "ko"
    key = f"{PLACES_CACHE_KEY}:{language}"
    names = cache.get(key)
    if names is None:
        names = {c.code: str(c) for c in City.objects.all()}
        names.update({d.code: str(d) for d in District.objects.all()})
        cache.set(key, names, 3600)
    return names


RULES_GENERATION_KEY = "programs:rules-generation"
_tree_cache: dict[str, dict[int, Group | None]] = {}


def rules_generation() -> str:
    """A token that changes whenever any program's rules change (programs.services bumps it).

    Kept in the shared cache so every web and worker process drops its compiled trees together.
    """
    token = cache.get(RULES_GENERATION_KEY)
    if token is None:
        cache.add(RULES_GENERATION_KEY, uuid.uuid4().hex, None)
        token = cache.get(RULES_GENERATION_KEY)
    return token


def rules_changed() -> None:
    cache.set(RULES_GENERATION_KEY, uuid.uuid4().hex, None)


def rule_trees(program_ids: Iterable[int]) -> dict[int, Group]:
    """Rule trees of many programs: compiled once per rules generation and kept in this process.

    Rules change a few times a week and are read on every eligibility check, so the compiled trees
    are cached in memory (a few hundred programs: well under a megabyte); a change anywhere bumps the
    generation and every process recompiles on its next read.
    """
    ids = list(program_ids)
    generation = rules_generation()
    compiled = _tree_cache.get(generation)
    if compiled is None:
        _tree_cache.clear()  # older generations are dead
        compiled = _tree_cache.setdefault(generation, {})
    missing = [pk for pk in ids if pk not in compiled]
    if missing:
        fresh = load_rule_trees(missing)
        for pk in missing:
            compiled[pk] = fresh.get(pk)
    return {pk: compiled[pk] for pk in ids if compiled.get(pk) is not None}


def load_rule_trees(ids: list[int]) -> dict[int, Group]:
    """Build trees from rows in two queries (plain tuples: model instances cost more than the SQL)."""
    groups = list(
        CriterionGroup.objects.filter(program_id__in=ids)
        .order_by("position", "id")
        .values_list("id", "program_id", "parent_id", "logic", "label")
    )
    criteria = (
        Criterion.objects.filter(group__program_id__in=ids)
        .order_by("position", "id")
        .values_list(
            "group_id",
            "id",
            "field",
            "operator",
            "value",
            "parameter",
            "parameter_percent",
            "parameter_year",
            "parameter_household_size",
            "explanation",
            "explanation_en",
        )
    )
    rules_by_group: dict[int, list[Rule]] = defaultdict(list)
    for group_id, pk, *rest in criteria:
        field, operator, value, parameter, percent, year, size, explanation, explanation_en = rest
        rules_by_group[group_id].append(
            Rule(field, operator, value, parameter, percent, year, size, explanation, explanation_en, pk)
        )
    children: dict[int | None, list[tuple]] = defaultdict(list)
    for row in groups:
        children[row[2]].append(row)

    def build(row: tuple, depth: int = 0) -> Group:
        pk, _program, _parent, logic, label = row
        if depth > 10:  # a cycle typed into the admin must not hang a request
            return Group(logic=logic)
        return Group(
            logic=logic,
            rules=tuple(rules_by_group.get(pk, ())),
            groups=tuple(build(child, depth + 1) for child in children.get(pk, ())),
            label=label,
        )

    return {row[1]: build(row) for row in children.get(None, [])}


def eligibility_profile(household: Household, *, on: date) -> dict[str, Any]:
    """The facts the engine may test, read from a household profile. Empty answers stay None."""
    return {
        Field.AGE: household.age_on(on),
        Field.GENDER: household.gender or None,
        Field.CITY: household.district.city.code,
        Field.DISTRICT: household.district.code,
        Field.HOUSING_TENURE: household.housing_tenure or None,
        Field.HOUSEHOLD_SIZE: household.household_size,
        Field.MONTHLY_INCOME: household.monthly_income,
        Field.EMPLOYMENT: household.employment or None,
        Field.INCOME_SUPPORT: household.income_support or None,
        Field.CRIME_VICTIM: household.crime_victim,
        Field.SINGLE_PARENT: household.single_parent,
        Field.DISABILITY: household.disability,
    }


def eligibility_for(*, program: Program, household: Household, on: date | None = None) -> Outcome:
    day = on or timezone.localdate()
    tree = rule_trees([program.pk]).get(program.pk)
    return evaluate(
        tree,
        eligibility_profile(household, on=day),
        medians=median_table(),
        on=day,
        rule_version=program.rule_version,
        place_names=place_names(),
        english=is_english(),
    )


def evaluate_programs(
    *, household: Household, programs: list[Program], on: date | None = None
) -> list[tuple[Program, Outcome]]:
    """Judge one household against many programs: rules of all of them in two queries, then memory."""
    day = on or timezone.localdate()
    trees = rule_trees(p.pk for p in programs)
    profile = eligibility_profile(household, on=day)
    medians, names, english = median_table(), place_names(), is_english()
    return [
        (
            program,
            evaluate(
                trees.get(program.pk),
                profile,
                medians=medians,
                on=day,
                rule_version=program.rule_version,
                place_names=names,
                english=english,
            ),
        )
        for program in programs
    ]


def open_programs_serving(household: Household, day: date) -> QuerySet[Program]:
    """Programs open on `day` that serve the household's district (its own and city-wide ones)."""
    return (
        Program.objects.open_on(day).serving_district(household.district).select_related("city", "district")
    )


_open_serving: dict[tuple[str, date, int], list[Program]] = {}


def open_programs_list(household: Household, day: date) -> list[Program]:
    """open_programs_serving as a list, remembered in this process per catalogue version, day and
    district: every resident of a district shares it, and it changes only when the catalogue does (the
    page cache's version, bumped by every program change). Reading and building the rows was two
    thirds of judging one household against every open program. Callers must not change the rows."""
    version = pagecache.current_version()
    if version is None:  # the shared cache is unreachable: no version to trust
        return list(open_programs_serving(household, day))
    key = (version.token, day, household.district_id)
    programs = _open_serving.get(key)
    if programs is None:
        if any(token != version.token for token, _day, _district in _open_serving):
            _open_serving.clear()  # an older catalogue's lists are dead
        programs = _open_serving[key] = list(open_programs_serving(household, day))
    return programs


def forget_open_programs() -> None:
    """Drop what this process remembers (tests start from an empty memory)."""
    _open_serving.clear()


HOUSEHOLD_OUTCOMES_KEY = "programs:household-outcomes"
HOUSEHOLD_OUTCOMES_SECONDS = 3600


def _household_key(prefix: str, household_pk: int, updated_at, day: date, *, language: bool) -> str | None:
    """The key of what is judged for a household: it changes with the profile (its updated_at), any
    program's rules (the rules generation), the catalogue and the median incomes (the page cache's
    version) and the day; `language` for what holds explanations."""
    version = pagecache.current_version()
    if version is None:  # the shared cache is unreachable: judge afresh
        return None
    stamp = updated_at.timestamp() if updated_at else 0
    tail = f":{get_language() or 'ko'}" if language else ""
    return f"{prefix}:{household_pk}:{stamp}:{rules_generation()}:{version.token}:{day.isoformat()}{tail}"


def household_outcomes(
    household: Household, *, on: date | None = None, programs: list[Program] | None = None
) -> dict[int, Outcome]:
    """Every open program serving the household's district, judged on its profile: {program id: outcome}.

    Judged once and kept in the shared cache until something it depends on changes: the household's
    profile (its updated_at), any program's rules (the rules generation), the catalogue or the median
    incomes (the page cache's version), the day, or the language of the explanations. The catalogue's
    badges, "Programs for me" and the program page all read it, so a resident browsing is judged once,
    not on every page. `programs`: the open programs, when the caller has already loaded them."""
    day = on or timezone.localdate()
    key = _household_key(HOUSEHOLD_OUTCOMES_KEY, household.pk, household.updated_at, day, language=True)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    if programs is None:
        programs = open_programs_list(household, day)
    outcomes = {
        program.pk: outcome
        for program, outcome in evaluate_programs(household=household, programs=programs, on=day)
    }
    if key is not None:
        cache.set(key, outcomes, HOUSEHOLD_OUTCOMES_SECONDS)
    return outcomes


HOUSEHOLD_VERDICTS_KEY = "programs:household-verdicts"


def household_verdicts(user, *, on: date | None = None) -> dict[int, str] | None:
    """{program id: verdict} of every open program serving the user's household (None: no household),
    for the catalogue's tags on every page a resident browses.

    Kept apart from the full outcomes, small: a page reads it with one short query (the household's id
    and profile stamp) and one small cache read, where the outcomes with their explanations took longer
    to unpickle than the rest of the page's own work."""
    day = on or timezone.localdate()
    stamp = household_stamp(user)
    if stamp is None:
        return None
    key = _household_key(HOUSEHOLD_VERDICTS_KEY, *stamp, day, language=False)
    if key is not None:
        cached = cache.get(key)
        if cached is not None:
            return cached
    household = household_for(user)
    if household is None:  # erased since the stamp was read
        return None
    verdicts = {pk: str(outcome.verdict) for pk, outcome in household_outcomes(household, on=day).items()}
    if key is not None:
        cache.set(key, verdicts, HOUSEHOLD_OUTCOMES_SECONDS)
    return verdicts


def programs_for_household(
    *, household: Household, on: date | None = None
) -> tuple[list[tuple[Program, Outcome]], list[tuple[Program, Outcome]]]:
    """Open programs serving the household's district (its own and city-wide ones), judged on its
    profile: (those it passes, those that need more information), each soonest deadline first."""
    day = on or timezone.localdate()
    programs = open_programs_list(household, day)
    outcomes = household_outcomes(household, on=day, programs=programs)
    judged = [(program, outcomes[program.pk]) for program in programs if program.pk in outcomes]
    judged.sort(key=lambda pair: (pair[0].application_end or date.max, pair[0].title))
    eligible = [pair for pair in judged if pair[1].verdict == Verdict.ELIGIBLE]
    needs_info = [pair for pair in judged if pair[1].verdict == Verdict.NEEDS_INFO]
    return eligible, needs_info


def programs_may_qualify(*, household: Household, on: date | None = None) -> list[tuple[Program, Outcome]]:
    """Every open program the household passes, across all categories, soonest deadline first."""
    return programs_for_household(household=household, on=on)[0]


# --- outreach -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewForYou:
    notice: OutreachNotice
    program: Program
    reasons: tuple[Line, ...]  # the criteria met, judged on today's profile


def new_for_you(household: Household | None, *, on: date | None = None) -> list[NewForYou]:
    """ "New for you": the programs outreach told the household about that are still open, not applied
    for, not waved away and still suited to its profile today, newest first, with the criteria met."""
    if household is None:
        return []
    day = on or timezone.localdate()
    notices = list(
        OutreachNotice.objects.filter(
            household=household, status=OutreachNotice.Status.SENT, program__in=Program.objects.open_on(day)
        )
        .exclude(Exists(Application.objects.filter(household=household, program=OuterRef("program"))))
        .exclude(Exists(ProgramDismissal.objects.filter(household=household, program=OuterRef("program"))))
        .select_related("program__city", "program__district")
        .order_by("-sent_at", "-pk")[:20]
    )
    if not notices:
        return []
    outcomes = household_outcomes(household, on=day)
    items = []
    for notice in notices:
        outcome = outcomes.get(notice.program_id)
        if outcome is not None and outcome.eligible:  # the profile may have changed since
            items.append(NewForYou(notice, notice.program, tuple(ln for ln in outcome.lines if ln.passed)))
    return items
