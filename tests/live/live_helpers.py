# SPDX-License-Identifier: MIT
"""Helpers for the live-capture suite (fixtures are in conftest.py): the namespaces' layout,
commands run inside them, and a live pcapframe process whose stderr is followed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
TRAFFIC = HERE / "traffic.py"


def cli_path() -> Path | None:
    env = os.environ.get("PCAPFRAME_CLI")
    for candidate in ([Path(env)] if env else []) + [ROOT / "build" / "release" / "src" / "pcapframe"]:
        if candidate.exists():
            return candidate.resolve()
    return None


def tool(name: str) -> str | None:
    return shutil.which(name) or next(
        (str(p) for p in (Path("/usr/sbin") / name, Path("/sbin") / name) if p.exists()), None)


def run(cmd: list[str], *, check: bool = True, timeout: float = 60, **kw) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)
    if check and result.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


@dataclass
class Net:
    """Namespace `a` (capture side, veth-a, 10.231.0.1) and `b` (veth-b, 10.231.0.2)."""
    a: str
    b: str
    ip: str
    if_a: str = "veth-a"
    if_b: str = "veth-b"
    ip_a: str = "10.231.0.1"
    ip_b: str = "10.231.0.2"
    mac_a: str = "02:50:46:4c:00:01"
    mac_b: str = "02:50:46:4c:00:02"

    def in_a(self, *cmd: str) -> list[str]:
        return [self.ip, "netns", "exec", self.a, *map(str, cmd)]

    def in_b(self, *cmd: str) -> list[str]:
        return [self.ip, "netns", "exec", self.b, *map(str, cmd)]

    def ping_from_b(self, count: int, interval: float = 0.2) -> None:
        run(self.in_b("ping", "-q", "-n", "-c", count, "-i", interval, "-W", "2", self.ip_a))

    def server_in_a(self, *args: str) -> subprocess.Popen:
        """Start traffic.py in namespace a and wait for its "ready"."""
        proc = subprocess.Popen(self.in_a(sys.executable, TRAFFIC, *args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        line = proc.stdout.readline()
        assert line.strip() == "ready", f"{args}: {line!r} {proc.stderr.read() if proc.poll() is not None else ''}"
        return proc

    def client_in_b(self, *args: str) -> None:
        run(self.in_b(sys.executable, TRAFFIC, *args))


@dataclass
class LiveProcess:
    """A live pcapframe command in namespace a, its stderr collected by a thread."""
    proc: subprocess.Popen
    stderr_lines: list[str] = field(default_factory=list)
    started: threading.Event = field(default_factory=threading.Event)
    _reader: threading.Thread | None = None

    def wait_started(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while not self.started.wait(0.05):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.finish(timeout=5)
                raise AssertionError(f"capture did not start (exit {self.proc.returncode}):\n{self.stderr}")

    def signal(self, sig: int) -> None:
        self.proc.send_signal(sig)

    def finish(self, timeout: float = 30) -> tuple[int, str, str]:
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(f"the capture did not end within {timeout} s:\n{self.stderr}")
        out = self.proc.stdout.read() if self.proc.stdout else ""
        if self._reader:
            self._reader.join(timeout=5)
        return self.proc.returncode, out, self.stderr

    @property
    def stderr(self) -> str:
        return "".join(self.stderr_lines)


def start_live(net: Net, cli: Path, *args: str, env: dict | None = None, prefix: tuple[str, ...] = (),
               wait: bool = True) -> LiveProcess:
    """Run `pcapframe ARGS` in namespace a (after `prefix`, e.g. setpriv) and wait until it
    says it is capturing."""
    return start_in_a(net, [*prefix, str(cli), *args], env=env, wait=wait)


def start_in_a(net: Net, argv: list[str], *, env: dict | None = None, wait: bool = True) -> LiveProcess:
    """Run `argv` in namespace a; with `wait`, until a line of its stderr says "capturing on"."""
    proc = subprocess.Popen(net.in_a(*argv), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env=env)
    live = LiveProcess(proc)

    def read_stderr() -> None:
        for line in proc.stderr:
            live.stderr_lines.append(line)
            if line.startswith("capturing on "):
                live.started.set()

    live._reader = threading.Thread(target=read_stderr, daemon=True)
    live._reader.start()
    if wait:
        live.wait_started()
    return live
