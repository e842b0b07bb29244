"""Every write to accounts, role assignments and invitations, each audited in its own transaction."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.audit import audit_record, diff, snapshot
from core.models import AuditAction
from core.roles import Role, forget_grants, has_role

from .models import INVITATION_SALT, Invitation, RoleAssignment, User
from .scopes import ScopeModelMissing, is_valid_scope, scope_model_for


def _field_error(field: str, message, code: str, **params) -> ValidationError:
    """A ValidationError for one field that keeps its code (a dict of plain messages would drop it)."""
    return ValidationError({field: ValidationError(message % params if params else message, code=code)})


def user_set_language(*, actor: User, user: User, language: str) -> User:
    """Remember the interface language on the account."""
    if language not in dict(settings.LANGUAGES):
        raise _field_error("language", _("Choose one of the offered languages."), "invalid_language")
    if user.language == language:
        return user
    with transaction.atomic():
        before = snapshot(user, ["language"])
        user.language = language
        user.full_clean(exclude=["password"])
        user.save(update_fields=["language"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=user, changes=diff(before, snapshot(user, ["language"]))
        )
    return user


# --- Roles and their scopes ------------------------------------------------------------------------


def _require_advp(actor, message) -> None:
    if actor is None or not has_role(actor, Role.ADVP):
        raise PermissionDenied(message)


def _require_role_manager(actor, role: str, scope, message) -> None:
    """ADVP gives and takes every role. The coordinator role of a network also follows its partners, which the
    network's mandated officers manage: whoever may change the network may give or take that role."""
    if actor is not None and has_role(actor, Role.ADVP):
        return
    if actor is not None and role == Role.COORDINATOR and scope is not None:
        from core.scoping import can

        if can(actor, "change", scope):
            return
    raise PermissionDenied(message)


def _scope_key(*, actor, role: str, scope: models.Model | None) -> tuple[ContentType | None, int | None]:
    """Check that `scope` is the kind of object `role` needs (and one the actor may choose); return its key."""
    if role not in Role.values:
        raise _field_error("role", _("Choose one of the offered roles."), "invalid_role")
    try:
        model = scope_model_for(role)
    except ScopeModelMissing:
        raise _field_error(
            "role",
            _("This role cannot be given yet: the part of binplp it belongs to is not installed."),
            "role_not_available",
        ) from None
    if model is None:
        if scope is not None:
            raise _field_error(
                "scope", _("This role applies nationally or to oneself; it takes no scope."), "scope_not_taken"
            )
        return None, None
    kind = model._meta.verbose_name
    if scope is None:
        raise _field_error("scope", _("Choose the %(scope)s this role applies to."), "scope_required", scope=kind)
    if not isinstance(scope, model):
        raise _field_error("scope", _("This role applies to a %(scope)s."), "scope_wrong_kind", scope=kind)
    if not is_valid_scope(model, scope):
        raise _field_error(
            "scope",
            _("This %(scope)s no longer exists as such (merged or ended); choose a current one."),
            "scope_not_current",
            scope=kind,
        )
    if actor is not None and not model._default_manager.for_user(actor, "view").filter(pk=scope.pk).exists():
        raise _field_error("scope", _("You cannot choose this scope."), "scope_hidden")
    return ContentType.objects.get_for_model(model), scope.pk


def _role_label(role: str, scope) -> str:
    return f"{role} ({scope})" if scope is not None else role


def _grant(*, actor, user: User, role: str, scope, granted_by: User | None) -> RoleAssignment:
    """Create the assignment and its audit row; the caller has checked permission and holds the transaction."""
    scope_type, scope_id = _scope_key(actor=None, role=role, scope=scope)
    assignment = RoleAssignment(
        user=user, role=role, scope_type=scope_type, scope_id=scope_id, granted_by=granted_by, granted_at=timezone.now()
    )
    assignment.full_clean()
    assignment.save()
    audit_record(actor=actor, action=AuditAction.GRANT, obj=user, changes={"role": [None, _role_label(role, scope)]})
    forget_grants(user)
    return assignment


def role_grant(*, actor: User, user: User, role: str, scope: models.Model | None = None) -> RoleAssignment:
    """ADVP gives `user` a role within a scope (a police zone, a municipality, an academy, a network); the
    coordinator role of a network is also given by those who manage the network (as its partners change)."""
    _require_role_manager(actor, role, scope, _("Only ADVP can give roles."))
    with transaction.atomic():
        _scope_key(actor=actor, role=role, scope=scope)
        return _grant(actor=actor, user=user, role=role, scope=scope, granted_by=actor)


def role_revoke(*, actor: User, assignment: RoleAssignment) -> RoleAssignment:
    """ADVP takes a role away (a network's managers its coordinator role); the assignment stays, with the date
    it ended."""
    _require_role_manager(actor, assignment.role, assignment.scope, _("Only ADVP can revoke roles."))
    given = assignment
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update().select_related("user").get(pk=given.pk)
        if assignment.revoked_at is not None:
            raise ValidationError(_("This role was already revoked."), code="already_revoked")
        if (
            assignment.role == Role.ADVP
            and not RoleAssignment.objects.filter(role=Role.ADVP, revoked_at__isnull=True)
            .exclude(pk=assignment.pk)
            .exists()
        ):
            raise ValidationError(
                _("This is the last ADVP officer: give the role to someone else first."), code="last_advp"
            )
        assignment.revoked_at = timezone.now()
        assignment.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditAction.REVOKE,
            obj=assignment.user,
            changes={"role": [_role_label(assignment.role, assignment.scope), None]},
        )
        forget_grants(assignment.user)
        if "user" in given._state.fields_cache:
            forget_grants(given.user)
    return assignment


# --- Invitations -----------------------------------------------------------------------------------


class InvitationLinkError(Exception):
    """Why an invitation link cannot be used; `message` is shown to the visitor, `status` is the HTTP status."""

    message = _("This invitation link is not valid.")
    status = 400
    code = "invalid"

    def __str__(self) -> str:
        return str(self.message)


class InvitationInvalid(InvitationLinkError):
    pass


class InvitationUsed(InvitationLinkError):
    message = _("This invitation has already been used.")
    status = 410
    code = "used"


class InvitationCancelled(InvitationLinkError):
    message = _("This invitation has been cancelled. Ask the person who invited you for a new one if needed.")
    status = 410
    code = "cancelled"


class InvitationExpired(InvitationLinkError):
    message = _("This invitation has expired. Ask for a new one.")
    status = 410
    code = "expired"


def _raise_unless_open(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationUsed
    if invitation.cancelled_at is not None:
        raise InvitationCancelled
    if invitation.is_expired:
        raise InvitationExpired


def invitation_from_token(token: str) -> Invitation:
    """The open invitation a link's token names, or the specific reason it cannot be used."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise InvitationInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("invitation"), int):
        raise InvitationInvalid
    invitation = Invitation.objects.select_related("invited_by").filter(pk=data["invitation"]).first()
    if invitation is None or invitation.email != data.get("email"):
        raise InvitationInvalid
    _raise_unless_open(invitation)
    return invitation


def _pending(queryset: models.QuerySet) -> models.QuerySet:
    return queryset.filter(accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__gt=timezone.now())


def invitation_create(
    *, actor: User, email: str, role: str, scope: models.Model | None = None, language: str
) -> Invitation:
    """ADVP invites someone by e-mail to take a role within a scope; the e-mail leaves after the commit."""
    _require_advp(actor, _("Only ADVP can invite people."))
    email = User.objects.normalize_email(email or "").strip().lower()
    if language not in dict(settings.LANGUAGES):
        raise _field_error("language", _("Choose one of the offered languages."), "invalid_language")
    with transaction.atomic():
        scope_type, scope_id = _scope_key(actor=actor, role=role, scope=scope)
        now = timezone.now()
        invitation = Invitation(
            email=email,
            role=role,
            scope_type=scope_type,
            scope_id=scope_id,
            language=language,
            invited_by=actor,
            created_at=now,
            expires_at=now + datetime.timedelta(days=settings.INVITATION_VALID_DAYS),
        )
        invitation.full_clean()
        same = {"role": role, "scope_type": scope_type, "scope_id": scope_id}
        if _pending(Invitation.objects.filter(email__iexact=email, **same)).exists():
            raise ValidationError(
                _("%(email)s already has a pending invitation for this role and scope.") % {"email": email},
                code="duplicate_invitation",
            )
        if RoleAssignment.objects.filter(user__email__iexact=email, revoked_at__isnull=True, **same).exists():
            raise ValidationError(
                _("%(email)s already holds this role for this scope.") % {"email": email}, code="already_holds_role"
            )
        invitation.save()
        audit_record(
            actor=actor,
            action=AuditAction.INVITE,
            obj=invitation,
            changes={
                "email": [None, email],
                "role": [None, _role_label(role, scope)],
                "language": [None, language],
                "expires_at": [None, invitation.expires_at],
            },
        )
        invitation_id = invitation.pk
        transaction.on_commit(lambda: _enqueue_invitation_email(invitation_id))
    return invitation


def _enqueue_invitation_email(invitation_id: int) -> None:
    from .tasks import send_invitation_email_task

    send_invitation_email_task.enqueue(invitation_id)


def invitation_cancel(*, actor: User, invitation: Invitation) -> Invitation:
    """ADVP withdraws an invitation that has not been accepted: its link stops working."""
    _require_advp(actor, _("Only ADVP can cancel invitations."))
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation has already been accepted."), code="accepted")
        if invitation.cancelled_at is not None:
            raise ValidationError(_("This invitation was already cancelled."), code="cancelled")
        before = snapshot(invitation, ["cancelled_at"])
        invitation.cancelled_at = timezone.now()
        invitation.save(update_fields=["cancelled_at"])
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=invitation,
            changes=diff(before, snapshot(invitation, ["cancelled_at"])),
        )
    return invitation


def email_address_verify(user: User, email: str) -> None:
    """Opening an e-mailed link proves the address: record it as verified (primary when the user has none)."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        has_primary = EmailAddress.objects.filter(user=user, primary=True).exists()
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=not has_primary)
    elif not address.verified:
        address.verified = True
        address.save(update_fields=["verified"])


def invitation_accept(
    *,
    invitation: Invitation,
    password: str | None = None,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
) -> User:
    """The invitee accepts. A new person gets an account (the address counts as verified) with the password
    they chose; someone who already has an account must be signed in as it (`user`) and gets the role added."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _raise_unless_open(invitation)
        existing = User.objects.filter(email__iexact=invitation.email).first()
        if user is not None:
            if existing is None or existing.pk != user.pk:
                raise ValidationError(
                    _("This invitation was sent to %(email)s. Sign out, then open the link again.")
                    % {"email": invitation.email},
                    code="wrong_account",
                )
        elif existing is not None:
            raise ValidationError(
                _("An account with this e-mail address already exists. Sign in to it, then open the link again."),
                code="sign_in_required",
            )
        else:
            user = _user_create_from_invitation(
                invitation=invitation, password=password, first_name=first_name, last_name=last_name
            )
        email_address_verify(user, invitation.email)
        before = snapshot(invitation, ["accepted_at", "accepted_by"])
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        audit_record(
            actor=user,
            action=AuditAction.ACCEPT,
            obj=invitation,
            changes=diff(before, snapshot(invitation, ["accepted_at", "accepted_by"])),
        )
        already = RoleAssignment.objects.filter(
            user=user,
            role=invitation.role,
            scope_type=invitation.scope_type,
            scope_id=invitation.scope_id,
            revoked_at__isnull=True,
        ).exists()
        if not already:
            _grant(
                actor=user, user=user, role=invitation.role, scope=invitation.scope, granted_by=invitation.invited_by
            )
    return user


def _user_create_from_invitation(*, invitation: Invitation, password: str | None, first_name: str, last_name: str):
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    errors = {}
    if not first_name:
        errors["first_name"] = [_("Enter your first name.")]
    if not last_name:
        errors["last_name"] = [_("Enter your last name.")]
    user = User(email=invitation.email, first_name=first_name, last_name=last_name, language=invitation.language)
    if not password:
        errors["password"] = [_("Choose a password.")]
    else:
        try:
            password_validation.validate_password(password, user=user)
        except ValidationError as error:
            errors["password"] = error.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=user,
        action=AuditAction.CREATE,
        obj=user,
        changes={"email": [None, user.email], "language": [None, user.language]},
    )
    return user


def invitation_send_email(*, invitation_id: int) -> bool:
    """Send the invitation e-mail in the invitation's language, at least once: the row stays locked while the
    message is handed to the SMTP server and is marked sent in the same transaction, so a crash before the mark
    sends it again on the retry rather than never. Accepted, cancelled or already sent invitations are skipped.
    Returns whether an e-mail left."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(pk=invitation_id, email_sent_at__isnull=True, accepted_at__isnull=True, cancelled_at__isnull=True)
            .select_related("invited_by", "scope_type")
            .first()
        )
        if invitation is None:
            return False
        _invitation_message(invitation).send()
        Invitation.objects.filter(pk=invitation_id).update(email_sent_at=timezone.now())
    return True


def _invitation_message(invitation: Invitation) -> EmailMultiAlternatives:
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "role": invitation.get_role_display(),
            "scope": str(invitation.scope) if invitation.scope_id else "",
            "inviter": invitation.invited_by.get_full_name() if invitation.invited_by else "",
            "accept_url": settings.SITE_URL + invitation.get_accept_url(),
            "site_url": settings.SITE_URL,
            "expires_at": timezone.localtime(invitation.expires_at),
            "language": invitation.language,
        }
        subject = " ".join(render_to_string("accounts/email/invitation_subject.txt", context).split())
        text = render_to_string("accounts/email/invitation_message.txt", context)
        html = render_to_string("accounts/email/invitation_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        headers={"Content-Language": invitation.language},
    )
    message.attach_alternative(html, "text/html")
    return message
