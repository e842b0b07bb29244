"""The good practices library: practices shared between field actors, moderated by the Knowledge Centre.

A practice is written in one language. A translation is a practice of its own that points at its original
(`original`); readers get the version in their language, or the original with a note. Each change of the text
keeps a revision with the fields that changed; moderators and authors exchange comments on the practice.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedManager
from geography.models import Region
from networks.models import Network

from .choices import AttachmentKind, CommentKind, EvidenceLevel, Facet, PracticeStatus

# The template's text fields, in the order the form and the page show them. All are Markdown (a safe subset,
# cleaned with nh3 on display) except the title.
TEXT_FIELDS = (
    "summary",
    "problem",
    "actions",
    "duration",
    "worked",
    "difficulties",
    "costs",
    "results",
    "contact",
)
REQUIRED_TEXT_FIELDS = ("summary", "problem", "actions", "results")


class Practice(models.Model):
    """One good practice in one language: a structured description of what a network, a police zone or a
    municipality did, with its evidence level. Drafts are seen by the author and the moderators only."""

    original = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("translation of"),
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    status = models.CharField(_("status"), max_length=20, choices=PracticeStatus.choices, default=PracticeStatus.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="practices",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"))
    problem = models.TextField(_("problem and context"))
    actions = models.TextField(_("what was done"))
    duration = models.TextField(_("duration"), blank=True)
    worked = models.TextField(_("what worked"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    costs = models.TextField(_("costs and who paid"), blank=True)
    results = models.TextField(_("results and evidence"))
    evidence_level = models.CharField(
        _("evidence level"), max_length=12, choices=EvidenceLevel.choices, default=EvidenceLevel.ANECDOTAL
    )
    contact = models.TextField(_("contact"), blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Empty for a practice from several regions or the whole country."),
    )
    networks = models.ManyToManyField(Network, blank=True, related_name="practices", verbose_name=_("networks"))
    helpful_count = models.PositiveIntegerField(_("found helpful"), default=0)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True, db_index=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("good practice")
        verbose_name_plural = _("good practices")
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["original", "language"],
                condition=Q(original__isnull=False),
                name="one_translation_per_language",
                violation_error_message=_("This practice already has a translation in this language."),
            ),
            models.CheckConstraint(
                condition=~Q(status=PracticeStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="published_practice_has_date",
                violation_error_message=_("A published practice needs its publication date."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="practice_status_published_idx"),
            models.Index(fields=["author", "status"], name="practice_author_status_idx"),
            # The library's fingerprint reads the latest change through it (practices.library).
            models.Index(fields=["updated_at"], name="practice_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:practice_detail", args=[self.pk])

    @property
    def group_id(self) -> int:
        """The id shared by an original and its translations: the original's."""
        return self.original_id or self.pk


class PracticeTag(models.Model):
    """One value of a multi-valued facet of a practice (a theme, a kind of network)."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="tags", verbose_name=_("practice"))
    facet = models.CharField(_("facet"), max_length=12, choices=Facet.choices)
    value = models.CharField(_("value"), max_length=32)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        constraints = [
            models.UniqueConstraint(fields=["practice", "facet", "value"], name="unique_practice_tag"),
        ]
        indexes = [models.Index(fields=["facet", "value"], name="practicetag_facet_value_idx")]

    def __str__(self) -> str:
        return f"{self.facet}:{self.value}"


class PracticeRevision(models.Model):
    """The text of a practice after one change, with the names of the fields that changed."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("practice")
    )
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content"), default=dict)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        ordering = ["practice", "-number"]
        constraints = [models.UniqueConstraint(fields=["practice", "number"], name="unique_practice_revision")]

    def __str__(self) -> str:
        return f"{self.practice_id} v{self.number}"


class ModerationComment(models.Model):
    """A message between the moderators and the author on a practice: a comment, a change request, or the trace
    of a decision (submitted, published, archived)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="comments", verbose_name=_("practice")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CommentKind.choices, default=CommentKind.COMMENT)
    body = models.TextField(_("message"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("moderation comment")
        verbose_name_plural = _("moderation comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.kind}"


def attachment_upload_to(instance: PracticeAttachment, filename: str) -> str:
    extension = "pdf" if instance.kind == AttachmentKind.PDF else "png" if filename.endswith(".png") else "jpg"
    return f"practices/{timezone.now():%Y/%m}/{instance.practice_id}-{timezone.now():%H%M%S%f}.{extension}"


class PracticeAttachment(models.Model):
    """A PDF or an image attached to a practice. Files are checked by their content (not their name); images are
    re-encoded without their metadata before they are stored."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("practice")
    )
    kind = models.CharField(_("kind"), max_length=8, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class HelpfulMark(models.Model):
    """A signed-in reader found this practice helpful (one mark per reader and practice)."""

    practice = models.ForeignKey(
        Practice, on_delete=models.CASCADE, related_name="helpful_marks", verbose_name=_("practice")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("reader")
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("helpful mark")
        verbose_name_plural = _("helpful marks")
        constraints = [models.UniqueConstraint(fields=["practice", "user"], name="one_helpful_mark_per_reader")]

    def __str__(self) -> str:
        return f"{self.practice_id} {self.user_id}"
