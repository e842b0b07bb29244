"""Keeping the BIN course (the Knowledge Centre): the course, its versions, modules, materials and evaluation questions.

Only a draft version changes. Making a draft current retires the version that was current, so new sessions use the
new one while sessions given with the old one keep pointing at it. A new draft starts as a copy of the current
version (objectives, modules, questions and links; uploaded files are copied too), so a change is small work.

Materials are a PDF (checked by its content with the same rules as the attachments of good practices: a complete
PDF without scripts, launch actions or embedded files, at most `BINPLP_TRAINING_MATERIAL_MAX_MB`) or a link.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from practices.services.attachments import MARKUP_STARTS, PDF_ACTIVE_MARKERS

from ..choices import QuestionKind, VersionStatus
from ..models import Course, CourseVersion, EvaluationQuestion, Material, Module
from ..permissions import can_edit_course

LANGUAGE_CODES = ("nl", "fr", "de", "en")
VERSION_FIELDS = (*(f"objectives_{code}" for code in LANGUAGE_CODES), "certificate_valid_years")
COURSE_FIELDS = ("code", *(f"title_{c}" for c in LANGUAGE_CODES), *(f"description_{c}" for c in LANGUAGE_CODES))
MODULE_FIELDS = (*(f"title_{c}" for c in LANGUAGE_CODES), *(f"summary_{c}" for c in LANGUAGE_CODES), "minutes")
QUESTION_FIELDS = ("kind", "required", *(f"text_{c}" for c in LANGUAGE_CODES))


def _check_actor(actor: User) -> None:
    if not can_edit_course(actor):
        raise PermissionDenied(_("Only the Knowledge Centre changes the course."))


def _require_draft(version: CourseVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise ValidationError(
            _(
                "This version is %(status)s: its content is frozen so that sessions and certificates keep what was "
                "taught. Create a new draft version to change it."
            ),
            code="version_frozen",
            params={"status": version.get_status_display()},
        )


def _locked_draft(version: CourseVersion) -> CourseVersion:
    """The version's row, locked for the change, refused unless it is (still) a draft."""
    locked = CourseVersion.objects.select_for_update().get(pk=version.pk)
    _require_draft(locked)
    return locked


# --- Course --------------------------------------------------------------------------------------------------------


def course_create(*, actor: User, code: str, title_nl: str, title_fr: str, **fields) -> Course:
    """A new course with an empty first draft version."""
    _check_actor(actor)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    with transaction.atomic():
        course = Course(code=(code or "").strip().lower(), title_nl=title_nl, title_fr=title_fr, **fields)
        course.full_clean()
        course.save()
        version = CourseVersion(course=course, number=1, status=VersionStatus.DRAFT)
        version.full_clean()
        version.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=course, changes=snapshot(course))
    return course


def course_update(*, actor: User, course: Course, **fields) -> Course:
    _check_actor(actor)
    unknown = set(fields) - set(COURSE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown course fields: {sorted(unknown)}")
    with transaction.atomic():
        course = Course.objects.select_for_update().get(pk=course.pk)
        before = snapshot(course)
        for name, value in fields.items():
            setattr(course, name, value)
        course.full_clean()
        course.save()
        changes = diff(before, snapshot(course))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=course, changes=changes)
    return course


# --- Versions ------------------------------------------------------------------------------------------------------


def version_create_draft(*, actor: User, course: Course) -> CourseVersion:
    """A new draft version of `course`, copied from its current version (else its latest). A course has at most one
    draft at a time."""
    _check_actor(actor)
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=course.pk)
        if course.versions.filter(status=VersionStatus.DRAFT).exists():
            raise ValidationError(
                _("This course already has a draft version: change that one, or make it current first."),
                code="draft_exists",
            )
        source = (
            course.versions.filter(status=VersionStatus.CURRENT).first() or course.versions.order_by("-number").first()
        )
        number = (course.versions.aggregate(top=Max("number"))["top"] or 0) + 1
        version = CourseVersion(course=course, number=number, status=VersionStatus.DRAFT)
        if source is not None:
            for name in VERSION_FIELDS:
                setattr(version, name, getattr(source, name))
        version.full_clean()
        version.save()
        if source is not None:
            _copy_content(source, version)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=version,
            changes={"number": number, "copied_from": source.pk if source else None},
        )
    return version


def _copy_content(source: CourseVersion, target: CourseVersion) -> None:
    modules = {}
    for module in source.modules.all():
        old_pk = module.pk
        module.pk = None
        module.id = None
        module.version = target
        module.save()
        modules[old_pk] = module
    for question in source.questions.all():
        question.pk = None
        question.id = None
        question.version = target
        question.save()
    for material in source.materials.all():
        copy = Material(
            version=target,
            module=modules.get(material.module_id),
            language=material.language,
            title=material.title,
            original_name=material.original_name,
            url=material.url,
        )
        if material.file:
            with material.file.open("rb") as handle:
                copy.file.save("material.pdf", ContentFile(handle.read()), save=False)
        copy.save()


def version_update(*, actor: User, version: CourseVersion, **fields) -> CourseVersion:
    """Change a draft's learning objectives (per language) or the validity of its certificates."""
    _check_actor(actor)
    unknown = set(fields) - set(VERSION_FIELDS)
    if unknown:
        raise TypeError(f"Unknown version fields: {sorted(unknown)}")
    with transaction.atomic():
        version = _locked_draft(version)
        before = snapshot(version, list(VERSION_FIELDS))
        for name, value in fields.items():
            setattr(version, name, value)
        version.full_clean()
        version.save()
        changes = diff(before, snapshot(version, list(VERSION_FIELDS)))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=version, changes=changes)
    return version


def version_make_current(*, actor: User, version: CourseVersion) -> CourseVersion:
    """The draft becomes the version new sessions use; the version that was current is retired."""
    _check_actor(actor)
    with transaction.atomic():
        Course.objects.select_for_update().get(pk=version.course_id)
        version = _locked_draft(version)
        if not version.modules.exists():
            raise ValidationError(_("Add at least one module before making this version current."), code="no_modules")
        if not (version.objectives_nl or version.objectives_fr):
            raise ValidationError(
                _("Write the learning objectives in Dutch or French before making this version current."),
                code="no_objectives",
            )
        previous = list(CourseVersion.objects.filter(course_id=version.course_id, status=VersionStatus.CURRENT))
        for old in previous:
            old.status = VersionStatus.RETIRED
            old.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=old,
                changes={"status": [VersionStatus.CURRENT, VersionStatus.RETIRED]},
            )
        version.status = VersionStatus.CURRENT
        version.published_at = timezone.now()
        version.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=version,
            changes={"status": [VersionStatus.DRAFT, VersionStatus.CURRENT]},
        )
    return version


# --- Modules and questions (ordered rows of a draft) ---------------------------------------------------------------


def _next_position(queryset) -> int:
    return (queryset.aggregate(top=Max("position"))["top"] or 0) + 1


def _close_gap(queryset, position: int) -> None:
    # One row at a time, in order, so the unique (version, position) constraint holds after every statement.
    for row in queryset.filter(position__gt=position).order_by("position"):
        row.position -= 1
        row.save(update_fields=["position"])


def _move(row, queryset, direction: str) -> bool:
    """Swap `row` with its neighbour above ("up") or below ("down"); False at either end."""
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose whether to move it up or down."), code="invalid_direction")
    neighbour = (
        queryset.filter(position__lt=row.position).order_by("-position").first()
        if direction == "up"
        else queryset.filter(position__gt=row.position).order_by("position").first()
    )
    if neighbour is None:
        return False
    mine, theirs = row.position, neighbour.position
    row.position = 0
    row.save(update_fields=["position"])
    neighbour.position = mine
    neighbour.save(update_fields=["position"])
    row.position = theirs
    row.save(update_fields=["position"])
    return True


def _fields(allowed: tuple[str, ...], fields: dict) -> dict:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields: {sorted(unknown)}")
    return fields


def module_add(*, actor: User, version: CourseVersion, title_nl: str, title_fr: str, minutes: int, **fields) -> Module:
    _check_actor(actor)
    fields = _fields(MODULE_FIELDS, fields)
    with transaction.atomic():
        version = _locked_draft(version)
        module = Module(
            version=version,
            position=_next_position(version.modules.all()),
            title_nl=title_nl,
            title_fr=title_fr,
            minutes=minutes,
            **fields,
        )
        module.full_clean()
        module.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=module, changes=snapshot(module))
    return module


def _draft_row_update(*, actor: User, row, allowed, fields: dict):
    """Change a module or a question of a draft version, with its audit row."""
    _check_actor(actor)
    fields = _fields(allowed, fields)
    with transaction.atomic():
        _locked_draft(row.version)
        row = type(row).objects.get(pk=row.pk)
        before = snapshot(row)
        for name, value in fields.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        changes = diff(before, snapshot(row))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, changes=changes)
    return row


def _draft_row_move(*, actor: User, row, siblings: str, direction: str) -> bool:
    """Move a module or a question of a draft version up or down among `siblings` (the version's related name)."""
    _check_actor(actor)
    with transaction.atomic():
        version = _locked_draft(row.version)
        row = type(row).objects.get(pk=row.pk)
        before = row.position
        moved = _move(row, getattr(version, siblings).all(), direction)
        if moved:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=row, changes={"position": [before, row.position]})
    return moved


def module_update(*, actor: User, module: Module, **fields) -> Module:
    return _draft_row_update(actor=actor, row=module, allowed=MODULE_FIELDS, fields=fields)


def module_remove(*, actor: User, module: Module) -> None:
    """Remove a module of a draft (and its materials); the modules after it move up."""
    _check_actor(actor)
    with transaction.atomic():
        version = _locked_draft(module.version)
        position = module.position
        files = [m.file.name for m in module.materials.all() if m.file]
        audit_record(actor=actor, action=AuditAction.DELETE, obj=module, changes=snapshot(module))
        module.delete()
        _close_gap(version.modules.all(), position)
        _delete_files_on_commit(files)


def module_move(*, actor: User, module: Module, direction: str) -> bool:
    return _draft_row_move(actor=actor, row=module, siblings="modules", direction=direction)


def question_add(
    *, actor: User, version: CourseVersion, kind: str, text_nl: str, text_fr: str, **fields
) -> EvaluationQuestion:
    _check_actor(actor)
    fields = _fields(QUESTION_FIELDS, fields)
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose a score from 1 to 5 or free text.")}, code="invalid_kind")
    with transaction.atomic():
        version = _locked_draft(version)
        question = EvaluationQuestion(
            version=version,
            position=_next_position(version.questions.all()),
            kind=kind,
            text_nl=text_nl,
            text_fr=text_fr,
            **fields,
        )
        question.full_clean()
        question.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=question, changes=snapshot(question))
    return question


def question_update(*, actor: User, question: EvaluationQuestion, **fields) -> EvaluationQuestion:
    return _draft_row_update(actor=actor, row=question, allowed=QUESTION_FIELDS, fields=fields)


def question_remove(*, actor: User, question: EvaluationQuestion) -> None:
    _check_actor(actor)
    with transaction.atomic():
        version = _locked_draft(question.version)
        position = question.position
        audit_record(actor=actor, action=AuditAction.DELETE, obj=question, changes=snapshot(question))
        question.delete()
        _close_gap(version.questions.all(), position)


def question_move(*, actor: User, question: EvaluationQuestion, direction: str) -> bool:
    return _draft_row_move(actor=actor, row=question, siblings="questions", direction=direction)


# --- Materials -----------------------------------------------------------------------------------------------------


def material_max_bytes() -> int:
    return int(settings.BINPLP_TRAINING_MATERIAL_MAX_MB) * 1024 * 1024


def _upload_name(upload) -> str:
    name = os.path.basename(str(getattr(upload, "name", "") or "material.pdf")).replace("\x00", "")
    return name[-200:] or "material.pdf"


def material_check(upload) -> tuple[bytes, str]:
    """The content and file name of an uploaded PDF, checked by its content (never its name or declared type).
    Raises a ValidationError saying what is wrong."""
    name = _upload_name(upload)
    limit = material_max_bytes()
    too_large = ValidationError(
        _("“%(name)s” is too large: course materials can be at most %(limit)s MB."),
        code="too_large",
        params={"name": name, "limit": limit // (1024 * 1024)},
    )
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise too_large
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_large
    if not data:
        raise ValidationError(_("“%(name)s” is empty."), code="empty", params={"name": name})
    if not data.startswith(b"%PDF-"):
        start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if start.startswith(MARKUP_STARTS) or b"<svg" in start or b"<html" in start:
            raise ValidationError(
                _("“%(name)s” is a web page or an SVG drawing, not a PDF document."),
                code="markup",
                params={"name": name},
            )
        raise ValidationError(
            _("“%(name)s” is not a PDF document (its content was checked, not its name)."),
            code="not_pdf",
            params={"name": name},
        )
    tail = data[-2048:]
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationError(_("“%(name)s” is not a complete PDF document."), code="pdf_broken", params={"name": name})
    if any(marker in data for marker in PDF_ACTIVE_MARKERS):
        raise ValidationError(
            _("“%(name)s” contains scripts or embedded files; save it as a plain PDF and try again."),
            code="pdf_active",
            params={"name": name},
        )
    return data, name


def material_add(
    *,
    actor: User,
    version: CourseVersion,
    language: str,
    title: str,
    upload=None,
    url: str = "",
    module: Module | None = None,
) -> Material:
    """Add a material in one language to a draft: an uploaded PDF or a link (exactly one of them)."""
    _check_actor(actor)
    url = (url or "").strip()
    if (upload is None) == (not url):
        raise ValidationError(_("Give either a PDF file or a link, not both and not neither."), code="file_or_link")
    if module is not None and module.version_id != version.pk:
        raise ValidationError({"module": _("This module belongs to another version.")}, code="module_elsewhere")
    content, name = material_check(upload) if upload is not None else (b"", "")
    with transaction.atomic():
        version = _locked_draft(version)
        material = Material(
            version=version, module=module, language=language, title=(title or "").strip(), url=url, original_name=name
        )
        if content:
            material.file.save("material.pdf", ContentFile(content), save=False)
        stored = material.file.name if content else ""
        try:
            material.full_clean()
            material.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=material,
                changes={"language": language, "kind": "file" if content else "link", "module": material.module_id},
            )
        except Exception:
            if stored:
                material.file.storage.delete(stored)
            raise
    return material


def material_remove(*, actor: User, material: Material) -> None:
    _check_actor(actor)
    with transaction.atomic():
        _locked_draft(material.version)
        files = [material.file.name] if material.file else []
        audit_record(actor=actor, action=AuditAction.DELETE, obj=material, changes={"language": material.language})
        material.delete()
        _delete_files_on_commit(files)


def _delete_files_on_commit(names: list[str]) -> None:
    if not names:
        return
    storage = Material._meta.get_field("file").storage

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
