"""The programs admin for a district program manager: scoping, read-only city-wide programs, editing
eligibility criteria (rule versions and audit) and the eligibility preview."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from portal.models import AuditEvent
from programs.models import Criterion, CriterionGroup, Program
from programs.services import program_rules_changed
from tests.factories import GWANAK, JUNGGU, HouseholdFactory, ProgramFactory, add_rules, district, login

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:programs_program_changelist")


def change_url(program: Program) -> str:
    return reverse("admin:programs_program_change", args=[program.pk])


def group_url(group: CriterionGroup) -> str:
    return reverse("admin:programs_criteriongroup_change", args=[group.pk])


def form_data(response) -> dict:
    """The POST an unchanged admin change form would send: the main form and every inline formset."""
    data: dict = {}

    def add(bound) -> None:
        value = bound.value()
        if isinstance(value, bool):
            if value:
                data[bound.html_name] = "on"
        elif value is None:
            data[bound.html_name] = ""
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)

    for bound in response.context["adminform"].form:
        add(bound)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            add(bound)
        for form in formset.forms:
            for bound in form:
                add(bound)
    return data


@pytest.fixture
def manager_client(client, program_manager_a):
    return login(client, program_manager_a)


@pytest.fixture
def programs():
    seoul = district(GWANAK).city
    return {
        "gwanak": ProgramFactory(title="관악 청년 소셜다이닝", district=district(GWANAK)),
        "seoul": ProgramFactory(title="서울시 안심귀가", district=None, city=seoul),
        "junggu": ProgramFactory(title="중구 어르신 돌봄", district=district(JUNGGU)),
    }


@pytest.fixture
def ruled_program():
    """A Gwanak program whose rules were saved once (as the admin does on creation): version 1."""
    program = ProgramFactory(title="관악 청년 월세", district=district(GWANAK))
    add_rules(
        program, {"field": "age", "operator": "between", "value": [19, 39], "explanation": "만 19~39세"}
    )
    program_rules_changed(program=program)
    program.refresh_from_db()
    assert program.rule_version == 1
    return program


# --- scoping ---------------------------------------------------------------------------------------


def test_changelist_shows_own_district_and_city_wide_programs_only(manager_client, programs):
    response = manager_client.get(CHANGELIST)

    assert response.status_code == 200
    listed = {program.title for program in response.context["cl"].result_list}
    assert listed == {"관악 청년 소셜다이닝", "서울시 안심귀가"}
    assert "중구 어르신 돌봄" not in response.content.decode()


def test_changelist_search_stays_in_scope(manager_client, programs):
    response = manager_client.get(CHANGELIST, {"q": "중구"})

    assert list(response.context["cl"].result_list) == []
    assert "중구 어르신 돌봄" not in response.content.decode()


def test_manager_can_change_an_own_district_program(manager_client, programs):
    program = programs["gwanak"]
    page = manager_client.get(change_url(program))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is True
    data = form_data(page)
    data["title"] = "관악 청년 소셜다이닝 (2기)"

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    program.refresh_from_db()
    assert program.title == "관악 청년 소셜다이닝 (2기)"


def test_city_wide_program_is_read_only_for_a_district_manager(manager_client, programs):
    program = programs["seoul"]

    response = manager_client.get(change_url(program))

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert "서울시 안심귀가" in response.content.decode()
    assert 'name="_save"' not in response.content.decode()


def test_posting_to_a_city_wide_program_is_403(manager_client, programs):
    program = programs["seoul"]

    response = manager_client.post(change_url(program), {"title": "바꿈"})

    assert response.status_code == 403
    program.refresh_from_db()
    assert program.title == "서울시 안심귀가"


def test_another_districts_program_is_not_shown(manager_client, programs):
    program = programs["junggu"]

    response = manager_client.get(change_url(program))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    followed = manager_client.get(change_url(program), follow=True)
    assert "중구 어르신 돌봄" not in followed.content.decode()


def test_posting_to_another_districts_program_changes_nothing(manager_client, programs):
    program = programs["junggu"]

    response = manager_client.post(change_url(program), {"title": "바꿈"})

    assert response.status_code == 302
    assert response.url == reverse("admin:index")
    program.refresh_from_db()
    assert program.title == "중구 어르신 돌봄"


def test_another_districts_eligibility_preview_is_404(manager_client, programs):
    url = reverse("admin:programs_program_eligibility_preview", args=[programs["junggu"].pk])

    assert manager_client.get(url).status_code == 404


def test_another_districts_criterion_group_is_not_shown(manager_client, programs):
    group = add_rules(programs["junggu"], {"field": "age", "operator": "gte", "value": 65})

    response = manager_client.get(group_url(group))

    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_city_wide_criterion_group_cannot_be_edited(manager_client, programs):
    group = add_rules(programs["seoul"], {"field": "age", "operator": "gte", "value": 19})

    response = manager_client.post(group_url(group), {"label": "x", "logic": "any"})

    assert response.status_code == 403
    group.refresh_from_db()
    assert group.logic == "all"


# --- editing criteria ------------------------------------------------------------------------------


def test_editing_a_criterion_bumps_the_rule_version_and_is_audited(
    manager_client, program_manager_a, ruled_program
):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data["criteria-0-value"] = "[19, 34]"

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 302
    assert Criterion.objects.get(group=group).value == [19, 34]
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 2
    event = AuditEvent.objects.get(action="programs.rules.changed")
    assert event.actor == program_manager_a
    assert event.target_id == str(ruled_program.pk)
    assert event.district == district(GWANAK)
    assert event.data == {"rule_version": 2}


def test_adding_a_criterion_bumps_the_rule_version(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data.update(
        {
            "criteria-1-field": "monthly_income",
            "criteria-1-operator": "lte",
            "criteria-1-value": "",
            "criteria-1-parameter": "median_income",
            "criteria-1-parameter_percent": "150",
            "criteria-1-explanation": "기준중위소득 150% 이하",
            "criteria-1-position": "1",
        }
    )

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 302
    assert group.criteria.count() == 2
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 2


def test_edited_rules_apply_to_the_next_eligibility_check(
    manager_client, ruled_program, django_capture_on_commit_callbacks
):
    resident_client = login(Client(), HouseholdFactory(birth_date=date(1990, 1, 1)).user)
    url = f"/api/v1/programs/{ruled_program.pk}/eligibility/"
    assert resident_client.get(url).json()["verdict"] == "eligible"
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data["criteria-0-value"] = "[19, 29]"

    with django_capture_on_commit_callbacks(execute=True):
        manager_client.post(group_url(group), data)

    body = resident_client.get(url).json()
    assert body["verdict"] == "ineligible"
    assert body["rule_version"] == 2


def test_saving_without_a_change_keeps_the_version(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 302
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 1
    assert not AuditEvent.objects.filter(action="programs.rules.changed").exists()


def test_changing_only_the_wording_keeps_the_version(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data["criteria-0-explanation"] = "만 19세 이상 39세 이하"

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 302
    assert Criterion.objects.get(group=group).explanation == "만 19세 이상 39세 이하"
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 1


def test_invalid_criterion_shows_a_form_error_and_stores_nothing(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    before = list(Criterion.objects.filter(group=group).values())
    data = form_data(manager_client.get(group_url(group)))
    data["criteria-0-value"] = "[19]"  # between needs two numbers

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 200
    formset = response.context["inline_admin_formsets"][0].formset
    assert formset.forms[0].non_field_errors()
    assert "[19, 39]" in response.content.decode()  # the help text names the right shape
    assert list(Criterion.objects.filter(group=group).values()) == before
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 1
    assert not AuditEvent.objects.filter(action="programs.rules.changed").exists()


def test_yes_no_fact_with_a_numeric_operator_is_refused(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data.update(
        {
            "criteria-1-field": "crime_victim",
            "criteria-1-operator": "gte",
            "criteria-1-value": "1",
            "criteria-1-explanation": "범죄피해자",
            "criteria-1-position": "1",
        }
    )

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 200
    assert group.criteria.count() == 1


def test_deleting_a_criterion_bumps_the_rule_version(manager_client, ruled_program):
    group = ruled_program.criterion_groups.get(parent=None)
    data = form_data(manager_client.get(group_url(group)))
    data["criteria-0-DELETE"] = "on"

    response = manager_client.post(group_url(group), data)

    assert response.status_code == 302
    assert not group.criteria.exists()
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 2


def test_deleting_a_sub_group_bumps_the_rule_version(manager_client, ruled_program):
    root = ruled_program.criterion_groups.get(parent=None)
    sub = CriterionGroup.objects.create(program=ruled_program, parent=root, logic="any")
    Criterion.objects.create(
        group=sub, field="housing_tenure", operator="eq", value="jeonse", explanation="전세"
    )
    program_rules_changed(program=ruled_program)
    ruled_program.refresh_from_db()
    version = ruled_program.rule_version

    response = manager_client.post(
        reverse("admin:programs_criteriongroup_delete", args=[sub.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not CriterionGroup.objects.filter(pk=sub.pk).exists()
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == version + 1
    event = AuditEvent.objects.filter(action="programs.rules.changed").latest("id")
    assert event.data == {"rule_version": version + 1}


# --- eligibility preview ---------------------------------------------------------------------------


def preview_url(program: Program) -> str:
    return reverse("admin:programs_program_eligibility_preview", args=[program.pk])


@pytest.fixture
def english(manager_client, settings):
    """Pages follow the language switch (a cookie), not the browser's Accept-Language."""
    manager_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return manager_client


def test_preview_evaluates_a_sample_profile(english, ruled_program):
    response = english.get(preview_url(ruled_program), {"age": "30"})

    assert response.status_code == 200
    assert response.context["outcome"].verdict == "eligible"
    page = response.content.decode()
    assert "Eligible" in page
    assert "만 19~39세" in page


def test_preview_shows_a_failing_verdict(english, ruled_program):
    response = english.get(preview_url(ruled_program), {"age": "70"})

    assert response.context["outcome"].verdict == "ineligible"
    assert "Not eligible" in response.content.decode()


def test_preview_with_a_missing_fact_asks_for_more_information(english, ruled_program):
    response = english.get(preview_url(ruled_program), {"age": ""})

    assert response.context["outcome"].verdict == "needs_info"
    assert "More information needed" in response.content.decode()


def test_preview_without_a_profile_evaluates_nothing(manager_client, ruled_program):
    response = manager_client.get(preview_url(ruled_program))

    assert response.status_code == 200
    assert response.context["outcome"] is None


def test_preview_stores_nothing(manager_client, ruled_program):
    events = AuditEvent.objects.count()

    manager_client.get(preview_url(ruled_program), {"age": "30", "monthly_income": "2000000"})

    assert AuditEvent.objects.count() == events
    ruled_program.refresh_from_db()
    assert ruled_program.rule_version == 1


# --- who owns a program ----------------------------------------------------------------------------


def test_manager_cannot_turn_an_own_program_into_a_city_wide_one(manager_client, programs):
    program = programs["gwanak"]
    data = form_data(manager_client.get(change_url(program)))
    data["district"] = ""

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    program.refresh_from_db()
    assert program.district == district(GWANAK)


def test_manager_cannot_add_a_city_wide_program(manager_client):
    add_url = reverse("admin:programs_program_add")
    data = form_data(manager_client.get(add_url))
    data.update(
        {
            "slug": "seoul-wide-by-gwanak",
            "status": "draft",
            "city": str(district(GWANAK).city_id),
            "district": "",
            "category": "safety",
            "benefit_type": "service",
            "selection_method": "review",
            "title": "서울시 전체 사업",
            "summary": "요약",
            "target_text": "대상",
            "benefit_text": "내용",
            "how_to_apply": "방법",
            "department": "부서",
            "contact": "02-000-0000",
        }
    )

    response = manager_client.post(add_url, data)

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    assert not Program.objects.filter(slug="seoul-wide-by-gwanak").exists()


def test_manager_can_add_an_own_district_program(manager_client, program_manager_a):
    add_url = reverse("admin:programs_program_add")
    data = form_data(manager_client.get(add_url))
    data.update(
        {
            "slug": "gwanak-new",
            "status": "draft",
            "city": str(district(GWANAK).city_id),
            "district": str(district(GWANAK).pk),
            "category": "safety",
            "benefit_type": "service",
            "selection_method": "review",
            "title": "관악 새 사업",
            "summary": "요약",
            "target_text": "대상",
            "benefit_text": "내용",
            "how_to_apply": "방법",
            "department": "부서",
            "contact": "02-000-0000",
        }
    )

    response = manager_client.post(add_url, data)

    assert response.status_code == 302
    program = Program.objects.get(slug="gwanak-new")
    assert program.district == district(GWANAK)
    # Saving created the (empty) root group: everyone qualifies until criteria are added.
    assert program.criterion_groups.filter(parent=None).count() == 1
    assert program.rule_version == 1


def test_manager_cannot_move_a_program_to_another_district(manager_client, programs):
    program = programs["gwanak"]
    data = form_data(manager_client.get(change_url(program)))
    data["district"] = str(district(JUNGGU).pk)

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 200
    assert "district" in response.context["adminform"].form.errors
    program.refresh_from_db()
    assert program.district == district(GWANAK)


def test_program_city_must_be_its_districts_city(manager_client, programs):
    program = programs["gwanak"]
    data = form_data(manager_client.get(change_url(program)))
    data["city"] = str(district("29140").city_id)  # 광주광역시

    response = manager_client.post(change_url(program), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    program.refresh_from_db()
    assert program.city == district(GWANAK).city
