# SPDX-License-Identifier: MIT
"""Fixtures for the live-capture suite: two network namespaces of the test's own, joined by
a veth pair, and the tools the results are checked with.

Nothing here touches the host's interfaces: every capture and every packet happens inside
the namespaces `pfl-a-<pid>` and `pfl-b-<pid>` (unique per run, so runs can overlap), which
are deleted when the module's tests end, pass or fail. The link is kept quiet so that packet
counts are exact: IPv6 is disabled (no neighbour discovery, no MLD) and the neighbours are
static (no ARP).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_helpers import Net, cli_path, run, tool  # noqa: E402


def _cleanup(ip: str, names: list[str]) -> None:
    for name in names:
        subprocess.run([ip, "netns", "del", name], capture_output=True)


@pytest.fixture(scope="module")
def net():
    if os.geteuid() != 0:
        pytest.skip("live capture tests need root (network namespaces, packet capture); "
                    "`make test` runs them as root in CI")
    ip = tool("ip")
    if ip is None:
        pytest.skip("iproute2's `ip` is not installed (apt-get install iproute2)")
    pid = os.getpid()
    n = Net(a=f"pfl-a-{pid}", b=f"pfl-b-{pid}", ip=ip)
    made: list[str] = []
    try:
        for name in (n.a, n.b):
            result = subprocess.run([ip, "netns", "add", name], capture_output=True, text=True)
            if result.returncode != 0:
                pytest.skip(f"cannot create a network namespace (`ip netns add` says: "
                            f"{result.stderr.strip()}); needs root with CAP_SYS_ADMIN")
            made.append(name)
        for name in (n.a, n.b):
            # Before the veth exists, so that it is born without IPv6 (no ND/MLD chatter).
            run([ip, "netns", "exec", name, "sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
                 "net.ipv6.conf.default.disable_ipv6=1"], check=False)
            run([ip, "-n", name, "link", "set", "lo", "up"])
        result = subprocess.run([ip, "link", "add", n.if_a, "netns", n.a, "address", n.mac_a, "type", "veth",
                                 "peer", "name", n.if_b, "netns", n.b, "address", n.mac_b],
                                capture_output=True, text=True)
        if result.returncode != 0:
            pytest.skip(f"cannot create a veth pair: {result.stderr.strip()}")
        for name, ifname, addr, peer, peer_mac in ((n.a, n.if_a, n.ip_a, n.ip_b, n.mac_b),
                                                   (n.b, n.if_b, n.ip_b, n.ip_a, n.mac_a)):
            run([ip, "-n", name, "addr", "add", f"{addr}/24", "dev", ifname])
            run([ip, "-n", name, "link", "set", ifname, "up"])
            run([ip, "-n", name, "neigh", "replace", peer, "lladdr", peer_mac, "dev", ifname, "nud", "permanent"])
            ethtool = tool("ethtool")
            if ethtool:  # wire-sized frames rather than offload super-frames (not essential)
                run([ip, "netns", "exec", name, ethtool, "-K", ifname, "tso", "off", "gso", "off", "gro", "off"],
                    check=False)
        yield n
    finally:
        _cleanup(ip, made)


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if path is None:
        pytest.skip("the pcapframe CLI is not built (set PCAPFRAME_CLI)")
    return path


@pytest.fixture(scope="session")
def tshark() -> str:
    found = tool("tshark")
    if found is None:
        pytest.skip("tshark is not installed (apt-get install tshark)")
    return found


@pytest.fixture(scope="session")
def capinfos() -> str:
    found = tool("capinfos")
    if found is None:
        pytest.skip("capinfos is not installed (apt-get install wireshark-common)")
    return found
