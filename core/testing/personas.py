"""The named people every test suite uses (STYLE.md): one per persona of DESIGN §1, plus an outsider."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.roles import Role

PASSWORD = "persona-password-2026"  # nosec B105  # test personas' password, test database only


@dataclass
class Personas:
    advp_admin: object
    knowledge_centre: object
    zone_officer: object
    other_zone_officer: object
    municipality_official: object
    coordinator: object
    member: object
    trainer: object
    outsider: object
    network_a: object = None  # coordinated by `coordinator`; zone 5345 Antwerpen, municipality 11002 Antwerpen
    network_b: object = None  # zone 5339 Brussel-Hoofdstad/Elsene, municipality 21004 Brussel: out of Antwerp's sight

    def all(self) -> dict[str, object]:
        """The people (not the networks), by persona name."""
        return {name: value for name, value in self.__dict__.items() if not name.startswith("network_")}


def _user(email: str, first: str, last: str, language: str = "nl"):
    from allauth.account.models import EmailAddress

    from accounts.models import User

    user = User.objects.create_user(email=email, password=PASSWORD, first_name=first, last_name=last, language=language)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _grant(user, role: str, scope=None) -> None:
    from accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=user,
        role=role,
        scope_type=ContentType.objects.get_for_model(scope) if scope is not None else None,
        scope_id=scope.pk if scope is not None else None,
        granted_at=timezone.now(),
    )


def make_personas() -> Personas:
    """Create the personas; reference data must be loaded (zone 5345 Antwerpen, municipality 11002, academy vesta).
    Written directly rather than through services so that service tests start from a known state."""
    from geography.models import Academy, Municipality, PoliceZone

    antwerp_zone = PoliceZone.objects.current().get(code=5345)
    other_zone = PoliceZone.objects.current().get(code=5339)  # Brussel-Hoofdstad/Elsene
    antwerp = Municipality.objects.current().get(refnis="11002")
    vesta = Academy.objects.get(code="vesta")

    personas = Personas(
        advp_admin=_user("advp@test.binplp.be", "Ada", "Vandenbroucke"),
        knowledge_centre=_user("kc@test.binplp.be", "Karel", "Claes", "fr"),
        zone_officer=_user("officer@test.binplp.be", "Zoë", "Peeters"),
        other_zone_officer=_user("officer.brussels@test.binplp.be", "Octave", "Dubois", "fr"),
        municipality_official=_user("municipality@test.binplp.be", "Mia", "Janssens"),
        coordinator=_user("coordinator@test.binplp.be", "Cas", "Wouters"),
        member=_user("member@test.binplp.be", "Mo", "Lambert", "fr"),
        trainer=_user("trainer@test.binplp.be", "Tine", "Maes"),
        outsider=_user("outsider@test.binplp.be", "Otto", "Schmitz", "de"),
    )
    _grant(personas.advp_admin, Role.ADVP)
    _grant(personas.knowledge_centre, Role.KNOWLEDGE_CENTRE)
    _grant(personas.zone_officer, Role.ZONE_OFFICER, antwerp_zone)
    _grant(personas.other_zone_officer, Role.ZONE_OFFICER, other_zone)
    _grant(personas.municipality_official, Role.MUNICIPAL_OFFICIAL, antwerp)
    _grant(personas.member, Role.MEMBER)
    _grant(personas.trainer, Role.TRAINER, vesta)
    personas.network_a = _network(
        code="BIN-11002-1",
        name="BIN Network A",
        municipality=antwerp,
        zone=antwerp_zone,
        streets=[("2000", "Meir"), ("2000", "Groenplaats"), ("2018", "Mechelsesteenweg")],
    )
    personas.network_b = _network(
        code="BIN-21004-1",
        name="PLP Network B",
        municipality=Municipality.objects.current().get(refnis="21004"),
        zone=other_zone,
        streets=[("1000", "Rue Neuve")],
    )
    _partner(personas.network_a, personas.coordinator)
    _grant(personas.coordinator, Role.COORDINATOR, personas.network_a)
    _membership(personas.member, personas.network_a)
    return personas


def _membership(user, network) -> None:
    """`member` belongs to network A, with a mobile number, an address in the area and e-mail + SMS chosen."""
    import datetime

    from members.models import Member, Membership

    profile = Member.objects.create(
        user=user,
        mobile="+32470123456",
        street="Meir",
        house_number="12",
        postal_code="2000",
        by_email=True,
        by_sms=True,
    )
    Membership.objects.create(member=profile, network=network, joined_on=datetime.date(2024, 1, 15), in_area=True)


def _network(*, code: str, name: str, municipality, zone, streets: list[tuple[str, str]]):
    import datetime

    from networks.models import AreaStreet, Network
    from networks.text import normalise_street

    network = Network.objects.create(
        code=code,
        name=name,
        kind="residential",
        status="active",
        municipality=municipality,
        zone=zone,
        founded_on=datetime.date(2019, 3, 1),
    )
    network.municipalities.add(municipality)
    AreaStreet.objects.bulk_create(
        AreaStreet(network=network, postal_code=postal_code, street=street, street_normalised=normalise_street(street))
        for postal_code, street in streets
    )
    return network


def _partner(network, user) -> None:
    import datetime

    from networks.models import Partner

    Partner.objects.create(
        network=network,
        role="coordinator",
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        adult_confirmed=True,
        screening_on=datetime.date(2019, 2, 1),
        screening_result="favourable",
        active_from=datetime.date(2019, 3, 1),
    )


def enrol_totp(user) -> None:
    """Give a privileged persona a TOTP authenticator, as after real enrolment, so the MFA gate lets it through."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": generate_totp_secret()})
