"""A resident who claimed, gave a bank account and answered a re-verification deletes the account:
nothing of them (name, email, phone, birth date) is left in any table or stored file, the bank account
is gone, and what was under way is ended."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from benefits.models import AwardStatus, BankAccount, Claim, Payment, PaymentStatus, Reverification
from benefits.services import (
    award_for,
    bank_account_save,
    claim_submit,
    instalments_schedule,
    reverification_answer,
    reverifications_request_due,
)
from tests.benefits.conftest import approved_application
from tests.factories import HouseholdFactory, UserFactory
from tests.households.test_erasure_everywhere import (
    BIRTH,
    EMAIL,
    NAME,
    PASSWORD,
    PHONE,
    found_in_storage,
    found_in_tables,
)

pytestmark = pytest.mark.django_db


def test_deleting_the_account_leaves_nothing_of_the_person(
    client, settings, tmp_path, reimbursement, recurring, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(email=EMAIL)
    household = HouseholdFactory(user=user, name=NAME, phone=PHONE, birth_date=BIRTH)
    with django_capture_on_commit_callbacks(execute=True):
        claim_award = award_for(approved_application(reimbursement.program, household))
        allowance = award_for(approved_application(recurring.program, household))
        bank_account_save(user=user, bank_code="088", number="110-123-456789", holder=NAME)
        upload = SimpleUploadedFile(f"{NAME}.pdf", f"%PDF-1.4 {NAME} {PHONE}".encode(), "application/pdf")
        claim_submit(
            user=user,
            award=claim_award,
            issuer="HUG",
            receipt_number="R-1",
            receipt_date=date(2026, 2, 1),
            receipt_amount=200_000,
            upload=upload,
        )
        instalments_schedule(terms=recurring, year=2026)
        reverifications_request_due(today=date(2026, 3, 10))
        reverification_answer(
            user=user,
            reverification=Reverification.objects.get(),
            changed=True,
            changes=f"{NAME} 이사 {PHONE}",
        )
    assert found_in_tables() and found_in_storage(tmp_path)
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("households:account_delete"), {"password": PASSWORD})

    assert response.status_code == 302
    assert not sorted(set(found_in_tables()))
    assert found_in_storage(tmp_path) == []
    assert not BankAccount.objects.exists()
    assert Claim.objects.get().status == "rejected"
    allowance.refresh_from_db()
    assert allowance.status == AwardStatus.STOPPED
    assert set(Payment.objects.values_list("status", flat=True)) == {PaymentStatus.CANCELLED}


def test_the_residents_data_download_holds_their_benefits_with_the_account_masked(award):
    from households.services import account_data_export
    from tests.benefits.conftest import claim_of, with_account

    claim_of(with_account(award, number="110-123-456789"), number="R-77", amount=180_000)
    data = account_data_export(user=award.household.user)
    assert data["bank_account"] == "088 ****6789"
    [benefit] = data["cash_benefits"]
    assert benefit["program"] == "전세보증금 반환보증료 지원"
    assert [(c["receipt_number"], c["receipt_amount"]) for c in benefit["claims"]] == [("R-77", 180_000)]
    assert "456789" not in str(data)
