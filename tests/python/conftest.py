# SPDX-License-Identifier: MIT
"""Fixtures for the Python suite: the sample capture, its variants (written here, in pure
Python, from the sample's records), the C++ CLI as a reference, and a TZ switcher."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest

from capture_helpers import (SAMPLE, Record, cli_path, read_pcap_records, write_pcap,
                             write_pcapng)


@pytest.fixture(scope="session")
def sample() -> Path:
    assert SAMPLE.exists(), f"{SAMPLE} is missing"
    return SAMPLE


@pytest.fixture(scope="session")
def sample_records() -> list[Record]:
    return read_pcap_records(SAMPLE)[2]


@pytest.fixture(scope="session")
def variants(tmp_path_factory, sample_records) -> dict[str, Path]:
    """The sample rewritten in other container shapes, and cut or snapped versions.

    Every variant decodes to the same frames (values), except `snaplen96` (captured
    length 96, wire length kept) and `truncated` (the last record cut in half)."""
    folder = tmp_path_factory.mktemp("variants")
    recs = sample_records
    snapped = [Record(r.ts_ns, r.origlen, r.data[:96]) for r in recs]
    files = {
        "sample": SAMPLE.read_bytes(),
        "big_endian": write_pcap(recs, endian=">"),
        "nanosecond": write_pcap([Record(r.ts_ns + 123, r.origlen, r.data) for r in recs],
                                 nanosecond=True),
        "pcapng": write_pcapng(recs),
        "gzip": gzip.compress(SAMPLE.read_bytes(), compresslevel=1),
        "snaplen96": write_pcap(snapped, snaplen=96),
    }
    whole = SAMPLE.read_bytes()
    files["truncated"] = whole[: len(whole) - recs[-1].caplen // 2]
    paths = {}
    for name, data in files.items():
        path = folder / f"{name}.pcap{'.gz' if name == 'gzip' else ''}"
        path.write_bytes(data)
        paths[name] = path
    return paths


@pytest.fixture(scope="module")
def small_frames(sample_records) -> bytes:
    """Many minimum-size frames: a capture that takes a while to parse or analyse (the
    GIL-release tests), made in memory."""
    arp = [r for r in sample_records if r.caplen <= 60][:4]
    return write_pcap(arp * 150_000)  # 600k records, ~45 MB


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if path is None:
        pytest.skip("the pcapframe CLI is not built (set PCAPFRAME_CLI)")
    return path


# ---- time zones ----

@pytest.fixture
def set_tz(monkeypatch):
    """set_tz("America/New_York"): TZ for the C library (engine) and Python's time module."""
    def apply(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield apply
    monkeypatch.undo()
    time.tzset()
