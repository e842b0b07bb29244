"""practices.search_selectors: grouping per practice, reader's language, facets, published only, related."""

import pytest

from practices.choices import PracticeStatus
from practices.search_selectors import practice_latest, practice_search, related_practices

from .search_support import make_practice

pytestmark = pytest.mark.django_db


def run(q="", filters=None, sort="", language="nl", **kwargs):
    page, facets = practice_search(user=None, q=q, filters=filters or {}, sort=sort, language=language, **kwargs)
    return page, facets


def titles(page):
    return [practice.title for practice in page.object_list]


def counts(facets, facet):
    return {item.value: item.count for item in facets[facet]}


def test_it_ranks_title_matches_first():
    make_practice(title="Neighbourhood meetings", summary="Burglary was mentioned once.")
    make_practice(title="Burglary evenings")
    page, _facets = run("burglary")
    assert titles(page) == ["Burglary evenings", "Neighbourhood meetings"]
    assert page.object_list[0].search_rank > page.object_list[1].search_rank


def test_it_sorts_by_date_without_a_query_and_on_request():
    old = make_practice(title="Old burglary practice", summary="burglary burglary burglary")
    new = make_practice(title="New practice", summary="burglary")
    assert titles(run()[0]) == [new.title, old.title]
    assert titles(run("burglary", sort="date")[0]) == [new.title, old.title]
    assert titles(run("burglary")[0]) == [old.title, new.title]


def test_it_shows_one_entry_per_group_in_the_readers_language():
    original = make_practice(title="Inbraakpreventie in de wijk", language="nl")
    make_practice(title="Prévention des cambriolages", language="fr", original=original)
    page, _facets = run(language="fr")
    assert titles(page) == ["Prévention des cambriolages"]
    assert page.object_list[0].other_language is False
    page, _facets = run(language="nl")
    assert titles(page) == ["Inbraakpreventie in de wijk"]
    # German reader: no German version, the original with the note.
    page, _facets = run(language="de")
    assert titles(page) == ["Inbraakpreventie in de wijk"]
    assert page.object_list[0].other_language is True
    assert page.paginator.count == 1


def test_a_dutch_reader_finds_a_practice_only_in_french_with_the_note():
    make_practice(title="Sécurité des commerçants", language="fr")
    page, _facets = run("securite", language="nl")
    assert titles(page) == ["Sécurité des commerçants"]
    assert page.object_list[0].other_language is True


def test_a_search_in_french_finds_the_group_through_its_translation():
    original = make_practice(title="Inbraakpreventie", language="nl")
    make_practice(title="Prévention", summary="Les voisins gardent un œil sur la rue", language="fr", original=original)
    page, _facets = run("voisins", language="fr")
    assert titles(page) == ["Prévention"]
    # A Dutch reader searching the French word gets the group, shown in Dutch.
    page, _facets = run("voisins", language="nl")
    assert titles(page) == ["Inbraakpreventie"]


@pytest.mark.parametrize(
    "status",
    [PracticeStatus.DRAFT, PracticeStatus.SUBMITTED, PracticeStatus.CHANGES_REQUESTED, PracticeStatus.ARCHIVED],
)
def test_unpublished_practices_never_appear(status, personas):
    make_practice(title="Burglary hidden", status=status, themes=("scams",), language="de", index=False)
    # Even a stale index entry (a missed update) does not leak it.
    hidden = make_practice(title="Burglary hidden too", status=status, themes=("scams",), language="de", index=False)
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "INSERT INTO practices_search (rowid, title, body, language) VALUES (%s, 'Burglary', '', 'de')",
                [hidden.pk],
            )
        else:
            cursor.execute(
                "INSERT INTO practices_search (practice_id, language, document) "
                "VALUES (%s, 'de', to_tsvector('simple', 'burglary'))",
                [hidden.pk],
            )
    make_practice(title="Visible", themes=("burglary",))
    for user in (None, personas.knowledge_centre):
        for q in ("", "burglary"):
            page, facets = practice_search(user=user, q=q, filters={}, sort="", language="nl")
            assert "Burglary hidden" not in titles(page)
            assert "Burglary hidden too" not in titles(page)
            assert "scams" not in counts(facets, "theme")
            assert "de" not in counts(facets, "language")
    # A translation of a published original that is itself a draft is not shown, even to its language's readers.
    original = make_practice(title="Original")
    make_practice(title="Brouillon", language="fr", original=original, status=status)
    assert "Brouillon" not in titles(run(language="fr")[0])
    related = titles_list(related_practices(make_practice(title="Seed", themes=("scams",)), language="de", limit=10))
    assert related == ["Original", "Visible"]
    assert "Burglary hidden" not in titles_list(practice_latest(language="de"))


def titles_list(practices):
    return [practice.title for practice in practices]


def test_facet_counts_count_entries_of_the_current_result_set():
    original = make_practice(title="Burglary A", themes=("burglary", "elderly"), kinds=("residential",))
    make_practice(title="Burglary A fr", language="fr", original=original, themes=("burglary", "elderly"))
    make_practice(title="Burglary B", themes=("burglary",), kinds=("self_employed",), evidence_level="evaluated")
    make_practice(title="Scams C", themes=("scams",), kinds=("residential",), language="de")
    _page, facets = run()
    assert counts(facets, "theme") == {"burglary": 2, "elderly": 1, "scams": 1}
    assert counts(facets, "kind") == {"residential": 2, "self_employed": 1}
    assert counts(facets, "evidence") == {"anecdotal": 2, "evaluated": 1}
    assert counts(facets, "language") == {"nl": 2, "fr": 1, "de": 1}
    assert counts(facets, "region") == {"national": 3}

    # With a query: counts of what the query finds.
    _page, facets = run("burglary")
    assert counts(facets, "theme") == {"burglary": 2, "elderly": 1}
    assert counts(facets, "language") == {"nl": 2, "fr": 1}

    # A filter narrows the other facets, not its own (its values are alternatives).
    page, facets = run(filters={"kind": ["residential"]})
    assert sorted(titles(page)) == ["Burglary A", "Scams C"]
    assert counts(facets, "kind") == {"residential": 2, "self_employed": 1}
    assert counts(facets, "theme") == {"burglary": 1, "elderly": 1, "scams": 1}
    assert [item.value for item in facets["kind"] if item.selected] == ["residential"]

    page, facets = run(filters={"theme": ["scams", "elderly"]})
    assert sorted(titles(page)) == ["Burglary A", "Scams C"]
    page, facets = run(filters={"theme": ["burglary"], "evidence": ["evaluated"]})
    assert titles(page) == ["Burglary B"]
    assert counts(facets, "evidence") == {"anecdotal": 1, "evaluated": 1}


def test_it_filters_on_region_and_language(reference_data):
    from geography.models import Region

    flanders = Region.objects.get(refnis="02000")
    make_practice(title="Flemish", region=flanders)
    make_practice(title="National", language="fr")
    page, facets = run(filters={"region": ["02000"]})
    assert titles(page) == ["Flemish"]
    assert counts(facets, "region") == {"02000": 1, "national": 1}
    assert [item.label for item in facets["region"] if item.value == "02000"] == [flanders.name]
    assert titles(run(filters={"region": ["national"]})[0]) == ["National"]
    page, _facets = run(filters={"language": ["fr"]}, language="nl")
    assert titles(page) == ["National"]


def test_a_query_of_punctuation_finds_nothing():
    make_practice(title="Burglary")
    page, facets = run('"*()-')
    assert titles(page) == []
    assert all(values == [] for values in facets.values())


def test_it_paginates_by_20():
    for number in range(23):
        make_practice(title=f"Practice {number}")
    page, _facets = run()
    assert len(page.object_list) == 20
    assert page.paginator.count == 23
    page, _facets = run(page=2)
    assert len(page.object_list) == 3
    page, _facets = run("practice", page=2)
    assert len(page.object_list) == 3
    page, _facets = run(page=99)  # out of range: the last page
    assert page.number == 2


def test_related_practices_share_themes_then_kind():
    practice = make_practice(title="Seed", themes=("burglary", "elderly"), kinds=("residential",))
    translation = make_practice(title="Seed fr", language="fr", original=practice, themes=("burglary", "elderly"))
    two = make_practice(title="Two themes", themes=("burglary", "elderly"), kinds=("sectoral",))
    one = make_practice(title="One theme", themes=("elderly",), kinds=("sectoral",))
    kind = make_practice(title="Same kind", themes=("scams",), kinds=("residential",))
    make_practice(title="Unrelated", themes=("scams",), kinds=("sectoral",))
    make_practice(title="Draft", themes=("burglary", "elderly"), status=PracticeStatus.DRAFT)
    related = related_practices(practice, language="nl")
    assert titles_list(related) == [two.title, one.title, kind.title]
    assert titles_list(related_practices(translation, limit=1, language="nl")) == [two.title]
    # A translation of a related practice is shown instead in the reader's language.
    make_practice(title="Deux thèmes", language="fr", original=two, themes=("burglary",))
    assert titles_list(related_practices(practice, language="fr"))[0] == "Deux thèmes"


def test_practice_latest_gives_the_newest_groups_in_the_readers_language():
    first = make_practice(title="First")
    make_practice(title="Premier", language="fr", original=first)
    make_practice(title="Second")
    make_practice(title="Brouillon", status=PracticeStatus.DRAFT)
    assert titles_list(practice_latest(language="fr")) == ["Second", "Premier"]
    assert titles_list(practice_latest(language="nl")) == ["Second", "First"]
    assert titles_list(practice_latest(language="nl", limit=1)) == ["Second"]
