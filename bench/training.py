"""Benchmark of the training coverage (issue 7) at design scale: how many of the 15,000 networks' mandated officers
hold a valid BIN course certificate, for ADVP (the country) and for the mandated officer of the largest zone.

The dataset, written once into the bench database beside the networks and reused (zones without it are topped up):
- mandated officers as `networks.Partner` rows shared the way zones share them: each police zone has about one
  officer per 8–12 of its networks, each network gets one of them (15% a second one, 3% none; every zone keeps at
  least one), 5% of the networks also keep a former officer (ended role). A quarter of the officers have a platform
  account (then the person is the account); e-mail addresses are unique per person. The networks demo's name-only
  officers (a different person for every network) are replaced;
- the BIN course with a retired version (certificates valid 2 years) and the current one (5 years), one closed
  session per academy per calendar quarter over the last 3 years (version 1 for the first two quarters);
- trainees, enrolments (attended, passed or failed; some absent) and certificates for about 55% of the officers
  (those of the first quarters expired, half of them taken again since; 3% revoked), found by the account or by the
  e-mail address written in another case, and other police staff who are not officers (about 1.5 per officer).

Measured in-process and warm through Django's test client, as an ADVP user (national) and as the mandated officer of
the largest zone: the coverage page (/training/coverage/, whole, then filtered by a province) and the API
(/api/v1/training/coverage/), p50/p95 over --requests, plus one cold request (cache cleared: the chart is cached;
the URL's first request in the process) — and the selectors alone (coverage_summary, coverage_by_zone,
coverage_by_province, the first page of networks_without_trained_officer). Baseline in the same run: the national
summary, the figures by zone and by province, one handwritten SQL statement each run raw through
`connection.cursor()`; their figures must equal the selectors' (a mismatch stops the bench). Target: the national
coverage page p95 < 300 ms warm, < 3 s cold (the dashboards' target at design scale).

Standalone: .venv/bin/python bench/training.py [--requests 100] (same database as bench/run.py, which it builds when
missing); run.py calls `build_training()`, `bench_training()` and `report_training()` unless --skip-training.
"""

from __future__ import annotations

# ruff: noqa: S608 - the SQL is built from constants (grouping expressions, placeholders); every value is a parameter.
import datetime
import random
import statistics
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

SEED = 2027
DOMAIN = "bench-police.binplp.be"  # every person of this dataset has an address here: that is how it is recognised
COURSE_CODE = "bench-bin-course"
NETWORKS_PER_OFFICER = (8, 12)
SHARE_SECOND = 0.15  # networks with a second mandated officer
SHARE_NONE = 0.03  # networks with none
SHARE_FORMER = 0.05  # networks that also keep a former officer (role ended)
SHARE_ACCOUNT = 0.25  # officers with a platform account
SHARE_CERTIFIED = 0.55  # officers who passed the course
SHARE_FAILED = 0.10  # officers who took it and did not pass (absent or failed)
SHARE_REVOKED = 0.03  # of the certificates
STAFF_PER_OFFICER = 1.5  # trainees who are not mandated officers
QUARTERS = 12
# The academies teaching in the zone's language: Flemish ones for Dutch, Walloon ones for French and German, those of
# Brussels for the bilingual zones (by the REFNIS code of the academy's region).
ACADEMY_REGIONS = {"nl": "02000", "fr": "03000", "de": "03000", "nl+fr": "04000"}
FIRST = (  # noqa: SIM905 - a list of names reads better as text
    "Jan Tom Pieter Koen Els An Sofie Lies Wim Bart Marie Luc Nathalie Julie Pierre Sophie Olivier Claire Thomas "
    "Isabelle Kevin Sarah Stefan Anke Jonas Lotte Hanne Ruben Emma Lucas"
).split()
LAST = (  # noqa: SIM905
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters Desmedt Dubois Lambert Dupont Martin Simon "
    "Leroy Laurent Lefebvre Renard Lemaire Schmitz Hermans Michiels Desmet Vermeulen Declercq Pauwels Hendrickx "
    "Fontaine Collard"
).split()


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


@dataclass
class _Person:
    first: str
    last: str
    email: str
    account: bool
    user_id: int | None = None


# --- the dataset ----------------------------------------------------------------------------------------------------


def _marker():
    from django.db.models import Q

    return Q(email__iendswith=f"@{DOMAIN}") | Q(user__email__iendswith=f"@{DOMAIN}")


def _course():
    """The bench's course: version 1 retired (2 years of validity), version 2 current (5 years)."""
    from django.utils import timezone

    from training.choices import VersionStatus
    from training.models import Course, CourseVersion

    course, _created = Course.objects.get_or_create(
        code=COURSE_CODE, defaults={"title_nl": "BIN-opleiding (bench)", "title_fr": "Formation PLP (bench)"}
    )
    versions = {}
    for number, status, years in ((1, VersionStatus.RETIRED, 2), (2, VersionStatus.CURRENT, 5)):
        versions[number], _created = CourseVersion.objects.get_or_create(
            course=course,
            number=number,
            defaults={"status": status, "certificate_valid_years": years, "published_at": timezone.now()},
        )
    return course, versions


def _quarter_starts(today: datetime.date) -> list[datetime.date]:
    """The first days of the last QUARTERS calendar quarters before the current one, oldest first (fixed within a
    quarter, so that the sessions are found again by a later run)."""
    year, quarter = today.year, (today.month - 1) // 3
    starts = []
    for _ in range(QUARTERS):
        quarter -= 1
        if quarter < 0:
            year, quarter = year - 1, 3
        starts.append(datetime.date(year, quarter * 3 + 1, 1))
    return starts[::-1]


def _sessions(versions) -> dict[str, list[list]]:
    """One closed session per active academy per quarter (created when missing): {region REFNIS: [[(session, version
    validity years, end date) per academy] per quarter]}."""
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    from geography.models import Academy
    from training.choices import SessionStatus
    from training.models import Session

    brussels = ZoneInfo("Europe/Brussels")
    academies = list(Academy.objects.filter(is_active=True).select_related("region").order_by("code"))
    existing = {
        (s.academy_id, timezone.localtime(s.starts_at, brussels).date()): s
        for s in Session.objects.filter(version__in=list(versions.values()))
    }
    missing, plan = [], []
    for index, first_day in enumerate(_quarter_starts(timezone.localdate())):
        version = versions[1] if index < 2 else versions[2]
        for academy in academies:
            day = first_day + datetime.timedelta(days=40 + academies.index(academy) * 3)
            starts = datetime.datetime.combine(day, datetime.time(9), brussels)
            session = existing.get((academy.pk, day))
            if session is None:
                language = "nl" if academy.region.refnis == "02000" else "fr"
                session = Session(
                    version=version,
                    academy=academy,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(days=1, hours=8),
                    place=f"{academy.city} (bench)",
                    language=language,
                    capacity=200,
                    status=SessionStatus.CLOSED,
                    published_at=starts - datetime.timedelta(days=60),
                    closed_at=starts + datetime.timedelta(days=3),
                )
                missing.append(session)
            plan.append((index, academy.region.refnis, session, version.certificate_valid_years, day))
    Session.objects.bulk_create(missing)
    by_region: dict[str, list[list]] = {}
    for index, refnis, session, years, day in plan:
        quarters = by_region.setdefault(refnis, [[] for _ in range(QUARTERS)])
        quarters[index].append((session, years, day + datetime.timedelta(days=1)))
    return by_region


def build_training() -> dict:
    """The mandated officers, the course, its sessions, trainees, enrolments and certificates in the bench database
    (zones already holding them are left as they are). Returns what is there and how long it took."""
    from django.db import transaction

    from geography.models import PoliceZone
    from networks.choices import PartnerRole
    from networks.models import Network, Partner
    from training.selectors_coverage import ENDED

    started = time.perf_counter()
    built = {"replaced": 0, "zones": 0}
    with transaction.atomic():
        course, versions = _course()
        sessions = _sessions(versions)
        officers = Partner.objects.filter(role=PartnerRole.MANDATED_OFFICER)
        done = set(officers.filter(_marker()).values_list("network__zone_id", flat=True).distinct())
        networks: dict[int, list[int]] = {}
        for pk, zone_id in Network.objects.exclude(status__in=ENDED).order_by("pk").values_list("pk", "zone_id"):
            networks.setdefault(zone_id, []).append(pk)
        todo = [zone_id for zone_id in sorted(networks) if zone_id not in done]
        if todo:
            print(f"Building the training dataset: mandated officers of {len(todo)} zones …", flush=True)
            built["replaced"] = officers.exclude(_marker()).delete()[0]
            zones = PoliceZone.objects.in_bulk(todo)
            for zone_id in todo:
                _build_zone(zones[zone_id], networks[zone_id], sessions, course)
            built["zones"] = len(todo)
    from django.db import connection

    if todo:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {**_sizes(), **built, "built": bool(todo), "seconds": time.perf_counter() - started}


def _build_zone(zone, network_ids: list[int], sessions, course) -> None:
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from accounts.models import User
    from networks.choices import PartnerRole
    from networks.models import Partner
    from training.models import Certificate, Enrolment, Trainee

    rng = random.Random(f"{SEED}:{zone.pk}")
    today = timezone.localdate()
    quarters = sessions.get(ACADEMY_REGIONS.get(zone.language, "02000")) or next(iter(sessions.values()))
    count = max(1, round(len(network_ids) / rng.uniform(*NETWORKS_PER_OFFICER)))

    def person(index: int, prefix: str = "", account: bool = False) -> _Person:
        first, last = rng.choice(FIRST), rng.choice(LAST)
        email = f"{prefix}{_ascii(first)}.{_ascii(last)}.{zone.pk}-{index}@{DOMAIN}"
        return _Person(first, last, email, account)

    people = [person(i, account=rng.random() < SHARE_ACCOUNT) for i in range(count)]
    staff = [person(i, prefix="staff.") for i in range(round(count * STAFF_PER_OFFICER))]
    unusable = make_password(None)
    accounts = [p for p in people if p.account]
    users = User.objects.bulk_create(
        [User(email=p.email, first_name=p.first, last_name=p.last, password=unusable) for p in accounts]
    )
    for p, user in zip(accounts, users, strict=True):
        p.user_id = user.pk

    # Partner rows: every network one officer of the zone (round robin over a shuffled list), some two, a few none.
    ids = list(network_ids)
    rng.shuffle(ids)
    since = today - datetime.timedelta(days=4 * 365)
    partners = []

    def partner(network_id: int, p: _Person, active_to: datetime.date | None = None) -> Partner:
        return Partner(
            network_id=network_id,
            role=PartnerRole.MANDATED_OFFICER,
            user_id=p.user_id,
            first_name=p.first,
            last_name=p.last,
            # Half the officers with an account have no address of their own on the network: the account's counts.
            email="" if p.user_id and rng.random() < 0.5 else p.email,
            organisation="Lokale politie" if zone.language.startswith("nl") else "Police locale",
            active_from=since,
            active_to=active_to,
        )

    for index, network_id in enumerate(ids):
        if index and rng.random() < SHARE_NONE:
            continue
        partners.append(partner(network_id, people[index % count]))
        if count > 1 and rng.random() < SHARE_SECOND:
            partners.append(partner(network_id, people[(index + 1 + rng.randrange(count - 1)) % count]))
        if rng.random() < SHARE_FORMER:
            former = person(len(people) + index, prefix="former.")
            partners.append(
                partner(network_id, former, active_to=today - datetime.timedelta(days=rng.randint(30, 700)))
            )
    Partner.objects.bulk_create(partners, batch_size=2000)

    # Who took the course: (person, [(quarter, passed, revoked)]).
    takes: list[tuple[_Person, list[tuple[int, str, bool]]]] = []
    for p in people:
        draw = rng.random()
        if draw < SHARE_CERTIFIED:
            quarter = rng.randrange(QUARTERS)
            attempts = [(quarter, "passed", rng.random() < SHARE_REVOKED)]
            if quarter < 2 and rng.random() < 0.5:  # expired, taken again since
                attempts.append((rng.randrange(4, QUARTERS), "passed", False))
            takes.append((p, attempts))
        elif draw < SHARE_CERTIFIED + SHARE_FAILED:
            takes.append((p, [(rng.randrange(QUARTERS), rng.choice(["failed", "absent"]), False)]))
    for p in staff:
        takes.append((p, [(rng.randrange(QUARTERS), "passed" if rng.random() < 0.65 else "failed", False)]))

    trainees = []
    for p, _attempts in takes:
        # The trainee's address as the academy typed it: a fifth in another case (matched case-insensitively); most
        # trainees with an account are linked to it.
        email = p.email.title() if rng.random() < 0.2 else p.email
        user_id = p.user_id if p.user_id and rng.random() < 0.7 else None
        trainees.append(Trainee(zone=zone, user_id=user_id, first_name=p.first, last_name=p.last, email=email))
    Trainee.objects.bulk_create(trainees, batch_size=2000)

    enrolments, outcomes = [], []
    for trainee, (_p, attempts) in zip(trainees, takes, strict=True):
        for quarter, outcome, revoked in attempts:
            session, years, ended = rng.choice(quarters[quarter])
            enrolments.append(
                Enrolment(
                    session=session,
                    trainee=trainee,
                    status="enrolled",
                    source="zone",
                    enrolled_at=session.starts_at - datetime.timedelta(days=30),
                    attendance="absent" if outcome == "absent" else "attended",
                    result="" if outcome == "absent" else outcome,
                )
            )
            outcomes.append((outcome, revoked, years, ended, trainee))
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)

    certificates = []
    for number, (enrolment, (outcome, revoked, years, ended, trainee)) in enumerate(
        zip(enrolments, outcomes, strict=True)
    ):
        if outcome != "passed":
            continue
        certificates.append(
            Certificate(
                enrolment=enrolment,
                code=f"B{zone.pk:04d}{number:05d}",
                holder_name=f"{trainee.first_name} {trainee.last_name}",
                course_title=course.title_nl,
                issued_on=ended,
                valid_until=ended.replace(year=ended.year + years, day=min(ended.day, 28)),
                revoked_at=timezone.now() if revoked else None,
                revoked_reason="bench" if revoked else "",
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=2000)


def _sizes() -> dict:
    from collections import Counter

    from networks.choices import PartnerRole
    from networks.models import Network, Partner
    from training.models import Certificate, Enrolment, Session, Trainee
    from training.selectors_coverage import ENDED, active_officers, valid_certificates

    officers = Partner.objects.filter(role=PartnerRole.MANDATED_OFFICER)
    active = active_officers().filter(network__in=Network.objects.exclude(status__in=ENDED))
    per_network = Counter(active.values_list("network_id", flat=True))
    spread = {0: 0, 1: 0, 2: 0}
    for network_id in Network.objects.exclude(status__in=ENDED).values_list("pk", flat=True):
        spread[min(per_network[network_id], 2)] += 1
    # Every officer of this dataset has an account or an address: the person is the one, else the other.
    people = {user_id or email.lower() for user_id, email in active.values_list("user_id", "email")}
    return {
        "partner_rows": officers.count(),
        "former_rows": officers.filter(active_to__isnull=False).count(),
        "officers": len(people),
        "networks_by_officers": spread,
        "sessions": Session.objects.filter(version__course__code=COURSE_CODE).count(),
        "trainees": Trainee.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "certificates": Certificate.objects.count(),
        "valid": valid_certificates().count(),
        "revoked": Certificate.objects.filter(revoked_at__isnull=False).count(),
    }


# --- the baseline: one handwritten statement per figure -----------------------------------------------------------


def _raw_sql(group: str, zones: list[int] | None) -> tuple[str, list]:
    """Officers, trained officers, networks, covered networks and networks without an officer, grouped by `group`
    (an expression over n = the network and m = its main municipality; "0" for one row), over the networks
    considered (in `zones` when given). The certificate holders are read once (by account and by lower-case
    address), each active officer is marked trained by looking them up, then counted per person and per network."""
    from django.db import connection
    from django.utils import timezone

    from networks.choices import NetworkStatus, PartnerRole
    from training.selectors_coverage import ENDED

    day = connection.ops.adapt_datefield_value(timezone.localdate())
    ended = [str(status) for status in ENDED]
    assert set(ended) == {NetworkStatus.DISSOLVED, NetworkStatus.MERGED}
    in_zones = f" AND n.zone_id IN ({', '.join(['%s'] * len(zones))})" if zones else ""
    person = (
        "CASE WHEN p.user_id IS NOT NULL THEN 'u:' || CAST(p.user_id AS TEXT) "
        "WHEN p.email <> '' THEN 'e:' || LOWER(p.email) "
        "ELSE 'n:' || LOWER(p.first_name) || ' ' || LOWER(p.last_name) END"
    )
    sql = f"""
        WITH holders AS (
            SELECT t.user_id, LOWER(t.email) AS email
            FROM training_certificate c
            JOIN training_enrolment e ON e.id = c.enrolment_id
            JOIN training_trainee t ON t.id = e.trainee_id
            WHERE c.revoked_at IS NULL AND (c.valid_until IS NULL OR c.valid_until >= %s)
        ),
        considered AS (
            SELECT n.id, {group} AS k
            FROM networks_network n JOIN geography_municipality m ON m.id = n.municipality_id
            WHERE n.status NOT IN (%s, %s){in_zones}
        ),
        officers AS (
            SELECT n.id AS network_id, n.k, {person} AS person,
                   CASE WHEN p.user_id IN (SELECT user_id FROM holders WHERE user_id IS NOT NULL)
                          OR LOWER(COALESCE(NULLIF(u.email, ''), NULLIF(p.email, ''))) IN (SELECT email FROM holders)
                        THEN 1 ELSE 0 END AS trained
            FROM networks_partner p
            JOIN considered n ON n.id = p.network_id
            LEFT JOIN accounts_user u ON u.id = p.user_id
            WHERE p.role = %s AND (p.active_to IS NULL OR p.active_to > %s)
        ),
        per_network AS (SELECT network_id, MAX(trained) AS covered FROM officers GROUP BY network_id),
        by_network AS (
            SELECT n.k, COUNT(*) AS networks,
                   SUM(CASE WHEN pn.covered = 1 THEN 1 ELSE 0 END) AS covered,
                   SUM(CASE WHEN pn.network_id IS NULL THEN 1 ELSE 0 END) AS without_officer
            FROM considered n LEFT JOIN per_network pn ON pn.network_id = n.id
            GROUP BY n.k
        ),
        by_person AS (
            SELECT k, COUNT(DISTINCT person) AS officers,
                   COUNT(DISTINCT CASE WHEN trained = 1 THEN person END) AS trained
            FROM officers GROUP BY k
        )
        SELECT b.k, COALESCE(o.officers, 0), COALESCE(o.trained, 0), b.networks, b.covered, b.without_officer
        FROM by_network b LEFT JOIN by_person o ON o.k = b.k
    """
    return sql, [day, *ended, *(zones or []), PartnerRole.MANDATED_OFFICER, day]


RAW_GROUPS = {"summary": "0", "zone": "n.zone_id", "province": "COALESCE(m.province_id, 0)"}


def _raw(figure: str, zones: list[int] | None) -> dict:
    from django.db import connection

    sql, params = _raw_sql(RAW_GROUPS[figure], zones)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return {(row[0] or None): tuple(int(value or 0) for value in row[1:]) for row in rows}


def _figures(rows) -> dict:
    return {row.key: (row.officers, row.trained, row.networks, row.covered, row.without_officer) for row in rows}


# --- measuring ------------------------------------------------------------------------------------------------------


def bench_training(requests: int) -> dict:
    from django.core.cache import cache
    from django.db import connection
    from django.db.models import Count
    from django.test import Client

    from bench.run import _bench_user, _Capture, _timed
    from core.roles import Role
    from geography.models import PoliceZone, Province
    from networks.models import Network
    from training import selectors_coverage as coverage
    from training.selectors_coverage import ENDED

    largest = (
        Network.objects.exclude(status__in=ENDED)
        .values("zone_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "zone_id")
        .first()
    )
    zone = PoliceZone.objects.get(pk=largest["zone_id"])
    advp, advp_token = _bench_user("bench.advp@example.org", Role.ADVP)
    officer, officer_token = _bench_user(f"bench.training.officer.{zone.pk}@example.org", Role.ZONE_OFFICER, zone)
    antwerp = Province.objects.get(refnis="10000")
    personas = [
        ("ADVP", advp, advp_token, antwerp.pk, None),
        (f"zone officer, {zone.code} {zone.name}", officer, officer_token, None, [zone.pk]),
    ]
    mismatches = []
    results = {"cases": [], "selectors": [], "zone": f"{zone.code} {zone.name} ({largest['n']:,} networks)"}
    for label, user, token, province_id, zones in personas:
        if province_id is None:
            province_id = coverage.coverage_provinces(user).first().pk
        # The figures first: the raw statements must find what the selectors find.
        expected = {
            "summary": {None: _figures([coverage.coverage_summary(user=user)])[None]},
            "zone": _figures(coverage.coverage_by_zone(user=user)),
            "province": _figures(coverage.coverage_by_province(user=user)),
        }
        for figure, ours in expected.items():
            raw = _raw(figure, zones)
            if raw != ours:
                wrong = {k: (ours.get(k), raw.get(k)) for k in set(ours) | set(raw) if ours.get(k) != raw.get(k)}
                mismatches.append(f"{label}, {figure}: (selector, raw) {dict(list(wrong.items())[:5])}")
        summary = coverage.coverage_summary(user=user)
        session_client = Client()
        session_client.force_login(user)
        api_client = Client(HTTP_AUTHORIZATION=f"Token {token}")
        raw_times: dict[tuple, list[float]] = {}

        def raw_figures(figures: tuple, zones=zones, raw_times=raw_times) -> list[float]:
            """The raw statements of `figures`, timed once per persona and set of figures."""
            if figures not in raw_times:

                def run():
                    for figure in figures:
                        _raw(figure, zones)

                raw_times[figures] = _timed(run, requests, 3)
            return raw_times[figures]

        every = ("summary", "province", "zone")
        # What each request shows: the page the summary, the provinces (national only) and the zones; the API all
        # three for everyone.
        page_figures = every if zones is None else ("summary", "zone")
        pages = [
            ("page /training/coverage/", session_client, "/training/coverage/", page_figures),
            ("page ?province=…", session_client, f"/training/coverage/?province={province_id}", page_figures),
            ("API /api/v1/training/coverage/", api_client, "/api/v1/training/coverage/", every),
        ]
        for name, client, url, figures in pages:

            def get(client=client, url=url):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code, response.content[:300])
                return response

            cache.clear()
            start = time.perf_counter()
            get()
            cold = time.perf_counter() - start
            capture = _Capture()
            with connection.execute_wrapper(capture):
                get()
            results["cases"].append(
                {
                    "label": f"{name} ({label})",
                    "national": zones is None,
                    "page": name.startswith("page /"),
                    "queries": len(capture.statements),
                    "cold": cold,
                    "ours": _timed(get, requests, 3),
                    "raw": raw_figures(figures),
                }
            )
        selectors = [
            ("coverage_summary", lambda user=user: coverage.coverage_summary(user=user), "summary"),
            ("coverage_by_zone", lambda user=user: coverage.coverage_by_zone(user=user), "zone"),
            ("coverage_by_province", lambda user=user: coverage.coverage_by_province(user=user), "province"),
            (
                "networks_without_trained_officer, page 1",
                lambda user=user: list(coverage.networks_without_trained_officer(user)[:50]),
                None,
            ),
        ]
        for name, function, figure in selectors:
            results["selectors"].append(
                {
                    "label": f"{name} ({label})",
                    "ours": _timed(function, requests, 3),
                    "raw": raw_figures((figure,)) if figure else None,
                }
            )
        results.setdefault("summaries", []).append((label, summary))
    if mismatches:
        print("\n!!! TRAINING COVERAGE: the raw SQL and the selectors DISAGREE !!!", file=sys.stderr)
        for line in mismatches:
            print(f"!!! {line}", file=sys.stderr)
        raise AssertionError("training coverage figures differ between the selectors and the raw SQL")
    return results


# --- report ---------------------------------------------------------------------------------------------------------


def _p(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def report_training(results: dict, dataset: dict | None = None) -> bool:
    """Print the table; True when the national coverage page is under 300 ms (p95, warm) and 3 s (cold)."""
    ok = True
    print()
    if dataset:
        spread = dataset["networks_by_officers"]
        print(
            f"training coverage — {sum(spread.values()):,} networks considered ({spread[1]:,} with one mandated "
            f"officer, {spread[2]:,} with two or more, {spread[0]:,} with none), {dataset['officers']:,} officers "
            f"({dataset['partner_rows']:,} partner rows, {dataset['former_rows']:,} of them ended), "
            f"{dataset['sessions']} sessions, {dataset['trainees']:,} trainees, {dataset['enrolments']:,} enrolments, "
            f"{dataset['certificates']:,} certificates ({dataset['valid']:,} valid, {dataset['revoked']} revoked)"
        )
    for label, summary in results.get("summaries", []):
        print(
            f"  {label}: {summary.trained:,} of {summary.officers:,} officers trained ({summary.percent:.1f} %), "
            f"{summary.covered:,} of {summary.networks:,} networks covered, {summary.without_officer:,} without officer"
        )
    header = (
        f"{'hot path':<66} {'ours p50':>10} {'ours p95':>10} {'base p50':>10} {'base p95':>10} {'ratio':>7}  target"
    )
    print(header)
    print("-" * len(header))
    for row in results["cases"]:
        o50, o95 = statistics.median(row["ours"]), _p(row["ours"], 0.95)
        b50, b95 = statistics.median(row["raw"]), _p(row["raw"], 0.95)
        target = ""
        if row["national"] and row["page"]:
            met = o95 < 0.300
            ok &= met
            target = f"p95 < 300 ms: {'met' if met else 'NOT MET'}"
        print(
            f"{row['label'] + ' (' + str(row['queries']) + ' q)':<66} {_ms(o50):>10} {_ms(o95):>10} {_ms(b50):>10} "
            f"{_ms(b95):>10} {o95 / b95:>6.1f}×  {target}"
        )
        target = ""
        if row["national"] and row["page"]:
            met = row["cold"] < 3.0
            ok &= met
            target = f"cold < 3 s: {'met' if met else 'NOT MET'}"
        print(
            f"{'  … cold (cache cleared, first request)':<66} {_ms(row['cold']):>10} {'':>10} {'':>10} {'':>10} "
            f"{'':>7}  {target}"
        )
    for row in results["selectors"]:
        o50, o95 = statistics.median(row["ours"]), _p(row["ours"], 0.95)
        if row["raw"]:
            b50, b95 = statistics.median(row["raw"]), _p(row["raw"], 0.95)
            base = f"{_ms(b50):>10} {_ms(b95):>10} {o95 / b95:>6.1f}×"
        else:
            base = f"{'':>10} {'':>10} {'':>7}"
        print(f"{'  selector ' + row['label']:<66} {_ms(o50):>10} {_ms(o95):>10} {base}")
    print(
        f"    (in-process, warm, Django's test client; zone officer of the largest zone, {results['zone']}; base = one "
        "handwritten SQL statement per figure (certificate holders read once, officers looked up in them, counted "
        "per person and per network) run raw via connection.cursor() — for a page: the figures it shows; the raw "
        "figures equal the selectors')"
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    import argparse

    # Run as a script: the project root first, so that "training" is the app and "bench" the package.
    root = str(Path(__file__).resolve().parent.parent)
    sys.path[:] = [root, *(entry for entry in sys.path if Path(entry).resolve() != Path(root) / "bench")]
    from bench.run import _database_url, _setup, build_dataset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--rebuild", action="store_true", help="build the whole bench dataset again")
    args = parser.parse_args(argv)
    _setup(_database_url(), args.rebuild)
    build_dataset()
    dataset = build_training()
    if dataset["built"]:
        print(f"Training dataset built in {dataset['seconds']:.1f} s.")
    met = report_training(bench_training(args.requests), dataset)
    print("All targets met." if met else "Some targets are not met (see the table).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
