"""Benchmark of the dashboards (issue 6) at design scale: 15,000 networks, 2,000,000 members, 1,000,000 deliveries.

The dataset, written once into the bench database beside the networks and members (bench/run.py) and the mandated
officers and certificates (bench/training.py, built first so that the trained-officer figure has data), and reused:
- network status history and charters: the networks demo already writes them at scale (founded since 2008 — a fifth
  of them in the last four years —, charter submitted, active, dormant, dissolved, merged with their reasons;
  charters in draft, submitted and waiting for review, decided conform or changes needed with their lead times);
  the top-up only counts them;
- 30,000 messages (MESSAGES) from the zones over the last 3 years (all types; urgent police alerts owing feedback
  within 72 hours, three quarters of them answered by a feedback message; some cancelled, some scheduled), to one
  network (80%), a few networks of the zone (15%) or the whole zone (5%), written by one bench account (that is how
  they are recognised), plus the feedback messages (36,700 in all);
- 1,000,000 deliveries (DELIVERIES) spread over the sent messages: a share of each message's current members (the
  same share for every message), web (delivered, 40% read), e-mail for 70% of them and SMS for 30% (sent, delivered
  or failed) — written with executemany in batches of 50,000 (SQLite: with the table's secondary indexes dropped and
  built again after, as bench/run.py does for the members). The time the top-up took is printed (about 2.5 minutes
  on SQLite, 3 to 8 on PostgreSQL on a 2-CPU machine).

Measured in-process through Django's test client, warm (p50/p95 over --requests) and cold (cache cleared: figures,
map and open data are cached under the fingerprint; the URL's first request in the process): the dashboard page
/statistics/dashboard/ as ADVP (the country) and as the mandated officer of the largest zone, the map's GeoJSON
(municipalities as ADVP, zones as the officer), the public /statistics/ page and the open-data CSV of the police
zones, anonymous — and the selectors alone (fingerprint, compute_board_figures, compute_map_rows, the three lists'
first pages); for the national page, its three slowest statements in one warm request. Baseline in the same run: the
dashboard's key figures (networks by status, current memberships, messages sent and urgent alerts with feedback in
the last 365 days, networks by status per province or per zone, and the mandated officers trained: bench/training.py's
statement) as handwritten SQL run raw through `connection.cursor()`; their figures must equal
`compute_board_figures`' (a mismatch stops the bench). Targets: the national dashboard p95 < 300 ms warm, < 3 s cold.

The annual report (when dashboard/report_pdf.py exists; skipped with a message otherwise) of last year, a draft
(created in the bench database when missing): its figures computed cold and warm (compute_report_figures), the PDF
downloaded cold (report_pdf, cache cleared: figures computed, then rendered) and rendered in nl, fr, de and en
(render_report_pdf, figures from the cache) with its page count (pypdf); target < 20 s each — beside the same year's
main aggregates as raw SQL (deliveries by channel and failed, alerts answered and in time: they must equal the
report's; messages by type, charters, memberships joined) and WeasyPrint rendering a trivial one-page HTML.

Standalone: .venv/bin/python bench/dashboard.py [--requests 100] (same database as bench/run.py, which it builds when
missing); run.py calls `build_dashboard()`, `bench_dashboard()` and `report_dashboard()` unless --skip-dashboard.
"""

from __future__ import annotations

# ruff: noqa: S608 - the SQL is built from constants (table names, placeholders); every value is a parameter.
import datetime
import importlib
import importlib.util
import random
import statistics
import sys
import time
from pathlib import Path

SEED = 2026
AUTHOR = "bench.dashboard.sender@bench-dashboard.binplp.be"  # the author of every message of this dataset
MESSAGES = 30_000  # first messages (urgent alerts, tips, newsletters …); the feedback messages come on top
DELIVERIES = 1_000_000
DAYS = 3 * 365
BATCH = 50_000
FEEDBACK_HOURS = 72
# (type, share of the messages, police share): urgent types are police messages only.
TYPES = (
    ("prevention_tip", 0.40, 0.6),
    ("newsletter", 0.18, 0.5),
    ("urgent_alert", 0.34, 1.0),
    ("missing_person", 0.05, 1.0),
    ("crisis", 0.03, 1.0),
)
SHARE_EMAIL, SHARE_SMS, SHARE_READ = 0.70, 0.30, 0.40
TITLES = {
    "prevention_tip": ("Preventietip: sluit ramen en deuren", "Conseil de prévention : fermez portes et fenêtres"),
    "newsletter": ("Nieuwsbrief van het BIN", "Lettre d'information du PLP"),
    "urgent_alert": ("Dringend: verdacht voertuig gesignaleerd", "Urgent : véhicule suspect signalé"),
    "missing_person": ("Vermiste persoon", "Personne disparue"),
    "crisis": ("Crisisbericht", "Message de crise"),
    "feedback": ("Terugkoppeling na de oproep", "Retour après l'alerte"),
}


# --- the dataset ----------------------------------------------------------------------------------------------------


def _author():
    from django.contrib.auth.hashers import make_password

    from accounts.models import User

    user = User.objects.filter(email=AUTHOR).first()
    return user or User.objects.create(
        email=AUTHOR, first_name="Bench", last_name="Dashboard", password=make_password(None)
    )


def _texts(kind: str, language: str) -> dict:
    nl, fr = TITLES[kind]
    body = {"nl": f"{nl}. Meer informatie volgt.", "fr": f"{fr}. Plus d'informations suivent."}
    text = {code: {"title": title, "body": body[code], "sms": title[:140]} for code, title in (("nl", nl), ("fr", fr))}
    if language == "nl":
        return {"nl": text["nl"]}
    if language in ("fr", "de"):
        return {"fr": text["fr"]}
    return text


def build_dashboard() -> dict:
    """The messages and deliveries in the bench database (left as they are when there). Returns what is there and how
    long it took."""
    from django.db import connection, transaction

    from messaging.models import Delivery, Message

    started = time.perf_counter()
    author = _author()
    ours = Message.objects.filter(author=author)
    built = False
    if Delivery.objects.filter(message__author=author).count() < DELIVERIES:
        built = True
        with transaction.atomic():
            if ours.exists():  # an interrupted build: start again
                Delivery.objects.filter(message__author=author).delete()
                ours.delete()
            print(f"Building the dashboard dataset: {MESSAGES:,}+ messages over {DAYS // 365} years …", flush=True)
            messages = _build_messages(author)
            print(f"  {len(messages):,} messages in {time.perf_counter() - started:.0f} s; {DELIVERIES:,} deliveries …")
            from bench.run import _without_secondary_indexes

            with _without_secondary_indexes([Delivery]):
                _build_deliveries(messages)
            print(flush=True)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {**_sizes(author), "built": built, "seconds": time.perf_counter() - started}


def _build_messages(author) -> list[tuple[int, list[int], str, datetime.datetime]]:
    """The messages and their networks; returns (id, network ids, language, sent at) of each sent message."""
    from django.utils import timezone

    from geography.models import PoliceZone
    from messaging.models import Message
    from networks.choices import NetworkStatus
    from networks.models import Network

    rng = random.Random(SEED)
    now = timezone.now()
    languages = dict(PoliceZone.objects.values_list("pk", "language"))
    by_zone: dict[int, list[int]] = {}
    for pk, zone_id in (
        Network.objects.filter(status__in=[NetworkStatus.ACTIVE, NetworkStatus.DORMANT])
        .order_by("pk")
        .values_list("pk", "zone_id")
    ):
        by_zone.setdefault(zone_id, []).append(pk)
    zones = sorted(by_zone)
    weights = [len(by_zone[zone_id]) for zone_id in zones]
    kinds, shares, police = zip(*TYPES, strict=True)
    plans = []  # (Message, network ids)
    for _ in range(MESSAGES):
        zone_id = rng.choices(zones, weights=weights)[0]
        kind = rng.choices(kinds, weights=shares)[0]
        sender = "police" if rng.random() < police[kinds.index(kind)] else "coordinator"
        draw, pool = rng.random(), by_zone[zone_id]
        target, networks = "networks", [rng.choice(pool)]
        if sender == "police" and draw < 0.05:
            target, networks = "zone", list(pool)
        elif draw < 0.20 and len(pool) > 1:
            networks = rng.sample(pool, min(len(pool), rng.randint(2, 4)))
        created = now - datetime.timedelta(seconds=rng.randint(3600, DAYS * 86400))
        message = Message(
            type=kind,
            sender=sender,
            author=author,
            zone_id=zone_id,
            target_kind=target,
            target_zone_id=zone_id if target == "zone" else None,
            texts=_texts(kind, languages[zone_id]),
            status="sent",
            created_at=created,
            sent_at=created + datetime.timedelta(minutes=rng.randint(1, 30)),
        )
        draw = rng.random()
        if draw < 0.02:
            message.status, message.sent_at, message.cancelled_at = "cancelled", None, created + datetime.timedelta(1)
        elif draw < 0.03:
            message.status, message.sent_at = "scheduled", None
            message.send_at = now + datetime.timedelta(days=rng.randint(1, 20))
        if message.status == "sent" and kind == "urgent_alert" and sender == "police" and rng.random() < 0.9:
            message.feedback_due_at = message.sent_at + datetime.timedelta(hours=FEEDBACK_HOURS)
            answered = message.sent_at + datetime.timedelta(hours=rng.randint(2, 100))
            if rng.random() < 0.75 and answered < now:
                message.feedback_sent_at = answered
        plans.append((message, networks))
    Message.objects.bulk_create([message for message, _networks in plans], batch_size=2000)
    feedback = []
    for alert, networks in plans[:]:
        if alert.feedback_sent_at:
            answer = Message(
                type="feedback",
                sender="police",
                author=author,
                zone_id=alert.zone_id,
                target_kind=alert.target_kind,
                target_zone_id=alert.target_zone_id,
                texts=_texts("feedback", languages[alert.zone_id]),
                status="sent",
                created_at=alert.feedback_sent_at - datetime.timedelta(minutes=10),
                sent_at=alert.feedback_sent_at,
                feedback_for=alert,
            )
            feedback.append(answer)
            plans.append((answer, networks))
    Message.objects.bulk_create(feedback, batch_size=2000)
    through = Message.networks.through
    through.objects.bulk_create(
        [
            through(message_id=message.pk, network_id=network_id)
            for message, networks in plans
            for network_id in networks
        ],
        batch_size=5000,
    )
    return [
        (message.pk, networks, languages[message.zone_id], message.sent_at)
        for message, networks in plans
        if message.status == "sent"
    ]


def _build_deliveries(messages: list[tuple[int, list[int], str, datetime.datetime]]) -> None:
    """DELIVERIES rows over the sent messages: the same share of every message's current members, written in batches
    with executemany."""
    from django.db import connection

    from members.models import Membership
    from messaging.models import Delivery, Message

    rng = random.Random(f"{SEED}:deliveries")
    members: dict[int, list[int]] = {}
    for network_id, member_id in (
        Membership.objects.filter(status="active").order_by().values_list("network_id", "member_id").iterator(50_000)
    ):
        members.setdefault(network_id, []).append(member_id)

    def reach(networks: list[int]) -> list[int]:
        if len(networks) == 1:
            return members.get(networks[0], [])
        return sorted({m for network_id in networks for m in members.get(network_id, ())})

    channels_per_member = 1 + SHARE_EMAIL + SHARE_SMS
    # A little more than needed, so that the last messages (in random order) make up the round number.
    share = 1.03 * DELIVERIES / (channels_per_member * sum(len(reach(networks)) for _pk, networks, *_x in messages))
    messages = list(messages)
    rng.shuffle(messages)
    adapt = connection.ops.adapt_datetimefield_value
    columns = (
        "message_id, member_id, channel, language, status, attempts, not_before, sent_at, delivered_at, failed_at, "
        "error, provider_ref, read_at"
    )
    sql = f"INSERT INTO {Delivery._meta.db_table} ({columns}) VALUES ({', '.join(['%s'] * 13)})"
    rows: list[tuple] = []
    written = 0
    recipients = {}

    def flush() -> None:
        nonlocal rows, written
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)
        written += len(rows)
        rows = []
        print(f"\r  {written:,} deliveries", end="", flush=True)

    for pk, networks, language, sent in messages:
        if written + len(rows) >= DELIVERIES:
            break
        pool = reach(networks)
        chosen = rng.sample(pool, min(len(pool), max(1, round(len(pool) * share * rng.uniform(0.5, 1.5)))))
        recipients[pk] = len(chosen)
        at = adapt(sent)
        later = adapt(sent + datetime.timedelta(seconds=rng.randint(5, 600)))
        for member_id in chosen:
            read = adapt(sent + datetime.timedelta(hours=rng.randint(1, 48))) if rng.random() < SHARE_READ else None
            rows.append((pk, member_id, "web", language, "delivered", 0, at, at, at, None, "", "", read))
            for channel, chance in (("email", SHARE_EMAIL), ("sms", SHARE_SMS)):
                if rng.random() >= chance:
                    continue
                draw = rng.random()
                if draw < 0.05:
                    row = (pk, member_id, channel, language, "failed", 3, at, later, None, later, "bounced", "", None)
                elif draw < 0.15:
                    row = (pk, member_id, channel, language, "sent", 1, at, later, None, None, "", "", None)
                else:
                    row = (pk, member_id, channel, language, "delivered", 1, at, later, later, None, "", "", None)
                rows.append(row)
        if len(rows) >= BATCH:
            rows = rows[: DELIVERIES - written]
            flush()
    rows = rows[: DELIVERIES - written]
    if rows:
        flush()
    print()
    if written < DELIVERIES:
        raise RuntimeError(f"only {written:,} deliveries written: not enough members for the messages")
    for pk, count in recipients.items():
        Message.objects.filter(pk=pk).update(recipients=count)


def _sizes(author) -> dict:
    from django.utils import timezone

    from messaging.models import Delivery, Message
    from networks.models import Charter, CharterReview, NetworkStatusChange

    since = timezone.localdate() - datetime.timedelta(days=4 * 365)
    changes = NetworkStatusChange.objects.filter(on__gte=since)
    return {
        "messages": Message.objects.filter(author=author).count(),
        "alerts_owing": Message.objects.filter(author=author, feedback_due_at__isnull=False).count(),
        "deliveries": Delivery.objects.filter(message__author=author).count(),
        "status_changes": NetworkStatusChange.objects.count(),
        "status_changes_4y": changes.count(),
        "ended_4y": changes.filter(to_status__in=["dormant", "dissolved", "merged"]).count(),
        "charters_waiting": Charter.objects.filter(status="submitted").count(),
        "charters_decided": CharterReview.objects.exclude(decision="").count(),
    }


# --- the baseline: the key figures as handwritten SQL -----------------------------------------------------------


def _raw_figures(zones: list[int] | None, now: datetime.datetime) -> dict:
    """The key figures of the country (zones None) or of the zones, each family one statement run raw."""
    from django.db import connection

    from bench.training import _raw as training_raw

    since = connection.ops.adapt_datetimefield_value(now - datetime.timedelta(days=365))
    in_zones = f"n.zone_id IN ({', '.join(['%s'] * len(zones))})" if zones else "1 = 1"
    zone_params = list(zones or [])
    figures = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT n.status, COUNT(*) FROM networks_network n WHERE {in_zones} GROUP BY n.status", zone_params
        )
        figures["by_status"] = dict(cursor.fetchall())
        if zones:
            cursor.execute(
                "SELECT COUNT(*) FROM members_membership ms JOIN networks_network n ON n.id = ms.network_id "
                f"WHERE ms.status IN ('active', 'suspended') AND {in_zones}",
                zone_params,
            )
        else:
            cursor.execute("SELECT COUNT(*) FROM members_membership WHERE status IN ('active', 'suspended')")
        figures["members"] = cursor.fetchone()[0]
        to_scope = (
            " AND EXISTS (SELECT 1 FROM messaging_message_networks mn JOIN networks_network n ON n.id = mn.network_id "
            f"WHERE mn.message_id = msg.id AND {in_zones})"
            if zones
            else ""
        )
        owing = "msg.type = 'urgent_alert' AND msg.sender = 'police' AND msg.feedback_due_at IS NOT NULL"
        cursor.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {owing} THEN 1 ELSE 0 END), 0), "
            f"COALESCE(SUM(CASE WHEN {owing} AND msg.feedback_sent_at IS NOT NULL THEN 1 ELSE 0 END), 0) "
            f"FROM messaging_message msg WHERE msg.status = 'sent' AND msg.sent_at >= %s{to_scope}",
            [since, *zone_params],
        )
        figures["messages"] = tuple(int(value) for value in cursor.fetchone())
        group = "n.zone_id" if zones else "m.province_id"
        cursor.execute(
            f"SELECT {group}, n.status, COUNT(*) FROM networks_network n "
            f"JOIN geography_municipality m ON m.id = n.municipality_id WHERE {in_zones} GROUP BY {group}, n.status",
            zone_params,
        )
        chart: dict = {}
        for place, status, count in cursor.fetchall():
            chart.setdefault(place, {})[status] = count
        figures["chart"] = chart
    officers, trained, *_rest = training_raw("summary", zones)[None]
    figures["officers"] = (officers, trained)
    return figures


def _selector_figures(figures, names: dict) -> dict:
    """compute_board_figures' result in the baseline's shape (chart rows keyed by place id through their labels)."""
    return {
        "by_status": {status: count for status, _label, count in figures.by_status if count},
        "members": figures.members,
        "messages": (figures.messages_sent, figures.alerts, figures.alerts_with_feedback),
        "chart": {names[row["label"]]: row["counts"] for row in figures.chart_rows},
        "officers": (figures.officers, figures.officers_trained),
    }


# --- measuring ------------------------------------------------------------------------------------------------------


def bench_dashboard(requests: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from bench.run import _bench_user, _timed
    from core.roles import Role
    from dashboard import dashboard_selectors as board
    from dashboard.opendata_selectors import fingerprint
    from geography.models import PoliceZone, Province
    from networks.models import Network

    largest = (
        Network.objects.exclude(status__in=board.ENDED)
        .values("zone_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "zone_id")
        .first()
    )
    zone = PoliceZone.objects.get(pk=largest["zone_id"])
    advp, _token = _bench_user("bench.advp@example.org", Role.ADVP)
    officer, _token = _bench_user(f"bench.dashboard.officer.{zone.pk}@example.org", Role.ZONE_OFFICER, zone)
    results: dict = {"cases": [], "selectors": [], "zone": f"{zone.code} {zone.name} ({largest['n']:,} networks)"}

    # The figures first: the raw statements must find what the selectors find.
    now = timezone.now()
    province_names = {str(p.name): p.pk for p in Province.objects.all()}
    from django.utils.translation import gettext

    province_names[gettext("Brussels-Capital Region")] = None
    zone_names = {str(z): z.pk for z in PoliceZone.objects.all()}
    mismatches = []
    scopes = [
        ("ADVP", advp, board.BoardScope(national=True), None, province_names),
        (f"zone officer, {zone.code} {zone.name}", officer, board.board_scope(officer), [zone.pk], zone_names),
    ]
    raw_times = {}
    for label, user, scope, zones, names in scopes:
        ours = _selector_figures(board.compute_board_figures(scope=scope, user=user, now=now), names)
        raw = _raw_figures(zones, now)
        for key in ours:
            if ours[key] != raw[key]:
                mismatches.append(f"{label}, {key}: selector {ours[key]!r:.300} ≠ raw {raw[key]!r:.300}")
        results.setdefault("figures", []).append((label, ours))
        raw_times[label] = {
            "warm": _timed(lambda zones=zones: _raw_figures(zones, timezone.now()), requests, 2),
        }
    if mismatches:
        print("\n!!! DASHBOARD: the raw SQL and the selectors DISAGREE !!!", file=sys.stderr)
        for line in mismatches:
            print(f"!!! {line}", file=sys.stderr)
        raise AssertionError("dashboard figures differ between the selectors and the raw SQL")

    advp_client, officer_client, anonymous = Client(), Client(), Client()
    advp_client.force_login(advp)
    officer_client.force_login(officer)
    cases = [
        ("dashboard /statistics/dashboard/ (ADVP)", advp_client, "/statistics/dashboard/", "ADVP", True),
        (
            f"dashboard /statistics/dashboard/ (officer {zone.code})",
            officer_client,
            "/statistics/dashboard/",
            scopes[1][0],
            False,
        ),
        (
            "map.geojson?level=municipality (ADVP)",
            advp_client,
            "/statistics/dashboard/map.geojson?level=municipality",
            None,
            False,
        ),
        (
            "map.geojson?level=zone (officer)",
            officer_client,
            "/statistics/dashboard/map.geojson?level=zone",
            None,
            False,
        ),
        ("public /statistics/ (anonymous)", anonymous, "/statistics/", None, False),
        ("open data /statistics/open-data/zone.csv", anonymous, "/statistics/open-data/zone.csv", None, False),
    ]
    for name, client, url, baseline, target in cases:

        def get(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content[:300])
            return response

        cache.clear()
        start = time.perf_counter()
        response = get()
        cold = time.perf_counter() - start
        capture = _TimedCapture()
        with connection.execute_wrapper(capture):
            get()
        results["cases"].append(
            {
                "label": name,
                "target": target,
                "slowest": capture.slowest(3) if target else [],
                "queries": len(capture.statements),
                "bytes": len(response.content),
                "cold": cold,
                "ours": _timed(get, requests, 3),
                "raw": raw_times[baseline]["warm"] if baseline else None,
            }
        )
    national = board.BoardScope(national=True)
    selectors = [
        ("fingerprint()", fingerprint, None),
        ("compute_board_figures (country)", lambda: board.compute_board_figures(scope=national, user=advp), "ADVP"),
        (
            f"compute_board_figures (zone {zone.code})",
            lambda: board.compute_board_figures(scope=scopes[1][2], user=officer),
            scopes[1][0],
        ),
        (
            "compute_map_rows (country, municipalities)",
            lambda: board.compute_map_rows(scope=national, level="municipality"),
            None,
        ),
        ("waiting_charters + without coordinator + idle, page 1 (ADVP)", lambda: _lists(board, advp), None),
    ]
    for name, function, baseline in selectors:
        results["selectors"].append(
            {
                "label": name,
                "ours": _timed(function, max(5, requests // 3), 1),
                "raw": raw_times[baseline]["warm"] if baseline else None,
            }
        )
    results["report"] = bench_report()
    return results


class _TimedCapture:
    """The statements a block of code sends, each with the time it took (where a warm page spends its time)."""

    def __init__(self):
        self.statements: list[tuple[float, str]] = []

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append((time.perf_counter() - start, sql))

    def slowest(self, count: int) -> list[tuple[float, str]]:
        return sorted(self.statements, key=lambda row: -row[0])[:count]


def _lists(board, user) -> None:
    for function in (board.waiting_charters, board.networks_without_coordinator, board.idle_networks):
        page = function(user=user)
        list(page.object_list)
        _count = page.paginator.count


# --- the annual report ---------------------------------------------------------------------------------------------


def bench_report() -> dict | None:
    """Last year's report: figures cold, the PDF in each language, page count — beside raw aggregates and a trivial
    WeasyPrint page. None (and a message) while dashboard/report_pdf.py does not exist."""
    if importlib.util.find_spec("dashboard.report_pdf") is None:
        print("Annual report: dashboard/report_pdf.py does not exist yet — its benchmark is skipped.")
        return None
    try:
        return _bench_report()
    except Exception as error:  # noqa: BLE001 - the report is being written: keep the dashboard's figures
        if isinstance(error, AssertionError):
            raise
        print(f"Annual report: not measured, it failed: {error!r}", file=sys.stderr)
        return {"error": repr(error)}


def _year_bounds(year: int) -> tuple:
    """1 January of `year` and of the next, midnight in Brussels, as the database stores them."""
    from zoneinfo import ZoneInfo

    from django.db import connection

    brussels = ZoneInfo("Europe/Brussels")
    return tuple(
        connection.ops.adapt_datetimefield_value(datetime.datetime(each, 1, 1, tzinfo=brussels))
        for each in (year, year + 1)
    )


def _raw_report(year: int) -> dict:
    """The year's main aggregates of the report, one handwritten statement each: deliveries handed over by channel
    (and failed), urgent police alerts owing feedback (answered, in time), messages sent by type, charters submitted
    and reviews decided, memberships joined."""
    from django.db import connection

    start, end = _year_bounds(year)
    figures = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT channel, COUNT(*), SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) FROM messaging_delivery "
            "WHERE sent_at >= %s AND sent_at < %s GROUP BY channel",
            [start, end],
        )
        figures["by_channel"] = {channel: (int(n), int(failed)) for channel, n, failed in cursor.fetchall()}
        cursor.execute(
            "SELECT COUNT(*), COUNT(feedback_sent_at), "
            "COALESCE(SUM(CASE WHEN feedback_sent_at <= feedback_due_at THEN 1 ELSE 0 END), 0) "
            "FROM messaging_message WHERE status = 'sent' AND type = 'urgent_alert' AND sender = 'police' "
            "AND feedback_due_at IS NOT NULL AND sent_at >= %s AND sent_at < %s",
            [start, end],
        )
        figures["feedback"] = tuple(int(value) for value in cursor.fetchone())
        cursor.execute(
            "SELECT type, COUNT(*) FROM messaging_message WHERE status = 'sent' AND sent_at >= %s AND sent_at < %s "
            "GROUP BY type",
            [start, end],
        )
        figures["by_type"] = dict(cursor.fetchall())
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM networks_charter WHERE submitted_at >= %s AND submitted_at < %s), "
            "(SELECT COUNT(*) FROM networks_charterreview WHERE decided_at >= %s AND decided_at < %s), "
            "(SELECT COUNT(*) FROM members_membership WHERE joined_on >= %s AND joined_on <= %s)",
            [start, end, start, end, datetime.date(year, 1, 1), datetime.date(year, 12, 31)],
        )
        figures["flows"] = cursor.fetchone()
    return figures


TRIVIAL_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><style>@page { size: A4; margin: 2cm } "
    "body { font-family: sans-serif }</style></head><body><h1>Annual report</h1><p>One page, one table.</p>"
    "<table><tr><th>networks</th><td>15,000</td></tr></table></body></html>"
)


def _bench_report() -> dict:
    import io

    from django.core.cache import cache
    from django.utils import timezone
    from pypdf import PdfReader

    from bench.run import _timed
    from core.pdf import html_to_pdf
    from dashboard.models import AnnualReport
    from dashboard.report_selectors import compute_report_figures

    pdf_module = importlib.import_module("dashboard.report_pdf")  # checked by bench_report()
    year = timezone.localdate().year - 1
    result: dict = {"year": year, "pdfs": []}
    cache.clear()
    start = time.perf_counter()
    figures = compute_report_figures(year)
    result["figures_cold"] = time.perf_counter() - start
    start = time.perf_counter()
    compute_report_figures(year)
    result["figures_warm"] = time.perf_counter() - start
    result["raw"] = _timed(lambda: _raw_report(year), 5, 1)

    # The raw aggregates must find what the report finds.
    raw = _raw_report(year)
    ours = {
        "by_channel": {
            row["channel"]: (row["handed_over"]["value"], row["failed"]["value"])
            for row in figures["messages"]["by_channel"]
            if row["handed_over"]["value"]
        },
        "feedback": tuple(figures["feedback"][name]["value"] for name in ("alerts", "answered", "in_time")),
    }
    wrong = [f"{key}: report {ours[key]!r} ≠ raw {raw[key]!r}" for key in ours if ours[key] != raw[key]]
    if wrong:
        print("\n!!! ANNUAL REPORT: the raw SQL and the report's figures DISAGREE !!!", file=sys.stderr)
        for line in wrong:
            print(f"!!! {line}", file=sys.stderr)
        raise AssertionError("annual report figures differ between the selectors and the raw SQL")
    result["raw_figures"] = raw

    report, _created = AnnualReport.objects.get_or_create(
        year=year,
        defaults={
            "foreword_nl": "Voorwoord van de benchmark. " * 40,
            "foreword_fr": "Avant-propos du benchmark. " * 40,
            "foreword_de": "Vorwort des Benchmarks. " * 40,
            "foreword_en": "Foreword of the benchmark. " * 40,
        },
    )
    # The download as a reader gets it, everything cold (cache cleared: the figures computed again, then rendered);
    # then the rendering alone in each language (the figures from the cache).
    cache.clear()
    runs = [("nl", True, pdf_module.report_pdf)] + [
        (language, False, pdf_module.render_report_pdf) for language in pdf_module.LANGUAGES
    ]
    for language, cold, function in runs:
        start = time.perf_counter()
        pdf = function(report, language)
        seconds = time.perf_counter() - start
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        result["pdfs"].append(
            {"language": language, "cold": cold, "seconds": seconds, "pages": pages, "bytes": len(pdf)}
        )
    trivial = _timed(lambda: html_to_pdf(TRIVIAL_HTML), 3, 1)
    result["trivial"] = trivial
    result["trivial_pages"] = len(PdfReader(io.BytesIO(html_to_pdf(TRIVIAL_HTML))).pages)
    return result


# --- report ---------------------------------------------------------------------------------------------------------


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def report_dashboard(results: dict, dataset: dict | None = None) -> bool:
    """Print the tables; True when the national dashboard is under 300 ms (p95, warm) and 3 s (cold), and each report
    PDF under 20 s."""
    ok = True
    print()
    if dataset:
        print(
            f"dashboards — {dataset['messages']:,} messages over {DAYS // 365} years ({dataset['alerts_owing']:,} "
            f"urgent alerts owing feedback), {dataset['deliveries']:,} deliveries; "
            f"{dataset['status_changes']:,} status changes ({dataset['status_changes_4y']:,} in the last 4 years, "
            f"{dataset['ended_4y']:,} of them dormant/dissolved/merged), {dataset['charters_waiting']:,} charters "
            f"waiting for review, {dataset['charters_decided']:,} decided"
        )
    for label, figures in results.get("figures", []):
        sent, alerts, answered = figures["messages"]
        officers, trained = figures["officers"]
        print(
            f"  {label}: {sum(figures['by_status'].values()):,} networks {figures['by_status']}, "
            f"{figures['members']:,} members, {sent:,} messages sent in 365 days, {answered:,} of {alerts:,} alerts "
            f"with feedback, {trained:,} of {officers:,} officers trained, {len(figures['chart'])} chart rows"
        )
    header = (
        f"{'hot path':<66} {'cold':>10} {'ours p50':>10} {'ours p95':>10} {'base p50':>10} {'base p95':>10} "
        f"{'ratio':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for row in results["cases"]:
        o50, o95 = statistics.median(row["ours"]), _p(row["ours"], 0.95)
        base = f"{'':>10} {'':>10} {'':>7}"
        if row["raw"]:
            b50, b95 = statistics.median(row["raw"]), _p(row["raw"], 0.95)
            base = f"{_ms(b50):>10} {_ms(b95):>10} {o95 / b95:>6.1f}×"
        target = ""
        if row["target"]:
            warm, cold = o95 < 0.300, row["cold"] < 3.0
            ok &= warm and cold
            target = f"p95 < 300 ms: {'met' if warm else 'NOT MET'}; cold < 3 s: {'met' if cold else 'NOT MET'}"
        label = f"{row['label']} ({row['queries']} q, {row['bytes'] / 1024:,.0f} KiB)"
        print(f"{label:<66} {_ms(row['cold']):>10} {_ms(o50):>10} {_ms(o95):>10} {base}  {target}")
        for seconds, sql in row.get("slowest", []):
            print(f"    {_ms(seconds):>10} of one warm request: {' '.join(sql.split())[:100]} …")
    for row in results["selectors"]:
        o50, o95 = statistics.median(row["ours"]), _p(row["ours"], 0.95)
        base = f"{'':>10} {'':>10} {'':>7}"
        if row["raw"]:
            b50, b95 = statistics.median(row["raw"]), _p(row["raw"], 0.95)
            base = f"{_ms(b50):>10} {_ms(b95):>10} {o95 / b95:>6.1f}×"
        print(f"{'  selector ' + row['label']:<66} {'':>10} {_ms(o50):>10} {_ms(o95):>10} {base}")
    print(
        f"    (in-process, Django's test client; cold = cache cleared, first request; zone officer of the largest "
        f"zone, {results['zone']}; base = the key figures (statuses, members, messages and alerts, chart rows, "
        "officers trained) as handwritten SQL run raw via connection.cursor() — their figures equal the selectors')"
    )
    ok &= report_annual(results.get("report"))
    return ok


def report_annual(result: dict | None) -> bool:
    """Print the report's lines; True when every PDF took under 20 s."""
    if result is None:
        print("annual report — not measured (dashboard/report_pdf.py missing)")
        return True
    if "error" in result:
        print(f"annual report — not measured: {result['error']}")
        return False
    ok = True
    raw = result["raw"]
    feedback = result["raw_figures"]["feedback"]
    channels = ", ".join(
        f"{c} {n:,} ({f:,} failed)" for c, (n, f) in sorted(result["raw_figures"]["by_channel"].items())
    )
    print(
        f"annual report {result['year']} — {channels} handed over; {feedback[1]:,} of {feedback[0]:,} alerts answered "
        f"({feedback[2]:,} in time)"
    )
    print(
        f"  figures (compute_report_figures) cold {_ms(result['figures_cold'])}, warm {_ms(result['figures_warm'])}"
        f" — base: the main aggregates raw p50 {_ms(statistics.median(raw))}, max {_ms(max(raw))} (same figures)"
    )
    trivial = statistics.median(result["trivial"])
    for pdf in result["pdfs"]:
        met = pdf["seconds"] < 20
        ok &= met
        print(
            f"  PDF {pdf['language']}, {'download cold (cache cleared)' if pdf['cold'] else 'rendering'}: "
            f"{pdf['seconds']:,.2f} s, "
            f"{pdf['pages']} pages, {pdf['bytes'] / 1024:,.0f} KiB — base: WeasyPrint, a trivial "
            f"{result['trivial_pages']}-page HTML {_ms(trivial)}; {pdf['seconds'] / trivial:,.0f}×  "
            f"target < 20 s: {'met' if met else 'NOT MET'}"
        )
    return ok


def main(argv: list[str] | None = None) -> int:
    import argparse

    # Run as a script: the project root first, so that "dashboard" is the app and "bench" the package.
    root = str(Path(__file__).resolve().parent.parent)
    sys.path[:] = [root, *(entry for entry in sys.path if Path(entry).resolve() != Path(root) / "bench")]
    from bench.run import _database_url, _setup, build_dataset
    from bench.training import build_training

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="build the whole bench dataset again")
    args = parser.parse_args(argv)
    _setup(_database_url(), args.rebuild)
    build_dataset()
    build_training()
    dataset = build_dashboard()
    if dataset["built"]:
        print(f"Dashboard dataset built in {dataset['seconds']:.1f} s.")
    met = report_dashboard(bench_dashboard(args.requests), dataset)
    print("All targets met." if met else "Some targets are not met (see the table).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
