"""Fixtures and helpers of part "member"'s tests (imported by messaging/tests/test_member_*.py)."""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

TEXTS = {
    "nl": {"title": "Inbraak Meir", "body": "Verdachte personen **gezien** aan de Meir.", "sms": "BIN: inbraak Meir"},
    "fr": {"title": "Cambriolage Meir", "body": "Personnes suspectes vues au Meir.", "sms": "BIN: cambriolage Meir"},
    "en": {"title": "Burglary Meir", "body": "Suspicious people seen on the Meir.", "sms": "BIN: burglary Meir"},
}
LINK = re.compile(r"https?://[^\s\"<>]+/messages/m/[^\s\"<>]+/")


@pytest.fixture
def english(personas, client):
    """Everybody reads English (pages are asserted in English), visitors who are nobody in particular too (the
    language cookie of the test client); tests about a language choose it themselves."""
    from accounts.models import User

    client.cookies["binplp_language"] = "en"
    User.objects.exclude(language="en").update(language="en")
    for person in personas.all().values():
        person.language = "en"
    return personas


@pytest.fixture
def member(personas):
    """The member persona's profile (network A, e-mail and SMS)."""
    from members.models import Member

    return Member.objects.select_related("user").get(user=personas.member)


def send(personas, *, actor=None, message_type="prevention_tip", networks=None, texts=None):
    """A message sent now through the real service (deliveries written, audit event)."""
    from messaging.services.sending import message_send

    return message_send(
        actor=actor or personas.zone_officer,
        message_type=message_type,
        networks=networks or [personas.network_a],
        texts=texts or TEXTS,
    ).message


def links(message, member) -> dict[str, str]:
    """The member's rating, reply and unsubscribe links of a message, as paths."""
    from messaging.tokens import member_link_urls

    return {
        key: urlsplit(url).path for key, url in member_link_urls(message_id=message.pk, member_id=member.pk).items()
    }


def emailed_links(smtp_server, address: str) -> dict[str, str]:
    """The links of the last e-mail that arrived for `address`, as paths, by kind (useful, not_useful, reply,
    unsubscribe), and the List-Unsubscribe header's."""
    mail = smtp_server.to(address)[-1]
    body = smtp_server.body(mail)
    found: dict[str, str] = {}
    for url in LINK.findall(body):
        path = urlsplit(url).path
        if path.endswith("/rate/useful/"):
            found["useful"] = path
        elif path.endswith("/rate/not-useful/"):
            found["not_useful"] = path
        elif path.endswith("/reply/"):
            found["reply"] = path
        elif path.endswith("/unsubscribe/"):
            found["unsubscribe"] = path
    header = str(mail["List-Unsubscribe"]).strip().strip("<>")
    found["list_unsubscribe"] = urlsplit(header).path
    return found


def make_report(personas, member, *, network=None, status="new", **fields):
    """A report filed through the real service (then moved to `status` through the services)."""
    from messaging.services import reports

    values = {
        "category": "suspicious_behaviour",
        "happened_at": timezone.now() - datetime.timedelta(hours=2),
        "place": "Meir 20",
        "description": "Someone tried the door handles of the parked cars, one after the other.",
        "vehicle_type": "grey van",
    }
    values.update(fields)
    report = reports.report_create(actor=member.user, member=member, network=network or personas.network_a, **values)
    if status in ("acknowledged", "closed"):
        report = reports.report_acknowledge(actor=personas.zone_officer, report=report)
    if status == "closed":
        report = reports.report_close(actor=personas.zone_officer, report=report)
    return report


@pytest.fixture
def coordinator_may_send(personas):
    """Network A's communication plan lets its coordinators send prevention tips (a conform charter)."""
    from networks.models import Charter

    return Charter.objects.create(
        network=personas.network_a,
        version=1,
        status="conform",
        senders={"urgent_alert": ["police"], "prevention_tip": ["police", "coordinator"]},
        submitted_at=timezone.now(),
        decided_at=timezone.now(),
    )
