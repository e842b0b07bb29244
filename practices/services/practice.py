"""Writing practices: drafts and their revisions, submission, moderation (comments, change requests, publication,
archiving), translations and "this helped me" marks.

Every function runs in one transaction with its audit row; e-mails leave after the commit (through
practices.tasks). Each status change leaves a ModerationComment of the matching kind: the thread on the practice
is also the trace of its moderation. After each change of a practice's text or status the search index is updated
in the same transaction (practices.search).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role
from core.scoping import can
from networks.choices import NetworkKind
from networks.models import Network

from ..choices import EDITABLE_STATUSES, CommentKind, Facet, PracticeStatus, Theme
from ..models import (
    REQUIRED_TEXT_FIELDS,
    TEXT_FIELDS,
    HelpfulMark,
    ModerationComment,
    Practice,
    PracticeRevision,
    PracticeTag,
)
from ..permissions import can_contribute, is_moderator

# The fields the author writes, kept in each revision.
CONTENT_FIELDS = ("title", *TEXT_FIELDS, "evidence_level")
# What a form may set on a practice (besides themes, kinds and networks).
DATA_FIELDS = (*CONTENT_FIELDS, "region", "language")
# What a translator writes: the text; the rest comes from the original.
TRANSLATION_FIELDS = ("title", *TEXT_FIELDS)


# --- Helpers ---------------------------------------------------------------------------------------------------


def _reindex(practice: Practice) -> None:
    """Keep the search index in step (indexed when published, removed otherwise), in the caller's transaction.
    Imported lazily: the search module is optional for the services (and absent in stripped-down set-ups)."""
    try:
        from practices.search import search_index_update
    except ImportError:
        return
    search_index_update(practice)


def _notify(comment: ModerationComment) -> None:
    """E-mail the people concerned by this step after the commit (see practices.services.notify)."""
    from .notify import notification_recipients

    recipients = notification_recipients(comment)
    if not recipients:
        return
    comment_id = comment.pk

    def enqueue() -> None:
        from ..tasks import send_practice_notice_task

        for user_id in recipients:
            send_practice_notice_task.enqueue(comment_id, user_id)

    transaction.on_commit(enqueue)


def _trace(*, actor, practice: Practice, kind: str, body: str = "") -> ModerationComment:
    comment = ModerationComment.objects.create(practice=practice, kind=kind, body=body, author=actor)
    _notify(comment)
    return comment


def _set_status(*, actor, practice: Practice, status: str, extra: dict | None = None) -> None:
    old = practice.status
    practice.status = status
    update_fields = ["status", "updated_at"]
    if status == PracticeStatus.SUBMITTED:
        practice.submitted_at = timezone.now()
        update_fields.append("submitted_at")
    if status == PracticeStatus.PUBLISHED:
        practice.published_at = timezone.now()
        update_fields.append("published_at")
    practice.save(update_fields=update_fields)
    audit_record(
        actor=actor, action=AuditAction.UPDATE, obj=practice, changes={"status": [old, status], **(extra or {})}
    )


def _locked(practice: Practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


def _clean_choices(values: Iterable[str] | None, allowed, field: str, message) -> list[str]:
    values = sorted(set(values or []))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError({field: [ValidationError(message, code="invalid_choice")]})
    return values


def _clean_networks(actor, networks: Iterable[Network] | None, already: Iterable[int] = ()) -> list[Network]:
    """Only networks the actor can see (a coordinator: their own); networks already linked may stay."""
    networks = list(networks or [])
    ids = {network.pk for network in networks} - set(already)
    if ids:
        visible = set(Network.objects.for_user(actor, "view").filter(pk__in=ids).values_list("pk", flat=True))
        if ids - visible:
            raise ValidationError(
                {"networks": [ValidationError(_("You can only link networks you work with."), code="network_scope")]}
            )
    return networks


def _set_tags(practice: Practice, facet: str, values: list[str]) -> bool:
    current = set(practice.tags.filter(facet=facet).values_list("value", flat=True))
    if current == set(values):
        return False
    practice.tags.filter(facet=facet).exclude(value__in=values).delete()
    PracticeTag.objects.bulk_create(
        [PracticeTag(practice=practice, facet=facet, value=value) for value in values if value not in current]
    )
    return True


def _content(practice: Practice) -> dict:
    return {field: getattr(practice, field) for field in CONTENT_FIELDS}


def _revision(*, actor, practice: Practice, changed_fields: list[str]) -> PracticeRevision:
    last = practice.revisions.order_by("-number").values_list("number", flat=True).first() or 0
    return PracticeRevision.objects.create(
        practice=practice,
        number=last + 1,
        content=_content(practice),
        changed_fields=changed_fields,
        created_by=actor,
    )


def _validate(practice: Practice, *, complete: bool) -> None:
    """Model validation; a draft may still miss the text fields that submission requires."""
    exclude = ["original", "author", "networks"] + ([] if complete else list(REQUIRED_TEXT_FIELDS))
    practice.full_clean(exclude=exclude, validate_constraints=False)


def submission_errors(values: dict, themes: Iterable[str]) -> dict[str, list[ValidationError]]:
    """What is missing before a practice can be submitted: the title, the required text fields, a theme."""
    errors: dict[str, list[ValidationError]] = {}
    for field in ("title", *REQUIRED_TEXT_FIELDS):
        if not str(values.get(field) or "").strip():
            label = Practice._meta.get_field(field).verbose_name
            errors[field] = [
                ValidationError(_("Fill in “%(field)s” before submitting."), code="required", params={"field": label})
            ]
    if not list(themes or []):
        errors["themes"] = [ValidationError(_("Choose at least one theme before submitting."), code="required")]
    return errors


def _themes_of(practice: Practice) -> list[str]:
    return list(practice.tags.filter(facet=Facet.THEME).values_list("value", flat=True))


def _require_moderator(actor) -> None:
    if not is_moderator(actor):
        raise PermissionDenied(_("Only the Knowledge Centre moderates practices."))


def _require_status(practice: Practice, statuses: Iterable[str], message) -> None:
    if practice.status not in set(statuses):
        raise ValidationError(message, code="status")


def _apply_data(practice: Practice, data: dict, fields: Iterable[str]) -> list[str]:
    changed = []
    for field in fields:
        if field not in data:
            continue
        value = data[field]
        if field in CONTENT_FIELDS and isinstance(value, str):
            value = value.strip()
        if field == "region":
            if (value.pk if value is not None else None) != practice.region_id:
                practice.region = value
                changed.append(field)
            continue
        if getattr(practice, field) != value:
            setattr(practice, field, value)
            changed.append(field)
    return changed


# --- Drafts ----------------------------------------------------------------------------------------------------


def practice_create(
    *,
    actor: User,
    data: dict,
    themes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    networks: Iterable[Network] = (),
) -> Practice:
    """A field actor starts a practice: saved as a draft (only the title is needed until it is submitted)."""
    if not can_contribute(actor):
        raise PermissionDenied(_("Only field actors can share practices."))
    themes = _clean_choices(themes, Theme.values, "themes", _("Choose themes from the list."))
    kinds = _clean_choices(kinds, NetworkKind.values, "kinds", _("Choose kinds of network from the list."))
    networks = _clean_networks(actor, networks)
    with transaction.atomic():
        practice = Practice(author=actor, status=PracticeStatus.DRAFT)
        for field in DATA_FIELDS:
            if field in data:
                value = data[field]
                setattr(practice, field, value.strip() if isinstance(value, str) else value)
        _validate(practice, complete=False)
        practice.save()
        _set_tags(practice, Facet.THEME, themes)
        _set_tags(practice, Facet.KIND, kinds)
        practice.networks.set(networks)
        filled = [field for field in CONTENT_FIELDS if getattr(practice, field)]
        _revision(actor=actor, practice=practice, changed_fields=filled)
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=practice,
            changes={"status": [None, practice.status], "fields": filled, "language": [None, practice.language]},
        )
        _reindex(practice)
    return practice


def practice_update(
    *,
    actor: User,
    practice: Practice,
    data: dict,
    themes: Iterable[str] | None = None,
    kinds: Iterable[str] | None = None,
    networks: Iterable[Network] | None = None,
) -> Practice:
    """Change the text or the facets: the author while it is a draft or changes were requested, the moderators
    always. Each change of the text keeps a revision with the names of the fields that changed."""
    with transaction.atomic():
        practice = _locked(practice)
        if not can(actor, "change", practice):
            if practice.author_id == getattr(actor, "pk", None):
                raise PermissionDenied(_("This practice can no longer be edited: it is with the moderators."))
            raise PermissionDenied(_("You cannot edit this practice."))
        changed = _apply_data(practice, data, DATA_FIELDS)
        if themes is not None:
            themes = _clean_choices(themes, Theme.values, "themes", _("Choose themes from the list."))
            if _set_tags(practice, Facet.THEME, themes):
                changed.append("themes")
        if kinds is not None:
            kinds = _clean_choices(kinds, NetworkKind.values, "kinds", _("Choose kinds of network from the list."))
            if _set_tags(practice, Facet.KIND, kinds):
                changed.append("kinds")
        if networks is not None:
            current = set(practice.networks.values_list("pk", flat=True))
            networks = _clean_networks(actor, networks, already=current)
            if {network.pk for network in networks} != current:
                practice.networks.set(networks)
                changed.append("networks")
        if not changed:
            return practice
        _validate(practice, complete=practice.status not in EDITABLE_STATUSES)
        if practice.status not in EDITABLE_STATUSES:
            errors = submission_errors(_content(practice), _themes_of(practice))
            if errors:
                raise ValidationError(errors)
        practice.save()
        text_changed = [field for field in changed if field in CONTENT_FIELDS]
        if text_changed:
            _revision(actor=actor, practice=practice, changed_fields=text_changed)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=practice, changes={"fields": changed})
        _reindex(practice)
    return practice


# --- Moderation ------------------------------------------------------------------------------------------------


def practice_save(
    *,
    actor: User,
    practice: Practice | None = None,
    data: dict,
    themes: Iterable[str] = (),
    kinds: Iterable[str] = (),
    networks: Iterable[Network] = (),
    attachments: Iterable = (),
    attachment_description: str = "",
    submit: bool = False,
) -> Practice:
    """What the share and edit forms do, all or nothing: create the practice (or update `practice`), add the
    checked attachments (practices.services.attachments.CheckedFile), and submit it when asked."""
    from .attachments import attachment_add

    with transaction.atomic():
        if practice is None:
            practice = practice_create(actor=actor, data=data, themes=themes, kinds=kinds, networks=networks)
        else:
            practice = practice_update(
                actor=actor, practice=practice, data=data, themes=themes, kinds=kinds, networks=networks
            )
        for checked in attachments:
            attachment_add(actor=actor, practice=practice, checked=checked, description=attachment_description)
        if submit:
            practice = practice_submit(actor=actor, practice=practice)
    return practice


def practice_submit(*, actor: User, practice: Practice) -> Practice:
    """The author (or a moderator) hands a draft, or a practice revised after a change request, to the
    moderators. The title, the required text fields and a theme must be there. The moderators are e-mailed."""
    with transaction.atomic():
        practice = _locked(practice)
        if practice.author_id != getattr(actor, "pk", None) and not is_moderator(actor):
            raise PermissionDenied(_("Only the author submits a practice."))
        _require_status(practice, EDITABLE_STATUSES, _("Only a draft or a practice waiting for changes is submitted."))
        errors = submission_errors(_content(practice), _themes_of(practice))
        if errors:
            raise ValidationError(errors)
        _set_status(actor=actor, practice=practice, status=PracticeStatus.SUBMITTED)
        _trace(actor=actor, practice=practice, kind=CommentKind.SUBMITTED)
        _reindex(practice)
    return practice


def practice_comment(*, actor: User, practice: Practice, body: str) -> ModerationComment:
    """A message in the thread between the moderators and the author (never public). A moderator's comment is
    e-mailed to the author; the author's to the moderators."""
    body = (body or "").strip()
    if not (is_moderator(actor) or (practice.author_id and practice.author_id == getattr(actor, "pk", None))):
        raise PermissionDenied(_("Only the author and the Knowledge Centre take part in this thread."))
    if not body:
        raise ValidationError({"body": [ValidationError(_("Write a message."), code="required")]})
    with transaction.atomic():
        comment = _trace(actor=actor, practice=practice, kind=CommentKind.COMMENT, body=body)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=comment, changes={"kind": [None, comment.kind]})
    return comment


def practice_request_changes(*, actor: User, practice: Practice, body: str) -> Practice:
    """A moderator asks the author for changes (what to change is required); the author is e-mailed with it, in
    their language, and can revise and submit again."""
    _require_moderator(actor)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [ValidationError(_("Explain what should change."), code="required")]})
    with transaction.atomic():
        practice = _locked(practice)
        _require_status(practice, [PracticeStatus.SUBMITTED], _("Changes are requested on a submitted practice."))
        _set_status(actor=actor, practice=practice, status=PracticeStatus.CHANGES_REQUESTED)
        _trace(actor=actor, practice=practice, kind=CommentKind.CHANGE_REQUEST, body=body)
        _reindex(practice)
    return practice


def practice_publish(*, actor: User, practice: Practice) -> Practice:
    """A moderator publishes a submitted practice: from now on everyone reads it. The author is told."""
    _require_moderator(actor)
    with transaction.atomic():
        practice = _locked(practice)
        _require_status(practice, [PracticeStatus.SUBMITTED], _("Only a submitted practice is published."))
        errors = submission_errors(_content(practice), _themes_of(practice))
        if errors:
            raise ValidationError(errors)
        _set_status(actor=actor, practice=practice, status=PracticeStatus.PUBLISHED)
        _trace(actor=actor, practice=practice, kind=CommentKind.PUBLISHED)
        _reindex(practice)
    return practice


def practice_archive(*, actor: User, practice: Practice) -> Practice:
    """A moderator takes a published practice out of the library (it stays readable by its author)."""
    _require_moderator(actor)
    with transaction.atomic():
        practice = _locked(practice)
        _require_status(practice, [PracticeStatus.PUBLISHED], _("Only a published practice is archived."))
        _set_status(actor=actor, practice=practice, status=PracticeStatus.ARCHIVED)
        _trace(actor=actor, practice=practice, kind=CommentKind.ARCHIVED)
        _reindex(practice)
    return practice


# --- Translations ----------------------------------------------------------------------------------------------


def practice_translate(*, actor: User, original: Practice, language: str, data: dict) -> Practice:
    """Add a translation of a published practice: a practice of its own pointing at the original, with the same
    themes, kinds, region, evidence level and networks. A moderator's translation is published at once; the
    author's is submitted to the moderators. One translation per language."""
    root = original.original if original.original_id else original
    if not can(actor, "translate", root):
        raise PermissionDenied(_("You cannot translate this practice."))
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": [ValidationError(_("Choose a language from the list."), code="invalid")]})
    if language == root.language or root.translations.filter(language=language).exists():
        raise ValidationError(
            {
                "language": [
                    ValidationError(_("This practice already exists in this language."), code="duplicate_language")
                ]
            }
        )
    moderator = is_moderator(actor)
    themes = _themes_of(root)
    values = {field: str(data.get(field) or "").strip() for field in TRANSLATION_FIELDS}
    errors = submission_errors(values, themes)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        practice = Practice(
            original=root,
            language=language,
            author=actor,
            status=PracticeStatus.DRAFT,
            evidence_level=root.evidence_level,
            region=root.region,
            **values,
        )
        _validate(practice, complete=True)
        try:
            with transaction.atomic():
                practice.save()
        except IntegrityError:
            raise ValidationError(
                {
                    "language": [
                        ValidationError(_("This practice already exists in this language."), code="duplicate_language")
                    ]
                }
            ) from None
        PracticeTag.objects.bulk_create(
            [PracticeTag(practice=practice, facet=tag.facet, value=tag.value) for tag in root.tags.all()]
        )
        practice.networks.set(root.networks.all())
        _revision(actor=actor, practice=practice, changed_fields=[f for f in CONTENT_FIELDS if getattr(practice, f)])
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=practice,
            changes={"translation_of": [None, root.pk], "language": [None, language]},
        )
        status = PracticeStatus.PUBLISHED if moderator else PracticeStatus.SUBMITTED
        _set_status(actor=actor, practice=practice, status=status)
        _trace(
            actor=actor,
            practice=practice,
            kind=CommentKind.PUBLISHED if moderator else CommentKind.SUBMITTED,
        )
        _reindex(practice)
    return practice


# --- Readers ---------------------------------------------------------------------------------------------------


def helpful_mark(*, actor: User, practice: Practice) -> bool:
    """A signed-in reader found a published practice helpful: counted once per reader. Returns whether this call
    added the mark (False when the reader had marked it already)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Sign in to mark a practice as helpful."))
    if practice.status != PracticeStatus.PUBLISHED:
        raise ValidationError(_("Only published practices can be marked as helpful."), code="status")
    with transaction.atomic():
        if HelpfulMark.objects.filter(practice=practice, user=actor).exists():
            return False
        try:
            with transaction.atomic():
                mark = HelpfulMark.objects.create(practice=practice, user=actor)
        except IntegrityError:  # a second click racing the first
            return False
        Practice.objects.filter(pk=practice.pk).update(helpful_count=F("helpful_count") + 1)
        audit_record(actor=actor, action=AuditAction.CREATE, obj=mark, object_repr=f"helpful #{practice.pk}")
    practice.refresh_from_db(fields=["helpful_count"])
    return True


def moderators() -> list[int]:
    """Ids of the active Knowledge Centre staff (who moderate and are e-mailed about submissions)."""
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role=Role.KNOWLEDGE_CENTRE, role_assignments__revoked_at__isnull=True
        )
        .distinct()
        .values_list("pk", flat=True)
    )
