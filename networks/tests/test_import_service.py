import datetime

import pytest
from django.core.exceptions import PermissionDenied

from core.models import AuditAction, AuditEvent
from networks import spreadsheets
from networks.choices import NetworkKind, NetworkStatus, StreetParity
from networks.models import AreaStreet, Network, NetworkStatusChange
from networks.services.importer import import_validate, networks_import, parse_streets
from networks.tests.import_helpers import csv_bytes, row, table

pytestmark = pytest.mark.django_db


def _import(actor, rows, source="networks.csv"):
    return networks_import(actor=actor, table=table(rows), source=source)


def test_it_creates_networks_with_their_municipalities_streets_history_and_audit(personas):
    rows = [
        row(
            name="BIN Kiel",
            kind="BIN",
            municipality="11002",
            zone="5345",
            founded_on="2021-05-01",
            status="active",
            public_email="kiel@example.be",
            streets="Kielstraat;2020 | De Bosschaertstraat;2020;1;99;oneven",
        ),
        row(name="BIN-Z Centrum", kind="BIN-Z", municipality="Antwerpen", founded_on="03/02/2020"),
        row(name="Apotheken", kind="PLP sectoriel", sector="pharmacies", municipality="11002"),
    ]
    plan, outcome = _import(personas.advp_admin, rows)
    assert plan.is_valid, [r.errors for r in plan.rows]
    assert (outcome.created, outcome.updated, outcome.unchanged) == (3, 0, 0)

    kiel = Network.objects.get(name="BIN Kiel")
    # Persona network A already holds BIN-11002-1: numbering goes on from there.
    assert kiel.code == "BIN-11002-2"
    assert (kiel.kind, kiel.status, kiel.zone.code, kiel.founded_on) == (
        NetworkKind.RESIDENTIAL,
        NetworkStatus.ACTIVE,
        5345,
        datetime.date(2021, 5, 1),
    )
    assert list(kiel.municipalities.values_list("refnis", flat=True)) == ["11002"]
    streets = {(s.postal_code, s.street, s.number_from, s.number_to, s.parity) for s in kiel.streets.all()}
    assert streets == {
        ("2020", "Kielstraat", None, None, StreetParity.ALL),
        ("2020", "De Bosschaertstraat", 1, 99, StreetParity.ODD),
    }
    change = NetworkStatusChange.objects.get(network=kiel)
    assert (change.from_status, change.to_status, change.on) == ("", "active", datetime.date(2021, 5, 1))

    binz = Network.objects.get(name="BIN-Z Centrum")
    assert (binz.kind, binz.status, binz.founded_on) == (
        NetworkKind.SELF_EMPLOYED,
        NetworkStatus.IN_PREPARATION,
        datetime.date(2020, 2, 3),
    )
    assert Network.objects.get(name="Apotheken").sector == "pharmacies"

    events = AuditEvent.objects.filter(object_id=str(kiel.pk), content_type__model="network")
    assert [e.action for e in events] == [AuditAction.CREATE]
    assert events[0].changes["name"] == [None, "BIN Kiel"]
    assert events[0].actor == personas.advp_admin


def test_reimporting_the_same_rows_changes_nothing_and_edits_update_in_place(personas):
    rows = [
        row(name="BIN Zurenborg", municipality="11002", streets="Cogels-Osylei;2600"),
        row(name="BIN Linkeroever", municipality="11002"),
    ]
    _import(personas.advp_admin, rows)
    count = Network.objects.count()
    codes = set(Network.objects.values_list("code", flat=True))

    plan, outcome = _import(personas.advp_admin, rows)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 0, 2)
    assert Network.objects.count() == count

    # Matched by name (whatever its case) and municipality (by name or code): the description changes, and the
    # name takes the file's spelling; nothing is duplicated.
    rows[0] = row(name="BIN ZURENBORG", municipality="Antwerpen", public_description="Art nouveau", streets="")
    plan, outcome = _import(personas.advp_admin, rows)
    assert (outcome.created, outcome.updated, outcome.unchanged) == (0, 1, 1)
    zurenborg = Network.objects.get(name="BIN ZURENBORG")
    assert zurenborg.public_description == "Art nouveau"
    assert zurenborg.streets.count() == 1  # an empty Streets cell keeps the streets

    # Matched by code: the name itself may change.
    plan, outcome = _import(
        personas.advp_admin, [row(code=zurenborg.code, name="BIN Zurenborg-Noord", municipality="11002")]
    )
    assert outcome.updated == 1
    zurenborg.refresh_from_db()
    assert zurenborg.name == "BIN Zurenborg-Noord"
    assert set(Network.objects.values_list("code", flat=True)) == codes
    update = AuditEvent.objects.filter(object_id=str(zurenborg.pk), action=AuditAction.UPDATE).first()
    assert update.changes["name"] == ["BIN ZURENBORG", "BIN Zurenborg-Noord"]


def test_status_changes_follow_the_life_cycle(personas):
    network_a = personas.network_a  # active
    plan, outcome = _import(
        personas.advp_admin, [row(code=network_a.code, name=network_a.name, municipality="11002", status="dormant")]
    )
    assert outcome.updated == 1
    network_a.refresh_from_db()
    assert network_a.status == NetworkStatus.DORMANT
    assert NetworkStatusChange.objects.filter(network=network_a, to_status="dormant").exclude(reason="").exists()

    plan, outcome = _import(
        personas.advp_admin,
        [row(code=network_a.code, name=network_a.name, municipality="11002", status="in preparation")],
    )
    assert outcome is None
    assert "cannot become" in plan.rows[0].errors["status"][0]


def test_an_ended_network_is_reported_to_advp(personas, smtp_server, django_capture_on_commit_callbacks):
    network_a = personas.network_a
    with django_capture_on_commit_callbacks(execute=True):
        _import(
            personas.advp_admin,
            [row(code=network_a.code, name=network_a.name, municipality="11002", status="dissolved")],
        )
    assert any(personas.advp_admin.email in message["To"] for message in smtp_server.messages)


BAD_ROWS = [
    ("unknown municipality", row(name="X", municipality="99999"), "municipality", "Unknown municipality"),
    ("unknown municipality name", row(name="X", municipality="Atlantis"), "municipality", "Unknown municipality"),
    ("zone not the municipality's", row(name="X", municipality="11002", zone="5339"), "zone", "belongs to police zone"),
    ("unknown zone", row(name="X", municipality="11002", zone="1234"), "zone", "Unknown police zone"),
    ("bad date", row(name="X", municipality="11002", founded_on="31/02/2020"), "founded_on", "is not a date"),
    ("future date", row(name="X", municipality="11002", founded_on="2999-01-01"), "founded_on", "future"),
    ("unknown kind", row(name="X", municipality="11002", kind="club"), "kind", "Unknown kind"),
    ("unknown status", row(name="X", municipality="11002", status="sleeping"), "status", "Unknown status"),
    ("merged status", row(name="X", municipality="11002", status="merged"), "status", "merged"),
    ("sector missing", row(name="X", municipality="11002", kind="sectoral"), "sector", "needs its sector"),
    ("sector not taken", row(name="X", municipality="11002", sector="port"), "sector", "Only a sectoral"),
    ("missing name", row(name="", municipality="11002"), "name", "name"),
    ("missing municipality", row(name="X"), "municipality", "main municipality"),
    ("bad e-mail", row(name="X", municipality="11002", public_email="not-an-address"), "public_email", "e-mail"),
    ("streets without postal code", row(name="X", municipality="11002", streets="Meir"), "streets", "postal code"),
    ("streets bad number", row(name="X", municipality="11002", streets="Meir;2000;a"), "streets", "house number"),
    ("streets, municipality unknown", row(name="X", municipality="99999", streets="Meir"), "streets", "postal code"),
    ("postal code elsewhere", row(name="X", municipality="11002", streets="Veldstraat;9000"), "streets", "9000"),
    (
        "other municipality elsewhere",
        row(name="X", municipality="11002", municipalities="44021"),
        "municipalities",
        "belongs to police zone",
    ),
    ("bad code", row(code="NET-1", name="X", municipality="11002"), "code", "not a network code"),
    ("code of another municipality", row(code="BIN-44021-7", name="X", municipality="11002"), "code", "BIN-11002"),
    (
        "name taken in the register",
        row(code="BIN-11002-99", name="bin network a", municipality="11002"),
        "name",
        "already has a network",
    ),
]


@pytest.mark.parametrize(("label", "bad", "column", "text"), BAD_ROWS, ids=[b[0] for b in BAD_ROWS])
def test_every_kind_of_bad_row_gets_its_own_error(personas, label, bad, column, text):
    good = row(name="BIN Goed", municipality="11002")
    plan = import_validate(actor=personas.advp_admin, table=table([good, bad]))
    assert plan.rows[0].is_valid
    errors = plan.rows[1].errors
    assert column in errors, errors
    assert any(text.lower() in message.lower() for message in errors[column]), errors
    assert plan.rows[1].number == 3  # the row's number in the file (the header is row 1)


def test_duplicates_within_the_file_are_reported_on_the_later_row(personas):
    rows = [row(name="BIN Berchem", municipality="11002"), row(name="bin berchem", municipality="Antwerpen")]
    plan = import_validate(actor=personas.advp_admin, table=table(rows))
    assert plan.rows[0].is_valid
    assert "row 2" in plan.rows[1].errors["name"][0]
    rows = [
        row(code="BIN-11002-50", name="A", municipality="11002"),
        row(code="BIN-11002-50", name="B", municipality="11002"),
    ]
    plan = import_validate(actor=personas.advp_admin, table=table(rows))
    assert "row 2" in plan.rows[1].errors["code"][0]


def test_a_zone_officer_imports_into_their_own_zone_only(personas):
    rows = [row(name="BIN Eigen", municipality="11002"), row(name="PLP Ailleurs", municipality="21004")]
    plan, outcome = _import(personas.zone_officer, rows)
    assert outcome is None
    assert plan.rows[0].is_valid
    assert "outside your scope" in plan.rows[1].errors["municipality"][0]
    assert not Network.objects.filter(name__in=["BIN Eigen", "PLP Ailleurs"]).exists()

    # A network of another zone cannot be reached by its code either.
    network_b = personas.network_b
    plan = import_validate(
        actor=personas.zone_officer, table=table([row(code=network_b.code, name="Renamed", municipality="21004")])
    )
    assert not plan.rows[0].is_valid
    assert Network.objects.get(pk=network_b.pk).name == "PLP Network B"


def test_one_bad_row_and_nothing_is_written(personas):
    before = (Network.objects.count(), AreaStreet.objects.count(), AuditEvent.objects.count())
    rows = [row(name=f"BIN {i}", municipality="11002", streets="Meir;2000") for i in range(5)]
    rows.append(row(name="BIN kapot", municipality="11002", founded_on="yesterday"))
    plan, outcome = _import(personas.advp_admin, rows)
    assert outcome is None and not plan.is_valid
    assert (Network.objects.count(), AreaStreet.objects.count(), AuditEvent.objects.count()) == before


def test_file_level_errors(personas):
    plan = import_validate(actor=personas.advp_admin, table=table([["x", "y"]], header=["Name", "Colour"]))
    assert any("missing" in error for error in plan.file_errors)
    assert plan.ignored_columns == ["Colour"]
    plan = import_validate(actor=personas.advp_admin, table=table([], header=["Name", "Main municipality"]))
    assert plan.file_errors


def test_columns_left_out_keep_their_values(personas):
    network_a = personas.network_a
    data = csv_bytes([[network_a.code, "BIN Network A", "11002"]], header=["Code", "Name", "Main municipality"])
    plan, outcome = networks_import(actor=personas.advp_admin, table=spreadsheets.read_csv(data), source="short.csv")
    assert outcome.unchanged == 1
    network_a.refresh_from_db()
    assert network_a.streets.count() == 3 and network_a.founded_on == datetime.date(2019, 3, 1)


def test_only_advp_and_zone_officers_import(personas):
    for user in (personas.knowledge_centre, personas.municipality_official, personas.coordinator, personas.outsider):
        with pytest.raises(PermissionDenied):
            _import(user, [row(name="X", municipality="11002")])


def test_parse_streets_reads_numbers_and_parity_in_every_language():
    streets, errors = parse_streets("Rue Neuve;1000;2;40;pair\nMeir;2000 | Kerkstraat;2000;;;ungerade")
    assert errors == []
    assert streets == [
        ("1000", "Rue Neuve", 2, 40, StreetParity.EVEN),
        ("2000", "Meir", None, None, StreetParity.ALL),
        ("2000", "Kerkstraat", None, None, StreetParity.ODD),
    ]


def test_a_network_of_a_former_municipality_is_updated_by_its_code(personas):
    from geography.models import Municipality

    successor = Municipality.objects.current().get(refnis="11002")
    # A municipality that merged away (valid until the end of 2024): its networks keep it as main municipality.
    former = Municipality.objects.create(
        refnis="11099",
        name_nl="Oudegem-voor-de-fusie",
        name_fr="Oudegem-voor-de-fusie",
        province=successor.province,
        region=successor.region,
        language="nl",
        valid_from=datetime.date(1977, 1, 1),
        valid_to=datetime.date(2025, 1, 1),
        is_current=False,
    )
    successor.predecessors.add(former)
    network = Network.objects.create(
        code=f"BIN-{former.refnis}-1",
        name="BIN Van Voor De Fusie",
        municipality=former,
        zone=successor.current_zone(),
        status=NetworkStatus.ACTIVE,
    )
    network.municipalities.add(former)
    plan, outcome = _import(
        personas.advp_admin,
        [row(code=network.code, name=network.name, municipality=former.refnis, public_description="Sinds de fusie")],
    )
    assert outcome is not None, plan.rows[0].errors
    assert outcome.updated == 1
    network.refresh_from_db()
    assert network.public_description == "Sinds de fusie" and network.municipality == former


def test_keeping_and_cancelling_an_upload_are_audited(personas, settings, tmp_path):
    import io

    from networks.models import ImportBatch
    from networks.services.importer import import_batch_cancel, import_batch_create

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}},
    }
    content = csv_bytes([row(name="BIN Audit", municipality="11002")])
    batch = import_batch_create(actor=personas.zone_officer, upload=io.BytesIO(content), name="upload.csv")
    import_batch_cancel(actor=personas.zone_officer, batch=batch)
    events = AuditEvent.objects.filter(object_id=str(batch.pk), content_type__model="importbatch").order_by("id")
    assert [(e.action, e.actor_id) for e in events] == [
        (AuditAction.CREATE, personas.zone_officer.pk),
        (AuditAction.UPDATE, personas.zone_officer.pk),
    ]
    assert events[1].changes == {"status": ["pending", "cancelled"]}
    assert ImportBatch.objects.get(pk=batch.pk).status == "cancelled"
