"""Course services (training/services/courses.py): drafts copied from the current version, making a draft current
(the previous one retired), frozen versions, modules and questions kept in order, and materials checked by content."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.models import AuditEvent
from practices.tests.core_support import media_fixture, pdf_bytes  # noqa: F401
from training.choices import VersionStatus
from training.models import CourseVersion, Material, Module
from training.services import courses as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(personas, course_version):
    return services.version_create_draft(actor=personas.knowledge_centre, course=course_version.course)


def test_a_new_draft_copies_the_current_version(personas, course_version, draft):
    assert draft.number == 2 and draft.status == VersionStatus.DRAFT
    assert draft.objectives_en == course_version.objectives_en and draft.certificate_valid_years == 5
    assert [m.minutes for m in draft.modules.all()] == [60, 90, 90]
    assert draft.questions.count() == 3 and course_version.modules.count() == 3
    assert AuditEvent.objects.filter(action="create", object_id=str(draft.pk)).exists()
    with pytest.raises(ValidationError, match="already has a draft version"):
        services.version_create_draft(actor=personas.knowledge_centre, course=course_version.course)


def test_making_a_draft_current_retires_the_previous(personas, course_version, draft):
    services.version_make_current(actor=personas.knowledge_centre, version=draft)
    course_version.refresh_from_db()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.CURRENT and draft.published_at is not None
    assert course_version.status == VersionStatus.RETIRED
    assert CourseVersion.objects.filter(status=VersionStatus.CURRENT).count() == 1


def test_a_current_version_is_frozen(personas, course_version):
    module = course_version.modules.first()
    for call in (
        lambda: services.version_update(actor=personas.knowledge_centre, version=course_version, objectives_en="x"),
        lambda: services.module_add(
            actor=personas.knowledge_centre, version=course_version, title_nl="A", title_fr="A", minutes=30
        ),
        lambda: services.module_update(actor=personas.knowledge_centre, module=module, minutes=30),
        lambda: services.module_remove(actor=personas.knowledge_centre, module=module),
    ):
        with pytest.raises(ValidationError, match="This version is current: its content is frozen"):
            call()
    assert course_version.modules.count() == 3 and module.minutes == 60


def test_only_the_knowledge_centre_changes_the_course(personas, draft):
    for actor in (personas.trainer, personas.advp_admin, personas.zone_officer):
        with pytest.raises(PermissionDenied):
            services.version_update(actor=actor, version=draft, objectives_en="x")


def test_modules_are_added_moved_and_removed_in_order(personas, draft):
    kc = personas.knowledge_centre
    added = services.module_add(actor=kc, version=draft, title_nl="Vier", title_fr="Quatre", minutes=45)
    assert added.position == 4
    assert services.module_move(actor=kc, module=added, direction="up") is True
    assert list(draft.modules.values_list("title_nl", flat=True)) == ["Module 1", "Module 2", "Vier", "Module 3"]
    first = draft.modules.get(position=1)
    assert services.module_move(actor=kc, module=first, direction="up") is False
    services.module_remove(actor=kc, module=first)
    assert list(draft.modules.values_list("position", "title_nl")) == [(1, "Module 2"), (2, "Vier"), (3, "Module 3")]


def test_a_module_duration_out_of_range_is_refused(personas, draft):
    with pytest.raises(ValidationError, match="between 5 minutes and 16 hours"):
        services.module_add(actor=personas.knowledge_centre, version=draft, title_nl="A", title_fr="A", minutes=2)
    assert draft.modules.count() == 3


def test_a_draft_needs_modules_and_objectives_to_become_current(personas, course_version):
    course = course_version.course
    empty = CourseVersion.objects.create(course=course, number=9, status=VersionStatus.DRAFT)
    with pytest.raises(ValidationError, match="Add at least one module"):
        services.version_make_current(actor=personas.knowledge_centre, version=empty)
    Module.objects.create(version=empty, position=1, title_nl="A", title_fr="A", minutes=30)
    with pytest.raises(ValidationError, match="Write the learning objectives"):
        services.version_make_current(actor=personas.knowledge_centre, version=empty)


def test_questions_are_kept_in_order(personas, draft):
    kc = personas.knowledge_centre
    question = services.question_add(actor=kc, version=draft, kind="text", text_nl="Nog iets?", text_fr="Autre ?")
    assert question.position == 4
    services.question_move(actor=kc, question=question, direction="up")
    services.question_remove(actor=kc, question=draft.questions.get(position=1))
    assert list(draft.questions.values_list("position", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError):
        services.question_add(actor=kc, version=draft, kind="stars", text_nl="x", text_fr="x")


def test_a_pdf_material_is_stored(personas, draft, media):
    upload = SimpleUploadedFile("slides.pdf", pdf_bytes(), content_type="application/pdf")
    material = services.material_add(
        actor=personas.knowledge_centre, version=draft, language="fr", title="Diapositives", upload=upload
    )
    assert material.original_name == "slides.pdf" and material.file.read().startswith(b"%PDF-")
    link = services.material_add(
        actor=personas.knowledge_centre, version=draft, language="nl", title="Omzendbrief", url="https://example.be/c"
    )
    assert link.url and not link.file
    services.material_remove(actor=personas.knowledge_centre, material=link)
    assert Material.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("slides.pdf", b"#!/bin/sh\nrm -rf /\n", "is not a PDF document"),
        ("slides.pdf", b"<!DOCTYPE html><html></html>", "is a web page or an SVG drawing"),
        ("slides.pdf", b"%PDF-1.4\n1 0 obj\n", "is not a complete PDF document"),
        ("slides.pdf", b"%PDF-1.4\n<< /S /JavaScript /JS (x) >>\nstartxref\n0\n%%EOF", "contains scripts"),
        ("slides.pdf", b"", "is empty"),
    ],
)
def test_bad_files_are_refused_and_nothing_stored(personas, draft, media, name, content, message):
    with pytest.raises(ValidationError, match=message):
        services.material_add(
            actor=personas.knowledge_centre,
            version=draft,
            language="nl",
            title="X",
            upload=SimpleUploadedFile(name, content),
        )
    assert not Material.objects.exists() and not list(media.rglob("*.pdf"))


def test_a_file_over_the_limit_is_refused(personas, draft, media, settings):
    settings.BINPLP_TRAINING_MATERIAL_MAX_MB = 1
    big = pdf_bytes() + b"%" * (1024 * 1024)
    with pytest.raises(ValidationError, match="at most 1 MB"):
        services.material_add(
            actor=personas.knowledge_centre,
            version=draft,
            language="nl",
            title="X",
            upload=SimpleUploadedFile("big.pdf", big),
        )


def test_a_material_is_a_file_or_a_link(personas, draft, media):
    with pytest.raises(ValidationError, match="either a PDF file or a link"):
        services.material_add(actor=personas.knowledge_centre, version=draft, language="nl", title="X")
