# SPDX-License-Identifier: MIT
"""`pcapframe flows --bidirectional` against Wireshark's Conversations: `tshark -q -z conv,tcp`
and `-z conv,udp`, per conversation, on the sample and the lab traces.

tshark decodes one frame at a time, as pcapframe does (no IP reassembly, no TCP stream
reassembly). Frames must match exactly, per direction. Wireshark 4.0 prints byte counts
humanized ("318 kB", truncated, not rounded), so bytes are checked twice: the same
humanization of our exact number must give tshark's text, and the exact bytes must equal
the sum of frame.len over each tcp.stream / udp.stream (Wireshark's conversation id) from
`tshark -T fields`.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import Pcapframe, captures

PREFS = ("-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
         "-o", "tcp.desegment_tcp_streams:FALSE")

ROW = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s+(\d+) (\d+ \w+)\s")


@pytest.fixture(scope="module")
def tshark() -> str:
    path = shutil.which("tshark")
    if path is None:
        pytest.skip("tshark is not installed")
    return path


def tshark_run(argv: list[str]) -> str:
    proc = subprocess.run(argv, capture_output=True, text=True, env={"LC_ALL": "C.UTF-8", "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def humanized(size: int) -> str:
    """Wireshark 4.0's format_size(size, bytes, SI prefix): whole units, truncated, once the
    value is at least 10 of them; plain bytes below 10 kB."""
    for power, prefix in ((4, "T"), (3, "G"), (2, "M"), (1, "k")):
        if size // 1000**power >= 10:
            return f"{size // 1000**power} {prefix}B"
    return f"{size} bytes"


def split_endpoint(text: str) -> tuple[str, str]:
    address, port = text.rsplit(":", 1)  # the port is always last, IPv6 or not
    return address, port


def conversations(tshark: str, path: Path, proto: str) -> dict[tuple[str, str, str, str], dict]:
    """Rows of `tshark -q -z conv,<proto>`: "<-" is B to A, "->" is A to B."""
    text = tshark_run([tshark, "-r", str(path), "-n", "-q", *PREFS, "-z", f"conv,{proto}"])
    out = {}
    for line in text.splitlines():
        m = ROW.match(line)
        if m:
            out[(*split_endpoint(m[1]), *split_endpoint(m[2]))] = {
                "ba": int(m[3]), "ba_bytes": m[4], "ab": int(m[5]), "ab_bytes": m[6],
                "frames": int(m[7]), "bytes": m[8]}
    return out


def stream_bytes(tshark: str, path: Path, proto: str) -> dict[tuple[str, str, str, str], dict]:
    """Exact frames and bytes per direction of each tcp.stream / udp.stream, A being the
    source of the stream's first frame. Only frames whose transport header follows the first
    IP header count (not the header an ICMP error quotes)."""
    fields = ["frame.len", "frame.protocols", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
              f"{proto}.srcport", f"{proto}.dstport", f"{proto}.stream"]
    argv = [tshark, "-r", str(path), "-n", *PREFS, "-T", "fields", "-E", "occurrence=f"]
    for f in fields:
        argv += ["-e", f]
    streams: dict[str, dict] = {}
    for line in tshark_run(argv).splitlines():
        length, layers, ip_src, ip_dst, ip6_src, ip6_dst, sport, dport, stream = line.split("\t")
        names = layers.split(":")
        ip_at = next((i for i, n in enumerate(names) if n in ("ip", "ipv6")), None)
        if stream == "" or ip_at is None:
            continue
        after = ip_at + 1
        while after < len(names) and names[after].startswith("ipv6."):
            after += 1
        if after >= len(names) or names[after] != proto:
            continue
        src = (ip_src or ip6_src, sport) if names[ip_at] == "ip" else (ip6_src, sport)
        dst = (ip_dst or ip6_dst, dport) if names[ip_at] == "ip" else (ip6_dst, dport)
        s = streams.setdefault(stream, {"a": src, "b": dst, "ab": 0, "ab_bytes": 0, "ba": 0, "ba_bytes": 0})
        if src == s["a"]:
            s["ab"] += 1
            s["ab_bytes"] += int(length)
        else:
            s["ba"] += 1
            s["ba_bytes"] += int(length)
    return {(*s["a"], *s["b"]): s for s in streams.values()}


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("proto", ["tcp", "udp"])
def test_conversations_match_tshark(cli: str, tshark: str, path: Path, proto: str) -> None:
    ours = {(r["address_a"], r["port_a"], r["address_b"], r["port_b"]): r
            for r in Pcapframe(cli, path).csv("flows", "--bidirectional", "--all")
            if r["protocol"] == proto.upper()}
    theirs = conversations(tshark, path, proto)
    exact = stream_bytes(tshark, path, proto)
    assert set(ours) == set(theirs), (sorted(set(ours) ^ set(theirs)))
    assert set(exact) == set(theirs)
    for key, t in theirs.items():
        r = ours[key]
        ab, ba = int(r["bytes_ab"]), int(r["bytes_ba"])
        assert (int(r["packets_ab"]), int(r["packets_ba"]), int(r["packets"])) == (t["ab"], t["ba"], t["frames"]), key
        assert (humanized(ab), humanized(ba), humanized(int(r["bytes"]))) == (t["ab_bytes"], t["ba_bytes"], t["bytes"]), key
        e = exact[key]
        assert (int(r["packets_ab"]), ab, int(r["packets_ba"]), ba) == (e["ab"], e["ab_bytes"], e["ba"], e["ba_bytes"]), key
    print(f"{path.name} conv,{proto}: {len(theirs)} conversations match")


def test_humanized_matches_wireshark_examples() -> None:
    # Values seen in tshark 4.0 conv tables of the sample.
    assert humanized(318702) == "318 kB"
    assert humanized(16622) == "16 kB"
    assert humanized(8028) == "8028 bytes"
    assert humanized(9999) == "9999 bytes"
    assert humanized(10_000) == "10 kB"
    assert humanized(12_345_678) == "12 MB"
