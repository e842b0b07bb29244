"""The feedback duty: after an urgent alert the police owe the members feedback, usually the next working day.

The core sets `Message.feedback_due_at` when a police urgent alert goes out and `feedback_sent_at` once a message with
`feedback_for=` that alert goes out. Here: the hourly reminders to the zone's mandated officers while an alert still
owes feedback — from two hours before it is due, then every BINPLP_FEEDBACK_REMINDER_HOURS until the feedback is sent.

Each reminder is claimed with one conditional UPDATE (still owing, due soon, not reminded within the interval), so two
runs at the same time — or one run twice — remind once. The e-mails leave afterwards, one task per officer, retried
until the SMTP server takes them; a task whose alert got its feedback meanwhile, or that a newer reminder superseded,
sends nothing.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from accounts.models import User
from core.roles import Role
from geography.models import PoliceZone

from ..models import Message
from ..selectors_follow import DUE_SOON, owes_feedback_condition

logger = logging.getLogger(__name__)
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
TEMPLATE_DIR = "messaging/follow/email"


def zone_officers(zone_id: int):
    """The active accounts holding an active mandated-officer role for the zone, with an e-mail address."""
    zone_type = ContentType.objects.get_for_model(PoliceZone)
    return (
        User.objects.filter(
            is_active=True,
            email__gt="",
            role_assignments__role=Role.ZONE_OFFICER,
            role_assignments__scope_type=zone_type,
            role_assignments__scope_id=zone_id,
            role_assignments__revoked_at__isnull=True,
        )
        .distinct()
        .order_by("pk")
    )


def _reminder_due(now: datetime.datetime) -> Q:
    interval = datetime.timedelta(hours=settings.BINPLP_FEEDBACK_REMINDER_HOURS)
    return (
        owes_feedback_condition()
        & Q(feedback_due_at__lte=now + DUE_SOON)
        & (Q(feedback_reminded_at__isnull=True) | Q(feedback_reminded_at__lte=now - interval))
    )


def feedback_reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the mandated officers of every alert that owes feedback, is overdue or due within two hours, and was
    not reminded within BINPLP_FEEDBACK_REMINDER_HOURS: record the reminder on the alert and queue one e-mail per
    officer once that is committed. Returns {"alerts": reminded alerts, "emails": e-mails queued}."""
    now = now or timezone.now()
    reminded = emails = 0
    for alert_id, zone_id in list(Message.objects.filter(_reminder_due(now)).values_list("pk", "zone_id")):
        with transaction.atomic():
            # The claim: only one run updates the row while it is still due for a reminder.
            claimed = Message.objects.filter(_reminder_due(now), pk=alert_id).update(
                feedback_reminded_at=now, feedback_reminders=F("feedback_reminders") + 1
            )
            if not claimed:
                continue
            reminder = Message.objects.filter(pk=alert_id).values_list("feedback_reminders", flat=True).get()
            officers = list(zone_officers(zone_id).values_list("pk", flat=True))
            reminded += 1
            emails += len(officers)
            if not officers:
                logger.warning("Alert %s owes feedback; zone %s has no mandated officer to remind", alert_id, zone_id)
            transaction.on_commit(lambda a=alert_id, r=reminder, users=officers: _enqueue(a, r, users))
    return {"alerts": reminded, "emails": emails}


def _enqueue(alert_id: int, reminder: int, user_ids: list[int]) -> None:
    from ..tasks_follow import send_feedback_reminder_task

    for user_id in user_ids:
        send_feedback_reminder_task.enqueue(alert_id, user_id, reminder)


def _absolute(name: str, *args, query: str = "") -> str:
    try:
        return settings.SITE_URL + reverse(name, args=args) + query
    except NoReverseMatch:
        return ""


def feedback_reminder_email(*, alert: Message, user: User, now: datetime.datetime | None = None):
    """The reminder e-mail for one officer, in their language."""
    now = now or timezone.now()
    language = user.language if user.language in LANGUAGES else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            "language": language,
            "site_url": settings.SITE_URL,
            "alert": alert,
            "title": alert.title(language),
            "networks": ", ".join(network.name for network in alert.networks.order_by("name")),
            "sent_at": timezone.localtime(alert.sent_at),
            "due_at": timezone.localtime(alert.feedback_due_at),
            "overdue": alert.feedback_due_at <= now,
            "reminders": alert.feedback_reminders,
            "feedback_url": _absolute("messaging:feedback_due"),
            "compose_url": _absolute("messaging:compose", query=f"?feedback_for={alert.pk}"),
        }
        subject = " ".join(render_to_string(f"{TEMPLATE_DIR}/feedback_reminder_subject.txt", context).split())
        text = render_to_string(f"{TEMPLATE_DIR}/feedback_reminder_message.txt", context)
        html = render_to_string(f"{TEMPLATE_DIR}/feedback_reminder_message.html", context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={"Content-Language": language},
    )
    message.attach_alternative(html, "text/html")
    return message


def feedback_reminder_deliver(*, alert_id: int, user_id: int, reminder: int) -> bool:
    """Send reminder number `reminder` of an alert to one officer; nothing when the alert no longer owes feedback,
    a later reminder superseded this one, or the person is no longer a mandated officer of the zone."""
    alert = Message.objects.filter(owes_feedback_condition(), pk=alert_id, feedback_reminders=reminder).first()
    if alert is None:
        return False
    user = zone_officers(alert.zone_id).filter(pk=user_id).first()
    if user is None:
        return False
    feedback_reminder_email(alert=alert, user=user).send()
    return True
