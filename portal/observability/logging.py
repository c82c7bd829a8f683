"""Every log line carries the request id (and in the worker the task's id and name).

LOG_FORMAT=json (the default when DEBUG is off) writes one JSON object a line for the log shipper;
the embedded default writes plain text. Both get their ids from RequestContextFilter, attached to
the handler so that records of every logger (Django's, Celery's, ours) pass through it.
"""

from __future__ import annotations

import logging

from pythonjsonlogger.json import JsonFormatter

from .requestid import request_id_var, task_var

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
JSON_FIELDS = ["asctime", "levelname", "name", "message", "request_id", "task_id", "task_name"]


class RequestContextFilter(logging.Filter):
    """Adds request_id, task_id and task_name ("-" outside a request or task) to each record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get() or "-"
        task = task_var.get()
        if not getattr(record, "task_id", None):
            record.task_id = task[0] if task else "-"
        if not getattr(record, "task_name", None):
            record.task_name = task[1] if task else "-"
        return True


class HanaJsonFormatter(JsonFormatter):
    """python-json-logger with stable key names (time, level, logger) for the log shipper."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", JSON_FIELDS)
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)


def logging_config(*, fmt: str, level: str) -> dict:
    """The LOGGING dict for settings: "json" or "plain" on stderr, ids on every line.

    The access log (logger "hana.access", one line per request from the middleware) goes to stdout,
    as gunicorn's would; gunicorn's own access log is off (gunicorn.conf.py) because gunicorn knows
    neither the request id nor the client address behind the proxies.
    """
    if fmt not in {"json", "plain"}:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"LOG_FORMAT must be 'json' or 'plain', not {fmt!r}.")
    formatter = "json" if fmt == "json" else "plain"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_context": {"()": "portal.observability.logging.RequestContextFilter"}},
        "formatters": {
            "plain": {"format": PLAIN_FORMAT},
            "json": {"()": "portal.observability.logging.HanaJsonFormatter"},
        },
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": formatter,
                "filters": ["request_context"],
            },
            "access": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": formatter,
                "filters": ["request_context"],
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "INFO"},
            "hana.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }
