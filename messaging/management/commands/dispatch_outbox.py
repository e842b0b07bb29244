"""Hand over due deliveries now, outside the task queue: for operators (drain the outbox after an outage) and for
the fault tests and benchmarks, which run it as separate worker processes."""

from __future__ import annotations

import resource
import threading
import time

from django.core.management.base import BaseCommand, CommandError

from messaging.choices import Channel
from messaging.gateways import GatewayDown
from messaging.services import outbox


class Command(BaseCommand):
    help = "Hand over the due e-mail and SMS deliveries of the outbox, then stop (or keep polling with --follow)."

    def add_arguments(self, parser):
        parser.add_argument("--channel", action="append", choices=[Channel.EMAIL, Channel.SMS], dest="channels")
        parser.add_argument("--follow", action="store_true", help="keep polling for due deliveries until stopped")
        parser.add_argument("--poll", type=float, default=1.0, help="seconds between polls with --follow")
        parser.add_argument(
            "--until-idle", type=float, default=0.0, help="with --follow, stop after this many idle seconds"
        )

    def handle(self, *args, channels=None, follow=False, poll=1.0, until_idle=0.0, **options):
        channels = channels or [Channel.EMAIL, Channel.SMS]
        totals = dict.fromkeys(channels, 0)
        errors: list[str] = []

        def drain(channel: str) -> None:
            from django.db import connection

            idle_since = time.monotonic()
            try:
                while True:
                    try:
                        handed = outbox.outbox_dispatch(channel=channel)
                    except GatewayDown as exc:
                        errors.append(f"{channel}: {exc}")
                        handed = 0
                        if not follow:
                            return
                    totals[channel] += handed
                    if not follow:
                        return
                    if handed:
                        idle_since = time.monotonic()
                    elif until_idle and time.monotonic() - idle_since >= until_idle:
                        return
                    time.sleep(poll)
            finally:
                connection.close()

        threads = [threading.Thread(target=drain, args=(channel,), name=f"outbox-{channel}") for channel in channels]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        summary = ", ".join(f"{channel}: {count}" for channel, count in totals.items())
        self.stdout.write(f"handed over {summary}; peak memory {peak_mb:.0f} MB")
        if errors and not any(totals.values()):
            raise CommandError("; ".join(errors))
