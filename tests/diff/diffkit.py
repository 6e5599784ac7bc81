# SPDX-License-Identifier: MIT
"""The differential suite's machinery: run pcapframe and tshark/capinfos, map both to one
per-frame record, compare, and explain mismatches.

tshark runs once per capture with `-T fields -E occurrence=f` (first occurrence of each
field) and the preferences that make it decode one frame at a time, as pcapframe does:

- `ip.defragment:FALSE`, `ipv6.defragment:FALSE`: no IP reassembly, so a first fragment
  shows its own transport header and a later fragment shows none;
- `tcp.desegment_tcp_streams:FALSE`, `dns.desegment_dns_messages:FALSE`: no TCP stream
  reassembly, so a segment is decoded on its own (DNS over TCP only when the segment
  starts with the length-prefixed message, like pcapframe);
- `--disable-heuristic dns_udp`: Wireshark 4.0 would otherwise try DNS on any UDP port.

Wireshark 4.0 calls UDP 5353 "mdns" and UDP 5355 "llmnr" in frame.protocols, but both
fill the dns.* fields, so they are read as DNS. It also decodes DNS on TCP 5353, SCTP 53
and DNS over (D)TLS 853, which pcapframe does not; `-d` cannot unassign a port, so those
layers are ignored here: tshark's DNS fields count only when the DNS layer sits directly on
UDP with 53/5353/5355 on either side or on TCP with 53 on either side (DESIGN.md).

With occurrence=f, a field that a frame carries twice (an ICMP error quotes the IP and
UDP/TCP headers of the packet it answers) gives the outer value for ip.*/ipv6.* (they come
first); transport fields are taken only when the transport layer follows the first IP
layer directly in frame.protocols, so the quoted header of an ICMP error is never used.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample.pcap"
TRACES = REPO.parent / "shared" / "traces"

TSHARK_PREFS = (
    "-o", "ip.defragment:FALSE",
    "-o", "ipv6.defragment:FALSE",
    "-o", "tcp.desegment_tcp_streams:FALSE",
    "-o", "dns.desegment_dns_messages:FALSE",
    "--disable-heuristic", "dns_udp",
)

TSHARK_FIELDS = (
    "frame.number", "frame.len", "frame.cap_len", "frame.time_epoch", "frame.protocols",
    "eth.src", "eth.dst", "sll.src.eth", "vlan.id",
    "ip.src", "ip.dst", "ip.ttl", "ip.proto",
    "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.nxt", "ipv6.fraghdr.nxt",
    "tcp.srcport", "tcp.dstport", "tcp.flags", "udp.srcport", "udp.dstport",
    "icmp.type", "icmp.code", "icmpv6.type", "icmpv6.code",
    "dns.count.queries", "dns.count.answers", "dns.qry.name", "dns.resp.name",
)

# The fields compared per frame, in report order. All of them are pcapframe column names.
LINK_FIELDS = ("mac_src", "mac_dst", "vlan_id")
NETWORK_FIELDS = ("ip_version", "ip_src", "ip_dst", "ip_src_int", "ip_dst_int", "ttl",
                  "ip_proto")
TRANSPORT_FIELDS = ("protocol", "port_src", "port_dst", "tcp_flags", "icmp_type", "icmp_code")
DNS_FIELDS = ("dns_query", "dns_resp", "is_dns")
FRAME_FIELDS = ("length", "caplen", "time")
COMPARED_FIELDS = FRAME_FIELDS + LINK_FIELDS + NETWORK_FIELDS + TRANSPORT_FIELDS + DNS_FIELDS

INT_COLUMNS = {"length", "caplen", "ip_src_int", "ip_dst_int", "ip_version", "ttl", "ip_proto",
               "port_src", "port_dst", "tcp_flags", "icmp_type", "icmp_code", "vlan_id",
               "mac_src_int", "mac_dst_int", "link_type", "interface"}
DNS_PORTS_UDP = {53, 5353, 5355}
DNS_PORT_TCP = 53
DNS_LAYERS = {"dns", "mdns", "llmnr"}
LINK_LAYERS = {"eth", "ethertype", "vlan", "sll", "null", "raw", "loop"}


def tool(name: str) -> str | None:
    return shutil.which(name)


def run(argv: Sequence[str]) -> str:
    """Run a command; return stdout, raise with its stderr on failure."""
    proc = subprocess.run(list(argv), capture_output=True, text=True, encoding="utf-8",
                          errors="surrogateescape", env={**os.environ, "LC_ALL": "C.UTF-8"})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout


# --- the captures ---------------------------------------------------------------------------

def original_captures() -> list[Any]:
    params = [pytest.param(SAMPLE, id="sample.pcap")]
    if TRACES.is_dir():
        for path in sorted(TRACES.glob("*.pcap")):
            params.append(pytest.param(path, id=capture_id(path)))
    else:
        params.append(pytest.param(None, id="shared-traces", marks=pytest.mark.skip(
            reason=f"{TRACES} is absent: only data/sample.pcap is compared")))
    return params


# name -> how to make it: ("editcap", args) or ("rewrite", big_endian, nanosecond, target)
VARIANT_RECIPES: dict[str, tuple] = {
    "nanosecond": ("editcap", ("-F", "nsecpcap")),
    "big-endian": ("rewrite", True, False, None),
    "big-endian-nanosecond": ("rewrite", True, True, None),
    "snaplen-100": ("editcap", ("-F", "pcap", "-s", "100")),
    "linux-sll": ("rewrite", False, False, "sll"),
    "linux-sll2": ("rewrite", False, False, "sll2"),
    "raw-ip": ("rewrite", False, False, "raw"),
    "raw-ipv4": ("rewrite", False, False, "ipv4"),
    "raw-ipv6": ("rewrite", False, False, "ipv6"),
    "null": ("rewrite", False, False, "null"),
    "null-big-endian": ("rewrite", True, False, "null"),
    "loop": ("rewrite", False, False, "loop"),
}


# --- pcapframe -------------------------------------------------------------------------------

def _our_name(cell: str) -> str | None:
    if cell == "":
        return None
    # CSV formula guard (escape.cpp): a cell starting with = + - @ TAB CR gets a leading '.
    if len(cell) >= 2 and cell[0] == "'" and cell[1] in "=+-@\t\r":
        return cell[1:]
    return cell


def parse_our_row(row: Mapping[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, cell in row.items():
        if key in INT_COLUMNS:
            out[key] = int(cell) if cell != "" else None
        elif key == "is_dns":
            assert cell in ("True", "False"), cell
            out[key] = cell == "True"
        elif key in ("time", "time_normed"):
            out[key] = Decimal(cell)
        elif key in ("dns_query", "dns_resp"):
            out[key] = _our_name(cell)
        else:
            out[key] = cell if cell != "" else None
    return out


def our_packets(cli: str, path: Path) -> list[dict[str, Any]]:
    text = run([cli, "packets", str(path), "--format", "csv", "--columns", "all", "--utc"])
    return [parse_our_row(row) for row in csv.DictReader(io.StringIO(text, newline=""))]


def our_info(cli: str, path: Path) -> dict[str, Any]:
    return json.loads(run([cli, "info", "--json", "--utc", str(path)]))


# --- tshark ----------------------------------------------------------------------------------

def tshark_rows(tshark: str, path: Path) -> list[dict[str, str]]:
    argv = [tshark, "-r", str(path), "-n", *TSHARK_PREFS, "-T", "fields", "-E", "header=y",
            "-E", "separator=/t", "-E", "occurrence=f", "-E", "quote=n"]
    for f in TSHARK_FIELDS:
        argv += ["-e", f]
    lines = run(argv).split("\n")
    header = lines[0].split("\t")
    assert tuple(header) == TSHARK_FIELDS, header
    rows = []
    for line in lines[1:]:
        if line == "":
            continue
        cells = line.split("\t")
        assert len(cells) == len(header), line
        rows.append(dict(zip(header, cells)))
    return rows


def _int(cell: str, base: int = 10) -> int | None:
    return int(cell, base) if cell != "" else None


def tshark_dns_name(cell: str) -> str | None:
    """tshark shows names without the trailing dot and the root as <Root>; we keep the dot."""
    if cell == "":
        return None
    if cell == "<Root>":
        return "."
    return cell + "."


def _ipv4_int(text: str | None) -> int | None:
    if text is None or ":" in text:
        return None
    a, b, c, d = (int(x) for x in text.split("."))
    return a << 24 | b << 16 | c << 8 | d


def normalize_tshark(row: Mapping[str, str]) -> dict[str, Any]:
    """Map one tshark row to pcapframe's column names and value types."""
    layers = row["frame.protocols"].split(":")
    out: dict[str, Any] = {
        "frame": int(row["frame.number"]),
        "layers": row["frame.protocols"],
        "length": int(row["frame.len"]),
        "caplen": int(row["frame.cap_len"]),
        "time": Decimal(row["frame.time_epoch"]),
    }
    out.update({k: None for k in LINK_FIELDS + NETWORK_FIELDS + TRANSPORT_FIELDS})

    # Link layer: the Ethernet header, or the cooked header's source address.
    if layers[0] == "eth":
        out["mac_src"] = row["eth.src"] or None
        out["mac_dst"] = row["eth.dst"] or None
    elif layers[0] == "sll":
        out["mac_src"] = row["sll.src.eth"] or None
    # The outermost VLAN tag, only if it belongs to the link layer (not a tunnelled frame).
    link_prefix = []
    for name in layers:
        if name not in LINK_LAYERS:
            break
        link_prefix.append(name)
    if "vlan" in link_prefix:
        out["vlan_id"] = _int(row["vlan.id"])

    # Network layer: the first IP header of the frame.
    ip_index = next((i for i, name in enumerate(layers) if name in ("ip", "ipv6")), None)
    transport = None
    if ip_index is not None:
        if layers[ip_index] == "ip":
            out.update(ip_version=4, ip_src=row["ip.src"] or None, ip_dst=row["ip.dst"] or None,
                       ttl=_int(row["ip.ttl"]), ip_proto=_int(row["ip.proto"]))
        else:
            out.update(ip_version=6, ip_src=row["ipv6.src"] or None,
                       ip_dst=row["ipv6.dst"] or None, ttl=_int(row["ipv6.hlim"]))
        out["ip_src_int"] = _ipv4_int(out["ip_src"])
        out["ip_dst_int"] = _ipv4_int(out["ip_dst"])
        # Transport: the layer right after the IP header and its extension headers.
        t_index = ip_index + 1
        while t_index < len(layers) and (layers[t_index].startswith("ipv6.") or layers[t_index] == "ah"):
            t_index += 1
        if t_index < len(layers) and layers[t_index] in ("tcp", "udp", "icmp", "icmpv6"):
            transport = layers[t_index]
        if out["ip_version"] == 6:
            # pcapframe's ip_proto is the upper-layer header after the extension chain; for a
            # later fragment, the Fragment header's next header.
            extensions = layers[ip_index + 1:t_index]
            if transport is not None:
                out["ip_proto"] = {"tcp": 6, "udp": 17, "icmp": 1, "icmpv6": 58}[transport]
            elif not extensions:
                out["ip_proto"] = _int(row["ipv6.nxt"])
            elif extensions[-1] == "ipv6.fraghdr":
                out["ip_proto"] = _int(row["ipv6.fraghdr.nxt"])

    if transport in ("tcp", "udp"):
        out["protocol"] = transport.upper()
        out["port_src"] = _int(row[f"{transport}.srcport"])
        out["port_dst"] = _int(row[f"{transport}.dstport"])
        if transport == "tcp" and row["tcp.flags"]:
            out["tcp_flags"] = int(row["tcp.flags"], 16) & 0xFF  # pcapframe: header byte 13
    elif transport in ("icmp", "icmpv6"):
        out["protocol"] = "ICMP"
        out["icmp_type"] = _int(row[f"{transport}.type"])
        out["icmp_code"] = _int(row[f"{transport}.code"])

    # DNS: only where pcapframe decodes it (DESIGN.md), see the module docstring.
    out["dns_query"] = out["dns_resp"] = None
    dns_here = False
    if transport in ("tcp", "udp") and t_index + 1 < len(layers) and layers[t_index + 1] in DNS_LAYERS:
        ports = {out["port_src"], out["port_dst"]}
        dns_here = bool(ports & DNS_PORTS_UDP) if transport == "udp" else DNS_PORT_TCP in ports
    if dns_here:
        if (_int(row["dns.count.queries"]) or 0) > 0:
            out["dns_query"] = tshark_dns_name(row["dns.qry.name"])
        # dns.resp.name also names authority and additional records (an OPT record shows as
        # <Root>): it is the first answer's owner only when there is an answer.
        if (_int(row["dns.count.answers"]) or 0) > 0:
            out["dns_resp"] = tshark_dns_name(row["dns.resp.name"])
    out["is_dns"] = out["dns_query"] is not None or out["dns_resp"] is not None
    return out


# --- comparison ------------------------------------------------------------------------------

@dataclass
class Mismatch:
    frame: int
    field: str
    ours: Any
    theirs: Any
    layers: str = ""

    def __str__(self) -> str:
        return (f"frame {self.frame}: {self.field}: ours {self.ours!r} vs tshark {self.theirs!r}"
                f"  [{self.layers}]")


@dataclass
class Comparison:
    capture: str
    frames: int
    fields: tuple[str, ...]
    mismatches: list[Mismatch] = field(default_factory=list)
    excused: list[tuple[Mismatch, str]] = field(default_factory=list)

    def report(self, limit: int = 60) -> str:
        lines = [f"{self.capture}: {len(self.mismatches)} mismatches in {self.frames} frames"]
        by_field: dict[str, int] = {}
        for m in self.mismatches:
            by_field[m.field] = by_field.get(m.field, 0) + 1
        lines.append("  per field: " + ", ".join(f"{k} {v}" for k, v in by_field.items()))
        lines += [f"  {m}" for m in self.mismatches[:limit]]
        if len(self.mismatches) > limit:
            lines.append(f"  ... and {len(self.mismatches) - limit} more")
        return "\n".join(lines)


def _comparable_name(value: Any) -> bool:
    # pcapframe escapes packet text (backslash, control bytes, invalid UTF-8 as \xNN) and
    # tshark has its own escaping; names with such bytes are compared for presence only.
    return value is None or (value.isprintable() and "\\" not in value)


def compare_frames(capture: str, ours: Sequence[Mapping[str, Any]],
                   theirs: Sequence[Mapping[str, Any]],
                   fields: Iterable[str] = COMPARED_FIELDS,
                   excuse: Mapping[tuple[int, str], str] | None = None) -> Comparison:
    """Compare pcapframe rows with normalized tshark rows, frame by frame.

    `excuse` maps (frame number, field) to the documented reason a difference is tshark's.
    """
    fields = tuple(fields)
    excuse = dict(excuse or {})
    result = Comparison(capture, len(ours), fields)
    if len(ours) != len(theirs):
        result.mismatches.append(Mismatch(0, "frame count", len(ours), len(theirs)))
    for number, (a, b) in enumerate(zip(ours, theirs), start=1):
        assert b["frame"] == number
        for name in fields:
            mine, other = a[name], b[name]
            if name in ("dns_query", "dns_resp") and not (_comparable_name(mine) and _comparable_name(other)):
                mine, other = mine is not None, other is not None
            if mine == other:
                continue
            m = Mismatch(number, name, a[name], b[name], b["layers"])
            reason = excuse.pop((number, name), None)
            if reason is not None:
                result.excused.append((m, reason))
            else:
                result.mismatches.append(m)
    for (number, name), reason in excuse.items():
        result.mismatches.append(Mismatch(number, name, "(excused difference)",
                                          f"did not occur: {reason}"))
    return result


def check_against_tshark(name: str, ours, theirs, excuse=None) -> Comparison:
    result = compare_frames(name, ours, theirs, excuse=excuse)
    problems = internal_consistency(name, ours)
    print(f"{name}: {result.frames} frames, fields {', '.join(result.fields)}; "
          f"{len(result.excused)} documented tshark differences")
    for mismatch, reason in result.excused:
        print(f"  excused {mismatch}: {reason}")
    assert not result.mismatches and not problems, "\n".join(
        [result.report()] + problems[:20])
    return result


def internal_consistency(capture: str, ours: Sequence[Mapping[str, Any]]) -> list[str]:
    """The *_int columns must match their text columns; caplen never exceeds length."""
    problems = []
    for number, row in enumerate(ours, start=1):
        for text, integer in (("ip_src", "ip_src_int"), ("ip_dst", "ip_dst_int")):
            if row[integer] != _ipv4_int(row[text]):
                problems.append(f"{capture} frame {number}: {integer} {row[integer]} vs {text} {row[text]}")
        for text, integer in (("mac_src", "mac_src_int"), ("mac_dst", "mac_dst_int")):
            expected = int(row[text].replace(":", ""), 16) if row[text] else None
            if row[integer] != expected:
                problems.append(f"{capture} frame {number}: {integer} {row[integer]} vs {text} {row[text]}")
        if row["caplen"] > row["length"]:
            problems.append(f"{capture} frame {number}: caplen {row['caplen']} > length {row['length']}")
    return problems


# --- capinfos --------------------------------------------------------------------------------

def capinfos_table(capinfos: str, path: Path) -> dict[str, str]:
    """capinfos -T (one tab-separated table row), machine-readable numbers, times as seconds."""
    text = run([capinfos, "-T", "-M", "-c", "-d", "-l", "-u", "-a", "-e", "-S", str(path)])
    header, values = text.rstrip("\n").split("\n")
    return dict(zip(header.split("\t"), values.split("\t")))


NS = Decimal(1_000_000_000)


def seconds_to_ns(text: str) -> int:
    value = Decimal(text) * NS
    assert value == value.to_integral_value(), text
    return int(value)


def to_microsecond(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.000001"))


def info_against_capinfos(cli: str, capinfos: str, path: Path,
                          frames: Sequence[Mapping[str, Any]], *, reference: Path | None = None,
                          snaplen: bool = True) -> tuple[dict[str, Any], list[str]]:
    """`pcapframe info --json` on `path` and how it differs from capinfos on `reference`
    (default: the same file): packets, data size, first/last times (ns, and the floats to
    the microsecond), duration, snaplen (unless `snaplen` is false) and the captured bytes,
    which capinfos does not total, against tshark's `frames` (their cap_len)."""
    info = our_info(cli, path)
    ref = capinfos_table(capinfos, reference or path)
    problems: list[str] = []

    def expect(what: str, ours: Any, theirs: Any) -> None:
        if ours != theirs:
            problems.append(f"{what}: pcapframe {ours!r} vs capinfos {theirs!r}")

    expect("packets", info["packets"], int(ref["Number of packets"]))
    expect("bytes (data size)", info["bytes"], int(ref["Data size (bytes)"]))
    expect("first time (ns)", info["first_time_ns"], seconds_to_ns(ref["Start time"]))
    expect("last time (ns)", info["last_time_ns"], seconds_to_ns(ref["End time"]))
    expect("first time (float, µs)", to_microsecond(Decimal(repr(info["first_time"]))),
           to_microsecond(Decimal(ref["Start time"])))
    expect("last time (float, µs)", to_microsecond(Decimal(repr(info["last_time"]))),
           to_microsecond(Decimal(ref["End time"])))
    expect("duration (µs)", to_microsecond(Decimal(repr(info["duration"]))),
           to_microsecond(Decimal(ref["Capture duration (seconds)"])))
    if snaplen:
        expect("snaplen", info["snaplen"], int(ref["Packet size limit"]))
    expect("captured bytes (tshark)", info["captured_bytes"], sum(f["caplen"] for f in frames))
    return info, problems


_SAFE = re.compile(r"[^A-Za-z0-9_.-]")


def capture_id(path: Path) -> str:
    """A readable pytest id for a capture file."""
    return _SAFE.sub("_", path.name)


# --- truncated DNS answers ---------------------------------------------------------------------

def _dns_offset(frame: bytes) -> int | None:
    """Where the DNS message starts in an Ethernet frame (IPv4, or IPv6 without extension
    headers; UDP, or TCP with its 2-byte length prefix), or None."""
    pos = 12
    if len(frame) < pos + 2:
        return None
    ether_type = int.from_bytes(frame[pos:pos + 2], "big")
    pos += 2
    while ether_type in (0x8100, 0x88A8, 0x9100) and len(frame) >= pos + 4:
        ether_type = int.from_bytes(frame[pos + 2:pos + 4], "big")
        pos += 4
    if ether_type == 0x0800 and len(frame) >= pos + 20:
        proto, header_len = frame[pos + 9], (frame[pos] & 0x0F) * 4
    elif ether_type == 0x86DD and len(frame) >= pos + 40:
        proto, header_len = frame[pos + 6], 40
    else:
        return None
    pos += header_len
    if proto == 17:
        return pos + 8
    if proto == 6 and len(frame) >= pos + 20:
        return pos + (frame[pos + 12] >> 4) * 4 + 2
    return None


def _skip_name(message: bytes, pos: int) -> int:
    while True:
        length = message[pos]
        if length & 0xC0 == 0xC0:
            return pos + 2
        if length == 0:
            return pos + 1
        pos += 1 + length


def first_answer_extent(frame: bytes) -> tuple[int, int] | None:
    """For a complete Ethernet frame holding a DNS message with an answer: the frame offsets
    where the first answer's fixed fields end and where its RDATA ends."""
    start = _dns_offset(frame)
    if start is None or len(frame) < start + 12:
        return None
    message = frame[start:]
    questions = int.from_bytes(message[4:6], "big")
    answers = int.from_bytes(message[6:8], "big")
    if answers == 0:
        return None
    try:
        pos = 12
        for _ in range(questions):
            pos = _skip_name(message, pos) + 4
        fixed_end = _skip_name(message, pos) + 10
        rdata_end = fixed_end + int.from_bytes(message[fixed_end - 2:fixed_end], "big")
    except IndexError:
        return None
    return start + fixed_end, start + rdata_end
