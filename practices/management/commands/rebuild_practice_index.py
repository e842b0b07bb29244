"""Rebuild the full-text index of the published practices from the database."""

from django.core.management.base import BaseCommand
from django.db import transaction

from practices.search import search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild the full-text search index of the published good practices."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            count = search_index_rebuild()
        self.stdout.write(f"{count} published practices indexed.")
