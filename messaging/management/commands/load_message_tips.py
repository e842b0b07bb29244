"""Add the national prevention tips shipped with the app (messaging/data/tips.json: six tips in Dutch, French, German
and English) to the tips library. Idempotent: tips already there (same language and title) are left alone, edited or
not, so it can run on every deployment and from seed_demo."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from messaging.services.tips import DATA_FILE, tips_load, tips_read


class Command(BaseCommand):
    help = "Add the shipped national prevention tips (nl, fr, de, en) that are missing from the tips library."

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=DATA_FILE, help="a tips file in the same format")

    def handle(self, *args, file: Path = DATA_FILE, **options) -> None:
        try:
            entries = tips_read(file)
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            added = tips_load(entries=entries)
        except ValidationError as error:
            raise CommandError(f"{file} holds a tip that is not valid: {error.messages}") from error
        self.stdout.write(f"{added} prevention tips added; {len(entries) - added} were already there.")
