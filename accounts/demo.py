"""The demo accounts: one per persona of DESIGN §1, with clearly fictional names ("Voorbeeld", "Exemple",
"Beispiel", "Example" all mean "example"). `demo_seed` is idempotent: run it again and nothing is duplicated.

Their scopes match the test personas (`core/testing/personas.py`): police zone 5345 Antwerpen, municipality
11002 Antwerpen, academy "vesta", network BIN-11002-1 (created here when the networks demo data has not). Later
issues extend the demo (members, messages) from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from core.audit import audit_record
from core.models import AuditAction
from core.roles import Role

from .models import RoleAssignment, User
from .scopes import scope_model_for
from .services import _grant, email_address_verify

DEMO_PASSWORD = "demo-binplp-2026"  # noqa: S105 - documented in the README; demo accounts only  # nosec B105
# The network the demo coordinator runs, as the test persona `coordinator` runs "network A".
DEMO_NETWORK_CODE = "BIN-11002-1"


@dataclass(frozen=True)
class DemoPersona:
    email: str
    first_name: str
    last_name: str
    language: str
    role: str | None = None
    # The natural key of the scope: a zone code, a municipality's REFNIS code, an academy's short code.
    scope_key: str | int | None = None
    note: str = ""


DEMO_PERSONAS: tuple[DemoPersona, ...] = (
    DemoPersona("advp@demo.binplp.be", "Ada", "Voorbeeld", "nl", Role.ADVP),
    DemoPersona("kenniscentrum@demo.binplp.be", "Camille", "Exemple", "fr", Role.KNOWLEDGE_CENTRE),
    DemoPersona("politie.antwerpen@demo.binplp.be", "Pieter", "Voorbeeld", "nl", Role.ZONE_OFFICER, 5345),
    DemoPersona("preventie.antwerpen@demo.binplp.be", "Petra", "Voorbeeld", "nl", Role.MUNICIPAL_OFFICIAL, "11002"),
    DemoPersona("coordinator@demo.binplp.be", "Casey", "Example", "en", Role.COORDINATOR, DEMO_NETWORK_CODE),
    DemoPersona("lid@demo.binplp.be", "Lien", "Voorbeeld", "nl", Role.MEMBER),
    DemoPersona("trainer.vesta@demo.binplp.be", "Tom", "Voorbeeld", "nl", Role.TRAINER, "vesta"),
    DemoPersona("police.liege@demo.binplp.be", "Louise", "Exemple", "fr", Role.ZONE_OFFICER, 5277),
    DemoPersona("gemeinde.eupen@demo.binplp.be", "Klaus", "Beispiel", "de", Role.MUNICIPAL_OFFICIAL, "63023"),
)


@dataclass
class DemoLogin:
    email: str
    password: str
    name: str
    language: str
    role: str
    scope: str
    note: str
    created: bool


def _find_scope(role: str, key):
    """The current scope object for a persona, by its natural key (None when the reference data lacks it)."""
    model = scope_model_for(role)
    if model is None:
        return None
    lookups = {
        "PoliceZone": {"code": key},
        "Municipality": {"refnis": key},
        "Academy": {"code": key},
        "Network": {"code": key},
    }
    queryset = model._default_manager.filter(**lookups[model.__name__])
    if hasattr(queryset, "current"):
        queryset = queryset.current()
    return queryset.first()


def _ensure_reference_data() -> None:
    from geography.models import PoliceZone

    if not PoliceZone.objects.exists():
        from geography.services import reference_data_load  # the geography app's loader, used on a fresh database

        reference_data_load(actor=None)


def _ensure_user(persona: DemoPersona) -> tuple[User, bool]:
    user = User.objects.filter(email__iexact=persona.email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=persona.email,
            password=DEMO_PASSWORD,
            first_name=persona.first_name,
            last_name=persona.last_name,
            language=persona.language,
            is_demo=True,
        )
        audit_record(
            actor=None,
            action=AuditAction.CREATE,
            obj=user,
            changes={"email": [None, user.email], "is_demo": [None, True]},
        )
    else:
        changed = []
        for field in ("first_name", "last_name", "language"):
            if getattr(user, field) != getattr(persona, field):
                setattr(user, field, getattr(persona, field))
                changed.append(field)
        if not user.is_demo:
            user.is_demo = True
            changed.append("is_demo")
        if not user.check_password(DEMO_PASSWORD):
            # The documented demo password must keep working.
            user.set_password(DEMO_PASSWORD)
            changed.append("password")
        if changed:
            user.save(update_fields=changed)
    email_address_verify(user, persona.email)
    return user, created


def _ensure_demo_network():
    """The demo coordinator's network in Antwerp (zone 5345), with a few streets; left as it is when it exists
    (the networks demo data may have created it with more detail)."""
    import datetime

    from geography.models import Municipality, PoliceZone
    from networks.models import AreaStreet, Network
    from networks.text import normalise_street

    network = Network.objects.filter(code=DEMO_NETWORK_CODE).first()
    if network is not None:
        return network
    antwerp = Municipality.objects.current().get(refnis="11002")
    network = Network.objects.create(
        code=DEMO_NETWORK_CODE,
        name="BIN Voorbeeldwijk",
        kind="residential",
        status="in_preparation",  # its coordinator prepares the first charter in the demo
        municipality=antwerp,
        zone=PoliceZone.objects.current().get(code=5345),
        founded_on=datetime.date(2018, 9, 1),
        public_description="Een fictief buurtinformatienetwerk voor de demo.",
    )
    network.municipalities.add(antwerp)
    AreaStreet.objects.bulk_create(
        AreaStreet(network=network, postal_code="2000", street=name, street_normalised=normalise_street(name))
        for name in ("Meir", "Groenplaats", "Oude Koornmarkt", "Hoogstraat")
    )
    audit_record(actor=None, action=AuditAction.CREATE, obj=network, changes={"code": [None, network.code]})
    return network


def _ensure_demo_partner(network, user) -> None:
    import datetime

    from networks.models import Partner

    if Partner.objects.filter(network=network, user=user).exists():
        return
    Partner.objects.create(
        network=network,
        role="coordinator",
        user=user,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        adult_confirmed=True,
        screening_on=datetime.date(2018, 8, 1),
        screening_result="favourable",
        active_from=datetime.date(2018, 9, 1),
    )


def demo_seed() -> list[DemoLogin]:
    """Create (or bring back to their documented state) the demo accounts and their roles."""
    _ensure_reference_data()
    logins = []
    with transaction.atomic():
        network = _ensure_demo_network()
        for persona in DEMO_PERSONAS:
            user, created = _ensure_user(persona)
            if persona.role == Role.COORDINATOR and persona.scope_key == network.code:
                _ensure_demo_partner(network, user)
            note, scope = persona.note, None
            if persona.role is not None:
                scope = _find_scope(persona.role, persona.scope_key) if persona.scope_key is not None else None
                if persona.scope_key is not None and scope is None:
                    note = f"scope {persona.scope_key} not found in the reference data: role not given"
                else:
                    holds = RoleAssignment.objects.filter(
                        user=user, role=persona.role, scope_id=scope.pk if scope else None, revoked_at__isnull=True
                    ).exists()
                    if not holds:
                        _grant(actor=None, user=user, role=persona.role, scope=scope, granted_by=None)
            logins.append(
                DemoLogin(
                    email=persona.email,
                    password=DEMO_PASSWORD,
                    name=f"{persona.first_name} {persona.last_name}",
                    language=persona.language,
                    role=str(Role(persona.role).label) if persona.role else "–",
                    scope=str(scope) if scope is not None else "",
                    note=note,
                    created=created,
                )
            )
    # The networks register's demo data (about 1,400 networks; smaller in tests), after the accounts it refers to.
    from networks.demo import demo_networks

    demo_networks(scale=getattr(settings, "BINPLP_DEMO_NETWORKS_SCALE", 1.0))
    return logins
