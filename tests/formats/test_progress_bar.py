# SPDX-License-Identifier: MIT
"""The progress line (issue #4): on a terminal, a read that lasts more than about two seconds
shows "N packets, X read, R packets/s" on stderr (redrawn in place, erased at the end); with
-q, or when stderr is not a terminal, nothing is drawn.

The input is the sample's records trickled through a pipe for about three seconds (a copy
every quarter second, tests/analysis_cli/capture_stream.py), so the read outlasts the
two-second threshold however fast the machine is; stderr is a pseudo-terminal (`pty`)."""
from __future__ import annotations

import os
import pty
import re
import subprocess
import threading
import time

import pytest

from capture_stream import RepeatedCapture

import formatkit

COPIES = 12
EVERY_S = 0.25
LINE = re.compile(r"\r\x1b\[K[0-9,]+ packets, [0-9.]+ ?[kMG]?B read, [0-9.]+ ?[kMG]?packets/s")


def trickle(cli: str, args: list[str], stderr_tty: bool) -> tuple[int, str, bytes, int]:
    """Run `pcapframe info ARGS -` on the trickled sample; return (exit status, stdout,
    everything written to stderr, records sent)."""
    capture = RepeatedCapture(formatkit.SAMPLE)
    master = slave = None
    if stderr_tty:
        master, slave = pty.openpty()
    proc = subprocess.Popen([cli, "info", *args, "-"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE,
                            stderr=slave if stderr_tty else subprocess.PIPE)
    if slave is not None:
        os.close(slave)
    stderr = bytearray()

    def drain_tty() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # EIO: the child closed the terminal
                return
            if not chunk:
                return
            stderr.extend(chunk)

    def drain_pipe() -> None:
        stderr.extend(proc.stderr.read())

    drainer = threading.Thread(target=drain_tty if stderr_tty else drain_pipe)
    drainer.start()
    fd = proc.stdin.fileno()
    os.write(fd, capture.header)
    for n in range(COPIES):
        view = capture.copy(n)
        while view:
            view = view[os.write(fd, view):]
        time.sleep(EVERY_S)
    proc.stdin.close()
    stdout = proc.stdout.read().decode()
    status = proc.wait(timeout=60)
    drainer.join(timeout=10)
    if master is not None:
        os.close(master)
    return status, stdout, bytes(stderr), COPIES * capture.records


def packets_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("Packets:"))


def test_a_terminal_gets_a_progress_line(cli) -> None:
    status, stdout, stderr, records = trickle(cli, [], stderr_tty=True)
    assert status == 0, stderr
    assert packets_line(stdout).endswith(f"{records:,}")
    text = stderr.decode()
    assert LINE.search(text), repr(text[:400])
    assert text.endswith("\r\x1b[K"), repr(text[-80:])  # the line is erased at the end


@pytest.mark.parametrize("case", ["quiet", "not-a-terminal"])
def test_no_progress_line_with_quiet_or_without_a_terminal(case: str, cli) -> None:
    quiet = case == "quiet"
    status, stdout, stderr, records = trickle(cli, ["-q"] if quiet else [], stderr_tty=quiet)
    assert status == 0, stderr
    assert packets_line(stdout).endswith(f"{records:,}")
    assert stderr == b""
