"""Retrying background work. django-tasks runs a task once; our tasks re-enqueue themselves with a growing delay
when a temporary failure (an SMTP server down, a gateway timeout) stops them, up to a limit, so nothing is lost."""

from __future__ import annotations

import datetime
import functools
import logging

from django.utils import timezone

logger = logging.getLogger(__name__)

RETRY_DELAYS = (30, 120, 600, 1800, 3600)  # seconds before attempts 2..6


def retry_delay(attempt: int) -> datetime.timedelta | None:
    """The wait before the attempt after `attempt`, or None when attempts are exhausted."""
    if attempt > len(RETRY_DELAYS):
        return None
    return datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])


def retrying(function):
    """For a task body taking keyword `attempt`: on an exception, enqueue the same task again later with
    `attempt + 1`, then re-raise so this run is recorded as failed. The body must be idempotent."""

    @functools.wraps(function)
    def wrapper(*args, attempt: int = 1, **kwargs):
        try:
            return function(*args, attempt=attempt, **kwargs)
        except Exception:
            delay = retry_delay(attempt)
            task = wrapper.task
            if delay is None:
                logger.error("%s gave up after %s attempts", task.name, attempt)
                raise
            logger.warning("%s failed (attempt %s); retrying in %s", task.name, attempt, delay)
            if task.get_backend().supports_defer:
                task = task.using(run_after=timezone.now() + delay)
            task.enqueue(*args, attempt=attempt + 1, **kwargs)
            raise

    return wrapper


def retrying_task(**task_options):
    """`@retrying_task(queue_name=...)` = django-tasks' `@task` around `retrying`."""
    from django_tasks import task as make_task

    def decorator(function):
        wrapped = retrying(function)
        task = make_task(**task_options)(wrapped)
        wrapped.task = task
        return task

    return decorator
