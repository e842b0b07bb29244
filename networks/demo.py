"""Demo data of the networks register: about 1,400 fictional networks spread over the provinces like the real
end-2023 count (1,386 registered at ADVP: Flanders 1,060 with Antwerp 544, Wallonia 311 with Walloon Brabant 77,
Brussels 15), with their streets, partners, status history, charters in every state with signatures and ADVP
reviews, and a few sanctions.

Everything is generated from a fixed seed, so two runs plan the same networks; networks already present (same
name in the same municipality) are skipped, so running it again adds nothing. People's names come from Faker and
their addresses use example.org: they are fictional. Rows are written in bulk (a full run takes seconds).
"""

from __future__ import annotations

import datetime
import random
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from core.models import AuditAction, AuditEvent
from geography.models import Municipality, PostalCode, ZoneMembership

from .choices import (
    COORDINATOR_ROLES,
    Channel,
    CharterStatus,
    CostPayer,
    MessageType,
    NetworkKind,
    NetworkSector,
    NetworkStatus,
    PartnerRole,
    ReviewDecision,
    SanctionMeasure,
    SanctionTarget,
    ScreeningResult,
    Sender,
    Signatory,
    StreetParity,
)
from .models import (
    AreaStreet,
    Charter,
    CharterReview,
    CharterSignature,
    ChecklistItem,
    Network,
    NetworkStatusChange,
    Partner,
    ReviewItemResult,
    Sanction,
)
from .text import normalise_street

SEED = 2023
# Networks per province (REFNIS) at end 2023; Brussels-Capital (no province) by its region.
PROVINCE_COUNTS = {
    "10000": 544,  # Antwerp
    "40000": 300,  # East Flanders
    "20001": 122,  # Flemish Brabant
    "30000": 50,  # West Flanders
    "70000": 44,  # Limburg
    "20002": 77,  # Walloon Brabant
    "50000": 90,  # Hainaut
    "60000": 80,  # Liège
    "90000": 40,  # Namur
    "80000": 24,  # Luxembourg
}
BRUSSELS_REGION, BRUSSELS_COUNT = "04000", 15
SELF_EMPLOYED_SHARE, SECTORAL_SHARE = 0.12, 0.03
STATUS_WEIGHTS = {
    NetworkStatus.ACTIVE: 72,
    NetworkStatus.IN_PREPARATION: 8,
    NetworkStatus.CHARTER_SUBMITTED: 6,
    NetworkStatus.DORMANT: 6,
    NetworkStatus.DISSOLVED: 5,
    NetworkStatus.MERGED: 3,
}
# Larger towns hold more networks: their weight in the draw of a municipality (the others weigh 1).
TOWN_WEIGHTS = {
    "11002": 20,  # Antwerpen
    "44021": 12,  # Gent
    "31005": 6,  # Brugge
    "24062": 8,  # Leuven
    "71022": 5,  # Hasselt
    "25112": 4,  # Wavre
    "53053": 4,  # Mons
    "52011": 6,  # Charleroi
    "62063": 8,  # Liège
    "92094": 4,  # Namur
    "81001": 2,  # Arlon
    "12025": 5,  # Mechelen
    "46021": 4,  # Sint-Niklaas
    "41002": 4,  # Aalst
}
PORT_TOWNS = {"11002", "44021", "31005", "35013", "62063"}

QUARTERS = {
    "nl": [
        "Centrum",
        "Kerkwijk",
        "Molenhoek",
        "Stationsbuurt",
        "Heide",
        "Dorp",
        "Kouter",
        "Hoogveld",
        "Bos",
        "Beek",
        "Kasteelwijk",
        "Sint-Jozef",
        "Sint-Anna",
        "Zuid",
        "Noord",
        "Vijverwijk",
        "Lindenhof",
        "Kapelhoek",
        "Akkerwijk",
        "Meersen",
        "Broek",
        "Berg",
        "Ter Heide",
        "Zonnewijk",
        "Bloemenwijk",
        "Vogelwijk",
        "Parkwijk",
        "Beukenhof",
        "De Linde",
        "Hazewinkel",
        "Dorpsplein",
        "Markt",
        "Kloosterwijk",
        "Ter Beke",
        "Hoeve",
    ],
    "fr": [
        "Centre",
        "Gare",
        "Église",
        "Les Bruyères",
        "Bois",
        "Champ du Moulin",
        "Village",
        "Haut",
        "Château",
        "Tilleuls",
        "Sart",
        "Plaine",
        "Chapelle",
        "Fontaine",
        "Ruisseau",
        "Cité",
        "Hameau",
        "Prés",
        "Tige",
        "Marais",
        "Thier",
        "Campagne",
        "Place communale",
        "Faubourg",
        "Vieux Bourg",
        "Les Hêtres",
        "Les Vergers",
    ],
    "de": ["Zentrum", "Unterstadt", "Oberstadt", "Kirchviertel", "Bahnhofsviertel", "Dorf", "Heide", "Am Bach"],
}
PREFIX = {"nl": "BIN", "fr": "PLP", "de": "PLP", "nl+fr": "BIN-PLP"}
SELF_EMPLOYED = {
    "nl": ("BIN-Z", ["Centrum", "Handelskern", "Markt", "Winkelstraat", "Bedrijventerrein", "Industriezone"]),
    "fr": ("PLP-I", ["Centre-ville", "Commerces", "Zoning", "Place", "Galeries"]),
    "de": ("PLP-I", ["Zentrum", "Geschäftsviertel", "Gewerbegebiet"]),
}
SECTOR_NAMES = {
    "nl": {
        NetworkSector.PHARMACIES: "Sector-BIN Apotheken",
        NetworkSector.JEWELLERS: "Sector-BIN Juweliers",
        NetworkSector.PORT: "Sector-BIN Haven",
        NetworkSector.HOSPITALITY: "Sector-BIN Horeca",
        NetworkSector.BUSINESS_PARK: "Sector-BIN Bedrijvenpark",
        NetworkSector.RETAIL: "Sector-BIN Handelaars",
    },
    "fr": {
        NetworkSector.PHARMACIES: "PLP Pharmacies",
        NetworkSector.JEWELLERS: "PLP Bijouteries",
        NetworkSector.PORT: "PLP Port",
        NetworkSector.HOSPITALITY: "PLP Horeca",
        NetworkSector.BUSINESS_PARK: "PLP Parc d'activités",
        NetworkSector.RETAIL: "PLP Commerces",
    },
}
DESCRIPTIONS = {
    "nl": "Buurtinformatienetwerk van {place} in {municipality}: bewoners, politie en gemeente werken samen.",
    "fr": "Partenariat local de prévention de {place} à {municipality} : habitants, police et commune ensemble.",
    "de": "Nachbarschaftsnetzwerk {place} in {municipality}: Bürger, Polizei und Gemeinde arbeiten zusammen.",
}
# Street names: common Belgian roots and endings (most), and Faker's for variety.
STREET_PARTS = {
    "nl": (
        [
            "Kerk",
            "Molen",
            "School",
            "Stations",
            "Dorps",
            "Kapel",
            "Linden",
            "Beuken",
            "Eiken",
            "Berken",
            "Populier",
            "Wilgen",
            "Kastanje",
            "Akker",
            "Veld",
            "Heide",
            "Bos",
            "Beek",
            "Brug",
            "Kasteel",
            "Hoeve",
            "Kouter",
            "Meers",
            "Nieuw",
            "Hoog",
            "Zand",
            "Steen",
            "Konings",
            "Pastoor",
            "Klooster",
            "Abdij",
            "Smidse",
            "Brouwerij",
            "Vaart",
            "Dijk",
            "Spoorweg",
            "Markt",
            "Leopold",
            "Albert",
            "Boudewijn",
            "Rozen",
            "Tulpen",
            "Merel",
            "Lijster",
            "Zwaluw",
            "Vlas",
            "Hop",
            "Koren",
            "Hooi",
            "Water",
        ],
        ["straat", "laan", "weg", "dreef", "plein", "hof", "lei", "steenweg", "pad", "straat", "straat"],
    ),
    "fr": (
        ["Rue", "Rue", "Rue", "Avenue", "Chemin", "Place", "Allée", "Clos", "Chaussée", "Sentier"],
        [
            "de l'Église",
            "de la Gare",
            "du Moulin",
            "des Écoles",
            "du Château",
            "de la Station",
            "des Tilleuls",
            "des Hêtres",
            "du Bois",
            "de la Chapelle",
            "du Centre",
            "des Prés",
            "de la Fontaine",
            "du Village",
            "de Bruxelles",
            "de Namur",
            "des Champs",
            "du Calvaire",
            "Albert Ier",
            "Léopold II",
            "du Roi",
            "de la Paix",
            "des Combattants",
            "du Stade",
            "de la Croix",
            "du Marché",
            "des Fleurs",
            "des Vergers",
            "du Ruisseau",
            "Haute",
            "Basse",
            "des Saules",
            "de la Sablière",
            "du Tige",
            "des Alouettes",
        ],
    ),
    "de": (
        ["Kirch", "Bahnhof", "Schul", "Mühlen", "Linden", "Wald", "Berg", "Dorf", "Markt", "Garten", "Wiesen", "Bach"],
        ["straße", "weg", "platz", "gasse"],
    ),
}
DIRECTIONS = {"nl": ["Noord", "Zuid", "Oost", "West"], "fr": ["Nord", "Sud", "Est", "Ouest"], "de": ["Nord", "Süd"]}
LOCAL_LABELS = ["BuurtWhatsApp", "Hoplr-groep", "WhatsApp-groep", "Groupe WhatsApp", "Signal-groep"]
FAKER_LOCALES = {"nl": "nl_BE", "fr": "fr_FR", "de": "de_DE"}
# A one-page PDF standing in for every demo charter's signed scan.
DEMO_PDF_NAME = "charters/demo-signed-charter.pdf"
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>"
    b"endobj\n4 0 obj<</Length 60>>stream\nBT /F1 18 Tf 72 760 Td (Demo charter - fictional) Tj ET\nendstream\n"
    b"endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@dataclass
class DemoSummary:
    planned: int = 0
    created: int = 0
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class _Plan:
    """One demo network and everything hanging on it, before it is written."""

    municipality: Municipality
    zone_id: int
    language: str
    name: str
    kind: str
    sector: str
    status: str
    founded_on: datetime.date | None
    local_label: str = ""
    public_description: str = ""
    public_email: str = ""
    streets: list[tuple] = field(default_factory=list)
    partners: list[dict] = field(default_factory=list)
    charters: list[dict] = field(default_factory=list)
    history: list[tuple] = field(default_factory=list)  # (from, to, on, reason)
    sanctions: list[dict] = field(default_factory=list)
    merge_into: int | None = None  # index of the plan it merged into
    network: Network | None = None


def _language(municipality: Municipality) -> str:
    return municipality.language if municipality.language in ("nl", "fr", "de") else "nl+fr"


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]+", ".", "".join(c for c in decomposed if not unicodedata.combining(c)).lower()).strip(".")


class _Generator:
    def __init__(self, scale: float, today: datetime.date, streets: int | None = None):
        from faker import Faker

        self.streets = streets
        self.rng = random.Random(SEED)  # nosec B311  # seeded demo data, not security
        self.today = today
        self.scale = scale
        self.fakers = {}
        for language, locale in FAKER_LOCALES.items():
            faker = Faker(locale)
            faker.seed_instance(SEED)
            self.fakers[language] = faker
        self.street_pools: dict[str, list[str]] = {}

    def faker(self, language: str):
        return self.fakers["fr" if language == "nl+fr" and self.rng.random() < 0.6 else language[:2]]

    def street_names(self, language: str) -> list[str]:
        language = "fr" if language == "nl+fr" else language
        if language not in self.street_pools:
            first, second = STREET_PARTS[language]
            if language == "fr":
                pool = {f"{a} {b}" for a in sorted(set(first)) for b in second}
            else:
                pool = {f"{a}{b}" for a in first for b in sorted(set(second))}
            faker = self.fakers[language]
            pool |= {faker.street_name() for _ in range(len(pool) // 4)}
            self.street_pools[language] = sorted(pool)
        return self.street_pools[language]

    def date_between(self, start: datetime.date, end: datetime.date) -> datetime.date:
        days = max((end - start).days, 0)
        return start + datetime.timedelta(days=self.rng.randint(0, days))

    def person(self, language: str) -> tuple[str, str]:
        faker = self.faker(language)
        return faker.first_name(), faker.last_name()


def _counts(scale: float) -> list[tuple[str, str, int]]:
    rows = [("province", refnis, count) for refnis, count in PROVINCE_COUNTS.items()]
    rows.append(("region", BRUSSELS_REGION, BRUSSELS_COUNT))
    return [(kind, refnis, max(1, round(count * scale))) for kind, refnis, count in rows]


def _municipalities_by_area() -> dict[tuple[str, str], list[Municipality]]:
    result: dict[tuple[str, str], list[Municipality]] = defaultdict(list)
    for municipality in Municipality.objects.current().select_related("province", "region").order_by("refnis"):
        if municipality.province_id:
            result[("province", municipality.province.refnis)].append(municipality)
        else:
            result[("region", municipality.region.refnis)].append(municipality)
    return result


def _name(gen: _Generator, plan_language: str, kind: str, sector: str, municipality: Municipality) -> str:
    language = plan_language if plan_language in QUARTERS else "fr"
    if kind == NetworkKind.SELF_EMPLOYED:
        prefix, places = SELF_EMPLOYED["fr" if plan_language == "nl+fr" else plan_language]
        return f"{prefix} {gen.rng.choice(places)}"
    if kind == NetworkKind.SECTORAL:
        names = SECTOR_NAMES["nl" if plan_language == "nl" else "fr"]
        return f"{names[sector]} {municipality.name_nl if plan_language == 'nl' else municipality.name_fr}"
    if gen.rng.random() < 0.55:
        place = gen.rng.choice(QUARTERS[language])
    else:
        place = gen.rng.choice(gen.street_names(plan_language))
    return f"{PREFIX[plan_language]} {place}"


def _unique(name: str, taken: set[tuple[str, int]], municipality_id: int, language: str) -> str:
    """The name, or a variant (BIN Heide-Noord, then BIN Heide 2, …) when the municipality already has it."""
    variants = [f"{name}-{direction}" for direction in DIRECTIONS.get(language[:2], [])]
    candidate, number = name, 2
    while (candidate.lower(), municipality_id) in taken:
        if variants:
            candidate = variants.pop(0)
        else:
            candidate = f"{name} {number}"
            number += 1
    taken.add((candidate.lower(), municipality_id))
    return candidate


def _plan_networks(gen: _Generator) -> list[_Plan]:
    areas = _municipalities_by_area()
    zone_of = dict(
        ZoneMembership.objects.filter(valid_to__isnull=True, municipality__is_current=True).values_list(
            "municipality_id", "zone_id"
        )
    )
    postal_codes: dict[int, list[str]] = defaultdict(list)
    for code, municipality_id in PostalCode.objects.order_by("code").values_list("code", "municipality_id"):
        postal_codes[municipality_id].append(code)
    taken: set[tuple[str, int]] = set()
    plans: list[_Plan] = []
    statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
    for area_kind, refnis, count in _counts(gen.scale):
        municipalities = [m for m in areas.get((area_kind, refnis), []) if m.pk in zone_of]
        if not municipalities:
            continue
        town_weights = [TOWN_WEIGHTS.get(m.refnis, 1) for m in municipalities]
        for _ in range(count):
            municipality = gen.rng.choices(municipalities, weights=town_weights)[0]
            language = _language(municipality)
            draw = gen.rng.random()
            kind, sector = NetworkKind.RESIDENTIAL, ""
            if draw < SECTORAL_SHARE and language != "de":
                kind = NetworkKind.SECTORAL
                sectors = [
                    s for s in SECTOR_NAMES["nl"] if s != NetworkSector.PORT or municipality.refnis in PORT_TOWNS
                ]
                sector = gen.rng.choice(sectors)
            elif draw < SECTORAL_SHARE + SELF_EMPLOYED_SHARE:
                kind = NetworkKind.SELF_EMPLOYED
            status = gen.rng.choices(statuses, weights=weights)[0]
            name = _unique(_name(gen, language, kind, sector, municipality), taken, municipality.pk, language)
            founded_on = (
                None
                if status == NetworkStatus.IN_PREPARATION
                else gen.date_between(datetime.date(2008, 1, 1), gen.today - datetime.timedelta(days=200))
            )
            plan = _Plan(
                municipality=municipality,
                zone_id=zone_of[municipality.pk],
                language=language,
                name=name,
                kind=kind,
                sector=sector,
                status=status,
                founded_on=founded_on,
            )
            _plan_details(gen, plan, postal_codes.get(municipality.pk, []))
            plans.append(plan)
    _plan_mergers(gen, plans)
    return plans


def _plan_details(gen: _Generator, plan: _Plan, postal_codes: list[str]) -> None:
    rng, language = gen.rng, plan.language
    short = plan.name.split(" ", 1)[-1]
    text_language = language if language in DESCRIPTIONS else "fr"
    plan.public_description = DESCRIPTIONS[text_language].format(
        place=short, municipality=plan.municipality.name_fr if text_language == "fr" else plan.municipality.name_nl
    )
    if rng.random() < 0.6:
        plan.public_email = f"{_ascii(plan.name)}.{plan.municipality.refnis}@example.org"
    if rng.random() < 0.15:
        plan.local_label = rng.choice(LOCAL_LABELS)
    # The area: 5 to 15 streets of the municipality's postal codes, some by house numbers.
    pool = gen.street_names(language)
    for street in rng.sample(pool, gen.streets or rng.randint(5, 15)):
        start = end = None
        parity = StreetParity.ALL
        if rng.random() < 0.2:
            start = rng.randint(1, 60)
            end = start + rng.randint(10, 120)
            parity = rng.choice([StreetParity.ALL, StreetParity.EVEN, StreetParity.ODD])
        plan.streets.append((rng.choice(postal_codes) if postal_codes else "1000", street, start, end, parity))
    _plan_partners(gen, plan)
    _plan_life(gen, plan)


def _plan_partners(gen: _Generator, plan: _Plan) -> None:
    rng = gen.rng
    since = plan.founded_on or gen.today - datetime.timedelta(days=rng.randint(10, 150))
    screening = since - datetime.timedelta(days=rng.randint(10, 60))
    pending = plan.status == NetworkStatus.IN_PREPARATION and rng.random() < 0.5
    roles = [PartnerRole.COORDINATOR, PartnerRole.MANDATED_OFFICER]
    if rng.random() < 0.4:
        roles.append(PartnerRole.DEPUTY_COORDINATOR)
    if rng.random() < 0.5:
        roles.append(PartnerRole.MUNICIPAL_CONTACT)
    roles += [PartnerRole.STEERING_GROUP] * rng.randint(0, 3)
    for role in roles:
        first, last = gen.person(plan.language)
        partner = {
            "role": role,
            "first_name": first,
            "last_name": last,
            "organisation": "",
            "email": "",
            "active_from": since,
        }
        if role in COORDINATOR_ROLES:
            partner.update(
                email=f"{_ascii(first)}.{_ascii(last)}@example.org",
                adult_confirmed=True,
                screening_on=min(screening, gen.today),
                screening_result=ScreeningResult.PENDING if pending else ScreeningResult.FAVOURABLE,
            )
        elif role == PartnerRole.MANDATED_OFFICER:
            partner["organisation"] = {"nl": "Lokale politie", "de": "Lokale Polizei"}.get(
                plan.language, "Police locale"
            )
        elif role == PartnerRole.MUNICIPAL_CONTACT:
            partner["organisation"] = (
                f"Gemeente {plan.municipality.name_nl}"
                if plan.language == "nl"
                else f"Commune de {plan.municipality.name_fr}"
            )
        plan.partners.append(partner)


def _charter_content(gen: _Generator, plan: _Plan) -> dict[str, Any]:
    rng = gen.rng
    channels = [Channel.EMAIL, Channel.SMS] + rng.sample([Channel.APP, Channel.BE_ALERT, Channel.VOICE, Channel.WEB], 2)
    types = [MessageType.URGENT_ALERT, MessageType.FEEDBACK, MessageType.PREVENTION_TIP] + rng.sample(
        [MessageType.NEWSLETTER, MessageType.MISSING_PERSON, MessageType.CRISIS], rng.randint(0, 2)
    )
    senders = {
        message_type: [Sender.POLICE]
        if message_type in (MessageType.URGENT_ALERT, MessageType.MISSING_PERSON, MessageType.CRISIS)
        else [Sender.POLICE, Sender.COORDINATOR]
        for message_type in types
    }
    fee = rng.choice([None, None, Decimal("5.00"), Decimal("10.00")])
    costs = [
        {
            "label": "SMS",
            "amount_eur": rng.choice([100, 150, 250]),
            "payer": rng.choice([CostPayer.MUNICIPALITY, CostPayer.POLICE]),
        },
        {
            "label": "Signalisatie / signalisation",
            "amount_eur": rng.choice([200, 400]),
            "payer": CostPayer.MUNICIPALITY,
        },
    ]
    if fee:
        costs.append({"label": "Website", "amount_eur": 60, "payer": CostPayer.MEMBERS})
    contacts = sorted(
        (
            {
                "role": p["role"],
                "name": f"{p['first_name']} {p['last_name']}",
                "email": p["email"],
                "phone": "",
                "organisation": p["organisation"],
                "user_id": None,
            }
            for p in plan.partners
        ),
        key=lambda row: (row["role"], row["name"].casefold(), row["email"], 0),
    )
    return {
        "contacts": contacts,
        "channels": [str(c) for c in channels],
        "message_types": [str(t) for t in types],
        "senders": {str(k): [str(s) for s in v] for k, v in senders.items()},
        "feedback_hours": rng.choice([24, 48, 72]),
        "cost_items": [{**item, "payer": str(item["payer"])} for item in costs],
        "member_fee_eur": fee,
        "alternative_financing": "" if rng.random() < 0.7 else "Sponsoring door lokale handelaars / sponsoring local",
        "internal_rules_version": rng.choice(["2019-1", "2021-2", "2023-1"]),
    }


def _charter(gen: _Generator, plan: _Plan, version: int, status: str, start: datetime.date, **extra) -> dict:
    rng = gen.rng
    created = min(start, gen.today)
    charter = {"version": version, "status": status, "created": created, **_charter_content(gen, plan), **extra}
    if status != CharterStatus.DRAFT:
        submitted = min(created + datetime.timedelta(days=rng.randint(3, 40)), gen.today)
        charter["submitted"] = submitted
        charter["signatures"] = list(Signatory.values)
        if status != CharterStatus.SUBMITTED or rng.random() < 0.4:
            decided = submitted + datetime.timedelta(days=rng.randint(5, 60))
            if status == CharterStatus.SUBMITTED:  # a review started, not decided yet
                charter["review_started"] = min(submitted + datetime.timedelta(days=rng.randint(1, 10)), gen.today)
            else:
                charter["decided"] = min(decided, gen.today)
    else:
        charter["signatures"] = rng.sample(list(Signatory.values), rng.randint(0, 3))
    return charter


def _plan_life(gen: _Generator, plan: _Plan) -> None:
    """Status history and charters matching the network's status."""
    rng, status = gen.rng, plan.status
    start = (
        plan.founded_on - datetime.timedelta(days=rng.randint(60, 300))
        if plan.founded_on
        else (gen.today - datetime.timedelta(days=rng.randint(20, 300)))
    )
    plan.history.append(("", NetworkStatus.IN_PREPARATION, start, ""))
    if status == NetworkStatus.IN_PREPARATION:
        draw = rng.random()
        if draw < 0.4:
            return
        if draw < 0.8:
            plan.charters.append(_charter(gen, plan, 1, CharterStatus.DRAFT, start))
            return
        charter = _charter(gen, plan, 1, CharterStatus.CHANGES_NEEDED, start)
        plan.charters.append(charter)
        plan.history.append(("in_preparation", NetworkStatus.CHARTER_SUBMITTED, charter["submitted"], ""))
        plan.history.append(("charter_submitted", NetworkStatus.IN_PREPARATION, charter["decided"], ""))
        return
    if status == NetworkStatus.CHARTER_SUBMITTED:
        charter = _charter(
            gen, plan, 1, CharterStatus.SUBMITTED, gen.today - datetime.timedelta(days=rng.randint(5, 80))
        )
        plan.charters.append(charter)
        plan.history.append(("in_preparation", NetworkStatus.CHARTER_SUBMITTED, charter["submitted"], ""))
        return
    # Active once, founded when ADVP found the charter conform.
    first = _charter(gen, plan, 1, CharterStatus.CONFORM, start)
    first["decided"] = plan.founded_on
    first["submitted"] = min(first["submitted"], plan.founded_on - datetime.timedelta(days=5))
    plan.charters.append(first)
    plan.history.append(("in_preparation", NetworkStatus.CHARTER_SUBMITTED, first["submitted"], ""))
    plan.history.append(("charter_submitted", NetworkStatus.ACTIVE, plan.founded_on, ""))
    last = plan.founded_on
    if status == NetworkStatus.ACTIVE:
        draw = rng.random()
        if draw < 0.12:  # a newer version, found conform: the first is superseded
            renewed = gen.date_between(plan.founded_on + datetime.timedelta(days=100), gen.today)
            second = _charter(gen, plan, 2, CharterStatus.CONFORM, renewed)
            first["status"] = CharterStatus.SUPERSEDED
            plan.charters.append(second)
            plan.history.append(("active", NetworkStatus.CHARTER_SUBMITTED, second["submitted"], ""))
            plan.history.append(("charter_submitted", NetworkStatus.ACTIVE, second["decided"], ""))
        elif draw < 0.2:  # a new version being prepared
            plan.charters.append(_charter(gen, plan, 2, CharterStatus.DRAFT, gen.today - datetime.timedelta(days=20)))
        if rng.random() < 0.02:
            _plan_sanction(gen, plan)
        return
    ended = gen.date_between(last + datetime.timedelta(days=30), gen.today - datetime.timedelta(days=1))
    reasons = {
        NetworkStatus.DORMANT: "Geen coördinator meer / plus de coordinateur",
        NetworkStatus.DISSOLVED: "Opgeheven op vraag van de leden / dissous à la demande des membres",
        NetworkStatus.MERGED: "Samengevoegd met een naburig netwerk / fusionné avec un partenariat voisin",
    }
    plan.history.append(("active", status, ended, reasons[status]))


def _plan_sanction(gen: _Generator, plan: _Plan) -> None:
    rng = gen.rng
    decided = gen.date_between(plan.founded_on + datetime.timedelta(days=30), gen.today - datetime.timedelta(days=5))
    if rng.random() < 0.6:
        measure = rng.choice(
            [
                SanctionMeasure.WRITTEN_REPRIMAND,
                SanctionMeasure.TEMPORARY_SUSPENSION,
                SanctionMeasure.PERMANENT_SUSPENSION,
            ]
        )
        first, last = gen.person(plan.language)
        sanction = {"target": SanctionTarget.MEMBER, "measure": measure, "member_ref": f"{first} {last}"}
        reason = "Berichten buiten het doel van het netwerk gedeeld / messages diffusés hors du but du partenariat"
    else:
        measure = rng.choice(
            [
                SanctionMeasure.TALK,
                SanctionMeasure.WRITTEN_REPRIMAND_CHIEF,
                SanctionMeasure.TEMPORARY_REMOVAL,
                SanctionMeasure.PERMANENT_REMOVAL,
            ]
        )
        sanction = {"target": SanctionTarget.COORDINATOR, "measure": measure}
        reason = "Persoonsgegevens van leden doorgegeven / données personnelles transmises"
    sanction.update(decided_on=decided, reason=reason)
    sanction["decided_by"] = (
        "Korpschef / chef de corps"
        if measure in (SanctionMeasure.WRITTEN_REPRIMAND_CHIEF, SanctionMeasure.TALK)
        else "Burgemeester / bourgmestre"
    )
    if measure in (SanctionMeasure.TEMPORARY_SUSPENSION, SanctionMeasure.TEMPORARY_REMOVAL):
        sanction["ends_on"] = decided + datetime.timedelta(days=rng.choice([30, 90, 180]))
    if measure == SanctionMeasure.PERMANENT_REMOVAL:
        sanction["copy_to_advp_on"] = decided + datetime.timedelta(days=2)
        sanction["appeal_deadline"] = decided + datetime.timedelta(days=21)
    plan.sanctions.append(sanction)


def _plan_mergers(gen: _Generator, plans: list[_Plan]) -> None:
    """A merged network names an active one of its zone; without one it dissolved instead."""
    active_by_zone: dict[int, list[int]] = defaultdict(list)
    for index, plan in enumerate(plans):
        if plan.status == NetworkStatus.ACTIVE:
            active_by_zone[plan.zone_id].append(index)
    for plan in plans:
        if plan.status != NetworkStatus.MERGED:
            continue
        candidates = active_by_zone.get(plan.zone_id)
        if candidates:
            plan.merge_into = gen.rng.choice(candidates)
        else:
            plan.status = NetworkStatus.DISSOLVED
            frm, _to, on, reason = plan.history[-1]
            plan.history[-1] = (frm, NetworkStatus.DISSOLVED, on, reason)


# --- writing --------------------------------------------------------------------------------------------------------


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _demo_pdf() -> str:
    if not default_storage.exists(DEMO_PDF_NAME):
        default_storage.save(DEMO_PDF_NAME, ContentFile(DEMO_PDF))
    return DEMO_PDF_NAME


def _write(gen: _Generator, plans: list[_Plan], all_plans: list[_Plan]) -> dict[str, int]:
    """Write `plans` (the missing part of `all_plans`, which `merge_into` indexes)."""
    from accounts.models import User

    from .services.importer import _highest_numbers

    now = timezone.now()
    reviewer = User.objects.filter(email__iexact="advp@demo.binplp.be").first()
    highest = _highest_numbers({plan.municipality.refnis for plan in plans})

    def new_network(plan: _Plan) -> Network:
        highest[plan.municipality.refnis] += 1
        return Network(
            code=f"BIN-{plan.municipality.refnis}-{highest[plan.municipality.refnis]}",
            name=plan.name,
            kind=plan.kind,
            sector=plan.sector,
            local_label=plan.local_label,
            status=plan.status,
            municipality=plan.municipality,
            zone_id=plan.zone_id,
            founded_on=plan.founded_on,
            public_description=plan.public_description,
            public_email=plan.public_email,
            created_at=_aware(plan.history[0][2]) if plan.history[0][2] < now.date() else now,
        )

    # Networks that merged point at their successor: those are written after the others.
    first_pass = [plan for plan in plans if plan.merge_into is None]
    second_pass = [plan for plan in plans if plan.merge_into is not None]
    for batch in (first_pass, second_pass):
        networks = []
        for plan in batch:
            plan.network = new_network(plan)
            if plan.merge_into is not None:
                target = all_plans[plan.merge_into].network
                plan.network.merged_into_id = target.pk if target is not None else None
                if target is None or target.pk is None:
                    plan.network.status = plan.status = NetworkStatus.DISSOLVED
            networks.append(plan.network)
        Network.objects.bulk_create(networks, batch_size=500)
        if networks and networks[0].pk is None:
            ids = dict(Network.objects.filter(code__in=[n.code for n in networks]).values_list("code", "pk"))
            for network in networks:
                network.pk = ids[network.code]

    through = Network.municipalities.through
    links, streets, history, partners, audit = [], [], [], [], []
    content_type = ContentType.objects.get_for_model(Network)
    for plan in plans:
        network = plan.network
        links.append(through(network_id=network.pk, municipality_id=plan.municipality.pk))
        seen = set()
        for postal_code, street, start, end, parity in plan.streets:
            key = (postal_code, normalise_street(street), start, end, parity)
            if key in seen:
                continue
            seen.add(key)
            streets.append(
                AreaStreet(
                    network_id=network.pk,
                    postal_code=postal_code,
                    street=street,
                    street_normalised=key[1],
                    number_from=start,
                    number_to=end,
                    parity=parity,
                )
            )
        for from_status, to_status, on, reason in plan.history:
            to_status = (
                NetworkStatus.DISSOLVED
                if to_status == NetworkStatus.MERGED and not network.merged_into_id
                else to_status
            )
            history.append(
                NetworkStatusChange(
                    network_id=network.pk,
                    from_status=from_status,
                    to_status=to_status,
                    on=on,
                    reason=reason,
                    created_at=_aware(on),
                    advp_notified_at=_aware(on, 12)
                    if to_status in (NetworkStatus.DISSOLVED, NetworkStatus.MERGED)
                    else None,
                )
            )
        for partner in plan.partners:
            partners.append(Partner(network_id=network.pk, **partner))
        audit.append(
            AuditEvent(
                actor=None,
                actor_label="system",
                action=AuditAction.CREATE,
                content_type=content_type,
                object_id=str(network.pk),
                object_repr=str(network)[:255],
                changes={"code": [None, network.code], "name": [None, network.name], "demo": [None, True]},
            )
        )
    through.objects.bulk_create(links, batch_size=1000)
    AreaStreet.objects.bulk_create(streets, batch_size=1000)
    NetworkStatusChange.objects.bulk_create(history, batch_size=1000)
    Partner.objects.bulk_create(partners, batch_size=1000)
    AuditEvent.objects.bulk_create(audit, batch_size=1000)
    counts = {
        "networks": len(plans),
        "streets": len(streets),
        "partners": len(partners),
        "status changes": len(history),
    }
    counts.update(_write_charters(gen, plans, reviewer))
    counts["sanctions"] = _write_sanctions(plans)
    return counts


def _write_charters(gen: _Generator, plans: list[_Plan], reviewer) -> dict[str, int]:
    pdf = _demo_pdf()
    charters, pending = [], []
    for plan in plans:
        for data in plan.charters:
            charter = Charter(
                network_id=plan.network.pk,
                version=data["version"],
                status=data["status"],
                contacts=data["contacts"],
                channels=data["channels"],
                message_types=data["message_types"],
                senders=data["senders"],
                feedback_hours=data["feedback_hours"],
                cost_items=data["cost_items"],
                member_fee_eur=data["member_fee_eur"],
                alternative_financing=data["alternative_financing"],
                internal_rules_version=data["internal_rules_version"],
                signed_pdf=pdf if data["status"] != CharterStatus.DRAFT else "",
                created_at=_aware(data["created"], 9),
                submitted_at=_aware(data["submitted"], 11) if "submitted" in data else None,
                decided_at=_aware(data["decided"], 15) if "decided" in data else None,
            )
            charters.append(charter)
            pending.append((plan, data, charter))
    Charter.objects.bulk_create(charters, batch_size=500)
    if charters and charters[0].pk is None:
        ids = {
            (network_id, version): pk
            for pk, network_id, version in Charter.objects.filter(
                network_id__in={c.network_id for c in charters}
            ).values_list("pk", "network_id", "version")
        }
        for charter in charters:
            charter.pk = ids[(charter.network_id, charter.version)]

    signatures, reviews = [], []
    for plan, data, charter in pending:
        names = {
            Signatory.COORDINATOR: next(
                (f"{p['first_name']} {p['last_name']}" for p in plan.partners if p["role"] == PartnerRole.COORDINATOR),
                "",
            ),
            Signatory.MANDATED_OFFICER: next(
                (
                    f"{p['first_name']} {p['last_name']}"
                    for p in plan.partners
                    if p["role"] == PartnerRole.MANDATED_OFFICER
                ),
                "",
            ),
        }
        signed_on = data.get("submitted", data["created"]) - datetime.timedelta(days=2)
        for signatory in data["signatures"]:
            name = names.get(signatory) or " ".join(gen.person(plan.language))
            signatures.append(
                CharterSignature(
                    charter_id=charter.pk,
                    signatory=signatory,
                    name=name,
                    signed_on=max(signed_on, data["created"]),
                    recorded_at=_aware(max(signed_on, data["created"]), 16),
                )
            )
        if "decided" in data or "review_started" in data:
            decided = data.get("decided")
            decision = ""
            if decided:
                decision = (
                    ReviewDecision.CHANGES_NEEDED
                    if data["status"] == CharterStatus.CHANGES_NEEDED
                    else ReviewDecision.CONFORM
                )
            reviews.append(
                (
                    data,
                    CharterReview(
                        charter_id=charter.pk,
                        reviewer=reviewer,
                        started_at=_aware(
                            data.get("review_started") or max(data["submitted"], decided - datetime.timedelta(days=2)),
                            9,
                        ),
                        decided_at=_aware(decided, 15) if decided else None,
                        decision=decision,
                        remarks=""
                        if decision != ReviewDecision.CHANGES_NEEDED
                        else "Het budgetplan ontbreekt / le plan budgétaire manque.",
                    ),
                )
            )
    CharterSignature.objects.bulk_create(signatures, batch_size=1000)
    CharterReview.objects.bulk_create([review for _data, review in reviews], batch_size=500)
    if reviews and reviews[0][1].pk is None:
        ids = dict(
            CharterReview.objects.filter(charter_id__in=[r.charter_id for _d, r in reviews]).values_list(
                "charter_id", "pk"
            )
        )
        for _data, review in reviews:
            review.pk = ids[review.charter_id]
    items = list(ChecklistItem.objects.filter(is_active=True).order_by("order"))
    results = []
    for _data, review in reviews:
        if not review.decision:
            continue
        unmet = {gen.rng.choice(items).pk} if review.decision == ReviewDecision.CHANGES_NEEDED and items else set()
        for item in items:
            results.append(
                ReviewItemResult(
                    review_id=review.pk,
                    item_id=item.pk,
                    satisfied=item.pk not in unmet,
                    remark="Te vervolledigen / à compléter" if item.pk in unmet else "",
                )
            )
    ReviewItemResult.objects.bulk_create(results, batch_size=1000)
    return {"charters": len(charters), "signatures": len(signatures), "reviews": len(reviews)}


def _write_sanctions(plans: list[_Plan]) -> int:
    wanted = [(plan, data) for plan in plans for data in plan.sanctions]
    if not wanted:
        return 0
    coordinators = {
        network_id: pk
        for pk, network_id in Partner.objects.filter(
            network_id__in=[plan.network.pk for plan, _data in wanted], role=PartnerRole.COORDINATOR
        ).values_list("pk", "network_id")
    }
    sanctions = []
    for plan, data in wanted:
        partner_id = coordinators.get(plan.network.pk) if data["target"] == SanctionTarget.COORDINATOR else None
        if data["target"] == SanctionTarget.COORDINATOR and partner_id is None:
            continue
        sanctions.append(Sanction(network_id=plan.network.pk, partner_id=partner_id, **data))
    Sanction.objects.bulk_create(sanctions)
    return len(sanctions)


def demo_networks(*, scale: float = 1.0, today: datetime.date | None = None, streets: int | None = None) -> DemoSummary:
    """Create the demo networks (about 1,400 × `scale`, each with 5 to 15 streets or exactly `streets`) that are not
    there yet; returns what was planned and made. The benchmarks use it at scale for their 15,000 networks."""
    today = today or timezone.localdate()
    gen = _Generator(scale, today, streets)
    plans = _plan_networks(gen)
    existing = {
        (name.lower(), municipality_id)
        for name, municipality_id in Network.objects.filter(
            municipality_id__in={plan.municipality.pk for plan in plans}
        ).values_list("name", "municipality_id")
    }
    missing = [plan for plan in plans if (plan.name.lower(), plan.municipality.pk) not in existing]
    # A merged network whose successor already exists (an earlier run) points at it after all.
    for plan in missing:
        if plan.merge_into is not None and plans[plan.merge_into] not in missing:
            target = plans[plan.merge_into]
            target.network = Network.objects.filter(name=target.name, municipality=target.municipality).first()
    summary = DemoSummary(planned=len(plans))
    if not missing:
        return summary
    with transaction.atomic():
        summary.counts = _write(gen, missing, plans)
    summary.created = len(missing)
    return summary
