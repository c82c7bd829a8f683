"""Recording a download of a payment batch's bank-transfer file (benefits.exports makes the file).

Every download writes one audit event for the batch (who, masked or not, how many payments). An
unmasked file carries each recipient's account number and holder's name in clear, so it is also told to
each of them: one access-log entry per resident of the batch (portal.access_log, "who read my data"),
naming them as the data subject. Those entries are written by one INSERT … SELECT in the database — no
row travels through Python, so a batch of 100,000 recipients costs one statement and flat memory.
"""

from __future__ import annotations

import json

from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.audit import audit_log, client_ip
from portal.models import AuditEvent, User

from ..models import PaymentBatch

EXPORTED = "benefits.batch.exported"
# The resident's entry (listed in benefits.access: what they are told was read).
ACCOUNT_EXPORTED = "benefits.bank_account.exported"

# One entry per resident (a resident with several instalments in the batch appears once: the DISTINCT
# is in the subquery, so PostgreSQL types the constants — a NULL actor too — by their target columns).
# The casts are PostgreSQL's (jsonb, inet); SQLite stores both as text.
_ACCESS_LOG_SQL = """
INSERT INTO {audit} (created_at, actor_id, action, target_type, target_id, subject_user_id, district_id,
                     ip_address, data)
SELECT %s, %s, %s, %s, %s, r.user_id, %s, {ip}, {data}
FROM (
    SELECT DISTINCT h.user_id
    FROM benefits_payment p
    JOIN benefits_award a ON a.id = p.award_id
    JOIN households_household h ON h.id = a.household_id
    WHERE p.batch_id = %s AND h.user_id IS NOT NULL
) r
"""


def _access_log_sql() -> str:
    postgres = connection.vendor == "postgresql"
    return _ACCESS_LOG_SQL.format(
        audit=connection.ops.quote_name(AuditEvent._meta.db_table),
        ip="CAST(%s AS inet)" if postgres else "%s",
        data="CAST(%s AS jsonb)" if postgres else "%s",
    )


@transaction.atomic
def batch_export_record(
    *, batch: PaymentBatch, actor: User | None, unmasked: bool, request: HttpRequest | None = None
) -> int:
    """Write the audit of one download of `batch`'s file (call before the file is streamed).

    Returns how many residents were told their bank account was exported (0 for a masked file).
    """
    event = audit_log(
        actor=actor,
        action=EXPORTED,
        target=batch,
        district=batch.district,
        request=request,
        data={"unmasked": unmasked, "count": batch.payment_count},
    )
    if not unmasked:
        return 0
    data = json.dumps({"reference": str(batch), "batch": batch.pk, "export_event": event.pk})
    with connection.cursor() as cursor:
        cursor.execute(
            _access_log_sql(),
            [
                timezone.now(),
                event.actor_id,
                ACCOUNT_EXPORTED,
                PaymentBatch._meta.label_lower,
                str(batch.pk),
                batch.district_id,
                client_ip(request) or None,
                data,
                batch.pk,
            ],
        )
        return cursor.rowcount
