"""Make sure every periodic task (core.schedule) has exactly one queued run; run it before starting the worker."""

from django.core.management.base import BaseCommand

from core.schedule import schedule_all


class Command(BaseCommand):
    help = "Queue the next run of every periodic task that has none (idempotent)."

    def handle(self, *args, **options):
        results = schedule_all()
        for path, outcome in results.items():
            self.stdout.write(f"{path}: {outcome}")
        if not results:
            self.stdout.write("No periodic tasks.")
