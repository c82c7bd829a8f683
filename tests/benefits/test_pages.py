"""The resident's pages and the staff admin, through the real web UI and roles."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils.translation import gettext

from benefits.models import BankAccount, Claim, ClaimStatus, Payment, PaymentStatus, Reverification
from benefits.services import instalments_schedule, payment_approve, reverifications_request_due
from portal.models import AuditEvent
from tests.benefits.conftest import approved_application, claim_of, receipt, with_account
from tests.factories import JUNGGU, HouseholdFactory, district, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def claimant(reimbursement, client):
    application = approved_application(reimbursement.program)
    login(client, application.household.user)
    return application


def test_home_lists_benefits_and_masks_the_account(client, claimant, django_assert_max_num_queries):
    with_account(claim_of_award(claimant))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("benefits:home"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "****6789" in body and "123456789" not in body
    assert claimant.program.title in body


def claim_of_award(application):
    from benefits.services import award_for

    return award_for(application)


def test_claim_through_the_form_and_a_duplicate_gets_a_message(client, claimant, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message is checked by its English msgid
    url = reverse("benefits:claim", args=[claimant.pk])
    data = {
        "issuer": "HUG",
        "receipt_number": "A-1",
        "receipt_date": "2026-02-01",
        "receipt_amount": "200000",
    }
    assert client.post(url, {**data, "receipt": receipt()}).status_code == 302
    again = client.post(url, {**data, "receipt": receipt()})
    assert again.status_code == 200
    assert str(gettext("This receipt has already been claimed.")) in again.content.decode()
    assert 'value="A-1"' in again.content.decode()  # the form keeps what was typed
    assert Claim.objects.count() == 1


def test_bad_claim_input_is_a_form_error(client, claimant):
    url = reverse("benefits:claim", args=[claimant.pk])
    page = client.post(
        url,
        {
            "issuer": "HUG",
            "receipt_number": "900101-1234567",
            "receipt_date": "9999-12-31",
            "receipt_amount": "-5",
            "receipt": receipt("x.exe"),
        },
    )
    assert page.status_code == 200
    assert Claim.objects.count() == 0


def test_someone_elses_claim_page_is_not_found(client, claimant):
    login(client, HouseholdFactory().user)
    assert client.get(reverse("benefits:claim", args=[claimant.pk])).status_code == 404


def test_bank_account_form(client, claimant):
    page = client.post(
        reverse("benefits:bank_account"), {"bank_code": "088", "number": "12", "holder": "김하나"}
    )
    assert page.status_code == 200 and BankAccount.objects.count() == 0
    page = client.post(
        reverse("benefits:bank_account"), {"bank_code": "088", "number": "110-123-456789", "holder": "김하나"}
    )
    assert page.status_code == 302
    assert BankAccount.objects.get().last4 == "6789"


def test_reverification_form(client, recurring):
    application = approved_application(recurring.program)
    login(client, application.household.user)
    claim_of_award(application)
    reverifications_request_due(today=date(2026, 3, 10))
    row = Reverification.objects.get()
    url = reverse("benefits:reverify", args=[row.pk])
    assert client.post(url, {"changed": "yes", "changes": ""}).status_code == 200
    assert client.post(url, {"changed": "no"}).status_code == 302
    row.refresh_from_db()
    assert row.status == "confirmed"


def test_caseworker_approves_a_claim_in_the_admin(client, claimant, caseworker_a, settings):
    claim = claim_of(claim_of_award(claimant))
    login(client, caseworker_a)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the refusal is checked by its English msgid
    url = reverse("admin:benefits_claim_approve", args=[claim.pk])
    assert client.get(url).status_code == 200
    page = client.post(url, {"amount": "999999"})
    # The over-cap refusal, in the page's language (Korean): "… 최대 250,000원입니다."
    limit = str(gettext("At most %(limit)s won can be approved for this receipt.")) % {"limit": "250,000"}
    assert page.status_code == 200 and limit in page.content.decode()
    assert client.post(url, {"amount": "250000"}).status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert client.get(reverse("admin:benefits_claim_change", args=[claim.pk])).status_code == 200


def test_another_districts_caseworker_gets_404(client, claimant, caseworker_b):
    claim = claim_of(claim_of_award(claimant))
    login(client, caseworker_b)
    assert client.get(reverse("admin:benefits_claim_approve", args=[claim.pk])).status_code == 404
    assert client.get(reverse("admin:benefits_claim_receipt", args=[claim.pk])).status_code == 404


def test_manager_builds_a_batch_and_downloads_it_masked(client, recurring, manager_a):
    award = with_account(claim_of_award(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    for payment in Payment.objects.filter(award=award):
        payment_approve(payment=payment, actor=None)
    login(client, manager_a)
    assert client.post(reverse("admin:benefits_paymentbatch_build")).status_code == 302
    batch = Payment.objects.filter(status=PaymentStatus.SENT).first().batch
    response = client.get(reverse("admin:benefits_paymentbatch_download", args=[batch.pk]))
    body = b"".join(response.streaming_content).decode()
    assert "****6789" in body and "110123456789" not in body
    assert body.strip().splitlines()[-1] == f"TOTAL,4,,3000000,{batch}"
    assert AuditEvent.objects.filter(action="benefits.batch.exported", data__unmasked=False).exists()
    changelist = client.get(reverse("admin:benefits_benefitterms_changelist"))
    assert changelist.status_code == 200


def test_other_district_manager_cannot_download(client, recurring, manager_a):
    from portal.roles import user_set_role
    from tests.factories import UserFactory

    award = with_account(claim_of_award(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    payment_approve(payment=Payment.objects.filter(award=award).first(), actor=None)
    login(client, manager_a)
    client.post(reverse("admin:benefits_paymentbatch_build"))
    batch = Payment.objects.get(status=PaymentStatus.SENT).batch
    other = user_set_role(user=UserFactory(), role="district_manager", district=district(JUNGGU))
    login(client, other)
    assert client.get(reverse("admin:benefits_paymentbatch_download", args=[batch.pk])).status_code == 404


@pytest.mark.parametrize("model", ["benefitterms", "claim", "payment", "paymentbatch", "reverification"])
def test_staff_changelists_open_in_constant_queries(
    client, recurring, manager_a, model, django_assert_max_num_queries
):
    for _ in range(3):
        with_account(claim_of_award(approved_application(recurring.program)))
    instalments_schedule(terms=recurring, year=2026)
    reverifications_request_due(today=date(2026, 3, 10))
    login(client, manager_a)
    with django_assert_max_num_queries(25):
        page = client.get(reverse(f"admin:benefits_{model}_changelist"))
    assert page.status_code == 200


def test_program_manager_sets_terms_in_the_admin(client, program_manager_a):
    from benefits.models import BenefitTerms
    from tests.factories import ProgramFactory

    program = ProgramFactory(benefit_type="cash")
    login(client, program_manager_a)
    url = reverse("admin:benefits_benefitterms_add")
    incomplete = client.post(url, {"program": program.pk, "kind": "reimbursement", "share_percent": "100"})
    assert incomplete.status_code == 200 and not BenefitTerms.objects.exists()
    done = client.post(
        url, {"program": program.pk, "kind": "reimbursement", "share_percent": "100", "cap": "300000"}
    )
    assert done.status_code == 302 and BenefitTerms.objects.get().cap == 300_000
