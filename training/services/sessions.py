"""Sessions of the BIN course at the police academies: planning, publishing, changing, cancelling, attendance and
results, and closing (which issues the certificates).

The academy's trainers do all of it for their own academy. Participants are told of every change by e-mail with the
session's .ics invitation: a change of a published session raises its `sequence` and sends the updated invitation
(REQUEST) to everyone holding a seat; a cancellation sends the cancellation (CANCEL) to everyone enrolled, waiting
or whose request was confirmed. E-mails leave through retrying tasks queued when the change commits
(training/tasks_sessions.py); each is sent at most once per participant and revision.
"""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from core.roles import Role
from core.scoping import can
from geography.models import Academy

from ..choices import Attendance, CourseLanguage, EnrolmentStatus, Result, SessionStatus, VersionStatus
from ..emails import training_email
from ..ics import session_ics
from ..models import CourseVersion, Enrolment, Session
from ..permissions import trainer_academies
from . import certificates

MAX_CAPACITY = 500
EDITABLE_FIELDS = ("version", "starts_at", "ends_at", "place", "online_url", "language", "capacity", "trainer", "note")
# A change of these is told to the participants of a published session (a new .ics revision).
TOLD_FIELDS = ("starts_at", "ends_at", "place", "online_url", "language", "note")
# Enrolments told when the session is cancelled.
TOLD_OF_CANCELLATION = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING, EnrolmentStatus.REQUESTED)
# Enrolments the cancellation ends.
ENDED_BY_CANCELLATION = (*TOLD_OF_CANCELLATION, EnrolmentStatus.UNCONFIRMED)


# --- Checks --------------------------------------------------------------------------------------------------------


def academy_trainers(academy: Academy):
    """Active accounts holding the trainer role at `academy`."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.TRAINER,
            role_assignments__scope_type=ContentType.objects.get_for_model(Academy),
            role_assignments__scope_id=academy.pk,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "email")
    )


def _is_trainer_at(user: User, academy: Academy) -> bool:
    return RoleAssignment.objects.filter(
        user=user,
        role=Role.TRAINER,
        scope_type=ContentType.objects.get_for_model(Academy),
        scope_id=academy.pk,
        revoked_at__isnull=True,
        user__is_active=True,
    ).exists()


def enrolled_count(session: Session) -> int:
    return session.enrolments.filter(status=EnrolmentStatus.ENROLLED).count()


def _validate(*, values: dict, errors: dict, now: datetime.datetime, check_start: bool) -> None:
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if starts_at and ends_at and ends_at <= starts_at:
        errors.setdefault("ends_at", []).append(
            ValidationError(_("The session must end after it starts."), code="end_before_start")
        )
    if check_start and starts_at and starts_at <= now:
        errors.setdefault("starts_at", []).append(
            ValidationError(_("The session cannot start in the past."), code="start_in_past")
        )
    capacity = values.get("capacity")
    if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
        errors.setdefault("capacity", []).append(
            ValidationError(
                _("A session has between 1 and %(max)s seats."), code="capacity_range", params={"max": MAX_CAPACITY}
            )
        )
    if not (values.get("place") or "").strip():
        errors.setdefault("place", []).append(ValidationError(_("Say where the session takes place."), code="required"))
    if values.get("language") not in CourseLanguage.values:
        errors.setdefault("language", []).append(
            ValidationError(_("Choose Dutch, French or German."), code="invalid_language")
        )
    trainer, academy = values.get("trainer"), values.get("academy")
    if trainer is not None and academy is not None and not _is_trainer_at(trainer, academy):
        errors.setdefault("trainer", []).append(
            ValidationError(
                _("%(name)s is not a trainer of %(academy)s."),
                code="trainer_not_at_academy",
                params={"name": trainer.get_full_name() or trainer.email, "academy": academy.name},
            )
        )


def _require_planner(actor: User, academy: Academy) -> None:
    if academy.pk not in trainer_academies(actor):
        raise PermissionDenied(_("Only the trainers of %(academy)s plan its sessions.") % {"academy": academy.name})


# --- Planning ------------------------------------------------------------------------------------------------------


def session_create(
    *,
    actor: User,
    academy: Academy,
    version: CourseVersion,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    language: str,
    capacity: int,
    trainer: User | None = None,
    online_url: str = "",
    note: str = "",
) -> Session:
    """A draft session of the current course version at the actor's academy (only the academy sees it until it is
    published)."""
    _require_planner(actor, academy)
    values = {
        "academy": academy,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "place": place,
        "language": language,
        "capacity": capacity,
        "trainer": trainer,
    }
    errors: dict = {}
    _validate(values=values, errors=errors, now=timezone.now(), check_start=True)
    if version.status != VersionStatus.CURRENT:
        errors.setdefault("version", []).append(
            ValidationError(_("New sessions use the current version of the course."), code="version_not_current")
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        session = Session(
            version=version,
            academy=academy,
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            language=language,
            capacity=capacity,
            trainer=trainer,
            online_url=(online_url or "").strip(),
            note=(note or "").strip(),
            status=SessionStatus.DRAFT,
            created_by=actor,
        )
        session.full_clean()
        session.save()
        audit_record(actor=actor, action=AuditAction.CREATE, obj=session, changes=snapshot(session))
    return session


def _locked(session: Session, actor: User, action: str = "change") -> Session:
    if not can(actor, action, session):
        raise PermissionDenied(_("Only the trainers of the session's academy change it."))
    return Session.objects.select_for_update().select_related("version__course", "academy").get(pk=session.pk)


def session_update(*, actor: User, session: Session, **fields) -> Session:
    """Change a draft or published session. Raises "capacity below the current enrolments" when seats are taken
    away from enrolled people. A change participants must know (date, time, place, link, language, information)
    of a published session raises its revision and e-mails them the updated invitation."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown session fields: {sorted(unknown)}")
    with transaction.atomic():
        session = _locked(session, actor)
        if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise ValidationError(
                _("A %(status)s session can no longer be changed."),
                code="session_final",
                params={"status": session.get_status_display()},
            )
        before = snapshot(session)
        values = {name: getattr(session, name) for name in EDITABLE_FIELDS}
        values.update(fields)
        values["academy"] = session.academy
        errors: dict = {}
        start_changed = "starts_at" in fields and fields["starts_at"] != session.starts_at
        _validate(values=values, errors=errors, now=timezone.now(), check_start=start_changed)
        if fields.get("trainer", session.trainer) == session.trainer:
            errors.pop("trainer", None)  # an unchanged trainer who has since left the academy may stay
        taken = enrolled_count(session)
        if values.get("capacity") is not None and values["capacity"] < taken and "capacity" not in errors:
            errors.setdefault("capacity", []).append(
                ValidationError(
                    _("The capacity cannot be below the current enrolments: %(count)s people hold a seat."),
                    code="capacity_below_enrolled",
                    params={"count": taken},
                )
            )
        version = values["version"]
        if ("version" in fields and version != session.version) and (
            session.status != SessionStatus.DRAFT or version.status != VersionStatus.CURRENT
        ):
            errors.setdefault("version", []).append(
                ValidationError(
                    _("Only a draft session can move to another version, and only to the current one."),
                    code="version_change",
                )
            )
        if errors:
            raise ValidationError(errors)
        told_before = {name: getattr(session, name) for name in TOLD_FIELDS}
        capacity_before = session.capacity
        for name, value in fields.items():
            setattr(session, name, value.strip() if isinstance(value, str) else value)
        told = session.status == SessionStatus.PUBLISHED and any(
            getattr(session, name) != told_before[name] for name in TOLD_FIELDS
        )
        if told:
            session.sequence += 1
        session.full_clean(exclude=["created_by"])  # sessions made before accounts existed have none
        session.save()
        changes = diff(before, snapshot(session))
        if changes:
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=session, changes=changes)
        if told:
            _tell(session, statuses=(EnrolmentStatus.ENROLLED,), kind="update")
        if session.status == SessionStatus.PUBLISHED and session.capacity > capacity_before:
            from .enrolments import enrolment_fill_seats

            enrolment_fill_seats(actor=actor, session=session)  # the waiting list moves up (and is told)
    return session


def _tell(session: Session, *, statuses, kind: str) -> None:
    """Queue, once the change commits, one e-mail per enrolment in `statuses` about this revision."""
    ids = list(session.enrolments.filter(status__in=statuses).values_list("pk", flat=True))
    sequence = session.sequence
    if not ids:
        return

    def enqueue():
        from ..tasks_sessions import send_session_cancelled_task, send_session_update_task

        task = send_session_update_task if kind == "update" else send_session_cancelled_task
        for enrolment_id in ids:
            task.enqueue(enrolment_id, sequence)

    transaction.on_commit(enqueue)


def session_publish(*, actor: User, session: Session) -> Session:
    """A draft goes into the public catalogue and takes enrolments."""
    with transaction.atomic():
        session = _locked(session, actor)
        if session.status != SessionStatus.DRAFT:
            raise ValidationError(_("Only a draft session can be published."), code="not_draft")
        if session.starts_at <= timezone.now():
            raise ValidationError(
                _("This session has already started: change its dates before publishing it."), code="start_in_past"
            )
        if session.version.status != VersionStatus.CURRENT:
            raise ValidationError(
                _("This session uses a version of the course that is no longer current: choose the current one."),
                code="version_not_current",
            )
        session.status = SessionStatus.PUBLISHED
        session.published_at = timezone.now()
        session.save(update_fields=["status", "published_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=session,
            changes={"status": [SessionStatus.DRAFT, SessionStatus.PUBLISHED]},
        )
    return session


def session_cancel(*, actor: User, session: Session, reason: str) -> Session:
    """Cancel a draft or published session: its enrolments end, and everyone enrolled, waiting or asking gets the
    cancellation with the calendar's CANCEL."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled: the participants are told.")})
    with transaction.atomic():
        session = _locked(session, actor)
        if session.status not in (SessionStatus.DRAFT, SessionStatus.PUBLISHED):
            raise ValidationError(
                _("A %(status)s session cannot be cancelled."),
                code="session_final",
                params={"status": session.get_status_display()},
            )
        if session.status == SessionStatus.PUBLISHED and session.ends_at <= timezone.now():
            raise ValidationError(
                _("This session has already taken place: record the attendance and close it instead."),
                code="session_over",
            )
        old_status = session.status
        now = timezone.now()
        session.status = SessionStatus.CANCELLED
        session.cancelled_at = now
        session.cancel_reason = reason[:300]
        session.sequence += 1
        session.save(update_fields=["status", "cancelled_at", "cancel_reason", "sequence"])
        told = list(session.enrolments.filter(status__in=TOLD_OF_CANCELLATION).values_list("pk", flat=True))
        ended = session.enrolments.filter(status__in=ENDED_BY_CANCELLATION)
        ended_count = ended.count()
        ended.update(status=EnrolmentStatus.CANCELLED, cancelled_at=now, reason=reason[:300])
        audit_record(
            actor=actor,
            action=AuditAction.CANCEL,
            obj=session,
            changes={
                "status": [old_status, SessionStatus.CANCELLED],
                "cancel_reason": [None, session.cancel_reason],
                "enrolments_cancelled": ended_count,
            },
        )
        sequence = session.sequence
        if told:

            def enqueue():
                from ..tasks_sessions import send_session_cancelled_task

                for enrolment_id in told:
                    send_session_cancelled_task.enqueue(enrolment_id, sequence)

            transaction.on_commit(enqueue)
    return session


# --- Attendance, results and closing -------------------------------------------------------------------------------


def attendance_record(*, actor: User, session: Session, marks: dict[int, tuple[str, str]]) -> int:
    """Record attendance and result per enrolment id: (attended | absent | "", passed | failed | ""). Only people
    holding a seat have them; a result needs attendance. Returns how many enrolments changed."""
    with transaction.atomic():
        session = _locked(session, actor, "record")
        if session.status != SessionStatus.PUBLISHED:
            raise ValidationError(
                _("Attendance is recorded for a published session that is not yet closed."), code="not_recordable"
            )
        if session.starts_at > timezone.now():
            raise ValidationError(_("Attendance can be recorded once the session has started."), code="not_started")
        enrolments = {
            e.pk: e
            for e in session.enrolments.select_for_update()
            .select_related("trainee")
            .filter(pk__in=list(marks), status=EnrolmentStatus.ENROLLED)
        }
        missing = set(marks) - set(enrolments)
        if missing:
            raise ValidationError(
                _("Attendance is recorded only for people holding a seat in this session."), code="not_enrolled"
            )
        changes, errors = {}, []
        for pk, (attendance, result) in marks.items():
            attendance, result = attendance or "", result or ""
            enrolment = enrolments[pk]
            if attendance not in ("", *Attendance.values) or result not in ("", *Result.values):
                errors.append(ValidationError(_("Choose one of the offered values."), code="invalid_choice"))
                continue
            if result and attendance != Attendance.ATTENDED:
                errors.append(
                    ValidationError(
                        _("%(name)s: only someone who attended can pass or fail."),
                        code="result_needs_attendance",
                        params={"name": enrolment.trainee.full_name},
                    )
                )
                continue
            if (enrolment.attendance, enrolment.result) != (attendance, result):
                changes[pk] = [[enrolment.attendance, enrolment.result], [attendance, result]]
                enrolment.attendance, enrolment.result = attendance, result
        if errors:
            raise ValidationError(errors)
        for pk in changes:
            enrolment = enrolments[pk]
            enrolment.full_clean()
            enrolment.save(update_fields=["attendance", "result", "updated_at"])
        if changes:
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=session,
                changes={"attendance": {str(pk): change for pk, change in changes.items()}},
            )
    return len(changes)


def session_close(*, actor: User, session: Session) -> Session:
    """Close a session that has ended once everyone holding a seat has their attendance (and, who attended, their
    result): the results become final, each passed participant gets a certificate (e-mailed with its PDF), and
    everyone who attended is invited to the evaluation form."""
    with transaction.atomic():
        session = _locked(session, actor, "record")
        if session.status != SessionStatus.PUBLISHED:
            raise ValidationError(_("Only a published session can be closed."), code="not_published")
        now = timezone.now()
        if session.ends_at > now:
            raise ValidationError(_("A session can be closed only after it has ended."), code="not_ended")
        enrolled = list(
            session.enrolments.select_for_update()
            .select_related("trainee")
            .filter(status=EnrolmentStatus.ENROLLED)
            .order_by("trainee__last_name", "trainee__first_name")
        )
        unmarked = [e.trainee.full_name for e in enrolled if not e.attendance]
        if unmarked:
            raise ValidationError(
                _("Record the attendance of everyone enrolled before closing: %(names)s."),
                code="attendance_missing",
                params={"names": ", ".join(unmarked)},
            )
        no_result = [e.trainee.full_name for e in enrolled if e.attendance == Attendance.ATTENDED and not e.result]
        if no_result:
            raise ValidationError(
                _("Record the result of everyone who attended before closing: %(names)s."),
                code="result_missing",
                params={"names": ", ".join(no_result)},
            )
        session.status = SessionStatus.CLOSED
        session.closed_at = now
        session.save(update_fields=["status", "closed_at"])
        issued_on = timezone.localdate(now)
        issued = [
            certificates.certificate_issue(actor=actor, enrolment=e, issued_on=issued_on).pk
            for e in enrolled
            if e.result == Result.PASSED
        ]
        attendees = [e.pk for e in enrolled if e.attendance == Attendance.ATTENDED]
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=session,
            changes={
                "status": [SessionStatus.PUBLISHED, SessionStatus.CLOSED],
                "certificates": len(issued),
                "attended": len(attendees),
            },
        )

        def enqueue():
            from ..tasks_sessions import send_certificate_task, send_evaluation_invitation_task

            for certificate_id in issued:
                send_certificate_task.enqueue(certificate_id)
            for enrolment_id in attendees:
                send_evaluation_invitation_task.enqueue(enrolment_id)

        transaction.on_commit(enqueue)
    return session


# --- E-mails (called by the tasks) ---------------------------------------------------------------------------------


def _locked_enrolment(enrolment_id: int) -> Enrolment | None:
    """The enrolment, locked until the caller's transaction ends: its "sent" mark is written in the same transaction
    as the e-mail goes to the SMTP server, so a crash before the commit sends it again on the retry rather than
    never, and a retry after the commit finds the mark and sends nothing."""
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("trainee", "session__academy", "session__version__course")
        .filter(pk=enrolment_id)
        .first()
    )


def session_send_update(*, enrolment_id: int, sequence: int) -> bool:
    """E-mail the updated invitation (revision `sequence`) to a participant holding a seat. Skipped when the seat
    is gone or a later revision was made (its own e-mail carries the latest invitation)."""
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id)
        if enrolment is None or enrolment.status != EnrolmentStatus.ENROLLED:
            return False
        session = enrolment.session
        if session.sequence != sequence or session.status != SessionStatus.PUBLISHED:
            return False
        if enrolment.notified_sequence is not None and enrolment.notified_sequence >= sequence:
            return False
        trainee = enrolment.trainee
        training_email(
            template="session_updated",
            context={"session": session, "trainee": trainee},
            to=trainee.email,
            language=trainee.language,
            ics=session_ics(session, trainee=trainee),
            ics_method="REQUEST",
        ).send()
        Enrolment.objects.filter(pk=enrolment.pk).update(notified_sequence=sequence)
    return True


def session_send_cancellation(*, enrolment_id: int, sequence: int) -> bool:
    """Tell a participant (enrolled, waiting or asking) that the session is cancelled, with the calendar's CANCEL."""
    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id)
        if enrolment is None:
            return False
        session = enrolment.session
        if session.status != SessionStatus.CANCELLED or session.sequence != sequence:
            return False
        if enrolment.notified_sequence is not None and enrolment.notified_sequence >= sequence:
            return False
        trainee = enrolment.trainee
        training_email(
            template="session_cancelled",
            context={"session": session, "trainee": trainee, "reason": session.cancel_reason},
            to=trainee.email,
            language=trainee.language,
            ics=session_ics(session, trainee=trainee, cancel=True),
            ics_method="CANCEL",
        ).send()
        Enrolment.objects.filter(pk=enrolment.pk).update(notified_sequence=sequence)
    return True


def session_send_evaluation_invitation(*, enrolment_id: int) -> bool:
    """Invite someone who attended a closed session to the evaluation form, through their personal link."""
    from .enrolments import participant_url

    with transaction.atomic():
        enrolment = _locked_enrolment(enrolment_id)
        if enrolment is None or enrolment.attendance != Attendance.ATTENDED or enrolment.evaluation_invited_at:
            return False
        if enrolment.session.status != SessionStatus.CLOSED or _has_evaluation(enrolment):
            return False
        trainee = enrolment.trainee
        training_email(
            template="session_evaluation",
            context={"session": enrolment.session, "trainee": trainee, "participant_url": participant_url(trainee)},
            to=trainee.email,
            language=trainee.language,
        ).send()
        Enrolment.objects.filter(pk=enrolment.pk).update(evaluation_invited_at=timezone.now())
    return True


def _has_evaluation(enrolment: Enrolment) -> bool:
    from ..models import EvaluationResponse

    return EvaluationResponse.objects.filter(enrolment=enrolment).exists()
