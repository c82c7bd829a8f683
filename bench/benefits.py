"""Cash benefits at district scale (issue 18): `python -m bench benefits`.

25,000 approved recipients of a quarterly allowance (3,000,000 won a year) in one district: one year's
instalments is 100,000 payments. Measured in one run, each step on its own and together:
- scheduling the year's instalments (chunked INSERTs, idempotent: run twice, the second adds nothing);
- approving them against the budget (one window-sum UPDATE under the budget lock);
- building the payment batch (one UPDATE marks each payment sent exactly once);
- streaming the bank-transfer CSV (decrypting every account number) to a temporary file;
with the Python heap's peak (tracemalloc) over the whole sequence, and the file's control line checked
against the database. The recipients are generated once (their own users, households, applications
and bank accounts, under BENCH_DOMAIN) and kept for the next run; the ledger rows are cleared each run.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from datetime import date

from django.db import transaction
from django.utils import timezone

RECIPIENTS = 25_000
PROGRAM_SLUG = "bench-benefits-allowance"
BENCH_DOMAIN = "benefits.bench.invalid"
CHUNK = 5_000
YEAR = 2026


def _program():
    from benefits.models import BenefitKind, BenefitTerms
    from portal.models import District
    from programs.models import Program

    district = District.objects.select_related("city").order_by("code").first()
    program, _created = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={
            "title": "벤치 청년 가족돌봄 수당",
            "summary": "bench",
            "category": "health_care",
            "benefit_type": "cash",
            "target_text": "bench",
            "benefit_text": "연 300만 원, 분기별 지급",
            "how_to_apply": "bench",
            "department": "bench",
            "contact": "bench",
            "status": "published",
            "city": district.city,
            "district": district,
            "budget": RECIPIENTS * 3_000_000,
        },
    )
    terms, _created = BenefitTerms.objects.get_or_create(
        program=program,
        defaults={"kind": BenefitKind.RECURRING, "amount": 3_000_000, "instalments_per_year": 4},
    )
    return terms


def ensure_recipients(terms) -> int:
    """RECIPIENTS users, households, approved applications and bank accounts (once; kept)."""
    from benefits import crypto
    from benefits.models import BankAccount
    from households.models import Household
    from portal.models import User
    from programs.models import Application, ApplicationStatus

    have = Application.objects.filter(program=terms.program, status=ApplicationStatus.APPROVED).count()
    if have >= RECIPIENTS:
        return have
    district = terms.program.district
    now = timezone.now()
    for offset in range(have, RECIPIENTS, CHUNK):
        upper = min(offset + CHUNK, RECIPIENTS)
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(email=f"r{n}@{BENCH_DOMAIN}", password="!", role=User.Role.RESIDENT)
                    for n in range(offset, upper)
                ],
                ignore_conflicts=True,
            )
            users = list(
                User.objects.filter(email__in=[f"r{n}@{BENCH_DOMAIN}" for n in range(offset, upper)])
            )
            Household.objects.bulk_create(
                [
                    Household(
                        user=user,
                        name="김하나",
                        birth_date=date(1998, 1, 1),
                        gender="female",
                        district=district,
                        housing_tenure="jeonse",
                        household_size=1,
                        monthly_income=1_500_000,
                        employment="employed",
                    )
                    for user in users
                ],
                ignore_conflicts=True,
            )
            households = list(Household.objects.filter(user__in=users).values_list("pk", flat=True))
            Application.objects.bulk_create(
                [
                    Application(
                        program=terms.program,
                        household_id=pk,
                        district=district,
                        status=ApplicationStatus.APPROVED,
                        submitted_at=now,
                        decided_at=now.replace(year=YEAR - 1),
                    )
                    for pk in households
                ],
                ignore_conflicts=True,
            )
            BankAccount.objects.bulk_create(
                [
                    BankAccount(
                        household_id=pk,
                        bank_code="088",
                        # Each account its own token, as real ones are (no decryption is shared).
                        sealed=crypto.seal(f"110{pk:011d}", "김하나"),
                        last4=f"{pk:011d}"[-4:],
                    )
                    for pk in households
                ],
                ignore_conflicts=True,
            )
    return Application.objects.filter(program=terms.program, status=ApplicationStatus.APPROVED).count()


def run() -> list[str]:
    from benefits.exports import batch_csv
    from benefits.models import Payment, PaymentBatch
    from benefits.services import (
        batch_create,
        batch_export_record,
        instalments_schedule,
        payments_approve_due,
    )

    terms = _program()
    recipients = ensure_recipients(terms)
    # A fresh ledger each run: the measured steps start from nothing scheduled.
    batches = PaymentBatch.objects.filter(payments__terms=terms).distinct().values_list("pk", flat=True)
    batch_ids = list(batches)
    Payment.objects.filter(terms=terms).delete()
    PaymentBatch.objects.filter(pk__in=batch_ids).delete()

    tracemalloc.start()
    timings = {}
    started = time.perf_counter()
    scheduled = instalments_schedule(terms=terms, year=YEAR)
    timings["schedule"] = time.perf_counter() - started
    mark = time.perf_counter()
    approved, total = payments_approve_due(terms=terms, until=date(YEAR, 12, 31), actor=None)
    timings["approve"] = time.perf_counter() - mark
    mark = time.perf_counter()
    batch = batch_create(district=terms.program.district, actor=None)
    timings["batch"] = time.perf_counter() - mark
    mark = time.perf_counter()
    # As a download of the unmasked file does: the batch's audit event and one access-log entry per
    # resident (one INSERT … SELECT), then the file.
    logged = batch_export_record(batch=batch, actor=None, unmasked=True)
    timings["access_log"] = time.perf_counter() - mark
    mark = time.perf_counter()
    size = 0
    last = ""
    with tempfile.TemporaryFile() as out:
        for chunk in batch_csv(batch, unmasked=True):
            data = chunk.encode()
            size += len(data)
            out.write(data)
            last = chunk
    timings["export"] = time.perf_counter() - mark
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    again_started = time.perf_counter()
    again = instalments_schedule(terms=terms, year=YEAR)
    again_seconds = time.perf_counter() - again_started
    control = last.strip().splitlines()[-1]
    expected = f"TOTAL,{batch.payment_count},,{batch.total},{batch}"
    return [
        f"benefits: {recipients:,} recipients; {scheduled:,} instalments scheduled "
        f"{timings['schedule']:.1f} s, {approved:,} approved ({total:,} won) {timings['approve']:.1f} s, "
        f"batch of {batch.payment_count:,} sent {timings['batch']:.1f} s, {logged:,} residents "
        f"access-logged {timings['access_log']:.1f} s, CSV {size / 2**20:.1f} MB "
        f"streamed {timings['export']:.1f} s; total {elapsed:.1f} s (target ≤ 60 s); Python heap peak "
        f"{peak / 2**20:.1f} MB (chunks of {CHUNK:,}: flat); control line "
        f"{'matches' if control == expected else 'MISMATCH'}; "
        f"scheduled again: {again} new in {again_seconds:.1f} s",
    ]
