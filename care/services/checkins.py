"""Wellbeing check-ins: enrolment (with recorded consent, guardians with their own), the morning's
check-ins, their messages with signed single-use answer links, and the escalation ladder

    scheduled → sent → answered_ok | help_requested | reminded → call (task) → visit (task)

Single rows move through `checkin_flow` (portal.workflow: table checked, audited, in one transaction).
The sweep moves overdue rows in bulk with set-based UPDATEs (one audit event per step with its count;
a row-by-row walk could not escalate 100,000 open check-ins within a second), and a message that
could not be sent (its outbox row `failed`) makes its check-in overdue at once: a failure is never
silent. Messages of a step are sent afterwards by a task that claims each row (`notified_step`).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.db import connection, transaction
from django.db.models import CharField, DateTimeField, F, Q, Value
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.models import Household
from portal.audit import audit_log
from portal.models import Notification, User
from portal.notifications import notify, notify_address
from portal.outbox import enqueue
from portal.scoping import scope_to_district
from portal.timeutils import local_datetime, local_today, to_local
from portal.workflow import Workflow

from ..models import (
    CheckIn,
    CheckInStatus,
    CheckInTask,
    Enrolment,
    EnrolmentStatus,
    Guardian,
    TaskKind,
    TaskOutcome,
)
from ..models.checkins import Step
from ..signals import checkins_changed
from .errors import CareError

C = CheckInStatus
SEND_TASK = "care.tasks.send_checkins"
NOTIFY_TASK = "care.tasks.notify_checkin_steps"
SEND_CHUNK = 500
LINK_SALT = "care.checkin.answer"

TRANSITIONS = {
    C.SCHEDULED: {C.SENT, C.SKIPPED},
    C.SENT: {C.ANSWERED_OK, C.HELP_REQUESTED, C.REMINDED},
    C.REMINDED: {C.ANSWERED_OK, C.HELP_REQUESTED, C.CALL},
    C.CALL: {C.ANSWERED_OK, C.HELP_REQUESTED, C.VISIT, C.CLOSED},
    C.VISIT: {C.ANSWERED_OK, C.HELP_REQUESTED, C.CLOSED},
    C.HELP_REQUESTED: {C.CLOSED, C.VISIT},
    C.ANSWERED_OK: set(),
    C.SKIPPED: set(),
    C.CLOSED: set(),
}
ANSWERABLE = (C.SENT, C.REMINDED, C.CALL, C.VISIT)

checkin_flow = Workflow(
    model=CheckIn,
    transitions=TRANSITIONS,
    action="care.checkin",
    notify_key="care.checkin",
    error=CareError,
    refused=gettext_lazy("This check-in is %(status)s: it cannot be changed that way."),
    lock_related=("enrolment__household__user",),
    subject_user_id=lambda c: c.enrolment.household.user_id,
    district=lambda c: c.district,
)


# --- enrolment ---------------------------------------------------------------------------------------


def _mask(weekdays: list[int]) -> int:
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise CareError("weekdays", _("Choose at least one weekday."), "weekdays")
    return sum(1 << day for day in set(weekdays))


@transaction.atomic
def enrolment_create(
    *,
    actor: User,
    household_id: int,
    weekdays: list[int],
    at: time,
    consent_version: str,
    by_email: bool = True,
    by_sms: bool = True,
    answer_window_hours: int = 4,
    guardians_told_at: str = Step.CALL,
    guardians: list[dict[str, Any]] | None = None,
    request: HttpRequest | None = None,
) -> Enrolment:
    """Staff enrol a resident of their district, recording the resident's consent (the notice version
    they agreed to) and any guardians, each with their own consent and contact."""
    household = (
        scope_to_district(Household.objects.all(), actor)
        .filter(pk=household_id, anonymized_at__isnull=True)
        .first()
    )
    if household is None:
        raise CareError("not_found", _("No such resident in your district."), "household")
    if not (consent_version or "").strip():
        raise CareError(
            "consent",
            _("Record the resident's consent (the notice version they agreed to)."),
            "consent_version",
        )
    if not 1 <= answer_window_hours <= 48:
        raise CareError("window", _("The answer window is 1 to 48 hours."), "answer_window_hours")
    if guardians_told_at not in Step.values:
        raise CareError("plan", _("Choose when guardians are told."), "guardians_told_at")
    if Enrolment.objects.filter(household=household).exclude(status=EnrolmentStatus.WITHDRAWN).exists():
        raise CareError("enrolled", _("This resident is already enrolled."), "household")
    now = timezone.now()
    Enrolment.objects.filter(household=household, status=EnrolmentStatus.WITHDRAWN).delete()
    enrolment = Enrolment.objects.create(
        household=household,
        district_id=household.district_id,
        neighbourhood_id=household.neighbourhood_id,
        days=_mask(weekdays),
        at=at,
        by_email=by_email,
        by_sms=by_sms,
        answer_window_hours=answer_window_hours,
        guardians_told_at=guardians_told_at,
        consent_version=consent_version.strip(),
        consent_given_at=now,
        enrolled_by=actor,
    )
    for guardian in guardians or []:
        guardian_add(actor=actor, enrolment=enrolment, **guardian)
    audit_log(
        actor=actor,
        action="care.enrolment.created",
        target=enrolment,
        subject_user_id=household.user_id,
        district=household.district,
        request=request,
        data={
            "weekdays": enrolment.weekdays,
            "at": at.isoformat(),
            "consent_version": enrolment.consent_version,
        },
    )
    return enrolment


def guardian_add(
    *,
    actor: User,
    enrolment: Enrolment,
    name: str,
    email: str = "",
    phone: str = "",
    relation: str = "",
    consented: bool = False,
    request: HttpRequest | None = None,
) -> Guardian:
    """A guardian is told only with their own consent, recorded here; without it they are kept but never
    contacted."""
    name, email, phone = (name or "").strip(), (email or "").strip(), (phone or "").strip()
    if not name or not (email or phone):
        raise CareError(
            "guardian", _("A guardian needs a name and an email address or mobile number."), "guardians"
        )
    guardian = Guardian(
        enrolment=enrolment,
        name=name,
        relation=(relation or "").strip(),
        email=email,
        phone=phone,
        consent_given_at=timezone.now() if consented else None,
    )
    guardian.full_clean(exclude=["enrolment"])
    guardian.save()
    audit_log(
        actor=actor,
        action="care.guardian.added",
        target=guardian,
        subject_user_id=enrolment.household.user_id,
        district=enrolment.district,
        request=request,
        data={"consented": consented},
    )
    return guardian


def _own_enrolment(user: User) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(household__user=user, status=EnrolmentStatus.ACTIVE)
        .select_related("household")
        .first()
    )
    if enrolment is None:
        raise CareError("not_found", _("You are not enrolled in check-ins."))
    return enrolment


@transaction.atomic
def enrolment_pause(
    *, user: User, starts_on: date, ends_on: date, request: HttpRequest | None = None
) -> Enrolment:
    """The resident pauses check-ins (travel, hospital): none is sent on those days."""
    if ends_on < starts_on:
        raise CareError("invalid_range", _("The last day cannot be before the first."), "ends_on")
    if starts_on < local_today():
        raise CareError("past", _("The first day has already passed."), "starts_on")
    if (ends_on - starts_on).days > 180:
        raise CareError("too_long", _("A pause lasts at most 180 days."), "ends_on")
    enrolment = _own_enrolment(user)
    enrolment.paused_from, enrolment.paused_until = starts_on, ends_on
    enrolment.save(update_fields=["paused_from", "paused_until"])
    # Check-ins already created for those days are not sent.
    CheckIn.objects.filter(
        enrolment=enrolment,
        status=C.SCHEDULED,
        scheduled_at__gte=local_datetime(starts_on, time.min),
        scheduled_at__lt=local_datetime(ends_on + timedelta(days=1), time.min),
    ).update(status=C.SKIPPED)
    audit_log(
        actor=user,
        action="care.enrolment.paused",
        target=enrolment,
        subject_user_id=user.pk,
        district=enrolment.district,
        request=request,
        data={"from": starts_on.isoformat(), "until": ends_on.isoformat()},
    )
    return enrolment


@transaction.atomic
def enrolment_resume(*, user: User, request: HttpRequest | None = None) -> Enrolment:
    enrolment = _own_enrolment(user)
    enrolment.paused_from = enrolment.paused_until = None
    enrolment.save(update_fields=["paused_from", "paused_until"])
    audit_log(
        actor=user,
        action="care.enrolment.resumed",
        target=enrolment,
        subject_user_id=user.pk,
        district=enrolment.district,
        request=request,
    )
    return enrolment


@transaction.atomic
def enrolment_withdraw(*, user: User, request: HttpRequest | None = None) -> Enrolment:
    """The resident withdraws: no more check-ins; unsent ones are skipped (open tasks stay for staff)."""
    enrolment = _own_enrolment(user)
    enrolment.status, enrolment.withdrawn_at = EnrolmentStatus.WITHDRAWN, timezone.now()
    enrolment.save(update_fields=["status", "withdrawn_at"])
    CheckIn.objects.filter(enrolment=enrolment, status=C.SCHEDULED).update(status=C.SKIPPED)
    audit_log(
        actor=user,
        action="care.enrolment.withdrawn",
        target=enrolment,
        subject_user_id=user.pk,
        district=enrolment.district,
        request=request,
    )
    return enrolment


# --- the morning's check-ins -------------------------------------------------------------------------


def checkins_create_for_day(*, day: date | None = None, batch: int = 5_000) -> int:
    """Create `day`'s check-ins of every active, unpaused enrolment scheduled that weekday (beat, each
    morning). Idempotent: unique (enrolment, scheduled_at) and ON CONFLICT DO NOTHING. Returns how many
    enrolments were due (created or already there)."""
    day = day or local_today()
    bit = 1 << day.weekday()
    due = (
        Enrolment.objects.filter(status=EnrolmentStatus.ACTIVE)
        .annotate(bit=F("days").bitand(bit))
        .filter(bit__gt=0)
        .exclude(paused_from__lte=day, paused_until__gte=day)
        .order_by("pk")
        .values_list("pk", "district_id", "at")
    )
    count = 0
    last = 0
    while True:
        rows = list(due.filter(pk__gt=last)[:batch])
        if not rows:
            break
        last = rows[-1][0]
        CheckIn.objects.bulk_create(
            [
                CheckIn(enrolment_id=pk, district_id=district_id, scheduled_at=local_datetime(day, at))
                for pk, district_id, at in rows
            ],
            ignore_conflicts=True,
        )
        count += len(rows)
    audit_log(actor=None, action="care.checkins.created", data={"day": day.isoformat(), "due": count})
    return count


# A queued check-in not sent after this long lost its task (a worker died mid-chunk): queued again.
REQUEUE_AFTER = timedelta(minutes=30)


def checkins_dispatch_due(*, now: datetime | None = None) -> int:
    """Queue the sending of every scheduled check-in whose time has come (beat, every few minutes), in
    chunks of SEND_CHUNK ids through the task outbox. Queuing marks the row (queued_at, a conditional
    UPDATE), so the next dispatch leaves it alone unless it was never sent within REQUEUE_AFTER; the
    send task claims each row again (scheduled → sent), so a task run twice sends nothing twice."""
    now = now or timezone.now()
    due = CheckIn.objects.filter(status=C.SCHEDULED, scheduled_at__lte=now).filter(
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    queued = 0
    for start in range(0, len(ids), SEND_CHUNK):
        chunk = ids[start : start + SEND_CHUNK]
        with transaction.atomic():
            CheckIn.objects.filter(pk__in=chunk, status=C.SCHEDULED).update(queued_at=now)
            enqueue(SEND_TASK, chunk, dedupe_key=f"care-send:{chunk[0]}:{chunk[-1]}")
        queued += len(chunk)
    return queued


def answer_token(checkin_id: int, answer: str) -> str:
    return signing.dumps({"c": checkin_id, "a": answer}, salt=LINK_SALT, compress=True)


def answer_links(checkin_id: int) -> dict[str, str]:
    base = f"{settings.SITE_URL}/care/checkins/answer/"
    return {
        "ok_link": f"{base}{answer_token(checkin_id, 'ok')}/",
        "help_link": f"{base}{answer_token(checkin_id, 'help')}/",
    }


def checkins_send(*, checkin_ids: list[int], now: datetime | None = None) -> int:
    """Send each check-in's question (the send task). Claimed by a conditional UPDATE, the message keyed
    by the check-in: a rerun sends nothing twice. Paused or withdrawn enrolments are skipped."""
    now = now or timezone.now()
    rows = CheckIn.objects.filter(pk__in=checkin_ids, status=C.SCHEDULED).select_related(
        "enrolment__household__user"
    )
    sent = 0
    for checkin in rows:
        enrolment = checkin.enrolment
        with transaction.atomic():
            if enrolment.status != EnrolmentStatus.ACTIVE or enrolment.is_paused_on(
                to_local(checkin.scheduled_at).date()
            ):
                CheckIn.objects.filter(pk=checkin.pk, status=C.SCHEDULED).update(status=C.SKIPPED)
                continue
            due = now + timedelta(hours=enrolment.answer_window_hours)
            if not CheckIn.objects.filter(pk=checkin.pk, status=C.SCHEDULED).update(
                status=C.SENT, sent_at=now, due_at=due, notified_step=C.SENT
            ):
                continue
            notify(
                user=enrolment.household.user,
                template="care.checkin.ask",
                event_key=f"care.checkin:{checkin.pk}:sent",
                context=answer_links(checkin.pk),
                email=enrolment.by_email,
                sms=enrolment.by_sms,
            )
            sent += 1
    if sent:
        transaction.on_commit(_announce_checkins_changed)  # sent_at, set by UPDATE: no post_save
    return sent


# --- answers -----------------------------------------------------------------------------------------


def _answer(checkin_id: int, answer: str, *, actor: User | None, request: HttpRequest | None) -> CheckIn:
    if answer not in ("ok", "help"):
        raise CareError("link_invalid", _("This answer link is not valid."))
    with transaction.atomic():
        checkin = checkin_flow.lock(checkin_id)
        if checkin.used_at is not None:
            raise CareError("link_used", _("This check-in was already answered. Thank you!"))
        if checkin.status not in ANSWERABLE:
            raise CareError("link_used", _("This check-in is closed. Thank you!"))
        now = timezone.now()
        to = C.ANSWERED_OK if answer == "ok" else C.HELP_REQUESTED
        checkin_flow.move(checkin, to, actor=actor, request=request, used_at=now, due_at=None)
        if to == C.HELP_REQUESTED:
            _open_task(checkin, TaskKind.HELP, now)
    return checkin


def checkin_answer_by_token(
    *, token: str, answer: str | None = None, request: HttpRequest | None = None
) -> CheckIn:
    """Answer from the message's link: no login; signed, expiring, single-use (used_at)."""
    try:
        value = signing.loads(
            token, salt=LINK_SALT, max_age=timedelta(hours=settings.CARE_CHECKIN_LINK_MAX_AGE_HOURS)
        )
        checkin_id, link_answer = int(value["c"]), str(value["a"])
    except signing.SignatureExpired as error:
        raise CareError(
            "link_expired", _("This link has expired. Answer in your inbox or call your district office.")
        ) from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise CareError("link_invalid", _("This answer link is not valid.")) from error
    if not CheckIn.objects.filter(pk=checkin_id).exists():
        raise CareError("link_invalid", _("This answer link is not valid."))
    return _answer(checkin_id, answer or link_answer, actor=None, request=request)


def checkin_answer(
    *, user: User, checkin_id: int, answer: str, request: HttpRequest | None = None
) -> CheckIn:
    """Answer from the inbox or the check-ins page (logged in): only one's own check-in."""
    if not CheckIn.objects.filter(pk=checkin_id, enrolment__household__user=user).exists():
        raise CareError("not_found", _("No such check-in."))
    return _answer(checkin_id, answer, actor=user, request=request)


def token_checkin(token: str) -> CheckIn | None:
    """The check-in a link names (for its page), or None when the link is bad or expired."""
    try:
        value = signing.loads(
            token, salt=LINK_SALT, max_age=timedelta(hours=settings.CARE_CHECKIN_LINK_MAX_AGE_HOURS)
        )
        return CheckIn.objects.filter(pk=int(value["c"])).first()
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


# --- escalation --------------------------------------------------------------------------------------


def _open_task(checkin: CheckIn, kind: str, now: datetime) -> None:
    CheckInTask.objects.get_or_create(
        checkin=checkin,
        kind=kind,
        defaults={
            "district_id": checkin.district_id,
            "neighbourhood_id": checkin.enrolment.neighbourhood_id,
            "created_at": now,
        },
    )


def _insert_tasks(*, status: str, kind: str, now: datetime) -> None:
    """One INSERT … SELECT of a task for every check-in this sweep just moved to `status` (marked by
    escalated_at = now): set-based, and ON CONFLICT DO NOTHING keeps a rerun from adding a second one.
    The SELECT is compiled by Django, so dates are written the way each database stores them."""
    rows = (
        CheckIn.objects.filter(status=status, escalated_at=now)
        .annotate(
            t_checkin=F("pk"),
            t_district=F("district_id"),
            t_neighbourhood=F("enrolment__neighbourhood_id"),
            t_kind=Value(kind, output_field=CharField()),
            t_created=Value(now, output_field=DateTimeField()),
            t_outcome=Value("", output_field=CharField()),
            t_note=Value("", output_field=CharField()),
        )
        .values("t_checkin", "t_district", "t_neighbourhood", "t_kind", "t_created", "t_outcome", "t_note")
    )
    select, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO care_checkintask"
            " (checkin_id, district_id, neighbourhood_id, kind, created_at, outcome, note)"
            f" {select} ON CONFLICT (checkin_id, kind) DO NOTHING",
            params,
        )


def _failed_sends() -> dict[str, list[int]]:
    """Check-ins whose question or reminder could not be delivered (an outbox row `failed`), by step."""
    found: dict[str, list[int]] = {C.SENT: [], C.REMINDED: []}
    keys = Notification.objects.filter(
        status=Notification.Status.FAILED, template__in=["care.checkin.ask", "care.checkin.reminder"]
    ).values_list("event_key", flat=True)
    for key in keys:
        _prefix, pk, step = key.split(":")
        found[C.SENT if step == "sent" else C.REMINDED].append(int(pk))
    return found


def checkins_sweep(*, now: datetime | None = None) -> dict[str, int]:
    """Escalate every overdue check-in one step, set-based (beat, every few minutes):
    call → visit (a call task unanswered for CARE_CALL_WINDOW_HOURS), reminded → call, sent → reminded.
    Highest step first, so no row climbs two steps in one sweep. Then queue the steps' messages."""
    now = now or timezone.now()
    moved: dict[str, int] = {}
    with transaction.atomic():
        for step, pks in _failed_sends().items():
            if pks:
                CheckIn.objects.filter(pk__in=pks, status=step, due_at__gt=now).update(due_at=now)
        call_due = now + timedelta(hours=settings.CARE_CALL_WINDOW_HOURS)
        for source, target, kind, next_due in (
            (C.CALL, C.VISIT, TaskKind.VISIT, None),
            (C.REMINDED, C.CALL, TaskKind.CALL, call_due),
        ):
            moved[target] = CheckIn.objects.filter(status=source, due_at__lte=now).update(
                status=target, escalated_at=now, due_at=next_due
            )
            if moved[target]:
                _insert_tasks(status=target, kind=kind, now=now)
        reminded_due = now
        moved[C.REMINDED] = CheckIn.objects.filter(status=C.SENT, due_at__lte=now).update(
            status=C.REMINDED,
            reminded_at=now,
            # Each check-in gets its plan's window again; computed in SQL per row would tie the
            # query to one database's interval syntax, so the default window is used and the
            # notify task sets the enrolment's own when it sends the reminder.
            due_at=reminded_due + timedelta(hours=settings.CARE_DEFAULT_ANSWER_WINDOW_HOURS),
        )
        if any(moved.values()):
            audit_log(actor=None, action="care.checkins.escalated", data=dict(moved))
            enqueue(NOTIFY_TASK, dedupe_key="care-checkin-notify")
            # Bulk UPDATEs send no post_save: announce the change (every district the sweep touched).
            transaction.on_commit(_announce_checkins_changed)
    return moved


def _announce_checkins_changed(district_id: int | None = None) -> None:
    checkins_changed.send(sender=CheckIn, district_id=district_id)


STEP_TEMPLATE = {C.REMINDED: "care.checkin.reminder"}
GUARDIAN_STEP = {C.REMINDED: Step.REMINDER, C.CALL: Step.CALL, C.VISIT: Step.VISIT}


def checkins_notify_steps(*, limit: int = 5_000) -> int:
    """Send what each escalated check-in's new step says (the notify task): the resident's reminder,
    and the guardians (with consent) at the step the plan names. Each row is claimed by a conditional
    UPDATE of notified_step, messages are keyed by check-in and step: a rerun sends nothing twice."""
    pending = (
        CheckIn.objects.filter(status__in=[C.REMINDED, C.CALL, C.VISIT])
        .exclude(notified_step=F("status"))
        .select_related("enrolment__household__user")
        .order_by("pk")[:limit]
    )
    done = 0
    for checkin in pending:
        enrolment = checkin.enrolment
        with transaction.atomic():
            if (
                not CheckIn.objects.filter(pk=checkin.pk, status=checkin.status)
                .exclude(notified_step=checkin.status)
                .update(notified_step=checkin.status)
            ):
                continue
            user = enrolment.household.user
            if checkin.status == C.REMINDED:
                CheckIn.objects.filter(pk=checkin.pk, status=C.REMINDED).update(
                    due_at=checkin.reminded_at + timedelta(hours=enrolment.answer_window_hours)
                )
                notify(
                    user=user,
                    template="care.checkin.reminder",
                    event_key=f"care.checkin:{checkin.pk}:reminder",
                    context=answer_links(checkin.pk),
                    email=enrolment.by_email,
                    sms=enrolment.by_sms,
                )
            if enrolment.guardians_told_at == GUARDIAN_STEP[checkin.status]:
                _tell_guardians(checkin, enrolment)
            done += 1
    return done


def _tell_guardians(checkin: CheckIn, enrolment: Enrolment) -> None:
    context = {
        "resident": enrolment.household.name,
        "when": f"{to_local(checkin.scheduled_at):%Y-%m-%d %H:%M}",
        "step": str(CheckInStatus(checkin.status).label),
    }
    for guardian in enrolment.guardians.filter(consent_given_at__isnull=False):
        for channel, address in (
            (Notification.Channel.EMAIL, guardian.email),
            (Notification.Channel.SMS, guardian.phone),
        ):
            if address:
                notify_address(
                    user=enrolment.household.user,
                    channel=channel,
                    address=address,
                    template="care.checkin.guardian",
                    event_key=f"care.guardian:{guardian.pk}:{checkin.pk}:{checkin.status}",
                    context=context,
                )


# --- the caseworkers' board ---------------------------------------------------------------------------


def open_tasks_visible_to(user: User):
    """Open tasks of the user's district, by 행정동, oldest first."""
    return (
        CheckInTask.objects.visible_to(user)
        .filter(closed_at__isnull=True)
        .select_related("neighbourhood", "checkin__enrolment__household")
        .order_by("neighbourhood__name", "created_at", "id")
    )


def task_record_outcome(
    *, actor: User, task_id: int, outcome: str, note: str = "", request: HttpRequest | None = None
) -> CheckInTask:
    """A caseworker records a call's or visit's outcome. No answer or needs a visit opens the visit task;
    reached (or visited) closes the check-in."""
    if outcome not in TaskOutcome.values:
        raise CareError("outcome", _("Choose the outcome."), "outcome")
    with transaction.atomic():
        task = (
            CheckInTask.objects.visible_to(actor).select_for_update(of=("self",)).filter(pk=task_id).first()
        )
        if task is None:
            raise CareError("not_found", _("No such task."))
        if task.closed_at is not None:
            raise CareError("invalid_transition", _("This task is already closed."))
        now = timezone.now()
        task.outcome, task.note, task.closed_at, task.closed_by = outcome, (note or "").strip(), now, actor
        task.full_clean(exclude=["checkin", "district", "neighbourhood", "closed_by"])
        task.save()
        checkin = checkin_flow.lock(task.checkin_id)
        checkin_flow.record(
            checkin,
            "care.task.outcome",
            actor=actor,
            request=request,
            task=task.pk,
            kind=task.kind,
            outcome=outcome,
        )
        if outcome in (TaskOutcome.NO_ANSWER, TaskOutcome.NEEDS_VISIT) and task.kind != TaskKind.VISIT:
            if checkin_flow.allows(checkin.status, C.VISIT):
                checkin_flow.move(
                    checkin, C.VISIT, actor=actor, request=request, escalated_at=now, due_at=None
                )
                enqueue(NOTIFY_TASK, dedupe_key="care-checkin-notify")
            _open_task(checkin, TaskKind.VISIT, now)
        elif (
            checkin_flow.allows(checkin.status, C.CLOSED)
            and not checkin.tasks.filter(closed_at__isnull=True).exists()
        ):
            checkin_flow.move(checkin, C.CLOSED, actor=actor, request=request, due_at=None)
    return task


def task_outcomes_for(kind: str) -> list[str]:
    if kind == TaskKind.VISIT:
        return [TaskOutcome.VISITED, TaskOutcome.NO_ANSWER]
    return [TaskOutcome.REACHED, TaskOutcome.NO_ANSWER, TaskOutcome.NEEDS_VISIT]
