# SPDX-License-Identifier: MIT
"""The malformed-capture corpus: one small file per way a capture can be broken, each with
the outcome pcapframe must give, lax and --strict (standard library only).

    python3 tests/malformed/make_corpus.py OUT_DIR     # writes OUT_DIR/<case>.<ext>, prints the table

`CASES` is the table test_malformed.py checks:
- the CLI's exit code, lax and strict (0 ok, 2 unreadable or corrupt input);
- a fragment of the message on stderr (the error, or the warning in lax mode);
- the rows kept (`pcapframe packets`), lax and strict: every complete record before a
  problem is kept, and strict mode stops before the record it fails on;
- the anomaly of the last row, for frames the decoder flags (the row is still there);
- `small_memory`: cases whose fields claim gigabytes, checked for a small peak RSS.
"""
from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

LINKTYPE_ETHERNET = 1
MAX_CAPLEN = 262144  # libpcap's MAXIMUM_SNAPLEN
MAX_BLOCK = 16 << 20  # pcapng: largest block held whole (libpcap's MAX_BLOCKSIZE)


@dataclass(frozen=True)
class Case:
    name: str
    data: bytes
    description: str
    exit_lax: int  # exit code without --strict
    exit_strict: int
    message: str | None  # fragment of stderr (lax warning or error); None: stderr is empty
    rows_lax: int
    rows_strict: int
    anomaly: str | None = None  # of the last row, when the decoder flags it
    small_memory: bool = False
    ext: str = "pcap"

    @property
    def filename(self) -> str:
        return f"{self.name}.{self.ext}"


# ----- frames ------------------------------------------------------------------------------

MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
IP_A = bytes([10, 0, 0, 1])
IP_B = bytes([10, 0, 0, 53])


def ethernet(payload: bytes, ether_type: int = 0x0800) -> bytes:
    return MAC_B + MAC_A + struct.pack(">H", ether_type) + payload


def ipv4(payload: bytes, proto: int = 17, ihl: int = 5, total_length: int | None = None) -> bytes:
    options = b"\x01" * (max(ihl, 5) * 4 - 20)
    length = 20 + len(options) + len(payload) if total_length is None else total_length
    return struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, length, 1, 0, 64, proto, 0, IP_A, IP_B) + options + payload


def udp(payload: bytes, sport: int = 40000, dport: int = 53) -> bytes:
    return struct.pack(">HHHH", sport, dport, 8 + len(payload), 0) + payload


def dns_query(name_wire: bytes, qtype: int = 1) -> bytes:
    """A DNS query whose question name is `name_wire` (wire format, as given)."""
    return struct.pack(">HHHHHH", 0x1234, 0x0100, 1, 0, 0, 0) + name_wire + struct.pack(">HH", qtype, 1)


def labels(*parts: bytes) -> bytes:
    return b"".join(bytes([len(p)]) + p for p in parts) + b"\x00"


def dns_frame(message: bytes) -> bytes:
    return ethernet(ipv4(udp(message)))


GOOD = dns_frame(dns_query(labels(b"www", b"example", b"com")))
GOOD2 = ethernet(ipv4(udp(b"x" * 40, 40001, 9999)))

# ----- classic pcap ------------------------------------------------------------------------


def pcap_header(snaplen: int = 65535, link: int = LINKTYPE_ETHERNET, major: int = 2, minor: int = 4) -> bytes:
    return struct.pack("<IHHiIII", 0xA1B2C3D4, major, minor, 0, 0, snaplen, link)


def record(frame: bytes, index: int = 0, caplen: int | None = None, origlen: int | None = None) -> bytes:
    caplen = len(frame) if caplen is None else caplen
    origlen = len(frame) if origlen is None else origlen
    return struct.pack("<IIII", 1_700_000_000, index, caplen, origlen) + frame


def pcap(*frames: bytes, snaplen: int = 65535) -> bytes:
    return pcap_header(snaplen) + b"".join(record(f, i) for i, f in enumerate(frames))


# ----- pcapng ------------------------------------------------------------------------------


def block(block_type: int, body: bytes, length: int | None = None, trailer: int | None = None) -> bytes:
    body += b"\x00" * (-len(body) % 4)
    real = 12 + len(body)
    return (struct.pack("<II", block_type, real if length is None else length) + body
            + struct.pack("<I", real if trailer is None else trailer))


def shb() -> bytes:
    return block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))


def idb(link: int = LINKTYPE_ETHERNET) -> bytes:
    return block(1, struct.pack("<HHI", link, 0, 262144))


def epb(frame: bytes, iface: int = 0, **kw: int) -> bytes:
    body = struct.pack("<IIIII", iface, 0, 1_000_000, len(frame), len(frame)) + frame
    return block(6, body, **kw)


def epb_header_only(length: int) -> bytes:
    """An EPB's first bytes claiming `length` bytes, and nothing after them."""
    return struct.pack("<II", 6, length) + struct.pack("<IIIII", 0, 0, 1_000_000, 60, 60)


# ----- compressed --------------------------------------------------------------------------


def gzip_bytes(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, 16 + 15)
    return c.compress(data) + c.flush()


def records_in_prefix(data: bytes) -> int:
    """Complete pcap records in `data` (a classic little-endian pcap, possibly cut)."""
    pos, n = 24, 0
    while pos + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, pos + 8)[0]
        if pos + 16 + caplen > len(data):
            break
        pos += 16 + caplen
        n += 1
    return n


def gzip_cut_short() -> tuple[bytes, int]:
    plain = pcap(*[GOOD if i % 2 else GOOD2 for i in range(40)])
    packed = gzip_bytes(plain)
    cut = packed[: len(packed) * 2 // 3]
    d = zlib.decompressobj(16 + 15)
    return cut, records_in_prefix(d.decompress(cut))


def zstd_raw_frame(content: bytes, claimed_size: int, last: bool) -> bytes:
    """A zstd frame (RFC 8878) of one raw block holding `content`, whose header claims
    `claimed_size` bytes of content in a single segment (the decoder's window)."""
    header = b"\x28\xb5\x2f\xfd" + bytes([0xE0]) + struct.pack("<Q", claimed_size)
    block_header = (len(content) << 3 | int(last)).to_bytes(3, "little")
    return header + block_header + content


# ----- the table ---------------------------------------------------------------------------


def build_cases() -> list[Case]:
    two = pcap(GOOD, GOOD2)
    cases = [
        Case("bad_magic", b"This is a text file, not a capture.\n" * 4,
             "no capture magic number", 2, 2, "not a capture file (first bytes: 54 68 69 73", 0, 0),
        Case("unsupported_version", pcap_header(major=3, minor=0) + record(GOOD),
             "pcap version 3.0", 2, 2, "pcap version 3.0 is not supported", 0, 0),
        Case("truncated_global_header", pcap_header()[:20],
             "file ends inside the 24-byte header", 2, 2, "the pcap file header is cut short (20 of 24 bytes)", 0, 0),
        Case("truncated_record_header", two + record(GOOD)[:10],
             "file ends inside the third record header", 0, 2,
             f"record 3 at byte offset {len(two)}: the capture ends inside the record (10 of 16 bytes present)",
             2, 2),
        Case("truncated_record", two + record(GOOD)[:40],
             "file ends inside the third record's data", 0, 2,
             f"the capture ends inside the record (40 of {16 + len(GOOD)} bytes present)", 2, 2),
        Case("caplen_above_snaplen", pcap(GOOD, GOOD2, GOOD, snaplen=64),
             "records longer than the file's snaplen (64)", 0, 2,
             f"record 1 at byte offset 24: captured length {len(GOOD)} is above the file's snaplen 64", 3, 0),
        Case("caplen_4gib", two + struct.pack("<IIII", 1_700_000_000, 0, 0xFFFFFFFF, 0xFFFFFFFF) + b"\0" * 1000,
             "third record claims 4 GiB on a 1 KB file", 0, 2,
             "captured length 4294967295 is above the maximum of 262144", 2, 2, small_memory=True),
        Case("zero_length_records", pcap(b"", b"", b""),
             "three records of 0 bytes", 0, 0, None, 3, 3, anomaly="truncated_link"),
        # pcapng
        Case("pcapng_block_length_mismatch", shb() + idb() + epb(GOOD) + epb(GOOD, trailer=999),
             "an EPB whose trailing length differs", 0, 2, "differs from its trailing copy 999", 1, 1, ext="pcapng"),
        Case("pcapng_block_length_below_12", shb() + idb() + epb(GOOD) + struct.pack("<III", 6, 8, 8),
             "a block of length 8", 0, 2, "block length 8 is below the minimum of 12", 1, 1, ext="pcapng"),
        Case("pcapng_huge_block_length", shb() + idb() + epb(GOOD) + epb_header_only(0xFFFFFFF0) + b"\0" * 1000,
             "an EPB claiming 4 GiB on a 1 KB file", 0, 2, "block length 4294967280 is above the maximum of 16777216",
             1, 1, small_memory=True, ext="pcapng"),
        Case("pcapng_huge_unknown_block", shb() + idb() + epb(GOOD) + struct.pack("<II", 0x0BAD, 0xFFFFFFF0) + b"\0" * 1000,
             "an unknown block claiming 4 GiB (skipped by streaming past it)", 0, 2,
             "the capture ends inside a block", 1, 1, small_memory=True, ext="pcapng"),
        Case("pcapng_block_at_limit", shb() + idb() + epb(GOOD) + epb_header_only(MAX_BLOCK) + b"\0" * 1000,
             "an EPB claiming exactly the 16 MiB limit on a 1 KB file", 0, 2,
             "the capture ends inside the record", 1, 1, small_memory=True, ext="pcapng"),
        Case("pcapng_interface_block_at_limit", shb() + struct.pack("<IIHHI", 1, MAX_BLOCK, 1, 0, 262144) + b"\0" * 1000,
             "the first IDB claims 16 MiB on a 1 KB file", 0, 2,
             "the capture ends inside the record", 0, 0, small_memory=True, ext="pcapng"),
        Case("pcapng_packet_before_interface", shb() + epb(GOOD) + idb() + epb(GOOD),
             "an EPB before any IDB", 0, 2, "packet for interface 0, but the section defines 0", 0, 0, ext="pcapng"),
        Case("pcapng_unknown_interface", shb() + idb() + epb(GOOD) + epb(GOOD, iface=5),
             "an EPB for interface 5 of 1", 0, 2, "packet for interface 5, but the section defines 1", 1, 1, ext="pcapng"),
        # DNS names (rows kept, the anomaly says what was wrong)
        Case("dns_pointer_loop", pcap(GOOD, dns_frame(dns_query(b"\xc0\x0c"))),
             "a question name that points at itself", 0, 0, None, 2, 2, anomaly="bad_dns_name"),
        Case("dns_pointer_past_message", pcap(GOOD, dns_frame(dns_query(b"\x03www\xc3\xff"))),
             "a pointer forward past the end of the message", 0, 0, None, 2, 2, anomaly="truncated_dns"),
        Case("dns_label_over_63", pcap(GOOD, dns_frame(dns_query(b"\x40" + b"a" * 64 + b"\x00"))),
             "a label length byte of 64", 0, 0, None, 2, 2, anomaly="bad_dns_name"),
        Case("dns_name_over_255", pcap(GOOD, dns_frame(dns_query(labels(*[b"b" * 63] * 5)))),
             "five 63-byte labels (321 bytes)", 0, 0, None, 2, 2, anomaly="bad_dns_name"),
        Case("dns_200_labels", pcap(GOOD, dns_frame(dns_query(labels(*[b"a"] * 200)))),
             "200 nested one-byte labels", 0, 0, None, 2, 2, anomaly="bad_dns_name"),
        Case("dns_200_pointers", pcap(GOOD, dns_frame(dns_query(
             b"".join(struct.pack(">H", 0xC000 | (12 + 2 * (i + 1))) for i in range(200)) + b"\x00"))),
             "a chain of 200 pointers, each to the next", 0, 0, None, 2, 2, anomaly="bad_dns_name"),
        # Network layers
        Case("ipv4_ihl_below_5", pcap(GOOD, ethernet(ipv4(udp(b"x" * 20), ihl=4))),
             "IPv4 header length field 4", 0, 0, None, 2, 2, anomaly="bad_ipv4_header"),
        Case("ipv4_total_length_below_header", pcap(GOOD, ethernet(ipv4(udp(b"x" * 20), total_length=12))),
             "IPv4 total length 12", 0, 0, None, 2, 2, anomaly="bad_ipv4_header"),
        Case("ipv6_100_extension_headers", pcap(GOOD, ethernet(ipv6_with_extensions(100), 0x86DD)),
             "a chain of 100 destination-options headers", 0, 0, None, 2, 2, anomaly="too_many_ipv6_headers"),
        Case("vlan_100_tags", pcap(GOOD, vlan_stack(100)),
             "100 stacked 802.1Q tags", 0, 0, None, 2, 2, anomaly="too_many_vlan_tags"),
    ]
    cut, kept = gzip_cut_short()
    cases.append(Case("gzip_cut_short", cut, "a gzip stream cut at two thirds", 0, 2,
                      "the gzip stream ends early", kept, kept, ext="pcap.gz"))
    inner = pcap(GOOD, GOOD2)
    cases.append(Case("zstd_claims_100mib", zstd_raw_frame(inner, 100 << 20, last=False),
                      "a zstd frame claiming 100 MiB of content, cut after 200 bytes", 0, 2,
                      "the zstd stream ends early", 2, 2, small_memory=True, ext="pcap.zst"))
    cases.append(Case("zstd_claims_4gib", zstd_raw_frame(inner, 4 << 30, last=False),
                      "a zstd frame claiming 4 GiB of content", 2, 2,
                      "corrupt zstd data at compressed byte offset 0", 0, 0, small_memory=True, ext="pcap.zst"))
    return cases


def ipv6_with_extensions(count: int) -> bytes:
    """An IPv6 packet with `count` destination-options headers (60) before UDP."""
    chain = b""
    for i in range(count):
        nxt = 60 if i + 1 < count else 17
        chain += bytes([nxt, 0]) + b"\x01\x04\x00\x00\x00\x00"  # PadN option filling 8 bytes
    payload = chain + udp(b"y" * 8, 40002, 9999)
    src = bytes.fromhex("fd770000000000000000000000000001")
    dst = bytes.fromhex("fd770000000000000000000000000002")
    return struct.pack(">IHBB", 6 << 28, len(payload), 60, 64) + src + dst + payload


def vlan_stack(count: int) -> bytes:
    tags = b"".join(struct.pack(">HH", 0x8100, 100 + i) for i in range(count))
    return MAC_B + MAC_A + tags + struct.pack(">H", 0x0800) + ipv4(udp(b"z" * 8, 40003, 9999))


CASES = build_cases()


def write_corpus(out: Path) -> dict[str, Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in CASES:
        path = out / case.filename
        path.write_bytes(case.data)
        paths[case.name] = path
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    write_corpus(Path(argv[1]))
    print("| case | what | exit lax/strict | rows lax/strict | anomaly | message |")
    print("|---|---|---|---|---|---|")
    for c in CASES:
        print(f"| {c.name} | {c.description} | {c.exit_lax}/{c.exit_strict} | {c.rows_lax}/{c.rows_strict} "
              f"| {c.anomaly or ''} | {c.message or ''} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
