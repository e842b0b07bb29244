"""`make bench`: the hot paths, each beside a baseline measured in the same run on the same data, so that the ratio
holds on a noisy machine (DESIGN §6 "Measured, not assumed").

It builds its own dataset in its own database: 15,000 networks with 10 streets each (the networks demo generator at
scale) and 2,000,000 members — accounts, profiles and memberships from the members demo generator
(members/demo.py) at a total of 2,000,000, tens to 1,500 per network. SQLite `var/bench.sqlite3` by default (the
members go in with the tables' secondary indexes dropped and built again after: about two minutes), or the
PostgreSQL database named by BENCH_DATABASE_URL (or by DATABASE_URL when its name contains "bench"), created when
missing. A database already holding the dataset is reused; `--rebuild` starts again.

1. The network list API page (50 networks, filtered by province), in-process through Django's test client with a
   token, warm: p50 and p95 — beside the same page's data access run raw through `connection.cursor()`: its SELECT
   (same filter, joins, columns, order and LIMIT) plus the COUNT(*) its pagination needs. A second line replays every
   statement of the request (token and role look-ups too).
2. The import of a generated 10,000-row XLSX (10 streets each) through the importer (file checks, reading,
   validation against the register, writing in one transaction, rolled back afterwards) — beside reading the same
   file with python-calamine alone.
3. The public finder API (/api/v1/finder/) in-process, anonymous, warm, over a fixed mix of 100 queries drawn from
   the dataset (40% exact streets, half with a house number; 20% typos; 15% abbreviations such as str., stwg, av.;
   15% unknown streets, answered with the nearby networks; 10% map clicks): p50 and p95, overall and per kind —
   beside the candidate streets query (the active networks' streets of the postal code) run raw through
   `connection.cursor()`, and beside every statement of each request replayed raw. Target p95 < 20 ms.
4. The coordinator's member list page (/members/networks/<code>/, page of 50, filtered: active members reached by
   SMS, then also a search term) for the network with the most members, in-process as a signed-in coordinator of it
   (TOTP enrolled) — beside the page's COUNT(*) and SELECT … LIMIT 50 run raw, and all its reads replayed raw.
   Target p95 < 50 ms.
5. The finder through the HTTP server: gunicorn with 2 sync workers on loopback (bench settings: DEBUG off; API
   throttling OFF, since the finder's anonymous limit of 60 a minute would refuse a load test; persistent database
   connections), loaded for 15 s by `wrk` (2 threads, 4 connections) rotating through the same query mix:
   requests/s, p50/p95/p99 and errors — beside the same wrk against a trivial API view of the same server
   (bench/urls.py), which shows what the framework alone costs. Target ≥ 300 requests/s. Skipped when wrk is missing.

6. Good practices search at 10,000 practices (bench/practices.py), and the outbox: an urgent alert to 100,000
   members handed to a local SMTP server and to Kannel (bench/messaging.py).
7. Training coverage (bench/training.py): the share of the 15,000 networks' mandated officers holding a valid BIN
   course certificate — page, province filter and API as ADVP and as the largest zone's officer, and the selectors —
   beside the same figures in handwritten SQL. Target: national page p95 < 300 ms warm, < 3 s cold.
8. The dashboards (bench/dashboard.py) with 30,000+ messages over 3 years and 1,000,000 deliveries: the dashboard
   page as ADVP and as the largest zone's officer, the map's GeoJSON, the public statistics page and an open-data
   CSV, cold and warm — beside the dashboard's key figures in handwritten SQL; and the annual report (figures cold,
   the PDF in four languages) beside raw aggregates and a trivial WeasyPrint page. Targets: national dashboard p95
   < 300 ms warm, < 3 s cold; report PDF < 20 s.

Usage: .venv/bin/python bench/run.py [--rebuild] [--requests 200] [--import-rows 10000] [--import-runs 3]
       [--skip-import] [--finder-requests 1000] [--skip-finder] [--skip-members] [--http-seconds 15]
       [--http-connections 4] [--skip-http] [--skip-practices] [--skip-messaging] [--messaging-recipients 100000]
       [--skip-training] [--skip-dashboard]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
NETWORKS, STREETS = 15_000, 10
MEMBERS = 2_000_000
REAL_COUNT = 1386  # the demo's networks at scale 1 (end-2023 register)


def _database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url and "bench" in os.environ.get("DATABASE_URL", ""):
        url = os.environ["DATABASE_URL"]
    if not url:
        url = f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit(f"Refusing to benchmark in {url}: its database name must contain 'bench' (it is emptied).")
    return url


def _setup(url: str, rebuild: bool) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    sys.path.insert(0, str(ROOT))
    if url.startswith("sqlite"):
        path = Path(url.split("sqlite:///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        if rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif url.startswith("postgres"):
        _ensure_postgres_database(url, rebuild)
    import django

    django.setup()


def _ensure_postgres_database(url: str, rebuild: bool) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    name = name.split("?", 1)[0]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            connection.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


# --- the dataset ----------------------------------------------------------------------------------------------------


def build_dataset() -> dict:
    from django.core.management import call_command

    from accounts.models import User
    from geography.models import PoliceZone
    from geography.services import reference_data_load
    from members.demo import demo_members
    from members.models import Member, Membership
    from networks.demo import demo_networks
    from networks.models import AreaStreet, Network

    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if not PoliceZone.objects.exists():
        reference_data_load(actor=None)
    built = False
    if Network.objects.count() < NETWORKS * 0.99:
        print(f"Building the dataset: {NETWORKS:,} networks with {STREETS} streets each …", flush=True)
        demo_networks(scale=NETWORKS / REAL_COUNT, streets=STREETS)
        built = True
    members_seconds = None
    if Membership.objects.count() < MEMBERS * 0.99:
        print(f"Building the dataset: {MEMBERS:,} members (accounts, profiles, memberships) …", flush=True)
        members_started = time.perf_counter()
        with _without_secondary_indexes([User, Member, Membership]):
            demo_members(total=MEMBERS, complete=False, progress=_progress(MEMBERS))
        members_seconds = time.perf_counter() - members_started
        print()
        built = True
    # Planner statistics and (PostgreSQL) the visibility map, as autovacuum or `PRAGMA optimize` keep them in
    # production; without them PostgreSQL guesses one row per join and reads the heap for index-only COUNTs.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "networks": Network.objects.count(),
        "streets": AreaStreet.objects.count(),
        "members": Member.objects.count(),
        "memberships": Membership.objects.count(),
        "seconds": time.perf_counter() - started,
        "members_seconds": members_seconds,
        "built": built,
    }


def _progress(planned: int):
    started = time.perf_counter()

    def progress(done: int, _planned: int) -> None:
        rate = done / max(time.perf_counter() - started, 1e-9)
        print(f"\r  {done:,} of about {planned:,} memberships ({rate:,.0f}/s)", end="", flush=True)

    return progress


class _without_secondary_indexes:
    """SQLite only: drop the tables' secondary indexes while the bulk of the rows goes in, and build them again after
    (one sort per index instead of two million scattered inserts into each). The benchmark's own database only."""

    def __init__(self, models):
        from django.db import connection

        self.connection = connection
        self.tables = [model._meta.db_table for model in models]
        self.indexes: list[str] = []

    def __enter__(self):
        if self.connection.vendor != "sqlite":
            return self
        with self.connection.cursor() as cursor:
            for table in self.tables:
                cursor.execute(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                    [table],
                )
                for name, sql in cursor.fetchall():
                    self.indexes.append(sql)
                    cursor.execute(f'DROP INDEX "{name}"')
        return self

    def __exit__(self, *exc):
        if self.indexes:
            print("\n  building the indexes again …", end="", flush=True)
            with self.connection.cursor() as cursor:
                for sql in self.indexes:
                    cursor.execute(sql)
        return False


def _bench_user(email: str, role: str, scope=None):
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import RoleAssignment, User
    from core.testing.personas import enrol_totp

    user = User.objects.filter(email=email).first()
    if user is None:
        password = "bench-password-not-secret"  # noqa: S105 - a local benchmark account
        user = User.objects.create_user(email=email, password=password, first_name="Bench")
        RoleAssignment.objects.create(
            user=user,
            role=role,
            scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
            scope_id=scope.pk if scope is not None else None,
            granted_at=timezone.now(),
        )
        enrol_totp(user)
    token, _created = Token.objects.get_or_create(user=user)
    return user, token.key


# --- measuring ------------------------------------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def _timed(function, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


class _Capture:
    """Records the SQL statements (with their parameters) that a block of code sends."""

    def __init__(self):
        self.statements: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, params))
        return execute(sql, params, many, context)


def bench_list_api(requests: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from core.roles import Role
    from geography.models import PoliceZone, Province

    province = Province.objects.get(refnis="10000")  # Antwerp: the largest share of networks
    zone = PoliceZone.objects.current().get(code=5345)
    cases = [
        ("ADVP", *_bench_user("bench.advp@example.org", Role.ADVP), f"/api/v1/networks/?province={province.pk}"),
        (
            "zone officer",
            *_bench_user("bench.officer@example.org", Role.ZONE_OFFICER, zone),
            "/api/v1/networks/?status=active",
        ),
    ]
    results = []
    for label, _user, token, url in cases:
        client = Client(HTTP_AUTHORIZATION=f"Token {token}")

        def page(client=client, url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]
            return response

        body = page().json()
        assert len(body["results"]) == 50, body.get("count")
        capture = _Capture()
        with connection.execute_wrapper(capture):
            page()
        # The baseline is the page's own data access run raw: its SELECT (same filter, joins, columns, ORDER BY and
        # LIMIT) plus the COUNT(*) that pagination needs, as sent, through connection.cursor() — no ORM, no DRF.
        page_sql = [
            (sql, params)
            for sql, params in capture.statements
            if '"networks_network"' in sql and sql.lstrip().upper().startswith("SELECT")
        ]
        selects = [(sql, params) for sql, params in page_sql if "LIMIT 50" in sql.upper()]
        counts = [(sql, params) for sql, params in page_sql if sql.lstrip().upper().startswith("SELECT COUNT(")]
        assert selects and counts, [sql[:120] for sql, _params in capture.statements]
        baseline = (counts[0], selects[0])

        def raw_select(statements=baseline):
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    rows = cursor.fetchall()
            return rows

        def raw_all(statements=tuple(capture.statements)):
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    if sql.lstrip().upper().startswith("SELECT"):
                        cursor.fetchall()

        assert len(raw_select()) == 50
        api = _timed(page, requests, 20)
        raw = _timed(raw_select, requests, 20)
        raw_every = _timed(raw_all, requests, 20)
        results.append(
            {
                "label": f"list API page of 50 ({label}, {url.split('?', 1)[1]}, of {body['count']:,})",
                "queries": len(capture.statements),
                "api": api,
                "raw": raw,
                "raw_all": raw_every,
            }
        )
    return results


def _import_file(rows: int) -> bytes:
    """A template-shaped XLSX of `rows` new networks with 10 streets each, spread over the current municipalities."""
    from django.utils import translation

    from geography.models import Municipality, PostalCode
    from networks import spreadsheets
    from networks.services.importer import COLUMN_KEYS, column_headers

    municipalities = list(Municipality.objects.current().order_by("refnis"))
    codes: dict[int, list[str]] = {}
    for code, municipality_id in PostalCode.objects.order_by("code").values_list("code", "municipality_id"):
        codes.setdefault(municipality_id, []).append(code)
    municipalities = [m for m in municipalities if m.pk in codes]
    kinds = ["BIN", "BIN", "BIN", "BIN-Z", "PLP"]
    lines = []
    for index in range(rows):
        municipality = municipalities[index % len(municipalities)]
        postal = codes[municipality.pk]
        streets = " | ".join(
            f"Benchstraat {index}-{n};{postal[n % len(postal)]}" + (f";{n + 1};{n + 40}" if n % 3 == 0 else "")
            for n in range(STREETS)
        )
        values = {
            "name": f"BIN Bench {index}",
            "kind": kinds[index % len(kinds)],
            "status": "active" if index % 2 else "",
            "municipality": municipality.refnis,
            "founded_on": f"20{10 + index % 14:02d}-0{1 + index % 9}-1{index % 9}",
            "public_description": "Generated for the benchmark.",
            "public_email": f"bench{index}@example.org" if index % 3 == 0 else "",
            "streets": streets,
        }
        lines.append([values.get(key, "") for key in COLUMN_KEYS])
    with translation.override("nl"):
        return spreadsheets.write_xlsx(column_headers(), lines, sheet_name="Networks")


def bench_import(rows: int, runs: int) -> dict:
    import python_calamine
    from django.db import transaction

    from core.roles import Role
    from networks import spreadsheets
    from networks.services.importer import _write, import_validate

    data = _import_file(rows)
    user, _token = _bench_user("bench.advp@example.org", Role.ADVP)

    def calamine_read():
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        return workbook.get_sheet_by_index(0).to_python()

    assert len(calamine_read()) == rows + 1
    baseline = _timed(calamine_read, max(runs, 5), 1)
    phases: dict[str, list[float]] = {"read": [], "validate": [], "write": [], "total": []}
    created = 0
    for _ in range(runs):
        # networks_import() step by step (it validates, then writes in one transaction), each step timed.
        with transaction.atomic():
            start = time.perf_counter()
            _format, table = spreadsheets.read_spreadsheet(io.BytesIO(data), size=len(data))
            read_done = time.perf_counter()
            plan = import_validate(actor=user, table=table)
            validate_done = time.perf_counter()
            assert plan.is_valid, [(r.number, r.errors) for r in plan.rows if r.errors][:5]
            outcome = _write(actor=user, plan=plan, source="bench.xlsx")
            end = time.perf_counter()
            created = outcome.created
            transaction.set_rollback(True)  # the dataset stays as it was
        phases["read"].append(read_done - start)
        phases["validate"].append(validate_done - read_done)
        phases["write"].append(end - validate_done)
        phases["total"].append(end - start)
    return {"rows": rows, "bytes": len(data), "created": created, "baseline": baseline, **phases}


# --- the finder -----------------------------------------------------------------------------------------------------

FINDER_MIX = {"exact street": 40, "typo": 20, "abbreviation": 15, "unknown street": 15, "map click": 10}
_ABBREVIATIONS = [
    (re.compile(r"steenweg$"), "stwg"),
    (re.compile(r"straat$"), "str."),
    (re.compile(r"^Avenue "), "Av. "),
    (re.compile(r"^Boulevard "), "Bd "),
    (re.compile(r"^Chaussée "), "Ch. "),
    (re.compile(r"^Place "), "Pl. "),
]


def finder_queries() -> list[tuple[str, dict]]:
    """100 finder queries in the proportions of FINDER_MIX, drawn from the dataset with a fixed seed: streets of active
    networks typed exactly (half with a house number), with a typo (two letters swapped), abbreviated (str., stwg, av.,
    bd, ch., pl.), streets that no network holds, and clicks on the map at the centre of a municipality."""
    from members.selectors import _municipality_shapes
    from networks.choices import NetworkStatus
    from networks.models import AreaStreet, Network

    rng = random.Random(2026)
    streets = list(
        AreaStreet.objects.filter(network__status=NetworkStatus.ACTIVE)
        .order_by("id")
        .values_list("postal_code", "street", "number_from")
    )
    picked = rng.sample(streets, 2000)
    queries: list[tuple[str, dict]] = []

    def number(start):
        return {"number": str(start or rng.randint(1, 80))} if rng.random() < 0.5 else {}

    for code, street, start in picked[: FINDER_MIX["exact street"]]:
        queries.append(("exact street", {"postal_code": code, "street": street, **number(start)}))
    for code, street, start in [row for row in picked[100:] if len(row[1]) >= 8][: FINDER_MIX["typo"]]:
        at = rng.randint(2, len(street) - 3)
        typo = street[:at] + street[at + 1] + street[at] + street[at + 2 :]
        queries.append(("typo", {"postal_code": code, "street": typo, **number(start)}))
    abbreviated = []
    for code, street, _start in picked[300:]:
        for pattern, short in _ABBREVIATIONS:
            if pattern.search(street):
                abbreviated.append(("abbreviation", {"postal_code": code, "street": pattern.sub(short, street)}))
                break
    queries += abbreviated[: FINDER_MIX["abbreviation"]]
    for code, _street, _start in picked[1000 : 1000 + FINDER_MIX["unknown street"]]:
        queries.append(
            ("unknown street", {"postal_code": code, "street": rng.choice(["Nergensstraat", "Rue de Nulle Part"])})
        )
    centres = _municipality_shapes().centroid
    towns = sorted(set(Network.objects.filter(status=NetworkStatus.ACTIVE).values_list("municipality_id", flat=True)))
    for municipality_id in rng.sample([pk for pk in towns if pk in centres], FINDER_MIX["map click"]):
        lon, lat = centres[municipality_id]
        queries.append(("map click", {"lat": f"{lat:.5f}", "lon": f"{lon:.5f}"}))
    rng.shuffle(queries)
    return queries


def bench_finder(requests: int, queries: list[tuple[str, dict]]) -> dict:
    """The finder API in-process (Django's test client, anonymous, warm) over the query mix — beside the candidate
    streets query of each address query run raw through connection.cursor(), and beside every statement of each
    request replayed raw."""
    from django.db import connection
    from django.test import Client

    from members import selectors

    client = Client()
    bodies = {}
    captured: list[list[tuple[str, tuple]]] = []
    for kind, query in queries:  # warm: the boundaries, the compiled street query, the memo of street keys
        response = client.get("/api/v1/finder/", query)
        assert response.status_code == 200, (query, response.content[:300])
        bodies.setdefault(kind, []).append(bool(response.json()["networks"]))
        selectors.forget_reads()
        capture = _Capture()
        with connection.execute_wrapper(capture):
            client.get("/api/v1/finder/", query)
        captured.append(capture.statements)

    def run(cold: bool) -> tuple[dict[str, list[float]], list[float]]:
        times: dict[str, list[float]] = {kind: [] for kind in FINDER_MIX}
        every: list[float] = []
        for index in range(requests):
            kind, query = queries[index % len(queries)]
            if cold:
                selectors.forget_reads()
            start = time.perf_counter()
            client.get("/api/v1/finder/", query)
            elapsed = time.perf_counter() - start
            times[kind].append(elapsed)
            every.append(elapsed)
        return times, every

    cold_times, cold = run(cold=True)
    for _kind, query in queries:
        client.get("/api/v1/finder/", query)
    times, every = run(cold=False)

    _vendor, street_sql, street_params = selectors._street_query
    addresses = [query["postal_code"] for kind, query in queries if "postal_code" in query]

    def raw_streets(index=[0]):  # noqa: B006 - a counter across calls: each call runs the next postal code
        code = addresses[index[0] % len(addresses)]
        index[0] += 1
        with connection.cursor() as cursor:
            cursor.execute(street_sql, [code if param == selectors._PROBE else param for param in street_params])
            return cursor.fetchall()

    def raw_all(index=[0]):  # noqa: B006
        statements = captured[index[0] % len(captured)]
        index[0] += 1
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                if sql.lstrip().upper().startswith("SELECT"):
                    cursor.fetchall()

    return {
        "queries": len(queries),
        "times": times,
        "all": every,
        "cold_times": cold_times,
        "cold": cold,
        "raw": _timed(raw_streets, requests, 20),
        "raw_all": _timed(raw_all, requests, 20),
        "found": {kind: sum(found) / len(found) for kind, found in bodies.items()},
        "statements": statistics.mean(len(statements) for statements in captured),
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 5) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback, our own server
        response.read()
        return response.status


WRK_SCRIPT = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i %% #paths + 1
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d "
    .. "p50=%%d p95=%%d p99=%%d\\n", summary.requests, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def _wrk(base: str, paths: list[str], seconds: int, threads: int, connections: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": ", ".join(f'"{path}"' for path in paths)})
    try:
        result = subprocess.run(  # noqa: S603 - our own arguments
            [
                shutil.which("wrk"),
                f"-t{threads}",
                f"-c{connections}",
                f"-d{seconds}s",
                "--latency",
                "-s",
                script.name,
                base,
            ],
            capture_output=True,
            text=True,
            timeout=seconds + 60,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(line for line in result.stdout.splitlines() if line.startswith("BENCH "))
    values = {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}
    values["errors"] = sum(values[key] for key in ("connect", "read", "write", "status", "timeout"))
    values["rps"] = values["requests"] / (values["duration_us"] / 1e6)
    return values


def bench_finder_http(url: str, queries: list[tuple[str, dict]], seconds: int, connections: int) -> dict | None:
    """The finder through the HTTP server: gunicorn with 2 sync workers on loopback, the benchmark settings (DEBUG
    off, throttling off) and persistent database connections (DATABASE_CONN_MAX_AGE=600, as a deployment sets it),
    loaded by wrk rotating through the query mix — beside the same wrk against a trivial API view of the same
    server (bench/urls.py: the middleware, DRF and JSON rendering alone)."""
    if shutil.which("wrk") is None:
        print(
            "wrk is not installed: the HTTP load test is skipped (Debian: apt-get install wrk; `make bench` does it)."
        )
        return None
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "600",
    }
    log = open(ROOT / "var" / "bench-gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(  # noqa: S603 - our own arguments
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=log,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if _get(f"{base}/bench/ping/", timeout=2) == 200:
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start: see {log.name}") from None
                time.sleep(0.3)
        paths = [f"/api/v1/finder/?{urlencode(query)}" for _kind, query in queries]
        for path in paths * 2:  # both workers warm (boundaries, compiled query, memo)
            assert _get(base + path, timeout=30) == 200, path
        load = os.getloadavg()[0]
        finder = _wrk(base, paths, seconds, 2, connections)
        ping = _wrk(base, ["/bench/ping/"], seconds, 2, connections)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    return {"finder": finder, "ping": ping, "seconds": seconds, "connections": connections, "load": load}


# --- the member list ------------------------------------------------------------------------------------------------


def bench_member_list(requests: int) -> list[dict]:
    """The coordinator's member list page (/members/networks/<code>/, a page of 50, filtered), in-process through the
    test client as a signed-in coordinator of the network with the most members (TOTP enrolled: the MFA gate lets
    them through) — beside the page's member query (its COUNT(*) for pagination and its SELECT … LIMIT 50) run raw,
    and beside every statement of the request replayed raw."""
    from collections import Counter

    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from core.roles import Role
    from members.filters import MemberFilterSet
    from members.manage_selectors import member_list
    from members.models import Membership
    from networks.models import Network

    top = (
        Membership.objects.values("network_id")
        .annotate(n=Count("id"))
        .order_by("-n", "network_id")
        .values_list("network_id", "n")
        .first()
    )
    network = Network.objects.get(pk=top[0])
    user, _token = _bench_user(f"bench.coordinator.{network.code.lower()}@example.org", Role.COORDINATOR, network)
    names = Counter(
        Membership.objects.filter(network=network, status="active", member__by_sms=True).values_list(
            "member__user__last_name", flat=True
        )
    )
    term = names.most_common(1)[0][0][:5].lower()
    client = Client()
    client.force_login(user)
    base = f"/members/networks/{network.code}/"
    # The whole page (opened or reloaded: with the counts and the growth chart), and the table alone as the filter
    # form asks for it (HTMX).
    cases = [
        ("page: active, by SMS", {"status": "active", "channel": "sms"}, {}),
        (f"page: active, by SMS, “{term}”", {"status": "active", "channel": "sms", "q": term}, {}),
        ("HTMX table: active, by SMS", {"status": "active", "channel": "sms"}, {"HTTP_HX_REQUEST": "true"}),
        (
            f"HTMX table: active, SMS, “{term}”",
            {"status": "active", "channel": "sms", "q": term},
            {"HTTP_HX_REQUEST": "true"},
        ),
    ]
    results = []
    for label, query, headers in cases:

        def page(query=query, headers=headers):
            response = client.get(base, query, **headers)
            assert response.status_code == 200, (response.status_code, response.content[:300])
            return response

        page()
        total = MemberFilterSet(query, queryset=member_list(user=user, network=network)).qs.count()
        shown = min(total, 50)
        capture = _Capture()
        with connection.execute_wrapper(capture):
            page()
        member_sql = [
            (sql, params)
            for sql, params in capture.statements
            if '"members_membership"' in sql and sql.lstrip().upper().startswith("SELECT")
        ]
        selects = [(sql, params) for sql, params in member_sql if "LIMIT" in sql.upper() and "COUNT(" not in sql]
        counts = [(sql, params) for sql, params in member_sql if sql.lstrip().upper().startswith("SELECT COUNT(")]
        assert selects and counts, [sql[:120] for sql, _params in capture.statements]
        baseline = (counts[0], selects[0])

        def raw_page(statements=baseline):
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()

        def raw_all(statements=tuple(capture.statements)):
            # The statements as sent, reads only (the page also writes its audit row, which raw replay would repeat).
            with connection.cursor() as cursor:
                for sql, params in statements:
                    if sql.lstrip().upper().startswith("SELECT"):
                        cursor.execute(sql, params)
                        cursor.fetchall()

        results.append(
            {
                "label": f"member list {label} ({shown} of {total:,})",
                "queries": len(capture.statements),
                "network": network.code,
                "size": top[1],
                "api": _timed(page, requests, 10),
                "raw": _timed(raw_page, requests, 10),
                "raw_all": _timed(raw_all, requests, 10),
            }
        )

    # The counts and growth chart, which the list page loads after it shows (HTMX): beside its reads replayed raw.
    figures_url = f"/members/networks/{network.code}/figures/"

    def figures():
        response = client.get(figures_url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200, (response.status_code, response.content[:300])

    figures()
    capture = _Capture()
    with connection.execute_wrapper(capture):
        figures()

    def figures_raw(statements=tuple(capture.statements)):
        with connection.cursor() as cursor:
            for sql, params in statements:
                if sql.lstrip().upper().startswith("SELECT"):
                    cursor.execute(sql, params)
                    cursor.fetchall()

    raw_timings = _timed(figures_raw, requests, 10)
    results.append(
        {
            "label": "member list's counts + growth chart (HTMX, loaded after)",
            "queries": len(capture.statements),
            "network": network.code,
            "size": top[1],
            "api": _timed(figures, requests, 10),
            "raw": raw_timings,
            "raw_all": raw_timings,
        }
    )
    return results


def _report_members(rows: list[dict]) -> bool:
    ok = True
    for row in rows:
        ours50, ours95 = statistics.median(row["api"]), _percentile(row["api"], 0.95)
        raw50, raw95 = statistics.median(row["raw"]), _percentile(row["raw"], 0.95)
        all50, all95 = statistics.median(row["raw_all"]), _percentile(row["raw_all"], 0.95)
        met = ours95 < 0.050
        ok &= met
        print(
            f"{row['label']:<62} {_ms(ours50):>11} {_ms(ours95):>11} {_ms(raw50):>11} {_ms(raw95):>11} "
            f"{ours95 / raw95:>6.1f}×  p95 < 50 ms: {'met' if met else 'NOT MET'}"
        )
        print(
            f"{'  … beside all of its ' + str(row['queries']) + ' SQL statements replayed raw (reads)':<62} {'':>11} "
            f"{'':>11} {_ms(all50):>11} {_ms(all95):>11} {ours95 / all95:>6.1f}×"
        )
    print(
        f"    (member list: {rows[0]['network']}, the network with the most memberships ({rows[0]['size']:,}), as its "
        "coordinator; base = the page's COUNT(*) of the filtered memberships + its SELECT … LIMIT 50 with member and "
        "account, run raw via connection.cursor())"
    )
    return ok


# --- report ---------------------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def report(
    database: str,
    dataset: dict,
    lists: list[dict],
    imported: dict | None,
    finder: dict | None = None,
    http: dict | None = None,
    members: list[dict] | None = None,
) -> bool:
    ok = True
    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"binplp benchmarks — {database}; {dataset['networks']:,} networks, {dataset['streets']:,} streets, "
        f"{dataset['members']:,} members ({dataset['memberships']:,} memberships)"
    )
    print(f"machine: {os.cpu_count()} CPUs, load average {load} (figures are noisy when the load exceeds the CPUs)")
    print()
    header = (
        f"{'hot path':<62} {'ours p50':>11} {'ours p95':>11} {'base p50':>11} {'base p95':>11} {'ratio':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for row in lists:
        api50, api95 = statistics.median(row["api"]), _percentile(row["api"], 0.95)
        raw50, raw95 = statistics.median(row["raw"]), _percentile(row["raw"], 0.95)
        all50, all95 = statistics.median(row["raw_all"]), _percentile(row["raw_all"], 0.95)
        ratio, ratio_all = api95 / raw95, api95 / all95
        met = api95 < 0.050 and ratio <= 3
        ok &= met
        print(
            f"{row['label']:<62} {_ms(api50):>11} {_ms(api95):>11} {_ms(raw50):>11} {_ms(raw95):>11} "
            f"{ratio:>6.1f}×  p95 < 50 ms, ≤ 3× raw COUNT+SELECT: {'met' if met else 'NOT MET'}"
        )
        print(
            f"{'  … beside all of its ' + str(row['queries']) + ' SQL statements replayed raw':<62} {'':>11} {'':>11} "
            f"{_ms(all50):>11} {_ms(all95):>11} {ratio_all:>6.1f}×"
        )
    if lists:
        print(
            "    (list base = the page's COUNT(*) for pagination + its SELECT … LIMIT 50, same filter, joins and "
            "columns, run raw via connection.cursor())"
        )
    if finder:
        ok &= _report_finder(finder)
    if members:
        ok &= _report_members(members)
    if imported:
        base = statistics.median(imported["baseline"])
        total = statistics.median(imported["total"])
        read = statistics.median(imported["read"])
        validate = statistics.median(imported["validate"])
        label = f"import {imported['rows']:,}-row XLSX ({imported['bytes'] / 1e6:.1f} MB), read+check+write"
        ratio = total / base
        met = ratio <= 3
        ok &= met
        print(
            f"{label:<62} {_s(total):>11} {'':>11} {_s(base):>11} {'':>11} {ratio:>6.1f}×  "
            f"≤ 3× calamine read: {'met' if met else 'NOT MET'}"
        )
        print(
            f"{'  … of which file checks + reading (ours)':<62} {_s(read):>11} {'':>11} {_s(base):>11} {'':>11} "
            f"{read / base:>6.1f}×"
        )
        print(
            f"{'  … validation against the register (the preview)':<62} {_s(validate):>11} {'':>11} "
            f"{_s(base):>11} {'':>11} {validate / base:>6.1f}×"
        )
        write = statistics.median(imported["write"])
        print(f"{'  … writing in one transaction (the commit)':<62} {_s(write):>11}")
        print(
            f"    ({imported['created']:,} networks and {imported['created'] * STREETS:,} streets written per run, "
            f"rolled back; baseline = python-calamine to_python() of the same file)"
        )
    if http:
        ok &= _report_http(http)
    print()
    return ok


def _report_finder(finder: dict) -> bool:
    raw50, raw95 = statistics.median(finder["raw"]), _percentile(finder["raw"], 0.95)
    all50, all95 = statistics.median(finder["raw_all"]), _percentile(finder["raw_all"], 0.95)
    met = True
    for label, every, times in (
        ("database read each time", finder["cold"], finder["cold_times"]),
        ("reads kept (database unchanged)", finder["all"], finder["times"]),
    ):
        ours50, ours95 = statistics.median(every), _percentile(every, 0.95)
        met &= ours95 < 0.020
        label = f"finder API, {finder['queries']}-query mix, {label}"
        print(
            f"{label:<62} {_ms(ours50):>11} {_ms(ours95):>11} {_ms(raw50):>11} {_ms(raw95):>11} "
            f"{ours95 / raw95:>6.1f}×  p95 < 20 ms: {'met' if ours95 < 0.020 else 'NOT MET'}"
        )
        for kind, rows in times.items():
            if rows:
                found = finder["found"].get(kind, 0)
                print(
                    f"{'  … ' + kind + f' ({FINDER_MIX[kind]}%, {found:.0%} found a network)':<62} "
                    f"{_ms(statistics.median(rows)):>11} {_ms(_percentile(rows, 0.95)):>11}"
                )
    cold95 = _percentile(finder["cold"], 0.95)
    label = f"  … beside all its SQL statements replayed raw ({finder['statements']:.1f} a request)"
    print(f"{label:<62} {'':>11} {'':>11} {_ms(all50):>11} {_ms(all95):>11} {cold95 / all95:>6.1f}×  (reading)")
    print(
        "    (finder: in-process, anonymous, warm; base = the candidate streets query — the active networks' streets "
        "of the postal code — of each address query, run raw via connection.cursor(); map clicks have none. Kept "
        "reads: SQLite only, per process, dropped whenever the database changes)"
    )
    return met


def _report_http(http: dict) -> bool:
    finder, ping = http["finder"], http["ping"]
    met = finder["rps"] >= 300 and finder["errors"] == 0
    print()
    print(
        f"HTTP load: gunicorn, 2 sync workers, loopback; wrk 2 threads × {http['connections']} connections, "
        f"{http['seconds']} s each (load average {http['load']:.1f} before)"
    )
    header = f"{'endpoint':<62} {'req/s':>9} {'p50':>10} {'p95':>10} {'p99':>10} {'errors':>7}  target"
    print(header)
    print("-" * len(header))
    for label, row, target in (
        ("finder API, the query mix", finder, f"≥ 300 req/s, no errors: {'met' if met else 'NOT MET'}"),
        (
            "  baseline: a trivial API view of the same server",
            ping,
            f"finder = {finder['rps'] / ping['rps']:.0%} of it",
        ),
    ):
        print(
            f"{label:<62} {row['rps']:>9,.0f} {_ms(row['p50'] / 1e6):>10} {_ms(row['p95'] / 1e6):>10} "
            f"{_ms(row['p99'] / 1e6):>10} {row['errors']:>7}  {target}"
        )
    print(
        "    (bench settings: DEBUG off, API throttling OFF for the load run — the finder's 60/min anonymous limit "
        "would refuse it; persistent DB connections; the trivial view = same middleware + DRF + JSON, no database)"
    )
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again from scratch")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per list case")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--finder-requests", type=int, default=1000, help="timed in-process finder requests")
    parser.add_argument("--skip-finder", action="store_true")
    parser.add_argument("--http-seconds", type=int, default=15, help="length of each wrk run")
    parser.add_argument("--http-connections", type=int, default=4, help="wrk connections (2 threads)")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-members", action="store_true", help="skip the member list benchmark")
    parser.add_argument("--skip-practices", action="store_true", help="skip the good practices search benchmark")
    parser.add_argument("--skip-messaging", action="store_true", help="skip the outbox benchmark (alert to 100,000)")
    parser.add_argument("--messaging-recipients", type=int, default=100_000)
    parser.add_argument("--skip-training", action="store_true", help="skip the training coverage benchmark")
    parser.add_argument("--skip-dashboard", action="store_true", help="skip the dashboards and annual report benchmark")
    args = parser.parse_args(argv)

    url = _database_url()
    _setup(url, args.rebuild)
    from django.db import connection

    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    dataset = build_dataset()
    if dataset["built"]:
        print(f"Dataset built in {dataset['seconds']:.0f} s.")
        if dataset["members_seconds"]:
            print(f"  of which the {dataset['members']:,} members: {dataset['members_seconds']:.0f} s.")
    lists = bench_list_api(args.requests)
    imported = None if args.skip_import else bench_import(args.import_rows, args.import_runs)
    queries = finder_queries() if not (args.skip_finder and args.skip_http) else []
    finder = None if args.skip_finder else bench_finder(args.finder_requests, queries)
    members = None if args.skip_members else bench_member_list(args.requests)
    http = None if args.skip_http else bench_finder_http(url, queries, args.http_seconds, args.http_connections)
    met = report(database, dataset, lists, imported, finder, http, members)
    if not args.skip_practices:  # bench/practices.py: 10,000 good practices, search p95 < 50 ms
        from bench.practices import bench_practices, build_practices, report_practices

        practices_dataset = build_practices()
        met &= report_practices(bench_practices(args.requests), practices_dataset)
    if not args.skip_messaging:  # bench/messaging.py: fan-out and hand-over of an alert to 100,000 members
        from bench.messaging import bench_messaging, report_messaging

        met &= report_messaging(bench_messaging(args.messaging_recipients))
    if not args.skip_training:  # bench/training.py: coverage of 15,000 networks' mandated officers by the BIN course
        from bench.training import bench_training, build_training, report_training

        training_dataset = build_training()
        if training_dataset["built"]:
            print(f"Training dataset built in {training_dataset['seconds']:.1f} s.")
        met &= report_training(bench_training(args.requests), training_dataset)
    if not args.skip_dashboard:  # bench/dashboard.py: the dashboards and the annual report at 1,000,000 deliveries
        from bench.dashboard import bench_dashboard, build_dashboard, report_dashboard
        from bench.training import build_training

        build_training()  # the trained-officer figure needs the officers and certificates
        dashboard_dataset = build_dashboard()
        if dashboard_dataset["built"]:
            print(f"Dashboard dataset built in {dashboard_dataset['seconds']:.1f} s.")
        met &= report_dashboard(bench_dashboard(args.requests), dashboard_dataset)
    print("All targets met." if met else "Some targets are not met (see the table).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
