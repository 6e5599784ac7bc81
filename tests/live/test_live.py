# SPDX-License-Identifier: MIT
"""Live capture, end to end: `pcapframe capture`, `pcapframe info -i` and
`pcapframe.capture()` inside two network namespaces of the test's own (see conftest.py),
checked against the traffic that was sent and against tshark and capinfos reading the same
files. Skipped, with the reason, where namespaces cannot be made (not root)."""

from __future__ import annotations

import json
import os
import pwd
import grp
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from live_helpers import Net, run, start_in_a, start_live, tool

PING_FRAME = 98  # Ethernet 14 + IPv4 20 + ICMP 8 + ping's 56 bytes of data
UDP_SIZES = [16, 100, 512, 1200]
TCP_UP, TCP_DOWN = 10_000, 5_000
STATS = re.compile(r"received ([\d,]+), dropped by kernel ([\d,]+), dropped by interface ([\d,]+)")


# ---- readers of a capture file ----

def tshark_fields(tshark: str, path: Path, *fields: str, display_filter: str | None = None) -> list[list[str]]:
    cmd = [tshark, "-r", str(path), "-n", "-T", "fields", "-E", "separator=\t", "-E", "occurrence=f"]
    for f in fields:
        cmd += ["-e", f]
    if display_filter:
        cmd += ["-Y", display_filter]
    result = run(cmd)
    return [line.split("\t") for line in result.stdout.splitlines()]


def capinfos_packets(capinfos: str, path: Path) -> int:
    out = run([capinfos, "-M", "-c", str(path)]).stdout
    match = re.search(r"Number of packets:\s*(\d+)", out)
    assert match, out
    return int(match.group(1))


def pcapframe_rows(cli: Path, path: Path) -> list[dict]:
    out = run([str(cli), "packets", str(path), "--format", "jsonl", "--columns", "all"]).stdout
    return [json.loads(line) for line in out.splitlines() if line]


def pcapframe_info(cli: Path, path: Path) -> dict:
    return json.loads(run([str(cli), "info", "--json", str(path)]).stdout)


def epoch_ns(text: str) -> int:
    return int(Decimal(text) * 1_000_000_000)


def stats_of(stderr: str) -> tuple[int, int, int]:
    match = STATS.search(stderr)
    assert match, f"no libpcap counters in:\n{stderr}"
    return tuple(int(g.replace(",", "")) for g in match.groups())


def no_partials(folder: Path) -> None:
    assert not [p.name for p in folder.iterdir() if ".partial-" in p.name]


def same_frames_as_tshark(cli: Path, tshark: str, path: Path) -> list[dict]:
    """pcapframe's rows of `path` agree with tshark's frames: count, wire lengths, times."""
    rows = pcapframe_rows(cli, path)
    frames = tshark_fields(tshark, path, "frame.len", "frame.time_epoch")
    assert len(rows) == len(frames)
    assert [r["length"] for r in rows] == [int(f[0]) for f in frames]
    for r, f in zip(rows, frames):
        assert abs(r["time"] - float(Decimal(f[1]))) < 2e-6, (r, f)
    return rows


# ---- pcapframe capture ----

def test_count_of_pings_matches_what_was_sent(net: Net, cli, tshark, capinfos, tmp_path):
    out = tmp_path / "pings.pcap"
    live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out), "-c", "10")
    net.ping_from_b(5)
    code, _, err = live.finish()
    assert code == 0, err
    assert "veth-a: 10 packets captured" in err
    received, dropped, if_dropped = stats_of(err)
    assert received >= 10 and dropped == 0 and if_dropped == 0
    assert f"wrote {out}: 10 packets" in err
    no_partials(tmp_path)

    assert capinfos_packets(capinfos, out) == 10
    frames = tshark_fields(tshark, out, "icmp.type", "ip.src", "ip.dst", "eth.src", "frame.len")
    assert [f[0] for f in frames] == ["8", "0"] * 5  # request from b, reply from a, five times
    assert [(f[1], f[2]) for f in frames] == [(net.ip_b, net.ip_a), (net.ip_a, net.ip_b)] * 5
    assert [f[3] for f in frames] == [net.mac_b, net.mac_a] * 5
    assert {f[4] for f in frames} == {str(PING_FRAME)}

    rows = same_frames_as_tshark(cli, tshark, out)
    assert {r["protocol"] for r in rows} == {"ICMP"}
    assert [r["icmp_type"] for r in rows] == [8, 0] * 5
    assert [r["mac_src"] for r in rows] == [net.mac_b, net.mac_a] * 5
    info = pcapframe_info(cli, out)
    assert info["packets"] == 10 and info["bytes"] == 10 * PING_FRAME
    assert info["nanosecond"] is True and info["format"] == "pcap"


def test_udp_and_tcp_exchange_with_known_byte_counts(net: Net, cli, tshark, tmp_path):
    out = tmp_path / "udp_tcp.pcap"
    live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out))
    udp = net.server_in_a("udp-server", "5555", str(len(UDP_SIZES)))
    net.client_in_b("udp-client", net.ip_a, "5555", *map(str, UDP_SIZES))
    assert udp.wait(timeout=15) == 0
    tcp = net.server_in_a("tcp-server", "5556", str(TCP_UP), str(TCP_DOWN))
    net.client_in_b("tcp-client", net.ip_a, "5556", str(TCP_UP), str(TCP_DOWN))
    assert tcp.wait(timeout=15) == 0
    time.sleep(0.5)  # the kernel hands packets over within the 100 ms buffer timeout
    live.signal(signal.SIGINT)
    code, _, err = live.finish()
    assert code == 0, err
    assert stats_of(err)[1:] == (0, 0)

    # UDP: each datagram once each way, with the sizes sent.
    udp_frames = tshark_fields(tshark, out, "ip.src", "udp.length", "frame.len", display_filter="udp")
    assert sorted(int(f[1]) for f in udp_frames) == sorted([s + 8 for s in UDP_SIZES] * 2)
    assert sorted(int(f[2]) for f in udp_frames) == sorted([14 + 20 + 8 + s for s in UDP_SIZES] * 2)
    assert Counter(f[0] for f in udp_frames) == {net.ip_a: len(UDP_SIZES), net.ip_b: len(UDP_SIZES)}
    # TCP: the payload bytes each way are what the programs sent.
    tcp_frames = tshark_fields(tshark, out, "ip.src", "tcp.len", display_filter="tcp")
    payload = Counter()
    for src, length in tcp_frames:
        payload[src] += int(length)
    assert payload == {net.ip_b: TCP_UP, net.ip_a: TCP_DOWN}

    rows = same_frames_as_tshark(cli, tshark, out)
    udp_rows = [r for r in rows if r["protocol"] == "UDP"]
    assert sorted(r["length"] for r in udp_rows) == sorted(14 + 20 + 8 + s for s in UDP_SIZES for _ in (0, 1))
    assert {(r["ip_src"], r["port_dst"]) for r in udp_rows if r["port_dst"] == 5555} == {(net.ip_b, 5555)}
    tcp_rows = [r for r in rows if r["protocol"] == "TCP"]
    assert len(tcp_rows) == len(tcp_frames)
    assert {r["port_dst"] for r in tcp_rows if r["ip_src"] == net.ip_b} == {5556}
    assert len(rows) == len(udp_rows) + len(tcp_rows)  # nothing else crossed the link


def test_pcapng_output_is_read_by_tshark_and_pcapframe(net: Net, cli, tshark, capinfos, tmp_path):
    out = tmp_path / "pings.pcapng"
    live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out), "-c", "6")
    net.ping_from_b(3)
    code, _, err = live.finish()
    assert code == 0, err
    assert "(pcapng, nanosecond timestamps)" in err
    info_text = run([capinfos, "-t", "-i", str(out)]).stdout
    assert "pcapng" in info_text
    assert capinfos_packets(capinfos, out) == 6
    names = tshark_fields(tshark, out, "frame.interface_name", "frame.len")
    assert names == [["veth-a", str(PING_FRAME)]] * 6
    same_frames_as_tshark(cli, tshark, out)
    info = pcapframe_info(cli, out)
    assert info["format"] == "pcapng" and info["packets"] == 6

    # The last block is an Interface Statistics Block with libpcap's counters.
    data = out.read_bytes()
    blocks, at = [], 0
    while at < len(data):
        kind, length = struct.unpack_from("<II", data, at)
        assert struct.unpack_from("<I", data, at + length - 4)[0] == length
        blocks.append((kind, at, length))
        at += length
    assert [b[0] for b in blocks] == [0x0A0D0D0A, 1] + [6] * 6 + [5]
    _, start, length = blocks[-1]
    options, at = {}, start + 20
    while at < start + length - 4:
        code_, size = struct.unpack_from("<HH", data, at)
        if code_ == 0:
            break
        options[code_] = data[at + 4: at + 4 + size]
        at += 4 + (size + 3) // 4 * 4
    assert struct.unpack("<Q", options[4])[0] >= 6  # isb_ifrecv
    assert struct.unpack("<Q", options[7])[0] == 0  # isb_osdrop


def test_bpf_filter_keeps_only_icmp(net: Net, cli, tshark, tmp_path):
    out = tmp_path / "icmp.pcap"
    live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out), "-f", "icmp")
    assert "filter 'icmp'" in live.stderr
    udp = net.server_in_a("udp-server", "5557", "2")
    net.client_in_b("udp-client", net.ip_a, "5557", "64", "300")
    assert udp.wait(timeout=15) == 0
    net.ping_from_b(3)
    time.sleep(0.5)
    live.signal(signal.SIGINT)
    code, _, err = live.finish()
    assert code == 0, err
    assert stats_of(err)[0] == 6  # the kernel counts only packets that pass the filter
    frames = tshark_fields(tshark, out, "frame.protocols")
    assert len(frames) == 6
    assert all(f[0].endswith(":icmp") or ":icmp:" in f[0] for f in frames), frames
    assert {r["protocol"] for r in same_frames_as_tshark(cli, tshark, out)} == {"ICMP"}


def test_bad_filter_is_a_usage_error(net: Net, cli, tmp_path):
    out = tmp_path / "never.pcap"
    result = run(net.in_a(cli, "capture", "-i", net.if_a, "-w", out, "-f", "port ((("), check=False)
    assert result.returncode == 1, result.stderr
    assert "does not compile" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_mid_capture_leaves_a_complete_file(net: Net, cli, tshark, capinfos, tmp_path, sig):
    out = tmp_path / "stopped.pcap"
    live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out))
    net.ping_from_b(4)
    time.sleep(0.5)
    assert not out.exists()  # still under its temporary name
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("stopped.pcap.partial-")]) == 1
    live.signal(sig)
    code, _, err = live.finish(timeout=10)
    assert code == 0, err
    assert "veth-a: 8 packets captured" in err
    no_partials(tmp_path)
    assert capinfos_packets(capinfos, out) == 8
    run([tshark, "-r", str(out)])  # reads to the end without complaint
    assert len(same_frames_as_tshark(cli, tshark, out)) == 8


def test_write_to_standard_output_streams_into_info(net: Net, cli):
    live = start_in_a(net, ["sh", "-c", f"'{cli}' capture -i {net.if_a} -c 4 -w - | '{cli}' info --json -"])
    net.ping_from_b(2)
    code, out, err = live.finish()
    assert code == 0, err
    info = json.loads(out)
    assert info["packets"] == 4 and info["frames"]["icmp"] == 4 and info["nanosecond"] is True


def test_list_interfaces_shows_the_namespace(net: Net, cli):
    result = run(net.in_a(cli, "capture", "--list-interfaces"))
    names = [line.split()[1] for line in result.stdout.splitlines()]
    assert net.if_a in names and "lo" in names
    assert net.if_b not in names


def test_missing_interface_and_missing_output(net: Net, cli, tmp_path):
    result = run(net.in_a(cli, "capture", "-i", "pfl-none0", "-w", tmp_path / "x.pcap"), check=False)
    assert result.returncode == 2
    assert "no capture interface named 'pfl-none0'" in result.stderr
    result = run(net.in_a(cli, "capture", "-i", net.if_a), check=False)
    assert result.returncode == 1
    assert "-w FILE is required" in result.stderr
    assert not list(tmp_path.iterdir())


# ---- pcapframe info -i ----

def test_info_live_summary_counts_what_was_sent(net: Net, cli):
    live = start_live(net, cli, "info", "-i", net.if_a, "-c", "10", "--json")
    net.ping_from_b(5)
    code, out, err = live.finish()
    assert code == 0, err
    info = json.loads(out)
    assert info["packets"] == 10 and info["bytes"] == 10 * PING_FRAME
    assert info["frames"]["icmp"] == 10 and info["frames"]["ipv4"] == 10 and info["frames"]["udp"] == 0
    assert info["format"] == "live"
    capture = info["capture"]
    assert capture["interface"] == net.if_a and capture["ended_by"] == "count"
    assert capture["received"] >= 10 and capture["dropped"] == 0 and capture["if_dropped"] == 0
    assert {d["ip"]: d["bytes"] for d in info["top_destinations"]} == {net.ip_a: 5 * PING_FRAME,
                                                                        net.ip_b: 5 * PING_FRAME}


def test_info_live_human_report_with_duration(net: Net, cli):
    began = time.monotonic()
    live = start_live(net, cli, "info", "-i", net.if_a, "--duration", "2s")
    net.ping_from_b(3)
    code, out, err = live.finish()
    elapsed = time.monotonic() - began
    assert code == 0, err
    assert 1.9 < elapsed < 15
    assert re.search(r"^Interface:\s+veth-a$", out, re.M), out
    assert re.search(r"^Capture:\s+2\.\d\d s, ended by duration; received 6, dropped by kernel 0, "
                     r"dropped by interface 0$", out, re.M), out
    assert re.search(r"^Packets:\s+6$", out, re.M), out
    assert re.search(r"ICMP 6,", out), out


def test_top_and_flows_run_live_too(net: Net, cli):
    live = start_live(net, cli, "top", "-i", net.if_a, "-c", "6", "--by", "ip_src", "--json")
    net.ping_from_b(3)
    code, out, err = live.finish()
    assert code == 0, err
    top = json.loads(out)
    assert top["file"] == f"live: {net.if_a}" and top["total_packets"] == 6
    assert {r["ip_src"]: r["packets"] for r in top["rows"]} == {net.ip_a: 3, net.ip_b: 3}
    assert "veth-a: 6 packets captured" in err and stats_of(err)[1:] == (0, 0)

    live = start_live(net, cli, "flows", "-i", net.if_a, "-c", "4", "--json")
    net.ping_from_b(2)
    code, out, err = live.finish()
    assert code == 0, err
    flows = json.loads(out)
    assert {(r["ip_src"], r["ip_dst"], r["protocol"], r["packets"]) for r in flows["rows"]} == {
        (net.ip_b, net.ip_a, "ICMP", 2), (net.ip_a, net.ip_b, "ICMP", 2)}


# ---- privileges ----

def nobody_ids() -> tuple[int, int, str]:
    user = pwd.getpwnam("nobody")
    return user.pw_uid, user.pw_gid, grp.getgrgid(user.pw_gid).gr_name


def as_nobody() -> tuple[str, ...]:
    setpriv = tool("setpriv")
    if setpriv is None:
        pytest.skip("setpriv (util-linux) is not installed")
    uid, gid, _ = nobody_ids()
    return (setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups")


@pytest.fixture
def shared_dir():
    """A directory anyone may write in (sticky, like /tmp): for files written as nobody."""
    path = Path(tempfile.mkdtemp(prefix="pfl-shared-"))
    path.chmod(0o1777)
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def nobody_cli(cli, shared_dir):
    """The CLI at a path nobody can execute (the build tree may sit in a private home)."""
    if run([*as_nobody(), "test", "-x", str(cli)], check=False).returncode == 0:
        return cli
    copy = shared_dir / "pcapframe"
    shutil.copy2(cli, copy)
    copy.chmod(0o755)
    return copy


@pytest.mark.parametrize("command", ["capture", "info"])
def test_unprivileged_attempt_gets_the_clear_message(net: Net, nobody_cli, shared_dir, command):
    out = shared_dir / "denied.pcap"
    args = ["capture", "-i", net.if_a, "-w", str(out), "-c", "1"] if command == "capture" else \
           ["info", "-i", net.if_a, "-c", "1"]
    result = run(net.in_a(*as_nobody(), nobody_cli, *args), check=False)
    assert result.returncode == 2, result.stderr
    message = result.stderr
    assert f"capture on {net.if_a} is not permitted" in message
    assert "run as root" in message
    assert f"sudo setcap cap_net_raw,cap_net_admin=eip {nobody_cli}" in message
    assert message.count("\n") == 1  # one clear line, no trace
    assert not out.exists()


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_user_drop_runs_as_the_user_and_creates_the_file_as_it(net: Net, cli, shared_dir, umask, mode):
    uid, gid, _ = nobody_ids()
    out = shared_dir / "dropped.pcap"
    live = start_in_a(net, ["sh", "-c", f"umask {umask:03o}; exec \"$@\"", "sh", str(cli), "capture", "-i",
                            net.if_a, "-w", str(out), "-c", "4", "--user", "nobody"])
    assert "running as nobody" in live.stderr
    # The process itself (ip netns exec and sh exec it) now runs as nobody, without capabilities.
    status = Path(f"/proc/{live.proc.pid}/status").read_text()
    assert re.search(rf"^Uid:\s+{uid}\s+{uid}\s+{uid}\s+{uid}$", status, re.M), status
    assert re.search(rf"^Gid:\s+{gid}\s+{gid}\s+{gid}\s+{gid}$", status, re.M), status
    assert re.search(r"^CapEff:\s+0+$", status, re.M) and re.search(r"^CapPrm:\s+0+$", status, re.M), status
    net.ping_from_b(2)
    code, _, err = live.finish()
    assert code == 0, err
    st = out.stat()
    assert (st.st_uid, st.st_gid) == (uid, gid)
    assert st.st_mode & 0o7777 == mode
    assert st.st_mode & 0o002 == 0  # never world-writable


def test_sudo_user_is_the_default_and_root_can_be_kept(net: Net, cli, shared_dir):
    uid, _, _ = nobody_ids()
    env = dict(os.environ, SUDO_USER="nobody")
    for name, extra, owner in (("sudo.pcap", [], uid), ("root.pcap", ["--user", "root"], 0)):
        out = shared_dir / name
        live = start_live(net, cli, "capture", "-i", net.if_a, "-w", str(out), "--duration", "300ms", *extra,
                          env=env)
        code, _, err = live.finish()
        assert code == 0, err
        assert out.stat().st_uid == owner, name


def test_failed_drop_refuses_to_capture(net: Net, cli, shared_dir):
    out = shared_dir / "refused.pcap"
    result = run(net.in_a(cli, "capture", "-i", net.if_a, "-w", out, "-c", "1", "--user", "pfl-no-such-user"),
                 check=False)
    assert result.returncode == 1
    assert "no user named 'pfl-no-such-user'; refusing to capture with privileges kept" in result.stderr
    assert not out.exists()


def test_dropped_user_that_cannot_write_there_is_told_why(net: Net, cli):
    private = Path(tempfile.mkdtemp(prefix="pfl-private-"))  # 0700, root's
    try:
        result = run(net.in_a(cli, "capture", "-i", net.if_a, "-w", private / "x.pcap", "-c", "1", "--user",
                              "nobody"), check=False)
        assert result.returncode == 2
        assert "Permission denied" in result.stderr and "--user root" in result.stderr
        assert not list(private.iterdir())
    finally:
        shutil.rmtree(private, ignore_errors=True)


# ---- Python: pcapframe.capture() ----

@pytest.fixture(scope="module")
def python_capture() -> str:
    """The interpreter running the tests, with a pcapframe that has capture()."""
    probe = subprocess.run([sys.executable, "-c", "import pcapframe"], capture_output=True, text=True)
    if probe.returncode != 0:
        pytest.skip(f"the pcapframe Python package is not importable here: {probe.stderr.strip()[-200:]}")
    probe = subprocess.run([sys.executable, "-c", "import pcapframe; pcapframe.capture"], capture_output=True,
                           text=True)
    assert probe.returncode == 0, "pcapframe has no capture(): rebuild the package (make python)"
    return sys.executable


def background_pings(net: Net, count: int = 100, interval: float = 0.1) -> subprocess.Popen:
    return subprocess.Popen(net.in_b("ping", "-q", "-n", "-c", count, "-i", interval, net.ip_a),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
    proc.wait(timeout=10)


CAPTURE_SCRIPT = """
import json, sys, pcapframe
df = pcapframe.capture(sys.argv[1], count=10, write=sys.argv[2])
ref = pcapframe.pcap_to_pandas(sys.argv[2])
print(json.dumps({
    "rows": len(df), "columns": list(df.columns), "lab": list(pcapframe.LAB_COLUMNS),
    "equal": bool(df.equals(ref)), "dtypes": [str(t) for t in df.dtypes],
    "ref_dtypes": [str(t) for t in ref.dtypes], "protocols": sorted(set(df["protocol"])),
    "lengths": sorted(set(int(x) for x in df["length"])), "capture": df.attrs["capture"]}))
"""


def test_python_capture_is_the_dataframe_of_the_file(net: Net, python_capture, tshark, tmp_path):
    out = tmp_path / "py.pcap"
    pings = background_pings(net)
    try:
        result = run(net.in_a(python_capture, "-c", CAPTURE_SCRIPT, net.if_a, out))
    finally:
        stop(pings)
    got = json.loads(result.stdout)
    assert got["rows"] == 10
    assert got["columns"] == got["lab"]
    assert got["equal"] and got["dtypes"] == got["ref_dtypes"]
    assert got["protocols"] == ["ICMP"] and got["lengths"] == [PING_FRAME]
    cap = got["capture"]
    assert cap["interface"] == net.if_a and cap["packets"] == 10 and cap["ended_by"] == "count"
    assert cap["received"] >= 10 and cap["dropped"] == 0 and cap["path"] == str(out)
    assert len(tshark_fields(tshark, out, "frame.len")) == 10
    no_partials(tmp_path)


def test_python_capture_duration_and_filter(net: Net, python_capture):
    script = ("import json, sys, time, pcapframe\n"
              "t = time.monotonic()\n"
              "df = pcapframe.capture(sys.argv[1], duration='1s', filter='udp')\n"
              "print(json.dumps({'rows': len(df), 'columns': len(df.columns), 'elapsed': time.monotonic() - t,\n"
              "                  'ended_by': df.attrs['capture']['ended_by'], 'path': df.attrs['capture']['path']}))\n")
    pings = background_pings(net)
    try:
        got = json.loads(run(net.in_a(python_capture, "-c", script, net.if_a)).stdout)
    finally:
        stop(pings)
    assert got == {**got, "rows": 0, "columns": 18, "ended_by": "duration", "path": None}
    assert 0.9 < got["elapsed"] < 10


def test_python_ctrl_c_returns_what_was_captured(net: Net, python_capture, capinfos, tmp_path):
    out = tmp_path / "interrupted.pcap"
    script = ("import json, sys, pcapframe\n"
              "df = pcapframe.capture(sys.argv[1], write=sys.argv[2])\n"
              "print(json.dumps({'rows': len(df), 'ended_by': df.attrs['capture']['ended_by']}))\n")
    pings = background_pings(net)
    try:
        proc = subprocess.Popen(net.in_a(python_capture, "-c", script, net.if_a, out), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob("interrupted.pcap.partial-*")):  # capturing from here on
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(1.0)
        proc.send_signal(signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
    finally:
        stop(pings)
    assert proc.returncode == 0, stderr
    got = json.loads(stdout)
    assert got["ended_by"] == "interrupt" and got["rows"] > 0
    assert capinfos_packets(capinfos, out) == got["rows"]
    no_partials(tmp_path)


def test_python_unprivileged_raises_permission_error(net: Net, python_capture):
    prefix = as_nobody()
    if run([*prefix, python_capture, "-c", "import pcapframe"], check=False).returncode != 0:
        pytest.skip("this Python environment is not readable by nobody")
    script = ("import pcapframe\n"
              "try:\n"
              "    pcapframe.capture('veth-a', count=1)\n"
              "except PermissionError as e:\n"
              "    print('PermissionError:', e)\n")
    result = run(net.in_a(*prefix, python_capture, "-c", script))
    assert "PermissionError:" in result.stdout
    assert "capture on veth-a is not permitted" in result.stdout
    assert "run Python as root" in result.stdout
