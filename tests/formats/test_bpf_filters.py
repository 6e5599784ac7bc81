# SPDX-License-Identifier: MIT
"""BPF filters (`-f`, issue #4) against tcpdump, which runs the same libpcap compiler on the
same file: `pcapframe packets -f EXPR F` must give exactly the rows of
`tcpdump -r F -w - EXPR | pcapframe packets -` (every column), for the classic sample and
its pcapng conversions; on the merged pcapng with three link types (which libpcap cannot
read: "an interface has a type 113 different from the type of the first interface") each
interface's rows must be tcpdump's on that interface's own file, because the expression is
compiled once per link type (an expression that rejects every frame of a later interface's
link type, like "arp" on raw IP, selects none of them instead of stopping the read). A filter that does not compile fails with exit status 1 and
libpcap's own message, at once or at the first frame of a link type it cannot serve.
"""
from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import pytest

import diffkit
import formatkit

EXPRESSIONS = [
    "udp port 53",
    "tcp[tcpflags] & tcp-syn != 0",
    "icmp or icmp6",
    "ip6 and udp",
    "ip and not udp",
    "greater 1000",
    "arp",
    "vlan",
    "host fd77::1 and tcp",
]
SINGLE = ["pcap", "pcapng-us", "pcapng-ns"]
# libpcap has no VLAN support for Linux SLL: "vlan" is an error there (see the last test).
MERGED = [e for e in EXPRESSIONS if e != "vlan"]


def our_rows_text(cli: str, path: Path | str, expression: str | None, stdin: bytes | None = None) -> str:
    argv = [cli, "packets", "--format", "csv", "--columns", "all", "--utc", str(path)]
    if expression is not None:
        argv += ["-f", expression]
    proc = subprocess.run(argv, input=stdin, capture_output=True)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode()


def tcpdump_selection(tcpdump: str, path: Path, expression: str, nanosecond: bool) -> bytes | None:
    """The frames tcpdump's filter keeps, as a classic pcap (nanosecond when the input is);
    None when libpcap's optimizer finds that the expression rejects every packet of the
    file's link type ("arp" or "vlan" on raw IP)."""
    precision = ["--time-stamp-precision=nano"] if nanosecond else []
    proc = subprocess.run([tcpdump, *precision, "-r", str(path), "-w", "-", expression],
                          capture_output=True)
    if proc.returncode != 0 and b"expression rejects all packets" in proc.stderr:
        return None
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def parse(text: str) -> list[dict]:
    return [diffkit.parse_our_row(r) for r in csv.DictReader(io.StringIO(text, newline=""))]


def csv_rows(text: str) -> list[str]:
    lines = text.splitlines()
    assert lines and lines[0].startswith("datetime,")
    return lines[1:]


@pytest.mark.parametrize("expression", EXPRESSIONS)
@pytest.mark.parametrize("name", SINGLE)
def test_filter_equals_tcpdump(name: str, expression: str, made, cli, tcpdump) -> None:
    base = made[name].base
    ours = our_rows_text(cli, base.path, expression)
    selected = tcpdump_selection(tcpdump, base.path, expression, base.nanosecond)
    assert selected is not None
    theirs = our_rows_text(cli, "-", None, stdin=selected)
    assert ours == theirs
    assert len(csv_rows(ours)) > 0, f"'{expression}' keeps nothing: not a useful test"


@pytest.mark.parametrize("expression", MERGED)
def test_filter_on_three_link_types_equals_tcpdump_per_interface(expression: str, made, cli,
                                                                 tcpdump) -> None:
    base = made["pcapng-merged"].base
    ours = parse(our_rows_text(cli, base.path, expression))
    positional = ("interface", "time_normed")
    kept = 0
    for number, part in enumerate(base.parts):
        selected = tcpdump_selection(tcpdump, part.path, expression, False)
        # An expression that rejects all frames of a later interface's link type selects none
        # of them (packet_filter.cpp); on the first interface it would fail the open.
        assert selected is not None or number > 0
        theirs = [] if selected is None else parse(our_rows_text(cli, "-", None, stdin=selected))
        mine = [r for r in ours if r["interface"] == number]
        assert len(mine) == len(theirs), f"interface {number} ({part.path.name})"
        for row, ref in zip(mine, theirs):
            assert {k: v for k, v in row.items() if k not in positional} == \
                {k: v for k, v in ref.items() if k not in positional}
        kept += len(theirs)
    assert len(ours) == kept > 0


@pytest.mark.parametrize("name", [n for n in formatkit.variant_names() if "." in n])
def test_filter_through_compression(name: str, made, cli) -> None:
    variant = made[name]
    expression = "udp port 53 or icmp6"

    def count(path: Path) -> int:
        out = subprocess.run([cli, "info", "--json", "-f", expression, str(path)],
                             capture_output=True, check=True).stdout
        return json.loads(out)["packets"]

    assert count(variant.path) == count(variant.base.path) > 0


@pytest.mark.parametrize("expression", ["udp port foo", "udp and", "host 999.1.2.3", "portrange 5-"])
def test_a_filter_that_does_not_compile(expression: str, made, cli, tcpdump) -> None:
    path = made["pcapng-us"].path
    proc = subprocess.run([cli, "info", "-f", expression, str(path)], capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout == ""
    # libpcap's message, as tcpdump shows it after its own prefix.
    ref = subprocess.run([tcpdump, "-r", str(path), expression], capture_output=True, text=True)
    assert ref.returncode != 0
    libpcap = ref.stderr.strip().splitlines()[-1].split(": ", 1)[1]
    assert proc.stderr == f"pcapframe: filter '{expression}' does not compile for link type 1: {libpcap}\n"


@pytest.mark.parametrize(("expression", "reason"), [("ether broadcast", "not a broadcast link"),
                                                    ("vlan", "no VLAN support for Linux cooked v1")])
def test_a_filter_that_does_not_compile_for_a_later_link_type(expression, reason, made, cli) -> None:
    # These compile for Ethernet (the first interface) but not for Linux SLL: reading stops at
    # the first SLL frame, exit status 1, with libpcap's reason.
    path = made["pcapng-merged"].path
    proc = subprocess.run([cli, "info", "-f", expression, str(path)], capture_output=True,
                          text=True)
    assert proc.returncode == 1
    assert proc.stderr == (f"pcapframe: {path}: filter '{expression}' does not compile for link "
                           f"type 113: {reason}\n")
