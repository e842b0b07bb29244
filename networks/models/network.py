"""Networks, their area and their partners.

A *network* is a buurtinformatienetwerk (BIN, Dutch) / partenariat local de prévention (PLP, French) /
Nachbarschaftsinformationsnetzwerk: a formal partnership between citizens or self-employed people of
an area, the local police and the municipality, laid down in a *charter* (see charter.py).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager

from ..choices import (
    COORDINATOR_ROLES,
    NetworkKind,
    NetworkSector,
    NetworkStatus,
    PartnerRole,
    ScreeningResult,
    StreetParity,
)

postal_code_validator = RegexValidator(r"^[1-9][0-9]{3}$", _("A Belgian postal code has four digits."))


class Network(models.Model):
    """A BIN / PLP: residential (BIN / PLP), of self-employed people (BIN-Z / PLP-I, *zelfstandigen* /
    *indépendants*) or of one sector (sector-BIN / PLP sectoriel: pharmacies, jewellers, the port, …).

    Its stable `code` is "BIN-<REFNIS of the main municipality>-<n>", generated when it is created and
    kept across re-imports. The main `municipality` decides the language of official letters; the
    `zone` is the police zone of the main municipality at creation."""

    code = models.CharField(_("code"), max_length=24, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=NetworkKind.choices, default=NetworkKind.RESIDENTIAL)
    sector = models.CharField(_("sector"), max_length=16, choices=NetworkSector.choices, blank=True)
    local_label = models.CharField(
        _("local label"), max_length=80, blank=True, help_text=_("The name used locally, e.g. BuurtWhatsApp.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=NetworkStatus.choices, default=NetworkStatus.IN_PREPARATION
    )
    merged_into = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )
    municipality = models.ForeignKey(
        "geography.Municipality",
        on_delete=models.PROTECT,
        related_name="main_networks",
        verbose_name=_("main municipality"),
    )
    municipalities = models.ManyToManyField(
        "geography.Municipality", related_name="networks", verbose_name=_("municipalities covered")
    )
    zone = models.ForeignKey(
        "geography.PoliceZone", on_delete=models.PROTECT, related_name="networks", verbose_name=_("police zone")
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    public_description = models.TextField(_("public description"), blank=True)
    public_email = models.EmailField(_("public e-mail address"), blank=True)
    public_phone = models.CharField(_("public telephone"), max_length=32, blank=True)
    area_polygon = models.JSONField(_("area (GeoJSON polygon)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["name", "code"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "municipality",
                name="unique_network_name_per_municipality",
                violation_error_message=_("Another network of this municipality already has this name."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=NetworkKind.SECTORAL) & ~Q(sector=""))
                | (~Q(kind=NetworkKind.SECTORAL) & Q(sector="")),
                name="network_sector_iff_sectoral",
                violation_error_message=_("A sectoral network needs a sector; other kinds have none."),
            ),
            models.CheckConstraint(
                condition=(Q(status=NetworkStatus.MERGED) & Q(merged_into__isnull=False))
                | (~Q(status=NetworkStatus.MERGED) & Q(merged_into__isnull=True)),
                name="network_merged_into_iff_merged",
                violation_error_message=_("A merged network must name the network it merged into."),
            ),
        ]
        indexes = [
            models.Index(fields=["status"], name="network_status_idx"),
            models.Index(fields=["kind"], name="network_kind_idx"),
            models.Index(fields=["founded_on"], name="network_founded_idx"),
            models.Index(fields=["zone", "status"], name="network_zone_status_idx"),
            models.Index(fields=["municipality", "status"], name="network_muni_status_idx"),
            # The lists' default order: a page of 50 walks this index instead of sorting every matching network.
            models.Index(fields=["name", "code"], name="network_name_code_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("networks:network_detail", args=[self.code])

    @property
    def is_final(self) -> bool:
        return self.status in (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)

    @property
    def kind_label(self) -> str:
        """The kind, or the sector for a sectoral network."""
        if self.kind == NetworkKind.SECTORAL and self.sector:
            return f"{self.get_kind_display()} – {self.get_sector_display()}"
        return str(self.get_kind_display())


class NetworkStatusChange(models.Model):
    """One step in a network's life cycle (in preparation → charter submitted → active → dormant →
    dissolved or merged), with its date and reason: what today's register does not know."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("network")
    )
    from_status = models.CharField(_("from"), max_length=20, choices=NetworkStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=NetworkStatus.choices)
    on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    # When ADVP was e-mailed about this change (dissolutions and mergers): the notification is sent once.
    advp_notified_at = models.DateTimeField(_("ADVP notified"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(to_status__in=["dormant", "dissolved", "merged"]) | ~Q(reason=""),
                name="status_change_reason_required",
                violation_error_message=_("A reason is required when a network becomes dormant, dissolves or merges."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.network.code}: {self.from_status} → {self.to_status} ({self.on})"


class AreaStreet(models.Model):
    """A street (or part of it, by house numbers) in a network's area. Streets are per postal code,
    as written by the network; `street_normalised` (lower case, accents stripped) finds and dedupes."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="streets", verbose_name=_("network"))
    postal_code = models.CharField(_("postal code"), max_length=4, validators=[postal_code_validator])
    street = models.CharField(_("street"), max_length=120)
    street_normalised = models.CharField(_("street (normalised)"), max_length=120, db_index=True, editable=False)
    number_from = models.PositiveIntegerField(
        _("from number"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    number_to = models.PositiveIntegerField(_("to number"), null=True, blank=True, validators=[MinValueValidator(1)])
    parity = models.CharField(_("numbers"), max_length=4, choices=StreetParity.choices, default=StreetParity.ALL)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("street of the area")
        verbose_name_plural = _("streets of the area")
        ordering = ["postal_code", "street_normalised", "number_from"]
        constraints = [
            # Empty house numbers count as equal ("the whole street"); an expression index does that on both
            # SQLite and PostgreSQL, where NULLS NOT DISTINCT would only work on PostgreSQL 15+.
            models.UniqueConstraint(
                "network",
                "postal_code",
                "street_normalised",
                Coalesce("number_from", Value(-1)),
                Coalesce("number_to", Value(-1)),
                "parity",
                name="unique_area_street",
                violation_error_message=_("This street is already in the area."),
            ),
            models.CheckConstraint(
                condition=Q(postal_code__regex=r"^[1-9][0-9]{3}$"),
                name="area_street_postal_code_four_digits",
                violation_error_message=_("A Belgian postal code has four digits."),
            ),
            models.CheckConstraint(
                condition=Q(number_from__isnull=True)
                | Q(number_to__isnull=True)
                | Q(number_to__gte=models.F("number_from")),
                name="area_street_number_range",
                violation_error_message=_("The last house number must not be lower than the first."),
            ),
        ]
        indexes = [models.Index(fields=["postal_code", "street_normalised"], name="area_street_search_idx")]

    def __str__(self) -> str:
        return f"{self.street}, {self.postal_code}"

    def clean(self) -> None:
        from ..text import normalise_street

        self.street_normalised = normalise_street(self.street)

    @property
    def numbers_label(self) -> str:
        if self.number_from is None and self.number_to is None:
            return ""
        return f"{self.number_from or ''}–{self.number_to or ''}"


class Partner(models.Model):
    """A person with a role in a network: coordinator (18+, screened by police, chosen by the members)
    and deputies, members of the steering group (*stuurgroep* / *comité de pilotage*), the mandated
    officer (*gemandateerde politieambtenaar* / *fonctionnaire de police mandaté*) and deputy, and the
    municipal contact. Either a user of the platform or a contact record. Only the date and result of
    a coordinator's screening are kept, never its content."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partners", verbose_name=_("network"))
    role = models.CharField(_("role"), max_length=24, choices=PartnerRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("platform user"),
    )
    first_name = models.CharField(_("first name"), max_length=80, blank=True)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    organisation = models.CharField(_("organisation"), max_length=120, blank=True)
    adult_confirmed = models.BooleanField(_("confirmed 18 or older"), default=False)
    screening_on = models.DateField(_("screened on"), null=True, blank=True)
    screening_result = models.CharField(
        _("screening result"), max_length=16, choices=ScreeningResult.choices, blank=True
    )
    active_from = models.DateField(_("active from"), default=timezone.localdate)
    active_to = models.DateField(_("active until"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["role", "last_name", "first_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(last_name=""),
                name="partner_user_or_name",
                violation_error_message=_("A partner is a platform user or has at least a last name."),
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(COORDINATOR_ROLES))
                | Q(adult_confirmed=True, screening_on__isnull=False) & ~Q(screening_result=""),
                name="partner_coordinator_screened",
                violation_error_message=_("A coordinator must be confirmed 18 or older and screened by police."),
            ),
            models.CheckConstraint(
                condition=Q(role__in=sorted(COORDINATOR_ROLES)) | Q(screening_on__isnull=True, screening_result=""),
                name="partner_screening_only_coordinators",
                violation_error_message=_("Screening is recorded for coordinators only."),
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True) | Q(active_to__gte=models.F("active_from")),
                name="partner_active_period",
                violation_error_message=_("The end of the role must not come before its start."),
            ),
        ]
        indexes = [models.Index(fields=["network", "active_to"], name="partner_network_active_idx")]

    def __str__(self) -> str:
        return f"{self.display_name} – {self.get_role_display()}"

    @property
    def display_name(self) -> str:
        if self.user_id and not (self.first_name or self.last_name):
            return str(self.user)
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def contact_email(self) -> str:
        return self.email or (self.user.email if self.user_id else "")

    @property
    def is_active(self) -> bool:
        return self.active_to is None or self.active_to > timezone.localdate()

    @property
    def is_coordinator_role(self) -> bool:
        return self.role in COORDINATOR_ROLES
