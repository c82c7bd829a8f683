from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenefitsConfig(AppConfig):
    """Cash benefits on top of programs: benefit terms, claims with receipts, payments in whole won, a
    disbursement ledger, payment batches, yearly re-verification and budget execution (집행률).

    May import the core, households and programs (and safety below it); care and above never reach it
    except through reports.
    """

    name = "benefits"
    verbose_name = _("Cash benefits")

    def ready(self) -> None:
        from . import access, messages, receivers  # noqa: F401 - registers messages and reads, connects
        from .retention import register_retention

        register_retention()
