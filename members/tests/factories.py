"""Builders for member tests: documents, join requests and members, written directly (not through services) so
that service tests start from a known state."""

from __future__ import annotations

import datetime
import itertools

from django.utils import timezone

from members.choices import DocumentKind, JoinRequestStatus, JoinSource, MembershipStatus
from members.models import JoinRequest, Member, Membership, PolicyDocument

_numbers = itertools.count(1)


def document(kind: str = DocumentKind.PRIVACY_NOTICE, network=None, version: str | None = None) -> PolicyDocument:
    texts = {
        code: {"title": f"{kind} ({code})", "body": f"Text of the {kind} in {code}."}
        for code in ("nl", "fr", "de", "en")
    }
    return PolicyDocument.objects.create(
        kind=kind,
        network=network,
        version=version or f"test-{next(_numbers)}",
        published_on=datetime.date(2025, 1, 1),
        texts=texts,
    )


def join_request(network, *, status: str = JoinRequestStatus.PENDING, **overrides) -> JoinRequest:
    number = next(_numbers)
    values = {
        "network": network,
        "status": status,
        "source": JoinSource.PUBLIC,
        "first_name": "Jan",
        "last_name": f"Applicant{number}",
        "email": f"applicant{number}@example.be",
        "mobile": "+32470000000",
        "street": "Meir",
        "house_number": "1",
        "postal_code": "2000",
        "language": "nl",
        "adult_confirmed": True,
        "in_area": True,
        "confirmed_at": timezone.now() if status != JoinRequestStatus.UNCONFIRMED else None,
    }
    values.update(overrides)
    if "privacy_notice" not in values:
        values["privacy_notice"] = document(DocumentKind.PRIVACY_NOTICE)
    if "rules" not in values:
        values["rules"] = document(DocumentKind.INTERNAL_RULES)
    return JoinRequest.objects.create(**values)


def member(network, *, email: str | None = None, status: str = MembershipStatus.ACTIVE, **profile) -> Member:
    """A member of `network` with an account (names on the user) and an active (or given) membership."""
    from accounts.models import User

    number = next(_numbers)
    first_name = profile.pop("first_name", "Lid")
    last_name = profile.pop("last_name", f"Member{number}")
    user = User.objects.create_user(
        email=email or f"member{number}@example.be", first_name=first_name, last_name=last_name, language="nl"
    )
    values = {"street": "Meir", "house_number": str(number), "postal_code": "2000", "mobile": "+32470000001"}
    values.update(profile)
    person = Member.objects.create(user=user, **values)
    Membership.objects.create(
        member=person,
        network=network,
        status=status,
        joined_on=datetime.date(2025, 3, 1),
        ended_on=datetime.date(2025, 9, 1) if status in ("left", "removed") else None,
        in_area=True,
    )
    return person
