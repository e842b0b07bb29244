"""Two people taking the last seat at the same moment (PostgreSQL): parallel service calls, each in its own thread
with its own database connection and transaction. The session row lock makes them take turns, so exactly one gets
the seat and the other the waiting list. Counting is slowed down on purpose so the calls truly overlap."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.db import connection, connections

from training.choices import EnrolmentStatus
from training.models import Enrolment
from training.services import enrolments as services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks of PostgreSQL and parallel connections; SQLite serialises writers by itself",
    ),
]


def _in_parallel(calls):
    """Run each call in its own thread (own connection), all released at once; returns results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(n, call)) for n, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def _slow_count():
    original = services._enrolled_count

    def slow(session):
        value = original(session)
        time.sleep(0.3)  # both calls would have counted the same free seat without the lock
        return value

    return mock.patch.object(services, "_enrolled_count", side_effect=slow)


def test_two_people_taking_the_last_seat_get_one_seat_and_one_waiting_place(personas, make_session, make_trainee):
    session = make_session(capacity=2)
    services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    first, second = make_trainee(), make_trainee()
    with _slow_count():
        results = _in_parallel(
            [
                lambda: services.enrolment_create(actor=personas.zone_officer, session=session, trainee=first),
                lambda: services.enrolment_create(actor=personas.zone_officer, session=session, trainee=second),
            ]
        )
    assert all(isinstance(result, Enrolment) for result in results), results
    statuses = sorted(Enrolment.objects.filter(trainee__in=[first, second]).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
    assert Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).count() == 2


def test_many_at_once_fill_exactly_the_capacity_and_queue_the_rest(personas, make_session, make_trainee):
    session = make_session(capacity=3)
    trainees = [make_trainee() for _n in range(8)]
    with _slow_count():
        results = _in_parallel(
            [
                (lambda t=t: services.enrolment_create(actor=personas.zone_officer, session=session, trainee=t))
                for t in trainees
            ]
        )
    assert all(isinstance(result, Enrolment) for result in results), results
    enrolled = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED)
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING).order_by("waiting_since")
    assert enrolled.count() == 3 and waiting.count() == 5
    # Everyone who got a seat enrolled before anyone started waiting.
    assert max(e.enrolled_at for e in enrolled) <= min(w.waiting_since for w in waiting)


def test_the_same_person_enrolled_twice_at_once_gets_one_row(personas, make_session, make_trainee):
    session = make_session()
    trainee = make_trainee()
    results = _in_parallel(
        [lambda: services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)] * 2
    )
    assert sorted(type(result).__name__ for result in results) == ["Enrolment", "ValidationError"]
    assert Enrolment.objects.filter(session=session, trainee=trainee).count() == 1


def test_two_zones_posting_the_enrol_form_for_the_last_seat_at_once(personas, make_session, make_trainee):
    """The same race through the whole request stack: two officers of two zones submit the enrol page at the same
    moment, each with their own client (own thread, own connection, own session cookie)."""
    from django.test import Client

    from geography.models import PoliceZone

    session = make_session(capacity=1)
    antwerp = make_trainee(first_name="Ann", last_name="Antwerpen")
    brussels = make_trainee(zone=PoliceZone.objects.current().get(code=5339), first_name="Bo", last_name="Brussel")
    clients = []
    for officer, trainee in ((personas.zone_officer, antwerp), (personas.other_zone_officer, brussels)):
        client = Client()
        client.force_login(officer)
        clients.append((client, trainee))
    url = f"/training/sessions/{session.pk}/enrol/"
    with _slow_count():
        responses = _in_parallel(
            [
                (lambda c=client, t=trainee: c.post(url, {"people": [f"trainee-{t.pk}"], "language": "nl"}))
                for client, trainee in clients
            ]
        )
    assert [getattr(r, "status_code", r) for r in responses] == [200, 200], responses
    statuses = sorted(Enrolment.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == [EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]
