"""The Celery app. With no broker configured, settings make every task run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("hana")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
