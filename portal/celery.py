"""The Celery app. With no broker configured, settings make every task run eagerly in-process."""

import os

from celery import Celery, signals

from portal.observability import celery_signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("hana")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The request id travels in task message headers into the worker's log lines; tasks are counted.
celery_signals.connect()


@signals.setup_logging.connect(weak=False)
def _keep_django_logging(**_kwargs) -> None:
    """A receiver here tells Celery not to install its own logging: the worker and beat keep
    settings.LOGGING (JSON with request and task ids), which Django applied at setup."""
