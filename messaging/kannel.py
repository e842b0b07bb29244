"""Kannel on loopback: bearerbox + smsbox + the fake SMSC from Debian's `kannel` and `kannel-extras`, with a
configuration of free ports in a folder of ours. The tests, the benchmark and `make demo` use it as the real SMS
gateway; `received()` reads what the fake SMSC (the "phones") got."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess  # nosec B404  # runs the local Kannel binaries only
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
RECEIVED = re.compile(r"Got message \d+: <(?P<sender>\S+) (?P<to>\S+) text (?P<text>.*)>$")


def available() -> bool:
    return all(os.access(path, os.X_OK) for path in (BEARERBOX, SMSBOX, FAKESMSC))


def _free_ports(count: int) -> list[int]:
    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


CONFIG = """
group = core
admin-port = {admin}
admin-password = {password}
status-password = {password}
admin-allow-ip = "127.0.0.1"
admin-interface = "127.0.0.1"
smsbox-port = {box}
box-allow-ip = "127.0.0.1"
log-file = "{dir}/bearerbox.log"
log-level = 2
dlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
host = 127.0.0.1
port = {fake}
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = {box}
sendsms-port = {sendsms}
sendsms-interface = 127.0.0.1
log-file = "{dir}/smsbox.log"
log-level = 2
http-request-retry = 3

group = sendsms-user
username = {username}
password = {password}
max-messages = 10
concatenation = true

group = sms-service
keyword = default
catch-all = true
text = "ok"
"""


@dataclass
class Kannel:
    directory: Path
    username: str = "binplp"
    password: str = "binplp-test-gateway"  # noqa: S105 - a loopback test gateway
    ports: dict = field(default_factory=dict)
    processes: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.ports['sendsms']}"

    def start(self, timeout: float = 20.0) -> Kannel:
        self.directory.mkdir(parents=True, exist_ok=True)
        admin, box, fake, sendsms = _free_ports(4)
        self.ports = {"admin": admin, "box": box, "fake": fake, "sendsms": sendsms}
        config = self.directory / "kannel.conf"
        config.write_text(
            CONFIG.format(dir=self.directory, username=self.username, password=self.password, **self.ports)
        )
        self.processes["bearerbox"] = self._spawn("bearerbox", [BEARERBOX, "-v", "4", str(config)])
        self._wait_port(box, timeout)
        self.start_phones()
        self.processes["smsbox"] = self._spawn("smsbox", [SMSBOX, "-v", "4", str(config)])
        self._wait_port(sendsms, timeout)
        self._wait_ready(timeout)
        return self

    def start_phones(self) -> None:
        """The fake SMSC client that plays the phones: prints every SMS it gets (-m 0: sends none itself)."""
        self.processes["fakesmsc"] = self._spawn(
            "fakesmsc", [FAKESMSC, "-H", "127.0.0.1", "-r", str(self.ports["fake"]), "-m", "0", "1 2 text x"]
        )

    def _spawn(self, name: str, argv: list[str]) -> subprocess.Popen:
        out = open(self.directory / f"{name}.out", "ab")  # noqa: SIM115 - the process owns it until it stops
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=self.directory)  # noqa: S603 - fixed argv of the local Kannel binaries  # nosec B603

    @staticmethod
    def _wait_port(port: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"Kannel did not open port {port}")

    def _wait_ready(self, timeout: float) -> None:
        """Until bearerbox reports the fake SMSC online (messages sent before would wait in its queue)."""
        deadline = time.monotonic() + timeout
        status = f"http://127.0.0.1:{self.ports['admin']}/status.txt?password={self.password}"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(status, timeout=2) as response:  # noqa: S310 - loopback  # nosec B310
                    if "online" in response.read().decode("utf-8", "replace").split("SMSC connections", 1)[-1]:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError("Kannel's fake SMSC did not come online")

    def received(self) -> list[dict]:
        """Every SMS the fake SMSC received: sender, to, text."""
        path = self.directory / "fakesmsc.out"
        if not path.exists():
            return []
        result = []
        for line in path.read_text("utf-8", "replace").splitlines():
            found = RECEIVED.search(line)
            if found:
                result.append(found.groupdict())
        return result

    def clear(self) -> None:
        path = self.directory / "fakesmsc.out"
        if path.exists():
            path.write_bytes(b"")

    def stop_process(self, name: str) -> None:
        process = self.processes.pop(name, None)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def stop(self) -> None:
        for name in ("smsbox", "fakesmsc", "bearerbox"):
            self.stop_process(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """`python -m messaging.kannel DIR`: run Kannel with its fake SMSC until stopped, printing the environment the
    app needs (SMS_GATEWAY_URL, …) on the first line — for `make demo`."""
    import argparse
    import signal
    import sys

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("directory", type=Path)
    args = parser.parse_args(argv)
    if not available():
        print("Kannel is not installed (Debian packages kannel kannel-extras): SMS will fall back to e-mail.")
        return 1
    gateway = Kannel(args.directory.resolve())
    gateway.directory.mkdir(parents=True, exist_ok=True)
    gateway.start()
    print(
        f"SMS_GATEWAY_URL={gateway.url} SMS_GATEWAY_USERNAME={gateway.username} "
        f"SMS_GATEWAY_PASSWORD={gateway.password}",
        flush=True,
    )
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(1))
    try:
        while not stopping and all(p.poll() is None for p in gateway.processes.values()):
            time.sleep(0.5)
    finally:
        gateway.stop()
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
