"""Full-text search of the published practices, behind one interface for SQLite (FTS5) and PostgreSQL.

The index holds one row per *published* practice (one language each): its title, the text of all its template
fields, and its language. Services keep it in step: `search_index_update(practice)` after every change of a
practice (it indexes a published practice and drops any other), `search_index_remove(practice_id)` before a
practice is deleted. `manage.py rebuild_practice_index` rebuilds it from the database.

Search is accent- and case-insensitive in every language: SQLite's `unicode61 remove_diacritics 2` tokenizer does
it there; on PostgreSQL the text and the query are folded in Python (no `unaccent` extension needed) and indexed
with the `simple` configuration. Query text is never passed to the full-text query parser as written: it is cut
into words (letters and digits only), and each word is quoted (SQLite) or reduced to its letters (PostgreSQL), so
FTS operators typed by a reader (quotes, `*`, `NEAR`, parentheses, `-`) are plain text. A word matches as a
prefix ("cambriol" finds "cambriolage"); all words must match. The title weighs more than the body.
"""

from __future__ import annotations

# ruff: noqa: S608 - SQL is built from constants (the index table's name); every value is a parameter.
import re
import unicodedata
from collections.abc import Iterable

from django.db import connection

from .choices import PracticeStatus
from .models import TEXT_FIELDS, Practice

TABLE = "practices_search"
# bm25 column weights (title, body, language) on SQLite; PostgreSQL weighs the title A and the body D.
TITLE_WEIGHT = 10.0
BODY_WEIGHT = 1.0
MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Lower case without diacritics: "Sécurité" -> "securite" (what the SQLite tokenizer does, in Python)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def query_terms(query: str | None) -> list[str]:
    """The words of a reader's query, folded, without duplicates, at most MAX_TERMS; [] when there is no word."""
    terms: list[str] = []
    for word in _WORD.findall(fold(query or "")):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_TERMS]


def practice_body(practice: Practice) -> str:
    return "\n".join(getattr(practice, field) or "" for field in TEXT_FIELDS)


def _vendor() -> str:
    return connection.vendor


# --- keeping the index in step -------------------------------------------------------------------------------


def search_index_update(practice: Practice) -> None:
    """Index `practice` if it is published, drop it from the index otherwise. Call it after every change of a
    practice (create, edit, publish, archive, translate), inside the service's transaction."""
    search_index_remove(practice.pk)
    if practice.status != PracticeStatus.PUBLISHED:
        return
    _insert_rows([(practice.pk, practice.title, practice_body(practice), practice.language)])


def search_index_remove(practice_id: int) -> None:
    """Drop one practice from the index (no error when it is not there)."""
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.execute(f"DELETE FROM {TABLE} WHERE rowid = %s", [practice_id])  # nosec B608  # fixed table name; values bound
        else:
            cursor.execute(f"DELETE FROM {TABLE} WHERE practice_id = %s", [practice_id])  # nosec B608  # fixed table name; values bound


def search_index_rebuild(*, batch_size: int = 1000) -> int:
    """Empty the index and index every published practice again; returns how many were indexed."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # nosec B608  # fixed table name
    count = 0
    queryset = Practice.objects.filter(status=PracticeStatus.PUBLISHED).only("id", "title", "language", *TEXT_FIELDS)
    batch: list[tuple[int, str, str, str]] = []
    for practice in queryset.order_by("pk").iterator(chunk_size=batch_size):
        batch.append((practice.pk, practice.title, practice_body(practice), practice.language))
        if len(batch) >= batch_size:
            count += _insert_rows(batch)
            batch = []
    count += _insert_rows(batch)
    return count


def _insert_rows(rows: Iterable[tuple[int, str, str, str]]) -> int:
    rows = list(rows)
    if not rows:
        return 0
    with connection.cursor() as cursor:
        if _vendor() == "sqlite":
            cursor.executemany(
                f"INSERT INTO {TABLE} (rowid, title, body, language) VALUES (%s, %s, %s, %s)",  # nosec B608  # fixed table name; values bound
                rows,
            )
        else:
            cursor.executemany(
                f"INSERT INTO {TABLE} (practice_id, language, document) VALUES "  # nosec B608  # fixed table name; values bound
                "(%s, %s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'D'))",
                [(pk, language, fold(title), fold(body)) for pk, title, body, language in rows],
            )
    return len(rows)


# --- querying ------------------------------------------------------------------------------------------------


def _match_expression(terms: list[str]) -> str:
    if _vendor() == "sqlite":
        # Each word quoted (a quote inside is doubled, although _WORD lets none through) and matched as a prefix.
        return " ".join('"{}"*'.format(term.replace('"', '""')) for term in terms)
    return " & ".join(f"{term}:*" for term in terms)


def matching_ids_sql(query: str | None) -> tuple[str, list] | None:
    """A subquery selecting the ids of the indexed practices matching `query`, for `id__in=RawSQL(...)`;
    None when the query has no word (then nothing matches)."""
    terms = query_terms(query)
    if not terms:
        return None
    if _vendor() == "sqlite":
        return f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [_match_expression(terms)]  # nosec B608  # fixed table name; query bound
    return (
        f"SELECT practice_id FROM {TABLE} WHERE document @@ to_tsquery('simple', %s)",  # nosec B608  # fixed table name; query bound
        [_match_expression(terms)],
    )


def search(query: str | None, *, language: str | None = None) -> list[tuple[int, float]]:
    """(practice id, rank) of the indexed practices matching `query`, best first (a higher rank is better);
    [] when the query has no word. `language` keeps only the practices written in that language."""
    terms = query_terms(query)
    if not terms:
        return []
    params: list = [_match_expression(terms)]
    if _vendor() == "sqlite":
        sql = (
            f"SELECT rowid, -bm25({TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0) AS score FROM {TABLE} "  # nosec B608  # fixed table name and weights; query bound
            f"WHERE {TABLE} MATCH %s"
        )
        if language:
            sql += " AND language = %s"
            params.append(language)
        sql += " ORDER BY score DESC, rowid DESC"
    else:
        sql = (
            "SELECT practice_id, ts_rank_cd(document, query) AS score "  # nosec B608  # fixed table name; query bound
            f"FROM {TABLE}, to_tsquery('simple', %s) AS query WHERE document @@ query"
        )
        if language:
            sql += " AND language = %s"
            params.append(language)
        sql += " ORDER BY score DESC, practice_id DESC"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
