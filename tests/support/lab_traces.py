# SPDX-License-Identifier: MIT
"""The captures the analysis suites run on (the sample, plus the lab's real traces in
../shared/traces when that folder is there), and pcapframe's address rules that their
pandas recomputations follow (tests/analysis_cli, tests/python)."""
from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample.pcap"
TRACES = REPO.parent / "shared" / "traces"


def captures() -> list[Any]:
    """The sample, and the lab's real traces when ../shared/traces is there."""
    params = [pytest.param(SAMPLE, id="sample.pcap")]
    if TRACES.is_dir():
        params += [pytest.param(p, id=p.name) for p in sorted(TRACES.glob("*.pcap"))]
    else:
        params.append(pytest.param(None, id="shared-traces",
                                   marks=pytest.mark.skip(reason=f"{TRACES} is absent")))
    return params


def address_order(text: str) -> tuple[int, bytes]:
    """pcapframe's address order: IPv4 before IPv6, then by the address bytes."""
    a = ipaddress.ip_address(text)
    return (a.version, a.packed)


def is_private(text: str) -> bool:
    """pcapframe's private addresses: RFC 1918, RFC 4193, link-local, loopback."""
    a = ipaddress.ip_address(text)
    nets = (("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16", "127.0.0.0/8")
            if a.version == 4 else ("fc00::/7", "fe80::/10", "::1/128"))
    return any(a in ipaddress.ip_network(n) for n in nets)
