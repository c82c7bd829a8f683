"""A payment batch's bank-transfer file over the staff API (the admin's download, same code path) and
"the bank paid this batch": masked unless the user may export personal data, scoped to the district,
audited, and an unmasked file told to every resident in it ("who read my data")."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from benefits.models import Payment, PaymentBatch, PaymentStatus
from benefits.services import (
    award_for,
    batch_create,
    batch_export_record,
    instalments_schedule,
    payment_approve,
    payment_settle,
)
from benefits.services.transfer_file import ACCOUNT_EXPORTED, EXPORTED
from portal.access_log import PERSONAL_DATA_READS, reads_of
from portal.models import AuditEvent
from portal.roles import user_set_role
from tests.benefits.conftest import approved_application, with_account
from tests.factories import GWANAK, JUNGGU, UserFactory, district, login

pytestmark = pytest.mark.django_db

BATCHES = "/api/v1/staff/benefits/batches/"


def _batch(recurring, *, residents: int = 2) -> PaymentBatch:
    """`residents` recipients with an account, their four instalments of the year approved, batched."""
    for number in range(residents):
        award = award_for(approved_application(recurring.program))
        with_account(award, number=f"110-000-00{number}999", holder=f"김하나{number}")
    instalments_schedule(terms=recurring, year=2026)
    for payment in Payment.objects.filter(terms=recurring):
        payment_approve(payment=payment, actor=None)
    return batch_create(district=district(GWANAK), actor=None)


def _body(response) -> list[str]:
    return b"".join(response.streaming_content).decode().lstrip("\ufeff").strip().splitlines()


def _may_unmask(user):
    user.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    return user


def test_staff_download_is_masked_and_audited_once_without_telling_residents(client, recurring, manager_a):
    batch = _batch(recurring)
    login(client, manager_a)
    response = client.get(f"{BATCHES}{batch.pk}/download/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="{batch}-masked.csv"'
    assert "no-store" in response["Cache-Control"]
    lines = _body(response)
    assert lines[0] == "bank_code,account_number,account_holder,amount,memo"
    assert "****0999" in lines[1] and "110000000999" not in "".join(lines)
    assert lines[-1] == f"TOTAL,8,,6000000,{batch}"
    event = AuditEvent.objects.get(action=EXPORTED)
    assert (event.actor, event.data) == (manager_a, {"unmasked": False, "count": 8})
    assert not AuditEvent.objects.filter(action=ACCOUNT_EXPORTED).exists()


def test_an_unmasked_download_is_shown_to_each_resident_once(client, recurring, manager_a):
    batch = _batch(recurring, residents=3)
    login(client, _may_unmask(manager_a))
    response = client.get(f"{BATCHES}{batch.pk}/download/")
    assert response["Content-Disposition"] == f'attachment; filename="{batch}.csv"'
    body = "\n".join(_body(response))
    assert "110000000999" in body and "김하나0" in body and body.endswith(f"TOTAL,12,,9000000,{batch}")
    assert AuditEvent.objects.get(action=EXPORTED).data == {"unmasked": True, "count": 12}

    residents = set(Payment.objects.filter(batch=batch).values_list("award__household__user", flat=True))
    logged = AuditEvent.objects.filter(action=ACCOUNT_EXPORTED)
    # One entry per resident (each has four instalments in the batch), naming them, the batch and the reader.
    assert sorted(logged.values_list("subject_user_id", flat=True)) == sorted(residents)
    for entry in logged:
        assert (entry.actor, entry.district, entry.target_type, entry.target_id) == (
            manager_a,
            batch.district,
            "benefits.paymentbatch",
            str(batch.pk),
        )
        assert entry.data["reference"] == str(batch) and entry.ip_address == "127.0.0.1"
        assert entry.created_at is not None
    assert ACCOUNT_EXPORTED in PERSONAL_DATA_READS

    # The resident's own list says it, over the API, with the office and the batch reference.
    resident = Payment.objects.filter(batch=batch).first().award.household.user
    assert [e.action for e in reads_of(resident)] == [ACCOUNT_EXPORTED]
    login(client, resident)
    seen = client.get("/api/v1/me/data-access/", HTTP_ACCEPT_LANGUAGE="en").json()["results"]
    assert len(seen) == 1 and seen[0]["reference"] == str(batch)
    assert seen[0]["what"] == "Your bank account (in a bank-transfer file)"


def test_the_admin_download_goes_through_the_same_path(client, recurring, manager_a):
    batch = _batch(recurring)
    login(client, _may_unmask(manager_a))
    response = client.get(reverse("admin:benefits_paymentbatch_download", args=[batch.pk]))
    assert _body(response)[-1] == f"TOTAL,8,,6000000,{batch}"
    assert AuditEvent.objects.get(action=EXPORTED).data["unmasked"] is True
    assert AuditEvent.objects.filter(action=ACCOUNT_EXPORTED).count() == 2


def test_another_districts_batch_is_404_and_nothing_is_logged(client, recurring):
    batch = _batch(recurring)
    other = _may_unmask(user_set_role(user=UserFactory(), role="district_manager", district=district(JUNGGU)))
    login(client, other)
    for response in (
        client.get(f"{BATCHES}{batch.pk}/download/", HTTP_ACCEPT="text/csv"),
        client.post(f"{BATCHES}{batch.pk}/paid/"),
    ):
        assert response.status_code == 404
        assert response["Content-Type"].startswith("application/json") and "error" in response.json()
    assert not AuditEvent.objects.filter(
        action__in=(EXPORTED, ACCOUNT_EXPORTED, "benefits.batch.paid")
    ).exists()
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()
    assert client.get(f"{BATCHES}999999/download/").status_code == 404


def test_residents_and_staff_without_the_permission_are_refused(client, recurring, caseworker_a):
    batch = _batch(recurring)
    login(client, caseworker_a)  # may read the batch (the masked file), not mark it paid
    assert client.post(f"{BATCHES}{batch.pk}/paid/").status_code == 403
    assert client.get(f"{BATCHES}{batch.pk}/download/").status_code == 200
    assert AuditEvent.objects.filter(action=EXPORTED).count() == 1
    login(client, Payment.objects.filter(batch=batch).first().award.household.user)
    assert client.get(f"{BATCHES}{batch.pk}/download/").status_code == 403
    client.logout()
    assert client.get(f"{BATCHES}{batch.pk}/download/").status_code in (401, 403)
    assert AuditEvent.objects.filter(action=EXPORTED).count() == 1
    assert not Payment.objects.filter(status=PaymentStatus.PAID).exists()


def test_marking_a_batch_paid_over_the_api(client, recurring, manager_a):
    batch = _batch(recurring)
    returned = Payment.objects.filter(batch=batch).first()
    payment_settle(payment=returned, paid=False, reason="계좌 해지", actor=None)
    login(client, manager_a)
    response = client.post(f"{BATCHES}{batch.pk}/paid/")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "batch": {
            "id": batch.pk,
            "reference": str(batch),
            "created_at": response.json()["batch"]["created_at"],
            "payment_count": 8,
            "total": 6_000_000,
        },
        "paid": 7,
    }
    statuses = dict(Payment.objects.filter(batch=batch).values_list("pk", "status"))
    assert statuses.pop(returned.pk) == PaymentStatus.RETURNED
    assert set(statuses.values()) == {PaymentStatus.PAID}
    assert AuditEvent.objects.get(action="benefits.batch.paid").actor == manager_a
    assert client.post(f"{BATCHES}{batch.pk}/paid/").json()["paid"] == 0  # repeating marks nothing more


def test_a_download_without_a_user_or_request_is_recorded_too(recurring):
    """A background caller (the bench, a job): no actor, no IP — still one entry per resident."""
    batch = _batch(recurring, residents=2)
    assert batch_export_record(batch=batch, actor=None, unmasked=True) == 2
    assert batch_export_record(batch=batch, actor=None, unmasked=False) == 0
    entries = AuditEvent.objects.filter(action=ACCOUNT_EXPORTED)
    assert entries.count() == 2 and set(entries.values_list("actor", "ip_address")) == {(None, None)}
    assert AuditEvent.objects.filter(action=EXPORTED).count() == 2
