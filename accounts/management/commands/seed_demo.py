from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.demo import demo_seed


class Command(BaseCommand):
    help = "Create the demo accounts (one per persona) idempotently and print their logins."

    def handle(self, *args, **options):
        with translation.override("en"):
            logins = demo_seed()
            rows = [("e-mail", "password", "role", "scope", "lang", "")]
            rows += [
                (login.email, login.password, login.role, login.scope or "–", login.language, login.note)
                for login in logins
            ]
        widths = [max(len(row[i]) for row in rows) for i in range(5)]
        created = sum(login.created for login in logins)
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts: {created} created, {len(logins) - created} already present.")
        )
        for index, row in enumerate(rows):
            line = "  ".join(value.ljust(width) for value, width in zip(row[:5], widths, strict=True))
            if row[5]:
                line += f"  ({row[5]})"
            self.stdout.write(line.rstrip())
            if index == 0:
                self.stdout.write("  ".join("-" * width for width in widths))
        from networks.models import Network

        self.stdout.write(f"Networks in the register: {Network.objects.count()} (demo data included).")
        # The members of the demo networks (about 150,000 at scale 1), after the networks they belong to.
        from members.demo import demo_members

        members = demo_members(scale=getattr(settings, "BINPLP_DEMO_NETWORKS_SCALE", 1.0))
        self.stdout.write(
            f"Demo members: {members.total:,} in the demo networks ({members.members:,} created now in "
            f"{members.networks:,} networks, with {members.join_requests:,} open join requests, "
            f"in {members.seconds:.1f} s; {members.skipped:,} networks already had theirs)."
        )
        # The national prevention tips library (nl, fr, de, en), then a year of messages in the demo networks, after
        # the members who receive them.
        from django.core.management import call_command

        call_command("load_message_tips", stdout=self.stdout)
        from messaging.demo import seed_messages

        messages = seed_messages()
        self.stdout.write(
            f"Demo messages: {messages.total:,} in {messages.zones} police zones "
            f"({', '.join(f'{count:,} {kind}' for kind, count in sorted(messages.messages.items()))}), "
            f"{messages.deliveries:,} deliveries ({messages.failed:,} failed), {messages.ratings:,} ratings, "
            f"{messages.replies:,} replies, {messages.reports:,} reports; {messages.owing_feedback} alerts owe "
            f"feedback; in {messages.seconds:.1f} s; {messages.skipped} zones already had theirs."
        )
        # The good practices library: the demo corpus, published by the demo Knowledge Centre account.
        from practices.demo import demo_practices_seed

        practices = demo_practices_seed()
        self.stdout.write(
            f"Demo good practices: {practices['created']} created ({practices['originals']} originals, "
            f"{practices['translations']} translations); {practices['skipped']} of {practices['groups']} "
            "already present."
            + ("" if practices["indexed"] else " Search index not updated: run manage.py rebuild_practice_index.")
        )
        # The BIN course: its current version, two years of sessions at five academies and the coming ones, with
        # about half of the demo networks' mandated officers trained.
        from training.demo import seed_training

        training = seed_training()
        if training.created:
            self.stdout.write(
                f"Demo BIN course: {training.sessions} sessions ({training.closed} closed, {training.upcoming} "
                f"coming), {training.trainees:,} trainees, {training.certificates:,} certificates, "
                f"{training.evaluations:,} evaluations; {training.officers_trained:,} of {training.officers:,} "
                f"mandated officers trained; in {training.seconds:.1f} s."
            )
        else:
            self.stdout.write("Demo BIN course: already present.")
        # The steering committee: seats held by demo people (demo accounts among them), last year's meeting, the next.
        from committee.demo import seed_committee

        committee = seed_committee()
        self.stdout.write(
            f"Demo steering committee: {committee.terms} seats held, {committee.vacant} vacant, "
            f"{committee.meetings} meetings, {committee.actions} action items."
            if committee.created
            else "Demo steering committee: already present."
        )
        # Annual reports: the year before last frozen and published, last year's as a draft.
        from dashboard.demo import seed_reports

        reports = seed_reports()
        self.stdout.write(
            f"Demo annual reports: {reports.frozen} frozen, {reports.drafts} draft, in {reports.seconds:.1f} s."
            if reports.created
            else "Demo annual reports: already present."
        )
        if settings.BINPLP_DEMO_MODE:
            self.stdout.write("Demo mode is on: these accounts may sign in without a second factor.")
        else:
            self.stdout.write(
                "Demo mode is off: privileged accounts must enrol an authenticator app at their first sign-in."
            )
