"""The demo networks: spread over the provinces, every status and charter state, idempotent, fictional people."""

import datetime

import pytest

from networks.choices import CharterStatus, NetworkKind, NetworkStatus
from networks.demo import PROVINCE_COUNTS, demo_networks
from networks.models import (
    AreaStreet,
    Charter,
    CharterReview,
    CharterSignature,
    Network,
    NetworkStatusChange,
    Partner,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 1)


def _counts():
    return tuple(
        model.objects.count()
        for model in (Network, AreaStreet, Partner, NetworkStatusChange, Charter, CharterSignature, CharterReview)
    )


def test_a_small_demo_follows_the_provinces_and_runs_twice_without_duplicates(personas):
    before = Network.objects.count()
    summary = demo_networks(scale=0.05, today=TODAY)
    expected = sum(max(1, round(count * 0.05)) for count in PROVINCE_COUNTS.values()) + 1  # + Brussels
    assert summary.planned == summary.created == expected
    assert Network.objects.count() == before + expected
    demo = Network.objects.exclude(pk__in=[personas.network_a.pk, personas.network_b.pk])
    antwerp = demo.filter(municipality__province__refnis="10000").count()
    assert antwerp == round(544 * 0.05)
    assert demo.filter(municipality__province__isnull=True).count() == 1  # Brussels

    # Codes continue after the existing ones of a municipality; every network has 5 to 15 streets in its postal codes.
    assert demo.filter(code="BIN-11002-1").count() == 0
    for network in demo.prefetch_related("streets", "municipality__postal_codes"):
        assert network.code.startswith(f"BIN-{network.municipality.refnis}-")
        assert 5 <= len(network.streets.all()) <= 15
        codes = {p.code for p in network.municipality.postal_codes.all()}
        assert {s.postal_code for s in network.streets.all()} <= codes
        assert network.zone == network.municipality.current_zone()

    first = _counts()
    again = demo_networks(scale=0.05, today=TODAY)
    assert again.created == 0 and _counts() == first


def test_the_full_demo_has_every_state(personas):
    demo_networks(scale=0.3, today=TODAY)
    networks = Network.objects.all()
    assert set(networks.values_list("status", flat=True)) == set(NetworkStatus.values)
    assert set(networks.values_list("kind", flat=True)) == set(NetworkKind.values)
    assert set(Charter.objects.values_list("status", flat=True)) == set(CharterStatus.values)
    share = networks.filter(kind=NetworkKind.SELF_EMPLOYED).count() / networks.count()
    assert 0.05 < share < 0.2
    merged = networks.filter(status=NetworkStatus.MERGED)
    assert all(n.merged_into.status == NetworkStatus.ACTIVE for n in merged)
    # Charters sent to ADVP carry the four signatures and the signed PDF; decided ones a review with its decision.
    for charter in Charter.objects.exclude(status=CharterStatus.DRAFT).prefetch_related("signatures")[:50]:
        assert len(charter.signatures.all()) == 4 and charter.signed_pdf
    for review in CharterReview.objects.exclude(decision="").select_related("charter")[:50]:
        assert review.decided_at >= review.charter.submitted_at
        assert review.item_results.exists()
    # People are fictional: their addresses are at example.org.
    assert (
        not Partner.objects.exclude(email="")
        .exclude(email__endswith="@example.org")
        .exclude(network__in=[personas.network_a])
        .exists()
    )
    ended = NetworkStatusChange.objects.filter(to_status__in=["dissolved", "merged"])
    assert ended.exists() and not ended.filter(reason="").exists()
