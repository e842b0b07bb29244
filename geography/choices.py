from django.db import models
from django.utils.translation import gettext_lazy as _


class LanguageRegime(models.TextChoices):
    """The language of official letters to a municipality or zone."""

    NL = "nl", _("Dutch")
    FR = "fr", _("French")
    DE = "de", _("German")
    NL_FR = "nl+fr", _("Dutch and French (bilingual)")


class ZoneCodeStatus(models.TextChoices):
    SOURCE_2013 = "2013-source", _("from the 2013 police platform data")
    VERIFIED = "verified", _("verified by a second source")
    INFERRED = "inferred", _("inferred, not confirmed")
    UNKNOWN = "unknown", _("unknown")
    CONFIRMED = "confirmed", _("confirmed by ADVP")


class AcademyKind(models.TextChoices):
    FEDERAL = "federal", _("federal")
    PROVINCIAL = "provincial", _("provincial")
    REGIONAL = "regional", _("regional")
