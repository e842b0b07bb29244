"""The named people every test suite uses (STYLE.md): one per persona of DESIGN §1, plus an outsider."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.roles import Role

PASSWORD = "persona-password-2026"


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

    def all(self) -> dict[str, object]:
        return dict(self.__dict__)


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
    return personas


def enrol_totp(user) -> None:
    """Give a privileged persona a TOTP authenticator, as after real enrolment, so the MFA gate lets it through."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": generate_totp_secret()})
