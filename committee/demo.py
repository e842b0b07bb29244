"""Demo data of the steering committee: the seats filled with fictional people (the demo coordinator and the demo
officer of Antwerp hold a seat through their accounts, so the member pages can be tried), two seats vacant and one
rotation coming within 90 days; last year's meeting with its agenda, published minutes, decisions and action items
(one overdue, one done); and the coming meeting with its agenda, invitations not sent yet.

Rows are written directly (seeded, not done by people: no audit rows, no e-mail). Seeding again adds nothing: when
the committee already has terms, everything is left as it is."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from .choices import ActionStatus
from .models import ActionItem, AgendaItem, Decision, Meeting, SeatCategory, SeatTerm

# (category, seat, first name, last name, organisation, language, demo account e-mail or "")
PEOPLE = [
    ("chair", 1, "Ada", "Voorbeeld", "FOD Binnenlandse Zaken – ADVP", "nl", "advp@demo.binplp.be"),
    ("police-zones", 1, "Pieter", "Voorbeeld", "PZ Antwerpen", "nl", "politie.antwerpen@demo.binplp.be"),
    ("police-zones", 2, "Louise", "Exemple", "ZP Liège", "fr", "police.liege@demo.binplp.be"),
    ("police-zones", 3, "Jan", "Maes", "PZ Kempenland", "nl", ""),
    ("coordinators", 1, "Casey", "Example", "BIN Network A", "en", "coordinator@demo.binplp.be"),
    ("coordinators", 2, "Sophie", "Lambert", "PLP Namur-Centre", "fr", ""),
    ("self-employed", 1, "Hilde", "Wouters", "UNIZO", "nl", ""),
    ("vclp", 1, "Marc", "Dubois", "VCLP / CPPL", "fr", ""),
    ("federal-police", 1, "Kris", "Jacobs", "Federale politie – DGA", "nl", ""),
    ("federal-police", 2, "Nathalie", "Leroy", "Police fédérale – DGR", "fr", ""),
    ("knowledge-centre", 1, "Camille", "Exemple", "Centre d'Expertise PLP", "fr", "kenniscentrum@demo.binplp.be"),
    ("knowledge-centre", 2, "Bart", "Claes", "BIN Kenniscentrum", "nl", ""),
    ("provinces", 1, "Greet", "Hermans", "Provincie Limburg", "nl", ""),
    ("provinces", 2, "Jürgen", "Schmitz", "Provinz Lüttich (DG)", "de", ""),
]
# Vacant: coordinators 3, self-employed 2, federal-police 3. Rotating within 90 days: provinces 1.


@dataclass
class CommitteeSeed:
    created: bool
    terms: int = 0
    vacant: int = 0
    meetings: int = 0
    actions: int = 0


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=timezone.get_current_timezone())


def seed_committee() -> CommitteeSeed:
    if SeatTerm.objects.exists():
        return CommitteeSeed(created=False)
    today = timezone.localdate()
    categories = {category.code: category for category in SeatCategory.objects.all()}
    users = {user.email: user for user in User.objects.filter(email__endswith="@demo.binplp.be")}
    with transaction.atomic():
        terms = {}
        for code, seat, first, last, organisation, language, email in PEOPLE:
            category = categories.get(code)
            if category is None or seat > category.seats:
                continue
            user = users.get(email) if email else None
            ends_on = today + datetime.timedelta(days=45) if (code, seat) == ("provinces", 1) else None
            term = SeatTerm.objects.create(
                category=category,
                seat_number=seat,
                user=user,
                first_name="" if user else first,
                last_name="" if user else last,
                email="" if user else f"{first.lower()}.{last.lower()}@example.be".replace("ü", "u"),
                organisation=organisation,
                language=language,
                starts_on=today - datetime.timedelta(days=500),
                ends_on=ends_on,
            )
            terms[(code, seat)] = term
        # A former holder of the provinces' second seat (history).
        if "provinces" in categories:
            SeatTerm.objects.create(
                category=categories["provinces"],
                seat_number=2,
                first_name="Anne",
                last_name="Dupont",
                email="anne.dupont@example.be",
                organisation="Province de Hainaut",
                language="fr",
                starts_on=today - datetime.timedelta(days=1200),
                ends_on=today - datetime.timedelta(days=501),
            )
        advp = users.get("advp@demo.binplp.be")
        past_day = today - datetime.timedelta(days=200)
        past = Meeting.objects.create(
            title="Begeleidingscomité BIN / Comité d'accompagnement PLP",
            starts_at=_at(past_day, 10),
            ends_at=_at(past_day, 12),
            place="FOD Binnenlandse Zaken, Leuvenseweg 1, 1000 Brussel",
            video_url="https://meet.example.be/bin-comite",
            invited_at=_at(past_day - datetime.timedelta(days=30), 9),
            minutes_nl=(
                "## Verslag\n\nDe voorzitter verwelkomt de leden.\n\n"
                "- Cijfers van het register besproken\n- Het digitale platform voorgesteld\n"
            ),
            minutes_fr=(
                "## Procès-verbal\n\nLe président souhaite la bienvenue aux membres.\n\n"
                "- Chiffres du registre discutés\n- La plateforme numérique présentée\n"
            ),
            minutes_en=(
                "## Minutes\n\nThe chair welcomes the members.\n\n- Register figures discussed\n- Platform shown\n"
            ),
            minutes_published_at=_at(past_day + datetime.timedelta(days=14), 9),
            created_by=advp,
        )
        coming_day = today + datetime.timedelta(days=60)
        coming = Meeting.objects.create(
            title="Begeleidingscomité BIN / Comité d'accompagnement PLP",
            starts_at=_at(coming_day, 10),
            ends_at=_at(coming_day, 12) + datetime.timedelta(minutes=30),
            place="FOD Binnenlandse Zaken, Leuvenseweg 1, 1000 Brussel",
            created_by=advp,
        )
        agenda = [
            ("Welkom en goedkeuring van het verslag", "Accueil et approbation du PV", "Welcome and minutes", 10),
            ("Cijfers van het register", "Chiffres du registre", "Register figures", 30),
            ("BIN-opleiding in de academies", "Formation PLP dans les académies", "BIN course in the academies", 30),
            ("Varia", "Divers", "Any other business", 10),
        ]
        for meeting in (past, coming):
            for position, (nl, fr, en, minutes) in enumerate(agenda, start=1):
                AgendaItem.objects.create(
                    meeting=meeting,
                    position=position,
                    title_nl=nl,
                    title_fr=fr,
                    title_en=en,
                    minutes=minutes,
                    owner_term=terms.get(("knowledge-centre", 1)) if position == 3 else terms.get(("chair", 1)),
                )
        Decision.objects.create(meeting=past, text="Het begeleidingscomité keurt het digitale platform goed.")
        Decision.objects.create(meeting=past, text="Le modèle de charte locale est actualisé pour 2026.")
        actions = [
            (
                "Model van charter actualiseren",
                terms.get(("knowledge-centre", 2)),
                today - datetime.timedelta(days=10),
                ActionStatus.IN_PROGRESS,
            ),
            (
                "Cijfers per provincie bezorgen",
                terms.get(("provinces", 1)),
                today + datetime.timedelta(days=5),
                ActionStatus.OPEN,
            ),
            (
                "Opleidingskalender delen",
                terms.get(("knowledge-centre", 1)),
                today + datetime.timedelta(days=40),
                ActionStatus.OPEN,
            ),
            (
                "Uitnodiging BIN-Event versturen",
                terms.get(("chair", 1)),
                today - datetime.timedelta(days=60),
                ActionStatus.DONE,
            ),
        ]
        for title, owner, due_on, status in actions:
            ActionItem.objects.create(
                meeting=past,
                title=title,
                owner_term=owner,
                owner_text="" if owner else "ADVP",
                due_on=due_on,
                status=status,
                done_at=timezone.now() if status == ActionStatus.DONE else None,
            )
    seats = sum(category.seats for category in categories.values())
    return CommitteeSeed(
        created=True,
        terms=len(terms),
        vacant=seats - len(terms),
        meetings=2,
        actions=len(actions),
    )
