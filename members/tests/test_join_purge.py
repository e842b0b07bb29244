"""Retention: join requests are purged after BINPLP_JOIN_REQUEST_RETENTION_DAYS by a daily task."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from members.choices import JoinRequestStatus
from members.models import JoinRequest
from members.services.joining import join_request_purge
from members.tasks.join import purge_join_requests_task
from members.tests import factories
from members.tests.join_support import ensure_first_documents

NOW = datetime.datetime(2026, 6, 30, 12, 0, tzinfo=datetime.UTC)
SECOND = datetime.timedelta(seconds=1)


@pytest.fixture(autouse=True)
def _documents(db):
    ensure_first_documents()


@pytest.fixture
def cutoff(settings):
    settings.BINPLP_JOIN_REQUEST_RETENTION_DAYS = 30
    return NOW - datetime.timedelta(days=30)


def _request(network, status, *, created_at, decided_at=None, label):
    extra = {"decline_reason": "Not in the area"} if status == JoinRequestStatus.DECLINED else {}
    return factories.join_request(
        network, status=status, created_at=created_at, decided_at=decided_at, last_name=label, **extra
    )


def test_it_deletes_exactly_the_requests_past_the_retention_period(personas, cutoff):
    network = personas.network_a
    long_ago = cutoff - datetime.timedelta(days=100)
    purged = {
        _request(network, JoinRequestStatus.UNCONFIRMED, created_at=cutoff - SECOND, label="unconfirmed-old"),
        _request(network, JoinRequestStatus.DECLINED, created_at=long_ago, decided_at=cutoff - SECOND, label="d-old"),
        _request(network, JoinRequestStatus.WITHDRAWN, created_at=long_ago, decided_at=cutoff - SECOND, label="w"),
        _request(network, JoinRequestStatus.APPROVED, created_at=long_ago, decided_at=cutoff - SECOND, label="a"),
        _request(network, JoinRequestStatus.DECLINED, created_at=long_ago, decided_at=None, label="no-date"),
    }
    kept = {
        _request(network, JoinRequestStatus.UNCONFIRMED, created_at=cutoff, label="unconfirmed-boundary"),
        _request(network, JoinRequestStatus.UNCONFIRMED, created_at=cutoff + SECOND, label="unconfirmed-new"),
        # Decided recently: counted from the decision, not from the request.
        _request(network, JoinRequestStatus.DECLINED, created_at=long_ago, decided_at=cutoff, label="d-boundary"),
        _request(network, JoinRequestStatus.APPROVED, created_at=long_ago, decided_at=cutoff + SECOND, label="a-new"),
        # Waiting for the coordinator: never purged.
        _request(network, JoinRequestStatus.PENDING, created_at=long_ago, label="pending-old"),
    }

    assert join_request_purge(now=NOW) == len(purged)

    assert set(JoinRequest.objects.values_list("pk", flat=True)) == {request.pk for request in kept}
    row = AuditEvent.objects.get(action=AuditAction.DELETE, object_repr="join requests (retention)")
    assert row.actor is None and row.changes == {"purged": 5, "older_than": cutoff.isoformat()}


def test_each_run_is_audited_even_when_nothing_is_old(personas, cutoff):
    _request(personas.network_a, JoinRequestStatus.UNCONFIRMED, created_at=NOW, label="fresh")
    assert join_request_purge(now=NOW) == 0
    assert join_request_purge(now=NOW) == 0
    rows = AuditEvent.objects.filter(action=AuditAction.DELETE, object_repr="join requests (retention)")
    assert [row.changes["purged"] for row in rows] == [0, 0]
    assert JoinRequest.objects.count() == 1


def test_the_retention_period_is_a_setting(personas, settings):
    settings.BINPLP_JOIN_REQUEST_RETENTION_DAYS = 7
    _request(personas.network_a, JoinRequestStatus.UNCONFIRMED, created_at=NOW - datetime.timedelta(days=8), label="x")
    _request(personas.network_a, JoinRequestStatus.UNCONFIRMED, created_at=NOW - datetime.timedelta(days=6), label="y")
    assert join_request_purge(now=NOW) == 1


def test_the_daily_task_purges(personas, settings):
    settings.BINPLP_JOIN_REQUEST_RETENTION_DAYS = 30
    old = timezone.now() - datetime.timedelta(days=31)
    _request(personas.network_a, JoinRequestStatus.UNCONFIRMED, created_at=old, label="old")
    result = purge_join_requests_task.enqueue()  # the test backend runs it at once and schedules nothing
    assert result.return_value == 1
    assert not JoinRequest.objects.exists()
