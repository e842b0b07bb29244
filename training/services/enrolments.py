"""Enrolments in course sessions: zones (and academies) enrol staff, participants ask to enrol themselves (double
opt-in by e-mail, then the zone's approval), the waiting list, cancelling, reminders and the participant's own
signed link.

Seats: a session's row is locked (`select_for_update`; on SQLite the IMMEDIATE transactions serialise writers)
while seats are counted and given, so two people taking the last seat at once end with one seat and one place on
the waiting list. The waiting list is ordered by `waiting_since`; a freed seat goes to the first in it.

E-mails leave through retrying tasks (tasks_enrolments) queued when the transaction commits. Each task is given the
moment of the change it tells about and does nothing once the enrolment has changed since, so a late or repeated
run never tells something that is no longer true. Audit rows name statuses, never the person's data."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role, is_national
from core.scoping import can
from geography.models import PoliceZone

from .. import tokens
from ..choices import ACTIVE_STATUSES, EnrolmentSource, EnrolmentStatus, SessionStatus
from ..emails import training_email
from ..ics import session_ics
from ..models import Enrolment, SentNotice, Session, Trainee
from ..permissions import officer_zones, trainer_academies

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# A repeated public request (or a fresh participant link) re-sends its e-mail at most this often per address.
RESEND_INTERVAL = datetime.timedelta(minutes=10)
# Sent e-mails are remembered this long so a task run twice does not send twice.


# --- Links ---------------------------------------------------------------------------------------------------


def participant_url(trainee: Trainee) -> str:
    """The absolute signed link to the participant's own pages (valid `BINPLP_TRAINING_LINK_DAYS`)."""
    return settings.SITE_URL + reverse("training:participant", args=[tokens.participant_token(trainee)])


def participant_from_token(token: str) -> Trainee:
    """The trainee a participant link names; raises tokens.LinkExpired or tokens.LinkInvalid."""
    trainee_id, binding = tokens.participant_read(token)
    trainee = Trainee.objects.select_related("zone").filter(pk=trainee_id).first()
    if trainee is None or tokens.trainee_binding(trainee) != binding:
        raise tokens.LinkInvalid
    return trainee


def request_confirm_url(enrolment: Enrolment, *, zone_id: int) -> str:
    return settings.SITE_URL + reverse(
        "training:request_confirm", args=[tokens.request_token(enrolment, zone_id=zone_id)]
    )


# --- Checks --------------------------------------------------------------------------------------------------


def _lock_session(session: Session) -> Session:
    return (
        Session.objects.select_for_update(of=("self",)).select_related("version__course", "academy").get(pk=session.pk)
    )


def session_open_check(session: Session) -> None:
    """Raise the reason why `session` takes no enrolment now, if it does not."""
    if session.status == SessionStatus.CANCELLED:
        raise ValidationError(_("This session has been cancelled."), code="session_cancelled")
    if session.status == SessionStatus.CLOSED:
        raise ValidationError(_("This session is closed: it no longer takes enrolments."), code="session_closed")
    if session.status != SessionStatus.PUBLISHED:
        raise ValidationError(
            _("This session is not published: it does not take enrolments yet."), code="session_draft"
        )
    if session.starts_at <= timezone.now():
        raise ValidationError(
            _("This session has already started: it no longer takes enrolments."), code="session_started"
        )


def may_enrol_for_zone(user, zone_id: int) -> bool:
    """Officers of the zone, trainers (for their academy's sessions) and the national roles may enrol its staff."""
    return zone_id in officer_zones(user) or bool(trainer_academies(user)) or is_national(user)


def _actor_source(actor, session: Session, trainee: Trainee, source: str) -> None:
    """Whether `actor` may enrol `trainee` in `session` this way: a zone its own staff, an academy anyone in its own
    sessions. A zone officer naming someone of another zone is told so (bad input, not a hidden object)."""
    if source == EnrolmentSource.ACADEMY:
        if session.academy_id not in trainer_academies(actor):
            raise PermissionDenied
        return
    if source == EnrolmentSource.ZONE:
        zones = officer_zones(actor)
        if not zones:
            raise PermissionDenied
        if trainee.zone_id not in zones:
            raise ValidationError(
                _("%(name)s belongs to another police zone: only their own zone enrols them."),
                code="other_zone",
                params={"name": trainee.full_name},
            )
        return
    raise ValidationError(_("Choose who enrols: the zone or the academy."), code="invalid_source")


def _may_change(actor, enrolment: Enrolment, *actions: str) -> bool:
    return any(can(actor, action, enrolment) for action in actions)


# --- Trainees ------------------------------------------------------------------------------------------------


def _clean_person(*, first_name: str, last_name: str, email: str, function: str, language: str) -> tuple:
    errors: dict[str, ValidationError] = {}
    first_name, last_name, function = (first_name or "").strip(), (last_name or "").strip(), (function or "").strip()
    if not first_name:
        errors["first_name"] = ValidationError(_("Enter the first name."), code="required")
    if not last_name:
        errors["last_name"] = ValidationError(_("Enter the last name."), code="required")
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError(
            _("Enter a valid professional e-mail address, e.g. name@police.belgium.eu."), code="invalid_email"
        )
    if language not in LANGUAGES:
        errors["language"] = ValidationError(_("Choose one of the offered languages."), code="invalid_language")
    if len(first_name) > 80 or len(last_name) > 80 or len(function) > 120:
        errors["function" if len(function) > 120 else "last_name"] = ValidationError(
            _("This text is too long."), code="too_long"
        )
    if errors:
        raise ValidationError(errors)
    return first_name, last_name, email, function, language


def trainee_upsert(
    *,
    actor,
    zone: PoliceZone,
    first_name: str,
    last_name: str,
    email: str,
    function: str = "",
    language: str = "nl",
    user=None,
) -> Trainee:
    """The trainee with this professional e-mail address (case-insensitive), created in `zone` when unknown,
    otherwise brought up to date with the names, function and language given. A zone officer naming a trainee of
    another zone is refused with a clear message; the academy and the national roles leave them in their zone."""
    if not may_enrol_for_zone(actor, zone.pk):
        raise PermissionDenied
    first_name, last_name, email, function, language = _clean_person(
        first_name=first_name, last_name=last_name, email=email, function=function, language=language
    )
    if not zone.is_current:
        raise ValidationError({"zone": ValidationError(_("Choose a current police zone."), code="zone_not_current")})
    with transaction.atomic():
        trainee = Trainee.objects.select_for_update().filter(email__iexact=email).first()
        if trainee is None and user is not None:
            trainee = Trainee.objects.select_for_update().filter(user=user).first()
        if trainee is not None:
            return _trainee_update(
                actor=actor,
                trainee=trainee,
                zone=zone,
                values={"first_name": first_name, "last_name": last_name, "function": function, "language": language},
                user=user,
            )
        trainee = Trainee(
            zone=zone,
            first_name=first_name,
            last_name=last_name,
            email=email,
            function=function,
            language=language,
            user=user if user is not None and not Trainee.objects.filter(user=user).exists() else None,
        )
        trainee.full_clean()
        try:
            with transaction.atomic():
                trainee.save()
        except IntegrityError:
            raise ValidationError(
                {"email": ValidationError(_("Another trainee already has this e-mail address."), code="duplicate")}
            ) from None
        audit_record(actor=actor, action=AuditAction.CREATE, obj=trainee, changes={"zone": [None, zone.pk]})
    return trainee


def _trainee_update(*, actor, trainee: Trainee, zone: PoliceZone, values: dict, user) -> Trainee:
    officer = officer_zones(actor)
    other_zone = trainee.zone_id != zone.pk and trainee.zone_id not in officer
    if other_zone and officer and not is_national(actor) and not trainer_academies(actor):
        raise ValidationError(
            {
                "email": ValidationError(
                    _(
                        "This e-mail address belongs to a trainee of another police zone: that zone enrols them, "
                        "or the academy does."
                    ),
                    code="other_zone",
                )
            }
        )
    changed = []
    if trainee.zone_id in officer or is_national(actor):
        # The trainee's own zone keeps their details up to date; others only enrol them.
        for field, value in values.items():
            if value and getattr(trainee, field) != value:
                setattr(trainee, field, value)
                changed.append(field)
    if user is not None and trainee.user_id is None and not Trainee.objects.filter(user=user).exists():
        trainee.user = user
        changed.append("user")
    if changed:
        trainee.full_clean()
        trainee.save(update_fields=changed)
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=trainee, changes={"fields": sorted(changed)})
    return trainee


def trainee_for_partner(*, actor, zone: PoliceZone, partner) -> Trainee:
    """The trainee for a network's mandated officer: their account (name, e-mail, language) when they have one,
    else the partner's contact details."""
    if partner.user_id:
        account = partner.user
        return trainee_upsert(
            actor=actor,
            zone=zone,
            first_name=partner.first_name or account.first_name,
            last_name=partner.last_name or account.last_name,
            email=account.email,
            language=account.language if account.language in LANGUAGES else _zone_language(zone),
            user=account,
        )
    if not partner.email:
        raise ValidationError(
            _("No e-mail address is known for %(name)s: enrol them as a new person."),
            code="no_email",
            params={"name": partner.display_name},
        )
    return trainee_upsert(
        actor=actor,
        zone=zone,
        first_name=partner.first_name,
        last_name=partner.last_name,
        email=partner.email,
        language=_zone_language(zone),
    )


def _zone_language(zone: PoliceZone) -> str:
    first = (zone.language or "nl").split("+")[0][:2]
    return first if first in LANGUAGES else "nl"


# --- Seats ---------------------------------------------------------------------------------------------------


def _enrolled_count(session: Session) -> int:
    return Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).count()


def _place(enrolment: Enrolment, session: Session, now: datetime.datetime) -> None:
    """A seat while the session has one free, else the end of the waiting list. The caller holds the session lock."""
    if _enrolled_count(session) < session.capacity:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        enrolment.waiting_since = None
    else:
        enrolment.status = EnrolmentStatus.WAITING
        enrolment.waiting_since = now
        enrolment.enrolled_at = None


def _reset(enrolment: Enrolment) -> None:
    enrolment.cancelled_at = None
    enrolment.reason = ""
    enrolment.attendance = ""
    enrolment.result = ""
    enrolment.reminded_at = None


def _already(enrolment: Enrolment) -> ValidationError:
    if enrolment.status == EnrolmentStatus.WAITING:
        return ValidationError(
            _("%(name)s is already on the waiting list of this session."),
            code="already_waiting",
            params={"name": enrolment.trainee.full_name},
        )
    return ValidationError(
        _("%(name)s is already enrolled in this session."),
        code="already_enrolled",
        params={"name": enrolment.trainee.full_name},
    )


def enrolment_create(*, actor, session: Session, trainee: Trainee, source: str = EnrolmentSource.ZONE) -> Enrolment:
    """Enrol `trainee`: a seat while `enrolled < capacity`, else the waiting list. A request of the person waiting
    for the zone, or an earlier cancelled or declined enrolment, is reused; someone enrolled or waiting already is
    refused. The session must be published and not started."""
    _actor_source(actor, session, trainee, source)
    with transaction.atomic():
        session = _lock_session(session)
        session_open_check(session)
        now = timezone.now()
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee")
            .filter(session=session, trainee=trainee)
            .first()
        )
        if enrolment is not None and enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
            raise _already(enrolment)
        before = enrolment.status if enrolment is not None else None
        if enrolment is None:
            enrolment = Enrolment(session=session, trainee=trainee)
        else:
            enrolment.session = session
        _reset(enrolment)
        enrolment.source = source
        enrolment.requested_by = actor
        if before in (EnrolmentStatus.UNCONFIRMED, EnrolmentStatus.REQUESTED):
            enrolment.decided_at, enrolment.decided_by = now, actor
        _place(enrolment, session, now)
        enrolment.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            # Enrolled at the same moment by someone else: the other enrolment stands.
            raise ValidationError(
                _("%(name)s is already enrolled in this session."),
                code="already_enrolled",
                params={"name": trainee.full_name},
            ) from None
        audit_record(
            actor=actor,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [before, enrolment.status], "source": enrolment.source},
        )
        _notify_placed(enrolment)
    return enrolment


def person_enrol(
    *,
    actor,
    session: Session,
    zone: PoliceZone,
    source: str = EnrolmentSource.ZONE,
    partner=None,
    **person,
) -> Enrolment:
    """Enrol a network's mandated officer (`partner`) or a person given by name and e-mail (`person`: first_name,
    last_name, email, function, language): the trainee is found or created and enrolled in one transaction, so a
    refused enrolment leaves no new trainee behind."""
    with transaction.atomic():
        if partner is not None:
            trainee = trainee_for_partner(actor=actor, zone=zone, partner=partner)
        else:
            trainee = trainee_upsert(actor=actor, zone=zone, **person)
        return enrolment_create(actor=actor, session=session, trainee=trainee, source=source)


def _fill_seats(*, actor, session: Session) -> list[Enrolment]:
    """Give the free seats to the first on the waiting list (caller holds the session lock)."""
    free = session.capacity - _enrolled_count(session)
    if free <= 0:
        return []
    waiting = list(
        Enrolment.objects.select_for_update(of=("self",))
        .filter(session=session, status=EnrolmentStatus.WAITING)
        .order_by("waiting_since", "pk")[:free]
    )
    now = timezone.now()
    for enrolment in waiting:
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = now
        enrolment.save(update_fields=["status", "enrolled_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.WAITING, EnrolmentStatus.ENROLLED], "from_waiting_list": True},
        )
        _notify_seat(enrolment, promoted=True)
    return waiting


def enrolment_fill_seats(*, actor, session: Session) -> list[Enrolment]:
    """After seats were added to a published session: the first on the waiting list take them (and are told)."""
    with transaction.atomic():
        session = _lock_session(session)
        if not session.is_open_for_enrolment:
            return []
        return _fill_seats(actor=actor, session=session)


def enrolment_cancel(*, actor, enrolment: Enrolment, reason: str = "", participant: Trainee | None = None) -> Enrolment:
    """Cancel an enrolment, a place on the waiting list or a request: by the zone ("change"), the academy
    ("manage"), or the participant themselves (`participant`, through their signed link). A freed seat goes to
    the first on the waiting list, who gets the invitation; the cancelled person gets the calendar cancellation."""
    reason = (reason or "").strip()
    if len(reason) > 300:
        raise ValidationError({"reason": ValidationError(_("Keep the reason under 300 characters."), code="too_long")})
    if participant is not None:
        if participant.pk != enrolment.trainee_id:
            raise PermissionDenied
    elif not _may_change(actor, enrolment, "change", "manage"):
        raise PermissionDenied
    with transaction.atomic():
        session = _lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("trainee").get(pk=enrolment.pk)
        if enrolment.status not in ACTIVE_STATUSES:
            raise ValidationError(_("This enrolment is already cancelled or declined."), code="not_active")
        if session.status != SessionStatus.PUBLISHED or session.starts_at <= timezone.now():
            raise ValidationError(
                _("This session has already started or ended: record the absence instead of cancelling."),
                code="session_started",
            )
        before = enrolment.status
        enrolment.status = EnrolmentStatus.CANCELLED
        enrolment.cancelled_at = timezone.now()
        enrolment.reason = reason
        enrolment.waiting_since = None
        enrolment.full_clean(validate_constraints=False)
        enrolment.save()
        audit_record(
            actor=None if participant is not None else actor,
            action=AuditAction.CANCEL,
            obj=enrolment,
            changes={
                "status": [before, EnrolmentStatus.CANCELLED],
                "by": "participant" if participant is not None else "staff",
            },
        )
        if before != EnrolmentStatus.UNCONFIRMED:
            _notify_cancelled(enrolment, had_seat=before == EnrolmentStatus.ENROLLED)
        if before == EnrolmentStatus.ENROLLED:
            _fill_seats(actor=actor if participant is None else None, session=session)
    return enrolment


def enrolment_promote(*, actor, enrolment: Enrolment) -> Enrolment:
    """The academy gives a free seat to someone on the waiting list (in any order it chooses)."""
    if not can(actor, "manage", enrolment):
        raise PermissionDenied
    with transaction.atomic():
        session = _lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("trainee").get(pk=enrolment.pk)
        if enrolment.status != EnrolmentStatus.WAITING:
            raise ValidationError(_("Only someone on the waiting list can be given a seat."), code="not_waiting")
        session_open_check(session)
        if _enrolled_count(session) >= session.capacity:
            raise ValidationError(
                _("No seat is free in this session: add seats or cancel an enrolment first."), code="session_full"
            )
        enrolment.status = EnrolmentStatus.ENROLLED
        enrolment.enrolled_at = timezone.now()
        enrolment.save(update_fields=["status", "enrolled_at", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.WAITING, EnrolmentStatus.ENROLLED], "from_waiting_list": True},
        )
        _notify_seat(enrolment, promoted=True)
    return enrolment


# --- Participants' own requests ------------------------------------------------------------------------------


def enrolment_request_submit(
    *,
    session: Session,
    zone: PoliceZone,
    first_name: str,
    last_name: str,
    email: str,
    function: str = "",
    language: str,
) -> Enrolment:
    """Someone asks to enrol (public form). Nothing is stored on bad input. A new request waits for the e-mail
    confirmation; a repeated one re-sends the link (at most every ten minutes); someone already enrolled, waiting
    or waiting for the zone is told so by e-mail, without a second row. The caller shows the same page in every
    case. A known trainee's details are not changed by an unconfirmed request."""
    first_name, last_name, email, function, language = _clean_person(
        first_name=first_name, last_name=last_name, email=email, function=function, language=language
    )
    if zone is None or not zone.is_current:
        raise ValidationError({"zone": ValidationError(_("Choose your police zone."), code="zone_required")})
    with transaction.atomic():
        session = _lock_session(session)
        session_open_check(session)
        trainee = Trainee.objects.filter(email__iexact=email).first()
        if trainee is None:
            trainee = Trainee(
                zone=zone, first_name=first_name, last_name=last_name, email=email, function=function, language=language
            )
            trainee.full_clean()
            try:
                with transaction.atomic():
                    trainee.save()
            except IntegrityError:
                trainee = Trainee.objects.get(email__iexact=email)
            else:
                audit_record(actor=None, action=AuditAction.CREATE, obj=trainee, changes={"zone": [None, zone.pk]})
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .select_related("trainee")
            .filter(session=session, trainee=trainee)
            .first()
        )
        if enrolment is not None and enrolment.status in (
            EnrolmentStatus.ENROLLED,
            EnrolmentStatus.WAITING,
            EnrolmentStatus.REQUESTED,
        ):
            _throttled(f"training:request-already:{enrolment.pk}", _enqueue, "send_request_already_task", enrolment.pk)
            return enrolment
        if enrolment is not None and enrolment.status == EnrolmentStatus.UNCONFIRMED:
            _throttled(
                f"training:request-confirm:{enrolment.pk}",
                _enqueue,
                "send_request_confirmation_task",
                enrolment.pk,
                zone.pk,
            )
            return enrolment
        before = enrolment.status if enrolment is not None else None
        if enrolment is None:
            enrolment = Enrolment(session=session, trainee=trainee)
        _reset(enrolment)
        enrolment.status = EnrolmentStatus.UNCONFIRMED
        enrolment.source = EnrolmentSource.SELF
        enrolment.requested_by = None
        enrolment.confirmed_at = enrolment.decided_at = enrolment.decided_by = None
        enrolment.enrolled_at = enrolment.waiting_since = None
        enrolment.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                enrolment.save()
        except IntegrityError:
            return Enrolment.objects.get(session=session, trainee=trainee)
        audit_record(
            actor=None,
            action=AuditAction.CREATE if before is None else AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [before, enrolment.status], "source": enrolment.source},
        )
        cache.set(f"training:request-confirm:{enrolment.pk}", 1, int(RESEND_INTERVAL.total_seconds()))
        _enqueue("send_request_confirmation_task", enrolment.pk, zone.pk)
    return enrolment


def _throttled(key: str, function, *args) -> None:
    if cache.add(key, 1, int(RESEND_INTERVAL.total_seconds())):
        function(*args)


class RequestLinkError(Exception):
    """Why a confirmation link cannot be used; `message` is shown, `status` is the HTTP status."""

    message = _("This confirmation link is not valid. Check that you copied the whole link from the e-mail.")
    status = 404
    code = "invalid"

    def __str__(self) -> str:
        return str(self.message)


class RequestLinkInvalid(RequestLinkError):
    pass


class RequestLinkExpired(RequestLinkError):
    message = _(
        "This confirmation link has expired. Ask to enrol again with the same e-mail address: we will send you a "
        "new link."
    )
    status = 410
    code = "expired"


class RequestAlreadyConfirmed(RequestLinkError):
    message = _("You have already confirmed this request. Your police zone decides on it; you will get an e-mail.")
    status = 409
    code = "confirmed"


class RequestAlreadyDealt(RequestLinkError):
    message = _("This request has already been dealt with; the link is no longer needed.")
    status = 410
    code = "decided"


class RequestSessionClosed(RequestLinkError):
    message = _("This session no longer takes enrolments. Choose another session in the list of sessions.")
    status = 410
    code = "session_closed"


def _request_for_token(token: str, *, lock: bool = False) -> tuple[Enrolment, int]:
    try:
        enrolment_id, binding, zone_id = tokens.request_read(token)
    except tokens.LinkExpired:
        raise RequestLinkExpired from None
    except tokens.LinkInvalid:
        raise RequestLinkInvalid from None
    queryset = Enrolment.objects.select_related("trainee", "session__version__course", "session__academy")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    enrolment = queryset.filter(pk=enrolment_id).first()
    if enrolment is None:
        raise RequestLinkInvalid
    if enrolment.status == EnrolmentStatus.REQUESTED and enrolment.source == EnrolmentSource.SELF:
        raise RequestAlreadyConfirmed
    if enrolment.status != EnrolmentStatus.UNCONFIRMED:
        raise RequestAlreadyDealt
    if tokens.request_binding(enrolment) != binding:
        raise RequestLinkInvalid
    if not enrolment.session.is_open_for_enrolment:
        raise RequestSessionClosed
    return enrolment, zone_id


def enrolment_request_from_token(token: str) -> Enrolment:
    """The unconfirmed request a link names (for the page asking to confirm), or a RequestLinkError."""
    return _request_for_token(token)[0]


def enrolment_request_confirm(*, token: str) -> Enrolment:
    """The person confirms their e-mail address: the request waits for the zone they chose, whose officers are
    told. Having proved the address, a known trainee who chose another zone moves to it."""
    with transaction.atomic():
        enrolment, zone_id = _request_for_token(token, lock=True)
        trainee = enrolment.trainee
        zone = PoliceZone.objects.current().filter(pk=zone_id).first()
        if zone is not None and trainee.zone_id != zone.pk:
            before_zone = trainee.zone_id
            trainee.zone = zone
            trainee.save(update_fields=["zone"])
            audit_record(actor=None, action=AuditAction.UPDATE, obj=trainee, changes={"zone": [before_zone, zone.pk]})
        enrolment.status = EnrolmentStatus.REQUESTED
        enrolment.confirmed_at = timezone.now()
        enrolment.save(update_fields=["status", "confirmed_at", "updated_at"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.UNCONFIRMED, EnrolmentStatus.REQUESTED]},
        )
        officer_ids = list(zone_officer_users(trainee.zone_id).values_list("pk", flat=True))
        enrolment_id = enrolment.pk

        def notify():
            from ..tasks_enrolments import send_request_notice_task

            for user_id in officer_ids:
                send_request_notice_task.enqueue(enrolment_id, user_id)

        transaction.on_commit(notify)
    return enrolment


def zone_officer_users(zone_id: int):
    """The mandated officers of a police zone on the platform (active accounts holding the role for that zone)."""
    zone_type = ContentType.objects.get_for_model(PoliceZone)
    return (
        User.objects.filter(
            role_assignments__role=Role.ZONE_OFFICER,
            role_assignments__scope_type=zone_type,
            role_assignments__scope_id=zone_id,
            role_assignments__revoked_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def _request_check(actor, enrolment: Enrolment) -> None:
    if enrolment.status == EnrolmentStatus.UNCONFIRMED:
        raise ValidationError(
            _("This request is not confirmed by e-mail yet: wait for the person to confirm it."), code="unconfirmed"
        )
    if enrolment.status != EnrolmentStatus.REQUESTED:
        raise ValidationError(_("This request has already been dealt with."), code="already_decided")


def enrolment_approve(*, actor, enrolment: Enrolment) -> Enrolment:
    """The zone approves a confirmed request: a seat, or the waiting list when the session is full."""
    if not can(actor, "change", enrolment):
        raise PermissionDenied
    with transaction.atomic():
        session = _lock_session(enrolment.session)
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("trainee").get(pk=enrolment.pk)
        _request_check(actor, enrolment)
        session_open_check(session)
        now = timezone.now()
        enrolment.decided_at, enrolment.decided_by = now, actor
        _place(enrolment, session, now)
        enrolment.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.REQUESTED, enrolment.status], "approved": True},
        )
        _notify_placed(enrolment)
    return enrolment


def enrolment_decline(*, actor, enrolment: Enrolment, reason: str) -> Enrolment:
    """The zone declines a confirmed request, with a reason the person is told."""
    if not can(actor, "change", enrolment):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": ValidationError(_("Give a reason: the person is told it."), code="reason_required")}
        )
    if len(reason) > 300:
        raise ValidationError({"reason": ValidationError(_("Keep the reason under 300 characters."), code="too_long")})
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update(of=("self",)).select_related("trainee").get(pk=enrolment.pk)
        _request_check(actor, enrolment)
        now = timezone.now()
        enrolment.status = EnrolmentStatus.DECLINED
        enrolment.decided_at, enrolment.decided_by = now, actor
        enrolment.reason = reason
        enrolment.save(update_fields=["status", "decided_at", "decided_by", "reason", "updated_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=enrolment,
            changes={"status": [EnrolmentStatus.REQUESTED, EnrolmentStatus.DECLINED]},
        )
        _enqueue("send_request_declined_task", enrolment.pk, now.isoformat())
    return enrolment


# --- Participant links ---------------------------------------------------------------------------------------


def participant_link_resend(*, email: str) -> None:
    """Someone whose link expired asks for a fresh one: it goes to the address when a trainee has it (at most every
    ten minutes); nothing happens otherwise. The caller answers the same either way."""
    email = User.objects.normalize_email((email or "").strip()).lower()
    trainee = Trainee.objects.filter(email__iexact=email).only("pk").first() if email else None
    if trainee is None:
        return
    trainee_id = trainee.pk
    if cache.add(f"training:participant-link:{trainee_id}", 1, int(RESEND_INTERVAL.total_seconds())):
        transaction.on_commit(lambda: _task("send_participant_link_task").enqueue(trainee_id))


# --- Reminders -----------------------------------------------------------------------------------------------


def reminders_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Ids of the enrolments whose reminder is due: a seat in a published session starting within
    `BINPLP_TRAINING_REMINDER_DAYS`, not reminded yet."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.BINPLP_TRAINING_REMINDER_DAYS)
    return list(
        Enrolment.objects.filter(
            status=EnrolmentStatus.ENROLLED,
            reminded_at__isnull=True,
            session__status=SessionStatus.PUBLISHED,
            session__starts_at__gt=now,
            session__starts_at__lte=horizon,
        )
        .order_by("session__starts_at", "pk")
        .values_list("pk", flat=True)
    )


def reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Queue one reminder task per due enrolment (each task sends once). Returns how many were queued."""
    due = reminders_due(now=now)
    task = _task("send_reminder_task")
    for enrolment_id in due:
        task.enqueue(enrolment_id)
    return len(due)


def enrolment_send_reminder(*, enrolment_id: int) -> bool:
    """Send the reminder with the invitation once: the row stays locked while the message goes to the SMTP server
    and `reminded_at` is set in the same transaction, so a crash sends it again on the retry rather than never."""
    with transaction.atomic():
        enrolment = (
            _enrolments_for_mail()
            .select_for_update(of=("self",))
            .filter(
                pk=enrolment_id,
                status=EnrolmentStatus.ENROLLED,
                reminded_at__isnull=True,
                session__status=SessionStatus.PUBLISHED,
                session__starts_at__gt=timezone.now(),
            )
            .first()
        )
        if enrolment is None:
            return False
        _mail(enrolment, "reminder_session", ics=True)
        Enrolment.objects.filter(pk=enrolment.pk).update(reminded_at=timezone.now())
    return True


# --- E-mails (called by the tasks) ---------------------------------------------------------------------------


def _task(name: str):
    from .. import tasks_enrolments

    return getattr(tasks_enrolments, name)


def _enqueue(name: str, *args) -> None:
    transaction.on_commit(lambda: _task(name).enqueue(*args))


def _stamp(enrolment: Enrolment) -> str:
    value = {
        EnrolmentStatus.ENROLLED: enrolment.enrolled_at,
        EnrolmentStatus.WAITING: enrolment.waiting_since,
        EnrolmentStatus.CANCELLED: enrolment.cancelled_at,
        EnrolmentStatus.DECLINED: enrolment.decided_at,
    }.get(enrolment.status)
    return value.isoformat() if value else ""


def _notify_placed(enrolment: Enrolment) -> None:
    if enrolment.status == EnrolmentStatus.ENROLLED:
        _notify_seat(enrolment, promoted=False)
    else:
        _enqueue("send_enrolment_waiting_task", enrolment.pk, _stamp(enrolment))


def _notify_seat(enrolment: Enrolment, *, promoted: bool) -> None:
    _enqueue("send_enrolment_seat_task", enrolment.pk, _stamp(enrolment), promoted)


def _notify_cancelled(enrolment: Enrolment, *, had_seat: bool) -> None:
    _enqueue("send_enrolment_cancelled_task", enrolment.pk, _stamp(enrolment), had_seat)


def _enrolments_for_mail():
    return Enrolment.objects.select_related(
        "trainee", "session__version__course", "session__academy", "session__trainer"
    )


def _session_context(session: Session) -> dict:
    return {
        "session": session,
        "course_title": session.version.course.title,
        "academy_name": session.academy.name,
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "session_url": settings.SITE_URL + session.get_absolute_url(),
    }


def _mail(enrolment: Enrolment, template: str, *, ics: bool = False, cancel: bool = False, **extra) -> None:
    trainee = enrolment.trainee
    session = enrolment.session
    context = {
        **_session_context(session),
        "enrolment": enrolment,
        "first_name": trainee.first_name,
        "participant_url": participant_url(trainee),
        **extra,
    }
    message = training_email(
        template=template,
        context=context,
        to=trainee.email,
        language=trainee.language,
        ics=session_ics(session, trainee=trainee, cancel=cancel) if ics else None,
        ics_method="CANCEL" if cancel else "REQUEST",
    )
    message.send()


def _send_once(key: str, send) -> bool:
    """Run `send` unless a run with the same key already sent: the key's row is inserted in the same transaction as
    the send, so a task run twice sends once, and a failed send leaves no row and its retry sends."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                SentNotice.objects.create(key=key[:200])
        except IntegrityError:
            return False
        send()
    return True


def _current(enrolment_id: int, status: str, stamp: str) -> Enrolment | None:
    """The enrolment if it is still in the state the e-mail tells about."""
    enrolment = _enrolments_for_mail().filter(pk=enrolment_id, status=status).first()
    if enrolment is None or _stamp(enrolment) != stamp:
        return None
    return enrolment


def enrolment_send_seat(*, enrolment_id: int, stamp: str, promoted: bool = False) -> bool:
    """The confirmation of a seat, with the calendar invitation."""
    enrolment = _current(enrolment_id, EnrolmentStatus.ENROLLED, stamp)
    if enrolment is None:
        return False
    return _send_once(
        f"seat:{enrolment_id}:{stamp}",
        lambda: _mail(enrolment, "enrolment_confirmed", ics=True, promoted=promoted),
    )


def enrolment_send_waiting(*, enrolment_id: int, stamp: str) -> bool:
    """ "You are on the waiting list", with the place in it."""
    enrolment = _current(enrolment_id, EnrolmentStatus.WAITING, stamp)
    if enrolment is None:
        return False
    position = (
        Enrolment.objects.filter(session_id=enrolment.session_id, status=EnrolmentStatus.WAITING)
        .filter(
            Q(waiting_since__lt=enrolment.waiting_since) | Q(waiting_since=enrolment.waiting_since, pk__lt=enrolment.pk)
        )
        .count()
        + 1
    )
    return _send_once(
        f"waiting:{enrolment_id}:{stamp}", lambda: _mail(enrolment, "enrolment_waiting", position=position)
    )


def enrolment_send_cancelled(*, enrolment_id: int, stamp: str, had_seat: bool) -> bool:
    """The cancellation (with the calendar's CANCEL when the person held a seat)."""
    enrolment = _current(enrolment_id, EnrolmentStatus.CANCELLED, stamp)
    if enrolment is None:
        return False
    return _send_once(
        f"cancelled:{enrolment_id}:{stamp}",
        lambda: _mail(enrolment, "enrolment_cancelled", ics=had_seat, cancel=True, had_seat=had_seat),
    )


def enrolment_request_send_confirmation(*, enrolment_id: int, zone_id: int) -> bool:
    """The link confirming a participant's own request (skipped once it is no longer unconfirmed)."""
    enrolment = _enrolments_for_mail().filter(pk=enrolment_id, status=EnrolmentStatus.UNCONFIRMED).first()
    if enrolment is None:
        return False
    expires_at = timezone.localtime(timezone.now() + datetime.timedelta(hours=settings.BINPLP_TRAINING_REQUEST_HOURS))
    _mail(
        enrolment,
        "request_confirm",
        confirm_url=request_confirm_url(enrolment, zone_id=zone_id),
        expires_at=expires_at,
    )
    return True


def enrolment_request_send_already(*, enrolment_id: int) -> bool:
    """Tell someone who asked again that they are already enrolled, waiting, or waiting for their zone."""
    enrolment = (
        _enrolments_for_mail()
        .filter(
            pk=enrolment_id,
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING, EnrolmentStatus.REQUESTED],
        )
        .first()
    )
    if enrolment is None:
        return False
    _mail(enrolment, "request_already")
    return True


def enrolment_request_notify_officer(*, enrolment_id: int, user_id: int) -> bool:
    """Tell one officer of the person's zone that a confirmed request waits (skipped once decided)."""
    enrolment = _enrolments_for_mail().filter(pk=enrolment_id, status=EnrolmentStatus.REQUESTED).first()
    if enrolment is None:
        return False
    officer = zone_officer_users(enrolment.trainee.zone_id).filter(pk=user_id).first()
    if officer is None:
        return False
    context = {
        **_session_context(enrolment.session),
        "first_name": officer.first_name,
        "overview_url": settings.SITE_URL + reverse("training:zone_overview"),
    }

    def send():
        training_email(
            template="request_new", context=context, to=officer.email, language=officer.language or "nl"
        ).send()

    return _send_once(f"request-notice:{enrolment_id}:{user_id}:{enrolment.confirmed_at.isoformat()}", send)


def enrolment_request_send_declined(*, enrolment_id: int, stamp: str) -> bool:
    enrolment = _current(enrolment_id, EnrolmentStatus.DECLINED, stamp)
    if enrolment is None:
        return False
    return _send_once(
        f"declined:{enrolment_id}:{stamp}",
        lambda: _mail(enrolment, "request_declined", reason=enrolment.reason),
    )


def participant_send_link(*, trainee_id: int) -> bool:
    """A fresh link to the participant's pages."""
    trainee = Trainee.objects.filter(pk=trainee_id).first()
    if trainee is None:
        return False
    training_email(
        template="participant_link",
        context={
            "first_name": trainee.first_name,
            "participant_url": participant_url(trainee),
            "link_days": settings.BINPLP_TRAINING_LINK_DAYS,
        },
        to=trainee.email,
        language=trainee.language,
    ).send()
    return True
