"""benefits' entries in the resident's "who read my data" list (portal.access_log), registered at start-up."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.access_log import PERSONAL_DATA_READS

PERSONAL_DATA_READS.update(
    {
        "benefits.claim.viewed": _("Your benefit claim"),
        "benefits.claim.receipt_viewed": _("A receipt you submitted"),
        "benefits.reverification.viewed": _("Your benefit re-verification"),
        "benefits.reverification.document_viewed": _("A document you submitted"),
        # Written per resident by services.transfer_file when a batch's file is downloaded unmasked.
        "benefits.bank_account.exported": _("Your bank account (in a bank-transfer file)"),
    }
)
