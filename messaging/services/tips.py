"""The library of prevention tips: national tips (kept by ADVP and the Knowledge Centre) and a zone's own (kept by its
mandated officers). Every change is audited. `tips_load` adds the national tips shipped in messaging/data/tips.json
that are missing (the `load_message_tips` command)."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_record, snapshot
from core.models import AuditAction
from core.roles import Role, is_national, scope_ids
from core.scoping import can
from geography.models import PoliceZone

from ..models import Tip
from ..sms import sms_length

TIP_FIELDS = ["zone", "language", "title", "body", "sms"]
DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "tips.json"


def can_keep_tips(user, zone: PoliceZone | None) -> bool:
    """National tips are kept by the national roles, a zone's tips by its mandated officers."""
    if zone is None:
        return is_national(user)
    return zone.pk in scope_ids(user, Role.ZONE_OFFICER)


def tip_zones(user) -> list[PoliceZone]:
    """The zones whose tips `user` keeps."""
    return list(PoliceZone.objects.filter(pk__in=sorted(scope_ids(user, Role.ZONE_OFFICER))).order_by("name"))


def _clean(tip: Tip) -> None:
    tip.title = (tip.title or "").strip()
    tip.body = (tip.body or "").strip()
    tip.sms = (tip.sms or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    errors: dict[str, list] = {}
    if tip.sms:
        length = sms_length(tip.sms)
        if length.segments > settings.BINPLP_SMS_MAX_SEGMENTS:
            errors["sms"] = [
                _("The SMS text needs %(segments)s messages; at most %(max)s.")
                % {"segments": length.segments, "max": settings.BINPLP_SMS_MAX_SEGMENTS}
            ]
    try:
        tip.full_clean(exclude=["created_by"])
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def tip_create(*, actor, zone: PoliceZone | None, language: str, title: str, body: str, sms: str = "") -> Tip:
    """Add a tip to the national library (zone None) or to a zone's."""
    if not can_keep_tips(actor, zone):
        raise PermissionDenied(_("You may not add tips to this library."))
    tip = Tip(zone=zone, language=language, title=title, body=body, sms=sms, created_by=actor)
    _clean(tip)
    with transaction.atomic():
        tip.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=tip, changes=snapshot(tip, TIP_FIELDS))
    return tip


def tip_update(*, actor, tip: Tip, language: str, title: str, body: str, sms: str = "") -> Tip:
    """Change a tip's texts (its library stays the same)."""
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip.pk)
        if not can(actor, "change", tip):
            raise PermissionDenied(_("You may not change this tip."))
        before = snapshot(tip, TIP_FIELDS)
        tip.language, tip.title, tip.body, tip.sms = language, title, body, sms
        _clean(tip)
        after = snapshot(tip, TIP_FIELDS)
        changes = {key: [before[key], after[key]] for key in TIP_FIELDS if before[key] != after[key]}
        if changes:
            tip.save()
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=tip, changes=changes)
    return tip


def tip_delete(*, actor, tip: Tip) -> None:
    with transaction.atomic():
        tip = Tip.objects.select_for_update().get(pk=tip.pk)
        if not can(actor, "change", tip):
            raise PermissionDenied(_("You may not delete this tip."))
        audit_record(actor=actor, action=AuditAction.DELETE, obj=tip, changes=snapshot(tip, TIP_FIELDS))
        tip.delete()


def tips_read(path: Path = DATA_FILE) -> list[dict]:
    """The shipped national tips: one entry per tip and language ({key, language, title, body, sms})."""
    entries = []
    for tip in json.loads(path.read_text(encoding="utf-8")):
        for language, text in tip["texts"].items():
            entries.append({"key": tip["key"], "language": language, **text})
    return entries


def tips_load(*, entries: list[dict], actor=None) -> int:
    """Add the national tips that are missing (same language and title); tips already there, edited or not, are
    left alone, so running it again changes nothing. Returns how many were added."""
    added = 0
    with transaction.atomic():
        existing = set(Tip.objects.filter(zone__isnull=True).values_list("language", "title"))
        for entry in entries:
            if (entry["language"], entry["title"].strip()) in existing:
                continue
            tip = Tip(
                zone=None,
                language=entry["language"],
                title=entry["title"],
                body=entry["body"],
                sms=entry.get("sms", ""),
                created_by=actor,
            )
            _clean(tip)
            tip.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=tip,
                changes={**snapshot(tip, TIP_FIELDS), "source": "tips.json"},
            )
            existing.add((tip.language, tip.title))
            added += 1
    return added
