"""The public statistics page, the open-data page, the downloads and the API: anonymous access, shapes of CSV and
JSON, no personal data, bad input, queries per download, the OpenAPI schema."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.testing.matrix import ANONYMOUS_ALLOWED, assert_permission_matrix
from dashboard import opendata_selectors as opendata

from . import test_opendata_support as support
from .test_opendata_support import BOOM

pytestmark = pytest.mark.django_db

BASE_COLUMNS = {"level", "code", "name_nl", "name_fr", "name_de", "year", "members", "members_suppressed"}
NETWORK_COLUMNS = {
    f"networks_{figure}{suffix}"
    for figure in ("active", "founded", "dissolved", "merged")
    for suffix in ("", "_residential", "_self_employed", "_sectoral")
}
MESSAGE_COLUMNS = {
    f"messages_{kind}"
    for kind in ("sent", "urgent_alert", "feedback", "prevention_tip", "newsletter", "missing_person", "crisis")
}
EXPECTED_COLUMNS = {
    "municipality": BASE_COLUMNS | NETWORK_COLUMNS | {"province_code"},
    "zone": BASE_COLUMNS
    | NETWORK_COLUMNS
    | MESSAGE_COLUMNS
    | {"province_code", "officers_mandated", "officers_trained"},
    "province": BASE_COLUMNS | NETWORK_COLUMNS | MESSAGE_COLUMNS | {"officers_mandated", "officers_trained"},
    "country": BASE_COLUMNS
    | NETWORK_COLUMNS
    | MESSAGE_COLUMNS
    | {"officers_mandated", "officers_trained", "practices_published"},
}
PERSONAL = ("Secret", "Person", "opendata", "@example.be", "Geheimstraat", "agent@police.be", "Agent")


known_dataset = support.known_dataset  # the fixture, under its name in this module


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content if response.streaming else [response.content]).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# --- access ------------------------------------------------------------------------------------------------------


def test_every_url_is_open_to_everyone(known_dataset, personas):
    people = list(personas.all().values())
    urls = [
        reverse("dashboard:public_statistics"),
        reverse("dashboard:open_data"),
        reverse("dashboard:open_data") + "?year=2023",
        reverse("open_data_index"),
    ]
    for level in opendata.LEVELS:
        urls += [
            reverse("dashboard:open_data_csv", args=[level]),
            reverse("dashboard:open_data_json", args=[level]) + "?year=2024",
            reverse("open_data_level", args=[level]),
            reverse("open_data_level", args=[level]) + "?format=csv&year=2022",
        ]
    for url in urls:
        client = APIClient() if url.startswith("/api/") else Client()
        assert_permission_matrix(client, url, allowed=people, anonymous=ANONYMOUS_ALLOWED)


# --- shapes ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", opendata.LEVELS)
def test_csv_and_json_hold_the_same_rows_and_only_aggregate_columns(client, known_dataset, level):
    client.cookies["binplp_language"] = "en"
    assert set(opendata.columns(level)) == EXPECTED_COLUMNS[level]
    response = client.get(reverse("dashboard:open_data_csv", args=[level]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert f"binplp-open-data-{level}-all.csv" in response["Content-Disposition"]
    table = _csv(response)
    assert table[0] == opendata.columns(level)
    assert all(len(line) == len(table[0]) for line in table)
    response = client.get(reverse("dashboard:open_data_json", args=[level]))
    document = json.loads(response.content)
    assert set(document) == {"metadata", "rows"}
    metadata = document["metadata"]
    assert metadata["licence"] == "CC BY 4.0" and "Knowledge Centre BIN" in metadata["attribution"]
    assert metadata["columns"] == opendata.columns(level) and metadata["suppression"]["min_count"] == 10
    assert metadata["level"] == level and metadata["year"] is None
    assert len(document["rows"]) == len(table) - 1
    assert all(set(row) == EXPECTED_COLUMNS[level] for row in document["rows"])
    for line, row in zip(table[1:], document["rows"], strict=True):
        assert line[table[0].index("code")] == row["code"]
        assert line[table[0].index("members")] == ("" if row["members"] is None else str(row["members"]))
    api = APIClient().get(reverse("open_data_level", args=[level]))
    assert api.status_code == 200 and api.json()["rows"] == document["rows"]
    api_csv = APIClient().get(reverse("open_data_level", args=[level]) + "?format=csv")
    assert api_csv.status_code == 200 and api_csv["Content-Type"].startswith("text/csv")
    assert _csv(api_csv) == table
    for text in (response.content.decode(), api_csv.content.decode()):
        assert not any(word in text for word in PERSONAL)


def test_a_year_filter_gives_that_year(client, known_dataset):
    response = client.get(reverse("dashboard:open_data_csv", args=["municipality"]), {"year": "2024"})
    table = _csv(response)
    years = {line[table[0].index("year")] for line in table[1:]}
    assert years == {"2024"} and "municipality-2024.csv" in response["Content-Disposition"]
    boom = next(line for line in table[1:] if line[1] == BOOM)
    assert boom[table[0].index("members")] == "" and boom[table[0].index("members_suppressed")] == "true"
    api = APIClient().get(reverse("open_data_level", args=["country"]), {"year": "2023"}).json()
    assert [row["year"] for row in api["rows"]] == [2023] and api["metadata"]["year"] == 2023


def test_the_index_lists_every_level(known_dataset):
    body = APIClient().get(reverse("open_data_index")).json()
    assert [dataset["level"] for dataset in body["datasets"]] == list(opendata.LEVELS)
    assert body["licence"] == "CC BY 4.0" and body["years"][0] == 2020
    assert body["data_dictionary"].endswith(reverse("dashboard:open_data"))


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_statistics_page_shows_national_figures_and_provinces(client, known_dataset):
    response = client.get(reverse("dashboard:public_statistics"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-figure="networks_active">3<' in html  # Boom Centrum, Hemiksem Dorp, Gent Apothekers
    assert 'data-row="10000"' in html and 'data-row="40000"' in html
    assert reverse("dashboard:open_data_csv", args=["province"]) in html and "CC BY 4.0" in html


@pytest.mark.parametrize("language", ["nl", "fr", "de", "en"])
def test_the_open_data_page_has_the_dictionary_in_each_language(client, known_dataset, language):
    response = client.get(reverse("dashboard:open_data"), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    assert response.status_code == 200 and f'lang="{language}"' in html
    for column in opendata.columns("country") + ["province_code"]:
        assert f'data-column="{column}"' in html
    assert "CC BY 4.0" in html and reverse("dashboard:open_data_json", args=["zone"]) in html


def test_pages_work_without_any_data(client, reference_data):
    assert client.get(reverse("dashboard:public_statistics")).status_code == 200
    assert client.get(reverse("dashboard:open_data")).status_code == 200
    assert APIClient().get(reverse("open_data_level", args=["country"])).json()["rows"] == []


# --- bad input ---------------------------------------------------------------------------------------------------


def test_an_unknown_level_is_404_with_a_message(client, known_dataset):
    response = client.get("/statistics/open-data/street.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "no open data at level “street”" in response.content.decode()
    api = APIClient().get("/api/v1/open-data/street/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 404 and "municipality, zone, province or country" in api.json()["detail"]


@pytest.mark.parametrize(
    ("year", "message"),
    [
        ("1999", "There are no figures for 1999: choose a year from 2020 to"),
        ("2999", "There are no figures for 2999"),
        ("20x4", "four digits"),
        ("-1", "four digits"),
    ],
)
def test_a_year_without_data_is_400_with_a_message(client, known_dataset, year, message):
    page = client.get(reverse("dashboard:open_data"), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 400 and message in page.content.decode() and "data-error" in page.content.decode()
    download = client.get(reverse("dashboard:open_data_json", args=["zone"]), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")
    assert download.status_code == 400 and message in download.content.decode()
    api = APIClient().get(reverse("open_data_level", args=["zone"]), {"year": year}, HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and message in api.json()["year"][0]
    api_csv = APIClient().get(
        reverse("open_data_level", args=["zone"]), {"year": year, "format": "csv"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert api_csv.status_code == 400 and message in api_csv.content.decode()


def test_a_year_when_there_is_no_data_at_all(client, reference_data):
    response = client.get(
        reverse("dashboard:open_data"), {"year": str(timezone.localdate().year)}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400 and "There are no figures yet, for any year." in response.content.decode()
    api = APIClient().get(reverse("open_data_level", args=["zone"]), {"year": "2024"}, HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 400 and api.json()["year"] == ["There are no figures yet, for any year."]


# --- queries -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", opendata.LEVELS)
def test_a_download_takes_a_bounded_number_of_queries(client, known_dataset, level):
    url = reverse("dashboard:open_data_csv", args=[level])
    with CaptureQueriesContext(connection) as cold:
        assert client.get(url).status_code == 200
    assert len(cold.captured_queries) <= 40
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm.captured_queries) <= 8  # the fingerprint, nothing else
    with CaptureQueriesContext(connection) as api:
        assert APIClient().get(reverse("open_data_level", args=[level])).status_code == 200
    assert len(api.captured_queries) <= 8


# --- schema ------------------------------------------------------------------------------------------------------


def test_the_openapi_schema_stays_valid_and_documents_the_open_data(tmp_path, capsys):
    # --validate checks the whole schema against OpenAPI 3; warnings are checked for this app's views only, because
    # apps being built beside it may still have their own.
    call_command("spectacular", "--validate", "--file", str(tmp_path / "schema.yaml"))
    warnings = capsys.readouterr().err
    assert "opendata" not in warnings.lower() and "open_data" not in warnings and "OpenData" not in warnings
    schema = (tmp_path / "schema.yaml").read_text()
    assert "/api/v1/open-data/{level}/" in schema and "open_data_index" in schema
