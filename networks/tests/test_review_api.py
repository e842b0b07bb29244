import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from networks.choices import CharterStatus, NetworkStatus
from networks.models import Letter

from .charter_fixtures import (
    add_partners,
    all_results,
    hidden,
    make_network,
    submitted_charter,
)

pytestmark = pytest.mark.django_db


def _non_advp(personas):
    return [person for name, person in personas.all().items() if name != "advp_admin"]


def test_the_queue_is_advp_only(client, submitted, personas):
    assert_permission_matrix(
        client,
        "/api/v1/charter-reviews/",
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin],
        in_scope_wrong_role=_non_advp(personas),
    )
    client.force_login(personas.advp_admin)
    rows = client.get("/api/v1/charter-reviews/").json()["results"]
    assert [row["charter"] for row in rows] == [submitted.pk]
    assert rows[0]["age_days"] == 0 and rows[0]["review"] is None


def test_a_review_answers_advp_and_refuses_the_others(client, submitted, personas):
    assert_permission_matrix(
        client,
        f"/api/v1/charter-reviews/{submitted.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin],
        in_scope_wrong_role=[
            personas.knowledge_centre,
            personas.zone_officer,
            personas.municipality_official,
            personas.coordinator,
        ],
        hidden=hidden(personas),
    )
    client.force_login(personas.advp_admin)
    data = client.get(f"/api/v1/charter-reviews/{submitted.pk}/").json()
    assert len(data["checklist"]) == 10 and {"id", "code", "text"} <= set(data["checklist"][0])


def test_advp_decides_through_the_api(client, submitted, personas, smtp_server, django_capture_on_commit_callbacks):
    client.force_login(personas.advp_admin)
    payload = {
        "decision": "changes_needed",
        "remarks": "",
        "results": all_results(unsatisfied_codes=("internal_rules",), remark="Versie ontbreekt."),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/charter-reviews/{submitted.pk}/decide/", payload, content_type="application/json"
        )

    assert response.status_code == 200, response.json()
    data = response.json()
    assert data["status"] == "changes_needed" and data["review"]["decision"] == "changes_needed"
    assert data["review"]["lead_time_days"] is not None
    unsatisfied = [row for row in data["review"]["results"] if not row["satisfied"]]
    assert [row["code"] for row in unsatisfied] == ["internal_rules"]
    submitted.refresh_from_db()
    assert submitted.network.status == NetworkStatus.IN_PREPARATION
    assert Letter.objects.filter(charter=submitted).count() == 2 and smtp_server.messages


def test_deciding_answers_only_advp(client, submitted, personas):
    payload = {"decision": "conform", "results": all_results()}
    assert_permission_matrix(
        client,
        f"/api/v1/charter-reviews/{submitted.pk}/decide/",
        method="post",
        data=payload,
        anonymous=ANONYMOUS_DENIED,
        in_scope_wrong_role=[
            personas.knowledge_centre,
            personas.zone_officer,
            personas.municipality_official,
            personas.coordinator,
        ],
        hidden=hidden(personas),
    )
    submitted.refresh_from_db()
    assert submitted.status == CharterStatus.SUBMITTED


def test_a_bad_decision_is_a_specific_400(client, submitted, personas):
    client.force_login(personas.advp_admin)
    response = client.post(
        f"/api/v1/charter-reviews/{submitted.pk}/decide/",
        {"decision": "conform", "results": all_results(unsatisfied_codes=("area",), remark="x")},
        content_type="application/json",
    )
    assert response.status_code == 400 and "decision" in response.json()
    assert not Letter.objects.exists()


def test_the_queue_keeps_its_query_count(client, network, personas):
    client.force_login(personas.advp_admin)
    submitted_charter(network, actor=personas.zone_officer)
    client.get("/api/v1/charter-reviews/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/charter-reviews/")
    for index in range(3):
        extra = make_network(personas.advp_admin, name=f"Wijk {index}")
        add_partners(extra, actor=personas.advp_admin)
        submitted_charter(extra, actor=personas.advp_admin)
    with CaptureQueriesContext(connection) as four:
        assert client.get("/api/v1/charter-reviews/").json()["count"] == 4
    assert len(four) == len(one)
