"""Charters, their signatures, ADVP's review against the circular's checklist, and the letters.

The *charter* (lokaal charter / charte locale) is the agreement that founds a network: the partners'
contacts, the *communication plan* (communicatieplan / plan de communication) and the *budget plan*
(budgetplan / plan budgétaire), signed by the coordinator, the mandated officer, the chief of police
(korpschef / chef de corps) and the mayor, then submitted to ADVP for a check of conformity.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager

from ..choices import CharterStatus, LetterLanguage, LetterRecipient, ReviewDecision, Signatory
from .network import Network


# Uploaded and generated PDFs get random names: the media folder is never served directly (views check the
# reader's scope), and a name that cannot be guessed keeps it that way if a web server were misconfigured.
def charter_upload_to(instance: Charter, filename: str) -> str:
    return f"charters/{uuid.uuid4().hex}.pdf"


def letter_upload_to(instance: Letter, filename: str) -> str:
    return f"letters/{uuid.uuid4().hex}.pdf"


class Charter(models.Model):
    """One version of a network's charter. A new version copies the previous one; the previous one is
    superseded once the new one is decided conform. Any change of contacts or communication plan
    needs a new version, notified to ADVP again."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="charters", verbose_name=_("network"))
    version = models.PositiveIntegerField(_("version"), validators=[MinValueValidator(1)])
    status = models.CharField(_("status"), max_length=16, choices=CharterStatus.choices, default=CharterStatus.DRAFT)
    contacts = models.JSONField(_("partners' contacts"), default=list, blank=True)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    message_types = models.JSONField(_("message types"), default=list, blank=True)
    senders = models.JSONField(_("who may send what"), default=dict, blank=True)
    feedback_hours = models.PositiveIntegerField(
        _("expected feedback time (hours)"), null=True, blank=True, validators=[MaxValueValidator(24 * 90)]
    )
    cost_items = models.JSONField(_("cost items"), default=list, blank=True)
    member_fee_eur = models.DecimalField(
        _("member fee (EUR)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    alternative_financing = models.TextField(_("alternative financing"), blank=True)
    internal_rules_version = models.CharField(_("version of the internal rules"), max_length=40, blank=True)
    signed_pdf = models.FileField(_("signed charter (PDF)"), upload_to=charter_upload_to, blank=True, max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("charter")
        verbose_name_plural = _("charters")
        ordering = ["network", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "version"],
                name="unique_charter_version",
                violation_error_message=_("This network already has a charter with this version number."),
            ),
            models.CheckConstraint(
                condition=Q(status=CharterStatus.DRAFT) | Q(submitted_at__isnull=False),
                name="charter_submitted_has_date",
                violation_error_message=_("A submitted charter needs its submission date."),
            ),
        ]
        indexes = [models.Index(fields=["status", "submitted_at"], name="charter_queue_idx")]

    def __str__(self) -> str:
        return f"{self.network.code} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("networks:charter_detail", args=[self.network.code, self.version])


class CharterSignature(models.Model):
    """That one of the four signatories signed the charter, on which date, recorded by whom."""

    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("charter"))
    signatory = models.CharField(_("signatory"), max_length=20, choices=Signatory.choices)
    name = models.CharField(_("name of the signatory"), max_length=160)
    signed_on = models.DateField(_("signed on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")
        ordering = ["charter", "signatory"]
        constraints = [
            models.UniqueConstraint(
                fields=["charter", "signatory"],
                name="unique_charter_signatory",
                violation_error_message=_("This signature is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.charter} – {self.get_signatory_display()}"


class ChecklistItem(models.Model):
    """A formal requirement of the circular that ADVP checks in every charter (reference data ADVP
    can edit): contacts of the partners, communication plan, budget plan, the four signatures, …"""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    text_nl = models.TextField(_("text (Dutch)"))
    text_fr = models.TextField(_("text (French)"))
    text_de = models.TextField(_("text (German)"), blank=True)
    text_en = models.TextField(_("text (English)"), blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("in use"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        language = (get_language() or "nl")[:2]
        return getattr(self, f"text_{language}", "") or self.text_en or self.text_nl


class CharterReview(models.Model):
    """ADVP's review of a submitted charter: each checklist item satisfied or not, with remarks, and a
    decision — *conform* (the network becomes active) or *changes needed*. Lead time is from the
    charter's submission to the decision."""

    charter = models.OneToOneField(Charter, on_delete=models.CASCADE, related_name="review", verbose_name=_("charter"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewer"),
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=16, choices=ReviewDecision.choices, blank=True)
    remarks = models.TextField(_("remarks"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("charter review")
        verbose_name_plural = _("charter reviews")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="", decided_at__isnull=True) | (~Q(decision="") & Q(decided_at__isnull=False)),
                name="review_decision_has_date",
                violation_error_message=_("A decision needs its date, and a date needs a decision."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.charter} – {self.get_decision_display() or _('in review')}"

    @property
    def lead_time(self):
        if self.decided_at and self.charter.submitted_at:
            return self.decided_at - self.charter.submitted_at
        return None


class ReviewItemResult(models.Model):
    """Whether one checklist item is satisfied in a review, and why not."""

    review = models.ForeignKey(
        CharterReview, on_delete=models.CASCADE, related_name="item_results", verbose_name=_("review")
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="results", verbose_name=_("checklist item")
    )
    satisfied = models.BooleanField(_("satisfied"), default=False)
    remark = models.TextField(_("remark"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("checklist result")
        verbose_name_plural = _("checklist results")
        ordering = ["review", "item__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "item"],
                name="unique_review_item",
                violation_error_message=_("This item is already checked in this review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review} – {self.item.code}"


class Letter(models.Model):
    """The letter ADVP sends on its decision to the chief of police or the mayor (PDF, in the
    municipality's language; Dutch and French for Brussels; German for the German-speaking
    municipalities), filed on the network."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="letters", verbose_name=_("network"))
    charter = models.ForeignKey(Charter, on_delete=models.CASCADE, related_name="letters", verbose_name=_("charter"))
    review = models.ForeignKey(
        CharterReview, on_delete=models.CASCADE, related_name="letters", verbose_name=_("review")
    )
    recipient = models.CharField(_("recipient"), max_length=20, choices=LetterRecipient.choices)
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    language = models.CharField(_("language"), max_length=5, choices=LetterLanguage.choices)
    pdf = models.FileField(_("letter (PDF)"), upload_to=letter_upload_to, max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    emailed_to = models.JSONField(_("e-mailed to"), default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at", "recipient"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "recipient"],
                name="unique_letter_per_review_recipient",
                violation_error_message=_("This letter was already generated for this review."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} – {self.get_recipient_display()} ({self.language})"

    def get_absolute_url(self) -> str:
        return reverse("networks:letter_download", args=[self.network.code, self.pk])
