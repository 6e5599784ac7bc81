# SPDX-License-Identifier: MIT
"""Helpers for the Python suite: pcap records in and out for making variants of the sample
(through tests/support/pcap_variants.py), and the C++ CLI as a reference."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample.pcap"

# tests/support: pcap_variants here, and the shared helpers the test modules import.
if str(ROOT / "tests" / "support") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "support"))
from pcap_variants import Capture, Record, pcap_bytes, read_pcap  # noqa: E402


# ---- pcap records in and out (tests/support/pcap_variants.py) ----

def read_pcap_records(path: Path) -> tuple[int, int, list[Record]]:
    """(link type, snaplen, records) of a classic pcap file."""
    capture = read_pcap(path)
    return capture.link_type, capture.snaplen, list(capture.records)


def write_pcap(records: list[Record], *, link: int = 1, snaplen: int = 262144,
               endian: str = "<", nanosecond: bool = False) -> bytes:
    """The bytes of a classic pcap file of `records` (version 2.4)."""
    return pcap_bytes(Capture(link, snaplen, endian == ">", nanosecond, (2, 4), tuple(records)))


def write_pcapng(records: list[Record], *, link: int = 1) -> bytes:
    """A pcapng file: section header, one interface (microseconds), enhanced packet blocks."""
    def block(kind: int, body: bytes) -> bytes:
        body += b"\0" * (-len(body) % 4)
        length = len(body) + 12
        return struct.pack("<II", kind, length) + body + struct.pack("<I", length)

    out = [block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)),
           block(0x00000001, struct.pack("<HHI", link, 0, 262144))]
    for r in records:
        ts = r.ts_ns // 1000
        out.append(block(0x00000006, struct.pack("<IIIII", 0, ts >> 32, ts & 0xFFFFFFFF,
                                                  len(r.data), r.origlen) + r.data))
    return b"".join(out)


# ---- the C++ CLI as a reference ----

def cli_path() -> Path | None:
    env = os.environ.get("PCAPFRAME_CLI")
    for candidate in ([Path(env)] if env else []) + [ROOT / "build" / "release" / "src" / "pcapframe"]:
        if candidate.exists():
            return candidate
    return None


def cli_rows(cli: Path, capture: Path, *extra: str) -> list[dict]:
    """`pcapframe packets --format jsonl --columns all` as a list of dicts."""
    result = subprocess.run([str(cli), "packets", str(capture), "--format", "jsonl",
                             "--columns", "all", *extra],
                            capture_output=True, text=True, check=False)
    assert result.returncode in (0, 2), result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line]


def have(module: str) -> bool:
    try:
        __import__(module)
        return True
    except ImportError:
        return False
