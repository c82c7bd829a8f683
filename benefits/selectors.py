"""Reading benefits for a resident: their cash programs, payments, claims and open re-verifications."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from households.models import Household
from programs.models import Application, ApplicationStatus

from .models import Award, Claim, Payment, Reverification, ReverificationStatus


def awarded_applications(household: Household) -> QuerySet[Application]:
    """The household's approved applications to programs with benefit terms, each with its award (if
    created), payments, claims and re-verifications: a constant number of queries."""
    return (
        Application.objects.filter(
            household=household,
            status__in=(ApplicationStatus.APPROVED, ApplicationStatus.COMPLETED),
            program__benefit_terms__isnull=False,
        )
        .select_related("program__benefit_terms", "award")
        .prefetch_related(
            Prefetch("award__payments", queryset=Payment.objects.order_by("due_on", "pk")),
            Prefetch("award__claims", queryset=Claim.objects.order_by("-submitted_at")),
            Prefetch(
                "award__reverifications",
                queryset=Reverification.objects.filter(status=ReverificationStatus.REQUESTED),
                to_attr="open_reverifications",
            ),
        )
        .order_by("-decided_at")
    )


def own_award(household: Household, pk: int) -> Award:
    return Award.objects.select_related("terms__program", "household__user").get(pk=pk, household=household)


def own_reverification(household: Household, pk: int) -> Reverification:
    return Reverification.objects.select_related("award__terms__program").get(
        pk=pk, award__household=household
    )
