"""The first national documents: version 2026-1 of the privacy notice and of the model internal rules, in force
from 1 January 2026, in Dutch, French, German and English (Markdown). Later versions are published in the
application (members.services.documents.document_publish)."""

import datetime

from django.db import migrations

VERSION = "2026-1"
PUBLISHED_ON = datetime.date(2026, 1, 1)

PRIVACY_NOTICE = {
    "nl": {
        "title": "Privacyverklaring van de buurtinformatienetwerken",
        "body": """Versie 2026-1, van kracht vanaf 1 januari 2026.

Deze verklaring legt uit wat er met uw persoonsgegevens gebeurt wanneer u via binplp vraagt om lid te worden van
een buurtinformatienetwerk (BIN) en zolang u lid bent.

## Wie is verantwoordelijk

- **Voor de gegevens van de leden van een netwerk:** de partners van dat netwerk, die in het lokaal charter hebben
  afgesproken hoe het werkt: de lokale politiezone, de gemeente en de coördinator(en) van het netwerk.
- **Voor het platform zelf** (accounts, beveiliging, het auditlogboek): de FOD Binnenlandse Zaken, Algemene Directie
  Veiligheid en Preventie (ADVP), Waterloolaan 76, 1000 Brussel, die binplp beheert.

## Waarvoor wij uw gegevens gebruiken

Uitsluitend voor de werking van het netwerk waarvan u lid wordt: om uw aanvraag te behandelen, om u de berichten
van het netwerk (dringende berichten, feedback, preventietips) te sturen via de kanalen die u koos, om u niet-dringende
informatie aan de politie te laten melden en om de ledenlijst bij te houden. Uw gegevens worden nooit voor iets
anders gebruikt, nooit verkocht en nooit voor reclame gebruikt. De rechtsgrond is uw toestemming, die u op elk
moment intrekt door het netwerk te verlaten.

## Welke gegevens

Uw naam, e-mailadres, gsm-nummer (als u het opgeeft), adres, taal, de kanalen en berichtsoorten die u koos, de datum
waarop u lid werd en welke versies van deze verklaring en van het huishoudelijk reglement u aanvaardde.

## Wie ze ziet

Alleen de coördinator(en) van uw netwerk en de gemandateerde politieambtenaren van de politiezone. Telkens wanneer
een van hen ledengegevens bekijkt, wordt dat vastgelegd. De nationale diensten (ADVP, het BIN Kenniscentrum) en de
gemeente zien alleen aantallen leden, nooit namen of contactgegevens. Andere leden zien uw gegevens niet.

## Hoe lang

Een aanvraag die niet per e-mail bevestigd wordt, of die geweigerd wordt, wordt na 30 dagen verwijderd. Uw gegevens
worden bewaard zolang u lid bent. Verwijdert u uw account, dan worden uw persoonsgegevens gewist; alleen aantallen
zonder uw naam blijven bestaan, en het auditlogboek bewaart wie wat deed zonder uw gegevens.

## Uw rechten

In het [ledenportaal](/me/) kunt u uw gegevens inzien en verbeteren, ze downloaden (als bestand of als leesbare
pagina), uw kanalen wijzigen, een netwerk verlaten en uw account verwijderen. Voor andere vragen (beperking,
bezwaar) schrijft u de coördinator van uw netwerk of ADVP (ter attentie van de functionaris voor
gegevensbescherming).

## Klachten

U kunt klacht indienen bij de Gegevensbeschermingsautoriteit (GBA), Drukpersstraat 35, 1000 Brussel,
www.gegevensbeschermingsautoriteit.be.
""",
    },
    "fr": {
        "title": "Déclaration de confidentialité des partenariats locaux de prévention",
        "body": """Version 2026-1, en vigueur à partir du 1er janvier 2026.

Cette déclaration explique ce qu'il advient de vos données personnelles lorsque vous demandez, via binplp, à
devenir membre d'un partenariat local de prévention (PLP), et tant que vous en êtes membre.

## Qui est responsable

- **Pour les données des membres d'un partenariat :** les partenaires de ce PLP, qui ont convenu dans la charte
  locale de son fonctionnement : la zone de police locale, la commune et le ou les coordinateurs du partenariat.
- **Pour la plateforme elle-même** (comptes, sécurité, journal d'audit) : le SPF Intérieur, Direction générale
  Sécurité et Prévention (DGSP), boulevard de Waterloo 76, 1000 Bruxelles, qui gère binplp.

## Pourquoi nous utilisons vos données

Uniquement pour le fonctionnement du partenariat dont vous devenez membre : traiter votre demande, vous envoyer les
messages du PLP (messages d'alerte, feed-back, conseils de prévention) par les canaux que vous avez choisis, vous
permettre de signaler des informations non urgentes à la police et tenir la liste des membres. Vos données ne sont
jamais utilisées à d'autres fins, jamais vendues et jamais utilisées pour de la publicité. La base juridique est
votre consentement, que vous retirez à tout moment en quittant le partenariat.

## Quelles données

Vos nom et prénom, adresse e-mail, numéro de GSM (si vous le donnez), adresse, langue, les canaux et types de
messages choisis, la date de votre adhésion et les versions de cette déclaration et du règlement d'ordre intérieur
que vous avez acceptées.

## Qui les voit

Seuls le ou les coordinateurs de votre partenariat et les fonctionnaires de police mandatés de la zone de police.
Chaque consultation des données des membres par l'un d'eux est enregistrée. Les services nationaux (DGSP, le Centre
d'Expertise PLP) et la commune ne voient que des nombres de membres, jamais de noms ni de coordonnées. Les autres
membres ne voient pas vos données.

## Combien de temps

Une demande qui n'est pas confirmée par e-mail, ou qui est refusée, est supprimée après 30 jours. Vos données sont
conservées tant que vous êtes membre. Si vous supprimez votre compte, vos données personnelles sont effacées ; seuls
des nombres sans votre nom subsistent, et le journal d'audit garde qui a fait quoi, sans vos données.

## Vos droits

Dans le [portail des membres](/me/), vous pouvez consulter et corriger vos données, les télécharger (en fichier ou
en page lisible), modifier vos canaux, quitter un partenariat et supprimer votre compte. Pour toute autre demande
(limitation, opposition), écrivez au coordinateur de votre partenariat ou à la DGSP (à l'attention du délégué à la
protection des données).

## Plaintes

Vous pouvez introduire une plainte auprès de l'Autorité de protection des données (APD), rue de la Presse 35,
1000 Bruxelles, www.autoriteprotectiondonnees.be.
""",
    },
    "de": {
        "title": "Datenschutzerklärung der Nachbarschaftsinformationsnetzwerke",
        "body": """Version 2026-1, gültig ab dem 1. Januar 2026.

Diese Erklärung beschreibt, was mit Ihren personenbezogenen Daten geschieht, wenn Sie über binplp beantragen,
Mitglied eines Nachbarschaftsinformationsnetzwerks (BIN / PLP) zu werden, und solange Sie Mitglied sind.

## Wer verantwortlich ist

- **Für die Daten der Mitglieder eines Netzwerks:** die Partner dieses Netzwerks, die in der lokalen Charta
  vereinbart haben, wie es arbeitet: die lokale Polizeizone, die Gemeinde und der oder die Koordinatoren des
  Netzwerks.
- **Für die Plattform selbst** (Konten, Sicherheit, Prüfprotokoll): der FÖD Inneres, Generaldirektion Sicherheit
  und Vorbeugung (ADVP), Waterloolaan / Boulevard de Waterloo 76, 1000 Brüssel, der binplp betreibt.

## Wofür wir Ihre Daten verwenden

Ausschließlich für den Betrieb des Netzwerks, dem Sie beitreten: um Ihren Antrag zu bearbeiten, um Ihnen die
Nachrichten des Netzwerks (dringende Warnungen, Rückmeldungen, Vorbeugungstipps) über die von Ihnen gewählten Kanäle
zu senden, um Ihnen zu ermöglichen, der Polizei nicht dringende Informationen zu melden, und um die Mitgliederliste
zu führen. Ihre Daten werden nie für andere Zwecke verwendet, nie verkauft und nie für Werbung genutzt.
Rechtsgrundlage ist Ihre Einwilligung, die Sie jederzeit widerrufen, indem Sie das Netzwerk verlassen.

## Welche Daten

Ihr Name, Ihre E-Mail-Adresse, Ihre Handynummer (wenn Sie sie angeben), Ihre Anschrift, Ihre Sprache, die gewählten
Kanäle und Nachrichtenarten, das Datum Ihres Beitritts und die Versionen dieser Erklärung und der Hausordnung, die
Sie angenommen haben.

## Wer sie sieht

Nur der oder die Koordinatoren Ihres Netzwerks und die beauftragten Polizeibeamten der Polizeizone. Jeder Zugriff
eines von ihnen auf Mitgliederdaten wird protokolliert. Die nationalen Dienste (ADVP, das Kompetenzzentrum BIN) und
die Gemeinde sehen nur Mitgliederzahlen, niemals Namen oder Kontaktdaten. Andere Mitglieder sehen Ihre Daten nicht.

## Wie lange

Ein Antrag, der nicht per E-Mail bestätigt oder der abgelehnt wird, wird nach 30 Tagen gelöscht. Ihre Daten werden
aufbewahrt, solange Sie Mitglied sind. Wenn Sie Ihr Konto löschen, werden Ihre personenbezogenen Daten gelöscht;
nur Zahlen ohne Ihren Namen bleiben bestehen, und das Prüfprotokoll bewahrt, wer was getan hat, ohne Ihre Daten.

## Ihre Rechte

Im [Mitgliederportal](/me/) können Sie Ihre Daten einsehen und berichtigen, sie herunterladen (als Datei oder als
lesbare Seite), Ihre Kanäle ändern, ein Netzwerk verlassen und Ihr Konto löschen. Für andere Anliegen
(Einschränkung, Widerspruch) schreiben Sie dem Koordinator Ihres Netzwerks oder der ADVP (zu Händen des
Datenschutzbeauftragten).

## Beschwerden

Sie können bei der Datenschutzbehörde, Drukpersstraat / Rue de la Presse 35, 1000 Brüssel,
www.dataprotectionauthority.be, Beschwerde einreichen.
""",
    },
    "en": {
        "title": "Privacy notice of the neighbourhood information networks",
        "body": """Version 2026-1, in force from 1 January 2026.

This notice explains what happens to your personal data when you ask, through binplp, to join a neighbourhood
information network (BIN / PLP), and while you are a member.

## Who is responsible

- **For the data of a network's members:** the partners of that network, who agreed in its local charter how it
  works: the local police zone, the municipality and the network's coordinator(s).
- **For the platform itself** (accounts, security, the audit trail): the Federal Public Service Home Affairs,
  Directorate-General Security and Prevention (ADVP), Waterloolaan / Boulevard de Waterloo 76, 1000 Brussels,
  which runs binplp.

## Why we use your data

Only to run the network you join: to handle your request, to send you the network's messages (urgent alerts,
feedback, prevention tips) by the channels you chose, to let you report non-urgent information to the police, and
to keep the member list. Your data is never used for anything else, never sold and never used for advertising. The
legal basis is your consent, which you withdraw at any time by leaving the network.

## What we hold

Your name, e-mail address, mobile number (if you give it), address, language, the channels and message types you
chose, the date you joined, and which versions of this notice and of the internal rules you accepted.

## Who sees it

Only the coordinator(s) of your network and the mandated police officers of its police zone. Every time one of them
looks at members' data, this is recorded. The national services (ADVP, the Knowledge Centre BIN) and the
municipality see numbers of members only, never names or contact details. Other members do not see your data.

## How long

A request that is not confirmed by e-mail, or that is declined, is deleted after 30 days. Your data is kept while
you are a member. When you delete your account, your personal data is erased; only counts without your name remain,
and the audit trail keeps who did what without your data.

## Your rights

In the [member portal](/me/) you can see and correct your data, download it (as a file or as a readable page),
change your channels, leave a network and delete your account. For anything else (restriction, objection), write to
the coordinator of your network or to ADVP (for the attention of the data protection officer).

## Complaints

You may lodge a complaint with the Data Protection Authority (Gegevensbeschermingsautoriteit / Autorité de
protection des données), Drukpersstraat / Rue de la Presse 35, 1000 Brussels, www.dataprotectionauthority.be.
""",
    },
}

INTERNAL_RULES = {
    "nl": {
        "title": "Modelhuishoudelijk reglement van een buurtinformatienetwerk",
        "body": """Nationaal model, versie 2026-1, van kracht vanaf 1 januari 2026. Een netwerk kan binnen het
kader van de ministeriële omzendbrief een eigen reglement aannemen; dat geldt dan in plaats van dit model.

## 1. Wat een BIN is

Een buurtinformatienetwerk (BIN) is een gestructureerd samenwerkingsverband tussen burgers of zelfstandigen van een
afgebakend gebied, de lokale politie en de gemeente, om informatie uit te wisselen volgens een communicatieplan dat
vooraf in het lokaal charter is afgesproken. De drie pijlers zijn participatie, communicatie en preventie.

## 2. Wat een BIN niet is

- Een BIN doet geen patrouilles, toezichtsrondes, interventies of andere politietaken. Het is geen burgerwacht:
  de wet van 29 juli 1934 op de private milities is van toepassing.
- Leden treden nooit op in naam van de politie en observeren niemand systematisch.
- Een BIN heeft geen partijpolitieke doelen en geeft leden geen voorrechten bij de politie.
- Een BIN vervangt de noodnummers niet: **bel voor alles wat dringend is 101 (politie) of 112**.

## 3. Doelstellingen

Het veiligheidsgevoel verhogen, de sociale samenhang versterken, het bewustzijn rond misdaadpreventie vergroten,
criminaliteit helpen voorkomen, de samenwerking tussen burgers en politie uitbouwen en de meldings- en
aangiftebereidheid verhogen.

## 4. Leden

Elke meerderjarige (18 jaar of ouder) die in het gebied van het netwerk woont of werkt, kan lid worden. Het
lidmaatschap is vrijwillig en gratis; u kunt op elk moment uitstappen via het ledenportaal. Leden:

- melden dringende situaties rechtstreeks aan de politie (101 / 112), niet via de coördinator;
- geven niet-dringende informatie door aan de politie via het meldingsformulier en beschrijven daarbij gedrag,
  niet uiterlijk;
- leven de wet na, ook de privacywetgeving en de antidiscriminatiewet.

## 5. Politie en coördinator

Alleen de politie beoordeelt en behandelt de informatie, beslist of er een bericht uitgaat en geeft feedback. Zij
houdt de bron van de informatie anoniem. De coördinator is een tussenpersoon tussen leden en politie en doet zelf
geen onderzoek.

## 6. Berichten en persoonsgegevens

- Berichten van het netwerk zijn alleen voor de leden; verspreid ze niet verder zonder akkoord van de politie.
- Deel nooit herkenbare foto's van personen of foto's van voertuigen met een leesbare nummerplaat.
- De gegevens van de leden worden alleen voor het netwerk gebruikt.

## 7. Respect

Racistische, discriminerende, beledigende of bedreigende berichten worden niet getolereerd (antidiscriminatiewet
van 10 mei 2007).

## 8. Sancties

Een lid dat dit reglement overtreedt, kan na een gesprek met de gemandateerde politieambtenaar en de coördinator
een sanctie krijgen: 1. een schriftelijke berisping; 2. een tijdelijke schorsing; 3. een definitieve schorsing.

## 9. Evaluatie

Het netwerk wordt regelmatig geëvalueerd met de leden, de coördinatoren, de politie en de gemeente.
""",
    },
    "fr": {
        "title": "Règlement d'ordre intérieur type d'un partenariat local de prévention",
        "body": """Modèle national, version 2026-1, en vigueur à partir du 1er janvier 2026. Un partenariat peut
adopter son propre règlement dans le cadre de la circulaire ministérielle ; celui-ci s'applique alors à la place de
ce modèle.

## 1. Ce qu'est un PLP

Un partenariat local de prévention (PLP) est une collaboration structurée entre des citoyens ou des indépendants
d'une zone délimitée, la police locale et la commune, en vue d'échanger des informations selon un plan de
communication convenu à l'avance dans la charte locale. Ses trois piliers sont la participation, la communication et
la prévention.

## 2. Ce qu'un PLP n'est pas

- Un PLP n'effectue ni patrouilles, ni rondes de surveillance, ni interventions, ni aucune autre tâche de police.
  Ce n'est pas une milice citoyenne : la loi du 29 juillet 1934 sur les milices privées s'applique.
- Les membres n'agissent jamais au nom de la police et n'observent personne de manière systématique.
- Un PLP n'a aucun but politique et n'accorde aux membres aucun privilège auprès de la police.
- Un PLP ne remplace pas les numéros d'urgence : **pour toute urgence, appelez le 101 (police) ou le 112**.

## 3. Objectifs

Renforcer le sentiment de sécurité et la cohésion sociale, sensibiliser à la prévention de la criminalité, aider à
prévenir la criminalité, développer la collaboration entre citoyens et police, et accroître la volonté de signaler
les situations suspectes et de porter plainte.

## 4. Membres

Toute personne majeure (18 ans ou plus) qui habite ou travaille dans la zone du partenariat peut devenir membre.
L'adhésion est volontaire et gratuite ; vous pouvez la quitter à tout moment dans le portail des membres. Les
membres :

- signalent les situations urgentes directement à la police (101 / 112), et non au coordinateur ;
- transmettent les informations non urgentes à la police par le formulaire de signalement, en décrivant un
  comportement et non une apparence ;
- respectent la loi, y compris la législation sur la vie privée et la loi anti-discrimination.

## 5. La police et le coordinateur

Seule la police évalue et traite les informations, décide de l'envoi d'un message et donne un feed-back. Elle garde
la source des informations anonyme. Le coordinateur est un intermédiaire entre les membres et la police ; il ne
mène aucune enquête.

## 6. Messages et données personnelles

- Les messages du partenariat sont réservés aux membres ; ne les diffusez pas sans l'accord de la police.
- Ne partagez jamais de photos reconnaissables de personnes ni de photos de véhicules dont la plaque
  d'immatriculation est lisible.
- Les données des membres ne sont utilisées que pour le partenariat.

## 7. Respect

Les messages racistes, discriminatoires, injurieux ou menaçants ne sont pas tolérés (loi anti-discrimination du
10 mai 2007).

## 8. Sanctions

Un membre qui enfreint ce règlement peut, après avoir été entendu par le fonctionnaire de police mandaté et le
coordinateur, recevoir une sanction : 1. un blâme écrit ; 2. une suspension temporaire ; 3. une suspension
définitive.

## 9. Évaluation

Le partenariat est évalué régulièrement avec les membres, les coordinateurs, la police et la commune.
""",
    },
    "de": {
        "title": "Muster-Hausordnung eines Nachbarschaftsinformationsnetzwerks",
        "body": """Nationales Muster, Version 2026-1, gültig ab dem 1. Januar 2026. Ein Netzwerk kann im Rahmen des
ministeriellen Rundschreibens eine eigene Hausordnung annehmen; diese gilt dann anstelle dieses Musters.

## 1. Was ein Netzwerk ist

Ein Nachbarschaftsinformationsnetzwerk (BIN / PLP) ist eine strukturierte Partnerschaft zwischen Bürgern oder
Selbständigen eines abgegrenzten Gebiets, der lokalen Polizei und der Gemeinde, um Informationen nach einem
Kommunikationsplan auszutauschen, der vorab in der lokalen Charta vereinbart wurde. Seine drei Säulen sind
Beteiligung, Kommunikation und Vorbeugung.

## 2. Was ein Netzwerk nicht ist

- Ein Netzwerk führt keine Streifen, Kontrollgänge, Einsätze oder andere polizeiliche Aufgaben durch. Es ist keine
  Bürgerwehr: Das Gesetz vom 29. Juli 1934 über private Milizen findet Anwendung.
- Mitglieder handeln nie im Namen der Polizei und beobachten niemanden systematisch.
- Ein Netzwerk verfolgt keine parteipolitischen Ziele und verschafft Mitgliedern keine Vorrechte bei der Polizei.
- Ein Netzwerk ersetzt nicht die Notrufnummern: **Rufen Sie in dringenden Fällen 101 (Polizei) oder 112 an.**

## 3. Ziele

Das Sicherheitsgefühl und den sozialen Zusammenhalt stärken, für Kriminalprävention sensibilisieren, Kriminalität
verhindern helfen, die Zusammenarbeit zwischen Bürgern und Polizei ausbauen und die Bereitschaft erhöhen,
verdächtige Situationen zu melden und Anzeige zu erstatten.

## 4. Mitglieder

Jede volljährige Person (18 Jahre oder älter), die im Gebiet des Netzwerks wohnt oder arbeitet, kann Mitglied
werden. Die Mitgliedschaft ist freiwillig und kostenlos; Sie können jederzeit im Mitgliederportal austreten.
Mitglieder:

- melden dringende Situationen direkt der Polizei (101 / 112), nicht über den Koordinator;
- geben nicht dringende Informationen über das Meldeformular an die Polizei weiter und beschreiben dabei
  Verhalten, nicht Aussehen;
- halten sich an die Gesetze, auch an das Datenschutzrecht und das Antidiskriminierungsgesetz.

## 5. Polizei und Koordinator

Nur die Polizei bewertet und bearbeitet die Informationen, entscheidet, ob eine Nachricht versendet wird, und gibt
Rückmeldung. Sie hält die Quelle der Informationen anonym. Der Koordinator ist ein Vermittler zwischen Mitgliedern
und Polizei und ermittelt nicht selbst.

## 6. Nachrichten und personenbezogene Daten

- Nachrichten des Netzwerks sind nur für die Mitglieder bestimmt; verbreiten Sie sie nicht ohne Zustimmung der
  Polizei weiter.
- Teilen Sie niemals erkennbare Fotos von Personen oder Fotos von Fahrzeugen mit lesbarem Kennzeichen.
- Die Daten der Mitglieder werden nur für das Netzwerk verwendet.

## 7. Respekt

Rassistische, diskriminierende, beleidigende oder bedrohliche Nachrichten werden nicht geduldet
(Antidiskriminierungsgesetz vom 10. Mai 2007).

## 8. Sanktionen

Ein Mitglied, das gegen diese Hausordnung verstößt, kann nach Anhörung durch den beauftragten Polizeibeamten und den
Koordinator folgende Sanktion erhalten: 1. einen schriftlichen Verweis; 2. eine vorübergehende Suspendierung;
3. eine endgültige Suspendierung.

## 9. Bewertung

Das Netzwerk wird regelmäßig mit den Mitgliedern, den Koordinatoren, der Polizei und der Gemeinde bewertet.
""",
    },
    "en": {
        "title": "Model internal rules of a neighbourhood information network",
        "body": """National model, version 2026-1, in force from 1 January 2026. A network may adopt its own rules
within the framework of the ministerial circular; those then apply instead of this model.

## 1. What a network is

A neighbourhood information network (BIN / PLP) is a structured partnership between citizens or self-employed people
of a defined area, the local police and the municipality, to exchange information according to a communication plan
agreed in advance in the local charter. Its three pillars are participation, communication and prevention.

## 2. What a network is not

- It does no patrols, surveillance rounds, interventions or any other police task. It is not a citizens' militia:
  the law of 29 July 1934 on private militias applies.
- Members never act in the name of the police and do not observe anyone systematically.
- It has no party-political aims and gives members no privileges with the police.
- It does not replace the emergency numbers: **for anything urgent, call 101 (police) or 112**.

## 3. Objectives

To raise the feeling of safety, strengthen social cohesion, raise awareness of crime prevention, help prevent crime,
build cooperation between citizens and the police, and encourage people to report suspicious situations and to file
complaints.

## 4. Members

Any adult (18 or older) who lives or works in the network's area can be a member. Membership is voluntary and free
of charge; you can leave at any time in the member portal. Members:

- report urgent situations directly to the police (101 / 112), not through the coordinator;
- pass non-urgent information to the police through the reporting form, describing behaviour, not appearance;
- respect the law, including the privacy and anti-discrimination laws.

## 5. The police and the coordinator

Only the police assess and handle information, decide whether a message is sent, and give feedback. They keep the
source of information anonymous. The coordinator is an intermediary between members and the police and does not
investigate.

## 6. Messages and personal data

- The network's messages are for its members only; do not spread them further without the police's agreement.
- Never share recognisable photos of people, or photos of vehicles with a readable number plate.
- Members' data is used for the network only.

## 7. Respect

Racist, discriminatory, insulting or threatening messages are not tolerated (anti-discrimination law of
10 May 2007).

## 8. Sanctions

A member who breaks these rules can, after being heard by the mandated police officer and the coordinator, receive
a sanction: 1. a written reprimand; 2. a temporary suspension; 3. a permanent suspension.

## 9. Evaluation

The network is evaluated regularly with its members, coordinators, the police and the municipality.
""",
    },
}


def create_first_documents(apps, schema_editor=None):
    """Create version 2026-1 of both national documents unless they exist (also used by tests after a flush)."""
    PolicyDocument = apps.get_model("members", "PolicyDocument")
    for kind, texts in (("privacy_notice", PRIVACY_NOTICE), ("internal_rules", INTERNAL_RULES)):
        PolicyDocument.objects.get_or_create(
            kind=kind,
            network=None,
            version=VERSION,
            defaults={"published_on": PUBLISHED_ON, "texts": texts},
        )


def remove_first_documents(apps, schema_editor):
    PolicyDocument = apps.get_model("members", "PolicyDocument")
    PolicyDocument.objects.filter(network__isnull=True, version=VERSION).delete()


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(create_first_documents, remove_first_documents)]
