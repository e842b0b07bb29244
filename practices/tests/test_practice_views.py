"""The practice pages: share, my practices, edit, detail, print, translate, helpful."""

import pytest

from core.testing.matrix import ANONYMOUS_ALLOWED, assert_permission_matrix
from practices.choices import PracticeStatus
from practices.models import Practice, PracticeAttachment
from practices.services import practice as services
from practices.tests.core_support import draft, image_bytes, media_fixture, pdf_bytes, practice_data, published, upload  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies["binplp_language"] = "en"
    return client


def _form(**overrides):
    data = {
        **practice_data(),
        "themes": ["burglary"],
        "kinds": ["residential"],
        "evidence_level": "monitored",
        "language": "en",
        "region": "",
    }
    data.update(overrides)
    return data


def test_the_share_page_matrix(client, personas):
    assert_permission_matrix(
        client,
        "/practices/new/",
        allowed=[
            personas.coordinator,
            personas.zone_officer,
            personas.municipality_official,
            personas.trainer,
            personas.knowledge_centre,
            personas.advp_admin,
        ],
        in_scope_wrong_role=[personas.member, personas.outsider],
    )


def test_the_share_page_shows_the_template(english, personas):
    english.force_login(personas.coordinator)
    response = english.get("/practices/new/")
    content = response.content.decode()
    assert "Share a practice" in content and "What was done" in content
    assert "Two or three sentences" in content  # help text of the summary
    assert "BIN Network A" in content and "PLP Network B" not in content  # only the coordinator's network
    assert 'enctype="multipart/form-data"' in content


def test_a_coordinator_saves_a_draft_with_an_attachment(english, personas, media):
    english.force_login(personas.coordinator)
    data = _form(networks=[personas.network_a.pk], action="draft")
    data["attachments"] = [upload("leaflet.pdf", pdf_bytes()), upload("photo.jpg", image_bytes())]
    data["attachment_description"] = "Leaflet and photo"
    response = english.post("/practices/new/", data)
    practice = Practice.objects.get()
    assert response.status_code == 302 and response["Location"] == practice.get_absolute_url()
    assert practice.status == PracticeStatus.DRAFT and list(practice.networks.all()) == [personas.network_a]
    assert sorted(practice.attachments.values_list("kind", flat=True)) == ["image", "pdf"]


def test_submitting_needs_the_required_fields(english, personas, media):
    english.force_login(personas.coordinator)
    data = _form(summary="", results="  ", themes=[], action="submit")
    data["attachments"] = [upload("leaflet.pdf", pdf_bytes())]
    response = english.post("/practices/new/", data)
    assert response.status_code == 400
    content = response.content.decode()
    assert "Fill in “Summary” before submitting." in content or "Fill in “summary” before submitting." in content
    assert "Choose at least one theme before submitting." in content
    assert not Practice.objects.exists() and not PracticeAttachment.objects.exists()


def test_a_disguised_upload_is_refused_and_nothing_is_stored(english, personas, media):
    english.force_login(personas.coordinator)
    data = _form(action="draft")
    data["attachments"] = [upload("leaflet.pdf", b"#!/bin/sh\necho pwned\n")]
    response = english.post("/practices/new/", data)
    assert response.status_code == 400
    assert "is named like a PDF but its content is not a PDF document" in response.content.decode()
    assert not Practice.objects.exists() and not any(media.rglob("*.*"))


def test_a_web_page_named_pdf_is_refused(english, personas, media):
    english.force_login(personas.coordinator)
    data = _form(action="draft")
    data["attachments"] = [
        upload("leaflet.pdf", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>")
    ]
    response = english.post("/practices/new/", data)
    assert response.status_code == 400
    assert "is a web page or an SVG drawing: these are not accepted" in response.content.decode()
    assert not Practice.objects.exists() and not any(media.rglob("*.*"))


def test_an_oversized_upload_is_refused(english, personas, media, settings):
    settings.BINPLP_PRACTICE_ATTACHMENT_MAX_MB = 1
    english.force_login(personas.coordinator)
    data = _form(action="draft")
    data["attachments"] = [upload("big.pdf", pdf_bytes() + b"%" * (1024 * 1024 + 10))]
    response = english.post("/practices/new/", data)
    assert response.status_code == 400 and "too large" in response.content.decode()
    assert not Practice.objects.exists()


def test_networks_out_of_sight_cannot_be_posted(english, personas):
    english.force_login(personas.coordinator)
    response = english.post("/practices/new/", _form(networks=[personas.network_b.pk], action="draft"))
    assert response.status_code == 400 and not Practice.objects.exists()


def test_a_submission_from_the_form(english, personas, django_capture_on_commit_callbacks, smtp_server):
    english.force_login(personas.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = english.post("/practices/new/", _form(action="submit"))
    practice = Practice.objects.get()
    assert response.status_code == 302 and practice.status == PracticeStatus.SUBMITTED
    assert smtp_server.to(personas.knowledge_centre.email)


def test_the_detail_matrix_for_drafts_and_published_practices(client, personas):
    practice = draft(personas.coordinator)
    # A draft answers 404 to anonymous visitors too (the matrix helper expects a sign-in redirect or a success).
    client.logout()
    assert client.get(practice.get_absolute_url()).status_code == 404
    for user in (personas.zone_officer, personas.advp_admin, personas.member, personas.outsider):
        client.force_login(user)
        assert client.get(practice.get_absolute_url()).status_code == 404
        assert client.get(f"/practices/{practice.pk}/print/").status_code == 404
    for user in (personas.coordinator, personas.knowledge_centre):
        client.force_login(user)
        assert client.get(practice.get_absolute_url()).status_code == 200

    public = published(personas.coordinator, personas.knowledge_centre, title="Public")
    for url in (public.get_absolute_url(), f"/practices/{public.pk}/print/"):
        assert_permission_matrix(
            client,
            url,
            anonymous=ANONYMOUS_ALLOWED,
            allowed=[personas.outsider, personas.member, personas.zone_officer, personas.knowledge_centre],
        )


def test_the_edit_matrix(client, personas):
    practice = draft(personas.coordinator)
    url = f"/practices/{practice.pk}/edit/"
    assert_permission_matrix(
        client,
        url,
        allowed=[personas.coordinator, personas.knowledge_centre],
        hidden=[personas.zone_officer, personas.member, personas.outsider],
    )
    services.practice_submit(actor=personas.coordinator, practice=practice)
    assert_permission_matrix(
        client,
        url,
        allowed=[personas.knowledge_centre],
        in_scope_wrong_role=[personas.coordinator],  # with the moderators now
        hidden=[personas.zone_officer],
    )


def test_the_author_edits_a_draft(english, personas):
    practice = draft(personas.coordinator)
    english.force_login(personas.coordinator)
    response = english.post(f"/practices/{practice.pk}/edit/", _form(summary="Shorter.", action="draft"))
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.summary == "Shorter." and practice.revisions.first().changed_fields == ["summary"]


def test_the_page_renders_markdown_and_neutralises_html(english, personas):
    practice = published(
        personas.coordinator,
        personas.knowledge_centre,
        summary="**Bold** <script>alert('x')</script> <img src=x onerror=alert(1)> [bad](javascript:alert(1))",
    )
    response = english.get(practice.get_absolute_url())
    content = response.content.decode()
    assert "<strong>Bold</strong>" in content
    assert "<script>alert" not in content and "<img src=x" not in content and 'href="javascript' not in content
    assert "&lt;script&gt;" in content
    assert "Door-to-door" in content and "burglary" in content and "monitored" in content.lower()


def test_the_language_notes(client, personas):
    original = published(personas.coordinator, personas.knowledge_centre, language="nl", title="Huisbezoeken")
    client.cookies["binplp_language"] = "fr"
    content = client.get(original.get_absolute_url()).content.decode()
    assert "uniquement disponible" in content or "only available" in content or "Nederlands" in content
    translation = services.practice_translate(
        actor=personas.knowledge_centre,
        original=original,
        language="fr",
        data=practice_data(title="Visites à domicile"),
    )
    client.cookies["binplp_language"] = "en"
    content = client.get(original.get_absolute_url()).content.decode()
    assert "This practice is only available in" not in content or "Dutch" in content
    client.cookies["binplp_language"] = "fr"
    content = client.get(original.get_absolute_url()).content.decode()
    assert translation.get_absolute_url() in content
    content = client.get(translation.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in content  # the translation links its original


def test_the_only_available_note_in_english(english, personas):
    practice = published(personas.coordinator, personas.knowledge_centre, language="nl", title="Huisbezoeken")
    content = english.get(practice.get_absolute_url()).content.decode()
    assert "This practice is only available in Dutch." in content


def test_the_thread_is_for_the_author_and_moderators_only(english, personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    services.practice_comment(actor=personas.knowledge_centre, practice=practice, body="Internal remark 42")
    english.force_login(personas.member)
    assert "Internal remark 42" not in english.get(practice.get_absolute_url()).content.decode()
    english.force_login(personas.coordinator)
    assert "Internal remark 42" in english.get(practice.get_absolute_url()).content.decode()


def test_helpful_once_per_user_with_htmx(english, personas):
    practice = published(personas.coordinator, personas.knowledge_centre)
    url = f"/practices/{practice.pk}/helpful/"
    english.logout()
    english.cookies["binplp_language"] = "en"  # signing out cleared the cookies
    assert "Sign in to say it helped you" in english.get(practice.get_absolute_url()).content.decode()
    response = english.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    english.force_login(personas.member)
    response = english.post(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "1 reader" in response.content.decode()
    english.post(url, HTTP_HX_REQUEST="true")
    practice.refresh_from_db()
    assert practice.helpful_count == 1
    english.force_login(personas.outsider)
    english.post(url)
    practice.refresh_from_db()
    assert practice.helpful_count == 2


def test_helpful_on_a_draft_is_404(client, personas):
    practice = draft(personas.coordinator)
    client.force_login(personas.coordinator)
    assert client.post(f"/practices/{practice.pk}/helpful/").status_code == 404


def test_my_practices_lists_only_mine(english, personas):
    mine = draft(personas.coordinator, title="Mine")
    draft(personas.zone_officer, title="Someone else's")
    english.force_login(personas.coordinator)
    content = english.get("/practices/mine/").content.decode()
    assert "Mine" in content and "Someone else" not in content
    assert_permission_matrix(english, "/practices/mine/", allowed=[personas.coordinator, personas.member])
    assert mine.pk


def test_the_translate_page_matrix_and_duplicate_language(english, personas):
    original = published(personas.coordinator, personas.knowledge_centre)
    url = f"/practices/{original.pk}/translate/"
    assert_permission_matrix(
        english,
        url,
        allowed=[personas.coordinator, personas.knowledge_centre],
        in_scope_wrong_role=[personas.zone_officer, personas.member],
    )
    english.force_login(personas.knowledge_centre)
    data = {**practice_data(title="Visites"), "language": "fr"}
    response = english.post(url, data)
    translation = Practice.objects.get(original=original)
    assert response.status_code == 302 and translation.status == PracticeStatus.PUBLISHED
    response = english.post(url, data)
    assert response.status_code == 400 and Practice.objects.filter(original=original).count() == 1


def test_the_page_shows_related_practices(english, personas):
    practice = published(personas.coordinator, personas.knowledge_centre, themes=["burglary"])
    published(
        personas.zone_officer, personas.knowledge_centre, title="Burglary prevention evenings", themes=["burglary"]
    )
    content = english.get(practice.get_absolute_url()).content.decode()
    assert "Related practices" in content and "Burglary prevention evenings" in content
