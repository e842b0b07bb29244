"""Joining a network: the public join form, the double opt-in by e-mail, telling the network's managers, and
purging old requests.

The public never learns from an answer whether an e-mail address is known: a new request, a repeated one and one
from a current member all end on the same page; what differs is the e-mail that address receives. Audit rows name
statuses and field names, never the applicant's data."""

from __future__ import annotations

import datetime
import enum
import hashlib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role
from geography.models import PoliceZone
from networks.choices import NetworkStatus
from networks.models import Network

from .. import selectors
from ..choices import CURRENT_STATUSES, DocumentKind, JoinRequestStatus, JoinSource
from ..models import JoinRequest, Member, Membership, PolicyDocument
from ..validation import mobile_normalise, postal_code_check
from .documents import document_current
from .membership import member_admit

CONFIRMATION_SALT = "binplp.members.join.confirm"
# A repeated request re-sends the confirmation (or the "already a member" e-mail) at most this often.
RESEND_INTERVAL = datetime.timedelta(minutes=10)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


class JoinOutcome(enum.StrEnum):
    """What a submission did (for tests and logs; the visitor sees the same page for each)."""

    CREATED = "created"
    RESENT = "resent"  # an unconfirmed request existed: its confirmation went out again
    UNCHANGED = "unchanged"  # an open request existed and nothing was sent
    ALREADY_MEMBER = "already_member"


# --- Checks shared by the form and the service ---------------------------------------------------------------


def house_number_value(house_number: str) -> int | None:
    """The number the area's ranges compare: the leading digits of "12", "12A", "12-14"."""
    match = re.match(r"\s*(\d{1,6})", house_number or "")
    return int(match.group(1)) if match else None


def address_in_area(*, network: Network, postal_code: str, street: str, house_number: str) -> bool:
    """Whether the finder says `network` covers this address (forgiving about spelling, respecting number ranges)."""
    covering = selectors.networks_covering(postal_code, street, house_number_value(house_number))
    return any(candidate.pk == network.pk for candidate in covering)


# --- Links --------------------------------------------------------------------------------------------------


def _binding(join_request: JoinRequest) -> str:
    """Ties a link to this very request: a reused id (or a request created again) does not match."""
    text = f"{join_request.pk}|{join_request.email.lower()}|{join_request.created_at.isoformat()}"
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def join_confirmation_token(join_request: JoinRequest) -> str:
    """A signed, timestamped token naming the request (never the e-mail address: links end up in logs)."""
    return signing.dumps({"r": join_request.pk, "b": _binding(join_request)}, salt=CONFIRMATION_SALT)


def join_confirmation_url(join_request: JoinRequest) -> str:
    return settings.SITE_URL + reverse("members_join:confirm", args=[join_confirmation_token(join_request)])


def manage_requests_path(network: Network) -> str:
    """The network's pending join requests page (built by the member management area)."""
    try:
        return reverse("members_manage:request_list", args=[network.code])
    except NoReverseMatch:
        return f"/members/networks/{network.code}/requests/"


def portal_path() -> str:
    return "/me/"


# --- Submitting ----------------------------------------------------------------------------------------------


def _field_errors(errors: dict) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code) for field, (message, code) in errors.items()})


def _check_documents(*, network: Network, rules: PolicyDocument, privacy_notice: PolicyDocument, errors: dict) -> None:
    """The versions the visitor read and accepted must still be the ones in force: a version published while
    the form was open is shown to them first."""
    current_rules = document_current(kind=DocumentKind.INTERNAL_RULES, network=network)
    current_privacy = document_current(kind=DocumentKind.PRIVACY_NOTICE)
    if rules is None or current_rules is None or rules.pk != current_rules.pk:
        errors["accept_rules"] = (
            _("The internal rules have just changed: read the version in force and accept it."),
            "rules_changed",
        )
    if privacy_notice is None or current_privacy is None or privacy_notice.pk != current_privacy.pk:
        errors["accept_privacy"] = (
            _("The privacy notice has just changed: read the version in force and accept it."),
            "privacy_changed",
        )


def join_request_submit(
    *,
    network: Network,
    first_name: str,
    last_name: str,
    email: str,
    mobile: str,
    street: str,
    house_number: str,
    box: str,
    postal_code: str,
    language: str,
    by_email: bool,
    by_sms: bool,
    works_in_area: bool,
    adult_confirmed: bool,
    rules_accepted: bool,
    privacy_accepted: bool,
    rules: PolicyDocument | None,
    privacy_notice: PolicyDocument | None,
) -> JoinOutcome:
    """A visitor asks to join an active network. Validates everything (nothing is stored on any error), then:
    a new request waits for the e-mail confirmation; a repeated request re-sends the confirmation (at most every
    ten minutes) while unconfirmed and otherwise does nothing; a current member is told so by e-mail. The caller
    shows the same answer in every case."""
    if network.status != NetworkStatus.ACTIVE:
        raise ValidationError(_("This network does not accept new members."), code="network_not_active")
    errors: dict[str, tuple] = {}
    first_name, last_name = (first_name or "").strip(), (last_name or "").strip()
    if not first_name:
        errors["first_name"] = (_("Enter your first name."), "required")
    if not last_name:
        errors["last_name"] = (_("Enter your last name."), "required")
    email = User.objects.normalize_email((email or "").strip()).lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = (_("Enter a valid e-mail address, e.g. name@example.be."), "invalid_email")
    try:
        mobile = mobile_normalise(mobile)
    except ValidationError as error:
        errors["mobile"] = (error.messages[0], error.code)
    street, house_number, box = (street or "").strip(), (house_number or "").strip(), (box or "").strip()
    if not street:
        errors["street"] = (_("Enter your street."), "required")
    if not house_number:
        errors["house_number"] = (_("Enter your house number."), "required")
    try:
        postal_code = postal_code_check(postal_code)
    except ValidationError as error:
        errors["postal_code"] = (error.messages[0], error.code)
    if language not in LANGUAGES:
        errors["language"] = (_("Choose one of the offered languages."), "invalid_language")
    if not (by_email or by_sms):
        errors["by_email"] = (_("Choose at least one way to receive messages: e-mail or SMS."), "no_channel")
    elif by_sms and not mobile and "mobile" not in errors:
        errors["mobile"] = (_("Enter a mobile number to receive messages by SMS."), "sms_needs_mobile")
    if not adult_confirmed:
        errors["adult_confirmed"] = (_("Members must be 18 or older."), "not_adult")
    if not rules_accepted:
        errors["accept_rules"] = (_("Accept the internal rules of the network to join it."), "rules_not_accepted")
    if not privacy_accepted:
        errors["accept_privacy"] = (_("Accept the privacy notice to join."), "privacy_not_accepted")
    if rules_accepted and privacy_accepted:
        _check_documents(network=network, rules=rules, privacy_notice=privacy_notice, errors=errors)
    if errors:
        raise _field_errors(errors)

    with transaction.atomic():
        member = (
            Member.objects.filter(
                user__email__iexact=email,
                memberships__network=network,
                memberships__status__in=sorted(CURRENT_STATUSES),
            )
            .only("pk")
            .first()
        )
        if member is not None:
            _tell_already_member(member=member, network=network, language=language)
            return JoinOutcome.ALREADY_MEMBER
        existing = (
            JoinRequest.objects.select_for_update()
            .filter(
                network=network,
                email__iexact=email,
                status__in=[JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING],
            )
            .first()
        )
        if existing is not None:
            return _repeat(existing)
        join_request = JoinRequest(
            network=network,
            status=JoinRequestStatus.UNCONFIRMED,
            source=JoinSource.PUBLIC,
            first_name=first_name,
            last_name=last_name,
            email=email,
            mobile=mobile,
            street=street,
            house_number=house_number,
            box=box,
            postal_code=postal_code,
            language=language,
            by_email=bool(by_email),
            by_sms=bool(by_sms),
            adult_confirmed=True,
            works_in_area=bool(works_in_area),
            privacy_notice=privacy_notice,
            rules=rules,
            in_area=address_in_area(network=network, postal_code=postal_code, street=street, house_number=house_number),
            created_at=timezone.now(),
        )
        join_request.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                join_request.save()
        except IntegrityError:
            # The same address submitted twice at once: the other submission made the request.
            existing = JoinRequest.objects.filter(
                network=network, email__iexact=email, status=JoinRequestStatus.UNCONFIRMED
            ).first()
            return _repeat(existing) if existing is not None else JoinOutcome.UNCHANGED
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=join_request,
            changes={"status": [None, join_request.status], "source": [None, join_request.source]},
        )
        join_request_send_confirmation(join_request=join_request)
    return JoinOutcome.CREATED


def _repeat(existing: JoinRequest) -> JoinOutcome:
    if existing.status != JoinRequestStatus.UNCONFIRMED:
        return JoinOutcome.UNCHANGED
    last = existing.confirmation_sent_at or existing.created_at
    if timezone.now() - last < RESEND_INTERVAL:
        return JoinOutcome.UNCHANGED
    join_request_send_confirmation(join_request=existing)
    return JoinOutcome.RESENT


def _tell_already_member(*, member: Member, network: Network, language: str) -> None:
    # At most one such e-mail per member and network every ten minutes, so the form cannot flood an inbox.
    if cache.add(f"binplp:join:already-member:{member.pk}:{network.pk}", 1, int(RESEND_INTERVAL.total_seconds())):
        member_id, network_id = member.pk, network.pk

        def enqueue():
            from ..tasks.join import send_join_already_member_task

            send_join_already_member_task.enqueue(member_id, network_id, language)

        transaction.on_commit(enqueue)


def join_request_send_confirmation(*, join_request: JoinRequest) -> None:
    """Send (again) the e-mail with the confirmation link, after the caller's transaction commits. Used by the
    join form and by coordinators or officers who enter a request in person (source in_person): the person then
    confirms and is admitted at once. Sent at least once by a retrying task; a link works until
    `BINPLP_JOIN_CONFIRMATION_HOURS` after it was sent."""
    join_request_id = join_request.pk
    requested_at = timezone.now().isoformat()

    def enqueue():
        from ..tasks.join import send_join_confirmation_task

        send_join_confirmation_task.enqueue(join_request_id, requested_at)

    transaction.on_commit(enqueue)


# --- E-mails -------------------------------------------------------------------------------------------------


def _message(*, template: str, context: dict, to: str, language: str) -> EmailMultiAlternatives:
    """An e-mail from members/email/<template>_{subject,message}.{txt,html}, written in `language`."""
    language = language if language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {**context, "language": language, "site_url": settings.SITE_URL}
        subject = " ".join(render_to_string(f"members/email/{template}_subject.txt", context).split())
        text = render_to_string(f"members/email/{template}_message.txt", context)
        html = render_to_string(f"members/email/{template}_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def join_request_send_confirmation_email(*, join_request_id: int, requested_at: datetime.datetime) -> bool:
    """Send the confirmation e-mail once for a request made at `requested_at`: the row stays locked while the
    message goes to the SMTP server and is marked sent in the same transaction, so a crash sends it again on the
    retry rather than never. Skipped when the request is no longer unconfirmed or was sent after `requested_at`."""
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update(of=("self",))
            .select_related("network", "rules", "privacy_notice")
            .filter(pk=join_request_id, status=JoinRequestStatus.UNCONFIRMED)
            .first()
        )
        if join_request is None:
            return False
        if join_request.confirmation_sent_at is not None and join_request.confirmation_sent_at >= requested_at:
            return False
        now = timezone.now()
        context = {
            "join_request": join_request,
            "network": join_request.network,
            "first_name": join_request.first_name,
            "in_person": join_request.source == JoinSource.IN_PERSON,
            "confirm_url": join_confirmation_url(join_request),
            "expires_at": timezone.localtime(now + datetime.timedelta(hours=settings.BINPLP_JOIN_CONFIRMATION_HOURS)),
            "retention_days": settings.BINPLP_JOIN_REQUEST_RETENTION_DAYS,
        }
        _message(template="join_confirm", context=context, to=join_request.email, language=join_request.language).send()
        JoinRequest.objects.filter(pk=join_request_id).update(confirmation_sent_at=now)
    return True


def join_send_already_member_email(*, member_id: int, network_id: int, language: str) -> bool:
    """Tell a current member who filled in the join form again that they already belong to the network."""
    member = Member.objects.select_related("user").filter(pk=member_id).first()
    network = Network.objects.filter(pk=network_id).first()
    if member is None or network is None:
        return False
    if not Membership.objects.filter(member=member, network=network, status__in=sorted(CURRENT_STATUSES)).exists():
        return False
    context = {
        "network": network,
        "first_name": member.user.first_name,
        "portal_url": settings.SITE_URL + portal_path(),
    }
    _message(template="join_already_member", context=context, to=member.user.email, language=language).send()
    return True


def network_manager_users(network: Network):
    """The people who decide the network's join requests: its coordinators and the mandated officers of its zone
    (active accounts with an active role)."""
    network_type = ContentType.objects.get_for_model(Network)
    zone_type = ContentType.objects.get_for_model(PoliceZone)
    coordinator = Q(
        role_assignments__role=Role.COORDINATOR,
        role_assignments__scope_type=network_type,
        role_assignments__scope_id=network.pk,
        role_assignments__revoked_at__isnull=True,
    )
    officer = Q(
        role_assignments__role=Role.ZONE_OFFICER,
        role_assignments__scope_type=zone_type,
        role_assignments__scope_id=network.zone_id,
        role_assignments__revoked_at__isnull=True,
    )
    return User.objects.filter(coordinator | officer, is_active=True).distinct().order_by("pk")


def join_request_notify_manager(*, join_request_id: int, user_id: int) -> bool:
    """Tell one of the network's managers that a confirmed request waits: no personal data, only the link to the
    network's pending requests. Skipped once the request is no longer pending or the person no longer manages."""
    join_request = (
        JoinRequest.objects.select_related("network")
        .filter(pk=join_request_id, status=JoinRequestStatus.PENDING)
        .first()
    )
    if join_request is None:
        return False
    network = join_request.network
    user = network_manager_users(network).filter(pk=user_id).first()
    if user is None:
        return False
    context = {"network": network, "requests_url": settings.SITE_URL + manage_requests_path(network)}
    _message(template="join_new_request", context=context, to=user.email, language=user.language).send()
    return True


def join_request_send_welcome(*, join_request_id: int) -> bool:
    """Welcome a person added in person who confirmed (and so became a member), once: marked with
    `decision_sent_at` in the same transaction as the sending."""
    with transaction.atomic():
        join_request = (
            JoinRequest.objects.select_for_update(of=("self",))
            .select_related("network")
            .filter(
                pk=join_request_id,
                status=JoinRequestStatus.APPROVED,
                source=JoinSource.IN_PERSON,
                decision_sent_at__isnull=True,
            )
            .first()
        )
        if join_request is None:
            return False
        context = {
            "network": join_request.network,
            "first_name": join_request.first_name,
            "portal_url": settings.SITE_URL + portal_path(),
        }
        _message(template="join_welcome", context=context, to=join_request.email, language=join_request.language).send()
        JoinRequest.objects.filter(pk=join_request_id).update(decision_sent_at=timezone.now())
    return True


# --- Confirming ----------------------------------------------------------------------------------------------


class JoinLinkError(Exception):
    """Why a confirmation link cannot be used; `message` is shown to the visitor, `status` is the HTTP status."""

    message = _("This confirmation link is not valid. Check that you copied the whole link from the e-mail.")
    status = 400
    code = "invalid"

    def __str__(self) -> str:
        return str(self.message)


class JoinLinkInvalid(JoinLinkError):
    pass


class JoinLinkExpired(JoinLinkError):
    message = _(
        "This confirmation link has expired. Fill in the join form again with the same e-mail address: "
        "we will send you a new link."
    )
    status = 410
    code = "expired"


class JoinLinkGone(JoinLinkError):
    message = _(
        "This request no longer exists: requests that are not confirmed in time are deleted. "
        "Fill in the join form again if you still want to join."
    )
    status = 410
    code = "gone"


class JoinAlreadyConfirmed(JoinLinkError):
    message = _(
        "You have already confirmed this request. The coordinator of the network will decide on it; "
        "you will receive an e-mail either way."
    )
    status = 409
    code = "confirmed"


class JoinAlreadyDecided(JoinLinkError):
    message = _("This request has already been dealt with; the link is no longer needed.")
    status = 410
    code = "decided"


def _request_for_token(token: str, *, lock: bool = False) -> JoinRequest:
    max_age = datetime.timedelta(hours=settings.BINPLP_JOIN_CONFIRMATION_HOURS)
    try:
        data = signing.loads(token, salt=CONFIRMATION_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise JoinLinkExpired from None
    except signing.BadSignature:
        raise JoinLinkInvalid from None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("b"), str):
        raise JoinLinkInvalid
    queryset = JoinRequest.objects.select_related("network", "rules", "privacy_notice")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    join_request = queryset.filter(pk=data["r"]).first()
    if join_request is None or _binding(join_request) != data["b"]:
        raise JoinLinkGone
    if join_request.status == JoinRequestStatus.PENDING:
        raise JoinAlreadyConfirmed
    if join_request.status != JoinRequestStatus.UNCONFIRMED:
        raise JoinAlreadyDecided
    return join_request


def join_request_from_token(token: str) -> JoinRequest:
    """The unconfirmed request a link names (for the page asking to confirm), or why the link cannot be used."""
    return _request_for_token(token)


def join_request_confirm(*, token: str) -> JoinRequest:
    """The applicant confirms their e-mail address. A public request then waits for the network's managers, who
    are told by e-mail; a request entered in person is admitted at once and the new member welcomed."""
    with transaction.atomic():
        join_request = _request_for_token(token, lock=True)
        now = timezone.now()
        join_request.confirmed_at = now
        if join_request.source == JoinSource.IN_PERSON:
            join_request.save(update_fields=["confirmed_at"])
            member_admit(join_request=join_request, actor=None)
            join_request.refresh_from_db()
            request_id = join_request.pk

            def welcome():
                from ..tasks.join import send_join_welcome_task

                send_join_welcome_task.enqueue(request_id)

            transaction.on_commit(welcome)
            return join_request
        join_request.status = JoinRequestStatus.PENDING
        join_request.save(update_fields=["status", "confirmed_at"])
        audit_record(
            actor=None,
            action=AuditAction.UPDATE,
            obj=join_request,
            changes={"status": [JoinRequestStatus.UNCONFIRMED, JoinRequestStatus.PENDING]},
        )
        request_id = join_request.pk
        manager_ids = list(network_manager_users(join_request.network).values_list("pk", flat=True))

        def notify():
            from ..tasks.join import send_join_request_notice_task

            for user_id in manager_ids:
                send_join_request_notice_task.enqueue(request_id, user_id)

        transaction.on_commit(notify)
    return join_request


# --- Retention -----------------------------------------------------------------------------------------------

PURGED_STATUSES = (JoinRequestStatus.DECLINED, JoinRequestStatus.WITHDRAWN, JoinRequestStatus.APPROVED)


def join_request_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests kept longer than `BINPLP_JOIN_REQUEST_RETENTION_DAYS`: unconfirmed ones counted from
    when they were made; declined, withdrawn and approved ones (an approved person's data lives on in `Member`)
    from when they were decided. Requests waiting for the coordinator stay. One audit row per run, with the count.
    Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.BINPLP_JOIN_REQUEST_RETENTION_DAYS)
    old = (
        Q(status=JoinRequestStatus.UNCONFIRMED, created_at__lt=cutoff)
        | Q(status__in=PURGED_STATUSES, decided_at__lt=cutoff)
        | Q(status__in=PURGED_STATUSES, decided_at__isnull=True, created_at__lt=cutoff)
    )
    with transaction.atomic():
        _total, by_model = JoinRequest.objects.filter(old).delete()
        count = by_model.get(JoinRequest._meta.label, 0)
        audit_record(
            actor=None,
            action=AuditAction.DELETE,
            obj=None,
            object_repr="join requests (retention)",
            changes={"purged": count, "older_than": cutoff},
        )
    return count
