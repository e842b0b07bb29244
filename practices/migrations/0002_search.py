"""The full-text index of the published practices (see practices/search.py): an FTS5 table on SQLite, a table
with a weighted tsvector and a GIN index on PostgreSQL. Filled from the practices already published."""

import unicodedata

from django.db import migrations

TEXT_FIELDS = ("summary", "problem", "actions", "duration", "worked", "difficulties", "costs", "results", "contact")


def _fold(text):
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def create_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS practices_search USING fts5("
            "title, body, language UNINDEXED, tokenize = 'unicode61 remove_diacritics 2')"
        )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE TABLE IF NOT EXISTS practices_search ("
            "practice_id bigint PRIMARY KEY, language varchar(5) NOT NULL, document tsvector NOT NULL)"
        )
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS practices_search_document_idx ON practices_search USING gin (document)"
        )
    else:
        return
    Practice = apps.get_model("practices", "Practice")
    with schema_editor.connection.cursor() as cursor:
        for practice in Practice.objects.filter(status="published").iterator():
            body = "\n".join(getattr(practice, field) or "" for field in TEXT_FIELDS)
            if vendor == "sqlite":
                cursor.execute(
                    "INSERT INTO practices_search (rowid, title, body, language) VALUES (%s, %s, %s, %s)",
                    [practice.pk, practice.title, body, practice.language],
                )
            else:
                cursor.execute(
                    "INSERT INTO practices_search (practice_id, language, document) VALUES (%s, %s, "
                    "setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'))",
                    [practice.pk, practice.language, _fold(practice.title), _fold(body)],
                )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor in ("sqlite", "postgresql"):
        schema_editor.execute("DROP TABLE IF EXISTS practices_search")


# The library's reads (filters, facet counts, grouping per original, sorting by date) touch only these columns: a
# covering index keeps them off the table's wide rows (the Markdown text), ~5x faster at 10,000 practices.
LIBRARY_INDEX = (
    "CREATE INDEX IF NOT EXISTS practice_library_idx ON practices_practice "
    "(status, published_at, original_id, language, evidence_level, region_id, id)"
)


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [
        migrations.RunPython(create_index, drop_index),
        migrations.RunSQL(LIBRARY_INDEX, "DROP INDEX IF EXISTS practice_library_idx"),
    ]
