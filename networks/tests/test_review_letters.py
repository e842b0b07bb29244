"""The letters on a decision: language from the main municipality, official wording, shipped fonts."""

import io

import pytest
from pypdf import PdfReader

from networks.models import Letter
from networks.services.letters import FONTS, letter_language

from .charter_fixtures import (
    add_partners,
    make_network,
    pdf_text,
    submitted_charter,
)

pytestmark = pytest.mark.django_db


def _letters(personas, decide, refnis: str, name: str, **decision):
    network = make_network(personas.advp_admin, refnis=refnis, name=name)
    add_partners(network, actor=personas.advp_admin)
    charter = submitted_charter(network, actor=personas.advp_admin)
    review = decide(charter, **decision)
    return {letter.recipient: letter for letter in Letter.objects.filter(review=review)}


def _text(letter: Letter) -> str:
    with letter.pdf.open("rb") as pdf:
        return pdf_text(pdf.read())


@pytest.mark.parametrize(
    ("refnis", "language", "chief_lines", "mayor_lines"),
    [
        (
            "44021",
            "nl",
            [
                "FOD Binnenlandse Zaken",
                "Algemene Directie Veiligheid en Preventie",
                "Waterloolaan 76, 1000 Brussel",
                "Aan de korpschef",
                "Geachte korpschef,",
                "conform werd bevonden",
                "Met de meeste hoogachting,",
                "Afschrift: de burgemeester van Gent",
            ],
            ["Aan de burgemeester", "Gemeente Gent", "Geachte burgemeester,"],
        ),
        (
            "92094",
            "fr",
            [
                "SPF Intérieur",
                "Direction générale Sécurité et Prévention",
                "Boulevard de Waterloo 76, 1000 Bruxelles",
                "Au chef de corps",
                "Madame, Monsieur le Chef de corps,",
                "a été jugée conforme",
                "l’expression de ma considération distinguée",
                "au bourgmestre de Namur",
            ],
            ["Au bourgmestre", "Commune de Namur", "Madame, Monsieur le Bourgmestre,"],
        ),
        (
            "63023",
            "de",
            [
                "FÖD Inneres",
                "Generaldirektion Sicherheit und Vorbeugung",
                "An den Korpschef",
                "sehr geehrter Herr Korpschef,",
                "für konform befunden",
                "Mit vorzüglicher Hochachtung",
                "an den Bürgermeister der Gemeinde Eupen",
            ],
            ["An den Bürgermeister", "Gemeinde Eupen", "sehr geehrter Herr Bürgermeister,"],
        ),
    ],
)
def test_letters_are_written_in_the_language_of_the_main_municipality(
    personas, decide, refnis, language, chief_lines, mayor_lines
):
    letters = _letters(personas, decide, refnis, "Centrum")

    assert {letter.language for letter in letters.values()} == {language}
    chief = _text(letters["chief_of_police"])
    for line in chief_lines:
        assert line in chief, line
    assert letters["chief_of_police"].reference in chief and "Centrum" in chief
    mayor = _text(letters["mayor"])
    for line in mayor_lines:
        assert line in mayor, line


def test_brussels_gets_one_letter_in_dutch_then_french(personas, decide):
    letters = _letters(personas, decide, "21004", "Vijfhoek")
    letter = letters["mayor"]

    assert letter_language(letter.network.municipality) == "nl+fr" and letter.language == "nl+fr"
    with letter.pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    assert len(reader.pages) >= 2
    first, last = reader.pages[0].extract_text(), reader.pages[-1].extract_text()
    assert "FOD Binnenlandse Zaken" in first and "Gemeente Brussel" in first and "Geachte burgemeester," in first
    assert "SPF Intérieur" in last and "Commune de Bruxelles" in last and "Madame, Monsieur le Bourgmestre," in last


def test_changes_needed_lists_the_items_in_the_letter_language(personas, decide):
    letters = _letters(
        personas,
        decide,
        "92094",
        "Citadelle",
        decision="changes_needed",
        unsatisfied=("budget_plan", "signatures"),
        remark="Précisez qui paie les SMS.",
    )
    text = _text(letters["chief_of_police"])

    assert "ne satisfait pas encore à toutes les exigences formelles" in text
    assert "Le plan budgétaire mentionne les coûts et qui les prend en charge." in text
    assert "La charte est signée par le coordinateur" in text
    assert "Précisez qui paie les SMS." in text
    assert "a été jugée conforme" not in text


def test_what_a_reviewer_types_stays_text(personas, decide):
    letters = _letters(
        personas,
        decide,
        "44021",
        "Patershol",
        decision="changes_needed",
        unsatisfied=("area",),
        remark='<img src="file:///etc/passwd"> <b>vet</b>',
    )
    text = _text(letters["mayor"])

    assert '<img src="file:///etc/passwd">' in text and "<b>vet</b>" in text


def test_letters_use_the_fonts_shipped_in_the_repository(personas, decide):
    letters = _letters(personas, decide, "44021", "Sint-Pieters")
    with letters["mayor"].pdf.open("rb") as pdf:
        reader = PdfReader(io.BytesIO(pdf.read()))
    fonts = {
        str(font.get_object()["/BaseFont"]) for page in reader.pages for font in page["/Resources"]["/Font"].values()
    }
    # Embedded under the @font-face family name: the shipped files were loaded, not a system font.
    assert fonts and all(font.endswith(("Letter-Sans", "Letter-Sans-Bold")) for font in fonts)
    assert all(url.startswith("file://") and "networks/letters/fonts/" in url for url in FONTS.values())
