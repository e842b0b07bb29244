"""Seeding the demo practices, and the generator of practices for benchmarks."""

import pytest
from django.core.management import call_command

from practices.choices import Facet, PracticeStatus
from practices.demo import (
    DEMO_AUTHOR_EMAIL,
    demo_practices_seed,
    generate_practices,
    load_demo_groups,
    practice_rows,
)
from practices.models import TEXT_FIELDS, Practice, PracticeRevision, PracticeTag

pytestmark = pytest.mark.django_db


def corpus_counts():
    groups = load_demo_groups()
    translations = sum(len(group["versions"]) - 1 for group in groups)
    return len(groups), translations


def test_it_creates_the_corpus_as_published_practices_of_the_knowledge_centre():
    originals, translations = corpus_counts()

    result = demo_practices_seed()

    assert result["created"] == originals + translations
    assert result["originals"] == originals and result["translations"] == translations
    assert result["skipped"] == 0
    practices = Practice.objects.all()
    assert practices.count() == originals + translations
    assert set(practices.values_list("status", flat=True)) == {PracticeStatus.PUBLISHED}
    assert set(practices.values_list("author__email", flat=True)) == {DEMO_AUTHOR_EMAIL}
    assert Practice.objects.filter(original__isnull=True).count() == originals
    assert PracticeRevision.objects.filter(number=1).count() == originals + translations
    for practice in practices:
        assert practice.published_at and practice.created_at < practice.submitted_at < practice.published_at
        assert practice.updated_at == practice.published_at
        for field in ("title", *TEXT_FIELDS):
            assert getattr(practice, field).strip()


def test_translations_point_at_their_original_and_share_its_facets():
    demo_practices_seed()
    group = next(group for group in load_demo_groups() if len(group["versions"]) == 3)
    first, *others = group["versions"]
    original = Practice.objects.get(title=group["versions"][first]["title"], language=first)
    translations = Practice.objects.filter(original=original)
    assert sorted(translations.values_list("language", flat=True)) == sorted(others)
    expected = {(Facet.THEME, theme) for theme in group["themes"]} | {(Facet.KIND, kind) for kind in group["kinds"]}
    for practice in [original, *translations]:
        assert set(practice.tags.values_list("facet", "value")) == expected
        assert practice.region == original.region and practice.evidence_level == group["evidence_level"]
        assert practice.published_at >= original.published_at
    assert (original.region.refnis if original.region else None) == group["region"]


def test_seeding_twice_adds_nothing():
    demo_practices_seed()
    counts = (Practice.objects.count(), PracticeTag.objects.count(), PracticeRevision.objects.count())

    result = demo_practices_seed()

    assert result["created"] == 0 and result["skipped"] == len(load_demo_groups())
    assert (Practice.objects.count(), PracticeTag.objects.count(), PracticeRevision.objects.count()) == counts


def test_a_missing_translation_is_added_to_its_original():
    demo_practices_seed()
    translation = Practice.objects.filter(original__isnull=False).order_by("pk").first()
    original_id, language = translation.original_id, translation.language
    translation.delete()

    result = demo_practices_seed()

    assert result["created"] == 1 and result["translations"] == 1
    assert Practice.objects.filter(original_id=original_id, language=language).count() == 1


def test_the_demo_practices_are_found_by_search_when_the_index_exists():
    result = demo_practices_seed()
    search = pytest.importorskip("practices.search")
    if result["indexed"] is not True:
        pytest.skip("the search index table is not migrated yet")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {search.TABLE}")  # noqa: S608 - a constant
        assert cursor.fetchone()[0] == Practice.objects.count()


def test_seed_demo_command_prints_the_practices_line(capsys, settings):
    settings.BINPLP_DEMO_NETWORKS_SCALE = 0.001
    call_command("seed_demo")
    out = capsys.readouterr().out
    originals, translations = corpus_counts()
    assert f"Demo good practices: {originals + translations} created" in out
    assert Practice.objects.count() == originals + translations


def test_the_generator_is_deterministic_and_varied():
    rows = practice_rows(300, seed=7)

    assert len(rows) == 300
    assert rows == practice_rows(300, seed=7)
    assert rows != practice_rows(300, seed=8)
    assert {row["language"] for row in rows} == {"nl", "fr", "de"}
    assert len({row["title"] for row in rows}) > 200
    corpus_titles = {v["title"] for g in load_demo_groups() for v in g["versions"].values()}
    assert not corpus_titles & {row["title"] for row in rows}
    translations = [row for row in rows if row["original_ref"] is not None]
    assert 10 <= len(translations) <= 60
    refs = {row["ref"]: row for row in rows}
    for row in translations:
        assert refs[row["original_ref"]]["original_ref"] is None
        assert refs[row["original_ref"]]["language"] != row["language"]
    for row in rows:
        assert all(row[field].strip() for field in TEXT_FIELDS)
        assert 1 <= len(row["themes"]) <= 4 and row["kinds"]


def test_generate_practices_writes_n_published_practices_with_tags():
    ids = generate_practices(250, seed=11)

    assert len(ids) == 250
    practices = Practice.objects.filter(pk__in=ids)
    assert practices.count() == 250
    assert set(practices.values_list("status", flat=True)) == {PracticeStatus.PUBLISHED}
    assert PracticeTag.objects.filter(practice_id__in=ids, facet=Facet.THEME).values("practice").distinct().count()
    assert not PracticeTag.objects.filter(practice_id__in=ids).values("practice").distinct().count() < 250
    assert not PracticeRevision.objects.filter(practice_id__in=ids).exists()
    rows = practice_rows(250, seed=11)
    by_pk = {practice.pk: practice for practice in practices}
    assert [by_pk[pk].title for pk in ids] == [row["title"] for row in rows]
    translated = practices.filter(original__isnull=False)
    assert translated.count() == sum(1 for row in rows if row["original_ref"] is not None)


def test_scale_rows_tops_the_generated_practices_up_once():
    originals, translations = corpus_counts()

    first = demo_practices_seed(scale_rows=120)
    second = demo_practices_seed(scale_rows=120)

    assert first["generated"] == 120 and second["generated"] == 0
    assert Practice.objects.count() == originals + translations + 120
