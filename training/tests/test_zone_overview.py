"""The zone overview (/training/zone/) and the zone officer's home section: who sees them, the staff with mandated
officers first and their certificate status, the requests and enrolments of the zone only, and a bounded number of
queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from geography.models import PoliceZone
from training.choices import EnrolmentStatus
from training.models import Certificate, Enrolment
from training.services import enrolments as services

pytestmark = pytest.mark.django_db
URL = "/training/zone/"


@pytest.fixture
def english(client, personas):
    from accounts.models import User

    User.objects.update(language="en")
    client.cookies["binplp_language"] = "en"
    return client


def brussels():
    return PoliceZone.objects.current().get(code=5339)


def certify(session, trainee, *, valid_until, revoked=False):
    enrolment = Enrolment.objects.create(
        session=session, trainee=trainee, status="enrolled", source="zone", attendance="attended", result="passed"
    )
    return Certificate.objects.create(
        enrolment=enrolment,
        code=f"T{enrolment.pk:06d}",
        holder_name=trainee.full_name,
        course_title="BIN course",
        issued_on=datetime.date(2020, 1, 1),
        valid_until=valid_until,
        revoked_at=timezone.now() if revoked else None,
    )


def row(html: str, text: str) -> str:
    match = re.search(r"<tr[^>]*>(?:(?!</tr>).)*" + re.escape(text) + r".*?</tr>", html, re.S)
    assert match, text
    return match.group(0)


def test_the_overview_is_for_zone_officers(client, personas):
    assert_permission_matrix(
        client,
        URL,
        allowed=[personas.zone_officer, personas.other_zone_officer],
        in_scope_wrong_role=[
            personas.trainer,
            personas.advp_admin,
            personas.knowledge_centre,
            personas.coordinator,
            personas.outsider,
        ],
    )


def test_mandated_officers_come_first_with_their_networks_and_certificates(
    english, personas, make_session, make_trainee, make_officer
):
    from networks.models import Network

    second = Network.objects.create(
        code="BIN-11002-9",
        name="BIN Zuid",
        kind="residential",
        status="active",
        municipality=personas.network_a.municipality,
        zone=personas.network_a.zone,
        founded_on=datetime.date(2020, 1, 1),
    )
    dissolved = Network.objects.create(
        code="BIN-11002-8",
        name="BIN Oud",
        kind="residential",
        status="dissolved",
        municipality=personas.network_a.municipality,
        zone=personas.network_a.zone,
        founded_on=datetime.date(2010, 1, 1),
    )
    make_officer(personas.network_a, first_name="Olga", last_name="Officer", email="olga@police.test")
    make_officer(second, first_name="Olga", last_name="Officer", email="OLGA@police.test")
    make_officer(dissolved, first_name="Gone", last_name="Officer", email="gone@police.test")
    make_officer(personas.network_a, first_name="Ended", last_name="Officer", active_to=datetime.date(2024, 6, 1))
    make_officer(personas.network_a, first_name="Nieuwe", last_name="Officer", email="new@police.test")
    make_officer(personas.network_b, first_name="Bruno", last_name="Brussels")
    olga = make_trainee(first_name="Olga", last_name="Officer", email="olga@police.test")
    past = make_session(days=-400, status="closed")
    certify(past, olga, valid_until=timezone.localdate() + datetime.timedelta(days=300))
    expired = make_trainee(first_name="Erik", last_name="Expired")
    certify(past, expired, valid_until=timezone.localdate() - datetime.timedelta(days=3))
    make_trainee(zone=brussels(), first_name="Not", last_name="Ours")
    upcoming = make_session(days=20)
    services.enrolment_create(actor=personas.zone_officer, session=upcoming, trainee=expired)

    english.force_login(personas.zone_officer)
    html = english.get(URL).content.decode()
    officers = re.search(r'id="officer-table".*?</table>', html, re.S).group(0)
    others = re.search(r'id="other-table".*?</table>', html, re.S).group(0)
    olga_row = row(officers, "Olga Officer")
    assert "BIN Network A" in olga_row and "BIN Zuid" in olga_row and 'data-certificate="valid"' in olga_row
    assert officers.count("Olga Officer") == 1
    assert 'data-certificate="none"' in row(officers, "Nieuwe Officer")
    assert "Gone" not in html and "Ended" not in html and "Bruno" not in html and "Not Ours" not in html
    erik = row(others, "Erik Expired")
    assert 'data-certificate="expired"' in erik and "enrolled" in erik
    assert "Olga" not in others
    assert "1 of 2 mandated officers hold a valid certificate." in html


def test_requests_and_enrolments_of_the_zone_only(english, personas, make_session, make_trainee):
    session = make_session()
    ours = make_trainee(first_name="Onze", last_name="Aanvraag")
    theirs = make_trainee(zone=brussels(), first_name="Leur", last_name="Demande")
    for trainee in (ours, theirs):
        Enrolment.objects.create(
            session=session,
            trainee=trainee,
            status=EnrolmentStatus.REQUESTED,
            source="self",
            confirmed_at=timezone.now(),
        )
    enrolled = services.enrolment_create(actor=personas.zone_officer, session=session, trainee=make_trainee())
    english.force_login(personas.zone_officer)
    html = english.get(URL).content.decode()
    requests = re.search(r'id="request-table".*?</table>', html, re.S).group(0)
    assert "Onze Aanvraag" in requests and "Leur Demande" not in html
    assert f"/training/enrolments/{enrolled.pk}/cancel/" in html
    english.force_login(personas.other_zone_officer)
    html = english.get(URL).content.decode()
    assert "Leur Demande" in html and "Onze Aanvraag" not in html


def test_the_overview_takes_the_same_queries_for_few_or_many_people(
    client, personas, make_session, make_trainee, make_officer, django_assert_max_num_queries
):
    session = make_session(capacity=3)
    past = make_session(days=-400, status="closed")

    def add(n):
        make_officer(personas.network_a, email=f"officer{n}@police.test")
        trainee = make_trainee(email=f"officer{n}@police.test")
        certify(past, trainee, valid_until=None)
        services.enrolment_create(actor=personas.zone_officer, session=session, trainee=trainee)
        Enrolment.objects.create(
            session=make_session(days=30), trainee=make_trainee(), status="requested", source="self"
        )

    add(0)
    client.force_login(personas.zone_officer)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(1, 9):
        add(n)
    with django_assert_max_num_queries(len(few)):
        assert client.get(URL).status_code == 200


def test_the_home_page_shows_requests_and_untrained_officers(
    english, personas, make_session, make_trainee, make_officer
):
    make_officer(personas.network_a, email="o1@police.test")
    make_officer(personas.network_a, email="o2@police.test")
    session = make_session()
    Enrolment.objects.create(
        session=session, trainee=make_trainee(), status="requested", source="self", confirmed_at=timezone.now()
    )
    services.enrolment_create(
        actor=personas.zone_officer, session=session, trainee=make_trainee(first_name="Komt", last_name="Binnenkort")
    )
    english.force_login(personas.zone_officer)
    html = english.get("/").content.decode()
    assert 'data-home-requests="1"' in html and "1 request to enrol waits for your approval" in html
    assert 'data-home-untrained="2"' in html and "/training/zone/" in html
    assert "Komt Binnenkort" in html
    english.force_login(personas.coordinator)
    assert "home-training-zone" not in english.get("/").content.decode()
