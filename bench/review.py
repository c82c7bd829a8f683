"""Issue 3 benchmarks: the review queue (admin and staff API) at city scale, submissions, outbox."""

from __future__ import annotations

import contextlib
import io
import itertools
import time

from django.test import Client
from django.utils import timezone

from households.models import Household
from portal.models import District, Notification, User
from portal.notifications import notification_deliver
from portal.roles import user_set_role
from programs.models import Program, ProgramStatus

from .applications import SUBMIT_SLUG
from .state import delete_where

CASEWORKER_EMAIL = "bench.caseworker@bench.hana.invalid"


def caseworker() -> User:
    user, _created = User.objects.get_or_create(email=CASEWORKER_EMAIL, defaults={"password": "!"})
    return user_set_role(user=user, role="caseworker", district=District.objects.get(code="11620"))


def _checked(client: Client, url: str, method: str = "get", **kwargs):
    response = getattr(client, method)(url, **kwargs)
    if response.status_code >= 400:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return response


def review_scenarios():
    staff = Client()
    staff.force_login(caseworker())
    admin_urls = itertools.cycle(
        [
            "/admin/programs/application/",
            "/admin/programs/application/?status__exact=under_review",
            "/admin/programs/application/?p=3",
        ]
    )
    api_urls = itertools.cycle(
        ["/api/v1/staff/applications/", "/api/v1/staff/applications/?status=under_review"]
    )
    return [
        (
            "admin review queue (caseworker, district)",
            lambda: _checked(staff, next(admin_urls)),
            "p95 ≤ 150 ms",
        ),
        ("staff applications API", lambda: _checked(staff, next(api_urls)), "p95 ≤ 150 ms"),
    ]


def submit_program() -> Program:
    """The program the submit scenario applies to, created with the data set so that every run's catalog
    and eligibility rows see the same programs (the first run included)."""
    program, _created = Program.objects.update_or_create(
        slug=SUBMIT_SLUG,
        defaults={
            "title": "벤치마크 신청 사업",
            "summary": "신청 처리 성능 측정용",
            "category": "social",
            "benefit_type": "service",
            "target_text": "누구나",
            "benefit_text": "없음",
            "how_to_apply": "온라인",
            "department": "벤치",
            "contact": "-",
            "status": ProgramStatus.PUBLISHED,
            "selection_method": "review",
            "city_id": District.objects.get(code="11620").city_id,
            "district": None,
            "application_start": None,
            "application_end": None,
        },
    )
    return program


def submission_scenario(count: int):
    """Each call submits one application through the API as a different resident (tasks excluded:
    the bench runs Celery against an in-memory broker, so queueing is measured, not evaluation)."""
    program = submit_program()
    # The last run's submissions, set-wise: their notes and documents, history rows and the rows themselves.
    of_program = "application_id IN (SELECT id FROM programs_application WHERE program_id = %s)"
    delete_where("programs_applicationnote", of_program, [program.pk])
    delete_where("programs_applicationdocument", of_program, [program.pk])
    delete_where("programs_historicalapplication", "program_id = %s", [program.pk])
    delete_where("programs_application", "program_id = %s", [program.pk])
    households = list(Household.objects.select_related("user").order_by("-id")[: count + 20])
    from households.models import Consent

    Consent.objects.bulk_create(
        [
            Consent(user=h.user, purpose="profile", version="bench", given_at=timezone.now())
            for h in households
        ],
        ignore_conflicts=True,
    )
    clients = []
    for household in households:
        client = Client()
        client.force_login(household.user)
        clients.append(client)
    pool = iter(clients)

    def submit():
        _checked(
            next(pool),
            "/api/v1/applications/",
            "post",
            data={"program": program.pk},
            content_type="application/json",
        )

    return ("submit an application (API, tasks queued)", submit, "p95 ≤ 100 ms")


def outbox_throughput(messages: int = 2000) -> tuple[int, float]:
    """Deliver `messages` email notifications to the console backend in one process, as one worker
    does; console output is discarded. Returns (messages, seconds)."""
    user = caseworker()
    delete_where("portal_notification", "event_key LIKE %s", ["bench:%"])
    Notification.objects.bulk_create(
        [
            Notification(
                user=user,
                channel="email",
                template="application.approved",
                context={"program": "벤치 사업", "reference": f"HB-{n}", "link": "-"},
                event_key=f"bench:{n}",
                address="bench@example.kr",
            )
            for n in range(messages)
        ]
    )
    ids = list(Notification.objects.filter(event_key__startswith="bench:").values_list("pk", flat=True))
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        for pk in ids:
            notification_deliver(notification_id=pk)
    return len(ids), time.perf_counter() - started
