"""The BIN course in the police academies (DESIGN §3 "Training", domain brief §6.4).

The Knowledge Centre keeps the *course* (BIN-opleiding / formation PLP) in *versions*: learning objectives, modules
with their duration, materials per language and the final evaluation form. Academy *trainers* plan *sessions* of a
version; police zones enrol their staff (*trainees*), staff may ask to enrol themselves; a session has a capacity and
a waiting list. The trainer records attendance and the result, and closing the session issues a *certificate* with a
public verification code to everyone who passed. Coverage asks: does every network's mandated officer hold a valid
certificate?
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.languages import in_language
from core.scoping import ScopedManager

from .choices import (
    Attendance,
    CourseLanguage,
    EnrolmentSource,
    EnrolmentStatus,
    QuestionKind,
    Result,
    SessionStatus,
    VersionStatus,
)


class Course(models.Model):
    """The BIN course: what the police academies teach mandated officers about neighbourhood information networks.
    There is usually one; it evolves in versions."""

    code = models.SlugField(_("short name"), max_length=40, unique=True)
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_nl = models.TextField(_("description (Dutch)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("training:course_detail", args=[self.pk])

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def description(self) -> str:
        return in_language(self, "description")


class CourseVersion(models.Model):
    """A version of the course: its learning objectives, modules, materials and evaluation form. A draft is being
    written; one version per course is *current* (new sessions use it); earlier ones are retired, and sessions
    given with them keep pointing at them."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="versions", verbose_name=_("course"))
    number = models.PositiveSmallIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    objectives_nl = models.TextField(_("learning objectives (Dutch)"), blank=True, help_text=_("One per line."))
    objectives_fr = models.TextField(_("learning objectives (French)"), blank=True, help_text=_("One per line."))
    objectives_de = models.TextField(_("learning objectives (German)"), blank=True, help_text=_("One per line."))
    objectives_en = models.TextField(_("learning objectives (English)"), blank=True, help_text=_("One per line."))
    certificate_valid_years = models.PositiveSmallIntegerField(
        _("certificate valid for (years)"),
        null=True,
        blank=True,
        default=5,
        help_text=_("Leave empty for certificates that do not expire."),
    )
    published_at = models.DateTimeField(_("made current"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("course version")
        verbose_name_plural = _("course versions")
        ordering = ["course", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "number"],
                name="course_version_number_unique",
                violation_error_message=_("This course already has a version with this number."),
            ),
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(status=VersionStatus.CURRENT),
                name="course_one_current_version",
                violation_error_message=_("A course has one current version at a time."),
            ),
            models.CheckConstraint(
                condition=Q(certificate_valid_years__isnull=True) | Q(certificate_valid_years__gte=1),
                name="course_version_validity_positive",
                violation_error_message=_("A certificate is valid for at least one year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course.title} – v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("training:version_detail", args=[self.pk])

    @property
    def objectives(self) -> list[str]:
        return [line.strip() for line in in_language(self, "objectives").splitlines() if line.strip()]

    @property
    def total_minutes(self) -> int:
        return sum(module.minutes for module in self.modules.all())


class Module(models.Model):
    """One part of a course version, with its duration."""

    version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="modules", verbose_name=_("course version")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_de = models.CharField(_("title (German)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    summary_nl = models.TextField(_("content (Dutch)"), blank=True)
    summary_fr = models.TextField(_("content (French)"), blank=True)
    summary_de = models.TextField(_("content (German)"), blank=True)
    summary_en = models.TextField(_("content (English)"), blank=True)
    minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"],
                name="module_position_unique",
                violation_error_message=_("Another module already has this place in the order."),
            ),
            models.CheckConstraint(
                condition=Q(minutes__gte=5, minutes__lte=960),
                name="module_minutes_range",
                violation_error_message=_("A module lasts between 5 minutes and 16 hours."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return in_language(self, "title")

    @property
    def summary(self) -> str:
        return in_language(self, "summary")


class Material(models.Model):
    """Course material in one language: a file (PDF, checked by its content) or a link; for the whole version or
    for one module."""

    version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="materials", verbose_name=_("course version")
    )
    module = models.ForeignKey(
        Module, null=True, blank=True, on_delete=models.CASCADE, related_name="materials", verbose_name=_("module")
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="training/materials/%Y/", blank=True)
    original_name = models.CharField(_("file name"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True)
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("course material")
        verbose_name_plural = _("course materials")
        ordering = ["version", "module__position", "language", "title"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_file_or_link",
                violation_error_message=_("A material is either a file or a link, not both and not neither."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EvaluationQuestion(models.Model):
    """A question of the final evaluation form participants fill in after the session."""

    version = models.ForeignKey(
        CourseVersion, on_delete=models.CASCADE, related_name="questions", verbose_name=_("course version")
    )
    position = models.PositiveSmallIntegerField(_("order"))
    kind = models.CharField(_("kind of answer"), max_length=8, choices=QuestionKind.choices)
    text_nl = models.CharField(_("question (Dutch)"), max_length=300)
    text_fr = models.CharField(_("question (French)"), max_length=300)
    text_de = models.CharField(_("question (German)"), max_length=300, blank=True)
    text_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    required = models.BooleanField(_("answer required"), default=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluation question")
        verbose_name_plural = _("evaluation questions")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"],
                name="question_position_unique",
                violation_error_message=_("Another question already has this place in the order."),
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return in_language(self, "text")


class Session(models.Model):
    """One sitting of the course at a police academy: dates, place, language, capacity and trainer. A draft is
    seen by the academy only; published, it takes enrolments; closed, its results are final and its
    certificates issued; cancelled, its participants were told."""

    version = models.ForeignKey(
        CourseVersion, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course version")
    )
    academy = models.ForeignKey(
        "geography.Academy", on_delete=models.PROTECT, related_name="training_sessions", verbose_name=_("academy")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300)
    online_url = models.URLField(_("video link"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=CourseLanguage.choices)
    capacity = models.PositiveSmallIntegerField(_("seats"))
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_sessions",
        verbose_name=_("trainer"),
    )
    note = models.TextField(_("practical information"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=SessionStatus.choices, default=SessionStatus.DRAFT)
    # Raised at every change participants are told about: the SEQUENCE of the session's .ics invitation.
    sequence = models.PositiveIntegerField(_("revision"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("course session")
        verbose_name_plural = _("course sessions")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
                violation_error_message=_("A session must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500),
                name="session_capacity_range",
                violation_error_message=_("A session has between 1 and 500 seats."),
            ),
        ]
        indexes = [
            models.Index(fields=["academy", "starts_at"], name="session_academy_start_idx"),
            models.Index(fields=["status", "starts_at"], name="session_status_start_idx"),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        return f"{self.version.course.title} – {self.academy.code} – {start:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("training:session_detail", args=[self.pk])

    @property
    def is_open_for_enrolment(self) -> bool:
        return self.status == SessionStatus.PUBLISHED and self.starts_at > timezone.now()


class Trainee(models.Model):
    """A member of police staff who takes (or took) the course, known by a professional e-mail address. Often a
    mandated officer of one of the zone's networks; linked to a platform account when they have one. Coverage
    recognises a network's mandated officer as this trainee by the account, else by the e-mail address."""

    zone = models.ForeignKey(
        "geography.PoliceZone", on_delete=models.PROTECT, related_name="trainees", verbose_name=_("police zone")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainee",
        verbose_name=_("platform user"),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("professional e-mail address"))
    function = models.CharField(_("rank or function"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="nl")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="trainee_email_unique",
                violation_error_message=_("Another trainee already has this e-mail address."),
            ),
        ]
        indexes = [models.Index(fields=["zone", "last_name"], name="trainee_zone_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Enrolment(models.Model):
    """A trainee's place in a session: enrolled (holds a seat), on the waiting list, or a participant's own
    request waiting for e-mail confirmation and then for the zone's approval. The trainer records attendance and
    the result. One row per trainee and session: enrolling again after a cancellation reuses it."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("session"))
    trainee = models.ForeignKey(Trainee, on_delete=models.PROTECT, related_name="enrolments", verbose_name=_("trainee"))
    status = models.CharField(_("status"), max_length=12, choices=EnrolmentStatus.choices)
    source = models.CharField(_("enrolled by"), max_length=8, choices=EnrolmentSource.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("request confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("approved or declined"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("seat given"), null=True, blank=True)
    # Order of the waiting list: the first to wait gets the next free seat.
    waiting_since = models.DateTimeField(_("waiting since"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # The revision of the session (Session.sequence) last e-mailed to this participant (update or cancellation):
    # set in the same transaction as the send, so a retried task never sends the same revision twice.
    notified_sequence = models.PositiveIntegerField(_("revision e-mailed"), null=True, blank=True)
    evaluation_invited_at = models.DateTimeField(_("invited to the evaluation"), null=True, blank=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        ordering = ["session", "trainee__last_name", "trainee__first_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "trainee"],
                name="enrolment_once_per_session",
                violation_error_message=_("This person is already enrolled in this session."),
            ),
            models.CheckConstraint(
                condition=Q(result="") | Q(attendance=Attendance.ATTENDED),
                name="enrolment_result_needs_attendance",
                violation_error_message=_("Only someone who attended can have a result."),
            ),
            models.CheckConstraint(
                condition=Q(attendance="") | Q(status=EnrolmentStatus.ENROLLED),
                name="enrolment_attendance_needs_seat",
                violation_error_message=_("Attendance is recorded for enrolled participants only."),
            ),
        ]
        indexes = [
            models.Index(fields=["session", "status"], name="enrolment_session_status_idx"),
            models.Index(fields=["status", "waiting_since"], name="enrolment_waiting_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.trainee} – {self.session}"


class Certificate(models.Model):
    """Proof that a trainee passed a session. Its code is printed on the PDF and checked on the public verification
    page, which shows the holder's name, the course and the date, nothing more. The holder's name and the course
    title are kept as they were on the day of issue."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.PROTECT, related_name="certificate", verbose_name=_("enrolment")
    )
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    holder_name = models.CharField(_("holder"), max_length=170)
    course_title = models.CharField(_("course"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    emailed_at = models.DateTimeField(_("sent by e-mail"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=F("issued_on")),
                name="certificate_validity_after_issue",
                violation_error_message=_("A certificate must be valid after the day it is issued."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.holder_name}"

    def get_absolute_url(self) -> str:
        return reverse("training:certificate_verify_code", args=[self.code])

    def is_valid_on(self, day) -> bool:
        return self.revoked_at is None and (self.valid_until is None or self.valid_until >= day)

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())


class EvaluationResponse(models.Model):
    """A participant's answers to the evaluation form, once per enrolment. Shown to the academy and the Knowledge
    Centre only as averages and anonymous comments."""

    enrolment = models.OneToOneField(
        Enrolment, on_delete=models.CASCADE, related_name="evaluation", verbose_name=_("enrolment")
    )
    answers = models.JSONField(_("answers"), default=dict)
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self) -> str:
        return str(self.enrolment)


class SentNotice(models.Model):
    """One e-mail of the training app that went to the SMTP server, by a key naming what it told whom (e.g.
    "seat:<enrolment>:<time the seat was given>"). Written in the same transaction as the send: a task run twice
    finds the row and sends nothing; a send that fails rolls the row back and the retry sends it."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")

    def __str__(self) -> str:
        return self.key


class TrainingPolicy(models.Model):
    """Rules ADVP sets for the whole platform (one row). Off by default: whether only officers holding a valid
    certificate may send urgent message types."""

    urgent_requires_certificate = models.BooleanField(
        _("only trained officers may send urgent messages"),
        default=False,
        help_text=_(
            "When on, a mandated officer needs a valid BIN course certificate to send an urgent alert, "
            "a missing person message or a crisis message."
        ),
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("training policy")
        verbose_name_plural = _("training policy")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> TrainingPolicy:
        """The policy row (created with the defaults the first time it is read)."""
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


__all__ = [
    "Attendance",
    "Certificate",
    "Course",
    "CourseVersion",
    "Enrolment",
    "EnrolmentSource",
    "EnrolmentStatus",
    "EvaluationQuestion",
    "EvaluationResponse",
    "Material",
    "Module",
    "Result",
    "Session",
    "SentNotice",
    "Trainee",
    "TrainingPolicy",
]
