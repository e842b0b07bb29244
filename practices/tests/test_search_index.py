"""practices.search: the full-text index and its queries (SQLite FTS5 / PostgreSQL)."""

import io

import pytest
from django.core.management import call_command

from practices.choices import PracticeStatus
from practices.models import Practice
from practices.search import (
    fold,
    query_terms,
    search,
    search_index_rebuild,
    search_index_remove,
    search_index_update,
)

from .search_support import make_practice

pytestmark = pytest.mark.django_db


def ids(query, **kwargs):
    return [pk for pk, _rank in search(query, **kwargs)]


def test_it_ranks_a_title_match_before_a_single_mention_in_the_body():
    body_only = make_practice(title="Neighbourhood meetings", summary="We also talked about burglary once.")
    in_title = make_practice(title="Burglary prevention evenings", summary="Evenings with residents.")
    assert ids("burglary") == [in_title.pk, body_only.pk]
    results = search("burglary")
    assert results[0][1] > results[1][1]


def test_it_is_accent_and_case_insensitive():
    practice = make_practice(title="Sécurité des commerçants", language="fr")
    for query in ("securite", "SECURITE", "Sécurité", "sécurité", "commercants"):
        assert ids(query) == [practice.pk], query


def test_it_matches_words_as_prefixes_and_needs_every_word():
    practice = make_practice(title="Cambriolages en été", language="fr", summary="Porte à porte")
    make_practice(title="Cambriolages la nuit", language="fr")
    assert practice.pk in ids("cambriol")
    assert ids("cambriolages porte") == [practice.pk]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "'",
        "*",
        "burglary*",
        "NEAR(a b)",
        "a NEAR b",
        "(",
        ")",
        "(burglary",
        "-",
        "- -",
        "a -b",
        "AND",
        "OR OR",
        "NOT",
        "title:burglary",
        "^burglary",
        "{x}",
        "[]",
        "\\",
        "%",
        "_",
        ";",
        "'; DROP TABLE x; --",
        "é",
    ],
)
def test_it_takes_fts_syntax_as_plain_text(query):
    make_practice(title="Burglary and NEAR things")
    search(query)  # no error, whatever the result


def test_it_returns_nothing_for_punctuation_only():
    make_practice(title="Burglary")
    for query in ("", "   ", "-", '"', "*", "()", "?!", None):
        assert search(query) == []
        assert query_terms(query) == []


def test_it_filters_on_language():
    nl = make_practice(title="Inbraak", language="nl")
    make_practice(title="Inbraak de", language="de")
    assert ids("inbraak", language="nl") == [nl.pk]


def test_it_indexes_only_published_practices():
    draft = make_practice(title="Burglary draft", status=PracticeStatus.DRAFT)
    submitted = make_practice(title="Burglary submitted", status=PracticeStatus.SUBMITTED)
    assert ids("burglary") == []
    draft.status = PracticeStatus.PUBLISHED
    draft.published_at = draft.created_at
    draft.save()
    search_index_update(draft)
    assert ids("burglary") == [draft.pk]
    search_index_update(submitted)
    assert ids("burglary") == [draft.pk]


def test_it_follows_archive_and_edits():
    practice = make_practice(title="Burglary watch")
    practice.title = "Scam watch"
    practice.save()
    search_index_update(practice)
    assert ids("burglary") == []
    assert ids("scam") == [practice.pk]
    practice.status = PracticeStatus.ARCHIVED
    practice.save()
    search_index_update(practice)
    assert ids("scam") == []


def test_it_removes_a_practice():
    practice = make_practice(title="Burglary")
    search_index_remove(practice.pk)
    search_index_remove(practice.pk)  # not there any more: no error
    assert ids("burglary") == []


def test_it_rebuilds_the_index():
    published = make_practice(title="Burglary one", index=False)
    make_practice(title="Burglary draft", status=PracticeStatus.DRAFT, index=False)
    assert ids("burglary") == []
    assert search_index_rebuild() == 1
    assert ids("burglary") == [published.pk]
    Practice.objects.filter(pk=published.pk).update(title="Scams")
    call_command("rebuild_practice_index", stdout=io.StringIO())
    assert ids("scams") == [published.pk]
    assert ids("burglary") == []


def test_it_indexes_every_text_field():
    practice = make_practice(title="T", costs="The municipality paid the stickers", contact="Jan Peeters")
    assert ids("stickers") == [practice.pk]
    assert ids("peeters") == [practice.pk]


def test_fold_strips_diacritics_and_case():
    assert fold("Sécurité À Çà Über") == "securite a ca uber"
