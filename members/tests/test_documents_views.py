"""The public pages of the privacy notice and internal rules, and the pages publishing new versions (permission
matrix, success, errors)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from core.testing.matrix import assert_permission_matrix
from members.choices import DocumentKind
from members.models import PolicyDocument
from members.tests.join_support import ensure_first_documents
from networks.models import Network

RULES, PRIVACY = DocumentKind.INTERNAL_RULES, DocumentKind.PRIVACY_NOTICE


@pytest.fixture(autouse=True)
def _documents(db):
    ensure_first_documents()


def _texts(label: str) -> dict:
    return {
        code: {"title": f"{label} ({code})", "body": f"Body of {label} in {code}."} for code in ("nl", "fr", "de", "en")
    }


def _document(kind=RULES, network=None, version="2026-2", published_on=None, texts=None):
    return PolicyDocument.objects.create(
        kind=kind,
        network=network,
        version=version,
        published_on=published_on or timezone.localdate(),
        texts=texts or _texts(f"{kind} {version}"),
    )


def _page(client, url, language="en"):
    client.cookies["binplp_language"] = language
    response = client.get(url)
    return response, response.content.decode()


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("nl", "Privacyverklaring van de buurtinformatienetwerken"),
        ("fr", "Déclaration de confidentialité des partenariats locaux de prévention"),
        ("de", "Datenschutzerklärung der Nachbarschaftsinformationsnetzwerke"),
        ("en", "Privacy notice of the neighbourhood information networks"),
    ],
)
def test_the_privacy_notice_is_shown_in_the_readers_language(client, language, title):
    response, page = _page(client, "/join/documents/privacy/", language)
    assert response.status_code == 200
    assert f'<h1 lang="{language}">{title}</h1>' in page
    assert "<h2>" in page  # the Markdown became HTML
    assert "not available in your language" not in page


def test_earlier_versions_stay_readable(client):
    _document(PRIVACY, version="2026-2")
    _document(PRIVACY, version="2027-1", published_on=timezone.localdate() + datetime.timedelta(days=3))
    response, page = _page(client, "/join/documents/privacy/")
    assert "privacy_notice 2026-2 (en)" in page
    assert 'href="/join/documents/privacy/2026-1/"' in page
    assert "2027-1" not in page  # not in force yet

    response, page = _page(client, "/join/documents/privacy/2026-1/")
    assert response.status_code == 200
    assert "Privacy notice of the neighbourhood information networks" in page
    assert "This is an earlier version" in page and 'href="/join/documents/privacy/2026-2/"' in page
    assert client.get("/join/documents/privacy/2027-1/").status_code == 404
    assert client.get("/join/documents/privacy/nope/").status_code == 404


def test_a_text_missing_in_the_readers_language_says_which_language_is_shown(client):
    _document(PRIVACY, version="nl-only", texts={"nl": {"title": "Alleen Nederlands", "body": "Tekst."}})
    response, page = _page(client, "/join/documents/privacy/")
    assert "This text is not available in your language; it is shown in Dutch." in page
    assert '<h1 lang="nl">Alleen Nederlands</h1>' in page


def test_markdown_from_staff_is_cleaned(client):
    texts = _texts("x")
    texts["en"]["body"] = "Fine\n\n<script>alert('x')</script><img src=x onerror=alert(1)>"
    _document(PRIVACY, version="xss", texts=texts)
    response, page = _page(client, "/join/documents/privacy/")
    assert "alert(" not in page and "onerror" not in page


def test_a_network_without_own_rules_shows_the_national_model(client, personas):
    response, page = _page(client, "/join/BIN-11002-1/rules/")
    assert response.status_code == 200
    assert "BIN Network A follows the national model internal rules." in page
    assert "Model internal rules of a neighbourhood information network" in page
    assert 'href="/join/BIN-11002-1/"' in page  # join from there


def test_a_network_with_own_rules_shows_them(client, personas):
    _document(RULES, network=personas.network_a, version="own-1")
    response, page = _page(client, "/join/BIN-11002-1/rules/")
    assert "Internal rules of BIN Network A." in page and "internal_rules own-1 (en)" in page
    assert client.get("/join/BIN-11002-1/rules/own-1/").status_code == 200
    assert client.get("/join/BIN-21004-1/rules/own-1/").status_code == 404
    # The national page is unchanged.
    response, page = _page(client, "/join/documents/rules/")
    assert "Model internal rules of a neighbourhood information network" in page


def test_rules_of_a_network_that_is_not_active_are_not_public(client, personas):
    Network.objects.filter(pk=personas.network_a.pk).update(status="in_preparation")
    assert client.get("/join/BIN-11002-1/rules/").status_code == 404


def test_the_publish_link_shows_only_to_those_who_may_publish(client, personas):
    _response, page = _page(client, "/join/documents/privacy/")
    assert "/join/documents/privacy/publish/" not in page
    client.force_login(personas.knowledge_centre)
    _response, page = _page(client, "/join/documents/privacy/")
    assert "/join/documents/privacy/publish/" in page
    client.force_login(personas.coordinator)
    _response, page = _page(client, "/join/BIN-11002-1/rules/")
    assert "/join/BIN-11002-1/rules/publish/" in page


@pytest.mark.parametrize("kind", ["privacy", "rules"])
def test_national_publishing_is_for_advp_and_the_knowledge_centre(client, personas, kind):
    assert_permission_matrix(
        client,
        f"/join/documents/{kind}/publish/",
        allowed=[personas.advp_admin, personas.knowledge_centre],
        in_scope_wrong_role=[
            personas.zone_officer,
            personas.coordinator,
            personas.municipality_official,
            personas.member,
            personas.outsider,
        ],
    )


def test_a_networks_rules_are_published_by_its_managers(client, personas):
    assert_permission_matrix(
        client,
        "/join/BIN-11002-1/rules/publish/",
        allowed=[personas.coordinator, personas.zone_officer, personas.advp_admin],
        in_scope_wrong_role=[personas.knowledge_centre, personas.municipality_official],
        hidden=[personas.other_zone_officer, personas.member, personas.outsider, personas.trainer],
    )


def test_an_unknown_document_kind_is_404(client, personas):
    client.force_login(personas.advp_admin)
    assert client.get("/join/documents/charter/publish/").status_code == 404


def _form(label: str, version: str, published_on=None) -> dict:
    data = {"version": version, "published_on": (published_on or timezone.localdate()).isoformat()}
    for code in ("nl", "fr", "de", "en"):
        data[f"title_{code}"] = f"{label} {code}"
        data[f"body_{code}"] = f"## {label}\n\nText {code}."
    return data


def _sign_in_in_english(client, user) -> None:
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def test_advp_publishes_a_new_privacy_notice(client, personas):
    _sign_in_in_english(client, personas.advp_admin)
    form = client.get("/join/documents/privacy/publish/").content.decode()
    assert "Privacy notice of the neighbourhood information networks" in form  # starts from the version in force
    assert "<legend>Dutch</legend>" in form and 'lang="fr"' in form

    response = client.post("/join/documents/privacy/publish/", _form("Notice", "2026-2"), follow=True)

    assert response.redirect_chain == [("/join/documents/privacy/", 302)]
    page = response.content.decode()
    assert "Version 2026-2 is published" in page and '<h1 lang="en">Notice en</h1>' in page
    document = PolicyDocument.objects.get(kind=PRIVACY, version="2026-2")
    assert document.created_by == personas.advp_admin and document.network is None


def test_a_coordinator_publishes_the_networks_own_rules(client, personas):
    _sign_in_in_english(client, personas.coordinator)
    response = client.post("/join/BIN-11002-1/rules/publish/", _form("Our rules", "own-1"), follow=True)
    assert response.redirect_chain == [("/join/BIN-11002-1/rules/", 302)]
    assert "Internal rules of BIN Network A." in response.content.decode()
    assert PolicyDocument.objects.get(version="own-1").network == personas.network_a


def test_publishing_errors_are_shown_on_the_fields(client, personas):
    _sign_in_in_english(client, personas.advp_admin)
    data = _form("Rules", "2026-1")
    data["body_de"] = ""
    data["published_on"] = (timezone.localdate() - datetime.timedelta(days=2)).isoformat()

    response = client.post("/join/documents/rules/publish/", data)

    assert response.status_code == 400
    page = response.content.decode()
    assert 'href="#id_body_de"' in page and "Enter the text in German" in page
    assert 'href="#id_published_on"' in page and "cannot be in force before today" in page
    assert PolicyDocument.objects.filter(kind=RULES, network=None).count() == 1

    data = _form("Rules", "2026-1")
    response = client.post("/join/documents/rules/publish/", data)
    assert response.status_code == 400
    assert "This version of the document already exists." in response.content.decode()


def test_the_home_page_of_advp_and_the_knowledge_centre_leads_to_the_documents(client, personas):
    from core.home import _sections
    from members import join_nav

    if not any(section.template == "members/join/partials/_home_documents.html" for section in _sections):
        join_nav.register()  # members.apps does this once the lead wires it
    _sign_in_in_english(client, personas.knowledge_centre)
    page = client.get("/").content.decode()
    assert "Documents members accept" in page
    assert 'href="/join/documents/privacy/publish/"' in page and 'href="/join/documents/rules/publish/"' in page
    _sign_in_in_english(client, personas.coordinator)
    assert "Documents members accept" not in client.get("/").content.decode()


def test_the_document_page_reads_all_versions_in_one_query(client, django_assert_num_queries):
    for number in range(2, 7):
        _document(PRIVACY, version=f"2026-{number}", published_on=datetime.date(2026, 1, number))
    with django_assert_num_queries(1):
        assert client.get("/join/documents/privacy/").status_code == 200
