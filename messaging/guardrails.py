"""Warnings shown before a message goes (issue 5, Guardrails). They never block on their own:

- **Overload**: a network that would get more than BINPLP_WEEKLY_MESSAGE_WARNING non-urgent messages in 7 days —
  overload is the first reason people leave a network. Counted for non-urgent messages only: an urgent alert is
  never discouraged. Sent messages and scheduled ones in the 7 days before this message's time count.
- **Number plate**: a text that looks like it holds a number plate. Recognisable suspects and plates may not be
  shared with members; the sender must tick an acknowledgement to send anyway.

The plate patterns cover Belgian plates (1-ABC-234, 1ABC234, the older ABC-123 and 123-ABC), Dutch side codes
(XX-999-X and the others), French (AB-123-CD), German (B-AB 1234) and British (AB12 CDE) ones. Forms written with
dashes are found in any case; forms without separators only in capitals, so ordinary words and numbers do not
trigger the warning.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import URGENT_TYPES, MessageStatus, MessageType
from .models import Message

OVERLOAD = "overload"
NUMBER_PLATE = "number_plate"

_EDGE_BEFORE = r"(?<![A-Za-z0-9])"
_EDGE_AFTER = r"(?![A-Za-z0-9])"

# (label, pattern, case-insensitive)
PLATE_PATTERNS: list[tuple[str, str, bool]] = [
    # Belgium since 2010: 1-ABC-234, 1ABC234 (any case), 1 ABC 234 / 1.ABC.234 (capitals)
    ("BE", r"[1-9]-?[A-Z]{3}-?\d{3}", True),
    ("BE", r"[1-9][ .][A-Z]{3}[ .]\d{3}", False),
    # Belgium before 2010: ABC-123, 123-ABC (any case with a dash), ABC123, ABC.123 (capitals)
    ("BE", r"[A-Z]{3}-\d{3}", True),
    ("BE", r"\d{3}-[A-Z]{3}", True),
    ("BE", r"[A-Z]{3}\.?\d{3}", False),
    ("BE", r"\d{3}\.?[A-Z]{3}", False),
    # The Netherlands: side codes 1-14, always written with dashes
    ("NL", r"[A-Z]{2}-\d{2}-\d{2}", True),
    ("NL", r"\d{2}-\d{2}-[A-Z]{2}", True),
    ("NL", r"\d{2}-[A-Z]{2}-\d{2}", True),
    ("NL", r"[A-Z]{2}-\d{2}-[A-Z]{2}", True),
    ("NL", r"[A-Z]{2}-[A-Z]{2}-\d{2}", True),
    ("NL", r"\d{2}-[A-Z]{2}-[A-Z]{2}", True),
    ("NL", r"\d{2}-[A-Z]{3}-\d", True),
    ("NL", r"\d-[A-Z]{3}-\d{2}", True),
    ("NL", r"[A-Z]{2}-\d{3}-[A-Z]", True),
    ("NL", r"[A-Z]-\d{3}-[A-Z]{2}", True),
    ("NL", r"[A-Z]{3}-\d{2}-[A-Z]", True),
    ("NL", r"[A-Z]-\d{2}-[A-Z]{3}", True),
    ("NL", r"\d-[A-Z]{2}-\d{3}", True),
    ("NL", r"\d{3}-[A-Z]{2}-\d", True),
    # France (SIV): AB-123-CD (any case), AB 123 CD / AB123CD (capitals)
    ("FR", r"[A-Z]{2}-\d{3}-[A-Z]{2}", True),
    ("FR", r"[A-Z]{2} ?\d{3} ?[A-Z]{2}", False),
    # Germany: B-AB 1234, M-XY123 (capitals, with the dash after the district)
    ("DE", r"[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} ?\d{1,4}[EH]?", False),
    # United Kingdom: AB12 CDE (capitals)
    ("GB", r"[A-Z]{2}\d{2} ?[A-Z]{3}", False),
]
_COMPILED = [
    (label, re.compile(_EDGE_BEFORE + pattern + _EDGE_AFTER, re.IGNORECASE if any_case else 0))
    for label, pattern, any_case in PLATE_PATTERNS
]


@dataclass(frozen=True)
class PlateFinding:
    language: str
    part: str  # title, body or sms
    text: str
    country: str


@dataclass(frozen=True)
class NetworkLoad:
    network: object
    count: int  # non-urgent messages in the 7 days before this one


@dataclass
class GuardrailWarning:
    code: str
    message: str
    items: list[str] = field(default_factory=list)

    @property
    def needs_acknowledgement(self) -> bool:
        return self.code == NUMBER_PLATE


def plates_in(text: str) -> list[tuple[str, str]]:
    """(matched text, country) of every plate-like string in `text`, each once, in order of appearance."""
    spans = sorted(
        (
            (match.start(), -match.end(), match.group(0), country)
            for country, pattern in _COMPILED
            for match in pattern.finditer(text or "")
        ),
    )
    result: list[tuple[str, str]] = []
    covered_until = -1
    for _start, negative_end, value, country in spans:
        if -negative_end <= covered_until:  # inside a longer match (ABC-234 of 1-ABC-234)
            continue
        covered_until = max(covered_until, -negative_end)
        if value not in (seen for seen, _country in result):
            result.append((value, country))
    return result


def plate_findings(texts: dict) -> list[PlateFinding]:
    """Plate-like strings in the titles, bodies and SMS texts of every language."""
    findings = []
    for language, value in (texts or {}).items():
        for part in ("title", "body", "sms"):
            for match, country in plates_in(str((value or {}).get(part, ""))):
                findings.append(PlateFinding(language=language, part=part, text=match, country=country))
    return findings


def weekly_load(*, message_type: str, networks, at: datetime.datetime | None = None) -> list[NetworkLoad]:
    """The target networks that would get more than BINPLP_WEEKLY_MESSAGE_WARNING non-urgent messages in the 7
    days up to `at` (now) with this one. Empty for urgent types."""
    if message_type in URGENT_TYPES or not networks:
        return []
    at = at or timezone.now()
    start = at - datetime.timedelta(days=7)
    limit = settings.BINPLP_WEEKLY_MESSAGE_WARNING
    by_id = {n.pk: n for n in networks}
    non_urgent = [t for t in MessageType.values if t not in URGENT_TYPES]
    rows = (
        Message.networks.through.objects.filter(network_id__in=sorted(by_id), message__type__in=non_urgent)
        .filter(
            Q(message__status=MessageStatus.SENT, message__sent_at__gt=start, message__sent_at__lte=at)
            | Q(message__status=MessageStatus.SCHEDULED, message__send_at__gt=start, message__send_at__lte=at)
        )
        .values("network_id")
        .annotate(count=Count("message_id"))
        .order_by()
    )
    loads = [NetworkLoad(network=by_id[row["network_id"]], count=row["count"]) for row in rows]
    return sorted((load for load in loads if load.count + 1 > limit), key=lambda load: (-load.count, load.network.name))


def check(draft, *, now: datetime.datetime | None = None) -> list[GuardrailWarning]:
    """The warnings about a checked draft (see messaging.services.targets.Draft)."""
    warnings = []
    loads = weekly_load(message_type=draft.message_type, networks=draft.networks, at=draft.send_at or now)
    if loads:
        warnings.append(
            GuardrailWarning(
                code=OVERLOAD,
                message=_(
                    "Some networks already got many messages this week. More than %(limit)s non-urgent messages in "
                    "7 days is the first reason members leave: consider waiting or combining messages."
                )
                % {"limit": settings.BINPLP_WEEKLY_MESSAGE_WARNING},
                items=[
                    _(
                        "%(network)s: %(count)s non-urgent messages in the last 7 days; this one would be "
                        "number %(next)s."
                    )
                    % {"network": load.network.name, "count": load.count, "next": load.count + 1}
                    for load in loads
                ],
            )
        )
    findings = plate_findings(draft.texts)
    if findings:
        languages = dict(settings.LANGUAGES)
        parts = {"title": _("title"), "body": _("text"), "sms": _("SMS text")}
        warnings.append(
            GuardrailWarning(
                code=NUMBER_PLATE,
                message=_(
                    "The texts seem to contain a number plate. Recognisable suspects and number plates may not be "
                    "shared with members: describe the behaviour and the vehicle type instead."
                ),
                items=[
                    _("“%(text)s” in the %(part)s (%(language)s)")
                    % {"text": f.text, "part": parts[f.part], "language": languages.get(f.language, f.language)}
                    for f in findings
                ],
            )
        )
    return warnings


def needs_acknowledgement(warnings: list[GuardrailWarning]) -> bool:
    return any(w.needs_acknowledgement for w in warnings)
