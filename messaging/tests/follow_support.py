"""Helpers of part "follow"'s tests (imported by messaging/tests/test_follow_*.py): messages sent at known moments
through the real service, deliveries marked as the outbox would, and a dataset with known figures."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

TEXTS = {
    "nl": {"title": "Inbraak Meir", "body": "Verdachte personen gezien aan de Meir.", "sms": "BIN: inbraak Meir"},
    "en": {"title": "Burglary Meir", "body": "Suspicious people seen on the Meir.", "sms": "BIN: burglary Meir"},
}
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def fresh_cache():
    """The national statistics are cached for ten minutes: each test starts without them (import this fixture)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def english(personas):
    """Everybody reads English (pages are asserted in English)."""
    from accounts.models import User

    User.objects.exclude(language="en").update(language="en")
    for person in personas.all().values():
        person.language = "en"
    return personas


def texts(title: str) -> dict:
    return {"en": {"title": title, "body": f"{title}: the details.", "sms": title[:60]}}


def send(personas, *, at, message_type="urgent_alert", actor=None, networks=None, title="Burglary Meir", **kwargs):
    """A message sent at `at` (a past moment) through messaging.services.sending.message_send."""
    from messaging.services.sending import message_send

    return message_send(
        actor=actor or personas.zone_officer,
        message_type=message_type,
        networks=networks or [personas.network_a],
        texts=texts(title),
        now=at,
        **kwargs,
    ).message


def feedback(personas, alert, *, at, actor=None, title=None):
    return send(
        personas,
        at=at,
        message_type="feedback",
        actor=actor,
        networks=list(alert.networks.all()),
        feedback_for=alert,
        title=title or f"Feedback: {alert.title('en')}",
    )


def mark(message, channel: str, status: str, *, count: int | None = None, error: str = "", at=None) -> int:
    """Mark `count` (all when None) of the still queued deliveries of `message` by `channel` as `status`."""
    from messaging.models import Delivery

    at = at or message.sent_at + datetime.timedelta(seconds=30)
    rows = Delivery.objects.filter(message=message, channel=channel, status="queued").order_by("pk")
    ids = list(rows.values_list("pk", flat=True)[:count] if count is not None else rows.values_list("pk", flat=True))
    values = {"status": status, "attempts": 1, "claimed_until": None}
    if status in ("sent", "delivered"):
        values["sent_at"] = at
    if status == "delivered":
        values["delivered_at"] = at + datetime.timedelta(seconds=5)
    if status == "failed":
        values.update(failed_at=at, error=error or "550 5.1.1 mailbox unavailable")
    return Delivery.objects.filter(pk__in=ids).update(**values)


def url_or_none(name: str, *args) -> str | None:
    """A URL of another part of messaging, or None while that part is not installed in this checkout."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@dataclass
class Dataset:
    """Messages with known figures (see `dataset`)."""

    now: datetime.datetime
    antwerp_alerts: list = field(default_factory=list)  # alert1..alert5 of zone 5345 to network A
    antwerp_feedback: list = field(default_factory=list)
    brussels_alert: object = None
    brussels_feedback: object = None
    others: list = field(default_factory=list)  # non-alert messages of zone 5345
    old_alert: object = None  # outside the 12 months


@pytest.fixture
def dataset(personas, make_members):
    """Zone 5345 (network A, 5 members: the member persona by e-mail and SMS, four by e-mail only) and zone 5339
    (network B, 2 members by e-mail):

    - A: alerts 40, 20, 10 and 5 days ago and 1 hour ago; feedback after 3 h, 10 h and 30 h (late: due after 24 h) for
      the first three; the fourth is overdue, the fifth not due yet. A prevention tip 15 days ago and a newsletter
      60 days ago. An alert 400 days ago with feedback after 1 h (outside the statistics' 12 months).
    - B: an alert 7 days ago with feedback after 2 h.
    """
    make_members(personas.network_a, 4, by_sms=False)
    make_members(personas.network_b, 2, by_sms=False)
    now = timezone.now().replace(microsecond=0)
    data = Dataset(now=now)
    for days, title in ((40, "Alert one"), (20, "Alert two"), (10, "Alert three"), (5, "Alert four")):
        data.antwerp_alerts.append(send(personas, at=now - days * DAY, title=title))
    data.antwerp_alerts.append(send(personas, at=now - HOUR, title="Alert five"))
    for alert, delay in zip(data.antwerp_alerts[:3], (3, 10, 30), strict=True):
        data.antwerp_feedback.append(feedback(personas, alert, at=alert.sent_at + delay * HOUR))
    data.others.append(send(personas, at=now - 15 * DAY, message_type="prevention_tip", title="Lock your doors"))
    data.others.append(send(personas, at=now - 60 * DAY, message_type="newsletter", title="Spring newsletter"))
    data.old_alert = send(personas, at=now - 400 * DAY, title="Old alert")
    feedback(personas, data.old_alert, at=data.old_alert.sent_at + HOUR)
    data.brussels_alert = send(
        personas,
        at=now - 7 * DAY,
        actor=personas.other_zone_officer,
        networks=[personas.network_b],
        title="Alerte Rue Neuve",
    )
    data.brussels_feedback = feedback(
        personas, data.brussels_alert, at=data.brussels_alert.sent_at + 2 * HOUR, actor=personas.other_zone_officer
    )
    for message in [*data.antwerp_alerts, data.old_alert, data.brussels_alert]:
        message.refresh_from_db()  # feedback_sent_at, set when the feedback went out
    return data
