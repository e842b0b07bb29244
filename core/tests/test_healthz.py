"""/healthz for load balancers and monitoring: database and background-queue age, anonymous JSON."""

import datetime

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _enqueue_task(*, enqueued_seconds_ago: int) -> None:
    from django_tasks_db.models import DBTaskResult, get_date_max

    row = DBTaskResult.objects.create(
        task_path="core.tasks.nothing", args_kwargs={"args": [], "kwargs": {}}, queue_name="default",
        backend_name="default", run_after=get_date_max(),
    )  # fmt: skip
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=enqueued_seconds_ago)
    )


def test_it_is_ok_with_an_idle_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "worker_queue_age_seconds": 0, "status": "ok"}
    assert "no-cache" in response["Cache-Control"] and "Content-Security-Policy" not in response


def test_a_young_task_keeps_it_ok(client):
    _enqueue_task(enqueued_seconds_ago=20)
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and 19 <= body["worker_queue_age_seconds"] <= 25


def test_a_task_waiting_too_long_makes_it_degraded(client, settings):
    settings.BINPLP_HEALTH_MAX_QUEUE_AGE = 300
    _enqueue_task(enqueued_seconds_ago=900)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded" and body["database"] == "ok" and body["worker_queue_age_seconds"] >= 900


def test_a_delivery_overdue_makes_it_degraded_and_one_deferred_does_not(client, personas):
    from messaging.models import Delivery
    from messaging.services import sending

    texts = {"nl": {"title": "Tip", "body": "Sluit uw deur.", "sms": "BIN tip"}}
    message = sending.message_send(
        actor=personas.zone_officer, message_type="prevention_tip", networks=[personas.network_a], texts=texts
    ).message  # the dispatch waits for a commit that never comes in this test: the deliveries stay queued
    queued = Delivery.objects.filter(message=message, status="queued")
    assert queued.exists()
    now = timezone.now()
    queued.update(not_before=now + datetime.timedelta(minutes=30))  # retries waiting for their time
    assert client.get("/healthz").json()["worker_queue_age_seconds"] == 0
    queued.update(not_before=now - datetime.timedelta(minutes=10))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["worker_queue_age_seconds"] >= 600


def test_a_database_failure_answers_503(client):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server")

    with connection.execute_wrapper(refuse):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "worker_queue_age_seconds": None, "status": "degraded"}


def test_it_is_not_rate_limited(client):
    assert {client.get("/healthz").status_code for _ in range(150)} == {200}
