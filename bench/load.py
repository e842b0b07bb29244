"""`make load` (issue 9): the production setup under load on loopback — gunicorn with 2 workers on PostgreSQL, the
design-scale bench dataset (15,000 networks, 2,000,000 members, 1,000,000 deliveries) — loaded by `wrk`, first alone,
then while an urgent alert to 100,000 members is sent and handed over.

Database: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/binplp_bench), built by bench/run.py's
functions when missing (never rebuilt here). Server: gunicorn, 2 workers (sync by default; `--worker-class gthread
--threads 4` to compare), bench settings (bench/settings.py: DEBUG off, API throttling off — the finder's 60/min
anonymous limit would refuse a load test —, DATABASE_CONN_MAX_AGE=600), on a free loopback port, started and stopped
here. Load: wrk (2 threads, --connections, --seconds each), a Lua script rotating through the paths of one load:

1. the public finder API, anonymous, over bench/run.py's mix of 100 queries (exact, typos, abbreviations, unknown
   streets, map clicks);
2. the network list API (/api/v1/networks/?province=<Antwerp>, a page of 50) with the token of the ADVP bench user
   (TOTP enrolled, as the API requires of privileged roles);
3. a member portal page, the inbox /me/messages/, as 20 signed-in members of the alerted networks (members sign in
   by e-mailed link, without TOTP: a session per member is written with Django's SessionStore and sent as the
   session cookie; each request takes the next member's cookie).

Each load is reported as requests/s, p50/p95/p99 latency (wrk's HdrHistogram) and errors (socket errors and non-2xx/3xx
answers; every path is checked to answer 200 beforehand, so a redirect to the sign-in page cannot pass as success).

Then the three loads again, one after the other, while one urgent alert goes to the 100,000 members of the largest
networks (bench/messaging.py: e-mail for all, SMS for 30 %): the first wrk starts, one second later `message_send`
writes the message and its deliveries (the fan-out, timed) in this process, then two `manage.py dispatch_outbox`
worker processes hand the e-mails to a local SMTP sink (this script in --smtp-sink mode: aiosmtpd, writing down every
recipient) and the SMS to Kannel (bearerbox + smsbox + fake SMSC whose "phones" write down every SMS; delivery reports
go to bench/http_sink.py); the second and third loads follow while the hand-over goes on (each row says if it had
ended first). The alert's figures: fan-out time, hand-over time (from sending to the last delivery's `sent_at`) and
rate, and nothing lost: every e-mail and SMS delivery `sent` after one attempt, the SMTP sink and the phones got
exactly as many as there are deliveries, all to distinct recipients.

The figures are printed and written to /work/notes/reliability-load.md (property | command | figure), with the load
average of the machine (2 cores here, shared with other test suites).

Usage: .venv/bin/python bench/load.py [--seconds 30] [--connections 8] [--recipients 100000]
       [--worker-class sync|gthread] [--threads 4] [--skip-alert] [--notes PATH]
"""

from __future__ import annotations

# ruff: noqa: S603 - subprocesses run our own fixed arguments
import argparse
import datetime
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/binplp_bench"
PORTAL_MEMBERS = 20
NOTES = Path("/work/notes/reliability-load.md")

WRK_SCRIPT = """
local requests_ = {%(requests)s}
local i = 0
request = function()
  i = i %% #requests_ + 1
  local r = requests_[i]
  return wrk.format("GET", r[1], r[2])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%%d duration_us=%%d connect=%%d read=%%d write=%%d status=%%d timeout=%%d "
    .. "p50=%%d p95=%%d p99=%%d\\n", summary.requests, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


# --- the sinks (subprocess modes of this script) ---------------------------------------------------------------------


def smtp_sink(port: int, out: str) -> int:
    """An SMTP server that accepts everything and writes each recipient on a line of `out` (until SIGTERM)."""
    import signal

    from aiosmtpd.controller import Controller

    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    sink = open(out, "w", buffering=1 << 16)  # noqa: SIM115 - closed on SIGTERM below

    class Recorder:
        async def handle_DATA(self, server, session, envelope):
            for rcpt in envelope.rcpt_tos:
                sink.write(rcpt + "\n")
            sink.flush()
            return "250 OK"

    controller = Controller(Recorder(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    sink.close()
    return 0


# --- wrk ------------------------------------------------------------------------------------------------------------


def _lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrk_start(base: str, requests: list[tuple[str, dict]], seconds: int, connections: int) -> subprocess.Popen:
    entries = []
    for path, headers in requests:
        fields = ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items())
        entries.append(f"{{{_lua_string(path)}, {{{fields}}}}}")
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115 - removed in _wrk_result
    script.write(WRK_SCRIPT % {"requests": ",\n  ".join(entries)})
    script.close()
    process = subprocess.Popen(
        [shutil.which("wrk"), "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, base],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.script = script.name
    process.load_before = os.getloadavg()[0]
    return process


def _wrk_result(process: subprocess.Popen, seconds: int) -> dict:
    try:
        out, _ = process.communicate(timeout=seconds + 60)
    finally:
        os.unlink(process.script)
    line = next((line for line in out.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk gave no figures:\n{out}")
    values = {key: int(value) for key, value in (item.split("=") for item in line.split()[1:])}
    values["errors"] = sum(values[key] for key in ("connect", "read", "write", "status", "timeout"))
    values["rps"] = values["requests"] / (values["duration_us"] / 1e6)
    values["error_rate"] = values["errors"] / max(values["requests"], 1)
    values["load_before"] = process.load_before
    values["load_after"] = os.getloadavg()[0]
    return values


def _check(port: int, path: str, headers: dict) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status} {response.getheader('Location', '')} {body[:200]!r}")


# --- the three loads ------------------------------------------------------------------------------------------------


def _alert_networks(recipients: int) -> list:
    from bench.messaging import _choose_networks

    return _choose_networks(recipients)


def build_loads(networks: list) -> dict[str, list[tuple[str, dict]]]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from bench.run import _bench_user, finder_queries
    from core.roles import Role
    from geography.models import Province
    from members.models import Member
    from members.views_portal import LINK_BACKEND

    finder = [(f"/api/v1/finder/?{urlencode(query)}", {}) for _kind, query in finder_queries()]

    province = Province.objects.get(refnis="10000")  # Antwerp: the largest share of networks
    _user, token = _bench_user("bench.advp@example.org", Role.ADVP)
    network_list = [(f"/api/v1/networks/?province={province.pk}", {"Authorization": f"Token {token}"})]

    members = list(
        Member.objects.filter(
            memberships__network__in=networks, memberships__status="active", user__isnull=False, by_email=True
        )
        .select_related("user")
        .order_by("pk")
        .distinct()[:PORTAL_MEMBERS]
    )
    portal = []
    for member in members:
        user = member.user
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = LINK_BACKEND
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.set_expiry(6 * 3600)
        session.create()
        portal.append(("/me/messages/", {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session.session_key}"}))
    return {
        "finder API (100-query mix, anonymous)": finder,
        f"network list API (ADVP token, province filter, page of 50, of {_count_networks(province)})": network_list,
        f"member portal inbox /me/messages/ ({len(portal)} signed-in members)": portal,
    }


def _count_networks(province) -> str:
    from networks.models import Network

    return f"{Network.objects.filter(municipality__province=province).count():,}"


# --- the server -----------------------------------------------------------------------------------------------------


class Server:
    def __init__(self, url: str, worker_class: str, threads: int):
        from bench.run import _free_port

        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": url,
            "DATABASE_CONN_MAX_AGE": "600",
        }
        argv = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
        argv += ["--worker-class", worker_class, "--bind", f"127.0.0.1:{self.port}"]
        if worker_class == "gthread":
            argv += ["--threads", str(threads)]
        self.argv = argv

    def __enter__(self):
        self.log = open(ROOT / "var" / "load-gunicorn.log", "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(self.argv, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while True:
            try:
                _check(self.port, "/bench/ping/", {})
                return self
            except (OSError, RuntimeError):
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start: see {self.log.name}") from None
                time.sleep(0.3)

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        return False


# --- the alert ------------------------------------------------------------------------------------------------------


class AlertRig:
    """The SMTP sink, the delivery-report sink and Kannel, for the whole run; one alert at a time."""

    def __init__(self, networks: list):
        self.networks = networks
        self.tmp = Path(tempfile.mkdtemp(prefix="binplp-load-"))
        self.processes: list[subprocess.Popen] = []
        self.kannel = None

    def __enter__(self):
        from django.conf import settings

        from bench.messaging import _bench_officer, _clean, _free_port, _prepare_members, _wait_port
        from messaging import kannel as kannel_module
        from messaging.services import sending

        self.officer = _bench_officer(sorted({n.zone_id for n in self.networks}))
        _clean(self.officer)
        _prepare_members(self.networks)
        self.smtp_port, self.dlr_port = _free_port(), _free_port()
        self.recipients_file = self.tmp / "smtp-recipients.txt"
        self.processes.append(
            subprocess.Popen(
                [sys.executable, __file__, "--smtp-sink", str(self.smtp_port), str(self.recipients_file)],
                cwd=ROOT,
            )
        )
        self.processes.append(
            subprocess.Popen(
                [sys.executable, str(ROOT / "bench" / "http_sink.py"), str(self.dlr_port)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        _wait_port(self.smtp_port)
        _wait_port(self.dlr_port)
        self.kannel = kannel_module.Kannel(self.tmp / "kannel").start()
        self.dlr_base = f"http://127.0.0.1:{self.dlr_port}"
        sending.dispatch_enqueue = lambda *args, **kwargs: None  # the worker processes hand over, not the task queue
        settings.BINPLP_SMS_CALLBACK_BASE_URL = self.dlr_base
        return self

    def __exit__(self, *exc):
        from bench.messaging import _clean

        if self.kannel is not None:
            self.kannel.stop()
        for process in self.processes:
            process.terminate()
            process.wait(timeout=10)
        shutil.rmtree(self.tmp, ignore_errors=True)
        _clean(self.officer)
        return False

    def _recipients(self) -> list[str]:
        if not self.recipients_file.exists():
            return []
        return self.recipients_file.read_text().splitlines()

    def send(self) -> dict:
        """The fan-out here, then two worker processes until the outbox is empty; returns the figures."""
        from django.db import connection
        from django.db.models import Max

        from bench.messaging import TEXTS, _counts
        from messaging.models import Delivery
        from messaging.services import sending

        smtp_before = len(self._recipients())
        self.kannel.clear()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_CONN_MAX_AGE": "600",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "SMS_GATEWAY_URL": self.kannel.url,
            "SMS_GATEWAY_USERNAME": self.kannel.username,
            "SMS_GATEWAY_PASSWORD": self.kannel.password,
            "SMS_CALLBACK_BASE_URL": self.dlr_base,
        }
        started = time.perf_counter()
        sent_at = datetime.datetime.now(datetime.UTC)
        sent = sending.message_send(
            actor=self.officer, message_type="urgent_alert", networks=self.networks, texts=TEXTS
        )
        fan_out = time.perf_counter() - started
        connection.close()
        workers = [
            subprocess.Popen(
                [sys.executable, "manage.py", "dispatch_outbox", "--follow", "--poll", "0.5", "--until-idle", "3"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for _ in range(2)
        ]
        return {
            "message": sent.message,
            "deliveries": sent.deliveries,
            "fan_out": fan_out,
            "sent_at": sent_at,
            "workers": workers,
            "smtp_before": smtp_before,
            "collect": lambda: self._collect(sent.message, sent_at, workers, smtp_before, _counts, Delivery, Max),
        }

    def _collect(self, message, sent_at, workers, smtp_before, _counts, Delivery, Max) -> dict:
        outputs = [worker.communicate(timeout=1800)[0] for worker in workers]
        counts = _counts(message)
        handed = Delivery.objects.filter(message=message, channel__in=["email", "sms"])
        last = handed.aggregate(last=Max("sent_at"))["last"]
        email = sum(n for (channel, _s), n in counts.items() if channel == "email")
        sms = sum(n for (channel, _s), n in counts.items() if channel == "sms")
        not_sent = handed.exclude(status="sent").count()
        retried = handed.exclude(attempts=1).count()
        time.sleep(1)  # the sinks write down the last ones
        smtp = self._recipients()[smtp_before:]
        phones = [sms_row["to"] for sms_row in self.kannel.received()]
        # Compared with the deliveries' own addresses as multisets: some members share a mobile number.
        want_mail = Counter(
            e.lower() for e in handed.filter(channel="email").values_list("member__user__email", flat=True)
        )
        want_sms = Counter(_number(m) for m in handed.filter(channel="sms").values_list("member__mobile", flat=True))
        got_mail, got_sms = Counter(e.lower() for e in smtp), Counter(_number(p) for p in phones)
        seconds = (last - sent_at).total_seconds() if last else float("nan")
        return {
            "web": sum(n for (channel, _s), n in counts.items() if channel == "web"),
            "email": email,
            "sms": sms,
            "counts": counts,
            "handover_seconds": seconds,
            "handover_rate": (email + sms) / seconds if last else 0.0,
            "not_sent": not_sent,
            "retried": retried,
            "smtp_received": len(smtp),
            "phones_received": len(phones),
            "missing": sum((want_mail - got_mail).values()) + sum((want_sms - got_sms).values()),
            "extra": sum((got_mail - want_mail).values()) + sum((got_sms - want_sms).values()),
            "worker_exit": [worker.returncode for worker in workers],
            "worker_output": [output.strip().splitlines()[-1:] for output in outputs],
        }


def _number(mobile: str) -> str:
    return "".join(c for c in mobile if c.isdigit())[-9:]


# --- the run --------------------------------------------------------------------------------------------------------


def run(args) -> dict:
    from django.db import connection

    from bench.run import _database_url, _setup, build_dataset

    os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_URL)
    url = _database_url()
    _setup(url, rebuild=False)
    if connection.vendor != "postgresql":
        sys.exit(f"`make load` runs on PostgreSQL (BENCH_DATABASE_URL), not {connection.vendor}.")
    dataset = build_dataset()
    if dataset["built"]:
        print(f"Dataset built in {dataset['seconds']:.0f} s.", flush=True)
    (ROOT / "var").mkdir(exist_ok=True)
    networks, members = _alert_networks(args.recipients)
    loads = build_loads(networks)
    result = {
        "url": url.rsplit("@", 1)[-1],
        "dataset": dataset,
        "plain": {},
        "alert": {},
        "alerts": {},
        "args": vars(args),
        "alert_networks": len(networks),
        "alert_members": members,
    }
    with Server(url, args.worker_class, args.threads) as server:
        for requests in loads.values():  # every path answers 200; both workers warm
            for path, headers in requests * 2:
                _check(server.port, path, headers)
        for label, requests in loads.items():
            print(f"load: {label} for {args.seconds} s …", flush=True)
            result["plain"][label] = _wrk_result(
                _wrk_start(server.base, requests, args.seconds, args.connections), args.seconds
            )
            _print_row(label, result["plain"][label])
        if args.skip_alert:
            return result
        with AlertRig(networks) as rig:
            # One alert; the three loads run one after the other while it is sent and handed over.
            alert = None
            for label, requests in loads.items():
                print(f"load under an alert to {members:,} members: {label} for {args.seconds} s …", flush=True)
                wrk = _wrk_start(server.base, requests, args.seconds, args.connections)
                if alert is None:
                    time.sleep(1)
                    alert = rig.send()
                    print(
                        f"  alert sent: {alert['deliveries']:,} deliveries in {alert['fan_out']:.1f} s; handing over …",
                        flush=True,
                    )
                row = _wrk_result(wrk, args.seconds)
                row["alert_running"] = any(worker.poll() is None for worker in alert["workers"])
                result["alert"][label] = row
                _print_row(label, row)
                if not row["alert_running"]:
                    print("  (the alert's hand-over had ended before this load did)", flush=True)
            figures = alert["collect"]()
            figures["fan_out"] = alert["fan_out"]
            figures["deliveries"] = alert["deliveries"]
            result["alerts"]["alert"] = figures
            _print_alert(figures)
    return result


def _ms(microseconds: int) -> str:
    return f"{microseconds / 1000:.1f} ms"


def _print_row(label: str, row: dict) -> None:
    print(
        f"  {label:<78} {row['rps']:>7,.0f} req/s  p50 {_ms(row['p50']):>9}  p95 {_ms(row['p95']):>9}  "
        f"p99 {_ms(row['p99']):>9}  errors {row['errors']} of {row['requests']:,} ({row['error_rate']:.2%})  "
        f"load {row['load_before']:.1f}→{row['load_after']:.1f}",
        flush=True,
    )


def _lost(figures: dict) -> bool:
    return bool(
        figures["not_sent"]
        or figures["retried"]
        or figures["smtp_received"] != figures["email"]
        or figures["phones_received"] != figures["sms"]
        or figures["missing"]
        or figures["extra"]
        or any(figures["worker_exit"])
    )


def _alert_text(figures: dict) -> str:
    return (
        f"fan-out {figures['fan_out']:.1f} s ({figures['deliveries']:,} deliveries: {figures['web']:,} web, "
        f"{figures['email']:,} e-mail, {figures['sms']:,} SMS); hand-over of {figures['email'] + figures['sms']:,} "
        f"in {figures['handover_seconds']:.1f} s from sending ({figures['handover_rate']:,.0f}/s, 2 workers); "
        f"not sent {figures['not_sent']}, more than one attempt {figures['retried']}; SMTP sink got "
        f"{figures['smtp_received']:,}, phones got {figures['phones_received']:,}; against the deliveries' addresses: "
        f"{figures['missing']} missing, {figures['extra']} extra: "
        + ("SOMETHING LOST OR DUPLICATED" if _lost(figures) else "nothing lost, no duplicates")
    )


def _print_alert(figures: dict) -> None:
    print("  alert: " + _alert_text(figures), flush=True)


def _figure(row: dict) -> str:
    return (
        f"{row['rps']:,.0f} req/s; p50 {_ms(row['p50'])}, p95 {_ms(row['p95'])}, p99 {_ms(row['p99'])}; "
        f"errors {row['errors']}/{row['requests']:,} ({row['error_rate']:.2%}); "
        f"load average {row['load_before']:.1f} before, {row['load_after']:.1f} after"
    )


def write_notes(result: dict, path: Path) -> None:
    args = result["args"]
    command = f"`.venv/bin/python bench/load.py --seconds {args['seconds']} --connections {args['connections']}"
    if args["worker_class"] != "sync":
        command += f" --worker-class {args['worker_class']} --threads {args['threads']}"
    command += "`"
    setup = (
        f"gunicorn 2 {args['worker_class']} workers"
        + (f" × {args['threads']} threads" if args["worker_class"] == "gthread" else "")
        + f", PostgreSQL ({result['dataset']['networks']:,} networks, {result['dataset']['members']:,} members), "
        f"wrk 2 threads × {args['connections']} connections × {args['seconds']} s, loopback, 2 cores"
    )
    lines = [
        "# Load on loopback (issue 9)",
        "",
        f"Setup: {setup}. Bench settings: DEBUG off, API throttling off, persistent DB connections. "
        f"Measured {datetime.datetime.now():%Y-%m-%d %H:%M}; other test suites may have shared the machine "
        "(see the load averages).",
        "",
        "| property | command | figure |",
        "|---|---|---|",
    ]
    for label, row in result["plain"].items():
        lines.append(f"| {label}, alone | {command} | {_figure(row)} |")
    for label, row in result["alert"].items():
        during = "" if row.get("alert_running", True) else " (the hand-over had ended before the load did)"
        lines.append(
            f"| {label}, while an urgent alert to {result['alert_members']:,} members is sent{during} | {command} | "
            f"{_figure(row)} |"
        )
    for figures in result["alerts"].values():
        lines.append(
            f"| urgent alert to {result['alert_members']:,} members of {result['alert_networks']} networks, sent and "
            f"handed over (SMTP sink, Kannel) while the three loads run | {command} | {_alert_text(figures)} |"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--smtp-sink"]:
        return smtp_sink(int(argv[1]), argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=30, help="length of each wrk run")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (2 threads)")
    parser.add_argument("--recipients", type=int, default=100_000, help="members the alert goes to")
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker with gthread")
    parser.add_argument("--skip-alert", action="store_true", help="only the loads alone")
    parser.add_argument("--notes", type=Path, default=NOTES, help="where the figures are written (markdown)")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        print("wrk is not installed: the load test is skipped (Debian: apt-get install wrk; `make load` does it).")
        return 0
    sys.path.insert(0, str(ROOT))
    result = run(args)
    write_notes(result, args.notes)
    print(f"Figures written to {args.notes}.")
    lost = any(_lost(figures) for figures in result["alerts"].values())
    errors = any(row["errors"] for row in (*result["plain"].values(), *result["alert"].values()))
    return 1 if lost or errors else 0


if __name__ == "__main__":
    sys.exit(main())
