"""Budget execution (예산 집행): what a program has committed (approved, not yet paid) and paid against
its budget, and the one gate every commitment passes.

Every commitment locks the program's BenefitTerms row (SELECT … FOR UPDATE) before summing, so two
approvals of the same program run one after the other and the sum never passes the budget, however
many staff approve at once. Approvals of different programs never wait for each other.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from ..models import COMMITTED_STATUSES, BenefitTerms, Payment, PaymentStatus
from .base import BenefitsError


@dataclass(frozen=True)
class Execution:
    budget: int | None
    committed: int
    paid: int

    @property
    def used(self) -> int:
        return self.committed + self.paid

    @property
    def remaining(self) -> int | None:
        return None if self.budget is None else self.budget - self.used

    @property
    def rate(self) -> float | None:
        """집행률: paid over budget, in percent (one decimal) — for display only; money stays integer."""
        return round(self.paid * 100 / self.budget, 1) if self.budget else None


SUMS = {
    "committed": Sum("amount", filter=Q(status__in=COMMITTED_STATUSES), default=0),
    "paid": Sum("amount", filter=Q(status=PaymentStatus.PAID), default=0),
}


def execution(terms: BenefitTerms) -> Execution:
    sums = Payment.objects.filter(terms=terms).aggregate(**SUMS)
    return Execution(terms.program.budget, sums["committed"], sums["paid"])


def lock_terms(terms_id: int) -> BenefitTerms:
    """The program's terms row, locked until the transaction ends (the budget gate)."""
    return BenefitTerms.objects.select_for_update(of=("self",)).select_related("program").get(pk=terms_id)


def check_commitment(terms: BenefitTerms, amount: int) -> Execution:
    """Refuse `amount` if it does not fit the budget. Call with `terms` locked (lock_terms)."""
    current = execution(terms)
    if current.budget is None:
        raise BenefitsError(
            "no_budget", _("This program has no budget yet: set it before approving payments.")
        )
    if current.used + amount > current.budget:
        raise BenefitsError(
            "over_budget",
            _("This would pass the program's budget: %(remaining)s won remain.")
            % {"remaining": f"{max(current.remaining, 0):,}"},
        )
    return current
