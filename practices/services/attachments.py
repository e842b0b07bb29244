"""Attachments of a practice: PDF documents and JPEG/PNG images, checked by their content, never by their name.

A PDF must look like one from its first to its last bytes (header, cross-reference pointer, end marker) and carry
no JavaScript or launch action. An image must open with Pillow as a JPEG or a PNG; it is then re-encoded (JPEG
quality 85 or PNG), without EXIF or any other metadata, at most 4000 pixels on its longest side. Anything else
(a script renamed .pdf, an HTML page, an SVG drawing, a file over the size limit) is refused with its own message
and nothing is stored.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.scoping import can

from ..choices import AttachmentKind
from ..models import Practice, PracticeAttachment

MAX_ATTACHMENTS = 10
MAX_SIDE = 4000
# Images above this many pixels are refused before decoding (decompression bombs).
MAX_PIXELS = 60_000_000
JPEG_QUALITY = 85
# Active content a PDF reader could run: refused.
PDF_ACTIVE_MARKERS = (b"/JavaScript", b"/JS ", b"/JS(", b"/JS<", b"/Launch", b"/EmbeddedFile")
MARKUP_STARTS = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<head", b"<body", b"<script", b"<!--")


def max_bytes() -> int:
    return int(getattr(settings, "BINPLP_PRACTICE_ATTACHMENT_MAX_MB", 10)) * 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    """An upload that passed the checks: what will be stored."""

    kind: str
    content: bytes
    extension: str
    original_name: str


def _error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def _original_name(upload) -> str:
    name = os.path.basename(str(getattr(upload, "name", "") or "file")).replace("\x00", "")
    return name[-200:] or "file"


def _check_pdf(data: bytes, name: str) -> CheckedFile:
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise _error(_("“%(name)s” is not a complete PDF document."), "pdf_broken", name=name)
    if any(marker in data for marker in PDF_ACTIVE_MARKERS):
        raise _error(
            _("“%(name)s” contains scripts or embedded files; save it as a plain PDF and try again."),
            "pdf_active",
            name=name,
        )
    return CheckedFile(kind=AttachmentKind.PDF, content=data, extension="pdf", original_name=name)


def _reencoded(image: Image.Image, image_format: str) -> bytes:
    """The picture alone: orientation applied, downscaled, pixels copied into a new image so that no EXIF, ICC
    profile, text chunk or comment of the upload is carried over."""
    image = ImageOps.exif_transpose(image)
    if image_format == "JPEG":
        image = image.convert("RGB")
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA")
    image.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    clean = Image.new(image.mode, image.size)
    clean.paste(image)
    buffer = io.BytesIO()
    if image_format == "JPEG":
        clean.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    else:
        clean.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _check_image(data: bytes, name: str) -> CheckedFile:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image_format = image.format
            if image_format not in ("JPEG", "PNG"):
                raise _error(
                    _("“%(name)s” is an image in a format we do not accept: use JPEG or PNG."),
                    "image_format",
                    name=name,
                )
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise _error(_("“%(name)s” has too many pixels."), "image_pixels", name=name)
            image.load()
            content = _reencoded(image, image_format)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise _error(
            _("“%(name)s” is not a PDF document or a JPEG or PNG image (its content was checked, not its name)."),
            "unsupported",
            name=name,
        ) from None
    extension = "jpg" if image_format == "JPEG" else "png"
    return CheckedFile(kind=AttachmentKind.IMAGE, content=content, extension=extension, original_name=name)


def attachment_check(upload) -> CheckedFile:
    """Check one uploaded file by its content. Raises a ValidationError saying what is wrong; stores nothing."""
    name = _original_name(upload)
    limit = max_bytes()
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _error(
            _("“%(name)s” is too large: files can be at most %(limit)s MB."),
            "too_large",
            name=name,
            limit=limit // (1024 * 1024),
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _error(
            _("“%(name)s” is too large: files can be at most %(limit)s MB."),
            "too_large",
            name=name,
            limit=limit // (1024 * 1024),
        )
    if not data:
        raise _error(_("“%(name)s” is empty."), "empty", name=name)
    if data.startswith(b"%PDF-"):
        return _check_pdf(data, name)
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(MARKUP_STARTS) or b"<svg" in start or b"<html" in start:
        raise _error(
            _("“%(name)s” is a web page or an SVG drawing: these are not accepted. Use PDF, JPEG or PNG."),
            "markup",
            name=name,
        )
    if name.lower().endswith(".pdf"):
        raise _error(
            _("“%(name)s” is named like a PDF but its content is not a PDF document."),
            "disguised",
            name=name,
        )
    return _check_image(data, name)


def attachment_room(practice: Practice) -> int:
    """How many more files the practice can take."""
    return max(0, MAX_ATTACHMENTS - practice.attachments.count())


def attachment_add(
    *, actor: User, practice: Practice, upload=None, checked: CheckedFile | None = None, description: str = ""
) -> PracticeAttachment:
    """Attach a checked file to a practice the actor may change (pass the upload, or its `attachment_check`)."""
    if not can(actor, "change", practice):
        raise PermissionDenied(_("You cannot change this practice."))
    if checked is None:
        checked = attachment_check(upload)
    description = (description or "").strip()[:200]
    with transaction.atomic():
        Practice.objects.select_for_update().filter(pk=practice.pk).first()
        if attachment_room(practice) < 1:
            raise _error(_("A practice can have at most %(count)s attachments."), "too_many", count=MAX_ATTACHMENTS)
        attachment = PracticeAttachment(
            practice=practice,
            kind=checked.kind,
            original_name=checked.original_name,
            size=len(checked.content),
            description=description,
            uploaded_by=actor,
        )
        attachment.file.save(f"upload.{checked.extension}", ContentFile(checked.content), save=False)
        stored = attachment.file.name
        try:
            attachment.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=attachment,
                changes={"kind": [None, attachment.kind], "size": [None, attachment.size], "practice": practice.pk},
            )
        except Exception:
            attachment.file.storage.delete(stored)
            raise
    return attachment


def attachment_remove(*, actor: User, attachment: PracticeAttachment) -> None:
    """Remove an attachment from a practice the actor may change; the file goes once the removal is committed."""
    if not can(actor, "change", attachment.practice):
        raise PermissionDenied(_("You cannot change this practice."))
    with transaction.atomic():
        storage, name = attachment.file.storage, attachment.file.name
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=attachment,
            changes={"kind": [attachment.kind, None], "practice": attachment.practice_id},
        )
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))
