"""Versions of the privacy notice and of the internal rules: which one is in force, publishing a new one, and
showing their Markdown as clean HTML.

The privacy notice is national. Internal rules are the national model unless a network published its own; the
version in force is the latest one published on or before today (a version may be published ahead of its date)."""

from __future__ import annotations

import datetime
import re

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role, has_role, scope_ids
from core.scoping import can
from networks.models import Network

from ..choices import DocumentKind
from ..models import PolicyDocument

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)  # nl, fr, de, en: every version is in all four
TITLE_MAX_LENGTH = 200
BODY_MAX_LENGTH = 50_000
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]*$")
VERSION_MAX_LENGTH = 20


def document_current(*, kind: str, network: Network | None = None, on: datetime.date | None = None):
    """The version in force on `on` (today): for internal rules, the network's own when it published any, else the
    national model; for the privacy notice, the national one. None when nothing was ever published."""
    on = on or timezone.localdate()
    published = PolicyDocument.objects.filter(kind=kind, published_on__lte=on).order_by("-published_on", "-id")
    if kind == DocumentKind.INTERNAL_RULES and network is not None:
        own = published.filter(network=network).first()
        if own is not None:
            return own
    return published.filter(network__isnull=True).first()


def document_versions(*, kind: str, network: Network | None = None, on: datetime.date | None = None):
    """Every version of one document (a network's own rules, or the national document) in force on or before
    `on`, newest first: the one in force and the earlier ones."""
    on = on or timezone.localdate()
    return PolicyDocument.objects.filter(kind=kind, network=network, published_on__lte=on).order_by(
        "-published_on", "-id"
    )


def can_publish_document(user, network: Network | None) -> bool:
    """The same answer as `PolicyDocument.objects.for_user(user, "create")` for a version not yet written: ADVP and
    the Knowledge Centre publish national documents; a network's own rules are published by those who may change
    the network (ADVP, the zone's mandated officers) and by its coordinators."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if network is None:
        return has_role(user, Role.ADVP, Role.KNOWLEDGE_CENTRE)
    return network.pk in scope_ids(user, Role.COORDINATOR) or can(user, "change", network)


def _clean_texts(texts: dict) -> dict:
    """{"nl": {"title", "body"}, ...} for every language, stripped; errors keyed `title_<lang>` / `body_<lang>`."""
    cleaned, errors = {}, {}
    texts = texts if isinstance(texts, dict) else {}
    for code, name in settings.LANGUAGES:
        given = texts.get(code) if isinstance(texts.get(code), dict) else {}
        title = str(given.get("title") or "").strip()
        body = str(given.get("body") or "").replace("\r\n", "\n").strip()
        if not title:
            errors[f"title_{code}"] = ValidationError(
                _("Enter the title in %(language)s."), code="title_required", params={"language": name}
            )
        elif len(title) > TITLE_MAX_LENGTH:
            errors[f"title_{code}"] = ValidationError(
                _("The title in %(language)s is too long (at most %(limit)s characters)."),
                code="title_too_long",
                params={"language": name, "limit": TITLE_MAX_LENGTH},
            )
        if not body:
            errors[f"body_{code}"] = ValidationError(
                _("Enter the text in %(language)s: every version is published in the four languages."),
                code="body_required",
                params={"language": name},
            )
        elif len(body) > BODY_MAX_LENGTH:
            errors[f"body_{code}"] = ValidationError(
                _("The text in %(language)s is too long (at most %(limit)s characters)."),
                code="body_too_long",
                params={"language": name, "limit": BODY_MAX_LENGTH},
            )
        cleaned[code] = {"title": title, "body": body}
    if errors:
        raise ValidationError(errors)
    return cleaned


def document_publish(
    *,
    actor: User,
    kind: str,
    network: Network | None,
    version: str,
    texts: dict,
    published_on: datetime.date,
) -> PolicyDocument:
    """Publish a new version of a document: national (`network` None; ADVP, Knowledge Centre) or a network's own
    internal rules (its coordinators and the zone's mandated officers). Every language needs a title and a text.
    The version is in force from `published_on` (today or later, not before the latest version) until the next."""
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": ValidationError(_("Choose one of the documents."), code="invalid_kind")})
    if kind == DocumentKind.PRIVACY_NOTICE and network is not None:
        raise ValidationError(_("The privacy notice is the same for every network."), code="privacy_notice_national")
    if not can_publish_document(actor, network):
        raise PermissionDenied(_("You may not publish this document."))
    version = (version or "").strip()
    errors = {}
    if not version:
        errors["version"] = ValidationError(_("Enter a version, e.g. 2026-2."), code="version_required")
    elif len(version) > VERSION_MAX_LENGTH or not VERSION_PATTERN.match(version) or version.lower() == "publish":
        errors["version"] = ValidationError(
            _("A version has at most 20 letters, digits, dots, hyphens or underscores, e.g. 2026-2."),
            code="version_invalid",
        )
    today = timezone.localdate()
    if published_on is None:
        errors["published_on"] = ValidationError(_("Enter the date it is in force from."), code="date_required")
    elif published_on < today:
        errors["published_on"] = ValidationError(
            _("A new version cannot be in force before today."), code="date_in_past"
        )
    try:
        cleaned = _clean_texts(texts)
    except ValidationError as error:
        errors.update(error.error_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # One publisher at a time per document, so the date order and the unique version hold.
        if network is not None:
            Network.objects.select_for_update().filter(pk=network.pk).first()
        same = PolicyDocument.objects.filter(kind=kind, network=network)
        if same.filter(version=version).exists():
            raise ValidationError(
                {"version": ValidationError(_("This version of the document already exists."), code="version_exists")}
            )
        latest = same.order_by("-published_on", "-id").first()
        if latest is not None and published_on < latest.published_on:
            raise ValidationError(
                {
                    "published_on": ValidationError(
                        _("Version %(version)s is in force from %(date)s: a new version cannot start before it."),
                        code="date_before_latest",
                        params={"version": latest.version, "date": latest.published_on.isoformat()},
                    )
                }
            )
        document = PolicyDocument(
            kind=kind,
            network=network,
            version=version,
            published_on=published_on,
            texts=cleaned,
            created_by=actor,
            created_at=timezone.now(),
        )
        document.full_clean()
        try:
            with transaction.atomic():
                document.save()
        except IntegrityError:
            raise ValidationError(
                {"version": ValidationError(_("This version of the document already exists."), code="version_exists")}
            ) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=document,
            changes={
                "kind": [None, kind],
                "network": [None, network.code if network is not None else None],
                "version": [None, version],
                "published_on": [None, published_on],
            },
        )
    return document


# --- Showing a document --------------------------------------------------------------------------------------


def markdown_html(text: str) -> SafeString:
    """Markdown written by staff, as HTML cleaned by nh3 (no scripts, styles or event handlers survive). The page
    holds the title as its only level-1 heading, so a level-1 heading in the text becomes level 2."""
    html = markdown.markdown(text or "", extensions=["sane_lists"])
    html = re.sub(r"<(/?)h1>", r"<\1h2>", html)
    return mark_safe(nh3.clean(html))  # noqa: S308 - cleaned by nh3  # nosec B308 B703


def document_display(document: PolicyDocument, language: str | None = None) -> dict:
    """What a page shows of one version: the text in `language` (or the fallback the model chooses), whether it is
    another language, and the body as clean HTML."""
    shown, text = document.text(language)
    return {
        "document": document,
        "language": shown,
        "other_language": bool(language) and shown != (language or "")[:2],
        "title": text.get("title") or str(document),
        "body_html": markdown_html(text.get("body", "")),
    }
