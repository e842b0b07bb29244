"""What the public may see of a network: the same fields on the finder page and in the API."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from networks.models import Network


def how_to_join(network: Network) -> str:
    contacts = [value for value in (network.public_email, network.public_phone) if value]
    if contacts:
        return _("Joining online comes soon. Until then, contact the coordinator of the network at %(contact)s.") % {
            "contact": " / ".join(contacts)
        }
    return _(
        "Joining online comes soon. Until then, ask your local police or municipality to put you in touch with "
        "the coordinator of the network."
    )


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
