"""API fuzzing (issue 9): every operation of the project's own OpenAPI schema, called with data that Schemathesis
generates from it — valid and invalid — as every persona and anonymously, through the WSGI application in-process.

Each response must not be a server error, must have a status code and content type the schema documents, must
match the documented body, and invalid input must be refused with a 4xx. Generation is derandomised (Hypothesis
derives the seed from the test), so a failure in CI reproduces locally with the same command.
"""

import json
import os
import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

# Examples per operation and persona: the whole matrix (operations x 10 personas) has to fit the normal `make test`
# (SQLite, -n 2). BINPLP_FUZZ_EXAMPLES=50 for a deeper run by hand.
MAX_EXAMPLES = int(os.environ.get("BINPLP_FUZZ_EXAMPLES", "3"))

PERSONAS = [
    "anonymous",
    "advp_admin",
    "knowledge_centre",
    "zone_officer",
    "other_zone_officer",
    "municipality_official",
    "coordinator",
    "member",
    "trainer",
    "outsider",
]


def rejects_invalid_input(ctx, response, case):
    """Schemathesis' negative_data_rejection, except for an empty query value (`?kind=`): the API reads it as "no
    filter", as the HTML lists sharing its FilterSets (django-filter) do."""
    data = case.meta.phase.data if case.meta is not None else None
    parameter = getattr(data, "parameter", None)
    if parameter and case.query and case.query.get(parameter) in ("", [""]):
        return None
    return negative_data_rejection(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    rejects_invalid_input,
]


def _load_schema():
    """The schema as /api/schema/ serves it, generated in-process (no request, no database)."""
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    schema = schemathesis.openapi.from_dict(document)
    schema.app = get_wsgi_application()
    return schema


SCHEMA = _load_schema()
OPERATIONS = sorted(
    (result.ok() for result in SCHEMA.get_all_operations()), key=lambda operation: (operation.path, operation.method)
)


@pytest.fixture
def server_errors():
    """Tracebacks of exceptions the views raised: the 500 page hides them, the failure message should not."""
    caught = []

    def record(sender, request=None, **kwargs):
        caught.append(traceback.format_exc())

    got_request_exception.connect(record, weak=False)
    # As Django's test client does: the WSGI handler must not close the connection holding the test's transaction
    # (PostgreSQL; SQLite's in-memory database ignores the close).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield caught
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    got_request_exception.disconnect(record)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_it_answers_generated_requests_as_documented(operation, personas, server_errors, record_property):
    failures = []
    requests = []
    for persona in PERSONAS:
        try:
            _fuzz(operation, _headers(personas, persona), server_errors, requests)
        except Exception as error:  # every persona is tried; the report lists all that failed
            failures.append(f"--- as {persona}:\n{_describe(error)}")
    record_property("requests", len(requests))  # in --junitxml, for the figures of notes/reliability-fuzz.md
    if failures:
        pytest.fail(f"{operation.label}\n" + "\n".join(failures), pytrace=False)


def _headers(personas, persona: str) -> dict[str, str]:
    headers = {"Accept-Language": "en"}
    if persona != "anonymous":
        headers["Authorization"] = f"Token {Token.objects.get_or_create(user=getattr(personas, persona))[0].key}"
    return headers


def _fuzz(operation, headers: dict[str, str], server_errors: list[str], requests: list) -> None:
    strategy = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE, headers=headers),
        operation.as_strategy(GenerationMode.NEGATIVE, headers=headers),
    )

    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
    )
    @given(case=strategy)
    def fuzz(case):
        server_errors.clear()
        requests.append(case)
        # Each example writes inside a savepoint that is rolled back, so examples do not see each other's rows.
        with transaction.atomic():
            try:
                case.call_and_validate(checks=CHECKS)
            except AssertionError as error:
                if server_errors:
                    error.add_note(f"The view raised:\n{server_errors[-1]}")
                raise
            finally:
                transaction.set_rollback(True)

    fuzz()


def _describe(error: BaseException) -> str:
    return "\n".join(traceback.format_exception_only(error)) + "\n".join(getattr(error, "__notes__", []))
