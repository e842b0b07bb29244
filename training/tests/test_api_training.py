"""The training API (/api/v1/training/…): sessions, enrolments, certificate verification, coverage, statistics."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from core.models import AuditEvent
from core.testing.matrix import ANONYMOUS_ALLOWED, ANONYMOUS_DENIED, assert_permission_matrix
from training.models import Enrolment, Session, Trainee

from .coverage_support import certify, known_dataset

pytestmark = pytest.mark.django_db

SESSIONS = "/api/v1/training/sessions/"
ENROLMENTS = "/api/v1/training/enrolments/"
VERIFY = "/api/v1/training/certificates/verify/{}/"
COVERAGE = "/api/v1/training/coverage/"
STATISTICS = "/api/v1/training/statistics/"


@pytest.fixture
def api():
    return APIClient(headers={"Accept-Language": "en"})


def _when(days: int, hour: int = 9) -> str:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone()).isoformat()


# --- sessions ----------------------------------------------------------------------------------------------------


def test_sessions_are_listed_as_each_caller_sees_them(api, personas, make_session):
    from geography.models import Academy

    published = make_session()
    draft = make_session(status="draft")
    other_draft = make_session(status="draft", academy=Academy.objects.get(code="paulo"))
    assert_permission_matrix(
        api,
        SESSIONS,
        anonymous=ANONYMOUS_ALLOWED,
        allowed=[personas.advp_admin, personas.trainer, personas.zone_officer, personas.outsider],
    )

    def ids(user=None) -> set[int]:
        api.force_authenticate(user)
        return {row["id"] for row in api.get(SESSIONS).json()["results"]}

    assert ids() == {published.pk}
    assert ids(personas.zone_officer) == {published.pk}
    assert ids(personas.trainer) == {published.pk, draft.pk}
    assert ids(personas.advp_admin) == {published.pk, draft.pk, other_draft.pk}
    api.force_authenticate(None)
    assert api.get(f"{SESSIONS}{draft.pk}/").status_code == 404
    assert api.get(f"{SESSIONS}{published.pk}/").json()["place"] == published.place


def test_the_session_list_takes_the_same_queries_for_few_or_many(
    api, personas, make_session, django_assert_max_num_queries
):
    make_session()
    api.force_authenticate(personas.trainer)
    api.get(SESSIONS)
    with django_assert_max_num_queries(4):
        assert api.get(SESSIONS).status_code == 200
    for days in range(15, 30):
        make_session(days=days)
    with django_assert_max_num_queries(4):
        assert len(api.get(SESSIONS).json()["results"]) == 16


def test_a_trainer_plans_publishes_changes_and_cancels_a_session(api, personas, course_version):
    body = {
        "academy": "vesta",
        "version": course_version.pk,
        "starts_at": _when(30),
        "ends_at": _when(30, 16),
        "place": "Campus Vesta, Ranst",
        "language": "nl",
        "capacity": 12,
    }
    assert_permission_matrix(
        api,
        SESSIONS,
        method="post",
        data=body,
        anonymous=ANONYMOUS_DENIED,
        in_scope_wrong_role=[personas.advp_admin, personas.zone_officer, personas.outsider],
    )
    api.force_authenticate(personas.trainer)
    response = api.post(SESSIONS, body, format="json")
    assert response.status_code == 201, response.json()
    session = Session.objects.get(pk=response.json()["id"])
    assert session.status == "draft" and session.created_by == personas.trainer and session.capacity == 12
    detail = f"{SESSIONS}{session.pk}/"
    response = api.patch(detail, {"capacity": 15}, format="json")
    assert response.status_code == 200 and response.json()["capacity"] == 15
    assert api.post(f"{detail}publish/").json()["status"] == "published"
    # A zone officer sees the published session but may not change it (403).
    api.force_authenticate(personas.zone_officer)
    assert api.patch(detail, {"capacity": 3}, format="json").status_code == 403
    api.force_authenticate(personas.trainer)
    response = api.post(f"{detail}cancel/", {"reason": "Trainer ill"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert AuditEvent.objects.filter(object_id=str(session.pk)).count() >= 4
    # Cancelled, it is out of the zone officer's sight.
    api.force_authenticate(personas.zone_officer)
    assert api.patch(detail, {"capacity": 3}, format="json").status_code == 404


def test_bad_session_input_is_a_400_by_field(api, personas, course_version):
    api.force_authenticate(personas.trainer)
    body = {
        "academy": "vesta",
        "version": course_version.pk,
        "starts_at": _when(30, 16),
        "ends_at": _when(30, 9),
        "place": "Campus Vesta",
        "language": "nl",
        "capacity": 12,
    }
    response = api.post(SESSIONS, body, format="json")
    assert response.status_code == 400 and response.json()
    assert api.post(SESSIONS, {**body, "academy": "nowhere"}, format="json").json() == {"academy": ["No such academy."]}
    assert api.post(SESSIONS, {**body, "academy": "paulo"}, format="json").status_code == 403
    assert not Session.objects.exists()


# --- enrolments --------------------------------------------------------------------------------------------------


def test_a_zone_officer_enrols_staff_and_cancels(api, personas, make_session):
    session = make_session(capacity=1)
    person = {"first_name": "Jan", "last_name": "Peeters", "email": "Jan.Peeters@police.test"}
    api.force_authenticate(personas.zone_officer)
    response = api.post(ENROLMENTS, {"session": session.pk, "trainee": person}, format="json")
    assert response.status_code == 201, response.json()
    first = response.json()
    assert first["status"] == "enrolled" and first["source"] == "zone" and first["zone"] == 5345
    second = api.post(
        ENROLMENTS,
        {"session": session.pk, "trainee": {**person, "email": "an@police.test", "first_name": "An"}},
        format="json",
    ).json()
    assert second["status"] == "waiting"
    again = api.post(ENROLMENTS, {"session": session.pk, "trainee": person}, format="json")
    assert again.status_code == 400
    assert Trainee.objects.filter(email__iexact="jan.peeters@police.test").count() == 1
    response = api.post(f"{ENROLMENTS}{first['id']}/cancel/", {"reason": "Ill"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    assert Enrolment.objects.get(pk=second["id"]).status == "enrolled"  # the waiting list moved up
    # The other zone neither sees nor cancels them.
    api.force_authenticate(personas.other_zone_officer)
    assert api.get(ENROLMENTS).json()["count"] == 0
    assert api.post(f"{ENROLMENTS}{second['id']}/cancel/").status_code == 404


def test_enrolment_creation_is_for_zone_officers_and_trainers(api, personas, make_session):
    session = make_session()
    body = {"session": session.pk, "trainee": {"first_name": "A", "last_name": "B", "email": "ab@police.test"}}
    assert_permission_matrix(
        api,
        ENROLMENTS,
        method="post",
        data=body,
        anonymous=ANONYMOUS_DENIED,
        in_scope_wrong_role=[personas.coordinator, personas.outsider, personas.member],
    )
    api.force_authenticate(personas.trainer)
    response = api.post(ENROLMENTS, {**body, "zone": 5339}, format="json")
    assert response.status_code == 201 and response.json()["source"] == "academy" and response.json()["zone"] == 5339
    api.force_authenticate(personas.zone_officer)
    other = {**body, "trainee": {**body["trainee"], "email": "x@police.test"}, "zone": 5339}
    assert api.post(ENROLMENTS, other, format="json").status_code == 400


def test_enrolments_are_listed_in_scope_with_bounded_queries(
    api, personas, make_session, make_trainee, django_assert_max_num_queries
):
    from geography.models import PoliceZone

    session = make_session(capacity=50)
    brussels = PoliceZone.objects.current().get(code=5339)
    ours = Enrolment.objects.create(session=session, trainee=make_trainee(), status="enrolled", source="zone")
    theirs = Enrolment.objects.create(
        session=session, trainee=make_trainee(zone=brussels), status="enrolled", source="zone"
    )
    assert_permission_matrix(
        api,
        ENROLMENTS,
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin, personas.trainer, personas.zone_officer, personas.outsider],
    )

    def ids(user) -> set[int]:
        api.force_authenticate(user)
        return {row["id"] for row in api.get(ENROLMENTS, {"session": session.pk}).json()["results"]}

    assert ids(personas.zone_officer) == {ours.pk}
    assert ids(personas.other_zone_officer) == {theirs.pk}
    assert ids(personas.trainer) == ids(personas.knowledge_centre) == {ours.pk, theirs.pk}
    assert ids(personas.outsider) == set()
    for _i in range(20):
        Enrolment.objects.create(session=session, trainee=make_trainee(), status="enrolled", source="zone")
    api.force_authenticate(personas.trainer)
    api.get(ENROLMENTS)
    with django_assert_max_num_queries(4):
        assert api.get(ENROLMENTS).json()["count"] == 22


# --- certificates ------------------------------------------------------------------------------------------------


def test_anyone_verifies_a_certificate_and_learns_little(api, personas, make_session, make_trainee):
    from training.services.certificates import certificate_code_new

    enrolment = certify(make_trainee(first_name="Els", last_name="Smet"), session=make_session(days=-10))
    certificate = enrolment.certificate
    certificate.code = certificate_code_new()
    certificate.save()
    assert_permission_matrix(
        api, VERIFY.format(certificate.code), anonymous=ANONYMOUS_ALLOWED, allowed=[personas.outsider]
    )
    body = api.get(VERIFY.format(certificate.code.lower().replace("-", ""))).json()
    assert body["holder_name"] == "Els Smet" and body["valid"] and not body["revoked"]
    assert set(body) == {"code", "holder_name", "course", "issued_on", "valid_until", "valid", "revoked"}
    response = api.get(VERIFY.format("not-a-code"))
    assert response.status_code == 400 and "not a certificate code" in response.json()["code"][0]
    unknown = certificate_code_new()
    assert api.get(VERIFY.format(unknown)).status_code == 404


# --- coverage and statistics -------------------------------------------------------------------------------------


def test_coverage_in_scope(api, personas, make_session, make_trainee, make_officer, django_assert_max_num_queries):
    known_dataset(personas, make_session, make_trainee, make_officer)
    assert_permission_matrix(
        api,
        COVERAGE,
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin, personas.knowledge_centre, personas.zone_officer],
        in_scope_wrong_role=[personas.trainer, personas.coordinator, personas.outsider],
    )
    api.force_authenticate(personas.advp_admin)
    api.get(COVERAGE)
    with django_assert_max_num_queries(12):
        body = api.get(COVERAGE).json()
    assert body["scope"] == "national" and body["total"]["officers"] == 7 and body["total"]["trained"] == 4
    assert body["total"]["networks_without_officer"] == 2 and body["total"]["networks_not_covered"] == 4
    assert [row["province"] for row in body["provinces"]] == ["10000", None]
    assert {row["zone"]: row["trained"] for row in body["zones"]} == {5345: 2, 5339: 2}
    api.force_authenticate(personas.zone_officer)
    body = api.get(COVERAGE).json()
    assert body["scope"] == "zones" and [row["zone"] for row in body["zones"]] == [5345]
    assert body["total"]["officers"] == 5


def test_statistics_in_scope(api, personas, make_session, make_trainee):
    from geography.models import Academy

    certify(make_trainee(), session=make_session(days=-20, status="closed"))
    certify(make_trainee(), session=make_session(days=-20, status="closed", academy=Academy.objects.get(code="pivo")))
    assert_permission_matrix(
        api,
        STATISTICS,
        anonymous=ANONYMOUS_DENIED,
        allowed=[personas.advp_admin, personas.knowledge_centre, personas.trainer],
        in_scope_wrong_role=[personas.zone_officer, personas.coordinator, personas.outsider],
    )
    api.force_authenticate(personas.trainer)
    rows = api.get(STATISTICS).json()
    assert [row["academy_code"] for row in rows] == ["vesta"] and rows[0]["certificates"] == 1
    api.force_authenticate(personas.advp_admin)
    assert {row["academy_code"] for row in api.get(STATISTICS).json()} == {"vesta", "pivo"}
    assert api.get(STATISTICS, {"year": 1990}).status_code == 400
    assert api.get(STATISTICS, {"year": 2001}).json() == []


def test_the_schema_documents_the_endpoints(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    schema = (tmp_path / "schema.yaml").read_text()
    for path in (
        "/api/v1/training/sessions/",
        "/api/v1/training/sessions/{id}/",
        "/api/v1/training/sessions/{id}/publish/",
        "/api/v1/training/sessions/{id}/cancel/",
        "/api/v1/training/enrolments/",
        "/api/v1/training/enrolments/{id}/cancel/",
        "/api/v1/training/certificates/verify/{code}/",
        "/api/v1/training/coverage/",
        "/api/v1/training/statistics/",
    ):
        assert f"{path}:" in schema, path
    assert "operationId: training_statistics" in schema and "trained_officers" in schema


def test_a_bad_upcoming_flag_is_refused(api):
    """Found by core/tests/test_api_fuzz.py: `upcoming=null` (the schema says boolean) was read as false."""
    response = api.get("/api/v1/training/sessions/", {"upcoming": "null"})
    assert response.status_code == 400 and "upcoming" in response.json()
    assert api.get("/api/v1/training/sessions/", {"upcoming": "false"}).status_code == 200
    assert api.get("/api/v1/training/sessions/", {"upcoming": "true"}).status_code == 200
