from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "programs"
    verbose_name = _("Programs")

    def ready(self) -> None:
        from .retention import register_retention

        # Its classes in the core's retention table (the core imports no app).
        register_retention()

        from portal import pagecache

        from . import receivers  # noqa: F401  (connects the receivers)
        from .models import (
            Criterion,
            CriterionGroup,
            MedianIncome,
            PolicyMilestone,
            PolicyOfficial,
            Program,
            ProgramSession,
        )

        # What the public program pages, the home page, the programs API and open data show.
        pagecache.watch(Program, PolicyOfficial, PolicyMilestone, CriterionGroup, Criterion, ProgramSession)
        # Not shown on the public pages, but part of every household's judged outcomes
        # (selectors.household_outcomes), which are keyed by the same version.
        pagecache.watch(MedianIncome)
