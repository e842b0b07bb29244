"""Course pages (training/views_course.py): the permission matrix, the frozen current version, the draft's forms
end to end, and the material download."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.testing.matrix import assert_permission_matrix
from practices.tests.core_support import media_fixture, pdf_bytes  # noqa: F401
from training.choices import VersionStatus
from training.models import Material, Module
from training.services import courses as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(personas):
    from accounts.models import User

    User.objects.update(language="en")
    return personas


@pytest.fixture
def draft(personas, course_version):
    return services.version_create_draft(actor=personas.knowledge_centre, course=course_version.course)


def sign_in(client, user):
    client.force_login(user)
    client.cookies["binplp_language"] = "en"
    return client


def test_matrix_of_the_reading_pages(client, english, course_version):
    readers = [english.knowledge_centre, english.advp_admin, english.trainer, english.zone_officer, english.coordinator]
    assert_permission_matrix(
        client, "/training/course/", allowed=readers, in_scope_wrong_role=[english.member, english.outsider]
    )
    for url in (f"/training/course/{course_version.course_id}/", f"/training/course/versions/{course_version.pk}/"):
        assert_permission_matrix(client, url, allowed=readers, hidden=[english.member, english.outsider])


def test_matrix_of_the_editing_pages(client, english, draft, media):
    module = draft.modules.first()
    question = draft.questions.first()
    material = services.material_add(
        actor=english.knowledge_centre, version=draft, language="nl", title="Link", url="https://example.be/"
    )
    for url in (
        "/training/course/new/",
        f"/training/course/{draft.course_id}/edit/",
        f"/training/course/versions/{draft.pk}/edit/",
        f"/training/course/versions/{draft.pk}/make-current/",
        f"/training/course/versions/{draft.pk}/modules/new/",
        f"/training/course/versions/{draft.pk}/materials/new/",
        f"/training/course/versions/{draft.pk}/questions/new/",
        f"/training/course/modules/{module.pk}/edit/",
        f"/training/course/modules/{module.pk}/remove/",
        f"/training/course/questions/{question.pk}/edit/",
        f"/training/course/questions/{question.pk}/remove/",
        f"/training/course/materials/{material.pk}/remove/",
    ):
        assert_permission_matrix(
            client,
            url,
            allowed=[english.knowledge_centre],
            in_scope_wrong_role=[english.advp_admin, english.trainer, english.zone_officer],
            **({} if url == "/training/course/new/" else {"hidden": [english.outsider, english.member]}),
        )
    for url in (f"/training/course/modules/{module.pk}/move/", f"/training/course/questions/{question.pk}/move/"):
        assert_permission_matrix(
            client,
            url,
            method="post",
            data={"direction": "down"},
            allowed=[english.knowledge_centre],
            allowed_status=(302,),
            in_scope_wrong_role=[english.trainer],
            hidden=[english.outsider],
        )


def test_a_current_version_says_it_is_frozen(client, english, course_version):
    sign_in(client, english.knowledge_centre)
    page = client.get(f"/training/course/versions/{course_version.pk}/").content.decode()
    assert 'id="frozen-notice"' in page and "modules/new" not in page
    response = client.post(
        f"/training/course/versions/{course_version.pk}/modules/new/",
        {"title_nl": "X", "title_fr": "X", "minutes": "30"},
        follow=True,
    )
    assert "This version is current: its content is frozen" in response.content.decode()
    assert course_version.modules.count() == 3


def test_the_knowledge_centre_edits_a_draft_and_makes_it_current(client, english, course_version):
    sign_in(client, english.knowledge_centre)
    response = client.post(f"/training/course/{course_version.course_id}/versions/new/")
    draft = course_version.course.versions.get(status=VersionStatus.DRAFT)
    assert response["Location"] == f"/training/course/versions/{draft.pk}/"
    response = client.post(
        f"/training/course/versions/{draft.pk}/modules/new/",
        {"title_nl": "Nieuw", "title_fr": "Nouveau", "minutes": "2"},
    )
    assert response.status_code == 400 and "between 5 minutes and 16 hours" in response.content.decode()
    assert draft.modules.count() == 3
    client.post(
        f"/training/course/versions/{draft.pk}/modules/new/",
        {"title_nl": "Nieuw", "title_fr": "Nouveau", "minutes": "50"},
    )
    assert draft.modules.get(position=4).title_fr == "Nouveau"
    response = client.post(
        f"/training/course/versions/{draft.pk}/edit/",
        {"objectives_nl": "Een\nTwee", "objectives_fr": "Un", "certificate_valid_years": "3"},
    )
    assert response.status_code == 302
    client.post(f"/training/course/versions/{draft.pk}/make-current/")
    draft.refresh_from_db()
    course_version.refresh_from_db()
    assert draft.status == VersionStatus.CURRENT and draft.certificate_valid_years == 3
    assert course_version.status == VersionStatus.RETIRED


def test_a_web_page_named_pdf_is_refused(client, english, draft, media):
    sign_in(client, english.knowledge_centre)
    url = f"/training/course/versions/{draft.pk}/materials/new/"
    page = SimpleUploadedFile(
        "a.pdf",
        b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>",
        content_type="application/pdf",
    )
    response = client.post(url, {"language": "nl", "title": "Script", "file": page})
    assert response.status_code == 400 and "is a web page or an SVG drawing" in response.content.decode()
    assert not Material.objects.exists()


def test_materials_upload_errors_and_download(client, english, draft, media):
    sign_in(client, english.knowledge_centre)
    url = f"/training/course/versions/{draft.pk}/materials/new/"
    response = client.post(url, {"language": "nl", "title": "Script", "file": SimpleUploadedFile("a.pdf", b"MZ\x90")})
    assert response.status_code == 400 and "is not a PDF document" in response.content.decode()
    response = client.post(url, {"language": "nl", "title": "Nothing"})
    assert response.status_code == 400 and "either a PDF file or a link" in response.content.decode()
    assert not Material.objects.exists()
    module = draft.modules.first()
    response = client.post(
        url,
        {"language": "fr", "title": "Slides", "module": module.pk, "file": SimpleUploadedFile("s.pdf", pdf_bytes())},
    )
    material = Material.objects.get()
    assert response.status_code == 302 and material.module == module
    for reader in (english.trainer, english.zone_officer):
        response = sign_in(client, reader).get(f"/training/course/materials/{material.pk}/")
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert_permission_matrix(
        client, f"/training/course/materials/{material.pk}/", allowed=[english.trainer], hidden=[english.outsider]
    )


def test_the_version_page_needs_few_queries(client, english, draft, django_assert_max_num_queries):
    for index in range(10):
        Module.objects.create(version=draft, position=10 + index, title_nl="M", title_fr="M", minutes=30)
    sign_in(client, english.trainer)
    with django_assert_max_num_queries(14):
        assert client.get(f"/training/course/versions/{draft.pk}/").status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get("/training/course/").status_code == 200
