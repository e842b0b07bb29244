"""The demo members (members/demo.py) at the test scale (BINPLP_DEMO_NETWORKS_SCALE = 0.02: about 3,000 members)."""

import io
from collections import Counter, defaultdict

import phonenumbers
import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from accounts.models import RoleAssignment, User
from core.models import AuditEvent
from core.roles import Role
from members.choices import DocumentKind, JoinRequestStatus, MembershipStatus
from members.demo import DEMO_NETWORK_CODE, DOMAIN, MAX_MEMBERS, TOTAL_AT_SCALE_1, demo_members
from members.models import Consent, JoinRequest, Member, Membership, PolicyDocument
from members.tests import factories
from networks.choices import NetworkStatus, StreetParity
from networks.models import AreaStreet, Network
from networks.text import normalise_street

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(reference_data):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _demo_memberships():
    return Membership.objects.filter(member__user__email__endswith=f"@{DOMAIN}")


def test_it_seeds_members_in_active_and_dormant_networks_only(seeded):
    expected = TOTAL_AT_SCALE_1 * settings.BINPLP_DEMO_NETWORKS_SCALE
    people = User.objects.filter(email__endswith=f"@{DOMAIN}")
    assert 0.9 * expected <= people.count() <= 1.1 * expected
    assert f"Demo members: {people.count():,} in the demo networks" in seeded

    others = _demo_memberships().exclude(network__code=DEMO_NETWORK_CODE)
    statuses = set(others.values_list("network__status", flat=True))
    assert statuses <= {NetworkStatus.ACTIVE, NetworkStatus.DORMANT}
    eligible = Network.objects.filter(status__in=[NetworkStatus.ACTIVE, NetworkStatus.DORMANT])
    sizes = Counter(_demo_memberships().values_list("network_id", flat=True))
    assert set(eligible.values_list("id", flat=True)) <= set(sizes)  # every active or dormant network has members
    assert max(sizes.values()) <= MAX_MEMBERS and min(sizes.values()) >= 3
    assert len(set(sizes.values())) > len(sizes) // 3  # sizes vary

    # One account, one profile each; the e-mail addresses are unique, fictional and not usable to sign in with a
    # password; no demo shortcut past MFA.
    emails = list(people.values_list("email", flat=True))
    assert len(emails) == len({email.lower() for email in emails})
    assert Member.objects.filter(user__email__endswith=f"@{DOMAIN}").count() == len(emails)
    assert not people.filter(is_demo=True).exists()
    sample = people.order_by("?")[:20]
    assert all(not user.has_usable_password() for user in sample)
    assert {user.language for user in people} <= {"nl", "fr", "de", "en"}
    assert RoleAssignment.objects.filter(user__in=people, role=Role.MEMBER, revoked_at__isnull=True).count() == len(
        emails
    )


def test_members_look_real(seeded):
    members = list(Member.objects.filter(user__email__endswith=f"@{DOMAIN}").select_related("user"))
    count = len(members)

    # Valid Belgian mobile numbers in E.164 (a sample of them checked with phonenumbers).
    mobiles = [member.mobile for member in members if member.mobile]
    assert all(mobile[:5] in ("+3247", "+3248", "+3249") and len(mobile) == 12 for mobile in mobiles)
    for mobile in mobiles[:: max(1, len(mobiles) // 300)]:
        number = phonenumbers.parse(mobile, None)
        assert phonenumbers.is_valid_number(number), mobile
        assert phonenumbers.region_code_for_number(number) == "BE"
        assert phonenumbers.number_type(number) == phonenumbers.PhoneNumberType.MOBILE
        assert phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == mobile
    assert all(member.mobile for member in members if member.by_sms)

    # Channels as members choose them: most by e-mail, more than half by SMS, some both, everyone reachable.
    def share(condition) -> float:
        return sum(1 for member in members if condition(member)) / count

    assert 0.80 <= share(lambda m: m.by_email) <= 0.90
    assert 0.52 <= share(lambda m: m.by_sms) <= 0.68
    assert share(lambda m: m.by_email and m.by_sms) >= 0.35
    assert share(lambda m: not (m.by_email or m.by_sms)) == 0
    assert 0.06 <= share(lambda m: m.quiet_from is not None) <= 0.14
    quiet = {(str(m.quiet_from), str(m.quiet_until)) for m in members if m.quiet_from}
    assert quiet == {("22:00:00", "07:00:00")}
    assert 0 < share(lambda m: "newsletter" in m.muted_types) < 0.15
    assert not any("urgent_alert" in m.muted_types for m in members)
    paused = [m for m in members if m.paused_from]
    assert paused and all(m.paused_until >= m.paused_from for m in paused) and len(paused) < 0.05 * count
    assert {m.user.first_name for m in members} and len({m.user.last_name for m in members}) > 300

    # Membership statuses: about 8% left, a few suspended; ended ones carry their end date.
    memberships = list(_demo_memberships())
    statuses = Counter(membership.status for membership in memberships)
    assert 0.04 <= statuses[MembershipStatus.LEFT] / len(memberships) <= 0.12
    assert statuses[MembershipStatus.ACTIVE] / len(memberships) > 0.85
    for membership in memberships:
        ended = membership.status in (MembershipStatus.LEFT, MembershipStatus.REMOVED)
        assert (membership.ended_on is not None) == ended
        if ended:
            assert membership.ended_on >= membership.joined_on
        if membership.status == MembershipStatus.SUSPENDED:
            assert membership.suspended_until is not None
    assert Consent.objects.filter(member__user__email__endswith=f"@{DOMAIN}").count() == 2 * len(memberships)


def test_addresses_lie_on_the_networks_own_streets_within_its_life(seeded):
    streets = defaultdict(list)
    for street in AreaStreet.objects.all():
        streets[street.network_id].append(street)
    founded = dict(Network.objects.values_list("id", "founded_on"))
    checked = 0
    for membership in _demo_memberships().filter(in_area=True).select_related("member"):
        member = membership.member
        entries = [
            street
            for street in streets[membership.network_id]
            if street.postal_code == member.postal_code and street.street_normalised == normalise_street(member.street)
        ]
        assert entries, (member.street, member.postal_code)
        number = int("".join(char for char in member.house_number if char.isdigit()))
        assert any(_covers(street, number) for street in entries), (member.street, number)
        if founded[membership.network_id]:
            assert membership.joined_on >= founded[membership.network_id]
        checked += 1
    assert checked > 1000
    # Members of self-employed and sectoral networks who live in another network of the municipality hold a second
    # membership there, not "in the area".
    eligible = Network.objects.filter(status__in=[NetworkStatus.ACTIVE, NetworkStatus.DORMANT])
    towns = set(eligible.filter(kind="residential").values_list("municipality_id", flat=True))
    shared = eligible.exclude(kind="residential").filter(municipality_id__in=towns)
    second = _demo_memberships().filter(in_area=False)
    assert second.exists() == shared.exists()
    for membership in second.select_related("network", "member"):
        assert membership.network.kind != "residential"
        assert membership.member.memberships.filter(in_area=True, network__kind="residential").exists()


def _covers(street, number):
    if street.number_from is not None and number < street.number_from:
        return False
    if street.number_to is not None and number > street.number_to:
        return False
    if street.parity == StreetParity.EVEN:
        return number % 2 == 0
    return street.parity != StreetParity.ODD or number % 2 == 1


def test_open_join_requests_wait_for_the_coordinator_or_for_confirmation(seeded):
    requests = JoinRequest.objects.filter(email__endswith=f"@{DOMAIN}")
    pending = requests.filter(status=JoinRequestStatus.PENDING)
    unconfirmed = requests.filter(status=JoinRequestStatus.UNCONFIRMED)
    assert pending.count() >= 10 and unconfirmed.exists()
    assert not pending.filter(confirmed_at__isnull=True).exists()
    assert not unconfirmed.filter(confirmed_at__isnull=False).exists()
    assert pending.filter(in_area=True).count() > 0.75 * pending.count()
    assert set(requests.values_list("network__status", flat=True)) <= {
        NetworkStatus.ACTIVE,
        NetworkStatus.DORMANT,
        NetworkStatus.IN_PREPARATION,  # the demo coordinator's own network
    }
    demo = requests.filter(network__code=DEMO_NETWORK_CODE)
    assert demo.filter(status=JoinRequestStatus.PENDING, in_area=False).exists()
    assert demo.filter(status=JoinRequestStatus.PENDING, in_area=True).exists()
    for request in pending[:50]:
        assert phonenumbers.is_valid_number(phonenumbers.parse(request.mobile)) if request.mobile else True
        assert request.privacy_notice.kind == DocumentKind.PRIVACY_NOTICE
        assert request.rules.kind == DocumentKind.INTERNAL_RULES


def test_the_demo_personas_are_members_of_the_demo_network(seeded):
    network = Network.objects.get(code=DEMO_NETWORK_CODE)
    for email in ("coordinator@demo.binplp.be", "lid@demo.binplp.be"):
        user = User.objects.get(email=email)
        membership = Membership.objects.get(member__user=user, network=network)
        assert membership.status == MembershipStatus.ACTIVE and membership.in_area
        member = membership.member
        assert AreaStreet.objects.filter(
            network=network, postal_code=member.postal_code, street_normalised=normalise_street(member.street)
        ).exists()
        assert phonenumbers.is_valid_number(phonenumbers.parse(member.mobile))
        assert set(Consent.objects.filter(member=member).values_list("document__kind", flat=True)) == {
            DocumentKind.PRIVACY_NOTICE,
            DocumentKind.INTERNAL_RULES,
        }
        assert user.role_assignments.filter(role=Role.MEMBER, revoked_at__isnull=True).exists()
        assert user.is_demo
    coordinator = User.objects.get(email="coordinator@demo.binplp.be")
    assert coordinator.role_assignments.get(role=Role.COORDINATOR).scope == network
    # The coordinator's member list has people in it, and requests to decide.
    assert network.memberships.count() >= 40
    assert network.join_requests.filter(status=JoinRequestStatus.PENDING).count() >= 4


def test_the_consents_name_the_documents_in_force(seeded):
    documents = {
        document.kind: document
        for document in PolicyDocument.objects.filter(network__isnull=True).order_by("published_on", "id")
    }
    used = set(Consent.objects.values_list("document_id", flat=True))
    assert used == {documents[DocumentKind.PRIVACY_NOTICE].pk, documents[DocumentKind.INTERNAL_RULES].pk}
    assert not Consent.objects.filter(accepted_at__date__lt=documents[DocumentKind.PRIVACY_NOTICE].published_on)


def test_seeding_again_adds_nothing_and_writes_no_audit_rows(seeded):
    member_type = ContentType.objects.get_for_model(Member)
    membership_type = ContentType.objects.get_for_model(Membership)
    assert not AuditEvent.objects.filter(content_type__in=[member_type, membership_type]).exists()
    tables = (User, Member, Membership, Consent, JoinRequest, RoleAssignment, AuditEvent)
    before = [model.objects.count() for model in tables]

    summary = demo_members(scale=settings.BINPLP_DEMO_NETWORKS_SCALE)
    assert summary.members == summary.memberships == summary.join_requests == summary.networks == 0
    assert summary.skipped > 20 and summary.total == User.objects.filter(email__endswith=f"@{DOMAIN}").count()
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "0 created now" in out.getvalue()
    assert [model.objects.count() for model in tables] == before

    # Rows written with explicit ids leave the id sequences (PostgreSQL) past them: ordinary inserts still work.
    network = Network.objects.get(code=DEMO_NETWORK_CODE)
    person = factories.member(network, email="after.the.seed@example.org")
    Consent.objects.create(member=person, document=PolicyDocument.objects.filter(network__isnull=True).first())
    factories.join_request(network, email="request.after.the.seed@example.org")
    RoleAssignment.objects.create(user=person.user, role=Role.MEMBER)
    EmailAddress.objects.create(user=person.user, email=person.user.email, verified=True, primary=True)


def test_a_network_without_demo_members_gets_them_on_the_next_run(reference_data):
    from networks.demo import demo_networks

    demo_networks(scale=0.01)
    first = demo_members(total=600, complete=False)
    assert first.members >= 500 and not Consent.objects.exists()  # the benchmarks' lean rows
    Membership.objects.filter(network__code=first_network_code()).delete()
    second = demo_members(total=600, complete=False)
    assert second.networks == 1 and second.members > 0
    assert User.objects.filter(email__endswith=f"@{DOMAIN}").count() == first.total + second.members


def first_network_code():
    return (
        Network.objects.filter(status=NetworkStatus.ACTIVE, kind="residential", memberships__isnull=False)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
