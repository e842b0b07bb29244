"""People who sign in, the roles they hold, and the invitations that bring them in."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.roles import NATIONAL_ROLES, Role
from core.scoping import ScopedManager, ScopedQuerySet


class UserQuerySet(ScopedQuerySet):
    pass


class UserManager(BaseUserManager.from_queryset(UserQuerySet)):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """Anyone who signs in: staff of ADVP, the Knowledge Centre, police zones, municipalities and
    academies, coordinators and members. Signs in with an e-mail address; what they may see and do
    comes from their role assignments, never from Django's staff flags."""

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("interface language"), max_length=5, choices=settings.LANGUAGES, blank=True)
    phone = models.CharField(_("telephone"), max_length=32, blank=True)
    # Seeded demo accounts only: may skip MFA while BINPLP_DEMO_MODE is on (never in production).
    is_demo = models.BooleanField(_("demo account"), default=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:user_detail", args=[self.pk])


INVITATION_SALT = "binplp.accounts.invitation"
# Sorted, so the constraint (and its migration) does not depend on the iteration order of a set.
UNSCOPED_ROLES = sorted({*NATIONAL_ROLES, Role.MEMBER})


class RoleAssignment(models.Model):
    """A role held by a user within a scope: a police zone (mandated officer), a municipality
    (municipal official), a network (coordinator) or an academy (trainer); national roles have none.
    Revoking keeps the row with the date, so the history of who held what stays readable."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope type")
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    granted_at = models.DateTimeField(_("granted"), default=timezone.now)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["role", "granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(role__in=UNSCOPED_ROLES, scope_id__isnull=True, scope_type__isnull=True)
                    | (~Q(role__in=UNSCOPED_ROLES) & Q(scope_id__isnull=False, scope_type__isnull=False))
                ),
                name="role_scope_matches_role",
                violation_error_message=_("National roles have no scope; every other role needs one."),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "scope_type", "scope_id"],
                condition=Q(revoked_at__isnull=True, scope_id__isnull=False),
                name="unique_active_scoped_role",
                violation_error_message=_("This person already holds this role for this scope."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(revoked_at__isnull=True, scope_id__isnull=True),
                name="unique_active_unscoped_role",
                violation_error_message=_("This person already holds this role."),
            ),
        ]
        indexes = [models.Index(fields=["role", "scope_id"], name="role_scope_idx")]

    def __str__(self) -> str:
        if self.scope_id is None:
            return str(self.get_role_display())
        return f"{self.get_role_display()} – {self.scope}"


class Invitation(models.Model):
    """An e-mailed invitation to join binplp with one role and scope. The link works once, until it
    expires; the link carries a signed token, so the database holds nothing that would let a reader in."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    scope_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("scope type")
    )
    scope_id = models.PositiveBigIntegerField(_("scope id"), null=True, blank=True)
    scope = GenericForeignKey("scope_type", "scope_id")
    language = models.CharField(_("language of the invitation"), max_length=5, choices=settings.LANGUAGES)
    invited_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="invitations_sent", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Set when the e-mail task claims the invitation, so a retried task never sends it twice.
    email_sent_at = models.DateTimeField(_("e-mail sent"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["email", "role"], name="invitation_email_role_idx")]

    def __str__(self) -> str:
        return f"{self.email} – {self.get_role_display()}"

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.cancelled_at:
            return "cancelled"
        if self.is_expired:
            return "expired"
        return "pending"

    @property
    def token(self) -> str:
        """Signed with SECRET_KEY: nothing secret is stored, and a forged or altered link fails its signature."""
        return signing.dumps({"invitation": self.pk, "email": self.email}, salt=INVITATION_SALT, compress=True)

    def get_accept_url(self) -> str:
        return reverse("accounts:invitation_accept", args=[self.token])
