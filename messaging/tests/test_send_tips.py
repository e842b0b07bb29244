"""The library of prevention tips: services (audited, scope per library), the pages (list with search, create, edit,
delete), "use this tip", and the shipped national tips loaded by `load_message_tips` (idempotent)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from core.models import AuditAction, AuditEvent
from core.testing.matrix import assert_permission_matrix
from geography.models import PoliceZone
from messaging.guardrails import plate_findings
from messaging.models import Tip
from messaging.services import tips
from messaging.sms import sms_length

from . import send_support
from .send_support import sign_in

pytestmark = pytest.mark.django_db

english = send_support.english


@pytest.fixture
def zones(personas):
    return PoliceZone.objects.current().get(code=5345), PoliceZone.objects.current().get(code=5339)


def _events(tip, action):
    return AuditEvent.objects.filter(action=action, object_id=str(tip.pk))


# --- services ----------------------------------------------------------------------------------------------------


def test_national_tips_are_kept_by_national_roles_and_zone_tips_by_their_officers(personas, zones):
    antwerp, brussels = zones
    national = tips.tip_create(
        actor=personas.knowledge_centre, zone=None, language="nl", title="Fiets", body="Slot", sms="Slot!"
    )
    assert national.zone is None and national.created_by == personas.knowledge_centre
    event = _events(national, AuditAction.CREATE).get()
    assert event.actor == personas.knowledge_centre and event.changes["title"] == "Fiets"
    local = tips.tip_create(actor=personas.zone_officer, zone=antwerp, language="fr", title="Vélo", body="Cadenas")
    assert local.zone == antwerp
    with pytest.raises(PermissionDenied):
        tips.tip_create(actor=personas.zone_officer, zone=None, language="nl", title="x", body="y")
    with pytest.raises(PermissionDenied):
        tips.tip_create(actor=personas.zone_officer, zone=brussels, language="nl", title="x", body="y")
    with pytest.raises(PermissionDenied):
        tips.tip_create(actor=personas.coordinator, zone=antwerp, language="nl", title="x", body="y")
    assert Tip.objects.count() == 2


def test_updating_and_deleting_a_tip_are_audited(personas, zones):
    antwerp, _brussels = zones
    tip = tips.tip_create(actor=personas.zone_officer, zone=antwerp, language="nl", title="Fiets", body="Slot")
    tip = tips.tip_update(actor=personas.zone_officer, tip=tip, language="nl", title="Fietsslot", body="Slot", sms="")
    assert tip.title == "Fietsslot"
    assert _events(tip, AuditAction.UPDATE).get().changes == {"title": ["Fiets", "Fietsslot"]}
    tips.tip_update(actor=personas.zone_officer, tip=tip, language="nl", title="Fietsslot", body="Slot", sms="")
    assert _events(tip, AuditAction.UPDATE).count() == 1  # nothing changed: nothing recorded
    with pytest.raises(PermissionDenied):
        tips.tip_update(actor=personas.other_zone_officer, tip=tip, language="nl", title="x", body="y")
    with pytest.raises(PermissionDenied):
        tips.tip_delete(actor=personas.advp_admin, tip=tip)  # a zone's tip is the zone's
    pk = tip.pk
    tips.tip_delete(actor=personas.zone_officer, tip=tip)
    assert not Tip.objects.filter(pk=pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, object_id=str(pk)).exists()


def test_a_tip_needs_a_title_and_a_text_and_an_sms_that_fits(personas):
    with pytest.raises(ValidationError) as caught:
        tips.tip_create(actor=personas.advp_admin, zone=None, language="nl", title=" ", body="", sms="a" * 306)
    errors = caught.value.message_dict
    assert set(errors) == {"title", "body"}
    with pytest.raises(ValidationError) as caught:
        tips.tip_create(actor=personas.advp_admin, zone=None, language="nl", title="T", body="B", sms="ç" * 202)
    assert caught.value.message_dict == {"sms": ["The SMS text needs 4 messages; at most 3."]}
    with pytest.raises(ValidationError) as caught:
        tips.tip_create(actor=personas.advp_admin, zone=None, language="xx", title="T", body="B")
    assert "language" in caught.value.message_dict
    assert not Tip.objects.exists()


# --- the shipped national tips -----------------------------------------------------------------------------------


def test_the_shipped_tips_cover_six_subjects_in_four_languages_and_fit_in_sms():
    entries = tips.tips_read()
    keys = {entry["key"] for entry in entries}
    assert keys == {
        "holiday-burglary",
        "bicycle-theft",
        "bank-phishing-calls",
        "car-break-ins",
        "doors-and-windows",
        "fake-tradesmen",
    }
    assert {(entry["key"], entry["language"]) for entry in entries} == {
        (key, code) for key in keys for code, _name in settings.LANGUAGES
    }
    for entry in entries:
        assert entry["title"] and len(entry["title"]) <= 150 and 300 < len(entry["body"]) <= 5000
        assert 0 < sms_length(entry["sms"]).segments <= 2, entry["key"]
        assert plate_findings({entry["language"]: entry}) == [], entry["key"]


def test_load_message_tips_adds_the_missing_tips_once(personas, capsys):
    call_command("load_message_tips")
    assert Tip.objects.filter(zone__isnull=True).count() == 24
    assert "24 prevention tips added" in capsys.readouterr().out
    edited = Tip.objects.get(language="en", title="Keep your bicycle out of thieves' hands")
    tips.tip_update(actor=personas.advp_admin, tip=edited, language="en", title=edited.title, body="Edited.", sms="")
    call_command("load_message_tips")
    assert Tip.objects.count() == 24 and "0 prevention tips added" in capsys.readouterr().out
    edited.refresh_from_db()
    assert edited.body == "Edited."  # an edited tip is left alone
    assert AuditEvent.objects.filter(action=AuditAction.CREATE, changes__source="tips.json").count() == 24


# --- pages -------------------------------------------------------------------------------------------------------


def test_the_tips_library_answers_composers_and_national_roles(client, english):
    assert_permission_matrix(
        client,
        "/messages/tips/",
        allowed=[english.zone_officer, english.coordinator, english.advp_admin, english.knowledge_centre],
        in_scope_wrong_role=[english.municipality_official, english.member, english.trainer, english.outsider],
    )
    assert_permission_matrix(
        client,
        "/messages/tips/new/",
        allowed=[english.zone_officer, english.advp_admin, english.knowledge_centre],
        in_scope_wrong_role=[english.coordinator, english.municipality_official, english.outsider],
    )


def test_the_list_shows_the_tips_in_scope_by_language_with_search(client, english, zones):
    antwerp, brussels = zones
    Tip.objects.create(language="en", title="Bicycle locks", body="Use **two** locks.", sms="Two locks")
    Tip.objects.create(language="nl", title="Fietsslot", body="Twee sloten.")
    Tip.objects.create(zone=antwerp, language="en", title="Antwerp bicycles", body="Engrave it.")
    Tip.objects.create(zone=brussels, language="en", title="Brussels bicycles", body="Engrave it.")
    client = sign_in(client, english.zone_officer)
    page = client.get("/messages/tips/").content.decode()  # the reader's language by default
    assert "Bicycle locks" in page and "Antwerp bicycles" in page and "Use <strong>two</strong> locks." in page
    assert "Fietsslot" not in page and "Brussels bicycles" not in page
    page = client.get("/messages/tips/", {"language": "", "q": "slot"}).content.decode()
    assert "Fietsslot" in page and "Bicycle locks" not in page
    page = client.get("/messages/tips/", {"q": "engrave"}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in page and "Antwerp bicycles" in page and "Bicycle locks" not in page
    assert 'href="/messages/new/?tip=' in page


def test_an_officer_adds_edits_and_deletes_a_zone_tip(client, english, zones):
    antwerp, _brussels = zones
    client = sign_in(client, english.zone_officer)
    form = client.get("/messages/tips/new/").content.decode()
    assert f'value="{antwerp.pk}"' in form and 'value="national"' not in form and 'id="sms-counter-tip"' in form
    data = {"library": str(antwerp.pk), "language": "nl", "title": "Fietsen", "body": "Graveer uw fiets.", "sms": ""}
    assert client.post("/messages/tips/new/", data).status_code == 302
    tip = Tip.objects.get()
    assert tip.zone == antwerp and tip.created_by == english.zone_officer
    response = client.post(f"/messages/tips/{tip.pk}/edit/", {**data, "title": "Fietsen graveren"})
    tip.refresh_from_db()
    assert response.status_code == 302 and tip.title == "Fietsen graveren"
    assert "Delete the tip" in client.get(f"/messages/tips/{tip.pk}/delete/").content.decode()
    assert client.post(f"/messages/tips/{tip.pk}/delete/").status_code == 302
    assert not Tip.objects.exists()


def test_a_bad_tip_is_refused_with_the_reason(client, english):
    client = sign_in(client, english.advp_admin)
    data = {"library": "national", "language": "en", "title": "Phishing", "body": "Hang up.", "sms": "ç" * 202}
    response = client.post("/messages/tips/new/", data)
    assert response.status_code == 400 and "The SMS text needs 4 messages; at most 3." in response.content.decode()
    response = client.post("/messages/tips/new/", {**data, "library": "5", "sms": ""})
    assert response.status_code == 400 and "Select a valid choice." in response.content.decode()
    assert not Tip.objects.exists()


def test_changing_a_tip_is_for_its_keepers(client, english, zones):
    antwerp, _brussels = zones
    national = Tip.objects.create(language="en", title="National", body="x")
    local = Tip.objects.create(zone=antwerp, language="en", title="Local", body="x")
    for action in ("edit", "delete"):
        assert_permission_matrix(
            client,
            f"/messages/tips/{national.pk}/{action}/",
            allowed=[english.advp_admin, english.knowledge_centre],
            in_scope_wrong_role=[english.zone_officer, english.coordinator],
            hidden=[english.municipality_official, english.member, english.outsider],
        )
        assert_permission_matrix(
            client,
            f"/messages/tips/{local.pk}/{action}/",
            allowed=[english.zone_officer],
            in_scope_wrong_role=[english.coordinator, english.advp_admin],
            hidden=[english.other_zone_officer, english.outsider],
        )
