# SPDX-License-Identifier: MIT
"""DNS servers on loopback for the `--resolve` / ``resolve=True`` tests (tests/analysis_cli and
tests/python): a real dnsmasq with PTR records for the sample's addresses, and a socket that
never answers. Both are pytest fixtures; a suite imports them into its test module."""
from __future__ import annotations

import ipaddress
import os
import shutil
import socket
import struct
import subprocess
import time
from typing import Iterator

import pytest


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ptr_name(address: str) -> str:
    return ipaddress.ip_address(address).reverse_pointer


def answers(port: int, name: str, timeout: float = 0.2) -> bool:
    """Send one PTR query; True when any response comes back."""
    query = struct.pack(">HHHHHH", 0x4242, 0x0100, 1, 0, 0, 0)
    for label in name.split("."):
        query += bytes([len(label)]) + label.encode()
    query += b"\x00" + struct.pack(">HH", 12, 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        s.sendto(query, ("127.0.0.1", port))
        try:
            s.recvfrom(512)
            return True
        except OSError:
            return False


@pytest.fixture(scope="module")
def dnsmasq() -> Iterator[str]:
    """dnsmasq on 127.0.0.1:<free port> with PTR records for the sample's client (IPv4 and
    IPv6), authoritative (--local) for the reverse zones so others get NXDOMAIN."""
    binary = shutil.which("dnsmasq") or (
        "/usr/sbin/dnsmasq" if os.path.exists("/usr/sbin/dnsmasq") else None)
    if binary is None:
        pytest.skip("dnsmasq is not installed (apt-get install dnsmasq-base)")
    port = free_udp_port()
    argv = [binary, "--no-daemon", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
            "--pid-file=", f"--port={port}", "--listen-address=127.0.0.1", "--bind-interfaces",
            f"--ptr-record={ptr_name('10.77.0.1')},client.pcapframe.test",
            f"--ptr-record={ptr_name('fd77::1')},client6.pcapframe.test",
            # Already named by the trace's own DNS: must not be asked for.
            f"--ptr-record={ptr_name('10.77.0.2')},ptr-must-not-win.pcapframe.test",
            "--local=/in-addr.arpa/", "--local=/ip6.arpa/"]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 5
        while not answers(port, ptr_name("10.77.0.1")):
            if proc.poll() is not None or time.monotonic() > deadline:
                err = (proc.stderr.read().decode() if proc.poll() is not None
                       else "no answer within 5 s")
                pytest.skip(f"dnsmasq did not start: {err}")
        yield f"127.0.0.1:{port}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture()
def silent_server() -> Iterator[str]:
    """A bound UDP socket that never answers: every lookup sent to it times out."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        yield f"127.0.0.1:{s.getsockname()[1]}"
