"""Export of the filtered network list: headers per language, contents, scope, filters, no personal data."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from core.testing.matrix import assert_permission_matrix
from geography.models import Province
from networks.models import Network
from networks.services.export import export_headers
from networks.services.importer import networks_import
from networks.spreadsheets import read_xlsx
from networks.tests.import_helpers import row, table

pytestmark = pytest.mark.django_db

CSV_URL = reverse("networks:network_export", args=["csv"])
XLSX_URL = reverse("networks:network_export", args=["xlsx"])


def _csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    reader = csv.reader(io.StringIO(text[1:]), delimiter=";")
    header = next(reader)
    return [dict(zip(header, values, strict=True)) for values in reader]


def _codes(client, user, query: str = "") -> set[str]:
    client.force_login(user)
    with translation.override("en"):
        code = str(export_headers()[0])
    return {line[code] for line in _csv(client.get(CSV_URL + query))}


def test_every_role_that_sees_networks_may_export(client, personas):
    allowed = [
        personas.advp_admin,
        personas.knowledge_centre,
        personas.zone_officer,
        personas.municipality_official,
        personas.coordinator,
    ]
    refused = [personas.member, personas.trainer, personas.outsider]
    for url in (CSV_URL, XLSX_URL):
        assert_permission_matrix(client, url, allowed=allowed, in_scope_wrong_role=refused)
    client.force_login(personas.advp_admin)
    assert client.get(reverse("networks:network_export", args=["pdf"])).status_code == 404


def test_the_export_holds_only_the_networks_in_the_user_s_scope(client, personas):
    a, b = personas.network_a.code, personas.network_b.code
    assert _codes(client, personas.advp_admin) >= {a, b}
    assert _codes(client, personas.zone_officer) == {a}
    assert _codes(client, personas.other_zone_officer) == {b}
    assert _codes(client, personas.municipality_official) == {a}
    assert _codes(client, personas.coordinator) == {a}


def test_the_export_follows_the_list_filters(client, personas):
    antwerp = Province.objects.get(refnis="10000")
    assert _codes(client, personas.advp_admin, f"?province={antwerp.pk}") == {personas.network_a.code}
    assert _codes(client, personas.advp_admin, "?status=dormant") == set()
    assert _codes(client, personas.advp_admin, "?q=Network B&page=7") == {personas.network_b.code}
    response = client.get(CSV_URL + "?province=not-a-province")
    assert response.status_code == 400


def test_csv_contents_in_the_import_format_with_headers_in_the_user_s_language(client, personas):
    personas.advp_admin.language = "nl"
    personas.advp_admin.save(update_fields=["language"])
    client.force_login(personas.advp_admin)  # Dutch
    lines = _csv(client.get(CSV_URL + "?q=Network A"))
    with translation.override("nl"):
        headers = export_headers()
        assert list(lines[0]) == headers
    values = list(lines[0].values())
    assert values[:3] == ["BIN-11002-1", "BIN Network A", values[2]]
    assert values[6:10] == ["11002", "", "5345", "2019-03-01"]
    assert values[13] == "Groenplaats;2000 | Meir;2000 | Mechelsesteenweg;2018"

    client.force_login(personas.other_zone_officer)  # French
    lines = _csv(client.get(CSV_URL))
    with translation.override("fr"):
        assert list(lines[0]) == export_headers()


def test_xlsx_holds_the_same_rows_and_no_personal_data(client, personas):
    client.force_login(personas.advp_admin)
    response = client.get(XLSX_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="binplp-networks-')
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    csv_lines = _csv(client.get(CSV_URL))
    assert len(sheet) == len(csv_lines) + 1
    everything = repr(sheet) + client.get(CSV_URL).content.decode()
    coordinator = personas.coordinator
    assert personas.network_a.partners.filter(email=coordinator.email).exists()
    for personal in (coordinator.email, coordinator.last_name, "Wouters"):
        assert personal not in everything


def test_an_exported_file_imports_again_without_changes(client, personas):
    client.force_login(personas.advp_admin)
    networks_import(
        actor=personas.advp_admin,
        table=table(
            [
                row(
                    name="PLP Sectoriel",
                    kind="sectoral",
                    sector="jewellers",
                    municipality="21004",
                    public_phone="+32 2 555 12 12",
                ),
                row(
                    name="BIN Pare",
                    municipality="11002",
                    streets="Lange Lozanastraat;2018;2;40;even",
                    founded_on="2018-06-01",
                ),
            ]
        ),
        source="seed.csv",
    )
    for language in ("nl", "fr", "en"):
        with translation.override(language):
            response = client.get(XLSX_URL)
            plan, outcome = networks_import(
                actor=personas.advp_admin, table=read_xlsx(response.content), source="export.xlsx"
            )
        assert outcome is not None, [(r.number, r.errors) for r in plan.rows if r.errors]
        assert (outcome.created, outcome.updated) == (0, 0), [(r.number, r.changes) for r in plan.rows if r.changes]
        assert outcome.unchanged == Network.objects.count()


def test_the_export_reads_a_constant_number_of_queries(client, personas):
    client.force_login(personas.advp_admin)
    client.get(CSV_URL)  # warm caches (content types, sessions)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(CSV_URL).status_code == 200
        return len(captured)

    few = queries()
    networks_import(
        actor=personas.advp_admin,
        table=table([row(name=f"BIN {i}", municipality="11002", streets=f"Straat {i};2000") for i in range(30)]),
        source="more.csv",
    )
    assert queries() == few
