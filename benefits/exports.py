"""The payment batch's bank-transfer file (CSV), streamed row by row with flat memory.

Layout (what a district's finance system imports for a 대량이체): a header line, one line per payment
— bank code, account number, account holder, amount in won, memo (the reference the bank statement
shows) — and a control line: "TOTAL", the number of payments, the total in won, the batch reference.
Account numbers and holders are decrypted only for a user with portal.export_personal_data; anyone
else gets them masked (the file is then for checking, not for the bank).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse

from portal.masking import mask_name

from . import crypto
from .models import Payment, PaymentBatch
from .services import batch_export_record

# Who may take the file with account numbers and holders in clear (the bank's copy).
UNMASKED_PERMISSION = "portal.export_personal_data"
CONTENT_TYPE = "text/csv; charset=utf-8"

HEADER = ["bank_code", "account_number", "account_holder", "amount", "memo"]
CHUNK = 2_000
# Excel (the finance staff's first look at the file) reads UTF-8 only with the byte-order mark.
BOM = "\ufeff"


class _Echo:
    def write(self, value: str) -> str:
        return value


def mask_account(last4: str) -> str:
    return f"****{last4}" if last4 else ""


def batch_rows(batch: PaymentBatch, *, unmasked: bool) -> Iterator[list[Any]]:
    """The lines of the file after the header, the control line last."""
    rows = (
        Payment.objects.filter(batch=batch)
        .order_by("pk")
        .values_list(
            "pk",
            "amount",
            "period",
            "terms__budget_line_code",
            "award__household__bank_account__bank_code",
            "award__household__bank_account__sealed",
            "award__household__bank_account__last4",
        )
    )
    count = total = 0
    for pk, amount, period, code, bank, sealed, last4 in rows.iterator(chunk_size=CHUNK):
        count += 1
        total += amount
        number, holder = crypto.unseal(sealed or "")
        yield [
            bank or "",
            number if unmasked else mask_account(last4 or ""),
            holder if unmasked else mask_name(holder),
            amount,
            f"{code or 'HANA'}-{period}-{pk}"[:40],
        ]
    yield ["TOTAL", count, "", total, str(batch)]


def batch_csv(batch: PaymentBatch, *, unmasked: bool) -> Iterator[str]:
    """The file as text chunks of about CHUNK lines each, for a StreamingHttpResponse or a spool file."""
    writer = csv.writer(_Echo())
    yield BOM + writer.writerow(HEADER)
    lines: list[str] = []
    for row in batch_rows(batch, unmasked=unmasked):
        lines.append(writer.writerow(row))
        if len(lines) >= CHUNK:
            yield "".join(lines)
            lines = []
    if lines:
        yield "".join(lines)


def batch_download(request: HttpRequest, batch: PaymentBatch) -> StreamingHttpResponse:
    """The one download of a batch's file, for the admin and the staff API alike (the caller has
    already checked the batch is the user's district's): masked unless the user holds
    UNMASKED_PERMISSION, audited, and, unmasked, access-logged for every resident in it."""
    unmasked = request.user.has_perm(UNMASKED_PERMISSION)
    batch_export_record(batch=batch, actor=request.user, unmasked=unmasked, request=request)
    response = StreamingHttpResponse(batch_csv(batch, unmasked=unmasked), content_type=CONTENT_TYPE)
    suffix = "" if unmasked else "-masked"
    response["Content-Disposition"] = f'attachment; filename="{batch}{suffix}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response
