"""Two ADVP officers filling the same seat at the same moment (PostgreSQL): parallel service calls, each in its own
thread with its own connection and transaction. The lock on the category row makes them take turns, so one term is
saved and the other refused as overlapping. The overlap check is slowed down so that the calls truly overlap."""

from __future__ import annotations

import threading
import time
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from committee.models import SeatCategory, SeatTerm
from committee.services import seats as services

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs row locks of PostgreSQL and parallel connections; SQLite serialises writers by itself",
    ),
]


def test_two_terms_on_one_seat_at_once_one_is_refused(english):
    category = SeatCategory.objects.get(code="vclp")
    barrier = threading.Barrier(2)
    results: list = [None, None]
    original = services._check_term

    def slow_check(term):
        original(term)
        time.sleep(0.3)  # without the lock both would have found the seat free

    def worker(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = services.term_create(
                actor=english.advp_admin,
                category=category,
                seat_number=1,
                starts_on=timezone.localdate(),
                first_name=f"Person{index}",
                last_name="Parallel",
            )
        except Exception as error:  # noqa: BLE001 - reported to the test
            results[index] = error
        finally:
            connections.close_all()

    with mock.patch.object(services, "_check_term", side_effect=slow_check):
        threads = [threading.Thread(target=worker, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    saved = [r for r in results if isinstance(r, SeatTerm)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(saved) == 1 and len(refused) == 1, results
    assert "cannot overlap" in refused[0].message_dict["starts_on"][0]
    assert SeatTerm.objects.filter(category=category, seat_number=1).count() == 1
