"""The request id follows the request into the Celery tasks it queues, and tasks are counted.

before_task_publish (in the web process) writes the current request id into the message headers;
task_prerun (in the worker) puts it, with the task's id and name, in the contextvars the log filter
reads; task_postrun puts back what was there before. In the embedded default tasks run eagerly in the
request's own thread: no message is published, the request id is already set, and postrun restores it
so the rest of the request keeps logging under its id.
"""

from __future__ import annotations

from contextvars import Token

from celery import signals

from . import metrics
from .requestid import request_id_var, task_var

HEADER = "hana_request_id"

# task id → the tokens to reset at postrun (a dict, since prerun and postrun are separate calls)
_tokens: dict[str, tuple[Token, Token]] = {}


def _publish(headers: dict | None = None, **_kwargs) -> None:
    request_id = request_id_var.get()
    if headers is not None and request_id and HEADER not in headers:
        headers[HEADER] = request_id


def _prerun(task_id: str | None = None, task=None, **_kwargs) -> None:
    if task is None or task_id is None:
        return
    request_id = getattr(task.request, HEADER, None) or request_id_var.get()
    _tokens[task_id] = (request_id_var.set(request_id), task_var.set((task_id, task.name)))


def _postrun(task_id: str | None = None, **_kwargs) -> None:
    tokens = _tokens.pop(task_id, None) if task_id else None
    if tokens:
        request_token, task_token = tokens
        task_var.reset(task_token)
        request_id_var.reset(request_token)


def _success(sender=None, **_kwargs) -> None:
    metrics.count_task(task=getattr(sender, "name", "unknown"), outcome="success")


def _failure(sender=None, **_kwargs) -> None:
    metrics.count_task(task=getattr(sender, "name", "unknown"), outcome="failure")


def _retry(sender=None, **_kwargs) -> None:
    metrics.count_task(task=getattr(sender, "name", "unknown"), outcome="retry")


def connect() -> None:
    """Called once from portal/celery.py; dispatch_uid keeps a second call harmless."""
    signals.before_task_publish.connect(_publish, weak=False, dispatch_uid="hana.obs.publish")
    signals.task_prerun.connect(_prerun, weak=False, dispatch_uid="hana.obs.prerun")
    signals.task_postrun.connect(_postrun, weak=False, dispatch_uid="hana.obs.postrun")
    signals.task_success.connect(_success, weak=False, dispatch_uid="hana.obs.success")
    signals.task_failure.connect(_failure, weak=False, dispatch_uid="hana.obs.failure")
    signals.task_retry.connect(_retry, weak=False, dispatch_uid="hana.obs.retry")
