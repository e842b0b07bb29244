"""Members' non-urgent reports to the police of their network's zone, and the zone's handling of them.

A member files a report in the portal: what, where, when (not in the future, at most 30 days ago) and a description
of the behaviour — never a number plate, no photo. The zone's mandated officers then acknowledge it, answer the member
(who gets the answer by e-mail in their language and in the portal) and close it. Statuses only go forward:
new → acknowledged → closed; a closed report is not reopened. Every change is atomic and audited.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record
from core.models import AuditAction, AuditEvent
from core.scoping import can
from members.choices import MembershipStatus
from members.models import Member, Membership
from networks.models import Network

from ..choices import ReportCategory, ReportStatus
from ..guardrails import plates_in
from ..models import Report

REPORT_MAX_AGE = datetime.timedelta(days=30)
PLACE_MAX = 200
DESCRIPTION_MAX = 3000
VEHICLE_MAX = 80
ANSWER_MAX = 3000


def contains_plate(text: str) -> str:
    """The first thing in `text` that looks like a vehicle's number plate (the guardrails of sending decide what
    does), or an empty string."""
    found = plates_in(text or "")
    return found[0][0] if found else ""


def plate_error(text: str) -> ValidationError | None:
    """The error for a text that holds something like a number plate, naming it; None when there is none."""
    plate = contains_plate(text)
    if not plate:
        return None
    return ValidationError(
        _(
            "“%(plate)s” looks like a number plate. Number plates may not be shared here: describe the vehicle (type, "
            "colour) without its plate, and call 101 if it matters now."
        ),
        code="plate",
        params={"plate": plate},
    )


def _error(message, code: str, **params) -> ValidationError:
    return ValidationError(message, code=code, params=params or None)


def member_report_networks(*, member: Member):
    """The networks a member may report to: those where they are an active member."""
    return Network.objects.filter(
        pk__in=Membership.objects.filter(member=member, status=MembershipStatus.ACTIVE).values("network_id")
    ).order_by("name")


def report_create(
    *,
    actor,
    member: Member,
    network: Network,
    category: str,
    happened_at: datetime.datetime,
    place: str,
    description: str,
    vehicle_type: str = "",
    now: datetime.datetime | None = None,
) -> Report:
    """File a member's report to the police of the network's zone. ValidationError (keyed by field) and nothing
    written when something is missing or wrong."""
    if actor is None or member.user_id != actor.pk:
        raise PermissionDenied(_("Only the member can file a report in their own name."))
    now = now or timezone.now()
    place = (place or "").strip()
    description = (description or "").replace("\r\n", "\n").strip()
    vehicle_type = (vehicle_type or "").strip()
    errors: dict[str, ValidationError] = {}
    if network is None or not member_report_networks(member=member).filter(pk=network.pk).exists():
        errors["network"] = _error(_("You can only report to a network you are an active member of."), "not_member")
    if category not in ReportCategory.values:
        errors["category"] = _error(_("Choose what happened."), "invalid_category")
    if happened_at is None:
        errors["happened_at"] = _error(_("Give the date and time it happened."), "required")
    elif happened_at > now:
        errors["happened_at"] = _error(_("The time it happened cannot be in the future."), "future")
    elif happened_at < now - REPORT_MAX_AGE:
        errors["happened_at"] = _error(
            _("Reports are for the last %(days)s days; for older events, contact your police zone."),
            "too_old",
            days=REPORT_MAX_AGE.days,
        )
    for field, value, limit, missing in (
        ("place", place, PLACE_MAX, _("Say where it happened.")),
        ("description", description, DESCRIPTION_MAX, _("Describe what happened.")),
        ("vehicle_type", vehicle_type, VEHICLE_MAX, None),
    ):
        if not value:
            if missing is not None:
                errors[field] = _error(missing, "required")
        elif len(value) > limit:
            errors[field] = _error(
                _("This text is %(length)s characters long; at most %(max)s."),
                "max_length",
                length=len(value),
                max=limit,
            )
        elif (plate := plate_error(value)) is not None:
            errors[field] = plate
    if errors:
        raise ValidationError(errors)

    language = member.user.language if member.user.language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with transaction.atomic():
        report = Report(
            member=member,
            network=network,
            zone_id=network.zone_id,
            category=category,
            happened_at=happened_at,
            place=place,
            description=description,
            vehicle_type=vehicle_type,
            language=language,
            status=ReportStatus.NEW,
            created_at=now,
        )
        report.full_clean()
        report.save()
        # The facts only: what the member wrote stays in the report, not in the audit trail.
        audit_record(
            actor=actor,
            action=AuditAction.CREATE,
            obj=report,
            changes={"network": network.code, "category": category, "status": ReportStatus.NEW},
        )
    return report


def _locked_for_change(actor, report: Report) -> Report:
    """The report, locked, after checking that `actor` handles it (a mandated officer of its zone)."""
    if not can(actor, "change", report):
        raise PermissionDenied(_("Only the mandated officers of the report's police zone handle it."))
    return Report.objects.select_for_update().get(pk=report.pk)


def _refresh(report: Report, locked: Report) -> Report:
    for field in ("status", "acknowledged_at", "closed_at", "answer", "answered_at", "answered_by_id"):
        setattr(report, field, getattr(locked, field))
    return report


def report_acknowledge(*, actor, report: Report, now: datetime.datetime | None = None) -> Report:
    """Tell the member the zone has seen their report (new → acknowledged)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_change(actor, report)
        if locked.status == ReportStatus.CLOSED:
            raise ValidationError(_("This report is closed; it cannot be acknowledged any more."), code="closed")
        if locked.status != ReportStatus.NEW:
            raise ValidationError(_("This report was already acknowledged."), code="already_acknowledged")
        locked.status = ReportStatus.ACKNOWLEDGED
        locked.acknowledged_at = now
        locked.save(update_fields=["status", "acknowledged_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=locked,
            changes={"status": [ReportStatus.NEW, ReportStatus.ACKNOWLEDGED]},
        )
    return _refresh(report, locked)


def report_answer(
    *, actor, report: Report, answer: str, close: bool = False, now: datetime.datetime | None = None
) -> Report:
    """Answer the member (a new report is acknowledged by it; an earlier answer is replaced) and, when asked, close
    the report. The member gets the answer by e-mail in their language once the change is committed, and sees it in
    the portal. A closed report cannot be answered: it is not reopened."""
    answer = (answer or "").replace("\r\n", "\n").strip()
    if not answer:
        raise ValidationError({"answer": _error(_("Write the answer to the member."), "required")})
    if len(answer) > ANSWER_MAX:
        raise ValidationError(
            {
                "answer": _error(
                    _("The answer is %(length)s characters long; at most %(max)s."),
                    "max_length",
                    length=len(answer),
                    max=ANSWER_MAX,
                )
            }
        )
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_change(actor, report)
        old = locked.status
        if old == ReportStatus.CLOSED:
            raise ValidationError(
                _("This report is closed: it cannot be answered any more, and closing it cannot be undone."),
                code="closed",
            )
        locked.answer = answer
        locked.answered_at = now
        locked.answered_by = actor
        if old == ReportStatus.NEW:
            locked.status = ReportStatus.ACKNOWLEDGED
            locked.acknowledged_at = now
        if close:
            locked.status = ReportStatus.CLOSED
            locked.closed_at = now
        locked.full_clean()
        locked.save(update_fields=["answer", "answered_at", "answered_by", "status", "acknowledged_at", "closed_at"])
        changes: dict = {"fields": ["answer"]}
        if locked.status != old:
            changes["status"] = [old, locked.status]
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes=changes)
        report_id, answered_at = locked.pk, now.isoformat()
        transaction.on_commit(lambda: _enqueue_answer_email(report_id, answered_at))
    return _refresh(report, locked)


def report_close(*, actor, report: Report, now: datetime.datetime | None = None) -> Report:
    """Close the report: nothing more is expected from the zone. It cannot be reopened."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _locked_for_change(actor, report)
        old = locked.status
        if old == ReportStatus.CLOSED:
            raise ValidationError(_("This report is already closed."), code="closed")
        locked.status = ReportStatus.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=locked, changes={"status": [old, locked.status]})
    return _refresh(report, locked)


def _enqueue_answer_email(report_id: int, answered_at: str) -> None:
    from ..tasks_member import send_report_answer_task

    send_report_answer_task.enqueue(report_id, answered_at)


# --- the answer by e-mail ------------------------------------------------------------------------------------------

ANSWER_EMAIL_CONTEXT = "report_answer_email"


def report_answer_send(*, report_id: int, answered_at: datetime.datetime) -> bool:
    """E-mail the member the answer given at `answered_at`, at least once and once only: the report stays locked
    while the e-mail goes to the SMTP server and the sending is recorded (an audit event) in the same transaction,
    so a retry after a crash sends again rather than never, and a second run finds the record and does nothing.
    Skipped when the answer was replaced since (the newer one has its own e-mail) or the member is gone.
    Returns whether an e-mail left."""
    stamp = answered_at.isoformat()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("member__user", "network")
            .filter(pk=report_id)
            .first()
        )
        if report is None or report.answered_at != answered_at:
            return False
        member = report.member
        if member is None or not member.user.is_active or not member.user.email:
            return False
        already = AuditEvent.objects.filter(
            action=AuditAction.SEND,
            content_type__app_label="messaging",
            content_type__model="report",
            object_id=str(report.pk),
            changes__context=ANSWER_EMAIL_CONTEXT,
            changes__answered_at=stamp,
        ).exists()
        if already:
            return False
        _answer_email(report).send()
        audit_record(
            actor=None,
            action=AuditAction.SEND,
            obj=report,
            changes={"context": ANSWER_EMAIL_CONTEXT, "answered_at": stamp, "members": [member.pk]},
        )
    return True


def _answer_email(report: Report) -> EmailMultiAlternatives:
    user = report.member.user
    language = user.language if user.language in dict(settings.LANGUAGES) else report.language
    with translation.override(language):
        context = {
            "first_name": user.first_name,
            "report": report,
            "category": report.get_category_display(),
            "network": report.network.name,
            "answer": report.answer,
            "closed": report.status == ReportStatus.CLOSED,
            "portal_url": settings.SITE_URL.rstrip("/") + reverse("messaging_portal:report_list"),
            "language": language,
        }
        subject = " ".join(render_to_string("messaging/member/email/report_answer_subject.txt", context).split())
        text = render_to_string("messaging/member/email/report_answer_message.txt", context)
        html = render_to_string("messaging/member/email/report_answer_message.html", context)
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    email.attach_alternative(html, "text/html")
    return email
