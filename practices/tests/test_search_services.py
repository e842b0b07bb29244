"""The search index follows the CORE services: submit → publish → found; archive → gone; translate → found in its
language; and the library shows the translation to its readers."""

import pytest

from practices.search import search
from practices.search_selectors import practice_search

services = pytest.importorskip("practices.services.practice")

pytestmark = pytest.mark.django_db

DATA = {
    "title": "Sécurité des commerçants du centre",
    "language": "fr",
    "summary": "Les commerçants préviennent leurs voisins.",
    "problem": "Des vols à l'étalage répétés.",
    "actions": "Un groupe de messagerie entre commerçants.",
    "results": "Moins de vols signalés.",
}


def ids(query):
    return [pk for pk, _rank in search(query)]


def test_the_index_follows_publish_archive_and_translate(personas):
    practice = services.practice_create(actor=personas.coordinator, data=DATA, themes=["scams"], kinds=["residential"])
    assert ids("securite") == []  # a draft is not indexed
    practice = services.practice_submit(actor=personas.coordinator, practice=practice)
    assert ids("securite") == []
    practice = services.practice_publish(actor=personas.knowledge_centre, practice=practice)
    assert ids("SECURITE") == [practice.pk]

    translation = services.practice_translate(
        actor=personas.knowledge_centre,
        original=practice,
        language="nl",
        data={**DATA, "title": "Veiligheid van de handelaars", "summary": "De handelaars verwittigen hun buren."},
    )
    translation.refresh_from_db()
    if translation.status == "published":
        assert ids("handelaars") == [translation.pk]
        page, _facets = practice_search(user=None, q="securite", filters={}, sort="", language="nl")
        assert [entry.pk for entry in page.object_list] == [translation.pk]

    services.practice_archive(actor=personas.knowledge_centre, practice=practice)
    assert ids("securite") == []
    page, _facets = practice_search(user=None, q="securite", filters={}, sort="", language="fr")
    assert [entry.pk for entry in page.object_list if entry.pk == practice.pk] == []
