"""Fault test (issue 9): a spreadsheet import dies midway — the database goes away after the networks and part of
their streets were written. Nothing of it is committed, the upload stays pending, and running it again once the
database is back imports every row. Transactional test: what counts is what was committed."""

from __future__ import annotations

import io

import pytest
from django.db import OperationalError, connection

from core.models import AuditEvent
from networks.models import AreaStreet, Network, NetworkStatusChange
from networks.services.importer import import_batch_commit, import_batch_create
from networks.tests.import_helpers import csv_bytes, row

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 40


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


class DiesAfterStreets:
    """The database goes away at the second statement writing streets: networks and a first part of the streets
    are in, the rest is not."""

    def __init__(self) -> None:
        self.street_writes = 0
        self.writes_before: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        statement = sql.lstrip().upper()
        if statement.startswith(("INSERT", "UPDATE", "DELETE")):
            if AreaStreet._meta.db_table.upper() in statement:
                self.street_writes += 1
                if self.street_writes > 1:
                    raise OperationalError("terminating connection due to administrator command")
            self.writes_before.append(statement.split("(")[0][:60])
        return execute(sql, params, many, context)


def _committed() -> tuple[int, ...]:
    return (
        Network.objects.count(),
        AreaStreet.objects.count(),
        NetworkStatusChange.objects.count(),
        AuditEvent.objects.filter(action="import").count(),
    )


def test_an_import_interrupted_midway_commits_nothing_and_can_run_again(personas, media, monkeypatch):
    from networks.services import importer

    monkeypatch.setattr(importer, "_insert_rows", _insert_rows_one_network_at_a_time(importer._insert_rows))
    rows = [
        row(name=f"BIN Fout {n}", municipality="11002", status="active", streets=f"Meir;2000;{n};{n + 1}")
        for n in range(1, 2 * ROWS, 2)
    ]
    batch = import_batch_create(actor=personas.advp_admin, upload=io.BytesIO(csv_bytes(rows)), name="fout.csv")
    before = _committed()

    fault = DiesAfterStreets()
    with connection.execute_wrapper(fault), pytest.raises(OperationalError):
        import_batch_commit(actor=personas.advp_admin, batch=batch)
    assert fault.street_writes == 2 and any("NETWORKS_NETWORK" in w for w in fault.writes_before)
    assert _committed() == before  # the networks and the first streets written before the failure are gone
    batch.refresh_from_db()
    assert batch.status == "pending" and batch.file and (media / batch.file.name).exists()

    plan, outcome = import_batch_commit(actor=personas.advp_admin, batch=batch)
    assert plan.is_valid and outcome.created == ROWS
    networks, streets, changes, imports = _committed()
    assert (networks - before[0], streets - before[1], imports - before[3]) == (ROWS, ROWS, 1)


def _insert_rows_one_network_at_a_time(insert_rows):
    """The importer writes streets by the 5,000; with a few rows in the test, write them one network at a time so the
    failure lands between two street writes, as it would in the middle of a large file."""

    def insert(model, columns, rows):
        if model is AreaStreet:
            for one in rows:
                insert_rows(model, columns, [one])
        else:
            insert_rows(model, columns, rows)

    return insert
