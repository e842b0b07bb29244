"""Coverage selectors (training/selectors_coverage.py) against figures known by construction (coverage_support)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from training import selectors_coverage as selectors

from .coverage_support import Known, certify, known_dataset, make_network

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(personas, make_session, make_trainee, make_officer):
    return known_dataset(personas, make_session, make_trainee, make_officer)


def _figures(coverage) -> dict:
    return {
        "officers": coverage.officers,
        "trained": coverage.trained,
        "networks": coverage.networks,
        "covered": coverage.covered,
        "without_officer": coverage.without_officer,
    }


def test_it_counts_the_country_for_national_roles(known, personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        summary = selectors.coverage_summary(user=personas.advp_admin)
    assert _figures(summary) == Known.national
    assert summary.share == pytest.approx(4 / 7)
    assert _figures(selectors.coverage_summary(user=personas.knowledge_centre)) == Known.national
    assert _figures(selectors.coverage_summary()) == Known.national


def test_it_counts_per_zone_and_province(known, personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        zones = {row.zone_code: _figures(row) for row in selectors.coverage_by_zone(user=personas.advp_admin)}
    assert zones == {5345: Known.antwerp, 5339: Known.brussels}
    with django_assert_max_num_queries(5):
        provinces = selectors.coverage_by_province(user=personas.advp_admin)
    assert [_figures(row) for row in provinces] == [Known.antwerp, Known.brussels]
    assert provinces[0].key is not None and provinces[1].key is None  # Brussels has no province


@pytest.mark.parametrize("who", ["advp_admin", "zone_officer", "other_zone_officer", "trainer"])
def test_the_overview_gives_the_same_figures_in_one_pass(known, personas, who, django_assert_max_num_queries):
    user = getattr(personas, who)
    selectors.coverage_summary(user=user)  # the user's roles, read once
    with django_assert_max_num_queries(5):
        overview = selectors.coverage_overview(user=user)
    assert _figures(overview.summary) == _figures(selectors.coverage_summary(user=user))
    assert [(row.label, _figures(row)) for row in overview.provinces] == [
        (row.label, _figures(row)) for row in selectors.coverage_by_province(user=user)
    ]
    assert [(row.zone_code, _figures(row)) for row in overview.zones] == [
        (row.zone_code, _figures(row)) for row in selectors.coverage_by_zone(user=user)
    ]
    assert overview.listed == selectors.networks_without_trained_officer(user).count()
    for province in overview.provinces:
        key = province.key or "brussels"
        narrowed = selectors.coverage_overview(user=user, province_id=key)
        assert [(row.zone_code, _figures(row)) for row in narrowed.zones] == [
            (row.zone_code, _figures(row)) for row in selectors.coverage_by_zone(user=user, province_id=key)
        ]
        assert narrowed.listed == selectors.networks_without_trained_officer(user, province_id=key).count()
    for zone in overview.zones:
        narrowed = selectors.coverage_overview(user=user, zone_id=zone.key)
        assert narrowed.listed == selectors.networks_without_trained_officer(user, zone_id=zone.key).count()


def test_a_zone_officer_sees_their_zone_only(known, personas):
    assert _figures(selectors.coverage_summary(user=personas.zone_officer)) == Known.antwerp
    assert [row.zone_code for row in selectors.coverage_by_zone(user=personas.zone_officer)] == [5345]
    assert _figures(selectors.coverage_summary(user=personas.other_zone_officer)) == Known.brussels
    for user in (personas.trainer, personas.coordinator, personas.member, personas.outsider):
        assert _figures(selectors.coverage_summary(user=user)) == dict.fromkeys(Known.national, 0)


def test_the_networks_to_follow_up(known, personas, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):  # the user's roles, the networks, their officers
        networks = list(selectors.networks_without_trained_officer(personas.advp_admin))
    names = {network.code: network for network in networks}
    expected = {personas.network_a.code, known["n3"].code, known["n5"].code, known["n6"].code}
    assert set(names) == expected
    assert {n.code for n in networks if n.officer_count == 0} == {known["n5"].code, known["n6"].code}
    assert networks[0].officer_count == 0 and networks[-1].officer_count > 0  # no officer recorded first
    assert sorted(p.email for p in names[known["n3"].code].officers) == ["x@police.test", "z@police.test"]
    assert not selectors.networks_without_trained_officer(personas.other_zone_officer).exists()
    only_n5 = selectors.networks_without_trained_officer(personas.zone_officer, zone_id=known["n5"].zone_id)
    assert only_n5.count() == 4
    assert not selectors.networks_without_trained_officer(personas.trainer).exists()


def test_officer_is_trained_by_account_or_e_mail(known, personas, make_trainee, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert selectors.officer_is_trained(known["u1"])
    assert selectors.officer_is_trained(known["u2"])  # by the e-mail address, whatever its case
    assert not selectors.officer_is_trained(personas.zone_officer)
    trainee = make_trainee(email="officer@test.binplp.be")
    certify(trainee, session=known["session"], revoked=True)
    assert not selectors.officer_is_trained(personas.zone_officer)  # revoked
    assert selectors.officer_is_trained(personas.zone_officer, day=None) is False
    users, emails = selectors.valid_certificate_holders()
    assert known["u1"].pk in users and "a.officer@police.test" in emails and "x@police.test" not in emails


def test_validity_is_judged_on_the_day(known, personas):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    # n8's officer's certificate ends today: tomorrow, Brussels loses one trained officer.
    zones = {row.zone_code: row for row in selectors.coverage_by_zone(user=personas.advp_admin, day=tomorrow)}
    assert zones[5339].trained == 1 and zones[5339].covered == 1


def test_an_empty_register_has_no_share(personas):
    make_network(status="dissolved")
    summary = selectors.coverage_summary(user=personas.other_zone_officer)
    assert summary.share is None and summary.percent is None


def test_zone_officers_without_certificate(known, personas, make_trainee):
    total, untrained = selectors.zone_officers_without_certificate()
    assert (total, untrained) == (2, 2)
    certify(make_trainee(user=personas.zone_officer, email="zoe@police.test"), session=known["session"])
    assert selectors.zone_officers_without_certificate() == (2, 1)
