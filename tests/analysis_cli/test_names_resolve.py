# SPDX-License-Identifier: MIT
"""`pcapframe names`: the sample's own DNS answers (a CNAME chain www -> web -> cdn), and
`--resolve` against a real dnsmasq started here on a loopback port with PTR records, plus a
server that never answers (timeouts must not hold the run up)."""
from __future__ import annotations

import struct
import subprocess
import sys
import time
from pathlib import Path

from conftest import SAMPLE, Pcapframe, run

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from dns_servers import dnsmasq, silent_server  # noqa: E402,F401  (fixtures)


def test_sample_names_follow_the_cname_chain(cli: str) -> None:
    rows = {r["address"]: r for r in Pcapframe(cli, SAMPLE).csv("names")}
    for address in ("10.77.0.2", "fd77::2"):
        r = rows[address]
        assert r["name"] == "www.pcapframe.test.", r   # the name the client asked for
        assert r["canonical"] == "cdn.pcapframe.test.", r  # the chain's end owns the A/AAAA
        assert r["source"] == "dns"
        assert int(r["answers"]) >= 2
        assert float(r["first_seen"]) <= float(r["last_seen"])
    # The client is named by no answer.
    assert "10.77.0.1" not in rows and "fd77::1" not in rows


def test_names_json_and_table(cli: str) -> None:
    run_ = Pcapframe(cli, SAMPLE)
    doc = run_.json("names")
    assert doc["resolve"] is False and doc["names"] == len(doc["rows"]) == 2
    www = next(r for r in doc["rows"] if r["address"] == "10.77.0.2")
    assert isinstance(www["other_names"], list)
    text = run_.table("names")
    assert "www.pcapframe.test." in text and "cdn.pcapframe.test." in text


# --- --resolve against dnsmasq ------------------------------------------------------------------

def test_resolve_names_the_unnamed_and_keeps_no_answer_apart(cli: str, dnsmasq: str) -> None:
    doc = Pcapframe(cli, SAMPLE).json("names", "--resolve", "--dns-server", dnsmasq)
    rows = {r["address"]: r for r in doc["rows"]}
    assert rows["10.77.0.1"]["name"] == "client.pcapframe.test."
    assert rows["10.77.0.1"]["source"] == "ptr" and rows["10.77.0.1"]["lookup"] == "name"
    assert rows["fd77::1"]["name"] == "client6.pcapframe.test."
    # The trace's own answer wins: 10.77.0.2 is never looked up.
    assert rows["10.77.0.2"]["name"] == "www.pcapframe.test." and rows["10.77.0.2"]["source"] == "dns"
    assert rows["10.77.0.2"]["lookup"] is None
    # No PTR record: "no answer", not a name, not a timeout.
    for address in ("10.77.100.1", "10.77.100.2", "ff02::2"):
        assert rows[address]["lookup"] == "no_answer", rows[address]
        assert rows[address]["name"] is None
    assert doc["lookups"]["timeout"] == 0 and doc["lookups"]["error"] == 0
    assert doc["lookups"]["name"] == 2

    csv_rows = {r["address"]: r for r in Pcapframe(cli, SAMPLE).csv("names", "--resolve", "--dns-server", dnsmasq)}
    assert csv_rows["10.77.0.1"]["name"] == "client.pcapframe.test."
    assert csv_rows["10.77.100.1"]["lookup"] == "no_answer" and csv_rows["10.77.100.1"]["name"] == ""


def test_top_by_name_with_resolve(cli: str, dnsmasq: str) -> None:
    rows = Pcapframe(cli, SAMPLE).csv("top", "--by", "name_src", "--all", "--resolve", "--dns-server", dnsmasq)
    keys = {r["name_src"] for r in rows}
    assert {"client.pcapframe.test.", "client6.pcapframe.test.", "www.pcapframe.test."} <= keys
    assert "10.77.100.1" in keys  # no PTR: stays an address
    assert "ptr-must-not-win.pcapframe.test." not in keys
    without = Pcapframe(cli, SAMPLE).csv("top", "--by", "name_src", "--all")
    assert sum(int(r["bytes"]) for r in rows) == sum(int(r["bytes"]) for r in without)


def test_resolve_timeout_is_kept_apart_and_quick(cli: str, silent_server: str) -> None:
    start = time.monotonic()
    doc = Pcapframe(cli, SAMPLE).json("names", "--resolve", "--dns-server", silent_server,
                                      "--resolve-timeout", "1s")
    elapsed = time.monotonic() - start
    looked_up = [r for r in doc["rows"] if r["lookup"] is not None]
    assert len(looked_up) == 8
    assert all(r["lookup"] == "timeout" and r["name"] is None for r in looked_up)
    assert doc["lookups"]["timeout"] == 8
    # The eight lookups run concurrently: about one timeout, not eight.
    assert elapsed < 5, elapsed
    print(f"8 lookups against a silent server with --resolve-timeout 1s: {elapsed:.2f} s")


def test_resolve_is_never_on_by_default(cli: str, silent_server: str) -> None:
    doc = Pcapframe(cli, SAMPLE).json("names", "--dns-server", silent_server)
    assert doc["resolve"] is False and all("lookup" not in r for r in doc["rows"])


def test_bad_dns_server_is_a_usage_error(cli: str) -> None:
    proc = subprocess.run([cli, "names", str(SAMPLE), "--resolve", "--dns-server", "dns.example.com"],
                          capture_output=True, text=True)
    assert proc.returncode == 1 and "not an IP address" in proc.stderr
    proc = subprocess.run([cli, "top", str(SAMPLE), "--resolve"], capture_output=True, text=True)
    assert proc.returncode == 1 and "name_dst" in proc.stderr


def test_names_from_a_pcapng_name_resolution_block(cli: str, tmp_path: Path) -> None:
    """A pcapng file with an NRB naming 192.0.2.7, and one frame to that address."""
    def block(kind: int, body: bytes) -> bytes:
        body += b"\x00" * (-len(body) % 4)
        return struct.pack("<II", kind, len(body) + 12) + body + struct.pack("<I", len(body) + 12)

    shb = block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    idb = block(1, struct.pack("<HHI", 1, 0, 65535))
    name = b"printer.lan\x00"
    record = struct.pack("<HH", 1, 4 + len(name)) + bytes([192, 0, 2, 7]) + name
    record += b"\x00" * (-len(record) % 4)
    nrb = block(4, record + struct.pack("<HH", 0, 0))
    frame = (b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + b"\x08\x00"
             + bytes([0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 192, 0, 2, 1, 192, 0, 2, 7])
             + struct.pack(">HHHH", 1000, 2000, 8, 0))
    epb = block(6, struct.pack("<IIIII", 0, 0, 0, len(frame), len(frame)) + frame)
    path = tmp_path / "nrb.pcapng"
    path.write_bytes(shb + idb + nrb + epb)
    rows = Pcapframe(cli, path).csv("names")
    assert [(r["address"], r["name"], r["source"]) for r in rows] == [("192.0.2.7", "printer.lan.", "nrb")]
    top = Pcapframe(cli, path).csv("top", "--by", "name_dst")
    assert top[0]["name_dst"] == "printer.lan."
