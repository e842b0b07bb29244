"""Reads of part "enrol": a zone's staff (its networks' mandated officers first, then its other trainees) with their
certificate status and current enrolments, the requests waiting for the zone, a participant's own sessions and
certificates. Everything starts from `for_user` (or from the trainee a signed link names)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from geography.models import PoliceZone
from networks.choices import NetworkStatus, PartnerRole
from networks.models import Partner

from .choices import ACTIVE_STATUSES, EnrolmentStatus, SessionStatus
from .models import Certificate, Enrolment, Session, Trainee
from .permissions import officer_zones, trainer_academies

ENDED_NETWORK_STATUSES = (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)
CURRENT_ENROLMENT_STATUSES = (EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


# --- Predicates ----------------------------------------------------------------------------------------------


def can_enrol_in_session(user, session: Session) -> bool:
    """Zone officers enrol their staff in any published session; trainers enrol in their academy's sessions."""
    return bool(officer_zones(user)) or session.academy_id in trainer_academies(user)


def officer_zone_list(user) -> list[PoliceZone]:
    return list(PoliceZone.objects.filter(pk__in=officer_zones(user)).order_by("name"))


def chosen_zone(user, value) -> PoliceZone | None:
    """The officer's zone named by `value` (a zone id), else their first zone; None for someone without one."""
    zones = officer_zone_list(user)
    if not zones:
        return None
    for zone in zones:
        if str(zone.pk) == str(value):
            return zone
    return zones[0]


# --- Certificates --------------------------------------------------------------------------------------------


@dataclass
class CertificateStatus:
    """ "valid" (until `valid_until`, or without end), "expired" (since `valid_until`) or "none"."""

    state: str
    valid_until: datetime.date | None = None
    certificate: Certificate | None = None


def certificate_status(certificates: list[Certificate], day: datetime.date | None = None) -> CertificateStatus:
    day = day or timezone.localdate()
    live = [c for c in certificates if c.revoked_at is None]
    valid = [c for c in live if c.is_valid_on(day)]
    if valid:
        best = max(valid, key=lambda c: (c.valid_until is None, c.valid_until or datetime.date.min))
        return CertificateStatus("valid", best.valid_until, best)
    if live:
        latest = max(live, key=lambda c: c.valid_until or datetime.date.min)
        return CertificateStatus("expired", latest.valid_until, latest)
    return CertificateStatus("none")


# --- A zone's staff ------------------------------------------------------------------------------------------


@dataclass
class StaffRow:
    """One person of the zone's staff: a trainee, a mandated officer, or both (matched by account, else e-mail)."""

    name: str
    email: str
    trainee: Trainee | None = None
    partner: Partner | None = None
    networks: list = field(default_factory=list)
    certificate: CertificateStatus = field(default_factory=lambda: CertificateStatus("none"))
    enrolments: list = field(default_factory=list)

    @property
    def is_officer(self) -> bool:
        return bool(self.networks)

    @property
    def key(self) -> str:
        if self.trainee is not None:
            return f"trainee-{self.trainee.pk}"
        return f"partner-{self.partner.pk}"


def zone_mandated_officers(zone_ids) -> QuerySet[Partner]:
    """Active mandated officers of the networks of these zones (networks not dissolved or merged)."""
    today = timezone.localdate()
    return (
        Partner.objects.filter(
            role=PartnerRole.MANDATED_OFFICER,
            network__zone_id__in=list(zone_ids),
            active_from__lte=today,
        )
        .filter(Q(active_to__isnull=True) | Q(active_to__gt=today))
        .exclude(network__status__in=ENDED_NETWORK_STATUSES)
        .select_related("user", "network")
        .order_by("last_name", "first_name", "network__name", "pk")
    )


def _current_enrolments_prefetch() -> Prefetch:
    return Prefetch(
        "enrolments",
        queryset=Enrolment.objects.filter(status__in=CURRENT_ENROLMENT_STATUSES, session__starts_at__gt=timezone.now())
        .exclude(session__status=SessionStatus.CANCELLED)
        .select_related("session__academy", "session__version__course")
        .order_by("session__starts_at"),
        to_attr="current_enrolments",
    )


def zone_staff(*, user, zone: PoliceZone) -> list[StaffRow]:
    """The zone's staff for its officer: the mandated officers of the zone's networks first (each with the networks
    they are officer of), then the zone's other trainees, each with their certificate status and current
    enrolments. A constant number of queries."""
    trainees = list(
        Trainee.objects.for_user(user, "change")
        .filter(zone=zone)
        .select_related("user")
        .prefetch_related(
            _current_enrolments_prefetch(),
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.filter(certificate__isnull=False).select_related("certificate"),
                to_attr="certified_enrolments",
            ),
        )
        .order_by("last_name", "first_name", "pk")
    )
    by_user = {t.user_id: t for t in trainees if t.user_id}
    by_email = {t.email.lower(): t for t in trainees}
    # Officers on the zone's networks might be trainees recorded elsewhere (e.g. before a move): look them up too.
    officers = list(zone_mandated_officers([zone.pk])) if zone.pk in officer_zones(user) else []
    rows: dict[str, StaffRow] = {}
    for partner in officers:
        trainee = (by_user.get(partner.user_id) if partner.user_id else None) or by_email.get(
            partner.contact_email.lower()
        )
        key = (
            f"trainee-{trainee.pk}"
            if trainee
            else f"user-{partner.user_id}"
            if partner.user_id
            else (f"email-{partner.contact_email.lower()}" if partner.contact_email else f"partner-{partner.pk}")
        )
        row = rows.get(key)
        if row is None:
            row = StaffRow(name=partner.display_name, email=partner.contact_email, trainee=trainee, partner=partner)
            rows[key] = row
        row.networks.append(partner.network)
    officer_rows = sorted(rows.values(), key=lambda r: r.name.lower())
    matched = {row.trainee.pk for row in officer_rows if row.trainee is not None}
    other_rows = [StaffRow(name=t.full_name, email=t.email, trainee=t) for t in trainees if t.pk not in matched]
    for row in officer_rows + other_rows:
        if row.trainee is not None:
            row.name = row.trainee.full_name or row.name
            row.certificate = certificate_status([e.certificate for e in row.trainee.certified_enrolments])
            row.enrolments = row.trainee.current_enrolments
    return officer_rows + other_rows


def zone_requests(*, user, zone: PoliceZone) -> QuerySet[Enrolment]:
    """Confirmed requests of the zone's staff waiting for the zone's approval, oldest first."""
    return (
        Enrolment.objects.for_user(user, "change")
        .filter(trainee__zone=zone, status=EnrolmentStatus.REQUESTED)
        .select_related("trainee", "session__academy", "session__version__course")
        .order_by("confirmed_at", "pk")
    )


def zone_enrolments(*, user, zone: PoliceZone) -> QuerySet[Enrolment]:
    """The zone's staff's enrolments and places on waiting lists in sessions still to come."""
    return (
        Enrolment.objects.for_user(user, "change")
        .filter(
            trainee__zone=zone,
            status__in=[EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING],
            session__status=SessionStatus.PUBLISHED,
            session__starts_at__gt=timezone.now(),
        )
        .select_related("trainee", "session__academy", "session__version__course")
        .order_by("session__starts_at", "trainee__last_name", "trainee__first_name", "pk")
    )


def officers_not_trained_count(*, user, zone: PoliceZone) -> int:
    return sum(1 for row in zone_staff(user=user, zone=zone) if row.is_officer and row.certificate.state != "valid")


def session_enrolment_statuses(session: Session, trainee_ids) -> dict[int, str]:
    """{trainee id: status} of the active enrolments of these trainees in `session`."""
    return dict(
        Enrolment.objects.filter(
            session=session, trainee_id__in=list(trainee_ids), status__in=ACTIVE_STATUSES
        ).values_list("trainee_id", "status")
    )


def session_seat_counts(session: Session) -> dict[str, int]:
    enrolled = Enrolment.objects.filter(session=session, status=EnrolmentStatus.ENROLLED).count()
    waiting = Enrolment.objects.filter(session=session, status=EnrolmentStatus.WAITING).count()
    return {"enrolled": enrolled, "waiting": waiting, "free": max(session.capacity - enrolled, 0)}


def open_session(pk: int) -> Session | None:
    return (
        Session.objects.select_related("academy", "version__course")
        .filter(pk=pk, status=SessionStatus.PUBLISHED, starts_at__gt=timezone.now())
        .first()
    )


# --- A participant's own pages -------------------------------------------------------------------------------


def participant_enrolments(trainee: Trainee) -> dict[str, list[Enrolment]]:
    """The trainee's sessions: upcoming ones (enrolled, waiting, requested) and past ones (with attendance and
    result), plus their certificates."""
    now = timezone.now()
    enrolments = list(
        Enrolment.objects.filter(trainee=trainee)
        .exclude(status__in=[EnrolmentStatus.UNCONFIRMED])
        .select_related("session__academy", "session__version__course", "certificate", "evaluation")
        .order_by("session__starts_at", "pk")
    )
    upcoming = [
        e
        for e in enrolments
        if e.session.starts_at > now
        and e.status in CURRENT_ENROLMENT_STATUSES
        and e.session.status == SessionStatus.PUBLISHED
    ]
    past = [e for e in enrolments if e.session.starts_at <= now and e.status == EnrolmentStatus.ENROLLED]
    certificates = [e.certificate for e in enrolments if hasattr(e, "certificate")]
    return {"upcoming": upcoming, "past": list(reversed(past)), "certificates": certificates, "all": enrolments}


def participant_enrolment(trainee: Trainee, pk: int) -> Enrolment | None:
    return (
        Enrolment.objects.filter(trainee=trainee, pk=pk)
        .select_related("session__academy", "session__version__course", "trainee")
        .first()
    )


def participant_certificate(trainee: Trainee, pk: int) -> Certificate | None:
    return (
        Certificate.objects.filter(enrolment__trainee=trainee, pk=pk, revoked_at__isnull=True)
        .select_related("enrolment__session__version__course", "enrolment__trainee")
        .first()
    )
