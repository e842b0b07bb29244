"""Demo messages: a year of message history in the demo networks that have members, so that the logs, the feedback
tasks, the statistics, the member inbox and the reports inbox show something real.

Which zones: the zones of the demo mandated officers and of the demo municipal officials (accounts.demo: 5345
Antwerpen, 5277 Liège, …) get a full year; a sample of OTHER_ZONES other zones with members gets a lighter one, so that
the national statistics have figures from across the country while the seed stays within seconds (writing a year for
all 150,000 demo members would take millions of deliveries).

What a full year holds per zone: urgent alerts of the police to one to three networks (burglaries, suspicious
behaviour, fake technicians at the door, thefts from cars…), most followed by feedback the same day or the next, some
late; in 5345 the last few alerts still owe feedback — one due soon, three overdue — so the demo officer has tasks (and
their past reminders are recorded); prevention tips to the whole zone three times a year; two newsletters per
network from its coordinator; then the members' ratings (useful or not), replies and a few reports to the police,
new, acknowledged or answered.

Deliveries are planned by the real fan-out (`messaging.services.fanout.plan`, members' channels, quiet hours and
pauses included) and written with `deliveries_insert`, then marked as the outbox would have left them: e-mails sent,
SMS delivered, web inbox delivered (and mostly read after a while); a few members always fail (an address that no
longer exists, a dead mobile number) and some deliveries fail now and then, with the reasons the gateways give; failed
SMS fall back to e-mail. Nothing is handed to a mail server or an SMS gateway, and no audit rows are written (demo data
is seeded, not done by people).

Seeding twice adds nothing: a zone that already holds messages is skipped. Everything comes from a fixed seed.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, F
from django.db.models.functions import Mod
from django.utils import timezone

from accounts.demo import DEMO_NETWORK_CODE, DEMO_PERSONAS
from accounts.models import User
from core.roles import Role
from geography.models import PoliceZone
from members.choices import MembershipStatus
from members.models import Membership
from networks.models import AreaStreet, Network

from .choices import (
    Channel,
    DeliveryStatus,
    MessageStatus,
    MessageType,
    ReportCategory,
    ReportStatus,
    Sender,
    TargetKind,
)
from .models import Delivery, Message, Rating, Reply, Report
from .services import fanout

SEED = 2027
OTHER_ZONES = 20
TASK_ZONE = 5345  # the demo officer's zone: its latest alerts still owe feedback
FLUSH_ROWS = 50_000  # deliveries written per statement batch
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)

# --- texts ---------------------------------------------------------------------------------------------------------

ALERTS = {
    "nl": [
        (
            "Verdachte personen in de {street}",
            "Rond {time} werden twee personen gezien die aan voordeuren en autoportieren voelden in de {street}. Een "
            "patrouille is onderweg. Kom niet zelf tussen en bel 101 met nieuwe informatie.",
            "BIN: verdachte personen {street}. Niet zelf tussenkomen, bel 101.",
        ),
        (
            "Inbraak in de {street}",
            "Vannacht werd ingebroken in een woning in de {street}. Hebt u iets gezien of gehoord, of hebt u "
            "camerabeelden? Meld het via 101.",
            "BIN: inbraak {street}. Iets gezien? Bel 101.",
        ),
        (
            "Valse technici aan de deur in de {street}",
            "Twee mannen bellen aan in de {street} en zeggen dat ze de watermeter komen nakijken. Laat niemand "
            "binnen zonder afspraak en bel 101.",
            "BIN: valse technici {street}. Niemand binnenlaten, bel 101.",
        ),
        (
            "Diefstal uit wagens in de {street}",
            "Vannacht werden in de {street} autoruiten ingeslagen. Laat niets zichtbaar achter in uw wagen en meld "
            "schade via 101.",
            "BIN: diefstal uit wagens {street}. Niets zichtbaar laten liggen.",
        ),
        (
            "Verdacht voertuig rond de {street}",
            "Een bestelwagen rijdt al een uur traag rond de {street}. Noteer wat u ziet, deel geen nummerplaten in "
            "de groep en bel 101.",
            "BIN: verdacht voertuig {street}. Bel 101, deel geen nummerplaten.",
        ),
    ],
    "fr": [
        (
            "Personnes suspectes rue {street}",
            "Vers {time}, deux personnes ont été vues en train d'essayer les portes et les portières {street}. Une "
            "patrouille est en route. N'intervenez pas vous-même et appelez le 101 avec toute nouvelle information.",
            "PLP : personnes suspectes {street}. N'intervenez pas, appelez le 101.",
        ),
        (
            "Cambriolage {street}",
            "Cette nuit, une habitation a été cambriolée {street}. Avez-vous vu ou entendu quelque chose, ou avez-vous "
            "des images de caméra ? Signalez-le au 101.",
            "PLP : cambriolage {street}. Vu quelque chose ? Appelez le 101.",
        ),
        (
            "Faux techniciens au porte-à-porte {street}",
            "Deux hommes sonnent aux portes {street} en prétendant contrôler le compteur d'eau. Ne laissez entrer "
            "personne sans rendez-vous et appelez le 101.",
            "PLP : faux techniciens {street}. N'ouvrez pas, appelez le 101.",
        ),
        (
            "Vols dans des voitures {street}",
            "Cette nuit, des vitres de voitures ont été brisées {street}. Ne laissez rien de visible dans votre "
            "véhicule et signalez les dégâts au 101.",
            "PLP : vols dans des voitures {street}. Ne laissez rien de visible.",
        ),
    ],
    "de": [
        (
            "Verdächtige Personen in der {street}",
            "Gegen {time} wurden in der {street} zwei Personen gesehen, die an Haustüren und Autotüren probierten. "
            "Eine Streife ist unterwegs. Greifen Sie nicht selbst ein und rufen Sie mit neuen Hinweisen 101 an.",
            "PLP: verdächtige Personen {street}. Nicht eingreifen, 101 anrufen.",
        ),
        (
            "Einbruch in der {street}",
            "Heute Nacht wurde in der {street} in ein Haus eingebrochen. Haben Sie etwas gesehen oder gehört oder "
            "haben Sie Kamerabilder? Melden Sie es über 101.",
            "PLP: Einbruch {street}. Etwas gesehen? 101 anrufen.",
        ),
        (
            "Falsche Techniker an der Tür in der {street}",
            "Zwei Männer klingeln in der {street} und geben vor, den Wasserzähler zu prüfen. Lassen Sie niemanden "
            "ohne Termin herein und rufen Sie 101 an.",
            "PLP: falsche Techniker {street}. Niemanden hereinlassen, 101.",
        ),
    ],
}
FEEDBACK = {
    "nl": [
        (
            "Terugkoppeling: {alert}",
            "Dank voor uw waakzaamheid. Na uw meldingen heeft een patrouille de buurt gecontroleerd en werden twee "
            "personen geïdentificeerd. Het onderzoek loopt verder. Blijf verdachte situaties melden via 101.",
            "BIN: dank voor uw meldingen, 2 personen geïdentificeerd.",
        ),
        (
            "Terugkoppeling: {alert}",
            "De politie heeft de omgeving uitgekamd maar niemand meer aangetroffen. Er rijden deze week extra "
            "patrouilles. Dank aan wie belde: dankzij u waren we snel ter plaatse.",
            "BIN: niemand aangetroffen, extra patrouilles deze week.",
        ),
        (
            "Terugkoppeling: {alert}",
            "Dankzij de camerabeelden van een buurtbewoner kon een verdachte worden opgepakt. Dank voor de snelle "
            "en correcte meldingen via 101.",
            "BIN: verdachte opgepakt dankzij uw beelden. Dank!",
        ),
    ],
    "fr": [
        (
            "Retour d'information : {alert}",
            "Merci pour votre vigilance. Après vos appels, une patrouille a contrôlé le quartier et deux personnes ont "
            "été identifiées. L'enquête se poursuit. Continuez à signaler les situations suspectes au 101.",
            "PLP : merci, 2 personnes identifiées.",
        ),
        (
            "Retour d'information : {alert}",
            "La police a fouillé les environs sans trouver personne. Des patrouilles supplémentaires passeront cette "
            "semaine. Merci à ceux qui ont appelé : grâce à vous nous étions vite sur place.",
            "PLP : personne trouvé, patrouilles renforcées cette semaine.",
        ),
    ],
    "de": [
        (
            "Rückmeldung: {alert}",
            "Danke für Ihre Aufmerksamkeit. Nach Ihren Anrufen hat eine Streife das Viertel kontrolliert; zwei "
            "Personen wurden identifiziert. Die Ermittlungen laufen weiter. Melden Sie Verdächtiges weiterhin "
            "über 101.",
            "PLP: danke, 2 Personen identifiziert.",
        ),
        (
            "Rückmeldung: {alert}",
            "Die Polizei hat die Umgebung abgesucht, aber niemanden mehr angetroffen. Diese Woche fahren zusätzliche "
            "Streifen. Danke an alle, die angerufen haben.",
            "PLP: niemand angetroffen, zusätzliche Streifen.",
        ),
    ],
}
TIPS = {
    "nl": [
        (
            "Sluit ramen en deuren, ook als u even weg bent",
            "De meeste inbrekers komen binnen langs een open raam of een deur die niet op slot is. Sluit alles af, "
            "ook voor een korte boodschap, en leg geen sleutel onder de mat.",
            "BIN-tip: sluit ramen en deuren, ook voor even.",
        ),
        (
            "Donkere avonden: laat uw woning bewoond lijken",
            "Gebruik tijdschakelaars voor verlichting en radio, en vraag een buur om de brievenbus leeg te maken "
            "als u weg bent. De politie biedt ook gratis woningtoezicht aan.",
            "BIN-tip: tijdschakelaars en woningtoezicht tegen inbraak.",
        ),
        (
            "Laat niets zichtbaar achter in uw wagen",
            "Een tas of een gsm op de zetel is genoeg om een ruit in te slaan. Neem alles mee of leg het uit het "
            "zicht voor u vertrekt.",
            "BIN-tip: niets zichtbaar laten liggen in de wagen.",
        ),
        (
            "Vakantie? Vraag woningtoezicht aan",
            "Vraag via het politiekantoor of online woningtoezicht aan: een patrouille komt tijdens uw afwezigheid "
            "langs. Vertel het ook aan uw buren.",
            "BIN-tip: vraag woningtoezicht aan voor uw vakantie.",
        ),
    ],
    "fr": [
        (
            "Fermez portes et fenêtres, même pour une courte absence",
            "La plupart des cambrioleurs entrent par une fenêtre ouverte ou une porte non verrouillée. Fermez tout, "
            "même pour une course rapide, et ne cachez pas de clé sous le paillasson.",
            "Conseil PLP : fermez tout, même pour un instant.",
        ),
        (
            "Soirées sombres : faites paraître votre maison habitée",
            "Utilisez des minuteries pour l'éclairage et la radio, et demandez à un voisin de vider la boîte aux "
            "lettres. La police propose aussi une surveillance gratuite des habitations.",
            "Conseil PLP : minuteries et surveillance des habitations.",
        ),
        (
            "Ne laissez rien de visible dans votre voiture",
            "Un sac ou un téléphone sur le siège suffit pour qu'une vitre soit brisée. Emportez tout ou rangez-le "
            "hors de vue avant de partir.",
            "Conseil PLP : rien de visible dans la voiture.",
        ),
    ],
    "de": [
        (
            "Fenster und Türen schließen, auch wenn Sie nur kurz weg sind",
            "Die meisten Einbrecher kommen durch ein offenes Fenster oder eine unverschlossene Tür. Schließen Sie "
            "alles ab, auch für einen kurzen Einkauf.",
            "PLP-Tipp: alles abschließen, auch für kurz.",
        ),
        (
            "Nichts sichtbar im Auto liegen lassen",
            "Eine Tasche oder ein Handy auf dem Sitz reicht, damit eine Scheibe eingeschlagen wird. Nehmen Sie alles "
            "mit oder legen Sie es außer Sicht.",
            "PLP-Tipp: nichts sichtbar im Auto lassen.",
        ),
    ],
}
NEWSLETTERS = {
    "nl": (
        "Nieuwsbrief {network} – {season}",
        "Beste leden,\n\nDit kwartaal kregen we {alerts} dringende meldingen van de politie. Dank aan iedereen die "
        "verdachte situaties via 101 meldde. Onze jaarlijkse buurtvergadering vindt plaats in het buurthuis; nieuwe "
        "buren zijn welkom.\n\nDe coördinator",
        "",
    ),
    "fr": (
        "Lettre d'information {network} – {season}",
        "Chers membres,\n\nCe trimestre, la police nous a envoyé {alerts} alertes urgentes. Merci à toutes celles et "
        "ceux qui ont signalé des situations suspectes au 101. Notre réunion annuelle de quartier aura lieu à la "
        "maison de quartier ; les nouveaux voisins sont les bienvenus.\n\nLe coordinateur",
        "",
    ),
    "de": (
        "Rundbrief {network} – {season}",
        "Liebe Mitglieder,\n\nIn diesem Quartal erhielten wir {alerts} dringende Meldungen der Polizei. Danke an alle, "
        "die Verdächtiges über 101 gemeldet haben. Unser jährliches Nachbarschaftstreffen findet im Begegnungszentrum "
        "statt; neue Nachbarn sind willkommen.\n\nDie Koordination",
        "",
    ),
}
SEASONS = {
    "nl": ("winter", "lente", "zomer", "herfst"),
    "fr": ("hiver", "printemps", "été", "automne"),
    "de": ("Winter", "Frühling", "Sommer", "Herbst"),
}
REPLIES = {
    "nl": [
        "Ik heb rond tien uur ook twee mannen gezien bij de garageboxen.",
        "Bedankt voor de snelle info!",
        "Is er al meer geweten over wat er gebeurd is?",
        "Mijn deurbelcamera heeft iets opgenomen, ik heb 101 gebeld.",
        "Goed dat jullie zo snel laten weten hoe het afliep.",
    ],
    "fr": [
        "J'ai aussi vu deux hommes près des garages vers 22 h.",
        "Merci pour l'information rapide !",
        "Sait-on déjà ce qui s'est passé ?",
        "Ma caméra de sonnette a enregistré quelque chose, j'ai appelé le 101.",
    ],
    "de": [
        "Ich habe gegen 22 Uhr auch zwei Männer bei den Garagen gesehen.",
        "Danke für die schnelle Information!",
        "Weiß man schon mehr?",
    ],
    "en": ["Thanks for letting us know so quickly!", "I saw two men near the garages around 10 pm as well."],
}
SUSPICIOUS, DAMAGE, NUISANCE, TRAFFIC = (
    ReportCategory.SUSPICIOUS_BEHAVIOUR,
    ReportCategory.DAMAGE,
    ReportCategory.NUISANCE,
    ReportCategory.TRAFFIC,
)
REPORTS = {  # (category, description of the behaviour, vehicle type)
    "nl": [
        (SUSPICIOUS, "Iemand liep 's avonds van auto naar auto en keek door de ruiten.", ""),
        (DAMAGE, "De verlichting van het fietspad is al een week stuk; er wordt 's nachts gespoten.", ""),
        (NUISANCE, "Elke vrijdagavond luide muziek en rondhangende jongeren bij het speelplein.", ""),
        (TRAFFIC, "Bestelwagens rijden te snel door de schoolstraat tijdens de schooluren.", "bestelwagen"),
    ],
    "fr": [
        (SUSPICIOUS, "Une personne passait de voiture en voiture le soir en regardant à l'intérieur.", ""),
        (NUISANCE, "Musique forte et rassemblements le vendredi soir près de la plaine de jeux.", ""),
        (TRAFFIC, "Des camionnettes roulent trop vite dans la rue scolaire aux heures d'école.", "camionnette"),
    ],
    "de": [
        (SUSPICIOUS, "Jemand ging abends von Auto zu Auto und schaute durch die Scheiben.", ""),
        (DAMAGE, "Die Beleuchtung des Radwegs ist seit einer Woche defekt.", ""),
    ],
}
ANSWERS = {
    "nl": "Dank voor uw melding. De wijkagent is langs geweest en we houden de plek de komende weken in het oog.",
    "fr": "Merci pour votre signalement. L'agent de quartier est passé et nous surveillerons l'endroit.",
    "de": "Danke für Ihre Meldung. Der Bezirksbeamte war vor Ort; wir behalten die Stelle im Auge.",
}
EMAIL_DEAD = ("recipient refused (550)", "recipient refused (551)", "SMTP 552")
EMAIL_NOW_AND_THEN = ("gave up after 6 attempts: recipient refused for now (451)", "SMTP 554")
SMS_DEAD = ("not delivered to the phone", "refused by the SMSC")
SMS_NOW_AND_THEN = ("not delivered to the phone", "gave up after 6 attempts: SMS gateway 503: queue full")
# Plain strings for the raw rows (the choices are str subclasses, which not every database driver adapts).
WEB, EMAIL, SMS = Channel.WEB.value, Channel.EMAIL.value, Channel.SMS.value
SENT, DELIVERED, FAILED = DeliveryStatus.SENT.value, DeliveryStatus.DELIVERED.value, DeliveryStatus.FAILED.value
NOW_AND_THEN = {EMAIL: EMAIL_NOW_AND_THEN, SMS: SMS_NOW_AND_THEN}
NOW_AND_THEN_RATE = {EMAIL: 0.004, SMS: 0.01}  # besides the members whose address or number is dead


@dataclass
class DemoMessagesSummary:
    zones: int = 0  # zones seeded in this run
    skipped: int = 0  # zones that already held messages
    messages: Counter = field(default_factory=Counter)
    deliveries: int = 0
    failed: int = 0
    ratings: int = 0
    replies: int = 0
    reports: int = 0
    owing_feedback: int = 0
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.messages.values())


def _languages(regime: str) -> list[str]:
    if regime == "nl+fr":
        return ["nl", "fr"]
    return [regime] if regime in ALERTS else ["nl"]


def _moment(rng: random.Random, day: datetime.datetime, hours: tuple[int, int]) -> datetime.datetime:
    local = timezone.localtime(day)
    return local.replace(hour=rng.randint(*hours), minute=rng.randint(0, 59), second=rng.randint(0, 59), microsecond=0)


@dataclass
class _Planned:
    message: Message
    network_ids: list[int]
    rate: float  # share of recipients who rate it
    useful: float  # share of those ratings saying "useful"
    replies: int = 0
    read: int = 7  # out of 10 inbox readers (by member id) who opened it


class _Zone:
    """The year of one zone."""

    def __init__(self, zone: PoliceZone, networks: list[dict], members_by_network, *, full, now, rng, authors, summary):
        self.zone = zone
        self.members_by_network = members_by_network
        self.demo_network_id = next((n["id"] for n in networks if n["code"] == DEMO_NETWORK_CODE), None)
        self.networks = networks
        self.full = full
        self.now = now
        self.rng = rng
        self.summary = summary
        self.languages = _languages(zone.language)
        self.officer = authors.get(("zone", zone.pk))
        self.authors = authors
        self.start = now - 365 * DAY
        streets = defaultdict(list)
        for network_id, street in AreaStreet.objects.filter(network_id__in=[n["id"] for n in networks]).values_list(
            "network_id", "street"
        ):
            streets[network_id].append(street)
        self.streets = streets
        self.planned: list[_Planned] = []
        self.rows: list[tuple] = []
        self.channel_members: dict[int, dict[str, list[int]]] = {}
        self.languages_of: dict[int, str] = {}

    # texts

    def _street(self, network_ids: list[int]) -> str:
        streets = self.streets.get(network_ids[0]) or ["Kerkstraat"]
        return self.rng.choice(streets)

    def _texts(self, catalogue: dict, index: int, **values) -> dict:
        """The message in each language of the zone; a value given as {language: text} is taken per language."""
        texts = {}
        for language in self.languages:
            options = catalogue[language]
            title, body, sms = options[index % len(options)]
            own = {key: value.get(language, "") if isinstance(value, dict) else value for key, value in values.items()}
            texts[language] = {
                "title": title.format(**own)[:150],
                "body": body.format(**own),
                "sms": sms.format(**own)[:300],
            }
        return texts

    def _message(self, **values) -> Message:
        sent_at = values.pop("sent_at")
        return Message(
            status=MessageStatus.SENT, sent_at=sent_at, created_at=sent_at - datetime.timedelta(minutes=4), **values
        )

    # the plan of the year

    def plan(self) -> None:
        rng = self.rng
        ids = [n["id"] for n in self.networks]
        alerts = max(12, min(40, 6 + len(ids) // 3)) if self.full else rng.randint(2, 4)
        for index in range(alerts):
            day = self.start + rng.random() * (self.now - self.start - 5 * DAY)
            self._alert(index, _moment(rng, day, (7, 22)), self._targets(ids, rng.choice((1, 1, 2, 3)), 0.3))
        if self.full and self.zone.code == TASK_ZONE:
            # The demo officer's tasks: one alert due soon, three overdue (nothing owed before them).
            for index, hours in enumerate((23, 27, 50, 96)):
                sent_at = (self.now - hours * HOUR).replace(microsecond=0)
                self._alert(alerts + index, sent_at, self._targets(ids, 2, 0.5), feedback=False)
        tips = 3 if self.full else 1
        for quarter in range(tips):
            day = self.start + (quarter + rng.random() * 0.8) * (self.now - self.start) / tips
            self.planned.append(
                _Planned(
                    self._message(
                        type=MessageType.PREVENTION_TIP,
                        sender=Sender.POLICE,
                        author=self.officer,
                        zone=self.zone,
                        target_kind=TargetKind.ZONE,
                        target_zone=self.zone,
                        texts=self._texts(TIPS, quarter + rng.randint(0, 3)),
                        sent_at=_moment(rng, day, (9, 17)),
                    ),
                    ids,
                    rate=0.05,
                    useful=0.75,
                    replies=rng.randint(0, 1),
                    read=6,
                )
            )
        for network in self.networks:
            if not self.full and rng.random() < 0.5:
                continue
            for issue in range(2 if self.full else 1):
                day = self.start + (issue + 0.2 + rng.random() * 0.6) * (self.now - self.start) / 2
                sent_at = _moment(rng, day, (18, 21))
                season = ((sent_at.month % 12) // 3) % 4
                texts = {}
                for language in self.languages:
                    title, body, _sms = NEWSLETTERS[language]
                    texts[language] = {
                        "title": title.format(network=network["name"], season=SEASONS[language][season])[:150],
                        "body": body.format(alerts=rng.randint(1, 4)),
                        "sms": "",
                    }
                self.planned.append(
                    _Planned(
                        self._message(
                            type=MessageType.NEWSLETTER,
                            sender=Sender.COORDINATOR,
                            author=self.authors.get(("network", network["id"])),
                            zone=self.zone,
                            target_kind=TargetKind.NETWORKS,
                            texts=texts,
                            sent_at=sent_at,
                        ),
                        [network["id"]],
                        rate=0.03,
                        useful=0.6,
                        read=5,
                    )
                )

    def _targets(self, ids: list[int], count: int, demo_share: float) -> list[int]:
        """`count` networks of the zone; the demo network (the demo coordinator's and member's) among them in
        `demo_share` of the alerts, so that its log, inbox and replies have alerts in them."""
        targets = self.rng.sample(ids, min(len(ids), count))
        demo = self.demo_network_id
        if demo in ids and demo not in targets and self.rng.random() < demo_share:
            targets[0] = demo
        return targets

    def _alert(self, index: int, sent_at, network_ids: list[int], *, feedback: bool | None = None) -> None:
        rng = self.rng
        street = self._street(network_ids)
        local = timezone.localtime(sent_at)
        alert = self._message(
            type=MessageType.URGENT_ALERT,
            sender=Sender.POLICE,
            author=self.officer,
            zone=self.zone,
            target_kind=TargetKind.NETWORKS,
            texts=self._texts(ALERTS, index + rng.randint(0, 4), street=street, time=local.strftime("%H:%M")),
            sent_at=sent_at,
        )
        due_hours = settings.BINPLP_FEEDBACK_DUE_HOURS
        alert.feedback_due_at = sent_at + due_hours * HOUR
        planned = _Planned(alert, network_ids, rate=0.14, useful=0.88, replies=rng.randint(0, 4), read=8)
        self.planned.append(planned)
        if feedback is None:
            # Most the same day or the next; some late (a weekend, a busy night); in the lighter zones a few never.
            feedback = self.full or rng.random() > 0.06
        if not feedback:
            self._reminders(alert)
            return
        delay = rng.uniform(2, 22) if rng.random() < 0.88 else rng.uniform(25, 50)
        feedback_at = sent_at + datetime.timedelta(hours=delay)
        if feedback_at > self.now - HOUR:
            self._reminders(alert)
            return
        titles = {language: text["title"] for language, text in alert.texts.items()}
        message = self._message(
            type=MessageType.FEEDBACK,
            sender=Sender.POLICE,
            author=self.officer,
            zone=self.zone,
            target_kind=TargetKind.NETWORKS,
            texts=self._texts(FEEDBACK, rng.randint(0, 2), alert=titles),
            sent_at=feedback_at.replace(microsecond=0),
        )
        message.feedback_for = alert  # its id is known once the alert is written
        alert.feedback_sent_at = message.sent_at
        self._reminders(alert)
        self.planned.append(_Planned(message, network_ids, rate=0.1, useful=0.93, replies=rng.randint(0, 2), read=8))

    def _reminders(self, alert: Message) -> None:
        """The reminders the hourly task sent while the alert owed feedback: from two hours before it was due, every
        BINPLP_FEEDBACK_REMINDER_HOURS, until the feedback went out (or now)."""
        end = alert.feedback_sent_at or self.now
        moment = alert.feedback_due_at - 2 * HOUR
        interval = datetime.timedelta(hours=settings.BINPLP_FEEDBACK_REMINDER_HOURS)
        while moment <= end:
            alert.feedback_reminders += 1
            alert.feedback_reminded_at = moment
            moment += interval
        if alert.feedback_sent_at is None:
            self.summary.owing_feedback += 1

    # writing

    def write(self) -> None:
        planned = sorted(self.planned, key=lambda p: p.message.sent_at)
        first = [p for p in planned if p.message.type != MessageType.FEEDBACK]
        then = [p for p in planned if p.message.type == MessageType.FEEDBACK]
        Message.objects.bulk_create([p.message for p in first])
        for p in then:
            p.message.feedback_for_id = p.message.feedback_for.pk
        Message.objects.bulk_create([p.message for p in then])
        through = Message.networks.through
        through.objects.bulk_create(
            [through(message_id=p.message.pk, network_id=n) for p in planned for n in p.network_ids], batch_size=5000
        )
        everyone = sorted({member for people in self.members_by_network.values() for member, _language in people})
        self.dead_email = set(self.rng.sample(everyone, int(len(everyone) * 0.012)))
        self.dead_mobile = set(self.rng.sample(everyone, int(len(everyone) * 0.02)))
        self.reasons = {
            **{(EMAIL, m): self.rng.choice(EMAIL_DEAD) for m in self.dead_email},
            **{(SMS, m): self.rng.choice(SMS_DEAD) for m in self.dead_mobile},
        }
        failures = []
        for p in planned:
            message = p.message
            result = fanout.plan(
                message_id=message.pk, message_type=message.type, network_ids=p.network_ids, now=message.sent_at
            )
            message.recipients = result.members
            members: dict[str, list[int]] = {c.value: [] for c in Channel}
            failed: dict[tuple[str, str], list[int]] = defaultdict(list)
            for row in result.rows:
                members[row[2]].append(row[1])
                self.languages_of[row[1]] = row[3]
                self.rows.append(self._outcome(row, failed))
            self.channel_members[message.pk] = members
            failures.append((p, failed))
            self.summary.messages[str(message.type)] += 1
            if len(self.rows) >= FLUSH_ROWS:
                self._flush()
        self._flush()
        Message.objects.bulk_update([p.message for p in planned], ["recipients"], batch_size=500)
        self._mark(planned, failures)
        self._ratings_and_replies(planned)

    def _outcome(self, row: tuple, failed: dict) -> tuple:
        """A planned delivery as the outbox left it: e-mail sent, SMS delivered a little later, some failed (the
        failure's time and reason are written by `_mark`)."""
        channel = row[2]
        if channel == WEB:
            return row
        member_id = row[1]
        reason = self.reasons.get((channel, member_id))
        if reason is None and self.rng.random() < NOW_AND_THEN_RATE[channel]:
            reason = self.rng.choice(NOW_AND_THEN[channel])
        if reason is not None:
            failed[(channel, reason)].append(member_id)
            return (*row[:4], FAILED, row[5], None)
        if channel == SMS:
            return (*row[:4], DELIVERED, row[5], row[5] + datetime.timedelta(seconds=self.rng.randint(8, 90)))
        return (*row[:4], SENT, row[5], None)

    def _flush(self) -> None:
        self.summary.deliveries += fanout.deliveries_insert(self.rows)
        self.rows = []

    def _mark(self, planned: list[_Planned], failures: list) -> None:
        """Complete the marks: the hand-over time of what was sent (when it became due: the outbox hands over within
        seconds), the time and reason of each failure, fallbacks for failed SMS, and the inbox messages read."""
        rng = self.rng
        ids = [p.message.pk for p in planned]
        for start in range(0, len(ids), 500):
            Delivery.objects.filter(
                message_id__in=ids[start : start + 500],
                status__in=[DeliveryStatus.SENT, DeliveryStatus.DELIVERED],
                channel__in=[Channel.EMAIL, Channel.SMS],
            ).update(sent_at=F("not_before"), attempts=1)
        for p, failed in failures:
            message = p.message
            for (channel, reason), members in failed.items():
                self.summary.failed += Delivery.objects.filter(
                    message_id=message.pk, channel=channel, member_id__in=members
                ).update(
                    failed_at=message.sent_at + datetime.timedelta(minutes=rng.randint(1, 50)),
                    error=reason,
                    attempts=6 if reason.startswith("gave up") else 1,
                )
            sms_failed = {
                m for (channel, _reason), members in failed.items() if channel == Channel.SMS for m in members
            }
            self._fallbacks(message, sms_failed - set(self.channel_members[message.pk][Channel.EMAIL]))
            if message.sent_at < self.now - 3 * DAY:
                Delivery.objects.filter(message_id=message.pk, channel=Channel.WEB).alias(
                    bucket=Mod("member_id", 10)
                ).filter(bucket__lt=p.read).update(
                    read_at=message.sent_at + datetime.timedelta(hours=rng.randint(1, 30))
                )

    def _fallbacks(self, message: Message, members: set[int]) -> None:
        """A failed SMS goes by e-mail to a member who did not get the message by e-mail already."""
        if not members:
            return
        failed = Delivery.objects.filter(message_id=message.pk, channel=Channel.SMS, member_id__in=members)
        fallbacks = [
            Delivery(
                message_id=message.pk,
                member_id=member_id,
                channel=Channel.EMAIL,
                language=language,
                status=DeliveryStatus.SENT,
                attempts=1,
                not_before=failed_at,
                sent_at=failed_at + datetime.timedelta(seconds=20),
                fallback_of_id=pk,
            )
            for pk, member_id, language, failed_at in failed.values_list("pk", "member_id", "language", "failed_at")
        ]
        Delivery.objects.bulk_create(fallbacks)
        self.summary.deliveries += len(fallbacks)

    def _ratings_and_replies(self, planned: list[_Planned]) -> None:
        rng = self.rng
        ratings, replies = [], []
        for p in planned:
            message = p.message
            recipients = self.channel_members[message.pk]["web"]
            if not recipients:
                continue
            count = min(len(recipients), int(len(recipients) * p.rate * rng.uniform(0.5, 1.5)))
            for member in rng.sample(recipients, count):
                ratings.append(
                    Rating(
                        message=message,
                        member_id=member,
                        useful=rng.random() < p.useful,
                        created_at=message.sent_at + datetime.timedelta(minutes=rng.randint(3, 2 * 24 * 60)),
                    )
                )
            for member in rng.sample(recipients, min(len(recipients), p.replies)):
                language = self.languages_of.get(member, "nl")
                created = message.sent_at + datetime.timedelta(minutes=rng.randint(5, 24 * 60))
                answered = created < self.now - 2 * DAY and message.author_id is not None
                replies.append(
                    Reply(
                        message=message,
                        member_id=member,
                        body=rng.choice(REPLIES.get(language, REPLIES["nl"])),
                        created_at=min(created, self.now - datetime.timedelta(minutes=5)),
                        read_at=created + datetime.timedelta(hours=rng.randint(1, 20)) if answered else None,
                        read_by_id=message.author_id if answered else None,
                    )
                )
        Rating.objects.bulk_create(ratings, batch_size=2000)
        Reply.objects.bulk_create(replies, batch_size=2000)
        self.summary.ratings += len(ratings)
        self.summary.replies += len(replies)

    def reports(self) -> None:
        rng = self.rng
        members_by_network = self.members_by_network
        reports = []
        for network in self.networks:
            members = members_by_network.get(network["id"])
            if not members:
                continue
            for _index in range(rng.choice((0, 1, 1, 2, 3) if self.full else (0, 0, 1))):
                member, language = rng.choice(members)
                language = language if language in REPORTS else self.languages[0]
                category, description, vehicle = rng.choice(REPORTS[language])
                created = self.start + rng.random() * (self.now - self.start)
                age = self.now - created
                status = (
                    ReportStatus.NEW
                    if age < 3 * DAY
                    else ReportStatus.ACKNOWLEDGED
                    if age < 14 * DAY or rng.random() < 0.15
                    else ReportStatus.CLOSED
                )
                report = Report(
                    member_id=member,
                    network_id=network["id"],
                    zone=self.zone,
                    category=category,
                    happened_at=created - datetime.timedelta(hours=rng.randint(1, 30)),
                    place=self._street([network["id"]]),
                    description=description,
                    vehicle_type=vehicle,
                    language=language,
                    status=status,
                    created_at=created,
                )
                if status != ReportStatus.NEW:
                    report.acknowledged_at = created + datetime.timedelta(hours=rng.randint(2, 48))
                if status == ReportStatus.CLOSED:
                    report.answer = ANSWERS.get(language, ANSWERS["nl"])
                    report.answered_at = report.acknowledged_at + datetime.timedelta(days=rng.randint(1, 6))
                    report.answered_by = self.officer
                    report.closed_at = report.answered_at
                reports.append(report)
        Report.objects.bulk_create(reports)
        self.summary.reports += len(reports)


def _authors() -> dict[tuple[str, int], User]:
    """The demo personas who write: the demo officers for their zones, the demo coordinator for the demo network."""
    authors: dict[tuple[str, int], User] = {}
    users = {user.email.lower(): user for user in User.objects.filter(email__in=[p.email for p in DEMO_PERSONAS])}
    for persona in DEMO_PERSONAS:
        user = users.get(persona.email.lower())
        if user is None:
            continue
        if persona.role == Role.ZONE_OFFICER:
            zone = PoliceZone.objects.current().filter(code=persona.scope_key).first()
            if zone is not None:
                authors[("zone", zone.pk)] = user
        elif persona.role == Role.COORDINATOR and persona.scope_key == DEMO_NETWORK_CODE:
            network = Network.objects.filter(code=DEMO_NETWORK_CODE).first()
            if network is not None:
                authors[("network", network.pk)] = user
    return authors


def _focus_zone_ids() -> set[int]:
    """The zones of the demo officers and of the networks of the demo municipal officials' municipalities."""
    codes = [p.scope_key for p in DEMO_PERSONAS if p.role == Role.ZONE_OFFICER]
    zones = set(PoliceZone.objects.current().filter(code__in=codes).values_list("pk", flat=True))
    refnis = [str(p.scope_key) for p in DEMO_PERSONAS if p.role == Role.MUNICIPAL_OFFICIAL]
    zones |= set(Network.objects.filter(municipality__refnis__in=refnis).values_list("zone_id", flat=True))
    return zones


@contextlib.contextmanager
def _bulk_loading():
    """SQLite: a page cache large enough for the delivery indexes being filled, and foreign keys unchecked while the
    rows (written parents first) go in — as members.demo does; both restored afterwards. Nothing elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cache_size = cursor.execute("PRAGMA cache_size").fetchone()[0]
        cursor.execute("PRAGMA cache_size = -262144")  # 256 MiB
    try:
        with connection.constraint_checks_disabled():
            yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(cache_size)}")


def seed_messages(*, now: datetime.datetime | None = None, other_zones: int = OTHER_ZONES) -> DemoMessagesSummary:
    """Seed a year of messages in the focus zones and in `other_zones` sampled zones (see the module docstring);
    zones already holding messages are skipped. Returns what was written."""
    started = time.perf_counter()
    now = (now or timezone.now()).replace(microsecond=0)
    summary = DemoMessagesSummary()
    rng = random.Random(SEED)  # nosec B311  # seeded demo data, not security
    active = (
        Membership.objects.filter(status=MembershipStatus.ACTIVE, member__isnull=False)
        .order_by()
        .values_list("network_id", "network__zone_id", "network__name", "network__code")
        .annotate(members=Count("pk"))
    )
    networks_of: dict[int, list[dict]] = defaultdict(list)
    for network_id, zone_id, name, code, members in active:
        networks_of[zone_id].append({"id": network_id, "name": name, "code": code, "members": members})
    focus = _focus_zone_ids() & set(networks_of)
    others = sorted(set(networks_of) - focus)
    chosen = sorted(focus) + sorted(rng.sample(others, min(other_zones, len(others))))
    seeded = set(Message.objects.filter(zone_id__in=chosen).values_list("zone_id", flat=True).distinct())
    authors = _authors()
    zones = PoliceZone.objects.in_bulk(chosen)
    todo = [zone_id for zone_id in chosen if zone_id not in seeded]
    summary.skipped = len(chosen) - len(todo)
    with _bulk_loading():
        for zone_id in todo:
            networks = sorted(networks_of[zone_id], key=lambda n: n["code"])
            members_by_network: dict[int, list[tuple[int, str]]] = defaultdict(list)
            for network_id, member_id, language in Membership.objects.filter(
                network_id__in=[n["id"] for n in networks], status=MembershipStatus.ACTIVE, member__isnull=False
            ).values_list("network_id", "member_id", "member__user__language"):
                members_by_network[network_id].append((member_id, language))
            with transaction.atomic():  # a zone is written whole or not at all
                year = _Zone(
                    zones[zone_id],
                    networks,
                    members_by_network,
                    full=zone_id in focus,
                    now=now,
                    rng=random.Random(f"{SEED}-{zone_id}"),  # nosec B311  # seeded demo data, not security
                    authors=authors,
                    summary=summary,
                )
                year.plan()
                year.write()
                year.reports()
            summary.zones += 1
    summary.seconds = time.perf_counter() - started
    return summary
