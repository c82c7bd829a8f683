"""The exports' class in the retention table: large export files (it replaced the separate
"expire-exports" beat job: one nightly run, one audit event with every class's count)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from portal.retention import DataClass, register

from .services import exports_due, exports_prune


def register_retention() -> None:
    register(
        DataClass(
            key="exports",
            label=_("Export files staff download (lists that may include your data)"),
            outcome=_("files deleted"),
            setting="RETENTION_EXPORTS_DAYS",
            due=exports_due,
            prune=exports_prune,
            order=50,
        )
    )
