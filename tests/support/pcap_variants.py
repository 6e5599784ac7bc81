# SPDX-License-Identifier: MIT
"""Rewrite a classic pcap file: another byte order, timestamp resolution or link type.

Test support for the differential suite (tests/diff): editcap can change the file format
and the snapshot length, but it cannot re-frame packets, so this module does that. It uses
the standard library only (struct), reads classic pcap in either byte order and either
timestamp resolution, and writes the same.

Re-framing takes Ethernet frames (LINKTYPE_ETHERNET, 1) and replaces their 14-byte header:

| target | link type | frames kept | new header |
|---|---|---|---|
| ``sll``  | LINUX_SLL (113)  | all | 16 bytes: packet type, ARPHRD_ETHER, 6, source MAC |
| ``sll2`` | LINUX_SLL2 (276) | all | 20 bytes: protocol, ifindex 1, ARPHRD_ETHER, source MAC |
| ``raw``  | RAW (101)        | untagged IPv4 and IPv6 | none |
| ``ipv4`` | IPV4 (228)       | untagged IPv4 | none |
| ``ipv6`` | IPV6 (229)       | untagged IPv6 | none |
| ``null`` | NULL (0)         | untagged IPv4 and IPv6 | 4-byte address family in the file's byte order |
| ``loop`` | LOOP (108)       | untagged IPv4 and IPv6 | 4-byte address family in network byte order |

Choices, so that every kept frame still means what it meant:
- The cooked (SLL/SLL2) headers carry the EtherType, so they keep every frame: ARP, and
  802.1Q-tagged frames with the tag left in the payload (protocol 0x8100, as Linux writes it
  when the tag was not offloaded). An IEEE 802.3 frame (type/length <= 1500) becomes
  protocol 0x0004 (LINUX_SLL_P_802_2) with its LLC bytes as the payload, which is what the
  kernel hands to a cooked socket. SLL has no destination address: the destination MAC is
  lost and only picks the packet type (broadcast 1, multicast 2, else 0 "to us").
- The IP-only links cannot carry ARP, LLC or a VLAN tag, so those frames are dropped
  rather than altered (stripping a tag would silently change the frame's meaning).
- A frame too short to hold an Ethernet header is dropped by every re-framing.
- The original length grows or shrinks by the header size difference; bytes past the IP
  packet (Ethernet padding) stay, as they would after a real capture.

Each re-framing also returns which input frames it kept (0-based), so a test can compare
the rewritten frames with the original ones row for row.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Sequence

MAGIC_USEC = 0xA1B2C3D4
MAGIC_NSEC = 0xA1B23C4D

LINKTYPE_NULL = 0
LINKTYPE_ETHERNET = 1
LINKTYPE_RAW = 101
LINKTYPE_LOOP = 108
LINKTYPE_LINUX_SLL = 113
LINKTYPE_IPV4 = 228
LINKTYPE_IPV6 = 229
LINKTYPE_LINUX_SLL2 = 276

ETHERTYPE_IPV4 = 0x0800
ETHERTYPE_IPV6 = 0x86DD
ETHER_HEADER_LEN = 14
MAX_8023_LENGTH = 1500
SLL_PROTO_802_2 = 0x0004
ARPHRD_ETHER = 1
AF_INET = 2
# AF_INET6 differs by OS; Darwin's 30 is what NULL captures from macOS carry.
AF_INET6_DARWIN = 30


@dataclass(frozen=True)
class Record:
    ts_ns: int      # capture time, nanoseconds since the epoch
    origlen: int    # length on the wire
    data: bytes     # captured bytes (caplen == len(data))

    @property
    def caplen(self) -> int:
        return len(self.data)


@dataclass(frozen=True)
class Capture:
    link_type: int
    snaplen: int
    big_endian: bool
    nanosecond: bool
    version: tuple[int, int]
    records: tuple[Record, ...]


def read_pcap(path: str | Path) -> Capture:
    """Read a classic pcap file of either byte order and timestamp resolution."""
    blob = Path(path).read_bytes()
    if len(blob) < 24:
        raise ValueError(f"{path}: too short for a pcap header")
    for order in ("<", ">"):
        (magic,) = struct.unpack_from(order + "I", blob, 0)
        if magic in (MAGIC_USEC, MAGIC_NSEC):
            break
    else:
        raise ValueError(f"{path}: not a classic pcap file (magic {blob[:4].hex()})")
    nanosecond = magic == MAGIC_NSEC
    major, minor, _zone, _sigfigs, snaplen, link = struct.unpack_from(order + "HHiIII", blob, 4)
    records = []
    pos = 24
    while pos + 16 <= len(blob):
        sec, frac, caplen, origlen = struct.unpack_from(order + "IIII", blob, pos)
        pos += 16
        if pos + caplen > len(blob):
            raise ValueError(f"{path}: record {len(records) + 1} cut short")
        ts_ns = sec * 1_000_000_000 + (frac if nanosecond else frac * 1000)
        records.append(Record(ts_ns, origlen, blob[pos:pos + caplen]))
        pos += caplen
    if pos != len(blob):
        raise ValueError(f"{path}: {len(blob) - pos} trailing bytes")
    return Capture(link & 0xFFFF, snaplen, order == ">", nanosecond, (major, minor),
                   tuple(records))


def write_pcap(path: str | Path, capture: Capture) -> Path:
    """Write `capture` as a classic pcap file with its byte order and resolution."""
    path = Path(path)
    path.write_bytes(pcap_bytes(capture))
    return path


def pcap_bytes(capture: Capture) -> bytes:
    """`capture` as the bytes of a classic pcap file with its byte order and resolution."""
    order = ">" if capture.big_endian else "<"
    magic = MAGIC_NSEC if capture.nanosecond else MAGIC_USEC
    out = bytearray(struct.pack(order + "IHHiIII", magic, *capture.version, 0, 0,
                                capture.snaplen, capture.link_type))
    for r in capture.records:
        sec, rem = divmod(r.ts_ns, 1_000_000_000)
        if not capture.nanosecond:
            if rem % 1000:
                raise ValueError("nanosecond timestamp in a microsecond file")
            rem //= 1000
        out += struct.pack(order + "IIII", sec, rem, len(r.data), r.origlen)
        out += r.data
    return bytes(out)


def with_format(capture: Capture, *, big_endian: bool | None = None,
                nanosecond: bool | None = None) -> Capture:
    """The same records in another byte order and/or timestamp resolution."""
    return replace(capture,
                   big_endian=capture.big_endian if big_endian is None else big_endian,
                   nanosecond=capture.nanosecond if nanosecond is None else nanosecond)


# --- Re-framing Ethernet -------------------------------------------------------------------

def _sll_packet_type(dst_mac: bytes) -> int:
    if dst_mac == b"\xff" * 6:
        return 1  # PACKET_BROADCAST
    if dst_mac[0] & 1:
        return 2  # PACKET_MULTICAST
    return 0      # PACKET_HOST


def _split_ethernet(data: bytes) -> tuple[bytes, bytes, int, bytes] | None:
    """(dst, src, protocol, payload) with 802.3 frames mapped to LLC, or None if too short."""
    if len(data) < ETHER_HEADER_LEN:
        return None
    dst, src = data[0:6], data[6:12]
    (type_or_len,) = struct.unpack_from("!H", data, 12)
    payload = data[ETHER_HEADER_LEN:]
    if type_or_len <= MAX_8023_LENGTH:
        return dst, src, SLL_PROTO_802_2, payload
    return dst, src, type_or_len, payload


def _sll_header(dst: bytes, src: bytes, protocol: int) -> bytes:
    return struct.pack("!HHH", _sll_packet_type(dst), ARPHRD_ETHER, 6) + src + b"\0\0" + \
        struct.pack("!H", protocol)


def _sll2_header(dst: bytes, src: bytes, protocol: int) -> bytes:
    return struct.pack("!HHIHBB", protocol, 0, 1, ARPHRD_ETHER, _sll_packet_type(dst), 6) + \
        src + b"\0\0"


def _family_header(order: str, family: int) -> bytes:
    return struct.pack(order + "I", family)


TARGETS = {
    "sll": LINKTYPE_LINUX_SLL,
    "sll2": LINKTYPE_LINUX_SLL2,
    "raw": LINKTYPE_RAW,
    "ipv4": LINKTYPE_IPV4,
    "ipv6": LINKTYPE_IPV6,
    "null": LINKTYPE_NULL,
    "loop": LINKTYPE_LOOP,
}


def reframe(capture: Capture, target: str) -> tuple[Capture, list[int]]:
    """Re-frame an Ethernet capture for `target` (a key of TARGETS).

    Returns the new capture and the 0-based indices of the input frames it kept.
    """
    if capture.link_type != LINKTYPE_ETHERNET:
        raise ValueError(f"can only re-frame Ethernet captures, not link type {capture.link_type}")
    link_type = TARGETS[target]
    ip_types = {"ipv4": {ETHERTYPE_IPV4}, "ipv6": {ETHERTYPE_IPV6}}.get(
        target, {ETHERTYPE_IPV4, ETHERTYPE_IPV6})
    order = ">" if capture.big_endian else "<"
    kept: list[int] = []
    records: list[Record] = []
    for index, r in enumerate(capture.records):
        split = _split_ethernet(r.data)
        if split is None:
            continue
        dst, src, protocol, payload = split
        if target == "sll":
            header = _sll_header(dst, src, protocol)
        elif target == "sll2":
            header = _sll2_header(dst, src, protocol)
        elif protocol not in ip_types:
            continue  # ARP, LLC, VLAN-tagged, anything else: the IP-only links cannot carry it
        elif target == "null":
            header = _family_header(order, AF_INET if protocol == ETHERTYPE_IPV4 else AF_INET6_DARWIN)
        elif target == "loop":
            header = _family_header(">", AF_INET if protocol == ETHERTYPE_IPV4 else AF_INET6_DARWIN)
        else:
            header = b""
        data = header + payload
        origlen = r.origlen - ETHER_HEADER_LEN + len(header)
        records.append(Record(r.ts_ns, origlen, data))
        kept.append(index)
    snaplen = max(capture.snaplen, max((len(r.data) for r in records), default=0))
    return replace(capture, link_type=link_type, snaplen=snaplen, records=tuple(records)), kept


def header_delta(target: str) -> int:
    """How many bytes longer a re-framed frame is than the Ethernet original."""
    sizes = {"sll": 16, "sll2": 20, "raw": 0, "ipv4": 0, "ipv6": 0, "null": 4, "loop": 4}
    return sizes[target] - ETHER_HEADER_LEN


def main(argv: Sequence[str] | None = None) -> int:
    """`python pcap_variants.py IN OUT TARGET [--big-endian] [--nanosecond]`, for a quick look."""
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input")
    parser.add_argument("output")
    parser.add_argument("target", choices=["same", *TARGETS])
    parser.add_argument("--big-endian", action="store_true")
    parser.add_argument("--nanosecond", action="store_true")
    args = parser.parse_args(argv)
    capture = read_pcap(args.input)
    kept: Iterable[int] = range(len(capture.records))
    if args.target != "same":
        capture, kept = reframe(capture, args.target)
    capture = with_format(capture, big_endian=args.big_endian or None,
                          nanosecond=args.nanosecond or None)
    write_pcap(args.output, capture)
    print(f"{args.output}: {len(capture.records)} frames kept")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
