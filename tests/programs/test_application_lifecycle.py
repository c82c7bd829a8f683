"""The application services: submission, routing by selection method, transitions, cancellation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from households.models import Consent
from portal.models import AuditEvent, Notification
from programs.models import Application, ApplicationStatus, ProgramQuestion
from programs.services import (
    ApplicationError,
    application_cancel,
    application_decide,
    application_draft_save,
    application_evaluate,
    application_submit,
)
from programs.services.applications import TRANSITIONS
from tests.factories import HouseholdFactory, ProgramFactory, add_rules

pytestmark = pytest.mark.django_db
S = ApplicationStatus


def residents(count: int):
    return [HouseholdFactory().user for _ in range(count)]


def test_submission_gets_a_reference_and_is_decided_first_come(resident, committed):
    program = ProgramFactory(selection_method="first_come", capacity=5)

    application = committed(application_submit, user=resident, program=program)
    application.refresh_from_db()

    year = timezone.localdate().year
    assert application.reference == f"HN-{year}-{application.pk:06d}"
    assert application.status == S.APPROVED
    assert application.eligibility_verdict == "eligible"
    assert application.eligibility_rule_version == program.rule_version
    assert application.district == resident.household.district


def test_first_come_waitlists_once_places_are_gone(committed):
    program = ProgramFactory(selection_method="first_come", capacity=2)

    statuses = []
    for user in residents(4):
        application = committed(application_submit, user=user, program=program)
        application.refresh_from_db()
        statuses.append(application.status)

    assert statuses == [S.APPROVED, S.APPROVED, S.WAITLISTED, S.WAITLISTED]


def test_cancelling_an_approved_place_promotes_the_head_of_the_waitlist(committed):
    program = ProgramFactory(selection_method="first_come", capacity=1)
    first, second, third = (committed(application_submit, user=u, program=program) for u in residents(3))

    committed(application_cancel, user=first.household.user, application=first)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == S.APPROVED
    assert third.status == S.WAITLISTED
    promoted = Notification.objects.filter(user=second.household.user, template="application.promoted")
    assert promoted.filter(channel="in_app").count() == 1


def test_review_programs_go_to_the_review_queue(resident, committed):
    program = ProgramFactory(selection_method="review")

    application = committed(application_submit, user=resident, program=program)
    application.refresh_from_db()

    assert application.status == S.UNDER_REVIEW


def test_an_ineligible_first_come_applicant_is_reviewed_not_refused(resident, committed):
    program = ProgramFactory(selection_method="first_come", capacity=3)
    add_rules(program, {"field": "age", "operator": "gte", "value": 65})

    application = committed(application_submit, user=resident, program=program)
    application.refresh_from_db()

    assert application.status == S.UNDER_REVIEW
    assert application.eligibility_verdict == "ineligible"
    assert application.eligibility_lines[0]["passed"] is False


def test_lottery_entries_wait_for_the_draw(resident, committed):
    program = ProgramFactory(selection_method="lottery", capacity=3)

    application = committed(application_submit, user=resident, program=program)
    application.refresh_from_db()

    assert application.status == S.SUBMITTED
    assert application.eligibility_verdict == "eligible"


def test_evaluation_is_idempotent(resident, committed):
    program = ProgramFactory(selection_method="first_come", capacity=3)
    application = committed(application_submit, user=resident, program=program)
    before = application.history.count()

    application_evaluate(application_id=application.pk)

    assert application.history.count() == before
    assert Notification.objects.filter(template="application.approved", channel="in_app").count() == 1


def test_applying_twice_is_refused(resident, committed):
    program = ProgramFactory(selection_method="review")
    committed(application_submit, user=resident, program=program)

    with pytest.raises(ApplicationError) as refused:
        committed(application_submit, user=resident, program=program)

    assert refused.value.code == "duplicate"


def test_a_cancelled_application_can_be_made_again(resident, committed):
    program = ProgramFactory(selection_method="review")
    first = committed(application_submit, user=resident, program=program)
    committed(application_cancel, user=resident, application=first)

    again = committed(application_submit, user=resident, program=program)

    assert again.pk != first.pk


def test_applying_outside_the_period_is_refused(resident, committed):
    today = timezone.localdate()
    program = ProgramFactory(
        application_start=today + timedelta(days=3), application_end=today + timedelta(days=9)
    )

    with pytest.raises(ApplicationError) as refused:
        committed(application_submit, user=resident, program=program)

    assert refused.value.code == "closed"


def test_applying_without_the_profile_consent_is_refused(resident, committed):
    Consent.objects.filter(user=resident).update(withdrawn_at=timezone.now())

    with pytest.raises(ApplicationError) as refused:
        committed(application_submit, user=resident, program=ProgramFactory())

    assert refused.value.code == "profile_incomplete"


def test_a_required_question_must_be_answered(resident, committed):
    program = ProgramFactory()
    question = ProgramQuestion.objects.create(program=program, kind="text", label="참여 동기")

    with pytest.raises(ApplicationError) as refused:
        committed(application_submit, user=resident, program=program, answers={})
    application = committed(
        application_submit, user=resident, program=program, answers={question.field_name: "이웃과 교류"}
    )

    assert refused.value.code == "incomplete"
    assert application.answers == {question.field_name: "이웃과 교류"}


def test_a_draft_is_kept_and_becomes_the_submitted_application(resident, committed):
    program = ProgramFactory(selection_method="review")
    question = ProgramQuestion.objects.create(program=program, kind="text", label="참여 동기")

    draft = application_draft_save(user=resident, program=program, answers={question.field_name: "반쯤 씀"})
    submitted = committed(application_submit, user=resident, program=program)

    assert submitted.pk == draft.pk
    assert submitted.answers == {question.field_name: "반쯤 씀"}
    assert Application.objects.filter(household=resident.household).count() == 1


@pytest.mark.parametrize(
    ("action", "start", "expected"),
    [
        ("approve", S.UNDER_REVIEW, S.APPROVED),
        ("waitlist", S.UNDER_REVIEW, S.WAITLISTED),
        ("reject", S.UNDER_REVIEW, S.REJECTED),
        ("request_info", S.UNDER_REVIEW, S.INFO_REQUESTED),
        ("approve", S.WAITLISTED, S.APPROVED),
        ("complete", S.APPROVED, S.COMPLETED),
    ],
)
def test_staff_decisions_follow_the_transition_table(
    resident, caseworker_a, action, start, expected, committed
):
    program = ProgramFactory(selection_method="review")
    application = committed(application_submit, user=resident, program=program)
    Application.objects.filter(pk=application.pk).update(status=start)

    decided = committed(
        application_decide, application=application, action=action, actor=caseworker_a, reason="사유"
    )

    assert decided.status == expected
    assert AuditEvent.objects.filter(action=f"programs.application.{expected}", actor=caseworker_a).exists()
    assert decided.history.first().history_user == caseworker_a


@pytest.mark.parametrize(
    ("start", "action"),
    [
        (S.CANCELLED, "approve"),
        (S.REJECTED, "approve"),
        (S.COMPLETED, "reject"),
        (S.APPROVED, "waitlist"),
        (S.UNDER_REVIEW, "complete"),
    ],
)
def test_illegal_transitions_are_refused(resident, caseworker_a, start, action, committed):
    program = ProgramFactory(selection_method="review")
    application = committed(application_submit, user=resident, program=program)
    Application.objects.filter(pk=application.pk).update(status=start, decision_reason="x")

    with pytest.raises(ApplicationError) as refused:
        committed(
            application_decide, application=application, action=action, actor=caseworker_a, reason="사유"
        )

    assert refused.value.code == "invalid_transition"
    application.refresh_from_db()
    assert application.status == start


def test_rejecting_needs_a_reason(resident, caseworker_a, committed):
    application = committed(
        application_submit, user=resident, program=ProgramFactory(selection_method="review")
    )

    with pytest.raises(ApplicationError) as refused:
        committed(
            application_decide, application=application, action="reject", actor=caseworker_a, reason="  "
        )

    assert refused.value.code == "reason_required"


def test_staff_cannot_approve_beyond_capacity(caseworker_a, committed):
    program = ProgramFactory(selection_method="review", capacity=1)
    first, second = (committed(application_submit, user=u, program=program) for u in residents(2))
    committed(application_decide, application=first, action="approve", actor=caseworker_a)

    with pytest.raises(ApplicationError) as refused:
        committed(application_decide, application=second, action="approve", actor=caseworker_a)

    assert refused.value.code == "full"


def test_a_resident_cannot_cancel_a_finished_application(resident, caseworker_a, committed):
    application = committed(
        application_submit, user=resident, program=ProgramFactory(selection_method="review")
    )
    committed(
        application_decide, application=application, action="reject", actor=caseworker_a, reason="자격 미달"
    )

    with pytest.raises(ApplicationError):
        committed(application_cancel, user=resident, application=application)


def test_a_resident_cannot_cancel_someone_elses_application(resident, committed):
    other = HouseholdFactory().user
    application = committed(application_submit, user=other, program=ProgramFactory(selection_method="review"))

    with pytest.raises(ApplicationError) as refused:
        committed(application_cancel, user=resident, application=application)

    assert refused.value.code == "not_found"


def test_every_transition_in_the_table_is_a_known_status():
    assert set(TRANSITIONS) == set(S.values)
    assert all(targets <= set(S.values) for targets in TRANSITIONS.values())


def test_a_city_wide_program_of_another_city_is_refused_not_sent_to_the_applicants_district(
    resident, committed
):
    """Found in the browser: a 관악 (Seoul) resident's application to a Daegu city-wide program landed in
    관악's review queue and exports. A city-wide program serves its own city's residents."""
    from tests.factories import district

    daegu = district("27110").city
    program = ProgramFactory(city=daegu, district=None, selection_method="review")

    for service in (application_draft_save, application_submit):
        with pytest.raises(ApplicationError) as refused:
            committed(service, user=resident, program=program, answers={})
        assert refused.value.code == "not_resident"
        assert "대구" in refused.value.message
    assert not Application.objects.filter(program=program).exists()


def test_a_city_wide_program_of_the_residents_own_city_is_reviewed_by_their_district(resident, committed):
    seoul = resident.household.district.city
    program = ProgramFactory(city=seoul, district=None, selection_method="review")

    application = committed(application_submit, user=resident, program=program)

    assert application.district_id == resident.household.district_id
