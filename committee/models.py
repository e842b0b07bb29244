"""The national BIN steering committee (begeleidingscomité / comité d'accompagnement PLP; DESIGN §3, domain brief
§7.2): the federal consultation body on BIN policy, chaired by ADVP and prepared by ADVP with the Knowledge Centre.

Its *seats* are grouped in categories (police zones with a BIN, coordinators, self-employed organisations, the VCLP,
the federal police, the Knowledge Centre, the provinces in rotation, the chair); categories are data that ADVP edits.
A seat is held by one person at a time for a *term* (a platform user or a contact known by name and e-mail address).
ADVP or the Knowledge Centre plan *meetings* with an *agenda* (items with an owner, a duration and documents), send
*invitations* (.ics) to every current seat holder, who replies through a signed link; then the *minutes*, the
*decisions* and the *action items* that stay on a follow-up list until done.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import in_language
from core.scoping import ScopedManager, ScopedQuerySet

from .choices import ActionStatus, DocumentKind, Language, MeetingStatus, Reply


class SeatCategory(models.Model):
    """A group of seats on the committee (e.g. "police zones with a BIN": 3 seats). Data, not code: ADVP adds
    categories and changes their number of seats."""

    code = models.SlugField(_("short name"), max_length=40, unique=True)
    name_nl = models.CharField(_("name (Dutch)"), max_length=200)
    name_fr = models.CharField(_("name (French)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    seats = models.PositiveSmallIntegerField(_("number of seats"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("seat category")
        verbose_name_plural = _("seat categories")
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=50),
                name="committee_category_seats_range",
                violation_error_message=_("A category has between 1 and 50 seats."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self, "name")


class SeatTermQuerySet(ScopedQuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or timezone.localdate()
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on), starts_on__lte=on)


class SeatTermManager(models.Manager.from_queryset(SeatTermQuerySet)):
    pass


class SeatTerm(models.Model):
    """One person holding one seat of a category from `starts_on` to `ends_on` (open-ended when empty). Terms on
    the same seat never overlap (checked by the service under a lock on the category)."""

    category = models.ForeignKey(
        SeatCategory, on_delete=models.PROTECT, related_name="terms", verbose_name=_("category")
    )
    seat_number = models.PositiveSmallIntegerField(_("seat"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="committee_terms",
        verbose_name=_("platform user"),
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.NL)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SeatTermManager()

    class Meta:
        verbose_name = _("seat term")
        verbose_name_plural = _("seat terms")
        ordering = ["category__order", "seat_number", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(seat_number__gte=1),
                name="committee_term_seat_positive",
                violation_error_message=_("Seats are numbered from 1."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="committee_term_ends_after_start",
                violation_error_message=_("A term cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.category} {self.seat_number}"

    @property
    def holder_name(self) -> str:
        if self.user_id:
            return self.user.get_full_name() or self.user.email
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def holder_email(self) -> str:
        return self.user.email if self.user_id else self.email

    @property
    def holder_language(self) -> str:
        if self.user_id:
            language = (self.user.language or "nl")[:2]
            return language if language in Language.values else Language.NL
        return self.language

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts_on <= on and (self.ends_on is None or self.ends_on >= on)


class Meeting(models.Model):
    """A meeting of the committee. `sequence` is the revision of its calendar invitation: every change the invited
    must know of (time, place, link) and the cancellation raise it."""

    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    sequence = models.PositiveIntegerField(_("invitation revision"), default=0)
    invited_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    minutes_nl = models.TextField(_("minutes (Dutch)"), blank=True)
    minutes_fr = models.TextField(_("minutes (French)"), blank=True)
    minutes_de = models.TextField(_("minutes (German)"), blank=True)
    minutes_en = models.TextField(_("minutes (English)"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="committee_meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("committee:meeting_detail", args=[self.pk])

    def minutes(self, language: str | None = None) -> str:
        return in_language(self, "minutes", language)

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED


class AgendaItem(models.Model):
    """One point of a meeting's agenda, presented by its owner (a seat holder, or someone named in free text)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items", verbose_name=_("meeting"))
    position = models.PositiveSmallIntegerField(_("position"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200, blank=True)
    title_fr = models.CharField(_("title (French)"), max_length=200, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    owner_term = models.ForeignKey(
        SeatTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner (seat)")
    )
    owner_text = models.CharField(_("owner"), max_length=200, blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"), default=15)
    description = models.TextField(_("description"), blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="committee_item_position_unique",
                violation_error_message=_("The agenda already has an item at this position."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=1) & Q(minutes__lte=480),
                name="committee_item_minutes_range",
                violation_error_message=_("An agenda item lasts between 1 and 480 minutes."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def owner(self) -> str:
        return self.owner_term.holder_name if self.owner_term_id else self.owner_text


def document_upload_to(instance: AgendaDocument, filename: str) -> str:
    return f"committee/{instance.item.meeting_id}/{timezone.now():%Y%m%d%H%M%S%f}.pdf"


class AgendaDocument(models.Model):
    """A document of an agenda item: a PDF (checked by its content) or a link."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=8, choices=DocumentKind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_upload_to, max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size"), default=0)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("agenda document")
        verbose_name_plural = _("agenda documents")
        ordering = ["item", "pk"]

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    """The invitation of one seat holder to one meeting. `sent_sequence` is the revision of the calendar invitation
    last e-mailed (set in the transaction of the sending), so each revision leaves at most once per person."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    term = models.ForeignKey(SeatTerm, on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    sent_sequence = models.IntegerField(_("revision sent"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    reply = models.CharField(_("reply"), max_length=8, choices=Reply.choices, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "term"],
                name="committee_invitation_unique",
                violation_error_message=_("This seat holder is already invited."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.meeting}"


class Decision(models.Model):
    """A decision the committee took at a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActionItem(models.Model):
    """Something a meeting asked someone to do by a date. It stays on the follow-up list until done; its owner
    (when they have an e-mail address) is reminded a week before the due date and once when it is overdue."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions", verbose_name=_("meeting"))
    title = models.CharField(_("title"), max_length=300)
    owner_term = models.ForeignKey(
        SeatTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("owner (seat)")
    )
    owner_text = models.CharField(_("owner"), max_length=200, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    reminded_before_at = models.DateTimeField(_("reminded before the due date"), null=True, blank=True)
    reminded_overdue_at = models.DateTimeField(_("reminded when overdue"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def owner(self) -> str:
        return self.owner_term.holder_name if self.owner_term_id else self.owner_text

    @property
    def is_overdue(self) -> bool:
        return self.status != ActionStatus.DONE and self.due_on < timezone.localdate()
