"""Belgian reference geography: regions, provinces, municipalities, postal codes, police zones and
police academies.

Municipalities and police zones are time-versioned: each row has the dates it is valid for, and
mergers link a new row to its predecessors instead of overwriting, so a network stays linked to the
zone and municipality that were valid at a given date. Which municipalities form a zone is itself
versioned in `ZoneMembership`.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager, ScopedQuerySet

from .choices import AcademyKind, LanguageRegime, ZoneCodeStatus


class MultilingualName(models.Model):
    """Names in Dutch, French and German; `name` picks the reader's language."""

    name_nl = models.CharField(_("name (Dutch)"), max_length=120)
    name_fr = models.CharField(_("name (French)"), max_length=120)
    name_de = models.CharField(_("name (German)"), max_length=120, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (get_language() or "nl")[:2]
        if language == "fr":
            return self.name_fr or self.name_nl
        if language == "de":
            # Without a German name, the name in the place's own language (Namur, not Namen).
            local = self.name_fr if getattr(self, "language", None) == "fr" else self.name_nl
            return self.name_de or local or self.name_fr
        if language == "en":
            return self.name_nl if self.name_nl == self.name_fr else f"{self.name_nl} / {self.name_fr}"
        return self.name_nl or self.name_fr


class Region(MultilingualName):
    """One of the three regions (gewest / région), REFNIS code 02000, 03000 or 04000."""

    refnis = models.CharField(_("REFNIS code"), max_length=5, unique=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["refnis"]


class Province(MultilingualName):
    """One of the ten provinces. Brussels-Capital has none: its municipalities hang on the region."""

    refnis = models.CharField(_("REFNIS code"), max_length=5, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["refnis"]

    def get_absolute_url(self) -> str:
        return reverse("geography:municipality_list") + f"?province={self.pk}"


class ValidityQuerySetMixin:
    def valid_on(self, day: datetime.date):
        """Rows valid on `day`: started on or before it (or start unknown) and not yet ended."""
        return (
            self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day))
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=day))
            .exclude(valid_to__isnull=True, is_current=False)
        )

    def current(self):
        return self.filter(is_current=True)


class Validity(models.Model):
    """Validity dates. `valid_to` is the first day a row is no longer valid. Historical rows whose end
    date the sources do not give have `is_current=False` and no `valid_to`."""

    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    is_current = models.BooleanField(_("current"), default=True, db_index=True)

    class Meta:
        abstract = True


class MunicipalityQuerySet(ValidityQuerySetMixin, ScopedQuerySet):
    pass


class MunicipalityManager(models.Manager.from_queryset(MunicipalityQuerySet)):
    pass


class Municipality(MultilingualName, Validity):
    """A municipality (gemeente / commune / Gemeinde), identified by its REFNIS code (565 since 2025)."""

    refnis = models.CharField(_("REFNIS code"), max_length=5)
    province = models.ForeignKey(
        Province,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="municipalities",
        verbose_name=_("province"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("region")
    )
    language = models.CharField(_("language of official letters"), max_length=5, choices=LanguageRegime.choices)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("merged from")
    )

    objects = MunicipalityManager()

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name_nl"]
        constraints = [
            models.UniqueConstraint(
                fields=["refnis"],
                condition=Q(is_current=True),
                name="unique_current_municipality_refnis",
                violation_error_message=_("Another current municipality has this REFNIS code."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="municipality_valid_period",
                violation_error_message=_("The end of validity must come after its start."),
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("geography:municipality_detail", args=[self.pk])

    @property
    def letter_languages(self) -> list[str]:
        """The languages official letters to this municipality are written in, in order."""
        return self.language.split("+")

    def current_zone(self) -> PoliceZone | None:
        membership = self.zone_memberships.filter(valid_to__isnull=True).select_related("zone").first()
        return membership.zone if membership else None


class PostalCode(models.Model):
    """A postal code and the municipality it serves; one code may serve several municipalities."""

    code = models.CharField(_("postal code"), max_length=4, db_index=True)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="postal_codes", verbose_name=_("municipality")
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("postal code")
        verbose_name_plural = _("postal codes")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["code", "municipality"], name="unique_postal_code_municipality"),
            models.CheckConstraint(
                condition=Q(code__regex=r"^[1-9][0-9]{3}$"),
                name="postal_code_four_digits",
                violation_error_message=_("A Belgian postal code has four digits."),
            ),
        ]

    def __str__(self) -> str:
        return self.code


class PoliceZoneQuerySet(ValidityQuerySetMixin, ScopedQuerySet):
    pass


class PoliceZoneManager(models.Manager.from_queryset(PoliceZoneQuerySet)):
    pass


class PoliceZone(Validity):
    """A local police zone (politiezone / zone de police / Polizeizone), numbered 5267–5913.

    Some merged zones have no known official code yet (`code` empty, `code_status` unknown) or an
    inferred one; ADVP can correct them. A merger ends the old zones and links the new one to them.
    """

    code = models.PositiveIntegerField(_("zone code"), null=True, blank=True)
    code_status = models.CharField(_("status of the code"), max_length=16, choices=ZoneCodeStatus.choices)
    name = models.CharField(_("name"), max_length=120)
    official_name_2013 = models.CharField(_("official name (2013)"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=LanguageRegime.choices)
    predecessors = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="successors", verbose_name=_("merged from")
    )
    note = models.TextField(_("note"), blank=True)
    municipalities = models.ManyToManyField(
        Municipality, through="ZoneMembership", related_name="police_zones", verbose_name=_("municipalities")
    )

    objects = PoliceZoneManager()

    class Meta:
        verbose_name = _("police zone")
        verbose_name_plural = _("police zones")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(is_current=True, code__isnull=False),
                name="unique_current_zone_code",
                violation_error_message=_("Another current police zone has this code."),
            ),
            models.CheckConstraint(
                condition=Q(code__isnull=True) | Q(code__gte=5000, code__lte=5999),
                name="zone_code_range",
                violation_error_message=_("A police zone code is a number from 5000 to 5999."),
            ),
            models.CheckConstraint(
                condition=~Q(code_status="unknown") | Q(code__isnull=True),
                name="zone_code_unknown_has_no_code",
                violation_error_message=_("A zone whose code is unknown cannot have a code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}" if self.code else self.name

    def get_absolute_url(self) -> str:
        return reverse("geography:zone_detail", args=[self.pk])

    @property
    def code_is_uncertain(self) -> bool:
        return self.code_status in (ZoneCodeStatus.INFERRED, ZoneCodeStatus.UNKNOWN)


class ZoneMembership(models.Model):
    """That a municipality belongs to a police zone from one date to another (`valid_to` empty: today)."""

    zone = models.ForeignKey(
        PoliceZone, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("police zone")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="zone_memberships", verbose_name=_("municipality")
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("zone membership")
        verbose_name_plural = _("zone memberships")
        constraints = [
            # A municipality belongs to exactly one current zone: enforced by the database.
            models.UniqueConstraint(
                fields=["municipality"],
                condition=Q(valid_to__isnull=True),
                name="one_current_zone_per_municipality",
                violation_error_message=_("This municipality already belongs to a current police zone."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} → {self.zone}"


class Boundary(models.Model):
    """Abstract holder of a GeoJSON geometry (WGS84), kept apart so lists never load polygons."""

    geometry = models.JSONField(_("boundary (GeoJSON)"))

    class Meta:
        abstract = True


class MunicipalityBoundary(Boundary):
    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="boundary")

    class Meta:
        verbose_name = _("municipality boundary")
        verbose_name_plural = _("municipality boundaries")

    def __str__(self) -> str:
        return str(self.municipality)


class PoliceZoneBoundary(Boundary):
    zone = models.OneToOneField(PoliceZone, on_delete=models.CASCADE, related_name="boundary")

    class Meta:
        verbose_name = _("police zone boundary")
        verbose_name_plural = _("police zone boundaries")

    def __str__(self) -> str:
        return str(self.zone)


class Academy(models.Model):
    """A police academy or school where the BIN course can be given (about ten in Belgium)."""

    code = models.SlugField(_("short name"), max_length=20, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AcademyKind.choices)
    province = models.ForeignKey(
        Province, null=True, blank=True, on_delete=models.PROTECT, related_name="academies", verbose_name=_("province")
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="academies", verbose_name=_("region"))
    city = models.CharField(_("seat"), max_length=120)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("police academy")
        verbose_name_plural = _("police academies")
        ordering = ["code"]

    name = MultilingualName.name

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("geography:academy_detail", args=[self.pk])
