"""The inquiry rows of `make bench` (python -m bench inquiries): 1,000,000 inquiries over Seoul's 25
districts, the admin queue (target p95 ≤ 150 ms) and the breach sweep (target ≤ 1 s).

The data: three years of inquiries, 2% still open (received over the last ten days, so about half are
past their alert or due instants — stamped, as the sweep would have left them). On PostgreSQL the rows are
written by one INSERT … SELECT over generate_series (a minute, not an hour of ORM saves); on SQLite by
bulk_create. Guests only (no households needed): the queue's LEFT JOIN to the household costs the same.
The stored due_at of generated rows is received + 4 calendar days, not the working-hours clock: the
clock runs when an inquiry arrives, and the queue and the sweep only compare stored instants.
"""

from __future__ import annotations

import itertools
import random
import time
from datetime import timedelta

from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from inquiries.figures import monthly_figures
from inquiries.models import Inquiry, InquiryStatus, Team
from inquiries.services import inquiries_sweep
from portal.models import District, User
from portal.roles import user_set_role

CASEWORKER_EMAIL = "bench.inquiries@hana.bench"
# Bump when the generator changes what it writes: the bench regenerates the inquiries.
GENERATION = 3
OPEN_EVERY = 50  # 1 in 50 still open: 20,000 of 1,000,000
SWEEP_DUE = 1_000  # rows made due again before each measured "busy" sweep pass
BATCH = 10_000


def caseworker() -> User:
    user, _created = User.objects.get_or_create(email=CASEWORKER_EMAIL, defaults={"password": "!"})
    return user_set_role(user=user, role="caseworker", district=District.objects.get(code="11620"))


def _teams(lead: User) -> None:
    for district in District.objects.filter(city__code="11"):
        team, _created = Team.objects.get_or_create(district=district, name="벤치 민원팀")
        if district.code == "11620" and team.lead_id != lead.pk:
            team.lead = lead
            team.save(update_fields=["lead"])


POSTGRES_INSERT = """
WITH d AS (SELECT array_agg(id ORDER BY code) AS ids FROM portal_district WHERE code LIKE '11%%'),
rows AS (
  SELECT g,
         -- Open rows spread over every district too (g is a multiple of OPEN_EVERY for them).
         d.ids[1 + (CASE WHEN g %% {open_every} = 0 THEN g / {open_every} ELSE g END)
                   %% array_length(d.ids, 1)] AS district_id,
         CASE WHEN g %% {open_every} = 0
              THEN now() - make_interval(mins => ((g / {open_every}) * 7919) %% (10 * 24 * 60))
              ELSE now() - make_interval(mins => 15 * 24 * 60 + g %% (3 * 365 * 24 * 60)) END AS received
  FROM generate_series(1, %(total)s) g, d
)
INSERT INTO inquiries_inquiry (
  reference, district_id, team_id, topic, channel, user_id, guest_address, title, subject_kind,
  subject_label, status, received_at, alert_at, due_at, alerted_at, breached_at, first_answered_at,
  answer_seconds, answered_in_time, last_answered_at, rating, rating_comment, rated_at, created_at
)
SELECT 'IQB-' || g, district_id, (SELECT id FROM inquiries_team t WHERE t.district_id = rows.district_id),
       'general', (ARRAY['web','sms','email'])[1 + g %% 3], NULL,
       '010' || lpad((g %% 100000000)::text, 8, '0'),
       '벤치 문의 ' || g, '', '',
       CASE WHEN g %% {open_every} = 0 THEN 'open' WHEN g %% 7 = 0 THEN 'closed' ELSE 'answered' END,
       received, received + interval '3 days', received + interval '4 days',
       CASE WHEN g %% {open_every} <> 0 OR received + interval '3 days' < now()
            THEN received + interval '3 days' END,
       CASE WHEN g %% {open_every} = 0 AND received + interval '4 days' < now()
            THEN received + interval '4 days' END,
       CASE WHEN g %% {open_every} <> 0 THEN received + make_interval(mins => 30 + g %% (5 * 24 * 60)) END,
       CASE WHEN g %% {open_every} <> 0 THEN 1800 + (g %% (60 * 3600)) END,
       CASE WHEN g %% {open_every} <> 0 THEN (g %% (60 * 3600)) < 46 * 3600 END,
       CASE WHEN g %% {open_every} <> 0 THEN received + make_interval(mins => 30 + g %% (5 * 24 * 60)) END,
       CASE WHEN g %% {open_every} <> 0 AND g %% 3 = 0 THEN 1 + g %% 5 END, '',
       CASE WHEN g %% {open_every} <> 0 AND g %% 3 = 0 THEN received + interval '5 days' END,
       received
FROM rows
"""


def generate_inquiries(total: int) -> None:
    """`total` inquiries into an empty inquiry table (bench.__main__ clears it first)."""
    _teams(caseworker())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(POSTGRES_INSERT.format(open_every=OPEN_EVERY), {"total": total})
            cursor.execute("ANALYZE inquiries_inquiry")
        return
    _generate_with_the_orm(total)


def _generate_with_the_orm(total: int) -> None:
    rng = random.Random(17)
    districts = list(District.objects.filter(city__code="11").order_by("code"))
    teams = {team.district_id: team.pk for team in Team.objects.all()}
    now = timezone.now()
    rows = []
    for n in range(1, total + 1):
        is_open = n % OPEN_EVERY == 0
        district = districts[(n // OPEN_EVERY if is_open else n) % len(districts)]
        received = now - (
            timedelta(minutes=((n // OPEN_EVERY) * 7919) % (10 * 24 * 60))
            if is_open
            else timedelta(days=15, minutes=rng.randint(0, 3 * 365 * 24 * 60))
        )
        alert, due = received + timedelta(days=3), received + timedelta(days=4)
        answered = None if is_open else received + timedelta(minutes=30 + n % (5 * 24 * 60))
        rows.append(
            Inquiry(
                reference=f"IQB-{n}",
                district=district,
                team_id=teams.get(district.pk),
                channel=("web", "sms", "email")[n % 3],
                guest_address=f"010{n % 100_000_000:08d}",
                title=f"벤치 문의 {n}",
                status=InquiryStatus.OPEN if is_open else InquiryStatus.ANSWERED,
                received_at=received,
                alert_at=alert,
                due_at=due,
                alerted_at=alert if (not is_open or alert < now) else None,
                breached_at=due if (is_open and due < now) else None,
                first_answered_at=answered,
                last_answered_at=answered,
                answer_seconds=None if is_open else 1800 + n % (60 * 3600),
                answered_in_time=None if is_open else (n % (60 * 3600)) < 46 * 3600,
                rating=(1 + n % 5) if not is_open and n % 3 == 0 else None,
            )
        )
        if len(rows) >= BATCH:
            Inquiry.objects.bulk_create(rows)
            rows = []
    Inquiry.objects.bulk_create(rows)


def _checked_get(client: Client, urls: list[str]):
    cycle = itertools.cycle(urls)

    def call():
        url = next(cycle)
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")

    return call


def verified_staff_client(user: User) -> Client:
    """A staff session that passed the 2-step login (bench runs with DEBUG off, so STAFF_OTP_REQUIRED is
    on): without it every admin page answers 302 to the OTP login, and that redirect is what would be
    timed."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def queue_scenarios(repeat: int):
    """(label, call, target, repeat) rows: the admin queue, the staff API queue, the monthly figures."""
    staff = verified_staff_client(caseworker())
    today = timezone.localdate()
    start = (today.replace(day=1) - timedelta(days=330)).replace(day=1)
    return [
        (
            "inquiry admin queue (3 views)",
            _checked_get(
                staff,
                [
                    "/admin/inquiries/inquiry/",
                    "/admin/inquiries/inquiry/?status=all&p=3",
                    "/admin/inquiries/inquiry/?due=breached",
                ],
            ),
            "p95 ≤ 150 ms",
            repeat,
        ),
        (
            "inquiry queue API /api/v1/staff/inquiries/",
            _checked_get(staff, ["/api/v1/staff/inquiries/"]),
            "p95 ≤ 150 ms",
            repeat,
        ),
        (
            "inquiry figures, 25 districts × 12 months",
            lambda: monthly_figures(start=start, end=today),
            "— (public page caches it)",
            max(5, repeat // 20),
        ),
    ]


def sweep_rows(repeat: int) -> list[dict]:
    """The sweep, timed alone: an idle pass (nothing newly due: the usual 5-minute run) and a busy pass
    that stamps SWEEP_DUE rows made due again just before it (outside the timing)."""
    open_ids = list(
        Inquiry.objects.filter(status=InquiryStatus.OPEN, breached_at__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_DUE]
    )
    rows = []
    passes = (("inquiry sweep, idle pass", False), (f"inquiry sweep, {len(open_ids):,} newly due", True))
    for label, reset in passes:
        timings, queries = [], []
        for _ in range(repeat):
            if reset:
                with transaction.atomic():
                    Inquiry.objects.filter(pk__in=open_ids).update(alerted_at=None, breached_at=None)
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                counts = inquiries_sweep()
                timings.append((time.perf_counter() - started) * 1000)
            queries.append(len(captured))
            if reset and counts["breached"] != len(open_ids):
                raise RuntimeError(f"the busy sweep stamped {counts}, expected {len(open_ids)} breaches")
        timings.sort()
        rows.append(
            {
                "label": label,
                "p50": timings[len(timings) // 2],
                "p95": timings[max(0, int(round(0.95 * len(timings))) - 1)],
                "queries": max(queries),
                "target": "≤ 1,000 ms",
            }
        )
    return rows
