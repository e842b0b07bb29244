"""Helpers of the CORE tests of practices: building practices through the services, tiny valid files."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from practices.services import practice as services

TEXT = {
    "title": "Door-to-door visits after a burglary wave",
    "summary": "Volunteers visited every house of the street after three burglaries.",
    "problem": "Three burglaries in two weeks in the same street.",
    "actions": "Two volunteers and the neighbourhood officer went door to door with a leaflet.",
    "results": "No burglary in the six months after; twelve new members.",
    "evidence_level": "monitored",
    "language": "en",
}


def practice_data(**overrides) -> dict:
    return {**TEXT, **overrides}


def draft(actor, *, themes=("burglary",), kinds=("residential",), networks=(), **overrides):
    return services.practice_create(
        actor=actor, data=practice_data(**overrides), themes=themes, kinds=kinds, networks=networks
    )


def submitted(actor, **kwargs):
    practice = draft(actor, **kwargs)
    return services.practice_submit(actor=actor, practice=practice)


def published(actor, moderator, **kwargs):
    practice = submitted(actor, **kwargs)
    return services.practice_publish(actor=moderator, practice=practice)


def pdf_bytes(text: str = "Leaflet") -> bytes:
    """A small valid PDF (one blank page) written with pypdf."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "JPEG", size=(64, 48), exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (200, 30, 30))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (50.0, 51.0, 0.0)}  # GPS info
        kwargs["exif"] = data.tobytes()
    image.save(buffer, format=image_format, **kwargs)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(name="media")
def media_fixture(settings, tmp_path):
    """Uploaded files go to a temporary directory."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    settings.MEDIA_ROOT = tmp_path
    return tmp_path
