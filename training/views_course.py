"""Pages of part "course" under /training/course/: the course and its versions for every staff role to read; the
Knowledge Centre edits drafts (objectives, certificate validity, modules, materials, evaluation questions) and makes
a draft current. A current or retired version is frozen: its edit pages say so and send back to the version."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import permissions
from .choices import VersionStatus
from .forms_course import CourseForm, MaterialForm, ModuleForm, MoveForm, QuestionForm, VersionForm
from .models import Course, CourseVersion, EvaluationQuestion, Material, Module
from .services import courses as services


def _frozen(request, version: CourseVersion):
    """Refuse an edit page of a version that is not a draft, with the reason."""
    messages.error(
        request,
        _(
            "This version is %(status)s: its content is frozen so that sessions and certificates keep what was "
            "taught. Create a new draft version to change it."
        )
        % {"status": version.get_status_display()},
    )
    return redirect(version.get_absolute_url())


def _service_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


# --- Course --------------------------------------------------------------------------------------------------------


@require(permissions.is_staff_reader)
@require_GET
def course_list(request):
    courses = (
        Course.objects.for_user(request.user, "view")
        .annotate(version_count=Count("versions"))
        .prefetch_related(
            Prefetch("versions", queryset=CourseVersion.objects.filter(status=VersionStatus.CURRENT), to_attr="current")
        )
    )
    return render(
        request,
        "training/course/course_list.html",
        {"courses": courses, "can_edit": permissions.can_edit_course(request.user)},
    )


@require(permissions.can_edit_course)
@require_http_methods(["GET", "POST"])
def course_create(request):
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = services.course_create(actor=request.user, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course has been created with a first draft version."))
            return redirect(course)
    status = 400 if form.errors else 200
    return render(request, "training/course/course_form.html", {"form": form, "course": None}, status=status)


@require(signed_in)
@require_GET
def course_detail(request, pk: int):
    course = get_for_user(Course.objects.all(), request.user, "view", pk=pk)
    versions = course.versions.annotate(module_count=Count("modules"), session_count=Count("sessions", distinct=True))
    return render(
        request,
        "training/course/course_detail.html",
        {
            "course": course,
            "versions": versions,
            "can_edit": permissions.can_edit_course(request.user),
            "has_draft": any(v.status == VersionStatus.DRAFT for v in versions),
        },
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def course_edit(request, pk: int):
    course = get_for_user(Course.objects.all(), request.user, "change", pk=pk)
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        try:
            services.course_update(actor=request.user, course=course, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The course has been saved."))
            return redirect(course)
    status = 400 if form.errors else 200
    return render(request, "training/course/course_form.html", {"form": form, "course": course}, status=status)


@require(signed_in)
@require_POST
def version_create(request, pk: int):
    course = get_for_user(Course.objects.all(), request.user, "change", pk=pk)
    try:
        version = services.version_create_draft(actor=request.user, course=course)
    except ValidationError as error:
        _service_error(request, error)
        return redirect(course)
    messages.success(
        request,
        _("Version %(number)s has been created as a draft, copied from the current version.")
        % {"number": version.number},
    )
    return redirect(version)


# --- Version -------------------------------------------------------------------------------------------------------


def _version(request, pk: int, action: str = "view") -> CourseVersion:
    return get_for_user(CourseVersion.objects.select_related("course"), request.user, action, pk=pk)


@require(signed_in)
@require_GET
def version_detail(request, pk: int):
    version = _version(request, pk)
    modules = list(version.modules.prefetch_related("materials").order_by("position"))
    return render(
        request,
        "training/course/version_detail.html",
        {
            "version": version,
            "course": version.course,
            "modules": modules,
            "total_minutes": sum(m.minutes for m in modules),
            "materials": list(version.materials.filter(module__isnull=True).order_by("language", "title")),
            "questions": list(version.questions.order_by("position")),
            "objectives": [
                {"code": code, "lines": [line for line in getattr(version, f"objectives_{code}").splitlines() if line]}
                for code in ("nl", "fr", "de", "en")
            ],
            "can_edit": permissions.can_edit_course(request.user) and version.status == VersionStatus.DRAFT,
            "can_edit_course": permissions.can_edit_course(request.user),
        },
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def version_edit(request, pk: int):
    version = _version(request, pk, "change")
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    form = VersionForm(request.POST or None, instance=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(actor=request.user, version=version, **form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The version has been saved."))
            return redirect(version)
    status = 400 if form.errors else 200
    return render(
        request,
        "training/course/version_form.html",
        {"form": form, "version": version, "course": version.course},
        status=status,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def version_make_current(request, pk: int):
    version = _version(request, pk, "change")
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    if request.method == "POST":
        try:
            services.version_make_current(actor=request.user, version=version)
        except ValidationError as error:
            _service_error(request, error)
            return redirect(version)
        messages.success(request, _("Version %(number)s is now the current version.") % {"number": version.number})
        return redirect(version)
    current = version.course.versions.filter(status=VersionStatus.CURRENT).first()
    return render(
        request,
        "training/course/version_make_current.html",
        {"version": version, "course": version.course, "current": current},
    )


# --- Modules and questions -----------------------------------------------------------------------------------------


def _row_form(request, *, version, form_class, instance, template, save, success: str, extra: dict):
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.values())
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(version)
    context = {"form": form, "version": version, "course": version.course, "object": instance, **extra}
    return render(request, template, context, status=400 if form.errors else 200)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def module_add(request, pk: int):
    version = _version(request, pk, "change")
    return _row_form(
        request,
        version=version,
        form_class=ModuleForm,
        instance=None,
        template="training/course/module_form.html",
        save=lambda values: services.module_add(actor=request.user, version=version, **values),
        success=_("The module has been added."),
        extra={},
    )


def _module(request, pk: int, action: str = "change") -> Module:
    return get_for_user(Module.objects.select_related("version__course"), request.user, action, pk=pk)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def module_edit(request, pk: int):
    module = _module(request, pk)
    return _row_form(
        request,
        version=module.version,
        form_class=ModuleForm,
        instance=module,
        template="training/course/module_form.html",
        save=lambda values: services.module_update(actor=request.user, module=module, **values),
        success=_("The module has been saved."),
        extra={},
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def module_remove(request, pk: int):
    module = _module(request, pk)
    version = module.version
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    if request.method == "POST":
        services.module_remove(actor=request.user, module=module)
        messages.success(request, _("The module “%(title)s” has been removed.") % {"title": module.title})
        return redirect(version)
    return render(
        request,
        "training/course/confirm_remove.html",
        {"version": version, "course": version.course, "object": module, "heading": _("Remove the module")},
    )


def _move(request, row, move, version):
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    form = MoveForm(request.POST)
    if form.is_valid():
        move(form.cleaned_data["direction"])
    return redirect(version)


@require(signed_in)
@require_POST
def module_move(request, pk: int):
    module = _module(request, pk)
    return _move(
        request,
        module,
        lambda direction: services.module_move(actor=request.user, module=module, direction=direction),
        module.version,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def question_add(request, pk: int):
    version = _version(request, pk, "change")
    return _row_form(
        request,
        version=version,
        form_class=QuestionForm,
        instance=None,
        template="training/course/question_form.html",
        save=lambda values: services.question_add(actor=request.user, version=version, **values),
        success=_("The question has been added."),
        extra={},
    )


def _question(request, pk: int) -> EvaluationQuestion:
    return get_for_user(EvaluationQuestion.objects.select_related("version__course"), request.user, "change", pk=pk)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int):
    question = _question(request, pk)
    return _row_form(
        request,
        version=question.version,
        form_class=QuestionForm,
        instance=question,
        template="training/course/question_form.html",
        save=lambda values: services.question_update(actor=request.user, question=question, **values),
        success=_("The question has been saved."),
        extra={},
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def question_remove(request, pk: int):
    question = _question(request, pk)
    version = question.version
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    if request.method == "POST":
        services.question_remove(actor=request.user, question=question)
        messages.success(request, _("The question has been removed."))
        return redirect(version)
    return render(
        request,
        "training/course/confirm_remove.html",
        {"version": version, "course": version.course, "object": question, "heading": _("Remove the question")},
    )


@require(signed_in)
@require_POST
def question_move(request, pk: int):
    question = _question(request, pk)
    return _move(
        request,
        question,
        lambda direction: services.question_move(actor=request.user, question=question, direction=direction),
        question.version,
    )


# --- Materials -----------------------------------------------------------------------------------------------------


@require(signed_in)
@require_http_methods(["GET", "POST"])
def material_add(request, pk: int):
    version = _version(request, pk, "change")
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    form = MaterialForm(request.POST or None, request.FILES or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.material_add(
                actor=request.user,
                version=version,
                language=data["language"],
                title=data["title"],
                upload=data.get("file") or None,
                url=data.get("url") or "",
                module=data.get("module"),
            )
        except ValidationError as error:
            if data.get("file") and not hasattr(error, "error_dict"):
                form.add_error("file", error)
            else:
                add_service_errors(form, error)
        else:
            messages.success(request, _("The material has been added."))
            return redirect(version)
    return render(
        request,
        "training/course/material_form.html",
        {"form": form, "version": version, "course": version.course},
        status=400 if form.errors else 200,
    )


@require(signed_in)
@require_http_methods(["GET", "POST"])
def material_remove(request, pk: int):
    material = get_for_user(Material.objects.select_related("version__course"), request.user, "change", pk=pk)
    version = material.version
    if version.status != VersionStatus.DRAFT:
        return _frozen(request, version)
    if request.method == "POST":
        services.material_remove(actor=request.user, material=material)
        messages.success(request, _("The material “%(title)s” has been removed.") % {"title": material.title})
        return redirect(version)
    return render(
        request,
        "training/course/confirm_remove.html",
        {"version": version, "course": version.course, "object": material, "heading": _("Remove the material")},
    )


@require(signed_in)
@require_GET
def material_download(request, pk: int):
    """A material's PDF, for staff readers (no public media URL); a link material sends to its address."""
    material = get_for_user(Material.objects.all(), request.user, "view", pk=pk)
    if not material.file:
        if material.url:
            return redirect(material.url)
        raise Http404
    try:
        handle = material.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=material.original_name or "material.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
