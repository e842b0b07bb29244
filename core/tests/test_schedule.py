"""core.schedule: periodic tasks on the database queue, and the command that keeps one run of each queued."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.schedule import periodic_tasks, schedule
from members.tasks.join import purge_join_requests_task

PURGE = "members.tasks.join.purge_join_requests_task"
DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}


@pytest.fixture
def database_queue(settings, db):
    settings.TASKS = DATABASE_QUEUE


def _queued():
    return DBTaskResult.objects.filter(task_path=PURGE, status=TaskResultStatus.READY)


def _run_command() -> str:
    out = StringIO()
    call_command("schedule_periodic_tasks", stdout=out)
    return out.getvalue()


def test_the_purge_is_registered_as_a_daily_task():
    entries = {entry.path: entry for entry in periodic_tasks()}
    assert entries[PURGE].every == datetime.timedelta(days=1)


def test_the_command_queues_one_run_and_is_idempotent(database_queue):
    assert f"{PURGE}: queued" in _run_command()
    assert _queued().count() == 1
    first = _queued().get()
    assert first.run_after <= timezone.now() and first.queue_name == "default"

    assert f"{PURGE}: kept" in _run_command()
    assert f"{PURGE}: kept" in _run_command()
    assert list(_queued().values_list("pk", flat=True)) == [first.pk]


def test_the_command_removes_extra_queued_runs(database_queue):
    _run_command()
    purge_join_requests_task.using(run_after=timezone.now() + datetime.timedelta(hours=5)).enqueue()
    assert _queued().count() == 2
    assert f"{PURGE}: deduplicated" in _run_command()
    assert _queued().count() == 1
    assert _queued().get().run_after <= timezone.now()  # the earliest stays


def test_after_a_run_the_task_queues_its_next_run(database_queue):
    before = timezone.now()
    assert purge_join_requests_task.call() == 0
    next_run = _queued().get()
    assert before + datetime.timedelta(days=1) <= next_run.run_after <= timezone.now() + datetime.timedelta(days=1)

    purge_join_requests_task.call()  # a run while one is queued adds none
    assert _queued().count() == 1


def test_a_failed_run_still_queues_the_next(database_queue, monkeypatch):
    from members.services import joining

    def broken(**kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(joining, "join_request_purge", broken)
    with pytest.raises(RuntimeError):
        purge_join_requests_task.call()
    assert _queued().count() == 1


def test_a_backend_without_a_database_queue_schedules_nothing(db):
    entry = {entry.path: entry for entry in periodic_tasks()}[PURGE]
    assert schedule(entry) == "unsupported"
    assert "unsupported" in _run_command()
    result = purge_join_requests_task.enqueue()  # runs at once, queues nothing, does not recurse
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert not DBTaskResult.objects.exists()
