"""Periodic background work on django-tasks' database backend, which has no scheduler of its own.

`@periodic(every=timedelta(days=1))` turns a function into a task and registers it. `manage.py
schedule_periodic_tasks` (run before the worker starts) makes sure each registered task has exactly one queued run
(a READY row in django_tasks_db's table); after every run, successful or not, the task queues its next run `every`
later. A backend that cannot defer (the immediate backend of the tests) runs the task when it is enqueued and never
queues a next run, so nothing recurses there.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import pkgutil
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.utils import timezone


@dataclass(frozen=True)
class PeriodicTask:
    task: object  # django_tasks.Task
    every: datetime.timedelta

    @property
    def path(self) -> str:
        return self.task.module_path


_registry: dict[str, PeriodicTask] = {}


def periodic(*, every: datetime.timedelta, queue_name: str = "default"):
    """Decorator: the function becomes a django-tasks task that runs every `every` once scheduled."""
    if every <= datetime.timedelta(0):
        raise ValueError("A periodic task needs a positive interval")

    def decorator(function):
        from django_tasks import task as make_task

        @functools.wraps(function)
        def run(*args, **kwargs):
            try:
                return function(*args, **kwargs)
            finally:
                schedule(entry, first_run=timezone.now() + every)

        task = make_task(queue_name=queue_name)(run)
        entry = PeriodicTask(task=task, every=every)
        _registry[entry.path] = entry
        return task

    return decorator


def _uses_database_queue(task) -> bool:
    backend = task.get_backend()
    if not backend.supports_defer:
        return False
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def discover() -> None:
    """Import the project's apps' `tasks` modules (and, for a package, their submodules) so their periodic tasks
    register themselves. Third-party apps are left alone."""
    base = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        if not Path(config.path).resolve().is_relative_to(base) or ".venv" in Path(config.path).parts:
            continue
        name = f"{config.name}.tasks"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name == name:
                continue
            raise
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{name}.{info.name}")


def periodic_tasks() -> list[PeriodicTask]:
    discover()
    return [_registry[path] for path in sorted(_registry)]


def schedule(entry: PeriodicTask, *, first_run: datetime.datetime | None = None) -> str:
    """Leave exactly one queued run of the task: queue one at `first_run` (now) when there is none, drop extra ones
    when there are several. Returns what it did: "queued", "kept", "deduplicated", or "unsupported" when the
    backend has no database queue."""
    if not _uses_database_queue(entry.task):
        return "unsupported"
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    backend = entry.task.get_backend()
    with transaction.atomic():
        queued = list(
            DBTaskResult.objects.select_for_update()
            .filter(task_path=entry.path, status=TaskResultStatus.READY, backend_name=backend.alias)
            .order_by("run_after", "enqueued_at")
            .values_list("pk", flat=True)
        )
        if len(queued) == 1:
            return "kept"
        if queued:
            DBTaskResult.objects.filter(pk__in=queued[1:]).delete()
            return "deduplicated"
        entry.task.using(run_after=first_run or timezone.now()).enqueue()
    return "queued"


def schedule_all() -> dict[str, str]:
    """`schedule` for every registered periodic task: {task path: what was done}."""
    return {entry.path: schedule(entry) for entry in periodic_tasks()}
