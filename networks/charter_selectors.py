"""Reads of charters, reviews, letters and sanctions, each starting from `for_user` (STYLE: selectors)."""

from __future__ import annotations

import datetime

from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Avg, CharField, F, Q, QuerySet, Value
from django.utils import timezone

from core.scoping import rule_for

from .choices import CharterStatus, SanctionTarget
from .models import Charter, CharterReview, Letter, Network, Sanction


def age_in_days(moment: datetime.datetime | None, today: datetime.date | None = None) -> int | None:
    if moment is None:
        return None
    return ((today or timezone.localdate()) - timezone.localdate(moment)).days


def lead_time_days(review: CharterReview) -> float | None:
    lead_time = review.lead_time
    return round(lead_time.total_seconds() / 86400, 1) if lead_time is not None else None


def review_queue(*, user) -> QuerySet[Charter]:
    """Submitted charters waiting for ADVP's decision, the oldest first."""
    return (
        Charter.objects.for_user(user, "review")
        .filter(status=CharterStatus.SUBMITTED)
        .select_related("network__municipality", "network__zone", "review__reviewer")
        .order_by("submitted_at", "pk")
    )


def recent_decisions(*, user, limit: int = 20) -> list[CharterReview]:
    reviews = (
        CharterReview.objects.for_user(user, "review")
        .filter(decided_at__isnull=False)
        .select_related("charter__network", "reviewer")
        .order_by("-decided_at")[:limit]
    )
    return list(reviews)


def average_lead_time_days(*, user, since: datetime.date) -> float | None:
    """Mean time from submission to decision over the reviews decided since `since`, in days."""
    average = (
        CharterReview.objects.for_user(user, "review")
        .filter(decided_at__date__gte=since, decided_at__isnull=False, charter__submitted_at__isnull=False)
        .aggregate(lead=Avg(F("decided_at") - F("charter__submitted_at")))["lead"]
    )
    if average is None:
        return None
    seconds = average.total_seconds() if isinstance(average, datetime.timedelta) else float(average) / 1_000_000
    return round(seconds / 86400, 1)


def network_charters(*, user, network: Network) -> list[Charter]:
    return list(
        Charter.objects.for_user(user, "view").filter(network=network).select_related("review").order_by("-version")
    )


def network_letters(*, user, network: Network) -> list[Letter]:
    return list(
        Letter.objects.for_user(user, "view")
        .filter(network=network)
        .select_related("charter", "network")
        .order_by("-created_at", "recipient")
    )


def sanction_list(*, user) -> QuerySet[Sanction]:
    return Sanction.objects.for_user(user, "view").select_related(
        "network__municipality", "network__zone", "partner__user", "created_by"
    )


def sanction_changeable_ids(user, sanctions) -> set[int]:
    """Which of these sanctions `user` may change (record an appeal on), in one query."""
    ids = [sanction.pk for sanction in sanctions]
    if not ids:
        return set()
    return set(Sanction.objects.for_user(user, "change").filter(pk__in=ids).values_list("pk", flat=True))


def shown_only(targets: list[str]) -> str | None:
    """The one kind of sanction a reader sees when they do not see both (pages say so), else None."""
    return targets[0] if len(targets) == 1 else None


_TARGET_ALIAS = "hypothetical_sanction_target"


def _lookup_on_network(lookup: str) -> str:
    head, _, rest = lookup.partition("__")
    if head == "target":
        return f"{_TARGET_ALIAS}__{rest}" if rest else _TARGET_ALIAS
    if head == "network_id":
        return f"pk__{rest}" if rest else "pk"
    if head == "network":
        if not rest:
            return "pk"
        first = rest.split("__", 1)[0]
        if first == "pk":
            return rest
        try:
            Network._meta.get_field(first)
        except FieldDoesNotExist:
            return f"pk__{rest}"  # network__in=...
        return rest
    raise ImproperlyConfigured(f"The sanction rule filters on {lookup!r}, which sanction_targets() cannot restate.")


def _on_network(condition: Q) -> Q:
    """The sanction rule's filter restated on Network, for a sanction that is not recorded yet."""
    children = [
        _on_network(child) if isinstance(child, Q) else (_lookup_on_network(child[0]), child[1])
        for child in condition.children
    ]
    return Q(*children, _connector=condition.connector, _negated=condition.negated)


def sanction_targets(user, action: str = "view", network: Network | None = None) -> list[str]:
    """The kinds of sanction (member, coordinator) `user` may do `action` on in `network`, or in any network.

    It asks the registered sanction rule itself (networks/permissions.py) about a sanction that need not exist yet,
    so that forms offer, and services accept, exactly what `Sanction.objects.for_user(user, action)` would return
    once it is recorded. The rule's filter is restated on the network (`network__zone_id` → `zone_id`, `target` →
    the kind asked about); a rule on any other field of the sanction fails loudly instead of being guessed at."""
    condition = rule_for(Sanction)(user, action)
    if condition is None:
        return []
    networks = Network.objects.all() if network is None else Network.objects.filter(pk=network.pk)
    restated = _on_network(condition)
    return [
        target
        for target in SanctionTarget.values
        if networks.alias(**{_TARGET_ALIAS: Value(target, output_field=CharField())}).filter(restated).exists()
    ]


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def charter_summary(charter: Charter) -> dict:
    """A charter's plans with readable labels, for the charter page and ADVP's review page."""
    from decimal import Decimal

    from .choices import Channel, CostPayer, MessageType, PartnerRole, Sender

    senders = charter.senders or {}
    cost_rows = [
        {
            "label": item.get("label", ""),
            "amount": Decimal(item.get("amount_eur") or 0),
            "payer": _label(CostPayer, item.get("payer", "")),
        }
        for item in charter.cost_items or []
    ]
    return {
        "contacts": [
            {**contact, "role_label": _label(PartnerRole, contact.get("role", ""))}
            for contact in charter.contacts or []
        ],
        "channels": [_label(Channel, value) for value in charter.channels or []],
        "message_types": [
            {
                "label": _label(MessageType, value),
                "senders": [_label(Sender, sender) for sender in senders.get(value, [])],
            }
            for value in charter.message_types or []
        ],
        "cost_rows": cost_rows,
        "cost_total": sum((row["amount"] for row in cost_rows), Decimal(0)),
    }
