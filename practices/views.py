"""The work on practices: share (the structured template), my practices, edit, the practice page (with the
"this helped me" button, the language versions and the moderation thread), the printable page, translations,
attachments, and the Knowledge Centre's moderation queue. Views parse and check, then call one service."""

from __future__ import annotations

import importlib

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.decorators import require, signed_in
from core.forms import add_service_errors
from core.scoping import get_for_user

from . import selectors
from .choices import PracticeStatus
from .forms import ChangeRequestForm, MessageForm, PracticeForm, TranslationForm
from .models import TEXT_FIELDS, Practice
from .permissions import can_contribute, is_moderator
from .services import attachments as attachment_services
from .services import practice as services
from .text import practice_html

CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png"}


def _submitting(request) -> bool:
    return request.POST.get("action") == "submit"


def _save(request, form: PracticeForm, *, practice: Practice | None, submitting: bool) -> Practice:
    return services.practice_save(
        actor=request.user,
        practice=practice,
        data=form.service_data(),
        themes=form.cleaned_data["themes"],
        kinds=form.cleaned_data["kinds"],
        networks=form.cleaned_data["networks"],
        attachments=getattr(form, "checked_files", []),
        attachment_description=form.cleaned_data.get("attachment_description", ""),
        submit=submitting,
    )


@require(can_contribute)
@require_http_methods(["GET", "POST"])
def practice_create(request):
    """Share a practice: saved as a draft, or submitted at once."""
    submitting = _submitting(request)
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES, user=request.user, submitting=submitting)
        if form.is_valid():
            try:
                practice = _save(request, form, practice=None, submitting=submitting)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submitting:
                    messages.success(request, _("Your practice was submitted to the Knowledge Centre."))
                else:
                    messages.success(request, _("Your draft was saved."))
                return redirect(practice.get_absolute_url())
        return render(request, "practices/practice_form.html", {"form": form}, status=400)
    return render(request, "practices/practice_form.html", {"form": PracticeForm(user=request.user)})


@require(signed_in)
@require_http_methods(["GET", "POST"])
def practice_edit(request, pk: int):
    """Edit a practice (the author while it is a draft or waiting for changes; the moderators always); the author
    can submit it again from here."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk, action="change")
    submitting = _submitting(request)
    if request.method == "POST":
        form = PracticeForm(request.POST, request.FILES, user=request.user, practice=practice, submitting=submitting)
        if form.is_valid():
            try:
                practice = _save(request, form, practice=practice, submitting=submitting)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if submitting:
                    messages.success(request, _("Your practice was submitted to the Knowledge Centre."))
                else:
                    messages.success(request, _("The practice was saved."))
                return redirect(practice.get_absolute_url())
        status = 400
    else:
        form = PracticeForm(user=request.user, practice=practice)
        status = 200
    can_submit = practice.status in (PracticeStatus.DRAFT, PracticeStatus.CHANGES_REQUESTED) and (
        practice.author_id == request.user.pk or is_moderator(request.user)
    )
    context = {"form": form, "practice": practice, "can_submit": can_submit}
    return render(request, "practices/practice_form.html", context, status=status)


def _related_practices(practice: Practice, user):
    """The SEARCH helper's related practices, when that part is installed (None otherwise: the page omits it)."""
    try:
        module = importlib.import_module("practices.search_selectors")
        get_template("practices/partials/_related.html")
    except (ImportError, TemplateDoesNotExist):
        return None
    related = getattr(module, "related_practices", None)
    if related is None:
        return None
    try:
        return related(practice=practice, user=user)
    except TypeError:
        return related(practice)


def _detail_context(request, practice: Practice) -> dict:
    language = (get_language() or "nl")[:2]
    context = {
        "practice": practice,
        "sections": [
            {"name": field, "label": Practice._meta.get_field(field).verbose_name, "html": practice_html(value)}
            for field in TEXT_FIELDS
            if (value := getattr(practice, field))
        ],
        "facets": selectors.practice_facets(practice),
        "versions": selectors.language_versions(practice=practice, user=request.user, language=language),
        "perms": selectors.practice_permissions(practice=practice, user=request.user),
        "helpful": _helpful_state(request, practice),
    }
    return context


def _helpful_state(request, practice: Practice) -> dict:
    marked = False
    if request.user.is_authenticated:
        marked = practice.helpful_marks.filter(user=request.user).exists()
    return {"marked": marked, "count": practice.helpful_count, "practice": practice}


def practice_detail(request, pk: int):
    """The practice page: public once published; drafts for their author and the moderators."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    context = _detail_context(request, practice)
    if context["perms"]["sees_thread"]:
        context["thread"] = selectors.practice_thread(practice=practice, user=request.user)
        context["message_form"] = MessageForm()
        context["change_form"] = ChangeRequestForm()
    if practice.status == PracticeStatus.PUBLISHED:
        related = _related_practices(practice, request.user)
        if related is not None:
            context["related"] = related
    return render(request, "practices/practice_detail.html", context)


def practice_print(request, pk: int):
    """A clean printable page: the practice alone, no navigation."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    return render(request, "practices/practice_print.html", _detail_context(request, practice))


def _moderation_action(request, pk: int, action: str, call):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk, action=action)
    try:
        call(practice)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(practice.get_absolute_url())


@require(signed_in)
@require_POST
def practice_submit(request, pk: int):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk, action="change")
    try:
        services.practice_submit(actor=request.user, practice=practice)
    except ValidationError as error:
        messages.error(
            request, _("The practice cannot be submitted yet: %(errors)s") % {"errors": " ".join(error.messages)}
        )
        return redirect("practices:practice_edit", pk=practice.pk)
    messages.success(request, _("Your practice was submitted to the Knowledge Centre."))
    return redirect(practice.get_absolute_url())


@require(signed_in)
@require_POST
def practice_comment(request, pk: int):
    """A message in the thread: the author or a moderator."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    if not selectors.practice_permissions(practice=practice, user=request.user)["sees_thread"]:
        raise Http404
    form = MessageForm(request.POST)
    if form.is_valid():
        services.practice_comment(actor=request.user, practice=practice, body=form.cleaned_data["body"])
        messages.success(request, _("Your message was added."))
    else:
        messages.error(request, _("Write a message."))
    return redirect(practice.get_absolute_url() + "#thread")


@require(signed_in)
@require_POST
def practice_request_changes(request, pk: int):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk, action="moderate")
    form = ChangeRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Explain what should change."))
        return redirect(practice.get_absolute_url() + "#moderation")
    try:
        services.practice_request_changes(actor=request.user, practice=practice, body=form.cleaned_data["body"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The author was asked for changes."))
    return redirect(practice.get_absolute_url())


@require(signed_in)
@require_POST
def practice_publish(request, pk: int):
    def publish(practice):
        services.practice_publish(actor=request.user, practice=practice)
        messages.success(request, _("The practice is published."))

    return _moderation_action(request, pk, "moderate", publish)


@require(signed_in)
@require_POST
def practice_archive(request, pk: int):
    def archive(practice):
        services.practice_archive(actor=request.user, practice=practice)
        messages.success(request, _("The practice is archived."))

    return _moderation_action(request, pk, "moderate", archive)


@require(signed_in)
@require_http_methods(["GET", "POST"])
def practice_translate(request, pk: int):
    """Add a translation of a published practice (the moderators, or the original's author)."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    original = practice.original or practice
    original = get_for_user(Practice.objects.select_related("original"), request.user, "translate", pk=original.pk)
    if request.method == "POST":
        form = TranslationForm(request.POST, original=original)
        if form.is_valid():
            data = {key: value for key, value in form.cleaned_data.items() if key != "language"}
            try:
                translation = services.practice_translate(
                    actor=request.user, original=original, language=form.cleaned_data["language"], data=data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if translation.status == PracticeStatus.PUBLISHED:
                    messages.success(request, _("The translation is published."))
                else:
                    messages.success(request, _("The translation was submitted to the Knowledge Centre."))
                return redirect(translation.get_absolute_url())
        return render(request, "practices/practice_translate.html", {"form": form, "original": original}, status=400)
    form = TranslationForm(original=original)
    return render(request, "practices/practice_translate.html", {"form": form, "original": original})


@require(signed_in)
@require_POST
def helpful(request, pk: int):
    """ "This helped me": once per signed-in reader, on a published practice. htmx gets the button back."""
    practice = get_for_user(Practice.objects.filter(status=PracticeStatus.PUBLISHED), request.user, pk=pk)
    services.helpful_mark(actor=request.user, practice=practice)
    if request.htmx:
        return render(request, "practices/partials/_helpful.html", {"helpful": _helpful_state(request, practice)})
    messages.success(request, _("Thank you: your mark helps others find useful practices."))
    return redirect(practice.get_absolute_url())


def attachment_download(request, pk: int, attachment_pk: int):
    """An attachment, for whoever may see the practice (no public media URL: drafts stay private)."""
    practice = selectors.practice_get_for_user(user=request.user, pk=pk)
    attachment = practice.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    extension = attachment.file.name.rsplit(".", 1)[-1].lower()
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=attachment.kind == "pdf",
        filename=attachment.original_name,
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require(signed_in)
@require_POST
def attachment_remove(request, pk: int, attachment_pk: int):
    practice = selectors.practice_get_for_user(user=request.user, pk=pk, action="change")
    attachment = practice.attachments.filter(pk=attachment_pk).first()
    if attachment is None:
        raise Http404
    attachment_services.attachment_remove(actor=request.user, attachment=attachment)
    messages.success(request, _("The attachment was removed."))
    return redirect("practices:practice_edit", pk=practice.pk)


@require(signed_in)
def my_practices(request):
    return render(request, "practices/my_practices.html", {"practices": selectors.my_practices(user=request.user)})


@require(is_moderator)
def moderation_queue(request):
    return render(request, "practices/moderation_queue.html", selectors.moderation_queue(user=request.user))
