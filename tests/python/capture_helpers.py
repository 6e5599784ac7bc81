# SPDX-License-Identifier: MIT
"""Helpers for the Python suite: a tiny pcap reader/writer for making variants of the
sample, and the C++ CLI as a reference."""

from __future__ import annotations

import json
import os
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "sample.pcap"


# ---- a tiny pcap reader/writer for making variants ----

@dataclass
class PcapRecord:
    ts_ns: int
    caplen: int
    origlen: int
    data: bytes


def read_pcap_records(path: Path) -> tuple[int, int, list[PcapRecord]]:
    """(link type, snaplen, records) of a little-endian microsecond pcap."""
    raw = path.read_bytes()
    magic, _, _, _, _, snaplen, link = struct.unpack_from("<IHHiIII", raw, 0)
    assert magic == 0xA1B2C3D4, "the sample is a little-endian microsecond pcap"
    records, offset = [], 24
    while offset + 16 <= len(raw):
        sec, usec, incl, orig = struct.unpack_from("<IIII", raw, offset)
        offset += 16
        records.append(PcapRecord(sec * 10**9 + usec * 1000, incl, orig, raw[offset:offset + incl]))
        offset += incl
    return link, snaplen, records


def write_pcap(records: list[PcapRecord], *, link: int = 1, snaplen: int = 262144,
               endian: str = "<", nanosecond: bool = False) -> bytes:
    magic = 0xA1B23C4D if nanosecond else 0xA1B2C3D4
    out = [struct.pack(endian + "IHHiIII", magic, 2, 4, 0, 0, snaplen, link)]
    for r in records:
        sec, frac = divmod(r.ts_ns, 10**9)
        frac = frac if nanosecond else frac // 1000
        out.append(struct.pack(endian + "IIII", sec, frac, len(r.data), r.origlen))
        out.append(r.data)
    return b"".join(out)


def write_pcapng(records: list[PcapRecord], *, link: int = 1) -> bytes:
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
