"""`make bench`: the hot paths of the networks register, each beside a baseline measured in the same run on the
same data, so that the ratio holds on a noisy machine (DESIGN §6 "Measured, not assumed").

It builds its own dataset in its own database (15,000 networks with 10 streets each, from the demo generator at
scale): SQLite `var/bench.sqlite3` by default, or the PostgreSQL database named by BENCH_DATABASE_URL (or by
DATABASE_URL when its name contains "bench"), created when missing. A database already holding the dataset is
reused; `--rebuild` starts again.

1. The network list API page (50 networks, filtered by province), in-process through Django's test client with a
   token, warm: p50 and p95 — beside the same page's data access run raw through `connection.cursor()`: its SELECT
   (same filter, joins, columns, order and LIMIT) plus the COUNT(*) its pagination needs. A second line replays every
   statement of the request (token and role look-ups too).
2. The import of a generated 10,000-row XLSX (10 streets each) through the importer (file checks, reading,
   validation against the register, writing in one transaction, rolled back afterwards) — beside reading the same
   file with python-calamine alone.

Usage: .venv/bin/python bench/run.py [--rebuild] [--requests 200] [--import-rows 10000] [--import-runs 3]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORKS, STREETS = 15_000, 10
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

    from geography.models import PoliceZone
    from geography.services import reference_data_load
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
    # Planner statistics and (PostgreSQL) the visibility map, as autovacuum or `PRAGMA optimize` keep them in
    # production; without them PostgreSQL guesses one row per join and reads the heap for index-only COUNTs.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "networks": Network.objects.count(),
        "streets": AreaStreet.objects.count(),
        "seconds": time.perf_counter() - started,
        "built": built,
    }


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


# --- report ---------------------------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def report(database: str, dataset: dict, lists: list[dict], imported: dict | None) -> bool:
    ok = True
    print()
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"binplp benchmarks — {database}; {dataset['networks']:,} networks, {dataset['streets']:,} streets")
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
    print()
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="build the dataset again from scratch")
    parser.add_argument("--requests", type=int, default=200, help="timed requests per list case")
    parser.add_argument("--import-rows", type=int, default=10_000)
    parser.add_argument("--import-runs", type=int, default=3)
    parser.add_argument("--skip-import", action="store_true")
    args = parser.parse_args(argv)

    url = _database_url()
    _setup(url, args.rebuild)
    from django.db import connection

    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    dataset = build_dataset()
    if dataset["built"]:
        print(f"Dataset built in {dataset['seconds']:.0f} s.")
    lists = bench_list_api(args.requests)
    imported = None if args.skip_import else bench_import(args.import_rows, args.import_runs)
    met = report(database, dataset, lists, imported)
    print("All targets met." if met else "Some targets are not met (see the table).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
