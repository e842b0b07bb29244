import datetime
import time

import pytest
from django.core.management import call_command
from django.db.models import Count, Q
from django.utils import translation

from core.models import AuditAction, AuditEvent
from geography.models import (
    Academy,
    Municipality,
    MunicipalityBoundary,
    PoliceZone,
    PoliceZoneBoundary,
    PostalCode,
    Province,
    Region,
    ZoneMembership,
)
from geography.selectors import zone_for_municipality_on
from geography.services import reference_data_load, zone_merge, zone_update

pytestmark = pytest.mark.usefixtures("reference_data")


def _row_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "provinces": Province.objects.count(),
        "municipalities": Municipality.objects.count(),
        "postal_codes": PostalCode.objects.count(),
        "zones": PoliceZone.objects.count(),
        "memberships": ZoneMembership.objects.count(),
        "predecessor_links": PoliceZone.predecessors.through.objects.count(),
        "municipality_boundaries": MunicipalityBoundary.objects.count(),
        "zone_boundaries": PoliceZoneBoundary.objects.count(),
        "academies": Academy.objects.count(),
    }


def _predecessor_codes(zone: PoliceZone) -> set[int]:
    return set(zone.predecessors.values_list("code", flat=True))


def test_it_loads_the_belgian_reference_geography():
    assert Region.objects.count() == 3
    assert Province.objects.count() == 10
    assert Municipality.objects.current().count() == 565
    assert PostalCode.objects.count() == 1152
    assert PoliceZone.objects.current().count() == 176
    assert PoliceZone.objects.filter(is_current=False).count() == 33
    assert MunicipalityBoundary.objects.count() == 565
    assert PoliceZoneBoundary.objects.filter(zone__is_current=True).count() == 176
    assert set(Academy.objects.values_list("code", flat=True)) == {
        "anpa", "appn", "apph", "vesta", "epl", "bpa", "paulo", "pivo", "plot", "pov"
    }  # fmt: skip


def test_each_current_municipality_is_in_exactly_one_current_zone():
    counts = Municipality.objects.current().annotate(
        zones=Count(
            "zone_memberships",
            filter=Q(zone_memberships__valid_to__isnull=True, zone_memberships__zone__is_current=True),
        )
    )
    assert counts.count() == 565
    assert not counts.exclude(zones=1).exists()
    # Zones dissolved before 2026 keep no current municipality.
    assert not ZoneMembership.objects.filter(valid_to__isnull=True, zone__is_current=False).exists()


def test_brussels_municipalities_have_no_province():
    brussels = Municipality.objects.current().filter(region__refnis="04000")
    assert brussels.count() == 19
    assert not brussels.filter(province__isnull=False).exists()
    assert not Municipality.objects.current().exclude(region__refnis="04000").filter(province__isnull=True).exists()


def test_it_links_merged_zones_to_their_predecessors():
    zones = PoliceZone.objects.current()
    assert _predecessor_codes(zones.get(code=5913)) == {5356, 5357, 5358}  # Rivierenland
    assert _predecessor_codes(zones.get(name="Noord-Limburg", code__isnull=True)) == {5371, 5372, 5377}
    assert _predecessor_codes(zones.get(code=5907)) == {5370, 5374, 5379}
    # A zone that kept its code, or gained a municipality from a zone that still exists, has no predecessor.
    assert _predecessor_codes(zones.get(code=5267)) == set()
    assert _predecessor_codes(zones.get(code=5345)) == set()
    borgloon = PoliceZone.objects.get(code=5379, is_current=False)
    assert borgloon.name == "KANTON BORGLOON" and borgloon.valid_to is None
    assert set(borgloon.successors.values_list("name", flat=True)) == {"Limburg Regio Hoofdstad", "Haspengouw"}


def test_zone_codes_keep_their_status_from_the_sources():
    zones = PoliceZone.objects.current()
    assert zones.filter(code_status="unknown", code__isnull=True).count() == 5
    assert set(zones.filter(code_status="inferred").values_list("code", flat=True)) == {5909, 5910, 5911}
    assert zones.get(code=5909).code_is_uncertain


def test_it_derives_the_language_of_official_letters():
    municipalities = Municipality.objects.current()
    eupen = municipalities.get(refnis="63023")
    assert (eupen.language, eupen.name_de) == ("de", "Eupen")
    brussels = municipalities.get(refnis="21004")
    assert brussels.language == "nl+fr" and brussels.letter_languages == ["nl", "fr"]
    assert municipalities.get(refnis="92094").language == "fr"  # Namur
    assert municipalities.get(refnis="44021").language == "nl"  # Gent
    german = municipalities.filter(language="de")
    assert set(german.values_list("refnis", flat=True)) == {
        "63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"
    }  # fmt: skip
    assert not german.filter(name_de="").exists()


def test_names_follow_the_reader_language():
    kelmis, namur = (
        Municipality.objects.current().get(refnis="63040"),
        Municipality.objects.current().get(refnis="92094"),
    )
    with translation.override("de"):
        assert (kelmis.name, namur.name) == ("Kelmis", "Namur")
    with translation.override("fr"):
        assert (kelmis.name, namur.name) == ("La Calamine", "Namur")
    with translation.override("nl"):
        assert namur.name == "Namen"


def test_a_second_run_changes_nothing():
    before = _row_counts()
    counts = reference_data_load(actor=None)
    assert _row_counts() == before
    assert all(row["created"] == 0 and row["updated"] == 0 for row in counts.values()), counts
    assert counts["municipalities"]["total"] == 565 and counts["police_zones"]["total"] == 176


def test_a_run_restores_changed_names_and_writes_one_import_event():
    Municipality.objects.filter(refnis="44021").update(name_fr="Gent (typo)")
    events = AuditEvent.objects.filter(action=AuditAction.IMPORT)
    before = events.count()

    counts = reference_data_load(actor=None)

    assert counts["municipalities"]["updated"] == 1
    assert Municipality.objects.current().get(refnis="44021").name_fr == "Gand"
    assert events.count() == before + 1
    event = events.first()
    assert event.actor_label == "system"
    assert event.changes["municipalities"] == [565, 565] and event.changes["police_zones"] == [176, 176]
    assert event.changes["updated"] == [None, "municipalities 1"]


def test_a_confirmed_or_edited_zone_is_not_overwritten(personas):
    carma = PoliceZone.objects.current().get(code=5909)
    zone_update(actor=personas.advp_admin, zone=carma, code=5920, name="CARMA", note="")
    getevallei = PoliceZone.objects.current().get(code=5910)
    zone_update(actor=personas.advp_admin, zone=getevallei, code=5910, code_status="inferred", name="Getevallei (PZ)")

    counts = reference_data_load(actor=None)

    carma.refresh_from_db()
    getevallei.refresh_from_db()
    assert (carma.code, carma.code_status) == (5920, "confirmed")
    assert getevallei.name == "Getevallei (PZ)"
    assert not PoliceZone.objects.filter(code=5909).exists()
    assert PoliceZone.objects.current().count() == 176
    assert counts["police_zones"]["created"] == 0


def test_a_merger_recorded_in_the_application_survives_a_reload(personas):
    zones = list(PoliceZone.objects.current().filter(code__in=[5267, 5268]))
    merged = zone_merge(
        actor=personas.advp_admin,
        zones=zones,
        name="Brabant wallon ouest",
        code=None,
        language="fr",
        date=datetime.date(2026, 1, 1),
    )
    before = _row_counts()

    counts = reference_data_load(actor=None)

    assert _row_counts() == before
    assert counts["police_zones"]["superseded"] == 2
    assert PoliceZone.objects.current().count() == 175
    for zone in zones:
        zone.refresh_from_db()
        assert not zone.is_current
    nivelles = Municipality.objects.current().get(refnis="25072")
    assert nivelles.current_zone() == merged


def test_zone_of_a_municipality_on_a_day():
    gent = Municipality.objects.current().get(refnis="44021")
    zone = zone_for_municipality_on(gent, datetime.date(2026, 3, 1))
    assert zone is not None and zone == gent.current_zone()


def test_the_command_loads_quickly_from_an_empty_database(capsys):
    for model in (ZoneMembership, PostalCode, MunicipalityBoundary, PoliceZoneBoundary, Academy):
        model.objects.all().delete()
    PoliceZone.objects.all().delete()
    Municipality.objects.all().delete()
    Province.objects.all().delete()
    Region.objects.all().delete()

    started = time.perf_counter()
    call_command("load_reference_data")
    elapsed = time.perf_counter() - started

    assert elapsed < 10, f"loading took {elapsed:.1f} s"
    assert "Reference data loaded" in capsys.readouterr().out
    assert Municipality.objects.current().count() == 565 and PoliceZone.objects.current().count() == 176
