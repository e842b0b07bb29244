"""Helpers of part C's tests (coverage, statistics, policy, API): networks, certificates and a dataset whose coverage
figures are known. Rows are written directly (known state), as conftest.py does."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

_counter = itertools.count(1)


def make_network(*, zone_code: int = 5345, refnis: str = "11002", status: str = "active", name: str = ""):
    from geography.models import Municipality, PoliceZone
    from networks.models import Network

    n = next(_counter)
    municipality = Municipality.objects.current().get(refnis=refnis)
    values = {}
    if status == "merged":
        values["merged_into"] = Network.objects.exclude(status="merged").first()
    network = Network.objects.create(
        code=f"BIN-{refnis}-{100 + n}",
        name=name or f"Coverage network {n}",
        kind="residential",
        status=status,
        municipality=municipality,
        zone=PoliceZone.objects.current().get(code=zone_code),
        **values,
    )
    network.municipalities.add(municipality)
    return network


def certify(
    trainee,
    *,
    session,
    valid_until: datetime.date | None | str = "default",
    revoked: bool = False,
    issued_on: datetime.date | None = None,
    result: str = "passed",
):
    """`trainee` attended `session` (enrolled, attended, `result`); a certificate when passed (valid five years from
    `issued_on` unless `valid_until` says otherwise). Returns the enrolment."""
    from training.models import Certificate, Enrolment

    enrolment = Enrolment.objects.create(
        session=session,
        trainee=trainee,
        status="enrolled",
        source="zone",
        enrolled_at=timezone.now(),
        attendance="attended" if result else "absent",
        result=result,
    )
    if result == "passed":
        issued_on = issued_on or timezone.localdate(session.ends_at)
        if valid_until == "default":
            valid_until = issued_on.replace(year=issued_on.year + 5)
        Certificate.objects.create(
            enrolment=enrolment,
            code=f"T{next(_counter):07d}",
            holder_name=trainee.full_name,
            course_title="BIN course",
            issued_on=issued_on,
            valid_until=valid_until,
            revoked_at=timezone.now() if revoked else None,
            revoked_reason="test" if revoked else "",
        )
    return enrolment


class Known:
    """Expected figures of `known_dataset` (see its docstring)."""

    antwerp = {"officers": 5, "trained": 2, "networks": 7, "covered": 3, "without_officer": 2}
    brussels = {"officers": 2, "trained": 2, "networks": 2, "covered": 2, "without_officer": 0}
    national = {"officers": 7, "trained": 4, "networks": 9, "covered": 5, "without_officer": 2}


def known_dataset(personas, make_session, make_trainee, make_officer) -> dict:
    """Zone 5345 (Antwerpen, province of Antwerp): network A (an officer known by name only: untrained), n1 (officer
    U1, trained through Trainee.user), n2 (officer A@…, trained through the trainee's e-mail, other case), n3 (officer
    X, certificate revoked), n4 (officer U1 again: one person, covered), n5 (no officer), n6 (officer whose role ended
    yesterday: no officer), n7 dissolved and n9 merged (ignored, trained officers). Zone 5339 (Brussels, no
    province): network B (officer U2, trained through the e-mail of a trainee without account) and n8 (officer Y,
    certificate valid until today). Plus an officer Z whose certificate expired yesterday, on n3 too (untrained)."""
    from accounts.models import User
    from networks.models import Partner

    today = timezone.localdate()
    past = make_session(days=-400, status="closed", closed_at=timezone.now())
    brussels_zone = personas.network_b.zone
    u1 = User.objects.create_user(email="u1@police.test", password="x", first_name="Una", last_name="One")
    u2 = User.objects.create_user(email="U2@Police.test", password="x", first_name="Ugo", last_name="Two")
    n = {f"n{i}": make_network() for i in range(1, 7)}
    n["n7"] = make_network(status="dissolved")
    n["n8"] = make_network(zone_code=5339, refnis="21004")
    n["n9"] = make_network(status="merged")
    name_only = make_officer(personas.network_a, first_name="Nora", last_name="Nameonly")
    Partner.objects.filter(pk=name_only.pk).update(email="")
    make_officer(n["n1"], user=u1)
    make_officer(n["n2"], email="A.Officer@Police.test")
    make_officer(n["n3"], email="x@police.test")
    make_officer(n["n3"], email="z@police.test")
    make_officer(n["n4"], user=u1)
    make_officer(n["n6"], email="ended@police.test", active_to=today - datetime.timedelta(days=1))
    make_officer(n["n7"], email="dissolved@police.test")
    make_officer(n["n9"], user=u1)
    make_officer(personas.network_b, user=u2)
    make_officer(n["n8"], email="y@police.test")

    certify(make_trainee(user=u1, email="una.one@police.test"), session=past)
    certify(make_trainee(email="a.officer@police.test"), session=past)
    certify(make_trainee(email="x@police.test"), session=past, revoked=True)
    certify(
        make_trainee(email="z@police.test"),
        session=past,
        issued_on=today - datetime.timedelta(days=800),
        valid_until=today - datetime.timedelta(days=1),
    )
    certify(make_trainee(email="ended@police.test"), session=past)
    certify(make_trainee(email="dissolved@police.test"), session=past)
    certify(make_trainee(zone=brussels_zone, email="u2@police.test"), session=past)
    certify(
        make_trainee(zone=brussels_zone, email="y@police.test"),
        session=past,
        issued_on=today - datetime.timedelta(days=30),
        valid_until=today,
    )
    # A trainee who failed and one without any role in a network: no effect on coverage.
    certify(make_trainee(email="failed@police.test"), session=past, result="failed")
    certify(make_trainee(email="nobody@police.test"), session=past)
    return {"u1": u1, "u2": u2, "session": past, **n}
