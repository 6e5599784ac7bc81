# SPDX-License-Identifier: MIT
"""Captures whose DNS names are built to attack whoever reads pcapframe's output: terminal
escapes (SGR colours, OSC 52 clipboard writes), CR/LF, quotes and commas for CSV, spreadsheet
formulas, `<script>` for HTML, invalid UTF-8, NUL, and a right-to-left override (standard
library only).

    write_hostile_pcap(path)     classic pcap: for each name a query, its answer (an A record
                                 with an address of its own) and a flow to that address
    write_hostile_pcapng(path)   the same frames, and the names again in a Name Resolution Block

`HOSTILE` lists each raw first label and the display text pcapframe must show for it
(`to_display_text`: printable ASCII and well-formed UTF-8 kept, a backslash doubled, every
other byte `\\xNN`); each name is that label followed by SUFFIX.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

SUFFIX = b".evil.test."


@dataclass(frozen=True)
class Hostile:
    label: bytes  # the first label, raw
    shown: str  # its display text
    address: bytes  # the A record's address (192.0.2.x)

    @property
    def name(self) -> bytes:
        return self.label + SUFFIX

    @property
    def shown_name(self) -> str:
        return self.shown + SUFFIX.decode()

    @property
    def formula(self) -> bool:
        """Spreadsheets would run it: the display text starts with = + - @."""
        return self.shown[0] in "=+-@"


_LABELS: list[tuple[bytes, str]] = [
    (b"\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
    (b"\x1b]52;c;Y2FsYw==\x07", "\\x1b]52;c;Y2FsYw==\\x07"),
    (b"line\r\nbreak", "line\\x0d\\x0abreak"),
    (b"say\"hi'there", "say\"hi'there"),
    (b"a,b,c", "a,b,c"),
    (b"<script>alert(1)</script>", "<script>alert(1)</script>"),
    (b"\xff\xfe\xc3\x28", "\\xff\\xfe\\xc3("),
    (b"nul\x00byte", "nul\\x00byte"),
    (b"=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    (b"+1+1", "+1+1"),
    (b"-2+3", "-2+3"),
    (b"@SUM(1+1)", "@SUM(1+1)"),
    (b"\xe2\x80\xaeevil", "\\xe2\\x80\\xaeevil"),
    (b"\xc2\x9b" + b"31m", "\\xc2\\x9b31m"),  # C1 CSI, valid UTF-8 for U+009B
    (b"tab\there", "tab\\x09here"),
    (b"back\\slash", "back\\\\slash"),
    (b"caf\xc3\xa9", "caf\u00e9"),  # well-formed UTF-8 stays
]
HOSTILE = [Hostile(label, shown, bytes([192, 0, 2, 10 + i])) for i, (label, shown) in enumerate(_LABELS)]

CLIENT = bytes([10, 0, 0, 1])
RESOLVER = bytes([10, 0, 0, 53])
MAC_CLIENT = bytes.fromhex("020000000001")
MAC_ROUTER = bytes.fromhex("020000000002")


def _wire_name(name: bytes) -> bytes:
    """Wire format of a dotted name whose first label may hold anything but a dot."""
    first, rest = name[: name.index(SUFFIX)], SUFFIX.strip(b".").split(b".")
    return b"".join(bytes([len(p)]) + p for p in [first, *rest]) + b"\x00"


def _frame(src: bytes, dst: bytes, proto: int, sport: int, dport: int, payload: bytes) -> bytes:
    if proto == 17:
        l4 = struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload
    else:  # TCP, no options
        l4 = struct.pack(">HHIIBBHHH", sport, dport, 1, 0, 5 << 4, 0x18, 65535, 0, 0) + payload
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(l4), 0, 0, 64, proto, 0, src, dst) + l4
    return MAC_ROUTER + MAC_CLIENT + b"\x08\x00" + ip


def frames() -> list[bytes]:
    out = []
    for i, h in enumerate(HOSTILE):
        question = _wire_name(h.name) + struct.pack(">HH", 1, 1)
        query = struct.pack(">HHHHHH", 0x4000 + i, 0x0100, 1, 0, 0, 0) + question
        answer = b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + h.address
        response = struct.pack(">HHHHHH", 0x4000 + i, 0x8180, 1, 1, 0, 0) + question + answer
        out.append(_frame(CLIENT, RESOLVER, 17, 40000 + i, 53, query))
        out.append(_frame(RESOLVER, CLIENT, 17, 53, 40000 + i, response))
        out.append(_frame(CLIENT, h.address, 6, 50000 + i, 443, b"x" * (100 + i)))
    # The terminal-escape name is the most frequent query (`pcapframe info` names it).
    question = _wire_name(HOSTILE[0].name) + struct.pack(">HH", 1, 1)
    for i in range(3):
        out.append(_frame(CLIENT, RESOLVER, 17, 41000 + i, 53,
                          struct.pack(">HHHHHH", 0x5000 + i, 0x0100, 1, 0, 0, 0) + question))
    return out


def write_hostile_pcap(path: Path) -> list[Hostile]:
    data = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames()):
        data += struct.pack("<IIII", 1_700_000_000 + i, 0, len(f), len(f)) + f
    Path(path).write_bytes(data)
    return HOSTILE


def _block(block_type: int, body: bytes) -> bytes:
    body += b"\x00" * (-len(body) % 4)
    return struct.pack("<II", block_type, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))


def write_hostile_pcapng(path: Path) -> list[Hostile]:
    """The frames, with every hostile name also in a Name Resolution Block (for other
    addresses, 198.51.100.x, so that only the NRB names them)."""
    data = _block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    data += _block(1, struct.pack("<HHI", 1, 0, 65535))
    records = b""
    for i, h in enumerate(HOSTILE):
        value = bytes([198, 51, 100, 10 + i]) + h.name.rstrip(b".") + b"\x00"
        records += struct.pack("<HH", 1, len(value)) + value + b"\x00" * (-len(value) % 4)
    data += _block(4, records + struct.pack("<HH", 0, 0))
    for i, f in enumerate(frames()):
        ticks = (1_700_000_000 + i) * 1_000_000
        data += _block(6, struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, len(f), len(f)) + f)
    nrb_flows = b""
    for i, h in enumerate(HOSTILE):  # traffic to the NRB-only addresses
        f = _frame(CLIENT, bytes([198, 51, 100, 10 + i]), 6, 52000 + i, 443, b"y" * 50)
        ticks = (1_700_000_100 + i) * 1_000_000
        nrb_flows += _block(6, struct.pack("<IIIII", 0, ticks >> 32, ticks & 0xFFFFFFFF, len(f), len(f)) + f)
    Path(path).write_bytes(data + nrb_flows)
    return HOSTILE


if __name__ == "__main__":
    import sys

    write_hostile_pcap(Path(sys.argv[1]))
    if len(sys.argv) > 2:
        write_hostile_pcapng(Path(sys.argv[2]))
