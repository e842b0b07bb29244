"""Benchmark of the good practices library search (issue 8): 10,000 published practices, p95 < 50 ms in-process.

The practices come from the demo generator (practices/demo.py `generate_practices`: recombined from the corpus in
nl/fr/de, 1–4 themes, a kind, a region; about 12% with a translation), written once into the bench database and
reused (topped up when short), then indexed with `search_index_rebuild()` when the index is short.

For a mix of queries (one word, two words, a word with an accent typed without it, filters only, a query with
filters) it times, in-process and warm: the selector alone (`practice_search`), the API (/api/v1/practices/) and
the htmx results of the page (/practices/) through Django's test client, anonymous — beside the search's own
query run raw through `connection.cursor()` (the FTS MATCH with its ranking; for filters only, the page's GROUP BY
… LIMIT 20), and beside every statement of the request replayed raw.

Standalone: .venv/bin/python bench/practices.py [--requests 100] (same database as bench/run.py); run.py calls
`bench_practices()` and `report_practices()` unless --skip-practices.
"""

from __future__ import annotations

# ruff: noqa: S608 - SQL is built from constants (the index table's name); every value is a parameter.
import statistics
import sys
import time
from pathlib import Path

PRACTICES = 10_000
CASES = (
    ("one word", {"q": "inbraak"}),
    ("one word (fr)", {"q": "cambriolage"}),
    ("two words", {"q": "sticker brievenbus"}),
    ("two words (fr)", {"q": "réunion voisins"}),
    ("accent typed without it", {"q": "securite"}),
    ("filters only", {"theme": "burglary", "language": "fr"}),
    ("query + filters", {"q": "senioren", "theme": "elderly", "kind": "residential"}),
)


def build_practices() -> dict:
    """10,000 published generated practices in the bench database (reused when present) and their index."""
    from django.db import connection

    from practices.choices import PracticeStatus
    from practices.demo import generate_practices
    from practices.models import Practice
    from practices.search import TABLE, search_index_rebuild

    started = time.perf_counter()
    published = Practice.objects.filter(status=PracticeStatus.PUBLISHED).count()
    built = False
    if published < PRACTICES * 0.99:
        print(f"Building the dataset: {PRACTICES - published:,} good practices …", flush=True)
        generate_practices(PRACTICES - published, seed=2026 + published)
        published = Practice.objects.filter(status=PracticeStatus.PUBLISHED).count()
        built = True
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {TABLE}")
        indexed = cursor.fetchone()[0]
    if indexed != published:
        print("  indexing them for search …", flush=True)
        from django.db import transaction

        with transaction.atomic():
            indexed = search_index_rebuild()
        built = True
    return {"practices": published, "indexed": indexed, "built": built, "seconds": time.perf_counter() - started}


def bench_practices(requests: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from bench.run import _Capture, _timed
    from practices.filters import PracticeSearchForm
    from practices.search import TABLE, matching_ids_sql, query_terms
    from practices.search_selectors import practice_search

    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    results = []
    for label, params in CASES:
        from django.http import QueryDict

        query = QueryDict(mutable=True)
        for key, value in params.items():
            query[key] = value
        arguments = PracticeSearchForm(query).search_arguments()

        def selector(arguments=arguments):
            page, facets = practice_search(user=None, language="nl", **arguments)
            return page

        def api(params=params):
            response = client.get("/api/v1/practices/", params)
            assert response.status_code == 200, response.content[:300]
            return response

        def page(params=params):
            response = client.get("/practices/", params, HTTP_HX_REQUEST="true")
            assert response.status_code == 200, response.content[:300]
            return response

        count = api().json()["count"]
        page()
        capture = _Capture()
        with connection.execute_wrapper(capture):
            api()
        if params.get("q"):
            sql, match_params = matching_ids_sql(params["q"])
            terms = query_terms(params["q"])
            assert terms
            # The search's own statement: the MATCH with its ranking, all matches, best first.
            if connection.vendor == "sqlite":
                base_sql = (
                    f"SELECT rowid, bm25({TABLE}, 10.0, 1.0, 0.0) AS score FROM {TABLE} WHERE {TABLE} MATCH %s "
                    "ORDER BY score"
                )
            else:
                base_sql = (
                    f"SELECT practice_id, ts_rank_cd(document, query) AS score FROM {TABLE}, "
                    "to_tsquery('simple', %s) AS query WHERE document @@ query ORDER BY score DESC"
                )
            baseline = [(base_sql, match_params)]
        else:
            baseline = [_filters_page_sql(params)]

        def raw(statements=tuple(baseline)):
            with connection.cursor() as cursor:
                for sql, sql_params in statements:
                    cursor.execute(sql, sql_params)
                    cursor.fetchall()

        def raw_all(statements=tuple(capture.statements)):
            with connection.cursor() as cursor:
                for sql, sql_params in statements:
                    if sql.lstrip().upper().startswith("SELECT"):
                        cursor.execute(sql, sql_params)
                        cursor.fetchall()

        results.append(
            {
                "label": f"{label}: {', '.join(f'{k}={v}' for k, v in params.items())} ({count:,} found)",
                "queries": len(capture.statements),
                "selector": _timed(selector, requests, 5),
                "api": _timed(api, requests, 5),
                "page": _timed(page, requests, 5),
                "raw": _timed(raw, requests, 5),
                "raw_all": _timed(raw_all, requests, 5),
            }
        )
    return results


def _filters_page_sql(params: dict) -> tuple[str, list]:
    """The first page of a filter-only search written by hand: the newest 20 groups of published practices with
    the chosen theme and language (the statement the page sent before the library's bitmaps)."""
    conditions, values = ["p.status = %s"], ["published"]
    if params.get("theme"):
        conditions.append(
            "p.id IN (SELECT t.practice_id FROM practices_practicetag t WHERE t.facet = %s AND t.value = %s)"
        )
        values += ["theme", params["theme"]]
    if params.get("language"):
        conditions.append("p.language = %s")
        values.append(params["language"])
    sql = (
        "SELECT COALESCE(p.original_id, p.id) AS g, MAX(p.published_at) AS latest FROM practices_practice p "
        f"WHERE {' AND '.join(conditions)} GROUP BY g ORDER BY latest DESC, g DESC LIMIT 20"  # noqa: S608
    )
    return sql, values


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def report_practices(rows: list[dict], dataset: dict | None = None) -> bool:
    """Print the table; True when every API and page p95 is under 50 ms."""
    ok = True
    print()
    if dataset:
        print(f"good practices search — {dataset['practices']:,} published practices, {dataset['indexed']:,} indexed")
    header = f"{'search case':<72} {'p50':>9} {'p95':>9}  target"
    print(header)
    print("-" * len(header))
    for row in rows:
        print(row["label"])
        base95 = _p(row["raw"], 0.95)
        for name in ("selector", "api", "page"):
            times = row[name]
            p50, p95 = statistics.median(times), _p(times, 0.95)
            target = ""
            if name != "selector":
                met = p95 < 0.050
                ok &= met
                target = f"p95 < 50 ms: {'met' if met else 'NOT MET'}  ({p95 / base95:.1f}× base)"
            what = {
                "selector": "practice_search() selector",
                "api": f"API /api/v1/practices/ ({row['queries']} queries)",
                "page": "page /practices/ (htmx results)",
            }[name]
            print(f"{'  ' + what:<72} {_ms(p50):>9} {_ms(p95):>9}  {target}")
        print(
            f"{'  base: the search statement alone, raw':<72} {_ms(statistics.median(row['raw'])):>9} {_ms(base95):>9}"
        )
        print(
            f"{'  base: all the API statements replayed raw':<72} {_ms(statistics.median(row['raw_all'])):>9} "
            f"{_ms(_p(row['raw_all'], 0.95)):>9}"
        )
    print(
        "    (in-process, anonymous, warm, reader nl; base = the FTS MATCH with its ranking over all matches — or, for "
        "filters only, the newest 20 groups with those filters (one GROUP BY … LIMIT 20) — run raw via "
        "connection.cursor())"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    import argparse

    # Run as a script: the project root first, so that "practices" is the app and "bench" the package.
    root = str(Path(__file__).resolve().parent.parent)
    sys.path[:] = [root, *(entry for entry in sys.path if Path(entry).resolve() != Path(root) / "bench")]
    from bench.run import _database_url, _setup

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv)
    _setup(_database_url(), args.rebuild)
    from django.core.management import call_command

    from geography.models import PoliceZone
    from geography.services import reference_data_load

    call_command("migrate", verbosity=0, interactive=False)
    if not PoliceZone.objects.exists():
        reference_data_load(actor=None)
    dataset = build_practices()
    if dataset["built"]:
        print(f"Practices ready in {dataset['seconds']:.0f} s.")
    met = report_practices(bench_practices(args.requests), dataset)
    print("All targets met." if met else "Some targets are not met (see the table).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
