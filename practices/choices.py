"""Choices of the good practices library."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PracticeStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    CHANGES_REQUESTED = "changes_requested", _("changes requested")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")


# The author may edit in these; the Knowledge Centre moderates the submitted ones.
EDITABLE_STATUSES = frozenset({PracticeStatus.DRAFT, PracticeStatus.CHANGES_REQUESTED})


class EvidenceLevel(models.TextChoices):
    ANECDOTAL = "anecdotal", _("anecdotal: experience of those involved")
    MONITORED = "monitored", _("monitored: figures were kept before and after")
    EVALUATED = "evaluated", _("evaluated: an evaluation compared results")


class Theme(models.TextChoices):
    BURGLARY = "burglary", _("burglary")
    SCAMS = "scams", _("scams and fraud")
    VEHICLE_CRIME = "vehicle_crime", _("vehicle crime")
    RECRUITMENT = "recruitment", _("recruiting members")
    COMMUNICATION = "communication", _("communication")
    MUNICIPALITY = "municipality", _("cooperation with the municipality")
    POLICE = "police", _("cooperation with the police")
    BIN_Z = "bin_z", _("BIN-Z: self-employed networks")
    ELDERLY = "elderly", _("older residents")
    YOUTH = "youth", _("young people")
    EVENTS = "events", _("events and meetings")
    DIGITAL = "digital", _("digital tools")
    EVALUATION = "evaluation", _("evaluation")


class Facet(models.TextChoices):
    """Multi-valued facets of a practice, stored one row per value (practices.PracticeTag) so that they can be
    filtered and counted with one GROUP BY."""

    THEME = "theme", _("theme")
    KIND = "kind", _("kind of network")


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("comment")
    CHANGE_REQUEST = "change_request", _("change requested")
    PUBLISHED = "published", _("published")
    ARCHIVED = "archived", _("archived")
    SUBMITTED = "submitted", _("submitted")


class AttachmentKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    IMAGE = "image", _("image")
