"""The sweep (beat, every 5 minutes): alerts team leads at 36 working hours, marks breaches at 48.

Set-based and idempotent: each pass takes the open rows whose stored alert_at / due_at has passed and whose
alerted_at / breached_at is still empty (two partial indexes make these small range scans however many
inquiries there are), stamps them in one UPDATE and sends each team lead one message listing theirs, all in
one transaction; a second pass finds nothing. Rows another pass holds are skipped (SKIP LOCKED), not waited
for.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.audit import audit_log
from portal.notifications import notify

from ..models import Inquiry, InquiryStatus, Team

# More than this many in one pass (after an outage): the rest on the next pass, a few minutes later.
BATCH = 5_000
REFERENCES_SHOWN = 10


def _stamp(*, stamp_field: str, due_field: str, now: datetime) -> dict[int | None, list[str]]:
    candidates = (
        Inquiry.objects.filter(
            status=InquiryStatus.OPEN, **{f"{stamp_field}__isnull": True, f"{due_field}__lte": now}
        )
        .order_by(due_field)
        .values_list("pk", flat=True)[:BATCH]
    )
    rows = list(
        Inquiry.objects.select_for_update(skip_locked=True)
        .filter(pk__in=list(candidates), **{f"{stamp_field}__isnull": True})
        .values_list("pk", "team_id", "reference")
    )
    if not rows:
        return {}
    Inquiry.objects.filter(pk__in=[pk for pk, _team, _ref in rows]).update(**{stamp_field: now})
    by_team: dict[int | None, list[str]] = defaultdict(list)
    for _pk, team_id, reference in rows:
        by_team[team_id].append(reference or "")
    return by_team


def _tell_leads(by_team: dict[int | None, list[str]], *, template: str, now: datetime) -> None:
    teams = Team.objects.filter(pk__in=[t for t in by_team if t]).select_related("lead", "district")
    for team in teams:
        if team.lead is None or not team.lead.is_active:
            continue
        references = by_team[team.pk]
        shown = ", ".join(references[:REFERENCES_SHOWN]) + (
            " …" if len(references) > REFERENCES_SHOWN else ""
        )
        notify(
            user=team.lead,
            template=template,
            # Once per team per pass: the stamps make a second pass find nothing to tell.
            event_key=f"inquiry_team:{team.pk}:{template}:{now.isoformat()}",
            context={
                "count": len(references),
                "team": team.name,
                "references": shown,
                "link": f"{settings.SITE_URL}/admin/inquiries/inquiry/",
            },
            sms=False,
        )


@transaction.atomic
def inquiries_sweep(*, now: datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    alerted = _stamp(stamp_field="alerted_at", due_field="alert_at", now=now)
    breached = _stamp(stamp_field="breached_at", due_field="due_at", now=now)
    _tell_leads(alerted, template="inquiry.lead_alert", now=now)
    _tell_leads(breached, template="inquiry.breached", now=now)
    counts = {"alerted": sum(map(len, alerted.values())), "breached": sum(map(len, breached.values()))}
    if counts["breached"]:
        audit_log(actor=None, action="inquiries.sweep.breached", data=counts)
    return counts
