# SPDX-License-Identifier: MIT
"""Packet text in every CLI output that shows DNS names: a capture whose names carry terminal
escapes (SGR, OSC 52), CR/LF, quotes, commas, <script>, invalid UTF-8, NUL, spreadsheet
formulas and a right-to-left override (tests/support/hostile_dns.py) must come out as valid
UTF-8 with no control character but the line ends, as CSV that parses to rectangular rows
with formula cells made inert (unless --raw-formulas), and as JSON that parses, every name
shown by its display text."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any, Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from hostile_dns import HOSTILE, Hostile, write_hostile_pcap, write_hostile_pcapng  # noqa: E402


# Code points that must never reach a terminal raw: C0 (but LF), DEL, C1, line and paragraph
# separators, bidirectional embeddings, overrides and isolates.
FORBIDDEN = ({c for c in range(0x20) if c != 0x0A} | set(range(0x7F, 0xA0)) | {0x2028, 0x2029}
             | set(range(0x202A, 0x202F)) | set(range(0x2066, 0x206A)))

# (command, arguments, which hostile names it shows: "all", "top_query")
COMMANDS: list[tuple[str, list[str], str]] = [
    ("info", [], "top_query"),
    ("packets", ["--format", "table", "--columns", "all"], "all"),
    ("dns", ["--all"], "all"),
    ("dns", ["--all", "--list", "unanswered"], "top_query"),
    ("names", [], "all"),
    ("top", ["--by", "name_dst", "--all"], "all"),
    ("flows", ["--names", "--all"], "all"),
    ("flows", ["--names", "--all", "--bidirectional"], "all"),
]
CSV_COMMANDS: list[tuple[str, list[str]]] = [
    ("packets", ["--format", "csv", "--columns", "all"]),
    ("dns", ["--all", "--csv"]),
    ("names", ["--csv"]),
    ("top", ["--by", "name_dst", "--all", "--csv"]),
    ("flows", ["--names", "--all", "--csv"]),
]
JSON_COMMANDS: list[tuple[str, list[str]]] = [
    ("info", ["--json"]),
    ("dns", ["--all", "--json"]),
    ("names", ["--json"]),
    ("top", ["--by", "name_dst", "--all", "--json"]),
    ("flows", ["--names", "--all", "--json"]),
]


@pytest.fixture(scope="module", params=["pcap", "pcapng"])
def capture(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / f"hostile.{request.param}"
    (write_hostile_pcap if request.param == "pcap" else write_hostile_pcapng)(path)
    return path


def output(cli: str, command: str, capture: Path, *args: str) -> str:
    proc = subprocess.run([cli, command, str(capture), "-q", *args], capture_output=True, timeout=60,
                          env={**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"})
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b"", proc.stderr
    return check_safe(proc.stdout)


def check_safe(raw: bytes) -> str:
    """Valid UTF-8 without a forbidden code point; return the text."""
    text = raw.decode("utf-8")  # strict: raises on invalid UTF-8
    bad = sorted({f"U+{ord(c):04X}" for c in text if ord(c) in FORBIDDEN})
    assert not bad, f"control characters in the output: {bad}"
    return text


def expected_names(which: str) -> list[Hostile]:
    return HOSTILE if which == "all" else [HOSTILE[0]]


@pytest.mark.parametrize("command,args,which", COMMANDS, ids=[" ".join([c, *a]) for c, a, _ in COMMANDS])
def test_table_output(cli: str, capture: Path, command: str, args: list[str], which: str) -> None:
    text = output(cli, command, capture, *args)
    for h in expected_names(which):
        assert h.shown_name in text, f"{h.shown_name!r} is not in the {command} output"


def strings(doc: Any) -> Iterator[str]:
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, list):
        for item in doc:
            yield from strings(item)
    elif isinstance(doc, dict):
        for value in doc.values():
            yield from strings(value)


@pytest.mark.parametrize("command,args", JSON_COMMANDS, ids=[" ".join([c, *a]) for c, a in JSON_COMMANDS])
def test_json_output(cli: str, capture: Path, command: str, args: list[str]) -> None:
    doc = json.loads(output(cli, command, capture, *args))
    values = set(strings(doc))
    for h in expected_names("top_query" if command == "info" else "all"):
        assert h.shown_name in values, f"{h.shown_name!r} is not a value of the {command} JSON"


def test_jsonl_packets(cli: str, capture: Path) -> None:
    rows = [json.loads(line) for line in output(cli, "packets", capture, "--format", "jsonl",
                                                "--columns", "all").splitlines()]
    queries = {row["dns_query"] for row in rows}
    for h in HOSTILE:
        assert h.shown_name in queries


def csv_cells(text: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows, "no CSV output"
    assert all(len(row) == len(rows[0]) for row in rows), "CSV rows of different lengths"
    return rows


def is_number(cell: str) -> bool:
    try:
        float(cell)
        return True
    except ValueError:
        return False


@pytest.mark.parametrize("raw_formulas", [False, True], ids=["inert", "raw"])
@pytest.mark.parametrize("command,args", CSV_COMMANDS, ids=[" ".join([c, *a]) for c, a in CSV_COMMANDS])
def test_csv_output(cli: str, capture: Path, command: str, args: list[str], raw_formulas: bool) -> None:
    rows = csv_cells(output(cli, command, capture, *args, *(["--raw-formulas"] if raw_formulas else [])))
    cells = {cell for row in rows[1:] for cell in row}
    for h in HOSTILE:
        guard = "'" if h.formula and not raw_formulas else ""
        assert guard + h.shown_name in cells, f"{guard + h.shown_name!r} is not a cell of the {command} CSV"
    if not raw_formulas:  # no text cell a spreadsheet would evaluate
        live = [c for c in cells if c[:1] in ("=", "+", "-", "@") and not is_number(c)]
        assert not live, f"formula cells: {live}"


def test_hostile_table_is_what_the_issue_asks() -> None:
    raw = b"".join(h.label for h in HOSTILE)
    for needle in (b"\x1b[", b"\x1b]52;", b"\r\n", b'"', b",", b"<script>", b"\xff", b"\x00", b"=cmd",
                   "\u202e".encode()):
        assert needle in raw
