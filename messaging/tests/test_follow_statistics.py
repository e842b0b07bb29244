"""The message statistics (/messages/statistics/ and /api/v1/message-statistics/): who sees them, and every figure
checked against counts the test makes itself from the rows, for a dataset with known numbers."""

from __future__ import annotations

import datetime
import statistics as stats
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from messaging.models import Delivery, Message, Rating, Report
from messaging.selectors_follow import BRUSSELS, message_statistics, percentile

from . import follow_support
from .follow_support import HOUR, mark, send

pytestmark = pytest.mark.django_db

# Fixtures of follow_support.
dataset = follow_support.dataset
english = follow_support.english
fresh_cache = follow_support.fresh_cache


def _rate(message, verdicts: list[bool]) -> None:
    """One rating per verdict, by successive members of the message's networks."""
    from members.models import Membership

    members = Membership.objects.filter(network__in=message.networks.all()).order_by("pk")
    for member_id, useful in zip(members.values_list("member_id", flat=True), verdicts, strict=False):
        Rating.objects.create(message=message, member_id=member_id, useful=useful)


def _report(personas, network, status: str) -> Report:
    values = {"closed_at": timezone.now()} if status == "closed" else {}
    return Report.objects.create(
        network=network,
        zone=network.zone,
        category="suspicious_behaviour",
        happened_at=timezone.now() - HOUR,
        place="Meir",
        description="Someone tried the door handles.",
        status=status,
        **values,
    )


@pytest.fixture
def figures(personas, dataset):
    """The dataset's deliveries marked as the outbox would have, ratings and reports."""
    a1, a2, a3, a4, _a5 = dataset.antwerp_alerts
    mark(a1, "email", "sent")
    mark(a1, "sms", "delivered")
    mark(a2, "email", "sent", count=4)
    mark(a2, "email", "failed", error="552 mailbox full")
    mark(a2, "sms", "failed", error="DLR: absent subscriber")
    mark(a3, "email", "sent", count=3)  # two stay queued
    mark(dataset.brussels_alert, "email", "failed", count=1)
    _rate(a1, [True, True, True, False])
    _rate(a2, [True])
    _rate(dataset.brussels_alert, [False, False])
    _rate(dataset.old_alert, [True, True])  # outside the period
    _report(personas, personas.network_a, "new")
    _report(personas, personas.network_a, "new")
    _report(personas, personas.network_a, "closed")
    _report(personas, personas.network_b, "acknowledged")
    return dataset


def _expected(messages, now):
    """The figures, counted one row at a time in Python from the messages of a scope."""
    start = datetime.datetime.combine(
        timezone.localtime(now, BRUSSELS).date().replace(day=1) - datetime.timedelta(days=330), datetime.time()
    )
    months_back = 11
    first = timezone.localtime(now, BRUSSELS).date().replace(day=1)
    for _ in range(months_back):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    start = datetime.datetime.combine(first, datetime.time(), tzinfo=BRUSSELS)
    in_period = [m for m in messages if m.status == "sent" and start <= m.sent_at <= now]
    ids = {m.pk for m in in_period}
    by_month = Counter((timezone.localtime(m.sent_at, BRUSSELS).date().replace(day=1), m.type) for m in in_period)
    deliveries = Counter((d.channel, d.status) for d in Delivery.objects.all() if d.message_id in ids)
    ratings = [r for r in Rating.objects.all() if r.message_id in ids]
    alerts = [m for m in in_period if m.type == "urgent_alert" and m.sender == "police"]
    counted = [a for a in alerts if a.feedback_sent_at is not None or a.feedback_due_at <= now]
    followed = [a for a in counted if a.feedback_sent_at is not None]
    delays = sorted((a.feedback_sent_at - a.sent_at).total_seconds() / 3600 for a in followed)
    return {
        "start": start,
        "messages": len(in_period),
        "recipients": sum(m.recipients for m in in_period),
        "by_month": by_month,
        "deliveries": deliveries,
        "ratings": len(ratings),
        "useful": sum(1 for r in ratings if r.useful),
        "alerts": len(counted),
        "followed": len(followed),
        "on_time": sum(1 for a in followed if a.feedback_sent_at <= a.feedback_due_at),
        "delays": delays,
    }


def _antwerp_messages(personas):
    return [m for m in Message.objects.all() if personas.network_a in m.networks.all()]


def test_the_figures_of_the_zone_match_the_rows(personas, figures):
    now = timezone.now()
    result = message_statistics(user=personas.zone_officer, now=now)
    expected = _expected(_antwerp_messages(personas), now)
    assert result.scope == "local" and result.start == expected["start"]
    assert result.messages == expected["messages"] == 10  # 5 alerts, 3 feedback messages, a tip, a newsletter
    assert result.recipients == expected["recipients"] == 10 * 5
    assert len(result.months) == 12 and result.months[-1] == timezone.localtime(now, BRUSSELS).date().replace(day=1)
    for month in result.months:
        for message_type, count in result.by_month[month].items():
            assert count == expected["by_month"].get((month, message_type), 0), (month, message_type)
    assert result.by_type["urgent_alert"] == 5 and result.by_type["feedback"] == 3
    for (channel, status), count in expected["deliveries"].items():
        assert result.deliveries[channel][status] == count, (channel, status)
    assert sum(sum(row.values()) for row in result.deliveries.values()) == sum(expected["deliveries"].values())
    # E-mail: 5 + 4 sent, 1 failed; SMS: 1 delivered, 1 failed.
    assert result.hand_over("email") == {"handed_over": 12, "failed": 1, "pending": 37, "rate": 12 / 13}
    assert result.hand_over("sms")["rate"] == 0.5
    assert result.hand_over()["rate"] == 13 / 15
    assert (result.ratings, result.useful) == (expected["ratings"], expected["useful"]) == (5, 4)
    assert result.useful_share == 0.8
    assert result.reports == {"new": 2, "acknowledged": 0, "closed": 1}


def test_the_feedback_rate_and_delay_of_the_zone(personas, figures):
    now = timezone.now()
    feedback = message_statistics(user=personas.zone_officer, now=now).feedback
    expected = _expected(_antwerp_messages(personas), now)
    # Alerts 1–4 were due (the fifth, an hour old, is not yet); 1–3 were followed after 3, 10 and 30 hours.
    assert (feedback.alerts, feedback.followed, feedback.on_time) == (4, 3, 2)
    assert (feedback.alerts, feedback.followed, feedback.on_time) == (
        expected["alerts"],
        expected["followed"],
        expected["on_time"],
    )
    assert feedback.share == 0.75 and feedback.on_time_share == pytest.approx(2 / 3)
    assert expected["delays"] == [3, 10, 30]
    assert feedback.median_hours == pytest.approx(stats.median(expected["delays"])) == pytest.approx(10)
    # 95th percentile by linear interpolation between ranks (PostgreSQL's percentile_cont): 10 + 0.9 × (30 − 10).
    assert feedback.p95_hours == pytest.approx(28)
    assert feedback.p95_hours == pytest.approx(stats.quantiles(expected["delays"], n=20, method="inclusive")[18])
    assert feedback.owed_now == 2  # alerts four and five


def test_national_roles_count_every_zone(personas, figures):
    now = timezone.now()
    for user in (personas.advp_admin, personas.knowledge_centre):
        result = message_statistics(user=user, now=now)
        expected = _expected(list(Message.objects.all()), now)
        assert result.scope == "national"
        assert result.messages == expected["messages"] == 12
        assert (result.feedback.alerts, result.feedback.followed) == (5, 4)
        # Delays 2, 3, 10 and 30 hours: median 6.5; 95th percentile 10 + 0.85 × 20.
        assert result.feedback.median_hours == pytest.approx(6.5)
        assert result.feedback.p95_hours == pytest.approx(27)
        assert result.reports == {"new": 2, "acknowledged": 1, "closed": 1}
        assert (result.ratings, result.useful) == (7, 4)
        assert result.hand_over("email")["failed"] == 2


def test_other_zones_and_municipalities_count_their_own(personas, figures):
    now = timezone.now()
    brussels = message_statistics(user=personas.other_zone_officer, now=now)
    assert brussels.messages == 2 and brussels.by_type["urgent_alert"] == 1
    assert (brussels.feedback.alerts, brussels.feedback.followed, brussels.feedback.median_hours) == (1, 1, 2)
    assert brussels.reports == {"new": 0, "acknowledged": 1, "closed": 0}
    municipal = message_statistics(user=personas.municipality_official, now=now)
    antwerp = message_statistics(user=personas.zone_officer, now=now)
    assert municipal.messages == antwerp.messages and municipal.feedback == antwerp.feedback
    assert municipal.reports == antwerp.reports


def test_percentile_interpolates_like_percentile_cont():
    assert percentile([], 0.5) is None
    assert percentile([4.0], 0.95) == 4.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.5) == 2.5
    assert percentile([0.0, 10.0], 0.95) == pytest.approx(9.5)


def test_the_page_shows_the_figures_chart_and_table(client, english, figures):
    client.force_login(english.zone_officer)
    response = client.get("/messages/statistics/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-figure="messages">10<' in html
    assert 'data-figure="feedback">75' in html
    assert 'data-figure="median">10.0 hours' in html and 'data-figure="p95">28.0 hours' in html
    assert "<svg" in html and 'role="img"' in html and "<script" not in html.split("<main", 1)[1].split("</main>")[0]
    assert "Messages per month and type (table)" in html
    assert "/messages/networks/BIN-11002-1/log/" in html and "/messages/networks/BIN-11002-1/problems/" in html
    assert "BIN-21004-1" not in html
    assert "Lambert" not in html and "member@test.binplp.be" not in html  # counts only


def test_the_municipality_sees_the_log_link_but_not_the_problems(client, english, figures):
    client.force_login(english.municipality_official)
    html = client.get("/messages/statistics/").content.decode()
    assert "/messages/networks/BIN-11002-1/log/" in html
    assert "/messages/networks/BIN-11002-1/problems/" not in html


def test_national_roles_see_no_network_logs_on_the_page(client, english, figures):
    client.force_login(english.advp_admin)
    html = client.get("/messages/statistics/").content.decode()
    assert 'data-figure="messages">12<' in html
    assert "/log/" not in html


def test_the_api_gives_the_same_figures(client, personas, figures):
    client.force_login(personas.zone_officer)
    response = client.get("/api/v1/message-statistics/")
    assert response.status_code == 200
    data = response.json()
    page = message_statistics(user=personas.zone_officer)
    assert data["scope"] == "local" and data["messages"] == page.messages == 10
    assert data["by_type"]["urgent_alert"] == 5 and len(data["by_month"]) == 12
    assert sum(row["total"] for row in data["by_month"]) == 10
    email = next(row for row in data["deliveries"] if row["channel"] == "email")
    assert (email["sent"], email["failed"], email["queued"]) == (12, 1, 37)
    assert data["hand_over"]["sms"] == {"handed_over": 1, "failed": 1, "pending": 8, "rate": 0.5}
    feedback = data["feedback"]
    assert (feedback["alerts"], feedback["followed"], feedback["on_time"], feedback["owed_now"]) == (4, 3, 2, 2)
    assert feedback["share"] == 0.75
    assert feedback["median_hours"] == pytest.approx(10) and feedback["p95_hours"] == pytest.approx(28)
    assert data["ratings"] == {"total": 5, "useful": 4, "share_useful": 0.8}
    assert data["reports"] == {"new": 2, "acknowledged": 0, "closed": 1}


def test_permission_matrix_of_the_page(client, personas):
    assert_permission_matrix(
        client,
        "/messages/statistics/",
        allowed=[
            personas.zone_officer,
            personas.other_zone_officer,
            personas.municipality_official,
            personas.advp_admin,
            personas.knowledge_centre,
        ],
        in_scope_wrong_role=[personas.coordinator, personas.member, personas.trainer, personas.outsider],
    )


def test_permission_matrix_of_the_api(client, personas):
    assert_permission_matrix(
        client,
        "/api/v1/message-statistics/",
        allowed=[
            personas.zone_officer,
            personas.other_zone_officer,
            personas.municipality_official,
            personas.advp_admin,
            personas.knowledge_centre,
        ],
        in_scope_wrong_role=[personas.coordinator, personas.member, personas.trainer, personas.outsider],
        anonymous=ANONYMOUS_DENIED,
    )


def _queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_the_national_figures_are_kept_ten_minutes(client, personas, figures):
    client.force_login(personas.advp_admin)
    assert client.get("/api/v1/message-statistics/").json()["messages"] == 12
    send(personas, at=figures.now - HOUR, message_type="prevention_tip", title="One more")
    assert client.get("/api/v1/message-statistics/").json()["messages"] == 12
    client.force_login(personas.zone_officer)
    assert client.get("/api/v1/message-statistics/").json()["messages"] == 11  # a zone's figures are always fresh
    from django.core.cache import cache

    cache.clear()
    client.force_login(personas.advp_admin)
    assert client.get("/api/v1/message-statistics/").json()["messages"] == 13


def test_the_page_and_api_take_the_same_queries_for_few_or_many_messages(client, personas, figures):
    client.force_login(personas.zone_officer)
    _queries(client, "/messages/statistics/")  # warm the chart cache and the session
    few_page, few_api = _queries(client, "/messages/statistics/"), _queries(client, "/api/v1/message-statistics/")
    for day in range(1, 30):
        message = send(personas, at=figures.now - day * 7 * HOUR, message_type="prevention_tip", title=f"Tip {day}")
        mark(message, "email", "sent")
    client.get("/messages/statistics/")
    assert _queries(client, "/messages/statistics/") == few_page
    assert _queries(client, "/api/v1/message-statistics/") == few_api


def test_the_schema_describes_the_statistics_and_log_endpoints(tmp_path):
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for text in (
        "/api/v1/message-statistics/:",
        "operationId: message_statistics",
        "/api/v1/networks/{code}/message-log/:",
        "operationId: network_message_log",
        "PaginatedMessageLogEntryList",
        "median_hours",
        "p95_hours",
    ):
        assert text in schema
