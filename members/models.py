"""Members of networks, their join requests, the documents they accept and their consents.

Personal data lives in `Member` (and its `User`: names, e-mail, language) and in open `JoinRequest`s; it is
seen only by the coordinator(s) of the member's networks, the mandated officer(s) of those networks' zones,
and the member. Audit events about these objects record field names, never values, so erasing a member
leaves the audit trail intact and free of their data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager
from networks.choices import MessageType
from networks.models import Network
from networks.models.network import postal_code_validator

from .choices import (
    ConsentSource,
    DocumentKind,
    JoinRequestStatus,
    JoinSource,
    MembershipStatus,
)

# Message types a member may switch off; urgent alerts cannot be switched off while a member.
MUTABLE_MESSAGE_TYPES = [value for value in MessageType.values if value != MessageType.URGENT_ALERT]


class PolicyDocument(models.Model):
    """A versioned, translated text a member accepts: the platform's privacy notice, or internal rules
    (huishoudelijk reglement / règlement d'ordre intérieur) — the national model when `network` is empty,
    or a network's own. The version in force is the latest published one; acceptance records the version."""

    kind = models.CharField(_("document"), max_length=20, choices=DocumentKind.choices)
    network = models.ForeignKey(
        Network,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="policy_documents",
        verbose_name=_("network"),
    )
    version = models.CharField(_("version"), max_length=20)
    published_on = models.DateField(_("in force from"), default=timezone.localdate)
    # {"nl": {"title": ..., "body": ...}, "fr": {...}, "de": {...}, "en": {...}}; body is Markdown (cleaned on display).
    texts = models.JSONField(_("texts"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = ["kind", "network_id", "-published_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "version"],
                condition=Q(network__isnull=True),
                name="unique_national_document_version",
                violation_error_message=_("This version of the document already exists."),
            ),
            models.UniqueConstraint(
                fields=["kind", "network", "version"],
                condition=Q(network__isnull=False),
                name="unique_network_document_version",
                violation_error_message=_("This version of the document already exists."),
            ),
            models.CheckConstraint(
                condition=Q(kind=DocumentKind.INTERNAL_RULES) | Q(network__isnull=True),
                name="privacy_notice_is_national",
                violation_error_message=_("The privacy notice is the same for every network."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    def text(self, language: str | None = None) -> tuple[str, dict]:
        """(language used, {"title", "body"}) in `language`, else English, Dutch, French, German in that order."""
        language = (language or get_language() or "nl")[:2]
        for code in (language, "en", "nl", "fr", "de"):
            if self.texts.get(code, {}).get("body"):
                return code, self.texts[code]
        return language, {"title": str(self), "body": ""}


class Member(models.Model):
    """A person in one or more networks: an adult living or working in the area who accepted the internal rules.
    Names, e-mail address and language are on the `user` (members sign in to the member portal); the rest of
    their personal data and their choices of how to be reached are here."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="member_profile", verbose_name=_("account")
    )
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    mobile_verified_at = models.DateTimeField(_("mobile number verified"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=120, blank=True)
    house_number = models.CharField(_("house number"), max_length=12, blank=True)
    box = models.CharField(_("box"), max_length=12, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, blank=True, validators=[postal_code_validator])
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    # The web inbox in the member portal is always on.
    urgent_by_sms = models.BooleanField(_("urgent alerts by SMS even in quiet hours"), default=True)
    muted_types = models.JSONField(_("message types switched off"), default=list, blank=True)
    quiet_from = models.TimeField(_("quiet hours from"), null=True, blank=True)
    quiet_until = models.TimeField(_("quiet hours until"), null=True, blank=True)
    paused_from = models.DateField(_("holiday pause from"), null=True, blank=True)
    paused_until = models.DateField(_("holiday pause until"), null=True, blank=True)
    created_at = models.DateTimeField(_("member since"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_from__isnull=True, quiet_until__isnull=True)
                | Q(quiet_from__isnull=False, quiet_until__isnull=False),
                name="member_quiet_hours_both_or_none",
                violation_error_message=_("Quiet hours need a start and an end."),
            ),
            models.CheckConstraint(
                condition=Q(paused_from__isnull=True, paused_until__isnull=True)
                | Q(paused_from__isnull=False, paused_until__isnull=False, paused_until__gte=models.F("paused_from")),
                name="member_pause_ordered",
                violation_error_message=_("A holiday pause needs a start and an end on or after the start."),
            ),
        ]

    def __str__(self) -> str:
        # Never the name: str() ends up in audit rows and logs.
        return f"#{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("members_manage:member_detail", args=[self.pk])

    @property
    def full_name(self) -> str:
        return self.user.get_full_name()

    @property
    def address(self) -> str:
        return self.format_address(self.street, self.house_number, self.box, self.postal_code)

    @staticmethod
    def format_address(street: str, house_number: str, box: str, postal_code: str) -> str:
        number = f"{house_number}" + (f" {_('box')} {box}" if box else "")
        return f"{street} {number}, {postal_code}".strip(" ,")

    def is_paused(self, on=None) -> bool:
        on = on or timezone.localdate()
        return bool(self.paused_from and self.paused_from <= on <= self.paused_until)


class Membership(models.Model):
    """A member's place in one network, from approval to leaving. After an erasure the row stays with no member,
    so counts over time stay right while nobody can be recognised."""

    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships", verbose_name=_("member")
    )
    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE
    )
    joined_on = models.DateField(_("member since"), default=timezone.localdate)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    suspended_until = models.DateField(_("suspended until"), null=True, blank=True)
    in_area = models.BooleanField(_("address in the area"), null=True)
    rules = models.ForeignKey(
        PolicyDocument,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("internal rules accepted"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approved by"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "network"],
                condition=Q(member__isnull=False),
                name="unique_membership",
                violation_error_message=_("This person is already a member of this network."),
            ),
            models.CheckConstraint(
                condition=Q(member__isnull=False) | Q(status=MembershipStatus.ERASED),
                name="membership_member_unless_erased",
                violation_error_message=_("Only an erased membership has no member."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(status__in=[MembershipStatus.LEFT, MembershipStatus.REMOVED, MembershipStatus.ERASED]),
                name="membership_end_only_when_ended",
                violation_error_message=_("Only a membership that ended has an end date."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status"], name="membership_network_status_idx"),
            models.Index(fields=["network", "joined_on"], name="membership_network_joined_idx"),
            models.Index(fields=["joined_on"], name="membership_joined_idx"),
            # The statistics' fingerprint counts ended memberships without reading the others.
            models.Index(fields=["ended_on"], name="membership_ended_idx", condition=Q(ended_on__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.network.code} {self.member_id or '-'}"


# What an applicant tells about themselves: the join form, the in-person form and their services take these.
APPLICANT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "mobile",
    "street",
    "house_number",
    "box",
    "postal_code",
    "language",
    "by_email",
    "by_sms",
    "works_in_area",
    "adult_confirmed",
)


class JoinRequest(models.Model):
    """A request to join one network: from the public join form (confirmed by e-mail, then decided by the
    coordinator or the mandated officer) or entered in person by them (the person then confirms by e-mail and is
    admitted). Holds the applicant's data until it is decided; a scheduled task purges declined, withdrawn and
    never-confirmed requests after `BINPLP_JOIN_REQUEST_RETENTION_DAYS`."""

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("network")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=JoinRequestStatus.choices, default=JoinRequestStatus.UNCONFIRMED
    )
    source = models.CharField(_("source"), max_length=12, choices=JoinSource.choices, default=JoinSource.PUBLIC)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("e-mail address"))
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)  # E.164
    street = models.CharField(_("street"), max_length=120)
    house_number = models.CharField(_("house number"), max_length=12)
    box = models.CharField(_("box"), max_length=12, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=4, validators=[postal_code_validator])
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    by_email = models.BooleanField(_("by e-mail"), default=True)
    by_sms = models.BooleanField(_("by SMS"), default=False)
    adult_confirmed = models.BooleanField(_("confirmed 18 or older"), default=False)
    works_in_area = models.BooleanField(_("works (rather than lives) in the area"), default=False)
    privacy_notice = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("privacy notice accepted")
    )
    rules = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="+", verbose_name=_("internal rules accepted")
    )
    in_area = models.BooleanField(_("address in the area"), default=False)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("added by"),
    )
    confirmation_sent_at = models.DateTimeField(_("confirmation e-mail sent"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decline_reason = models.TextField(_("reason"), blank=True)
    decision_sent_at = models.DateTimeField(_("decision e-mail sent"), null=True, blank=True)
    membership = models.ForeignKey(
        Membership,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("membership"),
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                "network",
                models.functions.Lower("email"),
                condition=Q(status__in=[JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING]),
                name="unique_open_join_request",
                violation_error_message=_("There is already an open request for this e-mail address."),
            ),
            models.CheckConstraint(
                condition=Q(adult_confirmed=True),
                name="join_request_adult",
                violation_error_message=_("Members must be 18 or older."),
            ),
            models.CheckConstraint(
                condition=~Q(status=JoinRequestStatus.DECLINED) | ~Q(decline_reason=""),
                name="join_request_decline_reason",
                violation_error_message=_("A declined request needs a reason."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "status", "-created_at"], name="joinrequest_network_status_idx"),
            models.Index(fields=["status", "created_at"], name="joinrequest_status_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.network.code} #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Consent(models.Model):
    """The member accepted this version of a document at this time (proof of consent, GDPR art. 7)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents", verbose_name=_("member"))
    document = models.ForeignKey(
        PolicyDocument, on_delete=models.PROTECT, related_name="consents", verbose_name=_("document")
    )
    network = models.ForeignKey(
        Network, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("network")
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    source = models.CharField(_("how"), max_length=12, choices=ConsentSource.choices, default=ConsentSource.JOIN)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.document} {self.accepted_at:%Y-%m-%d}"
