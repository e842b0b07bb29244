import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.testing.matrix import ANONYMOUS_DENIED, assert_permission_matrix
from networks.choices import CharterStatus, NetworkStatus
from networks.models import Charter

from .charter_fixtures import (
    PLAN,
    SIGNATORIES,
    add_partners,
    complete_charter,
    editors,
    hidden,
    make_network,
    pdf_upload,
    readers_only,
    viewers,
)

pytestmark = pytest.mark.django_db


def test_charters_are_listed_in_scope(client, draft, personas):
    client.force_login(personas.zone_officer)
    codes = [row["network"] for row in client.get("/api/v1/charters/").json()["results"]]
    assert codes == [draft.network.code]
    client.force_login(personas.other_zone_officer)
    assert client.get("/api/v1/charters/").json()["count"] == 0
    client.logout()
    assert client.get("/api/v1/charters/").status_code in (401, 403)


def test_a_charter_answers_whoever_sees_the_network(client, draft, personas):
    assert_permission_matrix(
        client,
        f"/api/v1/charters/{draft.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=viewers(personas),
        hidden=hidden(personas),
    )
    client.force_login(personas.coordinator)
    data = client.get(f"/api/v1/charters/{draft.pk}/").json()
    assert data["version"] == 1 and data["status"] == "draft" and data["signed_pdf_url"] is None
    assert any("signature of the mayor" in message for message in data["missing"])


def test_the_charter_list_keeps_its_query_count(client, network, personas):
    from networks.services.charter import charter_create

    client.force_login(personas.advp_admin)
    complete_charter(charter_create(actor=personas.advp_admin, network=network), actor=personas.advp_admin)
    client.get("/api/v1/charters/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/charters/")
    for index in range(4):
        extra = make_network(personas.advp_admin, name=f"Wijk {index}")
        add_partners(extra, actor=personas.advp_admin)
        charter = charter_create(actor=personas.advp_admin, network=extra)
        complete_charter(charter, actor=personas.advp_admin)
    with CaptureQueriesContext(connection) as five:
        response = client.get("/api/v1/charters/")
    assert response.json()["count"] == 5
    assert len(five) == len(one)


def test_starting_a_version_answers_the_zone_and_advp(client, network, personas):
    data = {"network": network.code}
    assert_permission_matrix(
        client,
        "/api/v1/charters/",
        method="post",
        data=data,
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.zone_officer],
        allowed_status=(201,),
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )
    client.force_login(personas.advp_admin)
    response = client.post("/api/v1/charters/", data, content_type="application/json")
    assert response.status_code == 400 and "still draft" in str(response.json())


def test_a_charter_is_completed_and_submitted_through_the_api(client, draft, personas, media):
    client.force_login(personas.zone_officer)
    base = f"/api/v1/charters/{draft.pk}"
    response = client.put(f"{base}/plan/", PLAN, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["senders"]["prevention_tip"] == ["police", "coordinator"]
    response = client.post(f"{base}/signed-pdf/", {"signed_pdf": pdf_upload()})
    assert response.status_code == 200 and response.json()["signed_pdf_url"].endswith("/signed.pdf")
    day = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    for signatory, name in SIGNATORIES.items():
        response = client.post(
            f"{base}/signatures/",
            {"signatory": signatory, "name": name, "signed_on": day},
            content_type="application/json",
        )
        assert response.status_code == 200
    assert response.json()["missing"] == []

    response = client.post(f"{base}/submit/")

    assert response.status_code == 200 and response.json()["status"] == "submitted"
    draft.refresh_from_db()
    assert draft.status == CharterStatus.SUBMITTED and draft.network.status == NetworkStatus.CHARTER_SUBMITTED


def test_api_errors_are_specific(client, draft, personas, media):
    client.force_login(personas.zone_officer)
    base = f"/api/v1/charters/{draft.pk}"
    response = client.put(
        f"{base}/plan/", {**PLAN, "senders": {"urgent_alert": ["coordinator"]}}, content_type="application/json"
    )
    assert response.status_code == 400 and "senders" in response.json()
    response = client.post(
        f"{base}/signed-pdf/", {"signed_pdf": pdf_upload(content=b"MZ\x90\x00 not a pdf")}, format="multipart"
    )
    assert response.status_code == 400 and "signed_pdf" in response.json()
    response = client.post(f"{base}/submit/")
    assert response.status_code == 400 and any("not uploaded" in message for message in response.json())
    assert Charter.objects.get(pk=draft.pk).status == CharterStatus.DRAFT


def test_submitting_answers_the_zone_and_advp(client, draft, personas):
    assert_permission_matrix(
        client,
        f"/api/v1/charters/{draft.pk}/submit/",
        method="post",
        anonymous=ANONYMOUS_DENIED,
        allowed=editors(personas),
        allowed_status=(400,),  # allowed, but the draft is incomplete
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )


def test_letters_are_listed_in_scope_with_a_download_link(client, submitted, decide, personas):
    decide(submitted)
    assert_permission_matrix(
        client,
        "/api/v1/letters/",
        anonymous=ANONYMOUS_DENIED,
        allowed=[*viewers(personas), *hidden(personas)],
    )
    client.force_login(personas.other_zone_officer)
    assert client.get("/api/v1/letters/").json()["count"] == 0
    client.force_login(personas.municipality_official)
    rows = client.get("/api/v1/letters/", {"recipient": "mayor"}).json()["results"]
    assert len(rows) == 1 and rows[0]["reference"].startswith("ADVP/") and rows[0]["language"] == "nl"
    assert rows[0]["emailed_at"] is not None
    download = client.get(rows[0]["download_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    letter_id = rows[0]["id"]
    assert_permission_matrix(
        client,
        f"/api/v1/letters/{letter_id}/download/",
        anonymous=ANONYMOUS_DENIED,
        allowed=viewers(personas),
        hidden=hidden(personas),
    )


def test_the_letter_list_keeps_its_query_count(client, network, personas, decide):
    from .charter_fixtures import submitted_charter

    client.force_login(personas.advp_admin)
    decide(submitted_charter(network, actor=personas.zone_officer))
    client.get("/api/v1/letters/")
    with CaptureQueriesContext(connection) as one:
        client.get("/api/v1/letters/")
    for index in range(2):
        extra = make_network(personas.advp_admin, name=f"Wijk {index}")
        add_partners(extra, actor=personas.advp_admin)
        decide(submitted_charter(extra, actor=personas.advp_admin))
    with CaptureQueriesContext(connection) as three:
        response = client.get("/api/v1/letters/")
    assert response.json()["count"] == 6
    assert len(three) == len(one)


@pytest.mark.parametrize(
    ("action", "method", "data"),
    [
        ("plan", "put", PLAN),
        ("signatures", "post", {"signatory": "mayor", "name": "An De Wit", "signed_on": "2020-01-01"}),
        ("signed-pdf", "post", {}),
    ],
)
def test_preparing_through_the_api_answers_the_zone_and_advp(client, draft, personas, media, action, method, data):
    assert_permission_matrix(
        client,
        f"/api/v1/charters/{draft.pk}/{action}/",
        method=method,
        data=data,
        anonymous=ANONYMOUS_DENIED,
        allowed=editors(personas),
        allowed_status=(200, 400),  # the empty upload is a 400 for those allowed
        in_scope_wrong_role=readers_only(personas),
        hidden=hidden(personas),
    )


def test_one_letter_answers_whoever_sees_the_network(client, submitted, decide, personas):
    letter = decide(submitted).letters.get(recipient="chief_of_police")
    assert_permission_matrix(
        client,
        f"/api/v1/letters/{letter.pk}/",
        anonymous=ANONYMOUS_DENIED,
        allowed=viewers(personas),
        hidden=hidden(personas),
    )
