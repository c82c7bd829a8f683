from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """The manager's reading of every feature: dashboard, exports, monthly performance reports.

    The layer just below the demo loader: it may import every feature app; nothing imports it.
    """

    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Dashboard panels are cached per district; writes from any process invalidate them.
        from .dashboard.cache import connect_signals

        connect_signals()

        # Every process (web, beat, worker, tests) registers the export and report tasks, not only a
        # worker whose autodiscovery imports `reports.tasks`: the web queues them by name.
        from . import tasks  # noqa: F401

        # Export files in the core's retention table (the core imports no app).
        from .exports.retention import register_retention

        register_retention()
