"""The benefits API for residents and district staff: claims, approvals, refusals in the house shape."""

from __future__ import annotations

import pytest

from benefits.models import ClaimStatus
from benefits.services import award_for
from tests.benefits.conftest import approved_application, claim_of, receipt
from tests.factories import HouseholdFactory, login

pytestmark = pytest.mark.django_db


def test_resident_claims_through_the_api_and_a_duplicate_is_409(client, reimbursement):
    award = award_for(approved_application(reimbursement.program))
    login(client, award.household.user)
    data = {
        "award": award.pk,
        "issuer": "HUG",
        "receipt_number": "A-1",
        "receipt_date": "2026-02-01",
        "receipt_amount": 200000,
    }
    created = client.post("/api/v1/benefits/claims/", {**data, "receipt": receipt()})
    assert created.status_code == 201, created.json()
    again = client.post("/api/v1/benefits/claims/", {**data, "receipt": receipt()})
    assert again.status_code == 409 and again.json()["error"]["code"] == "duplicate"
    mine = client.get("/api/v1/benefits/awards/").json()
    assert mine["results"][0]["claims"][0]["receipt_amount"] == 200000


def test_someone_elses_award_is_404(client, reimbursement):
    award = award_for(approved_application(reimbursement.program))
    login(client, HouseholdFactory().user)
    response = client.post(
        "/api/v1/benefits/claims/",
        {
            "award": award.pk,
            "issuer": "HUG",
            "receipt_number": "A-1",
            "receipt_date": "2026-02-01",
            "receipt_amount": 1,
            "receipt": receipt(),
        },
    )
    assert response.status_code == 404


def test_staff_approve_within_the_cap_and_see_execution(
    client, reimbursement, caseworker_a, manager_a, caseworker_b
):
    claim = claim_of(award_for(approved_application(reimbursement.program)), amount=400_000)
    login(client, caseworker_b)
    assert (
        client.post(
            f"/api/v1/staff/benefits/claims/{claim.pk}/approve/",
            {"amount": 1},
            content_type="application/json",
        ).status_code
        == 404
    )
    login(client, caseworker_a)
    listed = client.get("/api/v1/staff/benefits/claims/").json()
    assert listed["results"][0]["claimant"] == "김*나"
    over = client.post(
        f"/api/v1/staff/benefits/claims/{claim.pk}/approve/",
        {"amount": 300_001},
        content_type="application/json",
    )
    assert over.status_code == 409 and over.json()["error"]["code"] == "over_cap"
    ok = client.post(
        f"/api/v1/staff/benefits/claims/{claim.pk}/approve/",
        {"amount": 300_000},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == ClaimStatus.APPROVED
    login(client, manager_a)
    rows = client.get("/api/v1/staff/benefits/execution/").json()
    assert rows == [
        {
            "program": reimbursement.program_id,
            "program_title": reimbursement.program.title,
            "kind": "reimbursement",
            "budget_line_code": "BG-01",
            "budget": 3_000_000,
            "committed": 300_000,
            "paid": 0,
            "rate": 0.0,
        }
    ]


def test_staff_approve_batch_and_settle_payments(client, recurring, manager_a, caseworker_b):
    from benefits.models import Payment
    from benefits.services import instalments_schedule
    from tests.benefits.conftest import with_account

    award = with_account(award_for(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    first = Payment.objects.filter(award=award).first()
    login(client, caseworker_b)
    assert client.post(f"/api/v1/staff/benefits/payments/{first.pk}/approve/").status_code == 404
    login(client, manager_a)
    listed = client.get("/api/v1/staff/benefits/payments/").json()["results"]
    assert listed[0]["account"] == "088 ****6789" and listed[0]["recipient"] == "김*나"
    assert client.post(f"/api/v1/staff/benefits/payments/{first.pk}/approve/").json()["status"] == "approved"
    again = client.post(f"/api/v1/staff/benefits/payments/{first.pk}/approve/")
    assert again.status_code == 409
    batch = client.post("/api/v1/staff/benefits/batches/")
    assert (
        batch.status_code == 201 and batch.json()["payment_count"] == 1 and batch.json()["total"] == 750_000
    )
    assert client.post("/api/v1/staff/benefits/batches/").status_code == 409
    no_reason = client.post(
        f"/api/v1/staff/benefits/payments/{first.pk}/settle/",
        {"outcome": "returned"},
        content_type="application/json",
    )
    assert no_reason.status_code == 400
    paid = client.post(
        f"/api/v1/staff/benefits/payments/{first.pk}/settle/",
        {"outcome": "paid"},
        content_type="application/json",
    )
    assert paid.json()["status"] == "paid"
    assert client.get("/api/v1/staff/benefits/batches/").json()["results"][0]["total"] == 750_000
