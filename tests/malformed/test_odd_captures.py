# SPDX-License-Identifier: MIT
"""Captures pcapframe has never seen, made by Wireshark's own tools (issue #6): random packets
of every protocol `randpkt` knows (odd link types: Token Ring, FDDI, 802.15.4, USB), a pcapng
mixing all of them per packet (`mergecap`), the sample with its packet bytes corrupted at
random (`editcap -E`) and cut to a snapshot length (`editcap -s`), as pcap and pcapng.

Each file, under the release CLI and the ASan + UBSan one: `info --json` and
`packets --format jsonl --columns all` exit 0 with no warning and no sanitizer report, within
a few seconds; the packet and byte counts equal capinfos'; every row parses, one per packet,
its caplen and length those of the record (read by tests/support/pcap_variants.py from the
pcap the file was made from), and the rows' sums and link types agree with `info`.

randpkt and `editcap -E` take no seed, so every run makes new files: a failing test copies
its input to FAILED_DIR and names it, with the command that made it, in its message."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
sys.path.insert(0, str(Path(__file__).resolve().parent))
import pcap_variants  # noqa: E402
from conftest import assert_no_sanitizer_report, cli_env  # noqa: E402
from tool_fixtures import need  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample.pcap"
FAILED_DIR = Path(tempfile.gettempdir()) / "pcapframe-odd-captures"
# Per command; the ASan build takes about 0.35 s on the largest file (the merged one).
MAX_SECONDS = 5.0
HANG_SECONDS = 30
PACKETS_PER_TYPE = 200
MAX_PACKET_BYTES = 1500

# `randpkt -h` of Wireshark 4.0; types a newer randpkt lists are added at collection time.
RANDPKT_TYPES = ["arp", "bgp", "bvlc", "dns", "eth", "fddi", "giop", "icmp", "ieee802.15.4", "ip",
                 "ipv6", "llc", "m2m", "megaco", "nbns", "ncp2222", "sctp", "syslog", "tds", "tcp",
                 "tr", "udp", "usb-linux"]
# Also converted to pcapng: one per link type randpkt writes (Ethernet, FDDI, 802.15.4,
# Token Ring, USB Linux) and the random mix.
PCAPNG_TYPES = ["eth", "fddi", "ieee802.15.4", "tr", "usb-linux", "random"]
CORRUPT_PROBABILITIES = ["0.02", "0.1"]
CORRUPT_FILES_EACH = 3
SNAPLENS = [40, 1]


def listed_randpkt_types() -> list[str]:
    """The packet types `randpkt -h` lists (empty when randpkt is not installed)."""
    if shutil.which("randpkt") is None:
        return []
    help_text = subprocess.run(["randpkt", "-h"], capture_output=True, text=True, timeout=10)
    lines = (help_text.stdout + help_text.stderr).splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip() == "Types:"), len(lines))
    return [line.split()[0] for line in lines[start + 1:] if line.startswith("\t") and line.strip()]


TYPES = RANDPKT_TYPES + [t for t in listed_randpkt_types() if t not in RANDPKT_TYPES]
CASES = ([f"randpkt-{t}" for t in [*TYPES, "random"]]
         + [f"randpkt-{t}-pcapng" for t in PCAPNG_TYPES]
         + ["randpkt-merged-pcapng", "sample-pcapng"]
         + [f"corrupt-{p}-{i}{ext}" for p in CORRUPT_PROBABILITIES
            for i in range(1, CORRUPT_FILES_EACH + 1) for ext in ("", "-pcapng")]
         + [f"snap-{s}{ext}" for s in SNAPLENS for ext in ("", "-pcapng")])


@dataclass
class Odd:
    """One generated capture and what pcapframe must say about it."""
    path: Path
    how: str                       # the commands that made it, for the failure message
    error: str | None = None       # a generator failed: the test fails with this
    capinfos: tuple[int, int] | None = None  # (packets, bytes on the wire); None: unreadable
    capinfos_error: str = ""
    # (link type, caplen, origlen) of every record, from the pcap(s) the file was made from;
    # in file order unless `ordered` is False (mergecap interleaves its inputs).
    records: list[tuple[int, int, int]] = field(default_factory=list)
    ordered: bool = True
    original: Path | None = None   # editcap -E: the file before corruption, which must differ


def tool(*argv: object) -> str | None:
    """Run a generator; None when it succeeded, else what it said."""
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        return f"{' '.join(map(str, argv))}: exit {proc.returncode}: {proc.stderr.strip()}"
    return None


def pcap_records(path: Path) -> list[tuple[int, int, int]]:
    capture = pcap_variants.read_pcap(path)
    return [(capture.link_type, len(r.data), r.origlen) for r in capture.records]


def read_capinfos(odd: Odd) -> None:
    """capinfos' packet count and data size (the sum of the wire lengths), if it reads cleanly."""
    proc = subprocess.run(["capinfos", "-M", "-T", "-r", "-c", "-d", str(odd.path)],
                          capture_output=True, text=True, timeout=60)
    fields = proc.stdout.rstrip("\n").split("\t")
    if proc.returncode == 0 and not proc.stderr.strip() and len(fields) == 3:
        odd.capinfos = (int(fields[1]), int(fields[2]))
    else:
        odd.capinfos_error = f"exit {proc.returncode}: {proc.stderr.strip()}"


@pytest.fixture(scope="session")
def odd_captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Odd]:
    for name in ("randpkt", "editcap", "mergecap", "capinfos"):
        need(name)
    folder = tmp_path_factory.mktemp("odd-captures")
    listed = set(listed_randpkt_types())
    odd: dict[str, Odd] = {}

    def make(name: str, path: Path, how: str, *argv: object) -> Odd:
        odd[name] = Odd(path, how, error=tool(*argv))
        return odd[name]

    randpkt = ["randpkt", "-c", PACKETS_PER_TYPE, "-b", MAX_PACKET_BYTES]
    for t in [*TYPES, "random"]:
        path = folder / f"randpkt-{t}.pcap"
        if t != "random" and t not in listed:
            odd[f"randpkt-{t}"] = Odd(path, "", error=f"skip: this randpkt has no type {t}")
            continue
        # -r picks a type per packet but keeps only those of the first one's link type: a pcap
        # holds one (the others are dropped with a message on stderr, exit 0).
        argv = [*randpkt, *(["-r"] if t == "random" else ["-t", t]), path]
        case = make(f"randpkt-{t}", path, " ".join(map(str, argv)), *argv)
        if case.error is None:
            case.records = pcap_records(path)
    for t in PCAPNG_TYPES:
        source = odd[f"randpkt-{t}"]
        path = folder / f"randpkt-{t}.pcapng"
        case = make(f"randpkt-{t}-pcapng", path, f"{source.how}; editcap -F pcapng",
                    "editcap", "-F", "pcapng", source.path, path)
        case.error = source.error or case.error
        case.records = source.records
    # Every type in one pcapng, interleaved by time (randpkt's packet i is at i seconds): an
    # interface, and a link type, per input.
    sources = [odd[f"randpkt-{t}"] for t in [*TYPES, "random"] if odd[f"randpkt-{t}"].error is None]
    path = folder / "randpkt-merged.pcapng"
    case = make("randpkt-merged-pcapng", path, "randpkt -t each type; mergecap -F pcapng",
                "mergecap", "-F", "pcapng", "-w", path, *[s.path for s in sources])
    case.records = [r for s in sources for r in s.records]
    case.ordered = False

    sample_records = pcap_records(SAMPLE)
    sample_ng = folder / "sample.pcapng"
    case = make("sample-pcapng", sample_ng, "editcap -F pcapng data/sample.pcap",
                "editcap", "-F", "pcapng", SAMPLE, sample_ng)
    case.records = sample_records
    for p in CORRUPT_PROBABILITIES:
        for i in range(1, CORRUPT_FILES_EACH + 1):
            for ext, source in (("", SAMPLE), ("-pcapng", sample_ng)):
                path = folder / f"corrupt-{p}-{i}{'.pcapng' if ext else '.pcap'}"
                case = make(f"corrupt-{p}-{i}{ext}", path, f"editcap -E {p} {source.name}",
                            "editcap", "-E", p, source, path)
                case.records = sample_records
                case.original = source
    for s in SNAPLENS:
        for ext, source in (("", SAMPLE), ("-pcapng", sample_ng)):
            path = folder / f"snap-{s}{'.pcapng' if ext else '.pcap'}"
            case = make(f"snap-{s}{ext}", path, f"editcap -s {s} {source.name}",
                        "editcap", "-s", s, source, path)
            case.records = [(link, min(caplen, s), origlen)
                            for link, caplen, origlen in sample_records]
    for case in odd.values():
        if case.error is None:
            read_capinfos(case)
    return odd


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


def run(cli: str, *args: object) -> Run:
    command = " ".join(map(str, args))
    start = time.monotonic()
    try:
        proc = subprocess.run([cli, *map(str, args)], capture_output=True, env=cli_env(),
                              timeout=HANG_SECONDS)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"{command}: no answer after {HANG_SECONDS} s") from None
    seconds = time.monotonic() - start
    stderr = proc.stderr.decode("utf-8", "replace")
    assert_no_sanitizer_report(proc.returncode, stderr)
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {stderr}"
    assert seconds < MAX_SECONDS, f"{command}: {seconds:.1f} s"
    return Run(proc.returncode, proc.stdout.decode("utf-8"), stderr)


def check(cli: str, odd: Odd) -> None:
    info = run(cli, "info", "--json", "-q", odd.path)
    packets = run(cli, "packets", "--format", "jsonl", "--columns", "all", "-q", odd.path)
    if odd.capinfos is None:
        # Wireshark cannot read it either: pcapframe must fail or warn, not crash.
        assert info.returncode in (0, 2), info.stderr
        assert packets.returncode in (0, 2), packets.stderr
        return
    expected_packets, expected_bytes = odd.capinfos
    # Wireshark wrote these files, so their structure is sound: no error and no warning.
    assert info.returncode == 0, info.stderr
    assert packets.returncode == 0, packets.stderr
    assert info.stderr == "" and packets.stderr == "", (info.stderr, packets.stderr)
    doc = json.loads(info.stdout)
    assert doc["warnings"] == []
    assert (doc["packets"], doc["bytes"]) == (expected_packets, expected_bytes), "vs capinfos"
    assert sum(doc["frames_by_link_type"].values()) == doc["packets"]
    assert doc["link_type_name"] is None or doc["link_type_name"], "a name, or null when unknown"

    rows = [json.loads(line) for line in packets.stdout.splitlines()]
    row_count = len(rows)
    assert row_count == expected_packets
    assert sum(row["caplen"] for row in rows) == doc["captured_bytes"]
    assert sum(row["length"] for row in rows) == doc["bytes"]
    assert Counter(str(row["link_type"]) for row in rows) == Counter(doc["frames_by_link_type"])
    got = [(row["link_type"], row["caplen"], row["length"]) for row in rows]
    if odd.ordered:
        assert got == odd.records, "rows differ from the records of the pcap the file was made from"
        assert not odd.records or doc["link_type"] == odd.records[0][0]
    else:
        assert Counter(got) == Counter(odd.records), "rows differ from the merged files' records"
        assert len(doc["frames_by_link_type"]) == len({r[0] for r in odd.records})


def keep(name: str, odd: Odd) -> Path:
    """Copy a failing input where the next run will not delete it."""
    FAILED_DIR.mkdir(parents=True, exist_ok=True)
    dest = FAILED_DIR / f"{name}{odd.path.suffix}"
    shutil.copyfile(odd.path, dest)
    return dest


@pytest.mark.parametrize("name", CASES)
def test_odd_capture(cli: str, odd_captures: dict[str, Odd], name: str) -> None:
    odd = odd_captures[name]
    if odd.error is not None and odd.error.startswith("skip: "):
        pytest.skip(odd.error.removeprefix("skip: "))
    assert odd.error is None, odd.error
    if odd.original is not None:
        # editcap -E changes packet bytes, not record headers: the damage must be there.
        assert odd.path.read_bytes() != odd.original.read_bytes(), "editcap -E changed nothing"
        assert odd.capinfos is not None, f"capinfos cannot read {odd.path}: {odd.capinfos_error}"
    try:
        check(cli, odd)
    except AssertionError as failure:
        kept = keep(name, odd)
        failure.add_note(f"input: {kept} (made by: {odd.how}; capinfos: "
                         f"{odd.capinfos or odd.capinfos_error})")
        raise
