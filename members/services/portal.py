"""What a member does in the member portal (/me/): sign in by e-mailed link, keep their data and choices, leave a
network, and erase their account.

Every function here acts for the member themselves: `actor` must be the member's own account. Audit rows name the
fields that changed, never their values (see members.models).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User
from core.audit import audit_record
from core.models import AuditAction, AuditEvent
from core.roles import PRIVILEGED_ROLES, Role, forget_grants, is_privileged, user_roles
from networks.choices import MessageType

from ..choices import CURRENT_STATUSES, MembershipStatus
from ..models import JoinRequest, Member, Membership
from ..validation import mobile_normalise, postal_code_check

# Fields of the member's own data ("My data") and of their choices ("My choices"), as audited.
USER_PROFILE_FIELDS = ("first_name", "last_name")
MEMBER_PROFILE_FIELDS = ("mobile", "street", "house_number", "box", "postal_code")
CHOICE_FIELDS = (
    "by_email",
    "by_sms",
    "urgent_by_sms",
    "muted_types",
    "quiet_from",
    "quiet_until",
    "paused_from",
    "paused_until",
)
ERASED_EMAIL_DOMAIN = "invalid.binplp.be"


def _error(message, code: str) -> ValidationError:
    return ValidationError(message, code=code)


def _raise(errors: dict[str, ValidationError]) -> None:
    if errors:
        raise ValidationError({field: [error] for field, error in errors.items()})


def _require_self(actor: User, member: Member) -> None:
    if actor is None or not actor.is_authenticated or actor.pk != member.user_id:
        raise PermissionDenied(_("Only the member can do this in the member portal."))


# --- Validation shared by the forms and the services -------------------------------------------------------------


# --- Sign-in link ----------------------------------------------------------------------------------------------


def can_sign_in_by_link(user: User) -> bool:
    """Members sign in by e-mailed link. Someone who also holds a privileged role (coordinator, officer, ...) must
    sign in with password and authenticator: a link would skip the second factor."""
    return user.is_active and not is_privileged(user) and Member.objects.filter(user=user).exists()


def member_sign_in_link_request(*, email: str) -> None:
    """Someone asks for a sign-in link for `email`. Only an active account with a member profile gets an e-mail
    (a link, or for privileged accounts an explanation to use the normal sign-in); everyone else gets nothing.
    Callers answer the same whatever happened, so nobody learns whether an address belongs to a member."""
    email = User.objects.normalize_email(email or "").strip()
    if not email:
        return
    user = User.objects.filter(email__iexact=email, is_active=True, member_profile__isnull=False).first()
    if user is None:
        return
    user_id = user.pk
    transaction.on_commit(lambda: _enqueue_sign_in_email(user_id))


def _enqueue_sign_in_email(user_id: int) -> None:
    from ..tasks.portal import send_sign_in_link_task

    send_sign_in_link_task.enqueue(user_id)


def member_sign_in_link_send(*, user_id: int) -> bool:
    """Send the e-mail with a fresh sign-in link, in the member's language (text and HTML). The token is made here,
    in the worker, so it is never stored in the task queue. A retried task may send a second link; both work until
    one of them is used. A privileged account gets an explanation instead of a link. Returns whether an e-mail
    left."""
    from ..tokens import sign_in_path

    user = User.objects.filter(pk=user_id, is_active=True, member_profile__isnull=False).first()
    if user is None:
        return False
    language = user.language or settings.LANGUAGE_CODE
    privileged = is_privileged(user)
    with translation.override(language):
        context = {
            "user": user,
            "language": language,
            "site_url": settings.SITE_URL,
            "minutes": settings.BINPLP_MAGIC_LINK_MINUTES,
            "login_url": settings.SITE_URL + _reverse("account_login"),
            "request_url": settings.SITE_URL + _reverse("members_portal:sign_in"),
        }
        if privileged:
            name = "portal_sign_in_refused"
        else:
            name = "portal_sign_in"
            context["link"] = settings.SITE_URL + sign_in_path(user)
        subject = " ".join(render_to_string(f"members/email/{name}_subject.txt", context).split())
        text = render_to_string(f"members/email/{name}_message.txt", context)
        html = render_to_string(f"members/email/{name}_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


def _reverse(name: str) -> str:
    from django.urls import reverse

    return reverse(name)


# --- My data ---------------------------------------------------------------------------------------------------


def member_update(
    *,
    actor: User,
    member: Member,
    first_name: str,
    last_name: str,
    mobile: str,
    street: str,
    house_number: str,
    box: str,
    postal_code: str,
) -> Member:
    """The member corrects their name, mobile number or address. A new mobile number is no longer verified;
    removing it turns off SMS."""
    _require_self(actor, member)
    values = {
        "first_name": (first_name or "").strip(),
        "last_name": (last_name or "").strip(),
        "street": (street or "").strip(),
        "house_number": (house_number or "").strip(),
        "box": (box or "").strip(),
    }
    errors: dict[str, ValidationError] = {}
    if not values["first_name"]:
        errors["first_name"] = _error(_("Enter your first name."), "required")
    if not values["last_name"]:
        errors["last_name"] = _error(_("Enter your last name."), "required")
    if not values["street"]:
        errors["street"] = _error(_("Enter your street."), "required")
    if not values["house_number"]:
        errors["house_number"] = _error(_("Enter your house number."), "required")
    try:
        values["mobile"] = mobile_normalise(mobile)
    except ValidationError as error:
        errors["mobile"] = error
    try:
        values["postal_code"] = postal_code_check(postal_code)
    except ValidationError as error:
        errors["postal_code"] = error
    _raise(errors)

    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        user = member.user
        user_changed = [field for field in USER_PROFILE_FIELDS if getattr(user, field) != values[field]]
        member_changed = [field for field in MEMBER_PROFILE_FIELDS if getattr(member, field) != values[field]]
        for field in user_changed:
            setattr(user, field, values[field])
        for field in member_changed:
            setattr(member, field, values[field])
        if "mobile" in member_changed:
            member.mobile_verified_at = None
            if not member.mobile and member.by_sms:
                member.by_sms = False
                member_changed.append("by_sms")
        if not user_changed and not member_changed:
            return member
        if user_changed:
            user.full_clean(exclude=["password"])
            user.save(update_fields=user_changed)
        if member_changed:
            member.full_clean()
            member.save()
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=member,
            changes={"fields": sorted(user_changed + member_changed)},
        )
    return member


# --- My choices ------------------------------------------------------------------------------------------------


def member_choices_set(
    *,
    actor: User,
    member: Member,
    by_email: bool,
    by_sms: bool,
    urgent_by_sms: bool,
    muted_types: Iterable[str],
    language: str,
    quiet_from: datetime.time | None,
    quiet_until: datetime.time | None,
    paused_from: datetime.date | None,
    paused_until: datetime.date | None,
) -> Member:
    """The member chooses how and what they receive: channels (the web inbox is always on), language, message types
    (urgent alerts cannot be switched off while a member), quiet hours for non-urgent messages (may cross
    midnight) and a holiday pause (not in the past)."""
    _require_self(actor, member)
    muted = sorted(set(muted_types))
    today = timezone.localdate()
    errors: dict[str, ValidationError] = {}
    if MessageType.URGENT_ALERT in muted:
        errors["muted_types"] = _error(
            _("Urgent alerts cannot be turned off while you are a member."), "urgent_not_mutable"
        )
    elif set(muted) - set(MessageType.values):
        errors["muted_types"] = _error(_("Choose among the offered message types."), "invalid_type")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _error(_("Choose one of the offered languages."), "invalid_language")
    if by_sms and not member.mobile:
        errors["by_sms"] = _error(
            _("Messages by SMS need a mobile number: add one under “My data” first."), "sms_needs_mobile"
        )
    if (quiet_from is None) != (quiet_until is None):
        missing = "quiet_until" if quiet_until is None else "quiet_from"
        errors[missing] = _error(
            _("Give both the start and the end of your quiet hours, or neither."), "quiet_hours_incomplete"
        )
    elif quiet_from is not None and quiet_from == quiet_until:
        errors["quiet_until"] = _error(
            _("Your quiet hours must end at another time than they start."), "quiet_hours_empty"
        )
    if (paused_from is None) != (paused_until is None):
        missing = "paused_until" if paused_until is None else "paused_from"
        errors[missing] = _error(
            _("Give both the first and the last day of your holiday pause, or neither."), "pause_incomplete"
        )
    elif paused_from is not None:
        if paused_until < paused_from:
            errors["paused_until"] = _error(
                _("The last day of the pause cannot come before its first day."), "pause_order"
            )
        elif paused_until < today:
            errors["paused_until"] = _error(_("A holiday pause cannot end in the past."), "pause_past")
        elif paused_from < today and paused_from != member.paused_from:
            errors["paused_from"] = _error(_("A holiday pause cannot start in the past."), "pause_past")
    _raise(errors)

    from accounts.services import user_set_language

    values = {
        "by_email": bool(by_email),
        "by_sms": bool(by_sms),
        "urgent_by_sms": bool(urgent_by_sms),
        "muted_types": muted,
        "quiet_from": quiet_from,
        "quiet_until": quiet_until,
        "paused_from": paused_from,
        "paused_until": paused_until,
    }
    with transaction.atomic():
        member = Member.objects.select_for_update().select_related("user").get(pk=member.pk)
        current = {field: getattr(member, field) for field in CHOICE_FIELDS}
        current["muted_types"] = sorted(current["muted_types"] or [])
        changed = [field for field in CHOICE_FIELDS if current[field] != values[field]]
        if changed:
            for field in changed:
                setattr(member, field, values[field])
            member.full_clean()
            member.save()
            audit_record(actor=actor, action=AuditAction.UPDATE, obj=member, changes={"fields": sorted(changed)})
        user_set_language(actor=actor, user=member.user, language=language)
    return member


def member_pause_end(*, actor: User, member: Member) -> Member:
    """End the holiday pause now: messages come again from today."""
    _require_self(actor, member)
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        if member.paused_from is None and member.paused_until is None:
            raise ValidationError(_("You have no holiday pause to end."), code="no_pause")
        member.paused_from = None
        member.paused_until = None
        member.save()
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=member, changes={"fields": ["paused_from", "paused_until"]}
        )
    return member


# --- My networks -----------------------------------------------------------------------------------------------


def membership_leave(*, actor: User, membership: Membership) -> Membership:
    """The member leaves a network: the membership ends today (status "left"). The account, the member profile
    and the other memberships stay; a member who left every network can still erase their account."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update(of=("self",)).select_related("network", "member").get(pk=membership.pk)
        )
        if membership.member is None:
            raise PermissionDenied(_("Only the member can do this in the member portal."))
        _require_self(actor, membership.member)
        if membership.status not in CURRENT_STATUSES:
            raise ValidationError(_("You are no longer a member of this network."), code="not_current")
        old = membership.status
        membership.status = MembershipStatus.LEFT
        membership.ended_on = timezone.localdate()
        membership.full_clean()
        membership.save(update_fields=["status", "ended_on"])
        audit_record(
            actor=actor, action=AuditAction.UPDATE, obj=membership, changes={"status": [old, MembershipStatus.LEFT]}
        )
    return membership


# --- Erasure ---------------------------------------------------------------------------------------------------


def erasure_blockers(user: User) -> list[str]:
    """Why this account cannot be erased from the member portal (empty when it can): a privileged role (their data
    is part of the work of a network, a zone or a municipality and the role must be handed over first), or an
    ongoing role in a network's partners (coordinator, steering group, ...)."""
    from networks.models import Partner

    reasons = []
    roles = sorted(user_roles(user) & set(PRIVILEGED_ROLES))
    if roles or user.is_superuser:
        labels = ", ".join(str(Role(role).label) for role in roles) or str(_("site administrator"))
        reasons.append(
            _(
                "You also hold the role %(roles)s. Your account cannot be deleted while you hold it: hand the role "
                "over first (ask ADVP, or the mandated police officer for a coordinator role), then come back."
            )
            % {"roles": labels}
        )
    today = timezone.localdate()
    partnerships = Partner.objects.filter(user=user).exclude(active_to__lt=today)
    for partner in partnerships.select_related("network"):
        reasons.append(
            _(
                "You are listed as %(role)s of %(network)s. Ask the network's coordinator or mandated police officer "
                "to end that role first."
            )
            % {"role": partner.get_role_display(), "network": partner.network.name}
        )
    return reasons


def erased_email(user: User) -> str:
    return f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"


def member_erase(*, actor: User, member: Member) -> None:
    """Erase a member at their own request (GDPR art. 17), in one transaction.

    Erased: the member profile (mobile number, address, choices), the consent records, every join request held for
    the member's e-mail address, and everything personal on the account. Kept, without anything that identifies
    the person: the memberships as anonymous rows (status "erased", so the counts of members over time stay right;
    an end date that was already set is kept, otherwise today), the audit trail's facts, and the sanctions the
    network recorded (they name a member only as "#id", which no longer points at anyone).

    The account row is anonymised rather than deleted: e-mail `erased-<pk>@invalid.binplp.be`, names and telephone
    blank, unusable password, inactive, allauth e-mail addresses, authenticators and API tokens deleted, every role
    revoked (the assignment rows keep their dates). Deleting it instead would be blocked by `Partner.user`
    (PROTECT) for former partners, would delete the history of roles, and would turn the audit trail's actor into
    "nobody", mixing the person's past actions with the system's. The emptied row identifies no one.

    The audit trail copies labels when it writes a row (the actor's e-mail address, the account's name as the
    object); those copies are replaced by the anonymous address, and personal values on rows about the account are
    blanked, so the facts stay (who-as-id, what, when) and the person's data goes.

    Refused (ValidationError) while the person holds a privileged role or an ongoing role in a network: see
    `erasure_blockers`."""
    _require_self(actor, member)
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from rest_framework.authtoken.models import Token

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=member.user_id)
        forget_grants(user)
        blockers = erasure_blockers(user)
        if blockers:
            raise ValidationError([ValidationError(reason, code="erasure_refused") for reason in blockers])
        member = Member.objects.select_for_update().get(pk=member.pk)
        member_pk = member.pk
        today = timezone.localdate()
        email = user.email

        # The account first: audit rows written below then carry the anonymous address as the actor's label.
        anonymous = erased_email(user)
        user.email = anonymous
        user.first_name = ""
        user.last_name = ""
        user.phone = ""
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "first_name", "last_name", "phone", "is_active", "password"])
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        Token.objects.filter(user=user).delete()
        _pseudonymise_audit_trail(user, anonymous)
        actor = user
        audit_record(
            actor=actor,
            action=AuditAction.UPDATE,
            obj=user,
            changes={"fields": ["email", "first_name", "last_name", "phone", "is_active", "password"], "erased": True},
        )
        revoked_at = timezone.now()
        for assignment in RoleAssignment.objects.select_for_update().filter(user=user, revoked_at__isnull=True):
            assignment.revoked_at = revoked_at
            assignment.save(update_fields=["revoked_at"])
            audit_record(actor=actor, action=AuditAction.REVOKE, obj=user, changes={"role": [assignment.role, None]})
        forget_grants(user)

        memberships = list(
            Membership.objects.select_for_update(of=("self",)).select_related("network").filter(member_id=member_pk)
        )
        for membership in memberships:
            old = membership.status
            membership.status = MembershipStatus.ERASED
            membership.member = None
            membership.ended_on = membership.ended_on or today
            membership.save(update_fields=["status", "member", "ended_on"])
            audit_record(
                actor=actor,
                action=AuditAction.UPDATE,
                obj=membership,
                changes={"status": [old, MembershipStatus.ERASED]},
            )

        consents_deleted, _detail = member.consents.all().delete()
        requests = list(JoinRequest.objects.select_related("network").filter(email__iexact=email))
        for request in requests:
            audit_record(actor=actor, action=AuditAction.DELETE, obj=request, changes={"reason": "member_erased"})
        JoinRequest.objects.filter(pk__in=[request.pk for request in requests]).delete()

        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=member,
            object_repr=f"#{member_pk}",
            changes={
                "memberships_erased": len(memberships),
                "consents_deleted": consents_deleted,
                "join_requests_deleted": len(requests),
            },
        )
        member.delete()


# Keys of `changes` on audit rows about an account that may hold personal values.
_PERSONAL_AUDIT_KEYS = ("email", "first_name", "last_name", "phone", "name")


def _pseudonymise_audit_trail(user: User, label: str) -> None:
    """Replace the copies of the person's identity on audit rows: their e-mail as the actor's label, their name as
    the object's label, and personal values in changes recorded about the account. The rows themselves stay."""
    AuditEvent.objects.filter(actor=user).update(actor_label=label)
    about_user = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(User, for_concrete_model=True), object_id=str(user.pk)
    )
    about_user.update(object_repr=label)
    for pk, changes in about_user.values_list("pk", "changes"):
        if not isinstance(changes, dict):
            continue
        personal = [key for key in _PERSONAL_AUDIT_KEYS if key in changes]
        if personal:
            cleaned = {key: ("erased" if key in personal else value) for key, value in changes.items()}
            AuditEvent.objects.filter(pk=pk).update(changes=cleaned)
