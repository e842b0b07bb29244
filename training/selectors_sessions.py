"""Reads of training, part "sessions": the catalogue and the academy's list, one session with its roster, the
trainers' home section. Every read starts from `Model.objects.for_user(user, action)`."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from core.roles import is_national
from core.scoping import can, get_for_user

from .choices import EnrolmentStatus, SessionStatus
from .models import Enrolment, Session
from .permissions import officer_zones, trainer_academies


def with_counts(queryset: QuerySet) -> QuerySet:
    """Sessions with `enrolled_total` and `waiting_total`."""
    return queryset.annotate(
        enrolled_total=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.ENROLLED), distinct=True),
        waiting_total=Count("enrolments", filter=Q(enrolments__status=EnrolmentStatus.WAITING), distinct=True),
    )


def sees_full_list(user) -> bool:
    """Trainers and national roles see drafts and cancelled sessions too (their academy's; national roles all)."""
    return is_national(user) or bool(trainer_academies(user))


def session_list(
    *,
    user,
    academy_id: int | None = None,
    language: str = "",
    month: datetime.date | None = None,
    past: bool = False,
) -> QuerySet:
    """Sessions still to come (or, with `past`, those that started), as far as the user sees them: the public
    catalogue (published sessions) for everyone; the academy's drafts and cancelled sessions for its trainers;
    everything for national roles."""
    now = timezone.now()
    queryset = Session.objects.for_user(user, "view").select_related("academy", "version__course", "trainer")
    queryset = queryset.filter(starts_at__lte=now) if past else queryset.filter(starts_at__gt=now)
    if academy_id:
        queryset = queryset.filter(academy_id=academy_id)
    if language:
        queryset = queryset.filter(language=language)
    if month is not None:
        tz = timezone.get_current_timezone()
        first = month.replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        queryset = queryset.filter(
            starts_at__gte=datetime.datetime.combine(first, datetime.time.min, tzinfo=tz),
            starts_at__lt=datetime.datetime.combine(following, datetime.time.min, tzinfo=tz),
        )
    ordering = ("-starts_at", "-pk") if past else ("starts_at", "pk")
    return with_counts(queryset).order_by(*ordering)


def session_get(*, user, pk: int, action: str = "view") -> Session:
    return get_for_user(
        with_counts(Session.objects.select_related("academy", "version__course", "trainer")), user, action, pk=pk
    )


def session_roster(*, user, session: Session) -> dict | None:
    """The enrolments of `session` the user may see, by status: enrolled, waiting (in order) and requests; None when
    the user sees none (the public part of the page only)."""
    if not (can(user, "record", session) or is_national(user) or officer_zones(user)):
        return None
    rows = list(
        Enrolment.objects.for_user(user, "view")
        .filter(session=session)
        .select_related("trainee__zone")
        .order_by("trainee__last_name", "trainee__first_name", "pk")
    )
    if not rows and not (can(user, "record", session) or is_national(user)):
        return None
    return {
        "enrolled": [e for e in rows if e.status == EnrolmentStatus.ENROLLED],
        "waiting": sorted(
            (e for e in rows if e.status == EnrolmentStatus.WAITING),
            key=lambda e: (e.waiting_since or e.created_at, e.pk),
        ),
        "requests": [e for e in rows if e.status in (EnrolmentStatus.REQUESTED, EnrolmentStatus.UNCONFIRMED)],
        "ended": [e for e in rows if e.status in (EnrolmentStatus.CANCELLED, EnrolmentStatus.DECLINED)],
    }


def trainer_home(*, user, today: datetime.date | None = None, limit: int = 5) -> dict:
    """The trainer's home section: their academies' next sessions with seats filled, and sessions to close."""
    now = timezone.now()
    academies = trainer_academies(user)
    base = with_counts(
        Session.objects.for_user(user, "change").filter(academy_id__in=academies).select_related("academy")
    )
    upcoming = list(
        base.filter(status__in=(SessionStatus.DRAFT, SessionStatus.PUBLISHED), starts_at__gt=now).order_by(
            "starts_at", "pk"
        )[:limit]
    )
    to_close = list(base.filter(status=SessionStatus.PUBLISHED, ends_at__lte=now).order_by("starts_at", "pk")[:limit])
    return {"upcoming": upcoming, "to_close": to_close}
