"""Reference data from the migrations, and `manage.py load_demo` (idempotent, usable accounts)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from demo.loader import ACCOUNTS, DEMO_PASSWORD
from households.models import Consent, Household
from portal.models import City, District, Neighbourhood, User
from programs.models import (
    Category,
    Criterion,
    CriterionGroup,
    MedianIncome,
    PolicyMilestone,
    PolicyOfficial,
    Program,
    ProgramQuestion,
)

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    return {
        "programs": Program.objects.count(),
        "users": User.objects.count(),
        "households": Household.objects.count(),
        "consents": Consent.objects.count(),
        "groups": CriterionGroup.objects.count(),
        "criteria": Criterion.objects.count(),
        "officials": PolicyOfficial.objects.count(),
        "milestones": PolicyMilestone.objects.count(),
        "questions": ProgramQuestion.objects.count(),
        "program_history": Program.history.count(),
        "criterion_history": Criterion.history.count(),
    }


def _load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_reference_data_comes_with_the_migrations():
    seoul = City.objects.get(code="11")
    assert District.objects.filter(city=seoul).count() == 25
    assert District.objects.get(code="11620").name_en == "Gwanak-gu"
    assert District.objects.get(code="11740").name == "강동구"
    assert District.objects.filter(city__code="27").count() >= 8
    assert District.objects.get(code="29140").name == "서구"
    assert Neighbourhood.objects.filter(district__code="11620").count() == 21
    assert Neighbourhood.objects.filter(district__code="11140").count() == 15
    assert MedianIncome.objects.get(year=2025, household_size=1).amount == 2_392_013
    assert MedianIncome.objects.get(year=2026, household_size=1).amount == 2_564_238
    assert MedianIncome.objects.get(year=2024, household_size=6).amount == 7_618_369


def test_load_demo_twice_changes_nothing():
    first_output = _load()
    first = _counts()
    versions = dict(Program.objects.values_list("slug", "rule_version"))
    second_output = _load()
    assert _counts() == first
    assert dict(Program.objects.values_list("slug", "rule_version")) == versions
    assert set(versions.values()) == {1}
    assert "Demo accounts (password for all: hana-demo-2026)" in first_output
    assert first_output == second_output


def test_demo_catalog_is_broad_and_real():
    _load()
    published = Program.objects.published()
    assert published.count() >= 28
    assert set(published.values_list("category", flat=True)) == set(Category.values)
    owners = {(city, district) for city, district in published.values_list("city__code", "district__code")}
    assert len(owners) >= 4
    assert Program.objects.open_now().count() >= 20
    assert Program.objects.exclude(status="published").exists()

    deposit = Program.objects.get(slug="junggu-jeonse-guarantee-fee")
    assert deposit.policy_number == "2023-13"
    assert deposit.officials.filter(name="이춘배").exists()
    assert deposit.milestones.count() >= 5

    yeongdeungpo = Program.objects.get(slug="yeongdeungpo-safe-home-set")
    assert CriterionGroup.objects.filter(program=yeongdeungpo, logic="any").count() == 1
    assert Criterion.objects.filter(group__program=yeongdeungpo, field="crime_victim").exists()

    for program in published:
        assert program.officials.exists(), program.slug
        assert program.milestones.exists(), program.slug
        assert CriterionGroup.objects.filter(program=program, parent=None).count() == 1, program.slug


def test_every_demo_account_can_log_in_with_its_role():
    _load()
    for account in ACCOUNTS:
        user = authenticate(
            request=RequestFactory().post("/accounts/login/"), username=account.email, password=DEMO_PASSWORD
        )
        assert user is not None, account.email
        assert user.role == account.role
        assert (user.district.code if user.district else None) == account.district_code
        assert user.is_staff == (account.role != User.Role.RESIDENT)


def test_demo_residents_have_complete_profiles_and_consents():
    _load()
    resident = Household.objects.get(user__email="resident@hana.demo")
    assert resident.district.code == "11620"
    assert resident.neighbourhood.name == "신림동"
    assert resident.monthly_income == 2_100_000
    assert resident.housing_tenure == "monthly_rent"
    purposes = set(
        Consent.objects.filter(user=resident.user, withdrawn_at__isnull=True).values_list(
            "purpose", flat=True
        )
    )
    # 김하나 also asked to hear about programs she may qualify for, and was told about the open ones.
    assert purposes == {"profile", "sensitive", "outreach"}
    assert resident.outreach_notices.filter(status="sent").exists()

    second = Household.objects.get(user__email="resident2@hana.demo")
    assert second.neighbourhood.name == "황학동"
    assert second.age_on(timezone.localdate()) == 58


def test_a_demo_program_asks_questions_and_documents_from_its_seed():
    """The apply flow's richest path (questions, document uploads) is visible in the demo: the 전세보증금
    반환보증료 지원 asks for the lease and the premium receipt, as its 구비서류 says."""
    _load()
    questions = list(ProgramQuestion.objects.filter(program__slug="junggu-jeonse-guarantee-fee"))
    kinds = [q.kind for q in questions]
    assert kinds.count("file") == 3 and "number" in kinds and "choice" in kinds
    labels = " ".join(q.label for q in questions)
    assert "임대차계약서" in labels and "영수증" in labels
    assert all(q.label_en for q in questions)
