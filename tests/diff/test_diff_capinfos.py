# SPDX-License-Identifier: MIT
"""`pcapframe info --json` totals and times equal capinfos's (table mode, machine-readable
numbers, times as seconds since the epoch), for the captures and every variant."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

import diffkit


def check_info(cli: str, capinfos: str, path: Path, frames) -> dict:
    info = diffkit.our_info(cli, path)
    ref = diffkit.capinfos_table(capinfos, path)
    problems = []

    def expect(what: str, ours, theirs) -> None:
        if ours != theirs:
            problems.append(f"{what}: pcapframe {ours!r} vs capinfos {theirs!r}")

    expect("packets", info["packets"], int(ref["Number of packets"]))
    expect("bytes (data size)", info["bytes"], int(ref["Data size (bytes)"]))
    expect("first time (ns)", info["first_time_ns"], diffkit.seconds_to_ns(ref["Start time"]))
    expect("last time (ns)", info["last_time_ns"], diffkit.seconds_to_ns(ref["End time"]))
    expect("first time (float, µs)", diffkit.to_microsecond(Decimal(repr(info["first_time"]))),
           diffkit.to_microsecond(Decimal(ref["Start time"])))
    expect("last time (float, µs)", diffkit.to_microsecond(Decimal(repr(info["last_time"]))),
           diffkit.to_microsecond(Decimal(ref["End time"])))
    expect("duration (µs)", diffkit.to_microsecond(Decimal(repr(info["duration"]))),
           diffkit.to_microsecond(Decimal(ref["Capture duration (seconds)"])))
    expect("snaplen", info["snaplen"], int(ref["Packet size limit"]))
    # capinfos has no captured-bytes total; tshark's per-frame cap_len sums to it.
    expect("captured bytes (tshark)", info["captured_bytes"], sum(f["caplen"] for f in frames))
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
    return info


@pytest.mark.parametrize("path", diffkit.original_captures())
def test_info_matches_capinfos(path: Path, cli, capinfos, decoded) -> None:
    check_info(cli, capinfos, path, decoded(path).theirs)


@pytest.mark.parametrize("name", list(diffkit.VARIANT_RECIPES))
def test_variant_info_matches_capinfos(name: str, cli, capinfos, variants, decoded) -> None:
    variant = variants(name)
    info = check_info(cli, capinfos, variant.path, decoded(variant.path).theirs)
    assert info["nanosecond"] == ("nanosecond" in name)
    assert info["big_endian"] == ("big-endian" in name)
