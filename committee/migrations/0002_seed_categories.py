"""The committee's seat categories as the 2025 agreement describes them (domain brief §7.2). ADVP edits them in the
application afterwards; this only creates the ones that are missing."""

from django.db import migrations

CATEGORIES = [
    # code, seats, order, nl, fr, de, en, note
    (
        "chair",
        1,
        10,
        "Voorzitter (ADVP)",
        "Présidence (DGSP)",
        "Vorsitz (ADVP)",
        "Chair (ADVP)",
        "FOD Binnenlandse Zaken – ADVP",
    ),
    ("police-zones", 3, 20, "Politiezones met een BIN", "Zones de police avec un PLP", "Polizeizonen mit einem BIN",
     "Police zones with a BIN", ""),
    ("coordinators", 3, 30, "BIN-coördinatoren", "Coordinateurs PLP", "BIN-Koordinatoren", "BIN coordinators", ""),
    ("self-employed", 2, 40, "Zelfstandigenorganisaties", "Organisations d'indépendants",
     "Selbstständigenorganisationen", "Self-employed organisations", ""),
    ("vclp", 1, 50, "Vaste Commissie van de Lokale Politie (VCLP)", "Commission permanente de la police locale (CPPL)",
     "Ständige Kommission der lokalen Polizei (SKLP)", "Standing Committee of the Local Police (VCLP)", ""),
    ("federal-police", 3, 60, "Federale politie", "Police fédérale", "Föderale Polizei", "Federal police", ""),
    ("knowledge-centre", 2, 70, "vzw BIN Kenniscentrum", "asbl Centre d'Expertise PLP", "BIN-Wissenszentrum",
     "Knowledge Centre BIN", ""),
    ("provinces", 2, 80, "Provincies (in beurtrol)", "Provinces (par rotation)", "Provinzen (im Wechsel)",
     "Provinces (in rotation)", "By mutual agreement between the provinces."),
]


def seed(apps, schema_editor):
    SeatCategory = apps.get_model("committee", "SeatCategory")
    for code, seats, order, nl, fr, de, en, note in CATEGORIES:
        SeatCategory.objects.get_or_create(
            code=code,
            defaults={"seats": seats, "order": order, "name_nl": nl, "name_fr": fr, "name_de": de, "name_en": en,
                      "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("committee", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
