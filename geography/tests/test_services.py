import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from shapely.geometry import shape

from core.models import AuditAction, AuditEvent
from geography.models import PoliceZone, PoliceZoneBoundary, ZoneMembership
from geography.selectors import zone_for_municipality_on
from geography.services import zone_merge, zone_update

MERGER_DAY = datetime.date(2026, 1, 1)


def _events(obj, action):
    return AuditEvent.objects.filter(object_id=str(obj.pk), action=action, content_type__model=obj._meta.model_name)


def _state() -> tuple:
    return (
        list(
            PoliceZone.objects.order_by("pk").values_list("pk", "code", "code_status", "name", "is_current", "valid_to")
        ),
        ZoneMembership.objects.filter(valid_to__isnull=True).count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def zones():
    return PoliceZone.objects.current()


def test_it_confirms_a_code_set_by_advp(personas, zones):
    zone = zones.get(name="Aalter/Maldegem")
    assert zone.code is None and zone.code_status == "unknown"

    zone = zone_update(actor=personas.advp_admin, zone=zone, code=5914, name=zone.name, note="Code from the RD.")

    zone.refresh_from_db()
    assert (zone.code, zone.code_status, zone.note) == (5914, "confirmed", "Code from the RD.")
    event = _events(zone, AuditAction.UPDATE).get()
    assert event.actor == personas.advp_admin
    assert event.changes["code"] == [None, 5914]
    assert event.changes["code_status"] == ["unknown", "confirmed"]


def test_an_explicit_status_is_kept_and_an_unchanged_code_keeps_its_status(personas, zones):
    zone = zones.get(code=5910)
    zone = zone_update(actor=personas.advp_admin, zone=zone, code=5915, code_status="inferred", name="Getevallei")
    assert zone.code_status == "inferred"
    zone = zone_update(actor=personas.advp_admin, zone=zone, code=5915, name="Getevallei", note="Renamed later?")
    assert zone.code_status == "inferred"
    zone = zone_update(actor=personas.advp_admin, zone=zone, code=None, name="Getevallei", note="")
    assert (zone.code, zone.code_status) == (None, "unknown")


def test_an_update_that_changes_nothing_writes_no_event(personas, zones):
    zone = zones.get(code=5345)
    zone_update(actor=personas.advp_admin, zone=zone, code=5345, name=zone.name, note=zone.note)
    assert not _events(zone, AuditAction.UPDATE).exists()


@pytest.mark.parametrize(
    ("code", "code_status", "field"),
    [
        (5339, None, "code"),  # the code of another current zone
        (None, "confirmed", "code_status"),
        (5916, "unknown", "code_status"),
        (4999, None, "code"),
    ],
)
def test_invalid_corrections_change_nothing(personas, zones, code, code_status, field):
    zone = zones.get(code=5345)
    before = _state()
    with pytest.raises(ValidationError) as error:
        zone_update(actor=personas.advp_admin, zone=zone, code=code, code_status=code_status, name="Antwerpen")
    assert field in error.value.message_dict
    assert _state() == before


def test_only_advp_corrects_zones(personas, zones):
    zone = zones.get(code=5345)
    for user in (personas.zone_officer, personas.knowledge_centre, personas.outsider):
        with pytest.raises(PermissionDenied):
            zone_update(actor=user, zone=zone, code=5345, name="Hacked")
    assert zones.get(code=5345).name == "Antwerpen"


def test_it_records_a_merger_with_its_date(personas, zones):
    old = list(zones.filter(code__in=[5267, 5268]))
    municipality_ids = set(
        ZoneMembership.objects.filter(zone__in=old, valid_to__isnull=True).values_list("municipality_id", flat=True)
    )
    old_shapes = [shape(b.geometry) for b in PoliceZoneBoundary.objects.filter(zone__in=old)]

    new = zone_merge(
        actor=personas.advp_admin, zones=old, name="Brabant wallon", code=5917, language="fr", date=MERGER_DAY
    )

    assert (new.code, new.code_status, new.valid_from, new.is_current) == (5917, "confirmed", MERGER_DAY, True)
    assert set(new.predecessors.all()) == set(old)
    for zone in old:
        zone.refresh_from_db()
        assert (zone.is_current, zone.valid_to) == (False, MERGER_DAY)
        assert not zone.memberships.filter(valid_to__isnull=True).exists()
        assert set(zone.memberships.values_list("valid_to", flat=True)) == {MERGER_DAY}
        assert _events(zone, AuditAction.MERGE).get().changes["merged_into"] == [None, str(new)]
    memberships = new.memberships.all()
    assert set(memberships.values_list("municipality_id", flat=True)) == municipality_ids
    assert set(memberships.values_list("valid_from", flat=True)) == {MERGER_DAY}
    union = shape(new.boundary.geometry)
    assert union.area == pytest.approx(sum(s.area for s in old_shapes), rel=0.01)
    event = _events(new, AuditAction.MERGE).get()
    assert event.actor == personas.advp_admin and event.changes["valid_from"] == [None, MERGER_DAY.isoformat()]

    nivelles = new.municipalities.get(refnis="25072")
    assert zone_for_municipality_on(nivelles, MERGER_DAY - datetime.timedelta(days=1)).code == 5267
    assert zone_for_municipality_on(nivelles, MERGER_DAY) == new
    assert PoliceZone.objects.current().count() == 175


def test_a_merged_zone_may_keep_one_of_the_old_codes(personas, zones):
    old = list(zones.filter(code__in=[5267, 5268]))
    new = zone_merge(actor=personas.advp_admin, zones=old, name="Nivelles", code=5267, language="fr", date=MERGER_DAY)
    assert PoliceZone.objects.current().get(code=5267) == new


def _merge_errors(personas, **overrides) -> dict:
    arguments = {
        "actor": personas.advp_admin,
        "zones": list(PoliceZone.objects.current().filter(code__in=[5267, 5268])),
        "name": "Brabant wallon",
        "code": None,
        "language": "fr",
        "date": MERGER_DAY,
        **overrides,
    }
    before = _state()
    with pytest.raises(ValidationError) as error:
        zone_merge(**arguments)
    assert _state() == before, "a refused merger must change nothing"
    return error.value.message_dict


def test_invalid_mergers_change_nothing(personas, zones):
    assert "zones" in _merge_errors(personas, zones=[zones.get(code=5267)])
    assert "zones" in _merge_errors(personas, zones=[zones.get(code=5267), PoliceZone.objects.get(code=5332)])
    assert "code" in _merge_errors(personas, code=5339)
    assert "code_status" in _merge_errors(personas, code=None, code_status="confirmed")
    assert "name" in _merge_errors(personas, name="  ")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert "date" in _merge_errors(personas, date=tomorrow)


def test_a_merger_cannot_predate_the_zones(personas, zones):
    new = zone_merge(
        actor=personas.advp_admin,
        zones=list(zones.filter(code__in=[5267, 5268])),
        name="Brabant wallon",
        code=None,
        language="fr",
        date=MERGER_DAY,
    )
    errors = _merge_errors(personas, zones=[new, zones.get(code=5269)], date=MERGER_DAY - datetime.timedelta(days=1))
    assert "date" in errors


def test_only_advp_records_mergers(personas, zones):
    with pytest.raises(PermissionDenied):
        zone_merge(
            actor=personas.zone_officer,
            zones=list(zones.filter(code__in=[5345, 5339])),
            name="Big zone",
            code=None,
            language="nl",
            date=MERGER_DAY,
        )
