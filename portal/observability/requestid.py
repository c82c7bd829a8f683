"""The request id: taken from the trusted proxy's X-Request-ID when it is sane, else made here.

It lives in a contextvar, so it is the right one for each thread (gunicorn's threaded workers) and
each Celery task, and every log record can carry it without passing it around. Beside it, the task
context (id and name of the Celery task running), which the worker's log lines carry too.
"""

from __future__ import annotations

import re
import uuid
from contextvars import ContextVar

HEADER = "X-Request-ID"
META_KEY = "HTTP_X_REQUEST_ID"
# The id is written into every log line and echoed in a response header: nothing but a short token
# may pass, so a client cannot inject log lines, JSON or header breaks through it.
_VALID = re.compile(r"[A-Za-z0-9._-]{1,64}")

request_id_var: ContextVar[str | None] = ContextVar("hana_request_id", default=None)
task_var: ContextVar[tuple[str, str] | None] = ContextVar("hana_task", default=None)  # (id, name)


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_or_new(candidate: str | None) -> str:
    if candidate and _VALID.fullmatch(candidate):
        return candidate
    return new_request_id()


def current_request_id() -> str | None:
    return request_id_var.get()
