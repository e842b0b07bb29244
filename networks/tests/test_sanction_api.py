import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from networks.models import Sanction
from networks.services.sanction import sanction_create

from .charter_fixtures import (
    coordinator_sanction_hidden,
    coordinator_sanction_viewers,
    editors,
    hidden,
    make_network,
    member_sanction_hidden,
    member_sanction_viewers,
    readers_only,
    record_member_sanction,
    record_talk,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _persons(client, user, **params):
    client.force_login(user)
    response = client.get("/api/v1/sanctions/", params)
    client.logout()
    assert response.status_code == 200, response.content
    return sorted(row["person"] for row in response.json()["results"])


def test_a_member_sanction_answers_the_zone_and_the_networks_coordinators_only(client, network, personas):
    sanction = record_member_sanction(network, personas.zone_officer)
    assert_permission_matrix(
        client,
        f"/api/v1/sanctions/{sanction.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=member_sanction_viewers(personas),
        hidden=member_sanction_hidden(personas),
    )


def test_a_coordinator_sanction_answers_the_zone_advp_and_the_municipality(client, network, personas):
    sanction = record_talk(network, personas.zone_officer)
    assert_permission_matrix(
        client,
        f"/api/v1/sanctions/{sanction.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=coordinator_sanction_viewers(personas),
        hidden=coordinator_sanction_hidden(personas),
    )


def test_sanctions_are_listed_in_scope(client, network, personas):
    record_member_sanction(network, personas.zone_officer, name="Lid 7")
    record_talk(network, personas.zone_officer)
    assert _persons(client, personas.other_zone_officer) == []
    assert _persons(client, personas.zone_officer) == ["Cas Wouters", "Lid 7"]
    assert _persons(client, personas.zone_officer, network=network.code, target="member") == ["Lid 7"]
    assert _persons(client, personas.coordinator) == ["Lid 7"]
    assert _persons(client, personas.municipality_official) == ["Cas Wouters"]
    assert _persons(client, personas.advp_admin, network=network.code) == ["Cas Wouters"]
    assert _persons(client, personas.knowledge_centre) == []


@pytest.mark.parametrize("reader", ["advp_admin", "knowledge_centre"])
def test_national_readers_never_receive_a_member_sanction(client, network, personas, reader):
    sanction = record_member_sanction(network, personas.zone_officer, name="Lid Vertrouwelijk")
    client.force_login(getattr(personas, reader))
    for params in ({}, {"network": network.code}, {"zone": network.zone_id}):
        response = client.get("/api/v1/sanctions/", params)
        assert response.status_code == 200 and response.json()["count"] == 0
        assert "Lid Vertrouwelijk" not in response.content.decode()
    # Filtering on member sanctions or their measures is not even offered: those are not theirs to read.
    for params in ({"target": "member"}, {"measure": "written_reprimand"}):
        response = client.get("/api/v1/sanctions/", params)
        assert response.status_code == 400 and "Lid Vertrouwelijk" not in response.content.decode()
    response = client.get(f"/api/v1/sanctions/{sanction.pk}/")
    assert response.status_code == 404 and "Lid Vertrouwelijk" not in response.content.decode()
    response = client.post(
        f"/api/v1/sanctions/{sanction.pk}/appeal/", {"appeal_lodged_on": TODAY.isoformat()}, "application/json"
    )
    assert response.status_code == 404


def test_a_coordinator_lists_the_member_sanctions_of_their_own_network_only(client, network, personas):
    record_member_sanction(network, personas.zone_officer, name="Lid Eigen")
    talk = record_talk(network, personas.zone_officer)
    elsewhere = make_network(personas.zone_officer, name="Noordkwartier")
    other = record_member_sanction(elsewhere, personas.zone_officer, name="Lid Ander")
    assert _persons(client, personas.coordinator) == ["Lid Eigen"]
    client.force_login(personas.coordinator)
    assert client.get(f"/api/v1/sanctions/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/sanctions/{talk.pk}/").status_code == 404
    assert _persons(client, personas.zone_officer) == ["Cas Wouters", "Lid Ander", "Lid Eigen"]


def test_recording_a_member_sanction_answers_the_zone_and_the_coordinator(client, network, personas):
    payload = {
        "network": network.code,
        "target": "member",
        "measure": "permanent_suspension",
        "member_ref": "Lid 12",
        "decided_on": TODAY.isoformat(),
        "decided_by": "Coördinator",
        "reason": "Racistische uitlatingen.",
    }
    assert_permission_matrix(
        client,
        "/api/v1/sanctions/",
        method="post",
        data=payload,
        anonymous=ANONYMOUS_DENIED,
        # The mandated officer and the coordinator handle member sanctions together (domain brief §3.3).
        allowed=[personas.zone_officer, personas.coordinator],
        allowed_status=(201,),
        # ADVP sees the network and records coordinator sanctions, but a member sanction is not theirs to record.
        in_scope_wrong_role=[personas.advp_admin, personas.knowledge_centre, personas.municipality_official],
        hidden=hidden(personas),
    )
    assert sorted(Sanction.objects.values_list("member_ref", "created_by")) == sorted(
        [("Lid 12", personas.zone_officer.pk), ("Lid 12", personas.coordinator.pk)]
    )


def test_recording_a_coordinator_sanction_answers_the_zone_and_advp(client, network, personas):
    payload = {
        "network": network.code,
        "target": "coordinator",
        "measure": "written_reprimand_chief",
        "partner": network.partners.get(role="coordinator").pk,
        "decided_on": TODAY.isoformat(),
        "decided_by": "Korpschef",
        "reason": "Berichten zonder afspraak verstuurd.",
    }
    assert_permission_matrix(
        client,
        "/api/v1/sanctions/",
        method="post",
        data=payload,
        anonymous=ANONYMOUS_DENIED,
        allowed=editors(personas),
        allowed_status=(201,),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )
    assert Sanction.objects.filter(target="coordinator").count() == 2


def test_a_permanent_removal_and_its_appeal_through_the_api(client, network, personas):
    client.force_login(personas.zone_officer)
    partner = network.partners.get(role="coordinator")
    decided = TODAY - datetime.timedelta(days=1)
    response = client.post(
        "/api/v1/sanctions/",
        {
            "network": network.code,
            "target": "coordinator",
            "measure": "permanent_removal",
            "partner": partner.pk,
            "decided_on": decided.isoformat(),
            "decided_by": "Burgemeester",
            "reason": "Inbreuk op de privacywet.",
            "copy_to_advp_on": TODAY.isoformat(),
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["appeal_deadline"] == (decided + datetime.timedelta(days=21)).isoformat() and data["appeal_open"]
    response = client.post(
        f"/api/v1/sanctions/{data['id']}/appeal/",
        {"appeal_lodged_on": TODAY.isoformat(), "appeal_outcome": "annulled"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["appeal_outcome"] == "annulled"


def test_api_errors_are_specific(client, network, personas):
    client.force_login(personas.zone_officer)
    response = client.post(
        "/api/v1/sanctions/",
        {
            "network": network.code,
            "target": "coordinator",
            "measure": "temporary_removal",
            "partner": personas.network_a.partners.get().pk,
            "decided_on": TODAY.isoformat(),
            "decided_by": "Korpschef",
            "reason": "x",
        },
        content_type="application/json",
    )
    assert response.status_code == 400 and set(response.json()) == {"partner"}


def test_the_list_keeps_its_query_count(client, network, personas):
    client.force_login(personas.advp_admin)
    record_talk(network, personas.zone_officer)
    client.get("/api/v1/sanctions/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/sanctions/")
    for index in range(5):
        record_talk(network, personas.zone_officer, decided_by=f"Korpschef {index}")
        record_member_sanction(network, personas.zone_officer, name=f"Lid {index}")
    with CaptureQueriesContext(connection) as six:
        assert client.get("/api/v1/sanctions/").json()["count"] == 6
    assert len(six) == len(one)


def test_recording_an_appeal_answers_the_zone_and_advp(client, network, personas):
    removal = sanction_create(
        actor=personas.zone_officer,
        network=network,
        target="coordinator",
        measure="permanent_removal",
        partner=network.partners.get(role="coordinator"),
        decided_on=TODAY,
        decided_by="Burgemeester",
        reason="Inbreuk.",
        copy_to_advp_on=TODAY,
    )
    assert_permission_matrix(
        client,
        f"/api/v1/sanctions/{removal.pk}/appeal/",
        method="post",
        data={"appeal_lodged_on": TODAY.isoformat()},
        anonymous=ANONYMOUS_DENIED,
        allowed=editors(personas),
        in_scope_wrong_role=[personas.municipality_official],
        # The Knowledge Centre sees no sanction; the removed coordinator no longer sees the network at all.
        hidden=[*hidden(personas), personas.knowledge_centre, personas.coordinator],
    )
