"""Care at city scale (issue 16): `python -m bench care`.

- 100,000 enrolled residents (the first households of the bench data set, every weekday at 10:00):
  one morning's check-ins created and their sending queued (≤ 60 s), run twice: 0 duplicates;
  the send task run twice on a sample: 0 duplicate messages;
- the sweep escalating the overdue among 100,000 open check-ins (≤ 1 s), set-based;
- a centre's free counselling slots for 4 weeks (p95 ≤ 50 ms): 5 counsellors, each with a room.
"""

from __future__ import annotations

import time
from datetime import time as clock
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

ENROLMENTS = 100_000
BENCH_VERSION = "bench"
SAMPLE = 2_000


def ensure_enrolments(n: int = ENROLMENTS) -> int:
    """n enrolments of the first n households (kept between runs)."""
    from care.models import Enrolment
    from households.models import Household

    if Enrolment.objects.filter(consent_version=BENCH_VERSION).count() == n:
        return n
    Enrolment.objects.all().delete()
    now = timezone.now()
    last = 0
    made = 0
    while made < n:
        rows = list(
            Household.objects.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "district_id", "neighbourhood_id")[: min(10_000, n - made)]
        )
        if not rows:
            break
        last = rows[-1][0]
        Enrolment.objects.bulk_create(
            Enrolment(
                household_id=pk,
                district_id=district,
                neighbourhood_id=neighbourhood,
                days=0b1111111,
                at=clock(10),
                consent_version=BENCH_VERSION,
                consent_given_at=now,
                by_email=True,
                by_sms=False,
            )
            for pk, district, neighbourhood in rows
        )
        made += len(rows)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE care_enrolment")
    return made


def morning_lines() -> list[str]:
    from care.models import CheckIn
    from care.services import checkins as svc
    from portal.models import Notification, QueuedTask
    from portal.timeutils import local_datetime, local_today

    enrolled = ensure_enrolments()
    day = local_today() + timedelta(days=1)
    CheckIn.objects.all().delete()
    QueuedTask.objects.filter(name__in=[svc.SEND_TASK, svc.NOTIFY_TASK]).delete()
    Notification.objects.filter(template__startswith="care.").delete()
    at = local_datetime(day, clock(10, 1))
    runs = []
    for _ in range(2):
        started = time.perf_counter()
        due = svc.checkins_create_for_day(day=day)
        queued = svc.checkins_dispatch_due(now=at)
        runs.append((due, queued, time.perf_counter() - started))
    rows = CheckIn.objects.count()
    duplicates = (
        CheckIn.objects.values("enrolment_id", "scheduled_at").annotate(n=Count("pk")).filter(n__gt=1).count()
    )
    tasks = QueuedTask.objects.filter(name=svc.SEND_TASK).count()
    # The send task (a worker's side) run twice on a sample of the queued ids: no message twice.
    sample = list(CheckIn.objects.order_by("pk").values_list("pk", flat=True)[:SAMPLE])
    started = time.perf_counter()
    for start in range(0, len(sample), svc.SEND_CHUNK):
        with transaction.atomic():
            svc.checkins_send(checkin_ids=sample[start : start + svc.SEND_CHUNK], now=at)
    send_seconds = time.perf_counter() - started
    for start in range(0, len(sample), svc.SEND_CHUNK):
        svc.checkins_send(checkin_ids=sample[start : start + svc.SEND_CHUNK], now=at)
    messages = Notification.objects.filter(template="care.checkin.ask")
    dup_messages = messages.values("event_key", "channel").annotate(n=Count("pk")).filter(n__gt=1).count()
    return [
        f"care check-ins: {enrolled:,} enrolled; one morning created and queued in {runs[0][2]:.1f} s "
        f"(target ≤ 60 s): {runs[0][0]:,} due, {runs[0][1]:,} queued in {tasks:,} send tasks; run again in "
        f"{runs[1][2]:.1f} s: {runs[1][1]:,} queued; {rows:,} check-ins, {duplicates} duplicates (target 0)",
        f"care check-ins: the send task on {len(sample):,} of them: {send_seconds:.1f} s "
        f"({len(sample) / send_seconds:,.0f} check-ins/s a worker), run twice: "
        f"{messages.count():,} messages, {dup_messages} duplicates (target 0)",
    ]


def sweep_lines() -> list[str]:
    """100,000 open check-ins (every enrolment's, from the morning above): 10% overdue at `sent`, 10%
    overdue at `reminded`, the rest within their window. The sweep moves the overdue one step each."""
    from care.models import CheckIn, CheckInTask
    from care.services import checkins as svc

    now = timezone.now()
    CheckInTask.objects.all().delete()
    open_rows = CheckIn.objects.all()
    open_rows.update(
        status="sent", sent_at=now - timedelta(hours=1), due_at=now + timedelta(hours=3), notified_step="sent"
    )
    ids = list(open_rows.order_by("pk").values_list("pk", flat=True))
    tenth = len(ids) // 10
    CheckIn.objects.filter(pk__in=ids[:tenth]).update(due_at=now - timedelta(minutes=1))
    CheckIn.objects.filter(pk__in=ids[tenth : 2 * tenth]).update(
        status="reminded", due_at=now - timedelta(minutes=1)
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE care_checkin")
    started = time.perf_counter()
    moved = svc.checkins_sweep(now=now)
    first = time.perf_counter() - started
    tasks = CheckInTask.objects.count()
    started = time.perf_counter()
    again = svc.checkins_sweep(now=now)
    second = time.perf_counter() - started
    added = CheckInTask.objects.count() - tasks
    return [
        f"care sweep over {len(ids):,} open check-ins: {first * 1000:.0f} ms (target ≤ 1 s): "
        f"{moved.get('reminded', 0):,} reminded, {moved.get('call', 0):,} to a call "
        f"({tasks:,} tasks opened); "
        f"run again: {second * 1000:.0f} ms, {sum(again.values())} moved, {added} new tasks",
    ]


def slot_scenario():
    """(label, call, target, repeat) for a centre's 4 weeks of free slots."""
    from care.models import Appointment, CounsellingService, Counsellor, WorkingHours
    from care.services.slots import free_slots
    from households.models import Household
    from portal.models import District, User
    from portal.timeutils import local_datetime, local_today
    from spaces.models import Booking, OpeningHours, Room, Space

    district = District.objects.order_by("pk").first()
    service, _created = CounsellingService.objects.get_or_create(
        district=district, name="벤치 심리상담", defaults={"duration_minutes": 50}
    )
    if not Counsellor.objects.filter(services=service).exists():
        # What a run cut short left in spaces (care's own tables were emptied with it).
        Booking.objects.filter(room__space__slug="bench-care-centre").delete()
        Space.objects.filter(slug="bench-care-centre").delete()
        space = Space.objects.create(
            district=district, slug="bench-care-centre", name="1인가구지원센터", address="bench"
        )
        OpeningHours.objects.bulk_create(
            OpeningHours(space=space, weekday=d, opens=clock(9), closes=clock(21)) for d in range(7)
        )
        for n in range(5):
            User.objects.filter(email=f"bench-counsellor-{n}@bench.invalid").delete()
            user = User.objects.create(
                email=f"bench-counsellor-{n}@bench.invalid",
                password="!",
                role="counsellor",
                is_staff=True,
                district=district,
            )
            room = Room.objects.create(
                space=space, name=f"상담실 {n}", capacity=2, slot_minutes=10, min_minutes=30, max_minutes=120
            )
            counsellor = Counsellor.objects.create(user=user, district=district, room=room)
            counsellor.services.add(service)
            WorkingHours.objects.bulk_create(
                WorkingHours(counsellor=counsellor, weekday=d, starts=clock(9), ends=clock(18))
                for d in range(5)
            )
        # A realistic load: about a third of the hours already taken, half of them in the room.
        households = list(Household.objects.order_by("pk").values_list("pk", flat=True)[:400])
        today = local_today()
        rows = []
        for counsellor in Counsellor.objects.filter(services=service).select_related("user"):
            for day in range(1, 29):
                date = today + timedelta(days=day)
                if date.weekday() >= 5:
                    continue
                for hour in (10, 13, 16):
                    start = local_datetime(date, clock(hour))
                    booking = None
                    if hour != 16:
                        booking = Booking.objects.create(
                            room=counsellor.room,
                            district=district,
                            booked_by=counsellor.user,
                            starts_at=start,
                            ends_at=start + timedelta(minutes=50),
                            headcount=1,
                            purpose="Counselling",
                            status="confirmed",
                        )
                    rows.append(
                        Appointment(
                            district=district,
                            service=service,
                            counsellor=counsellor,
                            household_id=households[len(rows) % len(households)],
                            starts_at=start,
                            ends_at=start + timedelta(minutes=50),
                            mode="room" if booking else "phone",
                            booking=booking,
                            status="booked",
                            topic="bench",
                        )
                    )
        Appointment.objects.bulk_create(rows)

    def four_weeks():
        first = local_today()
        free_slots(service=service, first=first, last=first + timedelta(days=27))

    return ("care: a centre's free slots, 4 weeks", four_weeks, "p95 ≤ 50 ms", 200)
