"""Benchmark of the outbox (issue 5): an urgent alert to 100,000 members of the bench dataset, e-mail for all of them
and SMS for 30 %, handed to a local SMTP server and to Kannel.

The bench user is the mandated officer of the zones of the largest networks, chosen until they hold 100,000 active
members; those members are set to e-mail for all, SMS for 30 % (member id modulo 10 below 3), no quiet hours,
pauses or muted types, so that every delivery is due at once.

1. Fan-out: `message_send` — the message, its 100,000 web, 100,000 e-mail and 30,000 SMS deliveries and the audit
   event in one transaction — beside the same rows written by one raw `INSERT … SELECT` (rolled back). Target < 5 s.
2. E-mail: one in-process worker hands over 10,000 of them to an aiosmtpd server running in its own process (a
   sink) — beside raw `smtplib` sending the same number of pre-built messages of the same size over one connection
   to the same server, in the same run. Target ≥ 50 % of the raw rate.
3. SMS: one in-process worker hands over 3,000 to Kannel (bearerbox + smsbox + fake SMSC, delivery reports posted to
   a fast local HTTP sink, bench/http_sink.py) — beside a raw HTTP client (`http.client`, keep-alive, on as many
   connections as the worker keeps in flight, BINPLP_SMS_CONCURRENCY) sending the same `sendsms` requests.
   Target ≥ 50 % of the raw rate.
4. Two workers (`manage.py dispatch_outbox` processes, as on two machines) hand over a second alert's 130,000
   e-mails and SMS from the moment it is sent: total time, and each worker's peak memory (target < 300 MB).

Standalone: .venv/bin/python bench/messaging.py [--recipients 100000] (same database as bench/run.py); run.py
calls `bench_messaging()` and `report_messaging()` unless --skip-messaging.
"""

from __future__ import annotations

# ruff: noqa: S608 - SQL is built from constants (table names); every value is a parameter.
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SMS_SHARE = 3  # of 10
TITLE = "Benchmark: inbraakpoging"
TEXTS = {
    "nl": {
        "title": TITLE,
        "body": "Verdachte personen gezien in de buurt. Doe de buitenverlichting aan en bel 101 met elke nieuwe "
        "informatie. Grijp niet zelf in.",
        "sms": "BIN-alarm: verdachte personen in de buurt. Bel 101 met nieuwe info. Grijp niet zelf in.",
    },
    "fr": {
        "title": "Benchmark : tentative de cambriolage",
        "body": "Personnes suspectes aperçues dans le quartier. Allumez l'éclairage extérieur et appelez le 101.",
        "sms": "Alerte PLP : personnes suspectes dans le quartier. Appelez le 101. N'intervenez pas.",
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_port(port: int, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


def _bench_officer(zone_ids: list[int]):
    from accounts.models import RoleAssignment, User
    from core.roles import Role

    user, _ = User.objects.get_or_create(
        email="bench-officer@bench.binplp.be", defaults={"first_name": "Bench", "last_name": "Officer"}
    )
    from django.contrib.contenttypes.models import ContentType

    from geography.models import PoliceZone

    zone_type = ContentType.objects.get_for_model(PoliceZone)
    have = set(
        RoleAssignment.objects.filter(user=user, role=Role.ZONE_OFFICER, revoked_at__isnull=True).values_list(
            "scope_id", flat=True
        )
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(user=user, role=Role.ZONE_OFFICER, scope_type=zone_type, scope_id=zone_id)
            for zone_id in zone_ids
            if zone_id not in have
        ]
    )
    return User.objects.get(pk=user.pk)


def _choose_networks(recipients: int) -> tuple[list, int]:
    from django.db.models import Count, Q

    from members.models import Membership
    from networks.models import Network

    rows = (
        Network.objects.annotate(active=Count("memberships", filter=Q(memberships__status="active")))
        .filter(active__gt=0)
        .order_by("-active", "pk")
        .values_list("pk", "active")
    )
    chosen, total = [], 0
    for pk, active in rows.iterator():
        chosen.append(pk)
        total += active
        if total >= recipients:
            break
    members = (
        Membership.objects.filter(network_id__in=chosen, status="active", member__isnull=False)
        .values("member_id")
        .distinct()
        .count()
    )
    return list(Network.objects.filter(pk__in=chosen)), members


def _prepare_members(networks: list) -> None:
    """E-mail for all, SMS for 30 % (with a mobile number), everything due at once."""
    from django.db import connection, transaction

    from members.models import Member, Membership

    member_ids = Membership.objects.filter(network__in=networks, status="active").values("member_id")
    with transaction.atomic():
        Member.objects.filter(pk__in=member_ids).update(
            by_email=True, quiet_from=None, quiet_until=None, paused_from=None, paused_until=None, muted_types=[]
        )
        table = Member._meta.db_table
        digits = (
            "lpad((id %% 10000000)::text, 7, '0')"
            if connection.vendor == "postgresql"
            else ("substr('0000000' || id, -7, 7)")
        )
        mobile = f"'+3247' || {digits}"
        with connection.cursor() as cursor:
            ids = [row[0] for row in Member.objects.filter(pk__in=member_ids).values_list("pk")]
            for start in range(0, len(ids), 5000):
                chunk = ids[start : start + 5000]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"UPDATE {table} SET by_sms = (id %% 10 < {SMS_SHARE}) WHERE id IN ({marks})",
                    chunk,
                )
                cursor.execute(
                    f"UPDATE {table} SET mobile = {mobile} WHERE mobile = '' AND id IN ({marks})",
                    chunk,
                )
        from accounts.models import User

        User.objects.filter(member_profile__in=member_ids, is_active=False).update(is_active=True)


def _clean(author) -> None:
    from django.db import connection, transaction

    from messaging.models import Delivery, Message

    ids = list(Message.objects.filter(author=author).values_list("pk", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {Delivery._meta.db_table} WHERE message_id IN ({marks})", chunk)
        Message.objects.filter(pk__in=ids).delete()


def _raw_fan_out_seconds(networks: list) -> tuple[float, int]:
    """The same deliveries written by raw INSERT … SELECT statements (web, e-mail, SMS), rolled back."""
    from django.db import connection, transaction
    from django.utils import timezone

    from messaging.models import Delivery, Message

    table = Delivery._meta.db_table
    network_ids = [n.pk for n in networks]
    marks = ", ".join(["%s"] * len(network_ids))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    message = Message.objects.filter(author__email="bench-officer@bench.binplp.be").order_by("-pk").first()
    recipients = (
        "SELECT DISTINCT ms.member_id AS member_id, u.language AS language, m.by_email AS by_email, "
        "m.by_sms AS by_sms, m.mobile AS mobile FROM members_membership ms "
        "JOIN members_member m ON m.id = ms.member_id JOIN accounts_user u ON u.id = m.user_id "
        f"WHERE ms.network_id IN ({marks}) AND ms.status = 'active' AND u.is_active"
    )
    columns = (
        "message_id, member_id, channel, language, status, not_before, delivered_at, attempts, error, provider_ref"
    )
    statements = [
        (
            f"INSERT INTO {table} ({columns}) SELECT %s, member_id, 'web', language, 'delivered', %s, %s, 0, '', '' "
            f"FROM ({recipients}) r",
            [message.pk, now, now, *network_ids],
        ),
        (
            f"INSERT INTO {table} ({columns}) SELECT %s, member_id, 'email', language, 'queued', %s, NULL, 0, '', '' "
            f"FROM ({recipients}) r WHERE by_email",
            [message.pk, now, *network_ids],
        ),
        (
            f"INSERT INTO {table} ({columns}) SELECT %s, member_id, 'sms', language, 'queued', %s, NULL, 0, '', '' "
            f"FROM ({recipients}) r WHERE by_sms AND mobile <> ''",
            [message.pk, now, *network_ids],
        ),
    ]
    rows = 0
    started = time.perf_counter()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # The benchmark's message already has its deliveries: write the raw copy under a scratch message.
            scratch = Message.objects.create(
                type=message.type,
                sender=message.sender,
                zone_id=message.zone_id,
                target_kind=message.target_kind,
                texts=message.texts,
                status="sent",
                sent_at=timezone.now(),
            )
            for sql, params in statements:
                params[0] = scratch.pk
                cursor.execute(sql, params)
                rows += cursor.rowcount
            seconds = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return seconds, rows


class _Rollback(Exception):
    pass


def _raw_smtp_rate(port: int, messages: list[tuple[str, bytes]]) -> float:
    import smtplib

    smtp = smtplib.SMTP("127.0.0.1", port)
    started = time.perf_counter()
    for to, data in messages:
        smtp.sendmail("no-reply@binplp.be", [to], data)
    seconds = time.perf_counter() - started
    smtp.quit()
    return len(messages) / seconds


def _raw_sms_rate(kannel, dlr_base: str, count: int, text: str, connections: int) -> float:
    from messaging.sms import sms_length

    coding = "2" if sms_length(text).encoding == "UCS-2" else "0"
    paths = []
    for n in range(count):
        fields = {
            "username": kannel.username,
            "password": kannel.password,
            "from": "BIN-PLP",
            "to": f"+3249{n:07d}",
            "text": text,
            "charset": "UTF-8",
            "coding": coding,
            "dlr-mask": "27",
            "dlr-url": f"{dlr_base}/messages/sms/status/raw{n}/?type=%d",
        }
        paths.append("/cgi-bin/sendsms?" + urllib.parse.urlencode(fields))
    host, port = "127.0.0.1", kannel.ports["sendsms"]
    errors: list[int] = []

    def send(share: list[str]) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=10)
        for path in share:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status not in (200, 202):
                errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=send, args=(paths[i::connections],)) for i in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if errors:
        raise RuntimeError(f"Kannel answered {errors[0]}")
    return count / seconds


def _counts(message) -> dict:
    from django.db.models import Count

    from messaging.models import Delivery

    return {
        (row["channel"], row["status"]): row["n"]
        for row in Delivery.objects.filter(message=message).values("channel", "status").annotate(n=Count("id"))
    }


def bench_messaging(recipients: int = 100_000, email_sample: int = 10_000, sms_sample: int = 3_000) -> dict:
    from django.conf import settings
    from django.db import connection

    from messaging import kannel as kannel_module
    from messaging.rendering import RenderedEmail
    from messaging.services import outbox, sending

    result: dict = {"recipients_wanted": recipients}
    networks, members = _choose_networks(recipients)
    officer = _bench_officer(sorted({n.zone_id for n in networks}))
    _clean(officer)
    _prepare_members(networks)
    result["networks"], result["members"] = len(networks), members

    tmp = Path(tempfile.mkdtemp(prefix="binplp-bench-messaging-"))
    processes: list[subprocess.Popen] = []
    kannel = None
    try:
        smtp_port = _free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "aiosmtpd",
                    "-n",
                    "-l",
                    f"127.0.0.1:{smtp_port}",
                    "-c",
                    "aiosmtpd.handlers.Sink",
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        dlr_port = _free_port()
        processes.append(
            subprocess.Popen(  # noqa: S603 - a fast sink for Kannel's delivery-report callbacks
                [sys.executable, str(ROOT / "bench" / "http_sink.py"), str(dlr_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        _wait_port(smtp_port)
        _wait_port(dlr_port)
        kannel = kannel_module.Kannel(tmp / "kannel").start()
        dlr_base = f"http://127.0.0.1:{dlr_port}"
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp_port
        settings.BINPLP_SMS_GATEWAY_URL = kannel.url
        settings.BINPLP_SMS_GATEWAY_USERNAME, settings.BINPLP_SMS_GATEWAY_PASSWORD = kannel.username, kannel.password
        settings.BINPLP_SMS_CALLBACK_BASE_URL = dlr_base
        sending.dispatch_enqueue = lambda *args, **kwargs: None  # the workers below hand over, not the task queue

        # 1. Fan-out.
        started = time.perf_counter()
        sent = sending.message_send(actor=officer, message_type="urgent_alert", networks=networks, texts=TEXTS)
        result["fan_out_seconds"] = time.perf_counter() - started
        result["deliveries"] = sent.deliveries
        message = sent.message
        result["raw_fan_out_seconds"], result["raw_rows"] = _raw_fan_out_seconds(networks)

        # 2. E-mail: raw smtplib with pre-built messages of the same size, then one worker of ours.
        rendered = RenderedEmail(message, "nl")
        prebuilt = [
            rendered.for_member(delivery_id=n, message_id=message.pk, member_id=n, to=f"raw{n}@bench.binplp.be")
            for n in range(email_sample)
        ]
        result["raw_email_rate"] = _raw_smtp_rate(smtp_port, prebuilt)
        batch = settings.BINPLP_OUTBOX_BATCH
        started = time.perf_counter()
        handed = outbox.outbox_dispatch(channel="email", max_batches=max(1, email_sample // batch))
        result["email_rate"] = handed / (time.perf_counter() - started)
        result["email_handed"] = handed

        # 3. SMS: raw HTTP client, then one worker of ours.
        result["sms_connections"] = settings.BINPLP_SMS_CONCURRENCY
        result["raw_sms_rate"] = _raw_sms_rate(
            kannel, dlr_base, sms_sample, TEXTS["nl"]["sms"], settings.BINPLP_SMS_CONCURRENCY
        )
        started = time.perf_counter()
        handed = outbox.outbox_dispatch(channel="sms", max_batches=max(1, sms_sample // batch))
        result["sms_rate"] = handed / (time.perf_counter() - started)
        result["sms_handed"] = handed
        result["first_counts"] = _counts(message)

        # 4. Two worker processes hand over a second alert's deliveries, from the moment it is sent.
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "DATABASE_CONN_MAX_AGE": "600",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "SMS_GATEWAY_URL": kannel.url,
            "SMS_GATEWAY_USERNAME": kannel.username,
            "SMS_GATEWAY_PASSWORD": kannel.password,
            "SMS_CALLBACK_BASE_URL": dlr_base,
        }
        connection.close()
        started = time.perf_counter()
        second = sending.message_send(
            actor=officer, message_type="urgent_alert", networks=networks, texts=TEXTS
        ).message
        # Anything of the first alert still queued would be drained too; mark it so only the second one counts.
        from messaging.models import Delivery

        Delivery.objects.filter(message=message, status="queued").update(status="failed", error="benchmark: skipped")
        workers = [
            subprocess.Popen(  # noqa: S603
                [sys.executable, "manage.py", "dispatch_outbox", "--follow", "--poll", "0.5", "--until-idle", "2"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [worker.communicate(timeout=1800)[0] for worker in workers]
        result["two_workers_seconds"] = time.perf_counter() - started - 2  # minus the idle wait before they stop
        result["worker_memory_mb"] = [
            float(found.group(1)) if (found := re.search(r"peak memory (\d+) MB", out)) else None for out in outputs
        ]
        result["worker_exit"] = [worker.returncode for worker in workers]
        counts = _counts(second)
        result["second_counts"] = counts
        result["second_deliveries"] = sum(n for (channel, _s), n in counts.items() if channel != "web")
        result["second_left"] = sum(
            n for (channel, status), n in counts.items() if channel != "web" and status in ("queued", "sending")
        )
    finally:
        if kannel is not None:
            kannel.stop()
        for process in processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)
        _clean(officer)
    return result


def report_messaging(result: dict) -> bool:
    print()
    print(
        f"Messaging: an urgent alert to {result['members']:,} members of {result['networks']} networks "
        "(e-mail for all, SMS for 30 %)"
    )
    fan, raw = result["fan_out_seconds"], result["raw_fan_out_seconds"]
    ok_fan = fan < 5
    print(
        f"  fan-out: {result['deliveries']:,} deliveries written in {fan:.2f} s "
        f"(raw INSERT … SELECT of {result['raw_rows']:,} rows: {raw:.2f} s; ratio {raw / fan:.0%})"
        f"  target < 5 s: {'met' if ok_fan else 'NOT met'}"
    )
    email_ratio = result["email_rate"] / result["raw_email_rate"]
    ok_email = email_ratio >= 0.5
    print(
        f"  e-mail, one worker: {result['email_rate']:,.0f}/s ({result['email_handed']:,} handed over) beside raw "
        f"smtplib with pre-built messages {result['raw_email_rate']:,.0f}/s: {email_ratio:.0%}"
        f"  target ≥ 50 %: {'met' if ok_email else 'NOT met'}"
    )
    sms_ratio = result["sms_rate"] / result["raw_sms_rate"]
    ok_sms = sms_ratio >= 0.5
    print(
        f"  SMS to Kannel, one worker: {result['sms_rate']:,.0f}/s ({result['sms_handed']:,} handed over) beside a "
        f"raw HTTP client on as many connections ({result['sms_connections']}) {result['raw_sms_rate']:,.0f}/s: "
        f"{sms_ratio:.0%}  target ≥ 50 %: {'met' if ok_sms else 'NOT met'}"
    )
    memory = [m for m in result["worker_memory_mb"] if m is not None]
    ok_memory = bool(memory) and max(memory) < 300
    ok_workers = result["second_left"] == 0 and all(code == 0 for code in result["worker_exit"])
    print(
        f"  two workers: {result['second_deliveries']:,} e-mails and SMS of a second alert handed over "
        f"{result['two_workers_seconds']:.1f} s after sending "
        f"({result['second_deliveries'] / result['two_workers_seconds']:,.0f}/s); "
        f"left over: {result['second_left']}; worker peak memory {', '.join(f'{m:.0f} MB' for m in memory)}"
        f"  target < 300 MB: {'met' if ok_memory else 'NOT met'}"
    )
    return ok_fan and ok_email and ok_sms and ok_memory and ok_workers


def main() -> int:
    import argparse

    sys.path.insert(0, str(ROOT))
    from bench.run import _database_url, _setup, build_dataset

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=100_000)
    args = parser.parse_args()
    _setup(_database_url(), rebuild=False)
    build_dataset()
    return 0 if report_messaging(bench_messaging(args.recipients)) else 1


if __name__ == "__main__":
    sys.exit(main())
