"""The charter and sanctions sections of the network page, computed for the reader."""

from django import template

from core.scoping import can

from ..charter_selectors import (
    network_charters,
    network_letters,
    sanction_changeable_ids,
    sanction_list,
    sanction_targets,
    shown_only,
)
from ..choices import CharterStatus

register = template.Library()

SANCTIONS_SHOWN = 5


@register.inclusion_tag("networks/charters/_network_section.html", takes_context=True)
def charter_section(context, network):
    user = context["request"].user
    charters = network_charters(user=user, network=network)
    can_change = can(user, "change", network)
    has_open = any(charter.status in (CharterStatus.DRAFT, CharterStatus.SUBMITTED) for charter in charters)
    return {
        "network": network,
        "charters": charters,
        "letters": network_letters(user=user, network=network),
        "can_start": can_change and not has_open and not network.is_final,
        "needs_new_version": context.get("needs_new_charter_version", False),
        "csrf_token": context.get("csrf_token"),
        "request": context["request"],
    }


@register.inclusion_tag("networks/sanctions/_network_section.html", takes_context=True)
def sanctions_section(context, network):
    """The latest sanctions the reader may see (member sanctions name a member: the zone and the network's
    coordinators only); no section at all for a reader who sees none of the network's sanctions."""
    user = context["request"].user
    targets = sanction_targets(user, "view", network)
    if not targets:
        return {"visible": False}
    sanctions = sanction_list(user=user).filter(network=network).order_by("-decided_on", "-created_at")
    shown = list(sanctions[: SANCTIONS_SHOWN + 1])
    changeable = sanction_changeable_ids(user, shown[:SANCTIONS_SHOWN])
    return {
        "visible": True,
        "network": network,
        "sanctions": shown[:SANCTIONS_SHOWN],
        "more": len(shown) > SANCTIONS_SHOWN,
        "recordable": sanction_targets(user, "create", network),
        "changeable": changeable,
        "show_actions": bool(changeable),
        "shown_only": shown_only(targets),
        "request": context["request"],
    }
