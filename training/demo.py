"""Demo data of the BIN course: the course with a realistic current version, two years of sessions at five police
academies and the coming months' sessions, so that the session catalogue, the zones' staff pages, the statistics and
the coverage show something real.

- The course "bin-course": learning objectives and six modules in Dutch, French, German and English, drawn from the
  domain brief (the ministerial circular of 10 December 2010 and its 2019 revision, the partners' roles, the charter
  and the communication plan, information exchange and privacy, feedback after alerts, follow-up and evaluation), and
  a three-question evaluation form (two scores, one comment). Certificates are valid five years.
- Trainees: about half of the mandated officers of the demo networks (by person), each with a professional e-mail
  address. The networks demo records mandated officers by name only; an officer without an address gets one here
  (as the register would hold), which is how coverage recognises them. Plus some other police staff. The demo officer
  of Antwerp (politie.antwerpen@demo.binplp.be) holds a certificate through their account; the one of Liège does not,
  so the training policy can be shown both ways.
- Closed sessions over the past two years with attendance, results, certificates and evaluations; a cancelled one;
  published sessions in the coming months with enrolments, one full with a waiting list.

Rows are written directly (demo data is seeded, not done by people: no audit rows, no e-mail). Seeding again adds
nothing: when the course already has sessions, everything is left as it is. Everything comes from a fixed seed.
"""

from __future__ import annotations

import datetime
import math
import random
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .choices import QuestionKind, SessionStatus, VersionStatus
from .models import (
    Certificate,
    Course,
    CourseVersion,
    Enrolment,
    EvaluationQuestion,
    EvaluationResponse,
    Module,
    Session,
    Trainee,
)

SEED = 2030
COURSE_CODE = "bin-course"
SHARE_TRAINED = 0.5  # of the mandated officers (persons) who take and pass the course
SEATS = 18
# Academies giving the course in the demo, with the language of their sessions.
ACADEMIES = (("vesta", "nl"), ("paulo", "nl"), ("pivo", "nl"), ("epl", "fr"), ("appn", "fr"))
ANTWERP_OFFICER = "politie.antwerpen@demo.binplp.be"

COURSE = {
    "title_nl": "BIN-opleiding voor gemandateerde politieambtenaren",
    "title_fr": "Formation PLP pour fonctionnaires de police mandatés",
    "title_de": "BIN-Ausbildung für beauftragte Polizeibeamte",
    "title_en": "BIN course for mandated police officers",
    "description_nl": "Wat een buurtinformatienetwerk is, wie er welke rol in speelt en hoe de politie het begeleidt.",
    "description_fr": "Ce qu'est un partenariat local de prévention, qui y joue quel rôle et comment la police "
    "l'accompagne.",
    "description_de": "Was ein Bürgerinformationsnetzwerk ist, wer darin welche Rolle hat und wie die Polizei es "
    "begleitet.",
    "description_en": "What a neighbourhood information network is, who plays which role in it and how the police "
    "guide it.",
}

OBJECTIVES = {
    "nl": "Het kader van de ministeriële omzendbrief van 2010 en de herwerking van 2019 toelichten\n"
    "De rol van leden, coördinator, stuurgroep, gemandateerde politieambtenaar en gemeente onderscheiden\n"
    "Een lokaal charter en een communicatieplan opstellen en toetsen\n"
    "Informatie uitwisselen met respect voor de privacy van melders en verdachten\n"
    "Dringende berichten versturen en de feedback opvolgen\n"
    "Een BIN opvolgen, evalueren en erover rapporteren",
    "fr": "Expliquer le cadre de la circulaire ministérielle de 2010 et de sa révision de 2019\n"
    "Distinguer le rôle des membres, du coordinateur, du comité de pilotage, du fonctionnaire de police mandaté et "
    "de la commune\n"
    "Rédiger et vérifier une charte locale et un plan de communication\n"
    "Échanger des informations dans le respect de la vie privée des informateurs et des suspects\n"
    "Envoyer des messages urgents et assurer le feed-back\n"
    "Suivre, évaluer et rapporter sur un PLP",
    "de": "Den Rahmen des Ministerialrundschreibens von 2010 und seiner Überarbeitung von 2019 erläutern\n"
    "Die Rollen von Mitgliedern, Koordinator, Lenkungsgruppe, beauftragtem Polizeibeamten und Gemeinde "
    "unterscheiden\n"
    "Eine lokale Charta und einen Kommunikationsplan erstellen und prüfen\n"
    "Informationen unter Achtung der Privatsphäre von Hinweisgebern und Verdächtigen austauschen\n"
    "Dringende Meldungen versenden und die Rückmeldung sicherstellen\n"
    "Ein Netzwerk begleiten, bewerten und darüber berichten",
    "en": "Explain the framework of the 2010 ministerial circular and its 2019 revision\n"
    "Tell apart the roles of members, coordinator, steering group, mandated officer and municipality\n"
    "Draft and check a local charter and a communication plan\n"
    "Exchange information while protecting the privacy of informants and suspects\n"
    "Send urgent alerts and follow them with feedback\n"
    "Follow up, evaluate and report on a network",
}

# (minutes, {language: (title, content)})
MODULES = (
    (
        90,
        {
            "nl": (
                "Het kader: de omzendbrief",
                "Van de eerste BIN in 1994 tot de ministeriële omzendbrief van 10 december 2010 en de herwerking van "
                "2019: definitie, pijlers en doelstellingen, BIN-Z en sector-BIN, en wat een BIN niet is.",
            ),
            "fr": (
                "Le cadre : la circulaire",
                "Du premier PLP en 1994 à la circulaire ministérielle du 10 décembre 2010 et à sa révision de 2019 : "
                "définition, piliers et objectifs, PLP-I et PLP sectoriels, et ce qu'un PLP n'est pas.",
            ),
            "de": (
                "Der Rahmen: das Rundschreiben",
                "Vom ersten Netzwerk 1994 bis zum Ministerialrundschreiben vom 10. Dezember 2010 und seiner "
                "Überarbeitung von 2019: Definition, Säulen und Ziele, und was ein Netzwerk nicht ist.",
            ),
            "en": (
                "The framework: the circular",
                "From the first BIN in 1994 to the ministerial circular of 10 December 2010 and its 2019 revision: "
                "definition, pillars and objectives, BIN-Z and sectoral networks, and what a BIN is not.",
            ),
        },
    ),
    (
        90,
        {
            "nl": (
                "De rol van de partners",
                "Leden, de coördinator (18+, gescreend door de politie, gekozen door de leden), de stuurgroep, de "
                "gemandateerde politieambtenaar aangeduid door de korpschef, de gemeente, ADVP en het Kenniscentrum.",
            ),
            "fr": (
                "Le rôle des partenaires",
                "Les membres, le coordinateur (18 ans, screené par la police, choisi par les membres), le comité de "
                "pilotage, le fonctionnaire de police mandaté désigné par le chef de corps, la commune, la DGVP et "
                "le Centre d'expertise.",
            ),
            "de": (
                "Die Rolle der Partner",
                "Mitglieder, der Koordinator (ab 18, von der Polizei überprüft, von den Mitgliedern gewählt), die "
                "Lenkungsgruppe, der vom Korpschef beauftragte Polizeibeamte, die Gemeinde und das Kompetenzzentrum.",
            ),
            "en": (
                "The roles of the partners",
                "Members, the coordinator (18 or older, screened by the police, chosen by the members), the steering "
                "group, the mandated officer designated by the chief of police, the municipality, ADVP and the "
                "Knowledge Centre.",
            ),
        },
    ),
    (
        120,
        {
            "nl": (
                "Het lokaal charter en het communicatieplan",
                "De vormvereisten van het charter, het huishoudelijk reglement en de sancties; het communicatieplan "
                "op twee niveaus, de berichttypes en de kanalen (BE-Alert met de BIN-module, e-mail, sms).",
            ),
            "fr": (
                "La charte locale et le plan de communication",
                "Les exigences formelles de la charte, le règlement d'ordre intérieur et les sanctions ; le plan de "
                "communication à deux niveaux, les types de messages et les canaux (BE-Alert, e-mail, SMS).",
            ),
            "de": (
                "Die lokale Charta und der Kommunikationsplan",
                "Die Formvorschriften der Charta, die Hausordnung und die Sanktionen; der Kommunikationsplan auf "
                "zwei Ebenen, die Meldungsarten und die Kanäle (BE-Alert, E-Mail, SMS).",
            ),
            "en": (
                "The local charter and the communication plan",
                "The formal requirements of the charter, the internal rules and sanctions; the communication plan on "
                "two levels, the message types and the channels (BE-Alert's BIN module, e-mail, SMS).",
            ),
        },
    ),
    (
        90,
        {
            "nl": (
                "Informatie-uitwisseling en privacy",
                "Melden in twee richtingen: dringend via 101 of 112, nooit eerst via de coördinator. De anonimiteit "
                "van de melder, ledengegevens enkel voor het BIN, geen herkenbare foto's van verdachten en geen "
                "leesbare nummerplaten.",
            ),
            "fr": (
                "Échange d'informations et vie privée",
                "Signaler dans les deux sens : l'urgent via le 101 ou le 112, jamais d'abord via le coordinateur. "
                "L'anonymat de l'informateur, les données des membres réservées au PLP, pas de photo reconnaissable "
                "de suspects ni de plaque lisible.",
            ),
            "de": (
                "Informationsaustausch und Datenschutz",
                "Meldungen in beide Richtungen: Dringendes über 101 oder 112, nie zuerst über den Koordinator. "
                "Anonymität des Hinweisgebers, Mitgliederdaten nur für das Netzwerk, keine erkennbaren Fotos von "
                "Verdächtigen und keine lesbaren Kennzeichen.",
            ),
            "en": (
                "Information exchange and privacy",
                "Reporting both ways: urgent matters through 101 or 112, never through the coordinator first. The "
                "informant's anonymity, members' data used only for the BIN, no recognisable photos of suspects and "
                "no readable number plates.",
            ),
        },
    ),
    (
        60,
        {
            "nl": (
                "Dringende berichten en feedback",
                "Wanneer een dringend bericht verantwoord is, wat de leden dan doen (alert blijven, buitenverlichting "
                "aan, 101 bellen, niet tussenkomen) en de feedback, meestal de volgende werkdag.",
            ),
            "fr": (
                "Messages urgents et feed-back",
                "Quand un message urgent se justifie, ce que font alors les membres (rester attentifs, allumer "
                "l'éclairage extérieur, appeler le 101, ne pas intervenir) et le feed-back, en général le jour "
                "ouvrable suivant.",
            ),
            "de": (
                "Dringende Meldungen und Rückmeldung",
                "Wann eine dringende Meldung gerechtfertigt ist, was die Mitglieder dann tun (aufmerksam bleiben, "
                "Außenbeleuchtung an, 101 anrufen, nicht eingreifen) und die Rückmeldung am nächsten Werktag.",
            ),
            "en": (
                "Urgent alerts and feedback",
                "When an urgent alert is justified, what members then do (stay alert, turn on outdoor lights, call "
                "101, do not intervene) and the feedback, usually the next working day.",
            ),
        },
    ),
    (
        60,
        {
            "nl": (
                "Opvolging en evaluatie",
                "Het logboek van de coördinator, het meten van het meldgedrag door de gemandateerde politieambtenaar, "
                "de regelmatige evaluatie met alle partners en de rapportering aan de overheden.",
            ),
            "fr": (
                "Suivi et évaluation",
                "Le journal du coordinateur, la mesure du comportement de signalement par le fonctionnaire mandaté, "
                "l'évaluation régulière avec tous les partenaires et le rapport aux autorités.",
            ),
            "de": (
                "Begleitung und Bewertung",
                "Das Protokoll des Koordinators, die Messung des Meldeverhaltens durch den beauftragten "
                "Polizeibeamten, die regelmäßige Bewertung mit allen Partnern und die Berichterstattung an die "
                "Behörden.",
            ),
            "en": (
                "Follow-up and evaluation",
                "The coordinator's log, the mandated officer's measurement of reporting behaviour, regular evaluation "
                "with every partner and reporting to the authorities.",
            ),
        },
    ),
)

QUESTIONS = (
    (
        QuestionKind.SCALE,
        True,
        {
            "nl": "Hoe nuttig was de opleiding voor uw werk met de BIN's van uw zone?",
            "fr": "Dans quelle mesure la formation est-elle utile pour votre travail avec les PLP de votre zone ?",
            "de": "Wie nützlich war die Ausbildung für Ihre Arbeit mit den Netzwerken Ihrer Zone?",
            "en": "How useful was the course for your work with your zone's networks?",
        },
    ),
    (
        QuestionKind.SCALE,
        True,
        {
            "nl": "Hoe beoordeelt u de lesgever en het lesmateriaal?",
            "fr": "Comment évaluez-vous le formateur et le matériel de cours ?",
            "de": "Wie bewerten Sie den Ausbilder und das Kursmaterial?",
            "en": "How do you rate the trainer and the course material?",
        },
    ),
    (
        QuestionKind.TEXT,
        False,
        {
            "nl": "Wat wilt u ons nog meegeven?",
            "fr": "Avez-vous d'autres remarques ?",
            "de": "Möchten Sie uns noch etwas mitteilen?",
            "en": "Anything else you would like to tell us?",
        },
    ),
)

COMMENTS = {
    "nl": [
        "Heel praktisch, vooral de oefening op het communicatieplan.",
        "Graag meer tijd voor de privacyregels bij foto's.",
        "Goede uitwisseling met collega's uit andere zones.",
    ],
    "fr": [
        "Très concret, surtout l'exercice sur la charte.",
        "J'aurais aimé plus d'exemples de feed-back aux membres.",
        "Bon échange avec les collègues d'autres zones.",
    ],
}
STAFF_FUNCTIONS = ("inspecteur", "hoofdinspecteur", "wijkinspecteur", "inspecteur principal", "agent de quartier")
FIRST = ("An", "Bram", "Els", "Koen", "Lies", "Tom", "Julie", "Marc", "Sophie", "Luc", "Nathalie", "Pierre")
LAST = ("Peeters", "Janssens", "Maes", "Jacobs", "Dubois", "Lambert", "Dupont", "Martin", "Claes", "Wouters")
PLACES = {
    "vesta": "Campus Vesta, Boomsesteenweg, Ranst",
    "paulo": "PAULO, Campus Gent",
    "pivo": "PIVO, Asse",
    "epl": "École de Police de la Province de Liège, Seraing",
    "appn": "Académie de Police de Namur, Jambes",
}


@dataclass
class TrainingDemoSummary:
    created: bool = False
    sessions: int = 0
    closed: int = 0
    upcoming: int = 0
    trainees: int = 0
    certificates: int = 0
    evaluations: int = 0
    officers: int = 0  # mandated officers (persons) of the demo networks
    officers_trained: int = 0
    seconds: float = 0.0


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in folded.lower() if ch.isalnum() or ch == "-") or "x"


def _course() -> CourseVersion:
    course, _created = Course.objects.get_or_create(code=COURSE_CODE, defaults=COURSE)
    version = course.versions.filter(status=VersionStatus.CURRENT).first()
    if version is not None:
        return version
    number = (course.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = CourseVersion.objects.create(
        course=course,
        number=number,
        status=VersionStatus.CURRENT,
        certificate_valid_years=5,
        published_at=timezone.now() - datetime.timedelta(days=800),
        **{f"objectives_{code}": text for code, text in OBJECTIVES.items()},
    )
    for position, (minutes, texts) in enumerate(MODULES, start=1):
        Module.objects.create(
            version=version,
            position=position,
            minutes=minutes,
            **{f"title_{code}": title for code, (title, _summary) in texts.items()},
            **{f"summary_{code}": summary for code, (_title, summary) in texts.items()},
        )
    for position, (kind, required, texts) in enumerate(QUESTIONS, start=1):
        EvaluationQuestion.objects.create(
            version=version,
            position=position,
            kind=kind,
            required=required,
            **{f"text_{code}": text for code, text in texts.items()},
        )
    return version


def _officers(rng: random.Random) -> tuple[list[dict], int]:
    """The active mandated officers of the demo networks, one entry per person (user, else e-mail, else name), each
    with an e-mail address (written onto the partners that had none), zone and language. Returns (people, persons)."""
    from networks.choices import NetworkStatus, PartnerRole
    from networks.models import Partner

    today = timezone.localdate()
    partners = (
        Partner.objects.filter(role=PartnerRole.MANDATED_OFFICER)
        .exclude(network__status__in=[NetworkStatus.DISSOLVED, NetworkStatus.MERGED])
        .filter(active_to__isnull=True)
        .select_related("network__zone", "user")
        .order_by("pk")
    )
    people: dict[str, dict] = {}
    missing = []
    used = set(Partner.objects.exclude(email="").values_list("email", flat=True))
    for partner in partners:
        if partner.active_to is not None and partner.active_to <= today:
            continue
        if partner.user_id:
            key = f"u:{partner.user_id}"
            email = partner.user.email
        elif partner.email:
            key = f"e:{partner.email.lower()}"
            email = partner.email
        else:
            key = f"n:{partner.first_name.lower()} {partner.last_name.lower()}"
            email = ""
        person = people.get(key)
        if person is None:
            zone = partner.network.zone
            person = people[key] = {
                "first_name": partner.first_name or (partner.user.first_name if partner.user_id else "") or "Agent",
                "last_name": partner.last_name or (partner.user.last_name if partner.user_id else "") or "Politie",
                "email": email,
                "user": partner.user if partner.user_id else None,
                "zone": zone,
                "language": (zone.language or "nl")[:2],
                "partners": [],
            }
        person["partners"].append(partner)
    for person in people.values():
        if not person["email"]:
            base = f"{_ascii(person['first_name'])}.{_ascii(person['last_name'])}"
            email = f"{base}@police{person['zone'].code or ''}.demo.binplp.be"
            n = 1
            while email in used:
                n += 1
                email = f"{base}{n}@police{person['zone'].code or ''}.demo.binplp.be"
            used.add(email)
            person["email"] = email
            for partner in person["partners"]:
                partner.email = email
                missing.append(partner)
    Partner.objects.bulk_update(missing, ["email"], batch_size=1000)
    ordered = sorted(people.values(), key=lambda p: p["email"])
    rng.shuffle(ordered)
    return ordered, len(ordered)


def _aware(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone())


def seed_training(*, today: datetime.date | None = None) -> TrainingDemoSummary:
    """Seed the BIN course demo (see the module docstring); nothing when the course already has sessions."""
    from accounts.models import User
    from geography.models import Academy

    started = time.perf_counter()
    today = today or timezone.localdate()
    summary = TrainingDemoSummary()
    rng = random.Random(SEED)  # nosec B311  # seeded demo data, not security
    if Session.objects.filter(version__course__code=COURSE_CODE).exists():
        summary.seconds = time.perf_counter() - started
        return summary
    academies = {a.code: a for a in Academy.objects.filter(code__in=[code for code, _lang in ACADEMIES])}
    plan = [(academies[code], language) for code, language in ACADEMIES if code in academies]
    if not plan:
        return summary
    trainer = User.objects.filter(email__iexact="trainer.vesta@demo.binplp.be").first()
    with transaction.atomic():
        version = _course()
        people, summary.officers = _officers(rng)
        to_train = people[: round(len(people) * SHARE_TRAINED)]
        others = people[len(to_train) :]
        antwerp = User.objects.filter(email__iexact=ANTWERP_OFFICER).first()
        trainees = _trainees(rng, to_train, others, antwerp)
        summary.trainees = len(trainees["all"])
        _past_sessions(rng, summary, version, plan, trainees, today, trainer)
        _coming_sessions(rng, summary, version, plan, trainees, today, trainer)
    summary.created = True
    summary.officers_trained = len(to_train)
    summary.seconds = time.perf_counter() - started
    return summary


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _trainees(rng, to_train, others, antwerp) -> dict:
    """Trainees: the officers who pass (by language: nl, or fr/de), some who fail or miss the session, other staff
    enrolled in the coming sessions, and the Antwerp demo officer."""
    from geography.models import PoliceZone

    def trainee(person, *, email=None) -> Trainee:
        return Trainee(
            zone=person["zone"],
            user=person["user"],
            first_name=person["first_name"][:80],
            last_name=person["last_name"][:80],
            email=email or person["email"],
            function=rng.choice(STAFF_FUNCTIONS),
            language=person["language"] if person["language"] in ("nl", "fr", "de") else "nl",
        )

    passing = [trainee(person) for person in to_train]
    later = [trainee(person) for person in others[: max(2, len(others) // 3)]]
    if antwerp is not None and not any(t.user_id == antwerp.pk for t in passing + later):
        zone = PoliceZone.objects.current().filter(code=5345).first()
        if zone is not None:
            passing.insert(
                0,
                trainee(
                    {
                        "zone": zone,
                        "user": antwerp,
                        "first_name": antwerp.first_name,
                        "last_name": antwerp.last_name,
                        "email": antwerp.email,
                        "language": "nl",
                    }
                ),
            )
    zones = list({t.zone_id: t.zone for t in passing + later}.values())
    staff = []
    for n in range(max(6, len(passing) // 4)):
        zone = zones[n % len(zones)] if zones else None
        if zone is None:
            break
        first, last = rng.choice(FIRST), rng.choice(LAST)
        language = (zone.language or "nl")[:2]
        staff.append(
            Trainee(
                zone=zone,
                first_name=first,
                last_name=last,
                email=f"{_ascii(first)}.{_ascii(last)}.{n}@police{zone.code or ''}.demo.binplp.be",
                function=rng.choice(STAFF_FUNCTIONS),
                language=language if language in ("nl", "fr", "de") else "nl",
            )
        )
    seen: set[str] = set()
    unique = []
    for t in passing + later + staff:
        if t.email.lower() in seen:
            continue
        seen.add(t.email.lower())
        unique.append(t)
    Trainee.objects.bulk_create(unique, batch_size=1000)
    created = {t.email.lower(): t for t in Trainee.objects.filter(email__in=[t.email for t in unique])}

    def back(rows):
        return [created[t.email.lower()] for t in rows if t.email.lower() in created]

    passing, later, staff = back(passing), back(later), back(staff)
    # Some of the staff missed the session or failed: they have no certificate yet.
    return {"passing": passing, "later": later, "staff": staff, "all": passing + later + staff}


def _session(version, academy, language, start: datetime.datetime, *, status, capacity, trainer, **fields):
    return Session(
        version=version,
        academy=academy,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7, minutes=30),
        place=PLACES.get(academy.code, academy.city),
        language=language,
        capacity=capacity,
        trainer=trainer if academy.code == "vesta" else None,
        status=status,
        published_at=start - datetime.timedelta(days=60),
        **fields,
    )


def _by_language(trainees) -> dict[str, list[Trainee]]:
    groups: dict[str, list[Trainee]] = defaultdict(list)
    for trainee in trainees:
        groups["nl" if trainee.language == "nl" else "fr"].append(trainee)
    return groups


def _past_sessions(rng, summary, version, plan, trainees, today, trainer) -> None:
    """Closed sessions over the past two years, filled by language with the officers who pass plus a few staff who
    miss it or fail; a cancelled one."""
    from .services.certificates import certificate_code_new

    passing = _by_language(trainees["passing"])
    failing = _by_language(trainees["staff"][: len(trainees["staff"]) // 2])
    questions = list(version.questions.order_by("position"))
    enrolments, certificates, evaluations = [], [], []
    for language in ("nl", "fr"):
        academies = [academy for academy, lang in plan if lang == language]
        if not academies:
            continue
        people = passing[language] + failing[language]
        count = max(3, math.ceil(len(people) / (SEATS - 2)))
        groups = [people[i::count] for i in range(count)]
        for index, group in enumerate(groups):
            academy = academies[index % len(academies)]
            day = today - datetime.timedelta(days=30 + round(index * 690 / max(count - 1, 1)))
            while day.weekday() >= 5:
                day -= datetime.timedelta(days=1)
            start = _aware(day, 9)
            session = _session(
                version,
                academy,
                language,
                start,
                status=SessionStatus.CLOSED,
                capacity=SEATS,
                trainer=trainer,
                closed_at=start + datetime.timedelta(days=1),
            )
            session.save()
            summary.sessions += 1
            summary.closed += 1
            for trainee in group:
                passes = trainee in passing[language]
                attended = passes or rng.random() < 0.5
                enrolment = Enrolment(
                    session=session,
                    trainee=trainee,
                    status="enrolled",
                    source="zone",
                    enrolled_at=start - datetime.timedelta(days=rng.randint(10, 50)),
                    attendance="attended" if attended else "absent",
                    result=("passed" if passes else "failed") if attended else "",
                )
                enrolments.append(enrolment)
    Enrolment.objects.bulk_create(enrolments, batch_size=1000)
    sessions = {s.pk: s for s in Session.objects.filter(pk__in={e.session_id for e in enrolments})}
    for enrolment in Enrolment.objects.filter(session__in=sessions.values()).select_related("trainee"):
        session = sessions[enrolment.session_id]
        issued = timezone.localdate(session.ends_at)
        if enrolment.result == "passed":
            certificates.append(
                Certificate(
                    enrolment=enrolment,
                    code=certificate_code_new(),
                    holder_name=enrolment.trainee.full_name,
                    course_title=version.course.title_nl if session.language == "nl" else version.course.title_fr,
                    issued_on=issued,
                    valid_until=_years_later(issued, version.certificate_valid_years or 5),
                    emailed_at=session.ends_at + datetime.timedelta(hours=1),
                )
            )
        if enrolment.attendance == "attended" and rng.random() < 0.7:
            answers = {str(q.pk): rng.choice((3, 4, 4, 4, 5, 5)) for q in questions if q.kind == QuestionKind.SCALE}
            text = [q for q in questions if q.kind == QuestionKind.TEXT]
            if text and rng.random() < 0.3:
                answers[str(text[0].pk)] = rng.choice(COMMENTS["nl" if session.language == "nl" else "fr"])
            evaluations.append(EvaluationResponse(enrolment=enrolment, answers=answers))
    Certificate.objects.bulk_create(certificates, batch_size=1000)
    EvaluationResponse.objects.bulk_create(evaluations, batch_size=1000)
    summary.certificates = len(certificates)
    summary.evaluations = len(evaluations)
    academy, language = plan[0]
    cancelled = _session(
        version,
        academy,
        language,
        _aware(today - datetime.timedelta(days=200), 9),
        status=SessionStatus.CANCELLED,
        capacity=SEATS,
        trainer=trainer,
        cancelled_at=timezone.now() - datetime.timedelta(days=215),
        cancel_reason="Lesgever ziek",
    )
    cancelled.save()
    summary.sessions += 1


def _coming_sessions(rng, summary, version, plan, trainees, today, trainer) -> None:
    """Published sessions in the coming four months at each academy; the first one full with a waiting list."""
    waiting_pool = list(trainees["later"]) + list(trainees["staff"][len(trainees["staff"]) // 2 :])
    by_language = _by_language(waiting_pool)
    now = timezone.now()
    rows = []
    for index, (academy, language) in enumerate(plan):
        for n in range(2):
            day = today + datetime.timedelta(days=21 + 35 * n + 7 * index)
            while day.weekday() >= 5:
                day += datetime.timedelta(days=1)
            capacity = 6 if index == 0 and n == 0 else SEATS
            session = _session(
                version,
                academy,
                language,
                _aware(day, 9),
                status=SessionStatus.PUBLISHED,
                capacity=capacity,
                trainer=trainer,
            )
            session.published_at = now - datetime.timedelta(days=rng.randint(5, 30))
            session.save()
            summary.sessions += 1
            summary.upcoming += 1
            pool = by_language["nl" if language == "nl" else "fr"]
            take = capacity + 3 if capacity < SEATS else rng.randint(3, 8)
            chosen, by_language["nl" if language == "nl" else "fr"] = pool[:take], pool[take:]
            for position, trainee in enumerate(chosen):
                seat = position < capacity
                rows.append(
                    Enrolment(
                        session=session,
                        trainee=trainee,
                        status="enrolled" if seat else "waiting",
                        source="zone",
                        enrolled_at=now - datetime.timedelta(days=10 - min(position, 9)) if seat else None,
                        waiting_since=None if seat else now - datetime.timedelta(hours=48 - position),
                    )
                )
    Enrolment.objects.bulk_create(rows, batch_size=1000)
