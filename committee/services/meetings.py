"""Meetings of the committee: planning, the agenda and its documents, invitations with their calendar .ics,
attendance replies, minutes and decisions. ADVP and the Knowledge Centre do it.

Invitations go to every current seat holder with an e-mail address (those without one are named and skipped).
Each invitation leaves through its own retrying task queued when the change commits; the task marks the revision
it sent (`Invitation.sent_sequence`) in the transaction of the sending, so a revision reaches each person once.
A change of time, place or link raises the meeting's `sequence` and re-sends the REQUEST; the cancellation sends a
CANCEL with a higher `sequence`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record, diff, snapshot
from core.models import AuditAction

from ..choices import DocumentKind, MeetingStatus, Reply
from ..emails import committee_email
from ..ics import meeting_ics
from ..models import AgendaDocument, AgendaItem, Decision, Invitation, Meeting, SeatTerm
from ..permissions import can_prepare
from ..tokens import invitation_token

MEETING_FIELDS = ("title", "starts_at", "ends_at", "place", "video_url")
# A change of these is sent again to everyone invited (a new revision of the .ics).
TOLD_FIELDS = ("starts_at", "ends_at", "place", "video_url", "title")


def _require_preparer(actor: User) -> None:
    if not can_prepare(actor):
        raise PermissionDenied(_("Only ADVP and the Knowledge Centre prepare the committee's meetings."))


def _validate(values: dict, *, check_start: bool) -> None:
    errors: dict = {}
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if check_start and starts_at and starts_at <= timezone.now():
        errors["starts_at"] = ValidationError(_("A meeting cannot start in the past."), code="start_in_past")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = ValidationError(_("The meeting must end after it starts."), code="end_before_start")
    if not (values.get("place") or "").strip() and not (values.get("video_url") or "").strip():
        errors["place"] = ValidationError(_("Give a place, a video link or both."), code="place_required")
    if errors:
        raise ValidationError(errors)


def _locked(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _require_planned(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled."), code="meeting_cancelled")


def meeting_create(
    *,
    actor: User,
    title: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    video_url: str = "",
) -> Meeting:
    _require_preparer(actor)
    values = {"title": title, "starts_at": starts_at, "ends_at": ends_at, "place": place, "video_url": video_url}
    _validate(values, check_start=True)
    with transaction.atomic():
        meeting = Meeting(
            title=(title or "").strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            place=(place or "").strip(),
            video_url=(video_url or "").strip(),
            created_by=actor,
        )
        meeting.full_clean()
        meeting.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=meeting, changes=snapshot(meeting))
    return meeting


def _queue_sends(meeting: Meeting, *, cancel: bool = False) -> None:
    from ..tasks import send_cancellation_task, send_invitation_task

    task = send_cancellation_task if cancel else send_invitation_task
    ids = list(meeting.invitations.values_list("pk", flat=True))
    if cancel:
        ids = list(meeting.invitations.filter(sent_sequence__isnull=False).values_list("pk", flat=True))
    sequence = meeting.sequence
    for pk in ids:
        transaction.on_commit(lambda pk=pk: task.enqueue(invitation_id=pk, sequence=sequence))


def meeting_update(*, actor: User, meeting: Meeting, **fields) -> Meeting:
    """Change a planned meeting. When the invitations are out and a change matters to the invited (time, place,
    link, title), the revision goes up and everyone invited receives the updated .ics."""
    _require_preparer(actor)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"Unknown meeting fields: {sorted(unknown)}")
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_planned(meeting)
        before = snapshot(meeting)
        values = {name: getattr(meeting, name) for name in MEETING_FIELDS}
        values.update({k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()})
        _validate(values, check_start=values["starts_at"] != meeting.starts_at)
        for name, value in values.items():
            setattr(meeting, name, value)
        told = any(before[name] != snapshot(meeting)[name] for name in TOLD_FIELDS)
        if told and meeting.invited_at is not None:
            meeting.sequence += 1
        meeting.full_clean()
        meeting.save()
        changes = diff(before, snapshot(meeting))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=meeting, changes=changes)
        if told and meeting.invited_at is not None:
            _queue_sends(meeting)
    return meeting


def meeting_cancel(*, actor: User, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting; everyone who received the invitation receives the CANCEL."""
    _require_preparer(actor)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_planned(meeting)
        meeting.status = MeetingStatus.CANCELLED
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        audit_record(
            actor=actor,
            action=AuditAction.CANCEL,
            obj=meeting,
            changes={"status": [MeetingStatus.PLANNED, MeetingStatus.CANCELLED]},
        )
        _queue_sends(meeting, cancel=True)
    return meeting


# --- Agenda ------------------------------------------------------------------------------------------------------


def agenda_item_add(
    *,
    actor: User,
    meeting: Meeting,
    title_nl: str = "",
    title_fr: str = "",
    title_de: str = "",
    title_en: str = "",
    owner_term: SeatTerm | None = None,
    owner_text: str = "",
    minutes: int = 15,
    description: str = "",
) -> AgendaItem:
    """An item at the end of the agenda."""
    _require_preparer(actor)
    titles = {"title_nl": title_nl, "title_fr": title_fr, "title_de": title_de, "title_en": title_en}
    titles = {name: (value or "").strip() for name, value in titles.items()}
    if not any(titles.values()):
        raise ValidationError({"title_nl": ValidationError(_("Give the item a title."), code="title_required")})
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_planned(meeting)
        position = (meeting.items.aggregate(top=Max("position"))["top"] or 0) + 1
        item = AgendaItem(
            meeting=meeting,
            position=position,
            owner_term=owner_term,
            owner_text=(owner_text or "").strip(),
            minutes=minutes,
            description=(description or "").strip(),
            **titles,
        )
        item.full_clean()
        item.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=item, changes=snapshot(item))
    return item


def document_check(upload):
    """The practices' content checks (committee/agenda documents take PDF only): a ValidationError when the file
    is not a clean PDF, whatever its name says."""
    from practices.choices import AttachmentKind
    from practices.services.attachments import attachment_check

    checked = attachment_check(upload)
    if checked.kind != AttachmentKind.PDF:
        raise ValidationError(
            _("“%(name)s” is not a PDF document: agenda documents are PDF files or links."),
            code="not_pdf",
            params={"name": checked.original_name},
        )
    return checked


def document_add(*, actor: User, item: AgendaItem, title: str, upload=None, url: str = "") -> AgendaDocument:
    """Attach a PDF (checked by its content) or a link to an agenda item."""
    _require_preparer(actor)
    title = (title or "").strip()
    url = (url or "").strip()
    if (upload is None) == (not url):
        raise ValidationError(_("Upload a PDF or give a link (one of the two)."), code="file_or_link")
    checked = document_check(upload) if upload is not None else None
    with transaction.atomic():
        document = AgendaDocument(item=item, title=title or (checked.original_name if checked else url)[:200])
        if checked is not None:
            document.kind = DocumentKind.PDF
            document.original_name = checked.original_name
            document.size = len(checked.content)
            document.file.save("document.pdf", ContentFile(checked.content), save=False)
        else:
            document.kind = DocumentKind.LINK
            document.url = url
        try:
            document.full_clean()
            document.save()
            audit_record(
                actor=actor,
                action=AuditAction.CREATE,
                obj=document,
                changes={"kind": document.kind, "item": item.pk, "size": document.size},
            )
        except Exception:
            if document.file:
                document.file.delete(save=False)
            raise
    return document


# --- Invitations -------------------------------------------------------------------------------------------------


@dataclass
class InvitationRound:
    invited: list[Invitation] = field(default_factory=list)
    skipped: list[SeatTerm] = field(default_factory=list)


def invitees(meeting: Meeting) -> tuple[list[SeatTerm], list[SeatTerm]]:
    """(current seat holders with an e-mail address, those without)."""
    terms = list(
        SeatTerm.objects.current().select_related("user", "category").order_by("category__order", "seat_number")
    )
    with_email = [term for term in terms if term.holder_email]
    without = [term for term in terms if not term.holder_email]
    return with_email, without


def meeting_invite(*, actor: User, meeting: Meeting) -> InvitationRound:
    """Invite every current seat holder who has an e-mail address (again safe: those already invited keep their
    invitation; new holders get one). Holders without an address are returned as skipped."""
    _require_preparer(actor)
    with transaction.atomic():
        meeting = _locked(meeting)
        _require_planned(meeting)
        if meeting.starts_at <= timezone.now():
            raise ValidationError(_("This meeting has started: invitations can no longer be sent."), code="started")
        with_email, without = invitees(meeting)
        if not with_email:
            raise ValidationError(_("No current seat holder has an e-mail address."), code="nobody_to_invite")
        existing = {inv.term_id: inv for inv in meeting.invitations.all()}
        result = InvitationRound(skipped=without)
        for term in with_email:
            invitation = existing.get(term.pk)
            if invitation is None:
                invitation = Invitation(
                    meeting=meeting,
                    term=term,
                    name=term.holder_name[:200],
                    email=term.holder_email,
                    language=term.holder_language,
                )
                invitation.full_clean(validate_constraints=False)
                invitation.save()
            result.invited.append(invitation)
        meeting.invited_at = meeting.invited_at or timezone.now()
        meeting.save(update_fields=["invited_at"])
        audit_record(
            actor=actor,
            action=AuditAction.INVITE,
            obj=meeting,
            changes={
                "invited": [inv.pk for inv in result.invited],
                "skipped_without_email": [term.pk for term in without],
                "sequence": meeting.sequence,
            },
        )
        sequence = meeting.sequence
        from ..tasks import send_invitation_task

        for invitation in result.invited:
            if invitation.sent_sequence is None or invitation.sent_sequence < sequence:
                transaction.on_commit(
                    lambda pk=invitation.pk: send_invitation_task.enqueue(invitation_id=pk, sequence=sequence)
                )
    return result


def _locked_invitation(invitation_id: int) -> Invitation | None:
    invitation = Invitation.objects.select_for_update().filter(pk=invitation_id).first()
    if invitation is None:
        return None
    return Invitation.objects.select_related("meeting").get(pk=invitation.pk)


def invitation_send(*, invitation_id: int, sequence: int) -> bool:
    """E-mail revision `sequence` of the invitation (REQUEST). Skipped when already sent, when a later revision
    exists (its own task sends it) or when the meeting was cancelled."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation_id)
        if invitation is None:
            return False
        meeting = invitation.meeting
        if meeting.status != MeetingStatus.PLANNED or meeting.sequence != sequence:
            return False
        if invitation.sent_sequence is not None and invitation.sent_sequence >= sequence:
            return False
        committee_email(
            template="invitation" if invitation.sent_sequence is None else "invitation_updated",
            context={"meeting": meeting, "invitation": invitation, "token": invitation_token(invitation)},
            to=invitation.email,
            language=invitation.language,
            ics=meeting_ics(meeting, invitation=invitation),
            ics_method="REQUEST",
        ).send()
        Invitation.objects.filter(pk=invitation.pk).update(sent_sequence=sequence, sent_at=timezone.now())
    return True


def invitation_send_cancellation(*, invitation_id: int, sequence: int) -> bool:
    """E-mail the cancellation (CANCEL) to someone who received the invitation."""
    with transaction.atomic():
        invitation = _locked_invitation(invitation_id)
        if invitation is None or invitation.sent_sequence is None:
            return False
        meeting = invitation.meeting
        if meeting.status != MeetingStatus.CANCELLED or meeting.sequence != sequence:
            return False
        if invitation.sent_sequence >= sequence:
            return False
        committee_email(
            template="meeting_cancelled",
            context={"meeting": meeting, "invitation": invitation},
            to=invitation.email,
            language=invitation.language,
            ics=meeting_ics(meeting, invitation=invitation, cancel=True),
            ics_method="CANCEL",
        ).send()
        Invitation.objects.filter(pk=invitation.pk).update(sent_sequence=sequence, sent_at=timezone.now())
    return True


def invitation_reply(*, invitation: Invitation, reply: str, actor: User | None = None) -> Invitation:
    """The invited person's answer (through their signed link, or signed in as the holder)."""
    if reply not in Reply.values:
        raise ValidationError({"reply": ValidationError(_("Choose yes, no or maybe."), code="invalid_reply")})
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        meeting = Meeting.objects.get(pk=invitation.meeting_id)
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError(_("This meeting is cancelled."), code="meeting_cancelled")
        if meeting.ends_at <= timezone.now():
            raise ValidationError(_("This meeting is over: replies are closed."), code="meeting_over")
        before = invitation.reply
        invitation.reply = reply
        invitation.replied_at = timezone.now()
        invitation.save(update_fields=["reply", "replied_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=invitation,
            changes={"reply": [before, reply]},
        )
    return invitation


# --- Minutes and decisions ---------------------------------------------------------------------------------------


def minutes_save(
    *,
    actor: User,
    meeting: Meeting,
    minutes_nl: str = "",
    minutes_fr: str = "",
    minutes_de: str = "",
    minutes_en: str = "",
    publish: bool = False,
) -> Meeting:
    """Write the minutes (Markdown per language); `publish` makes them visible to the committee's members."""
    _require_preparer(actor)
    texts = {"minutes_nl": minutes_nl, "minutes_fr": minutes_fr, "minutes_de": minutes_de, "minutes_en": minutes_en}
    texts = {name: (value or "").strip() for name, value in texts.items()}
    if publish and not any(texts.values()):
        raise ValidationError(
            {"minutes_nl": ValidationError(_("Write the minutes before publishing them."), code="minutes_empty")}
        )
    with transaction.atomic():
        meeting = _locked(meeting)
        before = snapshot(meeting)
        for name, value in texts.items():
            setattr(meeting, name, value)
        if publish and meeting.minutes_published_at is None:
            meeting.minutes_published_at = timezone.now()
        meeting.full_clean()
        meeting.save()
        changes = diff(before, snapshot(meeting))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=meeting, changes=changes)
    return meeting


def decision_add(*, actor: User, meeting: Meeting, text: str) -> Decision:
    _require_preparer(actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ValidationError(_("Write the decision."), code="required")})
    with transaction.atomic():
        decision = Decision(meeting=meeting, text=text)
        decision.full_clean()
        decision.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=decision, changes=snapshot(decision))
    return decision
