"""Choices of the members app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PRIVACY_NOTICE = "privacy_notice", _("privacy notice")
    INTERNAL_RULES = "internal_rules", _("internal rules")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    LEFT = "left", _("left")
    REMOVED = "removed", _("removed")
    ERASED = "erased", _("erased")  # the person asked to be erased: the row stays for counts, without anyone in it


# Memberships that count as "a member today" and receive messages (suspended members do not receive).
CURRENT_STATUSES = frozenset({MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED})
ENDED_STATUSES = frozenset({MembershipStatus.LEFT, MembershipStatus.REMOVED, MembershipStatus.ERASED})


class JoinRequestStatus(models.TextChoices):
    UNCONFIRMED = "unconfirmed", _("waiting for e-mail confirmation")
    PENDING = "pending", _("waiting for the coordinator")
    APPROVED = "approved", _("approved")
    DECLINED = "declined", _("declined")
    WITHDRAWN = "withdrawn", _("withdrawn")


OPEN_REQUEST_STATUSES = frozenset({JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING})


class JoinSource(models.TextChoices):
    PUBLIC = "public", _("public join form")
    IN_PERSON = "in_person", _("added in person by the coordinator or police")


class ConsentSource(models.TextChoices):
    JOIN = "join", _("when joining")
    PORTAL = "portal", _("in the member portal")
