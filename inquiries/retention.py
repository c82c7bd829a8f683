"""The inquiries app's class in the retention table: what people wrote in finished inquiry threads."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .models import Inquiry, InquiryStatus
from .services.accounts import inquiries_anonymize


def inquiries_due(*, now, cutoff) -> models.QuerySet:
    # A thread still waiting for an answer is live whatever its age; anonymized ones are not due again.
    return Inquiry.objects.filter(anonymized_at__isnull=True, received_at__lt=cutoff).filter(
        ~Q(status=InquiryStatus.OPEN)
    )


def inquiries_prune(*, pks, now) -> int:
    return inquiries_anonymize(
        pks=list(
            Inquiry.objects.filter(pk__in=pks, anonymized_at__isnull=True)
            .exclude(status=InquiryStatus.OPEN)
            .values_list("pk", flat=True)
        ),
        now=now,
    )


def register_retention() -> None:
    register(
        DataClass(
            key="inquiries",
            label=_("Your inquiries and the answers to them"),
            outcome=_("blanked (the figures of the 48-hour promise keep only times and ratings)"),
            setting="RETENTION_INQUIRIES_DAYS",
            due=inquiries_due,
            prune=inquiries_prune,
            order=60,
        )
    )
