"""Versions of the privacy notice and internal rules: the first documents, the version in force, publishing (who,
what is checked, the audit row) and the cleaned Markdown."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from members.choices import DocumentKind
from members.models import PolicyDocument
from members.services.documents import (
    can_publish_document,
    document_current,
    document_display,
    document_publish,
    markdown_html,
)
from members.tests.join_support import ensure_first_documents

RULES, PRIVACY = DocumentKind.INTERNAL_RULES, DocumentKind.PRIVACY_NOTICE


@pytest.fixture(autouse=True)
def _documents(db):
    ensure_first_documents()


def _texts(suffix: str = "") -> dict:
    return {
        code: {"title": f"Title {code}{suffix}", "body": f"## Section\n\nText in {code}{suffix}."}
        for code in ("nl", "fr", "de", "en")
    }


def _publish(actor, *, kind=RULES, network=None, version="2026-2", texts=None, published_on=None):
    return document_publish(
        actor=actor,
        kind=kind,
        network=network,
        version=version,
        texts=texts if texts is not None else _texts(),
        published_on=published_on or timezone.localdate(),
    )


def test_the_first_documents_exist_in_four_languages():
    for kind in (PRIVACY, RULES):
        document = PolicyDocument.objects.get(kind=kind, network=None, version="2026-1")
        assert document.published_on == datetime.date(2026, 1, 1)
        for code in ("nl", "fr", "de", "en"):
            text = document.texts[code]
            assert text["title"] and 250 <= len(text["body"].split()) <= 560, (kind, code)
    privacy = PolicyDocument.objects.get(kind=PRIVACY, version="2026-1").texts
    assert "Gegevensbeschermingsautoriteit" in privacy["nl"]["body"]
    assert "Autorité de protection des données" in privacy["fr"]["body"]
    assert "/me/" in privacy["en"]["body"]
    rules = PolicyDocument.objects.get(kind=RULES, network=None, version="2026-1").texts
    for code in ("nl", "fr", "de", "en"):
        assert "101" in rules[code]["body"] and "112" in rules[code]["body"]


def test_the_version_in_force_is_the_networks_own_else_the_national_one(personas):
    network = personas.network_a
    national = document_current(kind=RULES)
    assert national.version == "2026-1"
    assert document_current(kind=RULES, network=network) == national

    own = _publish(personas.coordinator, network=network, version="own-1")
    assert document_current(kind=RULES, network=network) == own
    assert document_current(kind=RULES, network=personas.network_b) == national
    assert document_current(kind=RULES) == national
    assert document_current(kind=PRIVACY, network=network).version == "2026-1"  # the privacy notice is national


def test_a_version_published_ahead_is_in_force_from_its_date(personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    later = _publish(personas.advp_admin, kind=PRIVACY, published_on=tomorrow)
    assert document_current(kind=PRIVACY).version == "2026-1"
    assert document_current(kind=PRIVACY, on=tomorrow) == later


def test_publishing_is_audited(personas):
    document = _publish(personas.knowledge_centre, kind=PRIVACY, version="2026-2")
    assert document.created_by == personas.knowledge_centre
    assert document.texts["fr"] == {"title": "Title fr", "body": "## Section\n\nText in fr."}
    row = AuditEvent.objects.get(content_type__model="policydocument", object_id=str(document.pk))
    assert row.action == AuditAction.CREATE and row.actor == personas.knowledge_centre
    assert row.changes["version"] == [None, "2026-2"] and row.changes["kind"] == [None, "privacy_notice"]


@pytest.mark.parametrize(
    ("persona", "national", "network_a", "network_b"),
    [
        ("advp_admin", True, True, True),
        ("knowledge_centre", True, False, False),
        ("zone_officer", False, True, False),
        ("other_zone_officer", False, False, True),
        ("coordinator", False, True, False),
        ("municipality_official", False, False, False),
        ("member", False, False, False),
        ("outsider", False, False, False),
    ],
)
def test_who_may_publish(personas, persona, national, network_a, network_b):
    user = getattr(personas, persona)
    assert can_publish_document(user, None) is national
    assert can_publish_document(user, personas.network_a) is network_a
    assert can_publish_document(user, personas.network_b) is network_b
    # The same answer as the scope rule gives for existing documents.
    own_a = PolicyDocument.objects.create(kind=RULES, network=personas.network_a, version="x", texts=_texts())
    national_rules = PolicyDocument.objects.get(kind=RULES, network=None, version="2026-1")
    allowed = set(PolicyDocument.objects.for_user(user, "create").values_list("pk", flat=True))
    assert (national_rules.pk in allowed, own_a.pk in allowed) == (national, network_a)


def test_those_who_may_not_publish_are_refused(personas):
    with pytest.raises(PermissionDenied):
        _publish(personas.coordinator)  # national rules
    with pytest.raises(PermissionDenied):
        _publish(personas.zone_officer, network=personas.network_b)
    with pytest.raises(PermissionDenied):
        _publish(personas.knowledge_centre, network=personas.network_a)
    assert PolicyDocument.objects.count() == 2
    assert not AuditEvent.objects.filter(content_type__model="policydocument").exists()


def test_the_privacy_notice_is_national(personas):
    with pytest.raises(ValidationError) as caught:
        _publish(personas.advp_admin, kind=PRIVACY, network=personas.network_a)
    assert caught.value.code == "privacy_notice_national"


def test_every_language_needs_a_title_and_a_text(personas):
    texts = _texts()
    texts["de"]["body"] = "  "
    texts["fr"]["title"] = ""
    del texts["en"]
    with pytest.raises(ValidationError) as caught:
        _publish(personas.advp_admin, texts=texts)
    errors = caught.value.message_dict
    assert set(errors) == {"body_de", "title_fr", "title_en", "body_en"}
    assert errors["body_de"] == ["Enter the text in German: every version is published in the four languages."]
    assert errors["title_fr"] == ["Enter the title in French."]
    assert not PolicyDocument.objects.filter(version="2026-2").exists()


@pytest.mark.parametrize(
    ("version", "published_on", "field", "code"),
    [
        ("2026-1", None, "version", "version_exists"),
        ("", None, "version", "version_required"),
        ("two words", None, "version", "version_invalid"),
        ("publish", None, "version", "version_invalid"),
        ("2026-2", timezone.localdate() - datetime.timedelta(days=1), "published_on", "date_in_past"),
    ],
)
def test_version_and_date_are_checked(personas, version, published_on, field, code):
    with pytest.raises(ValidationError) as caught:
        _publish(personas.advp_admin, version=version, published_on=published_on)
    assert caught.value.error_dict[field][0].code == code
    assert PolicyDocument.objects.filter(kind=RULES, network=None).count() == 1


def test_a_new_version_cannot_start_before_the_latest(personas):
    later = timezone.localdate() + datetime.timedelta(days=10)
    _publish(personas.advp_admin, version="2026-2", published_on=later)
    with pytest.raises(ValidationError) as caught:
        _publish(personas.advp_admin, version="2026-3", published_on=later - datetime.timedelta(days=1))
    assert caught.value.error_dict["published_on"][0].code == "date_before_latest"


def test_the_same_version_name_may_exist_for_a_network_and_nationally(personas):
    own = _publish(personas.coordinator, network=personas.network_a, version="2026-1")
    assert own.network == personas.network_a


def test_markdown_is_rendered_and_cleaned():
    html = markdown_html(
        "# Big\n\n## Part\n\n- **one**\n- [two](/me/)\n\n<script>alert(1)</script>\n\n"
        '<a href="javascript:alert(1)" onclick="x()">bad</a>'
    )
    assert "<h2>Big</h2>" in html and "<h2>Part</h2>" in html and "<h1>" not in html
    assert "<strong>one</strong>" in html and '<a href="/me/"' in html
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html


def test_a_missing_language_falls_back_and_says_so():
    document = PolicyDocument.objects.create(
        kind=RULES, version="partial", texts={"nl": {"title": "Titel", "body": "Tekst"}}
    )
    shown = document_display(document, "fr")
    assert shown["language"] == "nl" and shown["other_language"] is True and shown["title"] == "Titel"
    assert document_display(document, "nl")["other_language"] is False
