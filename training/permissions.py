"""Who sees and does what in training.

- The course (versions, modules, materials, evaluation questions): every signed-in staff role reads it (national
  roles, officers, municipal officials, trainers, coordinators); the Knowledge Centre changes it.
- Sessions: published and closed ones are in the public catalogue (anyone, dates and places only); drafts and
  cancelled ones only for their academy's trainers and the national roles. Trainers change the sessions of their
  own academy ("change": edit, publish, cancel; "record": attendance, results, close).
- Trainees and enrolments name police staff: seen by the officers of the trainee's zone, by the trainers of the
  academy of the session (for enrolments; for trainees, the academies where they are enrolled), and by ADVP and the
  Knowledge Centre (coverage is their job). The zone's officers enrol, approve, decline and cancel ("change"); the
  academy's trainers manage the list too ("manage": enrol, cancel, move from the waiting list) and record results.
- Certificates: as enrolments; anyone verifies one by its code (`training.services.certificates.certificate_lookup`),
  which shows only the name, the course and the date.
- Evaluations: only the academy's trainers and the national roles, and only as averages and anonymous comments.
"""

from __future__ import annotations

from django.db.models import Q

from core.roles import Role, has_role, is_national, scope_ids
from core.scoping import scope_rule

from .choices import SessionStatus
from .models import (
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    EvaluationQuestion,
    EvaluationResponse,
    Material,
    Module,
    Session,
    Trainee,
)

STAFF_ROLES = (
    Role.ADVP,
    Role.KNOWLEDGE_CENTRE,
    Role.ZONE_OFFICER,
    Role.MUNICIPAL_OFFICIAL,
    Role.TRAINER,
    Role.COORDINATOR,
)
PUBLIC_SESSION_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.CLOSED)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def is_staff_reader(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def can_edit_course(user) -> bool:
    return has_role(user, Role.KNOWLEDGE_CENTRE)


def trainer_academies(user) -> list[int]:
    return sorted(scope_ids(user, Role.TRAINER))


def officer_zones(user) -> list[int]:
    return sorted(scope_ids(user, Role.ZONE_OFFICER))


def can_plan_sessions(user) -> bool:
    return bool(trainer_academies(user))


def can_enrol_staff(user) -> bool:
    """Zone officers enrol their zone's staff."""
    return bool(officer_zones(user))


def can_see_coverage(user) -> bool:
    return is_national(user) or bool(officer_zones(user))


def can_see_statistics(user) -> bool:
    return is_national(user) or bool(trainer_academies(user))


def can_edit_policy(user) -> bool:
    return has_role(user, Role.ADVP)


def _or(conditions: list[Q]) -> Q | None:
    conditions = [c for c in conditions if c is not None]
    if not conditions:
        return None
    result = conditions[0]
    for condition in conditions[1:]:
        result |= condition
    return result


def _course_rule(user, action: str) -> Q | None:
    if action == "view":
        return Q() if is_staff_reader(user) else None
    if action == "change":
        return Q() if can_edit_course(user) else None
    return None


for _model in (Course, CourseVersion, Module, Material, EvaluationQuestion):
    scope_rule(_model)(_course_rule)


@scope_rule(Session)
def session_rule(user, action: str) -> Q | None:
    academies = trainer_academies(user) if _authenticated(user) else []
    if action == "view":
        if is_national(user):
            return Q()
        conditions = [Q(status__in=PUBLIC_SESSION_STATUSES)]
        if academies:
            conditions.append(Q(academy_id__in=academies))
        return _or(conditions)
    if action in ("change", "record", "manage"):
        return Q(academy_id__in=academies) if academies else None
    return None


def enrolment_condition(user, prefix: str = "") -> Q | None:
    """Enrolments `user` may see: their zones' staff, their academies' sessions, everything for national roles."""
    if not _authenticated(user):
        return None
    if is_national(user):
        return Q()
    conditions = []
    zones = officer_zones(user)
    if zones:
        conditions.append(Q(**{f"{prefix}trainee__zone_id__in": zones}))
    academies = trainer_academies(user)
    if academies:
        conditions.append(Q(**{f"{prefix}session__academy_id__in": academies}))
    return _or(conditions)


@scope_rule(Enrolment)
def enrolment_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    if action == "view":
        return enrolment_condition(user)
    zones = officer_zones(user)
    academies = trainer_academies(user)
    if action == "change":  # the zone: approve, decline, cancel
        return Q(trainee__zone_id__in=zones) if zones else None
    if action in ("manage", "record"):  # the academy: the list, the waiting list, attendance and results
        return Q(session__academy_id__in=academies) if academies else None
    return None


@scope_rule(Trainee)
def trainee_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    zones = officer_zones(user)
    if action == "view":
        if is_national(user):
            return Q()
        conditions = [Q(user=user)]
        if zones:
            conditions.append(Q(zone_id__in=zones))
        academies = trainer_academies(user)
        if academies:
            conditions.append(
                Q(pk__in=Enrolment.objects.filter(session__academy_id__in=academies).values("trainee_id"))
            )
        return _or(conditions)
    if action == "change":
        return Q(zone_id__in=zones) if zones else None
    return None


@scope_rule(Certificate)
def certificate_rule(user, action: str) -> Q | None:
    if not _authenticated(user):
        return None
    if action == "view":
        own = Q(enrolment__trainee__user=user)
        condition = enrolment_condition(user, "enrolment__")
        if condition == Q():  # everything (national roles): `own | Q()` would narrow it back to `own`
            return Q()
        return own if condition is None else own | condition
    if action == "change":  # revoke
        if has_role(user, Role.KNOWLEDGE_CENTRE):
            return Q()
        academies = trainer_academies(user)
        return Q(enrolment__session__academy_id__in=academies) if academies else None
    return None


@scope_rule(EvaluationResponse)
def evaluation_rule(user, action: str) -> Q | None:
    if action != "view" or not _authenticated(user):
        return None
    if is_national(user):
        return Q()
    academies = trainer_academies(user)
    return Q(enrolment__session__academy_id__in=academies) if academies else None
