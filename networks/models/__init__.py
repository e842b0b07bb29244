"""The networks register: networks with their area and partners, charters and reviews, sanctions."""

from .charter import Charter, CharterReview, CharterSignature, ChecklistItem, Letter, ReviewItemResult
from .importing import ImportBatch
from .network import AreaStreet, Network, NetworkStatusChange, Partner
from .sanction import Sanction

__all__ = [
    "AreaStreet",
    "Charter",
    "CharterReview",
    "CharterSignature",
    "ChecklistItem",
    "ImportBatch",
    "Letter",
    "Network",
    "NetworkStatusChange",
    "Partner",
    "ReviewItemResult",
    "Sanction",
]
