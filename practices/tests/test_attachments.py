"""Attachments: checked by content, images re-encoded without metadata, limits, private downloads."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from core.models import AuditEvent
from practices.models import PracticeAttachment
from practices.services import attachments as service
from practices.tests.core_support import draft, image_bytes, media_fixture, pdf_bytes, published, upload  # noqa: F401

pytestmark = pytest.mark.django_db


def test_it_stores_a_valid_pdf(personas, media):
    practice = draft(personas.coordinator)
    attachment = service.attachment_add(
        actor=personas.coordinator, practice=practice, upload=upload("leaflet.pdf", pdf_bytes()), description="Flyer"
    )
    assert attachment.kind == "pdf" and attachment.original_name == "leaflet.pdf" and attachment.description == "Flyer"
    assert attachment.file.name.endswith(".pdf") and attachment.file.read().startswith(b"%PDF-")
    assert AuditEvent.objects.filter(action="create", object_id=str(attachment.pk)).exists()


def test_it_reencodes_images_without_metadata(personas, media):
    practice = draft(personas.coordinator)
    original = image_bytes("JPEG", exif=True)
    assert b"SecretCam" in original
    attachment = service.attachment_add(
        actor=personas.coordinator, practice=practice, upload=upload("photo.jpeg", original)
    )
    stored = attachment.file.read()
    assert b"SecretCam" not in stored and stored != original
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif() and "exif" not in image.info


def test_it_keeps_png_as_png_and_downscales_big_images(personas, media):
    practice = draft(personas.coordinator)
    attachment = service.attachment_add(
        actor=personas.coordinator, practice=practice, upload=upload("plan.png", image_bytes("PNG", size=(5000, 100)))
    )
    with Image.open(attachment.file) as image:
        assert image.format == "PNG" and image.size == (4000, 80)
    assert attachment.file.name.endswith(".png")


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("leaflet.pdf", b"#!/bin/sh\nrm -rf /\n", "disguised"),
        ("leaflet.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "disguised"),
        ("page.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "markup"),
        ("page.html", b"<html><body>hi</body></html>", "markup"),
        ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "markup"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>', "markup"),
        ("broken.pdf", b"%PDF-1.4\n1 0 obj\n", "pdf_broken"),
        (
            "active.pdf",
            b"%PDF-1.4\n<< /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nstartxref\n0\n%%EOF",
            "pdf_active",
        ),
        ("notes.txt", b"just some words", "unsupported"),
        ("anim.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "unsupported"),
        ("empty.png", b"", "empty"),
    ],
)
def test_it_refuses_disguised_and_unsupported_files(personas, media, name, content, code):
    practice = draft(personas.coordinator)
    with pytest.raises(ValidationError) as error:
        service.attachment_add(actor=personas.coordinator, practice=practice, upload=upload(name, content))
    assert error.value.code == code
    assert not PracticeAttachment.objects.exists() and not any(media.rglob("*.*"))


def test_it_refuses_gif_with_a_format_message(personas, media):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4)).save(buffer, format="GIF")
    with pytest.raises(ValidationError) as error:
        service.attachment_check(upload("anim.gif", buffer.getvalue()))
    assert error.value.code == "image_format"


def test_it_refuses_oversized_files(personas, media, settings):
    settings.BINPLP_PRACTICE_ATTACHMENT_MAX_MB = 1
    practice = draft(personas.coordinator)
    big = pdf_bytes() + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError) as error:
        service.attachment_add(actor=personas.coordinator, practice=practice, upload=upload("big.pdf", big))
    assert error.value.code == "too_large"
    assert "at most 1 MB" in error.value.messages[0]
    assert not PracticeAttachment.objects.exists()


def test_it_allows_at_most_ten_attachments(personas, media):
    practice = draft(personas.coordinator)
    content = pdf_bytes()
    for number in range(10):
        service.attachment_add(actor=personas.coordinator, practice=practice, upload=upload(f"{number}.pdf", content))
    with pytest.raises(ValidationError) as error:
        service.attachment_add(actor=personas.coordinator, practice=practice, upload=upload("11.pdf", content))
    assert error.value.code == "too_many" and practice.attachments.count() == 10


def test_only_those_who_may_change_the_practice_attach(personas, media):
    from django.core.exceptions import PermissionDenied

    practice = draft(personas.coordinator)
    with pytest.raises(PermissionDenied):
        service.attachment_add(actor=personas.zone_officer, practice=practice, upload=upload("a.pdf", pdf_bytes()))


def test_it_removes_an_attachment(personas, media, django_capture_on_commit_callbacks):
    practice = draft(personas.coordinator)
    attachment = service.attachment_add(
        actor=personas.coordinator, practice=practice, upload=upload("a.pdf", pdf_bytes())
    )
    path = media / attachment.file.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        service.attachment_remove(actor=personas.coordinator, attachment=attachment)
    assert not PracticeAttachment.objects.exists() and not path.exists()


def test_downloads_follow_the_practice_visibility(client, personas, media):
    from core.testing.matrix import ANONYMOUS_ALLOWED, assert_permission_matrix

    practice = draft(personas.coordinator)
    attachment = service.attachment_add(
        actor=personas.coordinator, practice=practice, upload=upload("leaflet.pdf", pdf_bytes())
    )
    url = f"/practices/{practice.pk}/attachments/{attachment.pk}/"
    client.logout()
    assert client.get(url).status_code == 404  # a draft: no one but the author and the moderators
    for user in (personas.zone_officer, personas.member):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(personas.coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith('attachment; filename="leaflet.pdf"')
    assert b"".join(response.streaming_content).startswith(b"%PDF-")

    public = published(personas.coordinator, personas.knowledge_centre, title="Public one")
    image = service.attachment_add(
        actor=personas.knowledge_centre, practice=public, upload=upload("p.png", image_bytes("PNG"))
    )
    assert_permission_matrix(
        client,
        f"/practices/{public.pk}/attachments/{image.pk}/",
        anonymous=ANONYMOUS_ALLOWED,
        allowed=[personas.outsider, personas.member, personas.coordinator],
    )
    response = client.get(f"/practices/{public.pk}/attachments/{image.pk}/")
    assert response["Content-Type"] == "image/png" and response["Content-Disposition"].startswith("inline")
    assert client.get(f"/practices/{public.pk}/attachments/{attachment.pk}/").status_code == 404
