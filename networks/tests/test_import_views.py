"""The import pages: template, upload, preview with errors, commit (all or nothing), cancel; who may do what."""

import io

import pytest
from django.urls import reverse
from django.utils import translation
from python_calamine import CalamineWorkbook

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from networks.models import ImportBatch, Network
from networks.models.importing import ImportStatus
from networks.services.importer import column_headers
from networks.tests.import_helpers import csv_bytes, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db

START = reverse("networks:import_start")


@pytest.fixture
def english_pages(personas):
    """These tests read the messages on the pages; the personas read them in English."""
    from accounts.models import User

    User.objects.update(language="en")


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


def _files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()]


def _upload(client, content: bytes, name: str = "networks.csv"):
    return client.post(START, {"file": upload(content, name)})


def test_only_advp_and_zone_officers_reach_the_import_pages(client, personas):
    others = [
        personas.knowledge_centre,
        personas.municipality_official,
        personas.coordinator,
        personas.member,
        personas.trainer,
        personas.outsider,
    ]
    allowed = [personas.advp_admin, personas.zone_officer, personas.other_zone_officer]
    assert_permission_matrix(client, START, allowed=allowed, in_scope_wrong_role=others)
    for file_format in ("csv", "xlsx"):
        url = reverse("networks:import_template", args=[file_format])
        assert_permission_matrix(client, url, allowed=allowed, in_scope_wrong_role=others)


def test_the_template_has_headers_in_the_user_s_language_and_an_example_of_their_zone(client, personas):
    officer = personas.other_zone_officer  # French-speaking, zone 5339 Brussel-Hoofdstad/Elsene
    client.force_login(officer)
    response = client.get(reverse("networks:import_template", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="binplp-networks-template.csv"'
    lines = response.content.decode("utf-8-sig").splitlines()
    with translation.override("fr"):
        assert lines[0] == ";".join(column_headers())
    example = lines[1].split(";")
    assert example[6] in ("21004", "21009") and example[8] == "5339"

    response = client.get(reverse("networks:import_template", args=["xlsx"]))
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert len(workbook.sheet_names) == 2
    rows = workbook.get_sheet_by_index(0).to_python()
    with translation.override("fr"):
        assert rows[0] == column_headers()
    assert len(rows) == 2
    assert client.get(reverse("networks:import_template", args=["pdf"])).status_code == 404


def test_the_filled_in_template_imports(client, personas, media):
    client.force_login(personas.zone_officer)
    template = client.get(reverse("networks:import_template", args=["xlsx"])).content
    response = _upload(client, template, "template.xlsx")
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    response = client.get(batch.get_absolute_url())
    assert response.status_code == 200 and response.context["plan"].is_valid
    assert response.context["counts"]["create"] == 1


@pytest.mark.usefixtures("english_pages")
def test_upload_preview_commit_and_reimport(client, personas, media, django_capture_on_commit_callbacks):
    client.force_login(personas.zone_officer)
    content = csv_bytes(
        [
            row(name="BIN Kiel", municipality="11002", streets="Kielstraat;2020"),
            row(name="BIN Haven", municipality="11002", founded_on="2020-13-01"),
            row(name="PLP Bruxelles", municipality="21004"),
        ]
    )
    response = _upload(client, content)
    batch = ImportBatch.objects.get()
    assert batch.created_by == personas.zone_officer and batch.status == ImportStatus.PENDING
    assert len(_files(media)) == 1

    response = client.get(batch.get_absolute_url())
    page = response.content.decode()
    assert response.context["counts"] == {"rows": 3, "create": 1, "update": 0, "unchanged": 0, "errors": 2}
    assert "2020-13-01" in page and "outside your scope" in page
    assert reverse("networks:import_commit", args=[batch.token]) not in page

    # Committing anyway writes nothing.
    count = Network.objects.count()
    response = client.post(reverse("networks:import_commit", args=[batch.token]))
    assert response.status_code == 400
    assert Network.objects.count() == count
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("networks:import_cancel", args=[batch.token]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED and _files(media) == []

    # Corrected file: everything is written, with an "import" audit event for the file.
    good = csv_bytes(
        [
            row(name="BIN Kiel", municipality="11002", streets="Kielstraat;2020"),
            row(name="BIN Haven", municipality="11002", founded_on="2020-12-01"),
        ]
    )
    _upload(client, good, "corrected.csv")
    batch = ImportBatch.objects.get(original_name="corrected.csv")
    response = client.get(batch.get_absolute_url())
    assert reverse("networks:import_commit", args=[batch.token]) in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("networks:import_commit", args=[batch.token]))
    assert response.status_code == 302
    assert Network.objects.filter(name__in=["BIN Kiel", "BIN Haven"], zone__code=5345).count() == 2
    batch.refresh_from_db()
    assert (batch.status, batch.created_count, batch.updated_count) == (ImportStatus.COMMITTED, 2, 0)
    event = AuditEvent.objects.get(action=AuditAction.IMPORT, content_type__model="importbatch")
    assert event.changes["created"] == [None, 2]
    assert _files(media) == []

    # The same file again: nothing new.
    _upload(client, good, "again.csv")
    batch = ImportBatch.objects.get(original_name="again.csv")
    response = client.get(batch.get_absolute_url())
    assert response.context["counts"]["unchanged"] == 2 and response.context["counts"]["create"] == 0
    client.post(reverse("networks:import_commit", args=[batch.token]))
    assert Network.objects.filter(name__in=["BIN Kiel", "BIN Haven"]).count() == 2


@pytest.mark.usefixtures("english_pages")
@pytest.mark.parametrize(
    ("content", "name", "text"),
    [
        (b"%PDF-1.7\n1 0 obj<<>>endobj", "networks.xlsx", "not a CSV or XLSX"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "networks.xls", ".xls"),
        (b"PK\x03\x04 broken", "networks.xlsx", "damaged"),
        (
            b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
            "networks.xlsx",
            "not a CSV or XLSX",
        ),
    ],
    ids=["pdf-as-xlsx", "old-xls", "broken-zip", "html-as-xlsx"],
)
def test_disguised_files_are_refused_and_nothing_is_kept(client, personas, media, content, name, text):
    client.force_login(personas.advp_admin)
    response = _upload(client, content, name)
    assert response.status_code == 400
    assert text in response.content.decode()
    assert not ImportBatch.objects.exists() and _files(media) == []


@pytest.mark.usefixtures("english_pages")
def test_a_zip_bomb_upload_is_refused_and_nothing_is_kept(client, personas, media):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (50 << 20))
    client.force_login(personas.advp_admin)
    response = _upload(client, buffer.getvalue(), "bomb.xlsx")
    assert response.status_code == 400
    assert "zip bomb" in response.content.decode()
    assert not ImportBatch.objects.exists() and _files(media) == []


def test_an_import_belongs_to_the_person_who_uploaded_it(client, personas, media):
    client.force_login(personas.zone_officer)
    _upload(client, xlsx_bytes([row(name="BIN Eilandje", municipality="11002")]), "mine.xlsx")
    batch = ImportBatch.objects.get()
    preview = batch.get_absolute_url()
    commit = reverse("networks:import_commit", args=[batch.token])
    cancel = reverse("networks:import_cancel", args=[batch.token])
    assert_permission_matrix(
        client,
        preview,
        allowed=[personas.zone_officer],
        # ADVP sees every import but carries out only its own.
        in_scope_wrong_role=[personas.advp_admin, personas.knowledge_centre, personas.outsider],
        hidden=[personas.other_zone_officer],
    )
    for url in (commit, cancel):
        assert_permission_matrix(
            client,
            url,
            method="post",
            in_scope_wrong_role=[personas.advp_admin, personas.municipality_official],
            hidden=[personas.other_zone_officer],
        )
    assert not Network.objects.filter(name="BIN Eilandje").exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PENDING
