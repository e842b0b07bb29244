"""Demo good practices: 32 practices written for this project (14 Dutch, 12 French and 6 German originals, 10
translations), and a generator that recombines them into as many practices as a benchmark needs.

The corpus (`practices/demo_data/practices.json`) is a list of groups, one per practice::

    {"key": "nl-koud-warm-bericht",          # stable slug, not stored
     "themes": ["communication", ...],        # practices.choices.Theme values
     "kinds": ["residential", ...],           # networks.choices.NetworkKind values
     "region": "02000" | null,                # REFNIS code of the region; null = national / several regions
     "evidence_level": "monitored",           # practices.choices.EvidenceLevel value
     "published": "2024-05-14",               # publication date of the original
     "versions": {"nl": {...}, "fr": {...}}}  # per language: title + every TEXT_FIELDS field

The first language listed is the original; the others are translations (Practice rows with `original=`), published
three weeks after it. Every field of every version is filled (Markdown, short lists), contacts are roles ("the
coordinator, via the local police"), never a person, a phone number or an e-mail address; the texts keep the
domain's rules (urgent matters to 101/112, the police assess information, no patrols, no recognisable photos or
number plates shared). The settings are real Belgian municipalities; the networks and figures are fictional.

`demo_practices_seed()` writes the corpus as published practices of the demo Knowledge Centre account
(kenniscentrum@demo.binplp.be, created by `accounts.demo.demo_seed` when missing): one revision each, one
PracticeTag per theme and per kind (translations carry their original's tags, region and evidence level), then
indexes them for search (`practices.search.search_index_update`, skipped when that module is absent). Idempotent:
a group whose original title the demo author already has is skipped.

`generate_practices(n, seed=...)` writes `n` more published practices for benchmarks (10,000 in bench/), built
from the corpus by recombination — see its docstring; `practice_rows(n, seed=...)` gives the same rows as plain
dicts without touching the database. `demo_practices_seed(scale_rows=n)` tops the demo author's generated
practices up to `n` with it.
"""

from __future__ import annotations

import datetime
import functools
import json
import random
import re
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone

from .choices import Facet, PracticeStatus
from .models import TEXT_FIELDS, Practice, PracticeRevision, PracticeTag

DATA_FILE = Path(__file__).resolve().parent / "demo_data" / "practices.json"
DEMO_AUTHOR_EMAIL = "kenniscentrum@demo.binplp.be"
VERSION_FIELDS = ("title", *TEXT_FIELDS)
LANGUAGES = ("nl", "fr", "de")
SEED = 2026
BRUSSELS = ZoneInfo("Europe/Brussels")
TRANSLATION_DELAY = datetime.timedelta(days=21)
# Generated practices are published between these dates.
GENERATED_FROM = datetime.date(2024, 1, 8)
GENERATED_TO = datetime.date(2026, 11, 27)
# Share of generated originals that also get a translation (made of the corpus' own translations).
GENERATED_TRANSLATION_SHARE = 0.12

# Settings for generated titles, "<corpus title> (<place>)": municipalities per language (Wallonia's German-speaking
# ones for "de"), with their region's REFNIS code.
PLACES: dict[str, tuple[tuple[str, str], ...]] = {
    "nl": tuple(
        (name, "02000")
        for name in (
            "Aalst",
            "Beveren",
            "Bilzen",
            "Bornem",
            "Brugge",
            "Deinze",
            "Dendermonde",
            "Diest",
            "Eeklo",
            "Geel",
            "Gent",
            "Halle",
            "Hasselt",
            "Heist-op-den-Berg",
            "Ieper",
            "Izegem",
            "Kapellen",
            "Knokke-Heist",
            "Leuven",
            "Lokeren",
            "Maasmechelen",
            "Menen",
            "Mol",
            "Ninove",
            "Oostende",
            "Oudenaarde",
            "Roeselare",
            "Ronse",
            "Schoten",
            "Sint-Truiden",
            "Tielt",
            "Tienen",
            "Tongeren",
            "Torhout",
            "Vilvoorde",
            "Waregem",
            "Wevelgem",
            "Wetteren",
            "Zaventem",
            "Zottegem",
        )
    )
    + (("Jette", "04000"), ("Evere", "04000"), ("Ganshoren", "04000")),
    "fr": tuple(
        (name, "03000")
        for name in (
            "Arlon",
            "Ath",
            "Bastogne",
            "Binche",
            "Braine-le-Comte",
            "Charleroi",
            "Chimay",
            "Dinant",
            "Durbuy",
            "Enghien",
            "Fleurus",
            "Herve",
            "Huy",
            "La Louvière",
            "Libramont-Chevigny",
            "Marche-en-Famenne",
            "Mouscron",
            "Namur",
            "Nivelles",
            "Philippeville",
            "Rixensart",
            "Seraing",
            "Soignies",
            "Spa",
            "Tournai",
            "Tubize",
            "Verviers",
            "Virton",
            "Waremme",
            "Wavre",
        )
    )
    + tuple((name, "04000") for name in ("Anderlecht", "Forest", "Ixelles", "Uccle", "Watermael-Boitsfort")),
    "de": tuple(
        (name, "03000")
        for name in (
            "Amel",
            "Büllingen",
            "Burg-Reuland",
            "Bütgenbach",
            "Eupen",
            "Kelmis",
            "Lontzen",
            "Raeren",
            "Sankt Vith",
        )
    ),
}
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ\"«„])")


@functools.cache
def load_demo_groups() -> tuple[dict, ...]:
    """The corpus as read from the JSON file (cached; do not mutate)."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        return tuple(json.load(handle))


def _published_at(day: str | datetime.date, hour: int = 10) -> datetime.datetime:
    if isinstance(day, str):
        day = datetime.date.fromisoformat(day)
    return datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=BRUSSELS)


def _demo_author():
    from accounts.models import User

    author = User.objects.filter(email__iexact=DEMO_AUTHOR_EMAIL).first()
    if author is None:
        from accounts.demo import demo_seed

        demo_seed()
        author = User.objects.get(email__iexact=DEMO_AUTHOR_EMAIL)
    return author


def _regions() -> dict[str, object]:
    from geography.models import Region

    return {region.refnis: region for region in Region.objects.all()}


def _practice(row: dict, *, author, regions: dict, original_id: int | None = None) -> Practice:
    published_at = row["published_at"]
    return Practice(
        original_id=original_id,
        language=row["language"],
        status=PracticeStatus.PUBLISHED,
        author=author,
        evidence_level=row["evidence_level"],
        region=regions.get(row["region"]) if row["region"] else None,
        created_at=published_at - datetime.timedelta(days=row.get("created_days_before", 30)),
        submitted_at=published_at - datetime.timedelta(days=row.get("submitted_days_before", 7)),
        published_at=published_at,
        **{field: row[field] for field in VERSION_FIELDS},
    )


def _tags(practice_id: int, row: dict) -> list[PracticeTag]:
    return [PracticeTag(practice_id=practice_id, facet=Facet.THEME, value=value) for value in row["themes"]] + [
        PracticeTag(practice_id=practice_id, facet=Facet.KIND, value=value) for value in row["kinds"]
    ]


def _write(
    rows: list[dict], *, author, revisions: bool, batch_size: int = 1000, known: dict[int, int] | None = None
) -> list[int]:
    """Create the practices of `rows` (originals before their translations; a translation names its original's
    `ref` in `original_ref`, found among `rows` or in `known`: ref → id of a practice already there) with their
    tags, and revision 1 when asked. Returns the new ids in row order."""
    regions = _regions()
    ids: dict[int, int] = dict(known or {})
    now = timezone.now()
    with transaction.atomic():
        for translations in (False, True):
            todo = [row for row in rows if (row.get("original_ref") is not None) is translations]
            for start in range(0, len(todo), batch_size):
                batch = todo[start : start + batch_size]
                practices = [
                    _practice(
                        row,
                        author=author,
                        regions=regions,
                        original_id=ids[row["original_ref"]] if translations else None,
                    )
                    for row in batch
                ]
                Practice.objects.bulk_create(practices)
                for row, practice in zip(batch, practices, strict=True):
                    ids[row["ref"]] = practice.pk
                PracticeTag.objects.bulk_create(
                    [tag for row, practice in zip(batch, practices, strict=True) for tag in _tags(practice.pk, row)]
                )
                if revisions:
                    PracticeRevision.objects.bulk_create(
                        [
                            PracticeRevision(
                                practice_id=practice.pk,
                                number=1,
                                content={field: getattr(practice, field) for field in VERSION_FIELDS},
                                changed_fields=list(VERSION_FIELDS),
                                created_by=author,
                                created_at=practice.created_at,
                            )
                            for practice in practices
                        ]
                    )
        # bulk_create stamps updated_at (auto_now) with the seeding time; a demo practice was last changed when
        # it was published.
        new_ids = [ids[row["ref"]] for row in rows]
        Practice.objects.filter(pk__in=new_ids, updated_at__gte=now).update(updated_at=F("published_at"))
    return new_ids


def _index(practice_ids: list[int]) -> bool | None:
    """Index the practices for search when practices.search offers `search_index_update`: True when indexed,
    None when that function does not exist, False when the index could not be written (e.g. its table is not
    migrated yet)."""
    try:
        from . import search
    except ImportError:
        return None
    update = getattr(search, "search_index_update", None)
    if update is None:
        return None
    try:
        with transaction.atomic():
            for practice in Practice.objects.filter(pk__in=practice_ids).order_by("pk"):
                update(practice)
    except DatabaseError:
        return False
    return True


def corpus_rows() -> list[dict]:
    """The corpus as flat rows (one per version), in the form `_write` takes."""
    rows: list[dict] = []
    for number, group in enumerate(load_demo_groups()):
        original_published = _published_at(group["published"])
        for position, (language, version) in enumerate(group["versions"].items()):
            published_at = original_published + TRANSLATION_DELAY * position
            rows.append(
                {
                    "ref": number * 10 + position,
                    "original_ref": number * 10 if position else None,
                    "language": language,
                    "themes": list(group["themes"]),
                    "kinds": list(group["kinds"]),
                    "region": group["region"],
                    "evidence_level": group["evidence_level"],
                    "published_at": min(published_at, timezone.now() - datetime.timedelta(days=1)),
                    **version,
                }
            )
    return rows


def demo_practices_seed(scale_rows: int | None = None) -> dict:
    """Create the demo practices (idempotent) and return counts: {"groups", "created", "originals",
    "translations", "skipped", "generated", "indexed"}; "indexed" is True/False/None as `_index` says.

    With `scale_rows`, also make sure the demo author has at least that many generated practices besides the
    corpus (`generate_practices`); generated ones already there count, so running it twice adds nothing."""
    author = _demo_author()
    present: dict[str, int] = {}  # title of an original of the demo author → its id
    for pk, title in Practice.objects.filter(author=author, original__isnull=True).values_list("pk", "title"):
        present.setdefault(title, pk)
    translated = set(Practice.objects.filter(original_id__in=present.values()).values_list("original_id", "language"))
    rows = corpus_rows()
    known = {
        row["ref"]: present[row["title"]] for row in rows if row["original_ref"] is None and row["title"] in present
    }
    # New groups, and translations added to the file for an original already there.
    todo = [
        row
        for row in rows
        if row["ref"] not in known
        and (row["original_ref"] not in known or (known[row["original_ref"]], row["language"]) not in translated)
    ]
    new_ids = _write(todo, author=author, revisions=True, known=known) if todo else []
    generated = 0
    if scale_rows:
        corpus_titles = {row["title"] for row in rows}
        existing = Practice.objects.filter(author=author).exclude(title__in=corpus_titles).count()
        if existing < scale_rows:
            generated_ids = generate_practices(scale_rows - existing, seed=SEED + existing, author=author)
            generated = len(generated_ids)
            new_ids += generated_ids
    indexed = _index(new_ids) if new_ids else True
    translations = sum(1 for row in todo if row["original_ref"] is not None)
    return {
        "groups": len(load_demo_groups()),
        "created": len(todo),
        "originals": len(todo) - translations,
        "translations": translations,
        "skipped": len(known),
        "generated": generated,
        "indexed": indexed,
    }


# --- generated practices for benchmarks ------------------------------------------------------------------------


@functools.cache
def _units(text: str) -> tuple[str, tuple[str, ...]]:
    """A field cut into recombinable units: ("list", items) for a Markdown list, ("prose", sentences)."""
    lines = tuple(line for line in text.splitlines() if line.strip())
    if lines and all(line.startswith("- ") for line in lines):
        return "list", lines
    return "prose", tuple(part.strip() for part in _SENTENCE_END.split(text) if part.strip())


def _recombine(texts: list[str], rng: random.Random) -> str:
    """One field made from the same field of two or three corpus practices in one language: list items from
    each (in order, at least two), or the first sentences of one and a sentence of another."""
    kinds = [_units(text) for text in texts]
    if all(kind == "list" for kind, _ in kinds):
        items: list[str] = []
        for _, lines in kinds:
            keep = sorted(rng.sample(range(len(lines)), k=max(1, min(len(lines), rng.randint(1, 3)))))
            items += [lines[index] for index in keep]
        return "\n".join(items[:6])
    extra = [rng.choice(units) for kind, units in kinds[1:] if kind == "prose" and units]
    if kinds[0][0] == "list":
        return "\n\n".join([texts[0], " ".join(extra)]) if extra else texts[0]
    first = kinds[0][1]
    return " ".join([*first[: max(1, min(len(first), rng.randint(1, 3)))], *extra])


def practice_rows(n: int, *, seed: int = SEED) -> list[dict]:
    """`n` generated practices as plain dicts (no database): the same for the same `n` and `seed`.

    Each original picks two or three corpus practices available in one language (an original's or a translation's
    version) and recombines them field by field: list items of "what was done", "what worked", "difficulties" from
    each, sentences of the prose fields. The title is a corpus title with a municipality of that language
    ("… (Tienen)"), so generated titles never equal a corpus title. Themes are the union of the sources' (at most
    four), kinds and region come from the first source (the region follows the place), the evidence level from the
    one whose results were used first. About 12% of originals are followed by a translation: then both are made
    field by field from whole fields of corpus groups that exist in both languages, so the translation really is
    one. Rows: ref, original_ref (a ref of this call or None), language, title, TEXT_FIELDS, themes, kinds, region
    (REFNIS or None), evidence_level, published_at (aware, 2024-01-08 … 2026-11-27), created_days_before,
    submitted_days_before.
    """
    rng = random.Random(seed)  # nosec B311  # seeded demo data, not security
    groups = load_demo_groups()
    by_language = {language: [g for g in groups if language in g["versions"]] for language in LANGUAGES}
    span = (GENERATED_TO - GENERATED_FROM).days
    rows: list[dict] = []

    def common(language: str, sources: list[dict], ref: int) -> dict:
        place, refnis = rng.choice(PLACES[language])
        day = GENERATED_FROM + datetime.timedelta(days=rng.randrange(span))
        themes: list[str] = []
        for source in sources:
            themes += [theme for theme in source["themes"] if theme not in themes]
        return {
            "ref": ref,
            "original_ref": None,
            "language": language,
            "place": place,
            "themes": themes[:4],
            "kinds": list(sources[0]["kinds"]),
            "region": None if sources[0]["region"] is None and rng.random() < 0.5 else refnis,
            "evidence_level": sources[0]["evidence_level"],
            "published_at": _published_at(day, hour=rng.randint(8, 17)),
            "created_days_before": rng.randint(10, 90),
            "submitted_days_before": rng.randint(1, 9),
        }

    while len(rows) < n:
        ref = len(rows)
        language = rng.choices(LANGUAGES, weights=(45, 40, 15))[0]
        pairs = [
            (language, other)
            for other in LANGUAGES
            if other != language and any(other in g["versions"] for g in by_language[language])
        ]
        translate = len(rows) + 2 <= n and pairs and rng.random() < GENERATED_TRANSLATION_SHARE
        if translate:
            _, target = rng.choice(pairs)
            pool = [g for g in by_language[language] if target in g["versions"]]
            sources = rng.sample(pool, k=min(len(pool), rng.randint(2, 3)))
            field_source = {field: rng.choice(sources) for field in TEXT_FIELDS}
            original = common(language, sources, ref)
            translation = {**original, "ref": ref + 1, "original_ref": ref, "language": target}
            translation["published_at"] = original["published_at"] + datetime.timedelta(days=rng.randint(3, 40))
            for row, lang in ((original, language), (translation, target)):
                row["title"] = f"{sources[0]['versions'][lang]['title']} ({original['place']})"
                for field in TEXT_FIELDS:
                    row[field] = field_source[field]["versions"][lang][field]
            rows += [original, translation]
            continue
        sources = rng.sample(by_language[language], k=rng.randint(2, 3))
        row = common(language, sources, ref)
        row["title"] = f"{sources[0]['versions'][language]['title']} ({row['place']})"
        for field in TEXT_FIELDS:
            order = sources[:]
            rng.shuffle(order)
            if field == "contact":  # one contact, not a mix
                row[field] = order[0]["versions"][language][field]
                continue
            row[field] = _recombine([source["versions"][language][field] for source in order], rng)
            if field == "results":
                row["evidence_level"] = order[0]["evidence_level"]
        rows.append(row)
    for row in rows:
        row["published_at"] = min(row["published_at"], _published_at(GENERATED_TO))
    return rows


def generate_practices(
    n: int, *, seed: int = SEED, author=None, index: bool = False, batch_size: int = 1000
) -> list[int]:
    """Create `n` published practices recombined from the corpus (see `practice_rows`; deterministic for the same
    `n` and `seed`), with their tags but no revisions, written in bulk (10,000 in a few seconds). Returns their
    ids in row order. `author` defaults to the demo Knowledge Centre account. With `index=True` they are also
    indexed for search (`practices.search.search_index_update`, when available); benchmarks may rather call
    `practices.search.search_index_rebuild()` once."""
    if n <= 0:
        return []
    author = author if author is not None else _demo_author()
    ids = _write(practice_rows(n, seed=seed), author=author, revisions=False, batch_size=batch_size)
    if index:
        _index(ids)
    return ids
