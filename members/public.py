"""What the public may see of a network: the same fields on the finder page and in the API."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from networks.models import Network


def how_to_join(network: Network) -> str:
    contacts = [value for value in (network.public_email, network.public_phone) if value]
    text = _(
        "Fill in the join form and confirm the e-mail we send you; the coordinator of the network then checks your "
        "request."
    )
    if contacts:
        return text + " " + _("Questions? Contact the coordinator at %(contact)s.") % {"contact": " / ".join(contacts)}
    return text


def join_url(network: Network) -> str:
    return reverse("members_join:join", args=[network.code])


def network_public(network: Network) -> dict:
    """The public fields of an active network: never partners, members or internal data."""
    return {
        "code": network.code,
        "name": network.name,
        "kind": network.kind,
        "kind_label": network.kind_label,
        "municipality": network.municipality.name,
        "municipality_url": reverse("geography:municipality_detail", args=[network.municipality_id]),
        "zone": str(network.zone),
        "zone_url": reverse("geography:zone_detail", args=[network.zone_id]),
        "public_description": network.public_description,
        "public_email": network.public_email,
        "public_phone": network.public_phone,
        "how_to_join": how_to_join(network),
        "join_url": join_url(network),
    }


def result_public(result) -> dict:
    return {
        "networks": [network_public(network) for network in result.networks],
        "nearby": [network_public(network) for network in result.nearby],
        "municipalities": [
            {
                "name": municipality.name,
                "refnis": municipality.refnis,
                "url": reverse("geography:municipality_detail", args=[municipality.pk]),
            }
            for municipality in result.municipalities
        ],
    }
