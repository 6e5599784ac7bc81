# SPDX-License-Identifier: MIT
"""Every frame of the sample and of ../shared/traces/*.pcap, decoded by pcapframe and by
tshark (per frame, no reassembly), must agree on every compared field (diffkit.py says
how tshark's fields are read)."""
from __future__ import annotations

from pathlib import Path

import pytest

import diffkit


@pytest.mark.parametrize("path", diffkit.original_captures())
def test_frames_match_tshark(path: Path, decoded) -> None:
    d = decoded(path)
    diffkit.check_against_tshark(path.name, d.ours, d.theirs)


def test_sample_exercises_every_compared_field(decoded) -> None:
    """The comparison is not vacuous: in the sample, tshark yields a value for every
    compared field somewhere, and the kinds of traffic data/README.md lists are there."""
    theirs = decoded(diffkit.SAMPLE).theirs
    empty = [f for f in diffkit.COMPARED_FIELDS if all(row[f] in (None, False) for row in theirs)]
    assert not empty, f"no frame of the sample has a value for {empty}"
    layers = {row["layers"] for row in theirs}
    for expected in ("ipv6:ipv6.fraghdr:data", "ip:data", "vlan", "llc", "tcp:dns", "udp:mdns",
                     "icmp:ip:udp", "icmpv6:ipv6:udp"):
        assert any(expected in chain for chain in layers), f"no frame with {expected} in the sample"
    assert any(row["ip_version"] == 6 and row["dns_resp"] for row in theirs)
