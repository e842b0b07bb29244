"""scripts/backup and scripts/restore (issue 9): a filled database, backed up while open, restored into an empty
database, holds the same number of rows in every table — every model's table, the many-to-many tables, the task
queue and the database cache table. Runs on the database of the suite (SQLite or PostgreSQL)."""

from __future__ import annotations

import datetime
import os
import sqlite3
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(settings.BASE_DIR)
CACHE_TABLE = "binplp_cache"  # the production cache table (config/settings/base.py); the tests cache in memory


def _tables() -> list[str]:
    models = apps.get_models(include_auto_created=True)
    return sorted({m._meta.db_table for m in models if m._meta.managed and not m._meta.proxy} | {CACHE_TABLE})


def _fill(personas, monkeypatch) -> None:
    """The personas, a message to a few hundred members (deliveries), audit events, a queued task, cache rows."""
    from django.core.cache.backends.db import DatabaseCache
    from django_tasks_db.models import DBTaskResult, get_date_max

    from accounts.models import User
    from members.models import Member, Membership
    from messaging.services import sending

    users = User.objects.bulk_create(
        [User(email=f"bk{n}@members.test", first_name=f"B{n}", last_name="Kup", password="!") for n in range(300)]
    )
    members = Member.objects.bulk_create([Member(user=u, by_sms=n % 3 == 0, mobile=f"+3249{n:07d}", postal_code="2000")
                                          for n, u in enumerate(users)])  # fmt: skip
    Membership.objects.bulk_create(
        [Membership(member=m, network=personas.network_a, joined_on=datetime.date(2024, 1, 1)) for m in members]
    )
    monkeypatch.setattr(sending, "dispatch_enqueue", lambda *args, **kwargs: None)  # deliveries stay queued
    texts = {"nl": {"title": "Back-up", "body": "Een bericht met 'quotes' en é ü ß.", "sms": "BIN back-up"}}
    sending.message_send(
        actor=personas.zone_officer, message_type="prevention_tip", networks=[personas.network_a], texts=texts
    )
    DBTaskResult.objects.create(task_path="core.tasks.nothing", args_kwargs={"args": [], "kwargs": {}},
                                queue_name="default", backend_name="default", run_after=get_date_max())  # fmt: skip
    call_command("createcachetable", CACHE_TABLE, verbosity=0)
    cache = DatabaseCache(CACHE_TABLE, {})
    for n in range(5):
        cache.set(f"key-{n}", {"n": n}, timeout=3600)


def _counts(connect, tables: list[str]) -> dict[str, int]:
    with connect() as db:
        cursor = db.cursor()
        result = {}
        for table in tables:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - table names from the models
            result[table] = cursor.fetchone()[0]
        return result


def _run(script: str, *args: str, url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - our own scripts
        ["bash", str(ROOT / "scripts" / script), *args], env=env, capture_output=True, text=True, timeout=300
    )


def _check(source_counts, restored_counts, tables) -> None:
    assert restored_counts == source_counts
    filled = [t for t in tables if source_counts[t]]
    assert len(filled) >= 25, filled  # a meaningful database: most of the main tables hold rows
    for table in ("messaging_delivery", "core_auditevent", "members_member", "django_tasks_database_dbtaskresult"):
        assert source_counts.get(table, 0) > 0, table
    assert source_counts[CACHE_TABLE] == 5


@pytest.fixture
def filled(personas, monkeypatch):
    _fill(personas, monkeypatch)
    yield _tables()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE IF EXISTS "{CACHE_TABLE}"')


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite scripts; PostgreSQL has its own test")
def test_sqlite_backup_restores_every_row_into_an_empty_file(filled, tmp_path):
    # The suite's SQLite database lives in memory: copy it into a file, as the site has it (WAL mode).
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as target:
        connection.ensure_connection()
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
    writer = sqlite3.connect(live)  # the site keeps the database open and busy during the backup
    writer.execute("CREATE TABLE IF NOT EXISTS scratch (n INTEGER)")
    writer.execute("BEGIN")
    writer.execute("INSERT INTO scratch VALUES (1)")  # not committed: must not appear in the backup

    started = time.monotonic()
    backup = _run("backup", str(tmp_path / "nightly.sqlite3"), url=f"sqlite:///{live}")
    backup_seconds = time.monotonic() - started
    assert backup.returncode == 0, backup.stderr
    writer.rollback()
    writer.close()
    archive = Path(backup.stdout.strip())
    assert archive == tmp_path / "nightly.sqlite3" and not Path(f"{archive}.partial").exists()

    restored = tmp_path / "restored.sqlite3"
    started = time.monotonic()
    restore = _run("restore", str(archive), url=f"sqlite:///{restored}")
    restore_seconds = time.monotonic() - started
    assert restore.returncode == 0, restore.stderr

    again = _run("restore", str(archive), url=f"sqlite:///{restored}")
    assert again.returncode == 1 and "not empty" in again.stderr  # never over existing data

    counts = _counts(lambda: sqlite3.connect(live), filled)
    _check(counts, _counts(lambda: sqlite3.connect(restored), filled), filled)
    with sqlite3.connect(restored) as db:
        assert db.execute("SELECT COUNT(*) FROM scratch").fetchone()[0] == 0
    print(
        f"\nSQLite: {sum(counts.values())} rows in {len(filled)} tables; database {live.stat().st_size} bytes, "
        f"backup {archive.stat().st_size} bytes; backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only (DATABASE_URL=postgres://…)")
def test_postgresql_backup_restores_every_row_into_an_empty_database(filled, tmp_path):
    import psycopg
    from psycopg import sql

    s = connection.settings_dict
    auth = s["USER"] or "postgres"
    if s["PASSWORD"]:
        auth += f":{s['PASSWORD']}"
    server = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}"
    fresh = f"{s['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    try:
        started = time.monotonic()
        backup = _run("backup", str(tmp_path / "nightly.dump"), url=f"{server}/{s['NAME']}")
        backup_seconds = time.monotonic() - started
        assert backup.returncode == 0, backup.stderr
        archive = Path(backup.stdout.strip())

        started = time.monotonic()
        restore = _run("restore", str(archive), url=f"{server}/{fresh}")  # the script creates it
        restore_seconds = time.monotonic() - started
        assert restore.returncode == 0, restore.stderr
        again = _run("restore", str(archive), url=f"{server}/{fresh}")
        assert again.returncode == 1 and "already holds" in again.stderr

        counts = _counts(lambda: psycopg.connect(f"{server}/{s['NAME']}"), filled)
        _check(counts, _counts(lambda: psycopg.connect(f"{server}/{fresh}"), filled), filled)
        with psycopg.connect(f"{server}/{s['NAME']}") as db:
            size = db.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        print(
            f"\nPostgreSQL: {sum(counts.values())} rows in {len(filled)} tables; database {size} bytes, "
            f"dump {archive.stat().st_size} bytes; backup {backup_seconds:.2f} s, restore {restore_seconds:.2f} s"
        )
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as db:
            db.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))
