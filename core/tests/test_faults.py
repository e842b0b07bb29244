"""Fault tests (issue 9): the database goes away in the middle of a request. The reader gets the plain error page
(templates/500.html, which needs no database) and nothing is half-written."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from core.models import AuditEvent
from networks.models import Network, NetworkStatusChange

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


class FailOnWrite:
    """An execute wrapper: lets the first `allowed` writes through, then the database "goes away"."""

    def __init__(self, allowed: int) -> None:
        self.allowed = allowed
        self.writes: list[str] = []

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(WRITES):
            self.writes.append(sql)
            if len(self.writes) > self.allowed:
                raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # as in production: the handler renders the error page
    return client


def _state():
    return (Network.objects.count(), NetworkStatusChange.objects.count(), AuditEvent.objects.count())


def test_the_database_failing_on_the_second_write_leaves_nothing_and_shows_the_error_page(client, personas):
    from geography.models import Municipality

    antwerp = Municipality.objects.current().get(refnis="11002")
    client.force_login(personas.zone_officer)
    url = reverse("networks:network_create")
    before = _state()
    fault = FailOnWrite(allowed=1)
    with connection.execute_wrapper(fault):
        response = client.post(url, {"name": "BIN Het Zuid", "kind": "residential", "municipality": antwerp.pk})
    assert len(fault.writes) == 2 and fault.writes[0].lstrip().upper().startswith("INSERT")  # the first one went in
    assert response.status_code == 500
    page = response.content.decode()
    assert "Nothing was half-saved" in page and "Er is niets half opgeslagen" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert _state() == before and not Network.objects.filter(name="BIN Het Zuid").exists()

    # Once the database is back, the same form goes through.
    response = client.post(url, {"name": "BIN Het Zuid", "kind": "residential", "municipality": antwerp.pk})
    assert response.status_code == 302 and Network.objects.filter(name="BIN Het Zuid").exists()


def test_a_database_down_for_every_query_still_gives_the_error_page(client, personas):
    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    client.force_login(personas.coordinator)
    with connection.execute_wrapper(refuse):
        response = client.get(reverse("networks:network_list"))
        anonymous = client.__class__(raise_request_exception=False).get("/practices/")
    for answer in (response, anonymous):
        assert answer.status_code == 500 and "Something went wrong" in answer.content.decode()
