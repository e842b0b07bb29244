import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from networks.choices import COORDINATOR_MEASURES, MEMBER_MEASURES
from networks.models import Sanction
from networks.services.sanction import sanction_create

from .charter_fixtures import (
    add_partners,
    editors,
    hidden,
    make_network,
    readers_only,
    record_talk,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _removal(network, actor, decided_on=None):
    decided_on = decided_on or TODAY - datetime.timedelta(days=2)
    return sanction_create(
        actor=actor,
        network=network,
        target="coordinator",
        measure="permanent_removal",
        partner=network.partners.get(role="coordinator", active_to__isnull=True),
        decided_on=decided_on,
        decided_by="Burgemeester",
        reason="Herhaalde inbreuken op de privacywet.",
        copy_to_advp_on=decided_on,
    )


def _reprimand(network, actor, name="Lid 7"):
    return sanction_create(
        actor=actor,
        network=network,
        target="member",
        measure="written_reprimand",
        member_ref=name,
        decided_on=TODAY,
        decided_by="Coördinator",
        reason="Dringende berichten doorgestuurd buiten het netwerk.",
    )


def test_a_networks_sanctions_answer_whoever_sees_some_of_them(client, network, personas):
    url = reverse("networks:network_sanctions", args=[network.code])
    assert_permission_matrix(
        client,
        url,
        allowed=[personas.advp_admin, personas.zone_officer, personas.municipality_official, personas.coordinator],
        # The Knowledge Centre sees the network but none of its sanctions.
        hidden=[personas.knowledge_centre, *hidden(personas)],
    )


def test_recording_a_coordinator_sanction_answers_the_zone_and_advp(client, network, personas):
    url = reverse("networks:sanction_create", args=[network.code]) + "?target=coordinator"
    assert_permission_matrix(
        client,
        url,
        allowed=editors(personas),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )


def test_recording_a_member_sanction_answers_the_zone_and_the_coordinator(client, network, personas):
    url = reverse("networks:sanction_create", args=[network.code]) + "?target=member"
    assert_permission_matrix(
        client,
        url,
        allowed=[personas.zone_officer, personas.coordinator],
        in_scope_wrong_role=[personas.advp_admin, personas.knowledge_centre, personas.municipality_official],
        hidden=hidden(personas),
    )


def test_advp_is_offered_coordinator_measures_only(client, network, personas):
    url = reverse("networks:sanction_create", args=[network.code])
    client.force_login(personas.advp_admin)
    page = client.get(url).content.decode()
    assert 'name="partner"' in page and 'name="member_ref"' not in page
    assert all(f'value="{measure}"' in page for measure in COORDINATOR_MEASURES)
    assert not any(f'value="{measure}"' in page for measure in MEMBER_MEASURES)
    member = {
        "target": "member",
        "member_ref": "Lid 0099",
        "measure": "written_reprimand",
        "decided_on": TODAY.isoformat(),
        "decided_by": "ADVP",
        "reason": "Berichten met persoonsgegevens gedeeld.",
    }
    assert client.post(url, member).status_code == 403
    assert not Sanction.objects.exists()
    client.force_login(personas.zone_officer)
    page = client.get(url).content.decode()
    assert 'name="member_ref"' in page and all(f'value="{measure}"' in page for measure in MEMBER_MEASURES)


def test_the_appeal_form_answers_the_zone_and_advp(client, network, personas):
    sanction = _removal(network, personas.zone_officer)
    url = reverse("networks:sanction_appeal", args=[network.code, sanction.pk])
    # The Knowledge Centre sees no sanction; the removed coordinator no longer sees the network at all.
    assert_permission_matrix(
        client,
        url,
        allowed=editors(personas),
        in_scope_wrong_role=[personas.municipality_official],
        hidden=[*hidden(personas), personas.knowledge_centre, personas.coordinator],
    )


def test_the_national_register_is_advp_only(client, personas):
    url = reverse("networks:sanction_national_list")
    others = [person for name, person in personas.all().items() if name != "advp_admin"]
    assert_permission_matrix(client, url, allowed=[personas.advp_admin], in_scope_wrong_role=others)


def test_the_zone_records_a_member_sanction_through_the_form(client, network, personas):
    client.force_login(personas.zone_officer)
    response = client.post(
        reverse("networks:sanction_create", args=[network.code]),
        {
            "target": "member",
            "member_ref": "Lid 0099",
            "measure": "temporary_suspension",
            "decided_on": TODAY.isoformat(),
            "decided_by": "Coördinator en gemandateerde",
            "reason": "Berichten met persoonsgegevens gedeeld.",
            "ends_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    sanction = Sanction.objects.get()
    assert sanction.member_ref == "Lid 0099" and sanction.ends_on == TODAY + datetime.timedelta(days=30)


@pytest.mark.usefixtures("english")  # the assertions read English messages
def test_a_removal_without_the_copy_date_is_refused_on_the_form(client, network, personas):
    client.force_login(personas.zone_officer)
    partner = network.partners.get(role="coordinator")
    response = client.post(
        reverse("networks:sanction_create", args=[network.code]),
        {
            "target": "coordinator",
            "partner": str(partner.pk),
            "measure": "permanent_removal",
            "decided_on": TODAY.isoformat(),
            "decided_by": "Burgemeester",
            "reason": "Inbreuk",
        },
    )
    assert response.status_code == 400
    assert "copy of the decision was sent to ADVP" in response.content.decode()
    assert not Sanction.objects.exists()


@pytest.mark.usefixtures("english")  # the assertions read English messages
def test_the_appeal_badge_says_open_passed_or_lodged(client, network, personas):
    open_one = _removal(network, personas.zone_officer)
    add_partners(network, actor=personas.advp_admin)
    passed = _removal(network, personas.zone_officer, decided_on=TODAY - datetime.timedelta(days=40))
    client.force_login(personas.zone_officer)
    page = client.get(reverse("networks:network_sanctions", args=[network.code])).content.decode()
    assert "appeal deadline open" in page and "appeal deadline passed" in page

    client.post(
        reverse("networks:sanction_appeal", args=[network.code, open_one.pk]),
        {"appeal_lodged_on": TODAY.isoformat(), "appeal_outcome": ""},
    )
    page = client.get(reverse("networks:network_sanctions", args=[network.code])).content.decode()
    assert "appeal lodged" in page and passed.appeal_deadline is not None


def test_the_national_register_lists_coordinator_sanctions_filters_and_keeps_its_query_count(client, network, personas):
    client.force_login(personas.advp_admin)
    url = reverse("networks:sanction_national_list")
    record_talk(network, personas.zone_officer, decided_by="Korpschef 0")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for index in range(1, 6):
        record_talk(network, personas.zone_officer, decided_by=f"Korpschef {index}")
        _reprimand(network, personas.zone_officer, name=f"Lid {index}")
    with CaptureQueriesContext(connection) as six:
        page = client.get(url).content.decode()
    assert "Korpschef 5" in page and "Lid " not in page
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]
    # The page says that member sanctions are not listed, and offers no member measure to filter on.
    assert 'data-sanctions-shown="coordinator"' in page
    assert 'value="member"' not in page and 'value="written_reprimand"' not in page

    _removal(network, personas.zone_officer)
    fragment = client.get(url, {"appeal": "open"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Burgemeester" in fragment and "Korpschef" not in fragment
    fragment = client.get(url, {"measure": "talk", "zone": network.zone_id}, HTTP_HX_REQUEST="true").content.decode()
    assert "Korpschef 5" in fragment and "Burgemeester" not in fragment
    fragment = client.get(url, {"target": "member"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Lid " not in fragment


def _create_link(network, target):
    return f"{reverse('networks:sanction_create', args=[network.code])}?target={target}"


def test_the_network_page_shows_the_sanctions_the_reader_may_see(client, network, personas):
    _reprimand(network, personas.zone_officer, name="Lid 1234")
    record_talk(network, personas.zone_officer, decided_by="Korpschef Smet")
    # reader: (sees the member sanction, sees the coordinator sanction, may record: member, coordinator)
    expected = {
        "zone_officer": (True, True, True, True),
        "coordinator": (True, False, True, False),
        "municipality_official": (False, True, False, False),
        "advp_admin": (False, True, False, True),
    }
    for reader, (member, coordinator, records_member, records_coordinator) in expected.items():
        client.force_login(getattr(personas, reader))
        page = client.get(network.get_absolute_url()).content.decode()
        assert 'id="sanctions-heading"' in page, reader
        assert ("Lid 1234" in page, "Korpschef Smet" in page) == (member, coordinator), reader
        assert (_create_link(network, "member") in page, _create_link(network, "coordinator") in page) == (
            records_member,
            records_coordinator,
        ), reader
        shown_only = None if member == coordinator else ("member" if member else "coordinator")
        assert (f'data-sanctions-shown="{shown_only}"' in page) if shown_only else "data-sanctions-shown" not in page

    # The Knowledge Centre sees the network, but no sanctions section at all.
    client.force_login(personas.knowledge_centre)
    page = client.get(network.get_absolute_url()).content.decode()
    assert 'id="sanctions-heading"' not in page and "Lid 1234" not in page and "Korpschef Smet" not in page


@pytest.mark.parametrize("reader", ["advp_admin", "knowledge_centre"])
def test_national_readers_never_see_a_member_sanction(client, network, personas, reader):
    sanction = _reprimand(network, personas.zone_officer, name="Lid Vertrouwelijk")
    client.force_login(getattr(personas, reader))
    pages = [
        client.get(reverse("networks:sanction_national_list")),
        client.get(reverse("networks:sanction_national_list"), {"target": "member"}),
        client.get(reverse("networks:sanction_national_list"), {"network": network.code}, HTTP_HX_REQUEST="true"),
        client.get(network.get_absolute_url()),
        client.get(reverse("networks:network_sanctions", args=[network.code])),
        client.get(reverse("networks:sanction_appeal", args=[network.code, sanction.pk])),
        client.post(reverse("networks:sanction_appeal", args=[network.code, sanction.pk]), {"appeal_lodged_on": TODAY}),
        client.get("/api/v1/sanctions/"),
        client.get(f"/api/v1/sanctions/{sanction.pk}/"),
    ]
    for response in pages:
        assert "Lid Vertrouwelijk" not in response.content.decode(), response.request["PATH_INFO"]
    national, _, _, network_page, network_list, appeal, appeal_post, api_list, api_detail = pages
    # Nor through the audit trail, which ADVP reads: the member sanction's event does not name the member.
    audit = client.get(reverse("core:audit_list"))
    assert audit.status_code == (200 if reader == "advp_admin" else 403)
    assert "Lid Vertrouwelijk" not in audit.content.decode() and sanction.reason not in audit.content.decode()
    assert national.status_code == (200 if reader == "advp_admin" else 403)
    assert network_page.status_code == 200
    assert network_list.status_code == (200 if reader == "advp_admin" else 404)
    assert appeal.status_code == appeal_post.status_code == api_detail.status_code == 404
    assert api_list.json()["count"] == 0
    sanction.refresh_from_db()
    assert sanction.appeal_lodged_on is None


def test_a_coordinator_sees_the_member_sanctions_of_their_own_network_only(client, network, personas):
    _reprimand(network, personas.zone_officer, name="Lid Eigen")
    talk = record_talk(network, personas.zone_officer, decided_by="Korpschef Smet")
    elsewhere = make_network(personas.zone_officer, name="Noordkwartier")
    _reprimand(elsewhere, personas.zone_officer, name="Lid Ander")
    client.force_login(personas.coordinator)
    page = client.get(reverse("networks:network_sanctions", args=[network.code])).content.decode()
    assert "Lid Eigen" in page and "Lid Ander" not in page and "Korpschef Smet" not in page
    assert 'data-sanctions-shown="member"' in page
    assert client.get(reverse("networks:network_sanctions", args=[elsewhere.code])).status_code == 404
    assert client.get(reverse("networks:sanction_appeal", args=[network.code, talk.pk])).status_code == 404
    # Their other network (network A) has its own register, without this network's sanctions.
    page = client.get(reverse("networks:network_sanctions", args=[personas.network_a.code])).content.decode()
    assert "Lid Eigen" not in page and "Lid Ander" not in page
