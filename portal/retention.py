"""Retention by policy: one table of the data classes the portal keeps for a limited time.

Each app registers its own classes from its AppConfig.ready() (the core imports no app): what the
class is, how long it is kept (a setting, RETENTION_<KEY>_DAYS, read from the environment in
portal/settings.py), which rows are due, and how a batch of them is pruned through the app's own code.
The nightly job (portal.tasks.run_retention, from beat), `manage.py retention` and the privacy page all
read this one table, so the periods residents are told are the periods applied.

Safe on millions of rows: due rows are walked by primary key, BATCH_SIZE at a time, each batch in its
own transaction (a job stopped halfway has pruned whole batches and the next run continues). Idempotent:
a pruned row is no longer due (deleted, or blanked and so excluded by the class's own query).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import ngettext

logger = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1_000


@dataclass(frozen=True)
class DataClass:
    """A kind of personal data kept for a limited time.

    `due(now=, cutoff=)` returns a queryset of the rows to prune now (cutoff = now - period);
    `prune(pks=, now=)` prunes those rows (a list of primary keys of `due`'s model) and returns how
    many it pruned. It runs inside a transaction; slow I/O such as deleting stored files belongs there
    too only when a rerun finds the work still due (a file deleted twice is no error).
    """

    key: str
    label: str | Promise  # what residents are told is kept, e.g. "Sent messages"
    outcome: str | Promise  # what happens at the end of the period, e.g. "deleted"
    setting: str  # the settings name holding the period in days
    due: Callable[..., models.QuerySet]
    prune: Callable[..., int]
    order: int = 100  # position on the privacy page and in the run

    @property
    def days(self) -> int:
        return int(getattr(settings, self.setting))

    def period_display(self) -> str:
        """A period as residents read it: "3 years" when it is whole years, else "180 days"."""
        days = self.days
        if days >= 365 and days % 365 == 0:
            years = days // 365
            return ngettext("%(n)d year", "%(n)d years", years) % {"n": years}
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


_REGISTRY: dict[str, DataClass] = {}


def register(data_class: DataClass) -> None:
    """Add a class (called from an AppConfig.ready(); registering the same key again replaces it)."""
    _REGISTRY[data_class.key] = data_class


def data_classes() -> list[DataClass]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.key))


def get(key: str) -> DataClass:
    return _REGISTRY[key]


def batch_size() -> int:
    return int(getattr(settings, "RETENTION_BATCH_SIZE", DEFAULT_BATCH_SIZE))


def pk_batches(queryset: models.QuerySet, size: int) -> Iterator[list[Any]]:
    """The queryset's primary keys, `size` at a time, in key order (keyset paging: never an OFFSET,
    never more than one batch in memory, and rows pruned by an earlier batch do not shift the pages)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        pks = list(page.values_list("pk", flat=True)[:size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def prune_class(
    data_class: DataClass, *, now: datetime, dry_run: bool = False, size: int | None = None
) -> int:
    """Prune one class; returns how many rows it pruned (dry run: how many are due)."""
    due = data_class.due(now=now, cutoff=now - timedelta(days=data_class.days))
    if dry_run:
        return due.count()
    done = 0
    for pks in pk_batches(due, size or batch_size()):
        with transaction.atomic():
            done += data_class.prune(pks=pks, now=now)
    return done


def retention_run(
    *, dry_run: bool = False, only: list[str] | None = None, now: datetime | None = None
) -> dict:
    """Prune every registered class (or those named in `only`); returns {key: count}.

    A real run is recorded in the audit log as `retention.run` with the count of each class, also when
    it stops early (a time limit, an error in one class): the counts say what was done before that.
    """
    from .audit import audit_log  # the audit module imports the models: not at the core's load time

    now = now or timezone.now()
    counts: dict[str, int] = {}
    error = ""
    try:
        for data_class in data_classes():
            if only is not None and data_class.key not in only:
                continue
            counts[data_class.key] = prune_class(data_class, now=now, dry_run=dry_run)
    except BaseException as exc:  # noqa: BLE001 - recorded below, then raised again
        error = type(exc).__name__
        raise
    finally:
        if not dry_run:
            data: dict[str, Any] = {"counts": counts}
            if error:
                data["stopped_by"] = error
            audit_log(actor=None, action="retention.run", data=data)
            logger.info("retention run", extra={"counts": counts, "stopped_by": error})
    return counts
