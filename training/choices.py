"""Choices of the training app: the BIN course, its sessions at the police academies, enrolments and results."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CourseLanguage(models.TextChoices):
    """Languages a session is given in (the academies teach in Dutch, French or German)."""

    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("course version status", "draft")
    CURRENT = "current", pgettext_lazy("course version status", "current")
    RETIRED = "retired", pgettext_lazy("course version status", "retired")


class QuestionKind(models.TextChoices):
    SCALE = "scale", _("score from 1 to 5")
    TEXT = "text", _("free text")


class SessionStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("session status", "draft")
    PUBLISHED = "published", pgettext_lazy("session status", "published")
    CLOSED = "closed", pgettext_lazy("session status", "closed")
    CANCELLED = "cancelled", pgettext_lazy("session status", "cancelled")


class EnrolmentStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("request not yet confirmed by e-mail")
    REQUESTED = "requested", _("waiting for the zone's approval")
    ENROLLED = "enrolled", pgettext_lazy("enrolment status", "enrolled")
    WAITING = "waiting", _("on the waiting list")
    DECLINED = "declined", pgettext_lazy("enrolment status", "declined")
    CANCELLED = "cancelled", pgettext_lazy("enrolment status", "cancelled")


# Enrolments that hold (or wait for) a seat; only these count against capacity or stand in the queue.
SEAT_STATUSES = frozenset({EnrolmentStatus.ENROLLED})
ACTIVE_STATUSES = frozenset(
    {EnrolmentStatus.UNCONFIRMED, EnrolmentStatus.REQUESTED, EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING}
)


class EnrolmentSource(models.TextChoices):
    ZONE = "zone", _("enrolled by the zone")
    SELF = "self", _("asked by the participant")
    ACADEMY = "academy", _("enrolled by the academy")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("attended")
    ABSENT = "absent", _("absent")


class Result(models.TextChoices):
    PASSED = "passed", _("passed")
    FAILED = "failed", _("not passed")
