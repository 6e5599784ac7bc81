# SPDX-License-Identifier: MIT
"""Packet-derived text (DNS names) in the analysis commands' output: a name with a terminal
escape, CSV metacharacters, a formula start and invalid UTF-8 comes out escaped once
(to_display_text) and then quoted per format, the same in the table, CSV and JSON."""
from __future__ import annotations

import json
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import read_csv

LABELS = [b"=1+2\x1b[2J", b'a,b"c', b"\xff\xfe", b"test"]
SHOWN = '=1+2\\x1b[2J.a,b"c.\\xff\\xfe.test.'  # to_display_text of the raw name
ADDRESS = bytes([192, 0, 2, 66])


def frame(src: bytes, dst: bytes, sport: int, dport: int, message: bytes) -> bytes:
    udp = struct.pack(">HHHH", sport, dport, 8 + len(message), 0) + message
    ip = struct.pack(">BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, src, dst) + udp
    return b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00" + ip


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    question = b"".join(bytes([len(label)]) + label for label in LABELS) + b"\x00" + struct.pack(">HH", 1, 1)
    query = struct.pack(">HHHHHH", 7, 0x0100, 1, 0, 0, 0) + question
    response = (struct.pack(">HHHHHH", 7, 0x8180, 1, 1, 0, 0) + question
                + b"\xc0\x0c" + struct.pack(">HHIH", 1, 1, 60, 4) + ADDRESS)
    client, server = bytes([10, 0, 0, 1]), bytes([10, 0, 0, 53])
    frames = [frame(client, server, 40000, 53, query), frame(server, client, 53, 40000, response),
              frame(client, ADDRESS, 40001, 443, b"x" * 100)]
    data = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)
    for i, f in enumerate(frames):
        data += struct.pack("<IIII", 1_700_000_000, i, len(f), len(f)) + f
    path = tmp_path_factory.mktemp("hostile") / "hostile.pcap"
    path.write_bytes(data)
    return path


def output(cli: str, *args: str) -> bytes:
    proc = subprocess.run([cli, *map(str, args)], capture_output=True)
    assert proc.returncode == 0, proc.stderr
    assert b"\x1b" not in proc.stdout and b"\xff" not in proc.stdout
    proc.stdout.decode("utf-8")  # valid UTF-8
    return proc.stdout


@pytest.mark.parametrize("command,column,args", [
    ("names", "name", ()),
    ("dns", "name", ()),
    ("top", "name_dst", ("--by", "name_dst")),
    ("flows", "name_dst", ("--names",)),
])
def test_names_are_escaped_in_every_format(cli: str, hostile: Path, command: str, column: str,
                                           args: tuple[str, ...]) -> None:
    table = output(cli, command, hostile, *args).decode()
    assert SHOWN in table
    csv_text = output(cli, command, hostile, "--csv", *args).decode()
    assert '"\'=1+2' in csv_text  # quoted, and the formula made inert
    assert SHOWN in [row[column] for row in read_csv(csv_text)]
    doc = json.loads(output(cli, command, hostile, "--json", *args))
    rows = doc["names"] if command == "dns" else doc["rows"]
    assert SHOWN in [row[column] for row in rows]


def test_raw_formulas_leave_the_cell_alone(cli: str, hostile: Path) -> None:
    csv_text = output(cli, "names", hostile, "--csv", "--raw-formulas").decode()
    assert '"=1+2' in csv_text and "'=1+2" not in csv_text
