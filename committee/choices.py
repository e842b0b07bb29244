"""Choices of the steering committee."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")
    EN = "en", _("English")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    CANCELLED = "cancelled", _("cancelled")


class Reply(models.TextChoices):
    YES = "yes", _("I will attend")
    NO = "no", _("I will not attend")
    MAYBE = "maybe", _("Maybe")


class ActionStatus(models.TextChoices):
    OPEN = "open", _("open")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class DocumentKind(models.TextChoices):
    PDF = "pdf", _("PDF document")
    LINK = "link", _("link")
