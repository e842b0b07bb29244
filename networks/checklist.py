"""The formal requirements of the circular on BINs that ADVP checks in every charter (DESIGN §3).

They are reference data ADVP may edit (add, reword, deactivate); these are the rows a new installation starts with.
`checklist_seed` runs after every `migrate` and only adds the codes that are missing, so ADVP's edits stay.
"""

from __future__ import annotations

CHECKLIST: list[dict[str, str | int]] = [
    {
        "code": "contacts",
        "order": 10,
        "text_nl": "Het charter vermeldt de contactgegevens van alle partners (coördinator(en), gemandateerde "
        "politieambtenaar, gemeente).",
        "text_fr": "La charte mentionne les coordonnées de tous les partenaires (coordinateur(s), fonctionnaire de "
        "police mandaté, commune).",
        "text_de": "Die Charta enthält die Kontaktdaten aller Partner (Koordinator(en), beauftragter Polizeibeamter, "
        "Gemeinde).",
        "text_en": "The charter gives the contact details of all partners (coordinator(s), mandated officer, "
        "municipality).",
    },
    {
        "code": "communication_plan",
        "order": 20,
        "text_nl": "Het communicatieplan beschrijft de kanalen, de soorten berichten, wie welke berichten verstuurt "
        "en de verwachte termijn voor feedback.",
        "text_fr": "Le plan de communication décrit les canaux, les types de messages, qui envoie quels messages et "
        "le délai de feed-back prévu.",
        "text_de": "Der Kommunikationsplan beschreibt die Kanäle, die Arten von Nachrichten, wer welche Nachrichten "
        "versendet und die erwartete Frist für die Rückmeldung.",
        "text_en": "The communication plan describes the channels, the message types, who sends which messages and "
        "the expected feedback time.",
    },
    {
        "code": "budget_plan",
        "order": 30,
        "text_nl": "Het budgetplan vermeldt de kosten en wie ze draagt.",
        "text_fr": "Le plan budgétaire mentionne les coûts et qui les prend en charge.",
        "text_de": "Der Budgetplan nennt die Kosten und wer sie trägt.",
        "text_en": "The budget plan lists the costs and who bears them.",
    },
    {
        "code": "member_fee",
        "order": 40,
        "text_nl": "Een eventuele bijdrage van de leden dekt enkel de kosten en sluit niemand uit omwille van zijn "
        "financiële situatie.",
        "text_fr": "Une éventuelle contribution des membres couvre uniquement les coûts et n’exclut personne en "
        "raison de sa situation financière.",
        "text_de": "Ein etwaiger Beitrag der Mitglieder deckt nur die Kosten und schließt niemanden aufgrund seiner "
        "finanziellen Lage aus.",
        "text_en": "Any member fee covers costs only and excludes no one because of their financial situation.",
    },
    {
        "code": "alternative_financing",
        "order": 50,
        "text_nl": "Als de gemeente het netwerk tijdelijk ondersteunt, voorziet het charter in een alternatieve "
        "financiering.",
        "text_fr": "Si la commune soutient le partenariat de manière temporaire, la charte prévoit un financement "
        "alternatif.",
        "text_de": "Unterstützt die Gemeinde das Netzwerk nur vorübergehend, sieht die Charta eine alternative "
        "Finanzierung vor.",
        "text_en": "Where the municipality’s support is temporary, the charter provides for alternative financing.",
    },
    {
        "code": "internal_rules",
        "order": 60,
        "text_nl": "Het huishoudelijk reglement is bijgevoegd en zijn versie is vermeld.",
        "text_fr": "Le règlement d’ordre intérieur est joint et sa version est indiquée.",
        "text_de": "Die Hausordnung liegt bei und ihre Version ist angegeben.",
        "text_en": "The internal rules are attached and their version is stated.",
    },
    {
        "code": "area",
        "order": 70,
        "text_nl": "Het werkingsgebied van het netwerk is duidelijk omschreven.",
        "text_fr": "La zone d’action du partenariat est clairement délimitée.",
        "text_de": "Das Gebiet des Netzwerks ist klar beschrieben.",
        "text_en": "The network’s area is clearly described.",
    },
    {
        "code": "coordinator_screened",
        "order": 80,
        "text_nl": "De coördinator is meerderjarig en werd door de politie gescreend.",
        "text_fr": "Le coordinateur est majeur et a fait l’objet d’un screening par la police.",
        "text_de": "Der Koordinator ist volljährig und wurde von der Polizei überprüft.",
        "text_en": "The coordinator is 18 or older and was screened by the police.",
    },
    {
        "code": "mandated_officer",
        "order": 90,
        "text_nl": "De gemandateerde politieambtenaar werd door de korpschef aangewezen.",
        "text_fr": "Le fonctionnaire de police mandaté a été désigné par le chef de corps.",
        "text_de": "Der beauftragte Polizeibeamte wurde vom Korpschef bestimmt.",
        "text_en": "The mandated officer was designated by the chief of police.",
    },
    {
        "code": "signatures",
        "order": 100,
        "text_nl": "Het charter is ondertekend door de coördinator, de gemandateerde politieambtenaar, de korpschef en "
        "de burgemeester.",
        "text_fr": "La charte est signée par le coordinateur, le fonctionnaire de police mandaté, le chef de corps et "
        "le bourgmestre.",
        "text_de": "Die Charta ist vom Koordinator, vom beauftragten Polizeibeamten, vom Korpschef und vom "
        "Bürgermeister unterzeichnet.",
        "text_en": "The charter is signed by the coordinator, the mandated officer, the chief of police and the mayor.",
    },
]


def checklist_seed(*, model=None, using: str = "default") -> int:
    """Add the checklist items whose code is missing; returns how many were added. Existing rows are left as ADVP
    edited them (or deactivated them)."""
    if model is None:
        from .models import ChecklistItem as model
    rows = model._default_manager.using(using)
    existing = set(rows.values_list("code", flat=True))
    missing = [model(**row) for row in CHECKLIST if row["code"] not in existing]
    rows.bulk_create(missing)
    return len(missing)


def checklist_seed_on_migrate(sender, *, apps=None, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: seeds with the model as the migrated schema has it (`flush` sends no `apps`)."""
    if apps is None:
        from django.apps import apps
    try:
        model = apps.get_model("networks", "ChecklistItem")
    except LookupError:
        return
    checklist_seed(model=model, using=using)
