"""The Celery settings hold together: every beat entry and annotation names a real task, the Redis
visibility timeout outlasts every hard time limit, and the reaper waits longer than a delivery may run."""

from __future__ import annotations

from django.conf import settings

from portal.celery import app


def registered() -> set[str]:
    app.loader.import_default_modules()  # what a worker imports at start-up
    return set(app.tasks)


def test_every_beat_entry_names_a_registered_task():
    names = registered()

    missing = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} - names

    assert not missing


def test_every_annotation_names_a_registered_task():
    assert not set(settings.CELERY_TASK_ANNOTATIONS) - registered()


def test_the_visibility_timeout_outlasts_every_hard_limit():
    limits = [settings.CELERY_TASK_TIME_LIMIT] + [
        options["time_limit"]
        for options in settings.CELERY_TASK_ANNOTATIONS.values()
        if "time_limit" in options
    ]
    longest_retry_countdown = 30 * 2**4  # deliver_notification's last backoff (portal.tasks)

    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > max(
        limits + [longest_retry_countdown]
    )


def test_soft_limits_come_before_hard_ones():
    assert settings.CELERY_TASK_SOFT_TIME_LIMIT < settings.CELERY_TASK_TIME_LIMIT
    for options in settings.CELERY_TASK_ANNOTATIONS.values():
        assert options["soft_time_limit"] < options["time_limit"]


def test_a_delivery_is_never_taken_for_a_stuck_one():
    hard_limit = app.tasks["portal.tasks.deliver_notification"].time_limit or settings.CELERY_TASK_TIME_LIMIT

    assert settings.NOTIFICATION_SENDING_TIMEOUT.total_seconds() > hard_limit


def test_only_rerunnable_single_row_tasks_go_back_on_worker_loss():
    names = registered()
    rejecting = {name for name in names if getattr(app.tasks[name], "reject_on_worker_lost", False)}

    assert rejecting == {
        "portal.tasks.deliver_notification",
        "programs.tasks.process_application",
        "safety.tasks.alert_low_stock",
    }


def test_a_dead_broker_costs_a_request_one_quick_retry():
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY

    assert policy["max_retries"] <= 1
    assert policy["interval_max"] <= 0.5
