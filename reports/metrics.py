"""The reports' gauges on /metrics (listed in settings.METRICS_EXTRA_COLLECTORS, read at scrape time)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count
from prometheus_client.core import GaugeMetricFamily

from .models import ExportJob


def export_gauges() -> Iterator[GaugeMetricFamily]:
    """Export jobs waiting for or held by a worker: a queue that only grows means no worker runs them."""
    rows = (
        ExportJob.objects.filter(status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING])
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    )
    counts = {row["status"]: row["n"] for row in rows}
    gauge = GaugeMetricFamily("hana_exports", "Export jobs queued or running, by status.", labels=["status"])
    for status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
        gauge.add_metric([status.value], counts.get(status.value, 0))
    yield gauge
