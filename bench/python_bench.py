#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""pcapframe's Python front door against its peers, end to end (capture file to DataFrame).

Speed: ``pcapframe.pcap_to_pandas`` against the lab helper's method with scapy and against
the same DataFrame built by a dpkt loop (bench/python_peers.py), on a capture generated from
data/sample.pcap by bench/make_capture.py (its records repeated with shifted timestamps).
scapy manages a couple of thousand packets per second, so it reads a prefix of the capture
(the first --scapy-packets records, the same frame mix) and the comparison is of packets
per second; pcapframe and dpkt read the whole capture.

Memory: in a fresh interpreter, the peak resident memory (VmHWM) of ``pcap_to_pandas`` on a
larger capture, above the interpreter's own after its imports, against the DataFrame it
returns (``memory_usage(deep=False)``) plus its distinct string objects.

Writes the "Python" section of docs/BENCHMARKS.md (between its markers; the rest of the file
is left as it is) unless --no-write. Run it with `make bench-python`.
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

import bench_doc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BEGIN = "<!-- BEGIN python-bench (written by bench/python_bench.py) -->"
END = "<!-- END python-bench -->"

SPEED_GOAL_SCAPY = 2000.0
SPEED_GOAL_DPKT = 50.0
MEMORY_GOAL = 2.0

sys.path.insert(0, str(HERE))


def make_capture(packets: int) -> Path:
    """bench/out/python-N.pcap: N records of data/sample.pcap, repeated (made once)."""
    path = OUT / f"python-{packets}.pcap"
    if not path.exists():
        OUT.mkdir(exist_ok=True)
        subprocess.run([sys.executable, str(HERE / "make_capture.py"), "--packets", str(packets),
                        "--output", str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def timed(function, path: Path, runs: int) -> tuple[list[float], int]:
    """Wall times of `runs` calls of function(path) and the rows it returned."""
    times, rows = [], 0
    for _ in range(runs):
        gc.collect()
        started = time.perf_counter()
        df = function(str(path))
        times.append(time.perf_counter() - started)
        rows = len(df)
        del df
    return times, rows


def read_only(path: str) -> list[None]:
    """Read the file through a 1 MiB buffer and do nothing else: the floor under any reader
    of the file (the engine reads the same way). Returns an empty 'frame'."""
    buffer = bytearray(1 << 20)
    with open(path, "rb", buffering=0) as f:
        while f.readinto(buffer):
            pass
    return []


def engine_only(path: str):
    """pcapframe's engine without pandas: the table of the lab's columns."""
    import pcapframe

    return pcapframe.read_table(path, columns="lab")


def check_peers(path: Path) -> str:
    """The peers and pcapframe agree on the frames they share (the Ethernet II frames); a
    line describing the check."""
    import pandas as pd

    import pcapframe
    from python_peers import dpkt_to_pandas, scapy_to_pandas

    ours = pcapframe.pcap_to_pandas(str(path))
    scapy_df = scapy_to_pandas(str(path))
    dpkt_df = dpkt_to_pandas(str(path))
    assert list(scapy_df.columns) == list(dpkt_df.columns) == list(ours.columns)
    pd.testing.assert_frame_equal(scapy_df, dpkt_df, check_dtype=False)
    ether = ours[ours["mac_src"].notna() & ours["length"].ge(0)]
    shared = ours.loc[ours["protocol"].isin(["TCP", "UDP"]) & ours["ip_src_int"].notna()]
    keyed = scapy_df.loc[scapy_df["protocol"].isin(["TCP", "UDP"]) & scapy_df["ip_src_int"].notna()]
    for name in ("time", "length", "port_src", "port_dst", "ip_src_int"):
        assert shared[name].to_numpy().tolist() == keyed[name].to_numpy().tolist(), name
    return (f"On {len(ours):,} frames the scapy and dpkt peers give the same DataFrame "
            f"({len(scapy_df):,} rows: they drop the {len(ether) - len(scapy_df):,} frames "
            f"that are not Ethernet II), and the same times, lengths, ports and addresses "
            f"as pcapframe for the IPv4 TCP/UDP frames")


# ---- memory, in a fresh interpreter ----

MEMORY_CHILD = r"""
import json, sys, time
def status(key):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
import numpy, pandas, pyarrow, pcapframe
baseline = status("VmRSS")
started = time.perf_counter()
df = pcapframe.pcap_to_pandas(sys.argv[1])
elapsed = time.perf_counter() - started
peak = status("VmHWM")
frame = int(df.memory_usage(deep=False).sum())
distinct = 0
for name in df.columns:
    if df[name].dtype == object or str(df[name].dtype) == "str":
        distinct += sum(sys.getsizeof(v) for v in df[name].dropna().unique())
print(json.dumps({"rows": len(df), "baseline": baseline, "peak": peak, "frame": frame,
                  "distinct": distinct, "seconds": elapsed, "file": __import__("os").path.getsize(sys.argv[1])}))
"""


def measure_memory(path: Path) -> dict:
    result = subprocess.run([sys.executable, "-c", MEMORY_CHILD, str(path)], check=True,
                            capture_output=True, text=True)
    return json.loads(result.stdout)


# ---- the machine ----

def versions() -> str:
    import dpkt
    import numpy
    import pandas
    import scapy

    import pcapframe
    return (f"Python {platform.python_version()}, pcapframe {pcapframe.__version__}, "
            f"pandas {pandas.__version__}, numpy {numpy.__version__}, scapy {scapy.VERSION}, "
            f"dpkt {dpkt.__version__}")


# ---- the report ----

def fmt_rate(rows_per_s: float) -> str:
    if rows_per_s >= 1e6:
        return f"{rows_per_s / 1e6:.2f} M"
    if rows_per_s >= 1e3:
        return f"{rows_per_s / 1e3:.1f} k"
    return f"{rows_per_s:.0f} "


def verdict(value: float, goal: float, higher_is_better: bool = True) -> str:
    met = value >= goal if higher_is_better else value <= goal
    return "**met**" if met else "**missed**"


def section(results: dict) -> str:
    m, s, mem = results["machine"], results["speed"], results["memory"]
    ours, scapy_r, dpkt_r = s["pcapframe"], s["scapy"], s["dpkt"]
    vs_scapy = ours["rate"] / scapy_r["rate"]
    vs_dpkt = ours["rate"] / dpkt_r["rate"]
    grown = mem["peak"] - mem["baseline"]
    ratio = grown / (mem["frame"] + mem["distinct"])
    lines = [
        BEGIN,
        "## Python",
        "",
        "`pcapframe.pcap_to_pandas` against two peers, end to end from the capture file to the",
        "DataFrame with the lab's 18 columns: the lab helper's method with scapy (a `PcapReader`",
        "loop building one dict per packet, then pandas), and the same DataFrame built by a dpkt",
        "loop (`bench/python_peers.py`). Produced by `bench/python_bench.py`:",
        "",
        "```sh",
        "make bench-python        # or: .venv/bin/python bench/python_bench.py",
        "```",
        "",
        f"Run on {results['date']} at commit {m['commit']}.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM (load average "
        f"{m['load']} at the start: the cores are shared). {results['versions']}.",
        "",
        f"Inputs: `{s['capture']}` ({s['packets']:,} packets, {s['size'] / 1e6:.1f} MB, the "
        f"frame mix of `data/sample.pcap`, made by `bench/make_capture.py`), in the page cache. "
        f"scapy reads its first {scapy_r['rows_in']:,} packets (`{s['prefix']}`): at its speed "
        f"the whole file would take {s['packets'] / scapy_r['rate']:.0f} s per run, so **the "
        "ratios compare packets per second**, each tool's rate on the input it read. The tools take turns, in "
        f"{results['rounds']} rounds; times are the median of {ours['runs']} runs for pcapframe, "
        f"{dpkt_r['runs']} for dpkt and {scapy_r['runs']} for scapy (best run in brackets).",
        "",
        "| target (issue #3) | pcapframe | peer | ratio | goal | result |",
        "|---|---|---|---|---|---|",
        f"| `pcap_to_pandas` vs the lab helper's method (scapy) | {ours['median'] * 1e3:.1f} ms "
        f"({ours['best'] * 1e3:.1f}), {fmt_rate(ours['rate'])}packets/s | "
        f"{scapy_r['median']:.2f} s ({scapy_r['best']:.2f}) for {scapy_r['rows_in']:,}, "
        f"{fmt_rate(scapy_r['rate'])}packets/s "
        f"| {vs_scapy:,.0f}× faster | ≥ {SPEED_GOAL_SCAPY:,.0f}× | {verdict(vs_scapy, SPEED_GOAL_SCAPY)} |",
        f"| `pcap_to_pandas` vs a dpkt loop | same | {dpkt_r['median']:.2f} s "
        f"({dpkt_r['best']:.2f}), {fmt_rate(dpkt_r['rate'])}packets/s | {vs_dpkt:,.0f}× faster "
        f"| ≥ {SPEED_GOAL_DPKT:.0f}× | {verdict(vs_dpkt, SPEED_GOAL_DPKT)} |",
        f"| peak memory of `pcap_to_pandas` above the interpreter's ({mem['rows']:,} packets) "
        f"| {grown / 2**20:,.0f} MiB | DataFrame {mem['frame'] / 2**20:,.0f} MiB + distinct "
        f"strings {mem['distinct'] / 2**10:,.0f} KiB | {ratio:.2f}× | ≤ {MEMORY_GOAL:.0f}× "
        f"| {verdict(ratio, MEMORY_GOAL, higher_is_better=False)} |",
        "",
        "More figures from the same run:",
        "",
        f"- Best runs: pcapframe {fmt_rate(ours['rows'] / ours['best'])}packets/s, dpkt "
        f"{fmt_rate(dpkt_r['rows'] / dpkt_r['best'])}packets/s, so "
        f"{(ours['rows'] / ours['best']) / (dpkt_r['rows'] / dpkt_r['best']):,.0f}× dpkt and "
        f"{(ours['rows'] / ours['best']) / (scapy_r['rows'] / scapy_r['best']):,.0f}× scapy.",
        f"- On scapy's own prefix ({scapy_r['rows_in']:,} packets) pcapframe takes "
        f"{s['pcapframe_prefix'] * 1e3:.1f} ms, {s['scapy']['median'] / s['pcapframe_prefix']:,.0f}× "
        "less than scapy: the fixed cost of building a DataFrame weighs on so small an input.",
        f"- Memory run: `{mem['capture']}` ({mem['rows']:,} packets, {mem['file'] / 1e9:.2f} GB) "
        f"in {mem['seconds']:.2f} s ({fmt_rate(mem['rows'] / mem['seconds'])}packets/s); "
        f"the interpreter held {mem['baseline'] / 2**20:.0f} MiB after importing numpy, pandas, "
        f"pyarrow and pcapframe and peaked at {mem['peak'] / 2**20:,.0f} MiB. The capture is "
        "read through a 2 MiB buffer, never whole: the peak is the engine's columns (kept: "
        "the DataFrame's plain numeric columns are views of them) plus the columns it derives "
        "for pandas (times, text, integers with NaN, written once into one buffer) and the "
        "object arrays of the DNS names.",
        f"- Where the time goes (medians): reading the file through a 1 MiB buffer and doing "
        f"nothing else takes {s['read_only'] * 1e3:.1f} ms "
        f"({s['size'] / s['read_only'] / 1e9:.1f} GB/s); the engine's table of the 18 columns "
        f"(`read_table`, no pandas) {s['engine_only'] * 1e3:.1f} ms; the DataFrame "
        f"{(ours['median'] - s['engine_only']) * 1e3:.1f} ms more.",
        f"- {results['check']}.",
    ]
    if vs_scapy < SPEED_GOAL_SCAPY:
        needed = SPEED_GOAL_SCAPY * scapy_r["rate"]
        assumed = 1500.0  # DESIGN.md: "about 1,500 packets per second"
        versus = ("more than" if ours["rate"] >= SPEED_GOAL_SCAPY * assumed else "less than")
        lines += [
            "",
            "Why the scapy goal is missed: it was set against scapy at about 1,500 packets/s "
            f"(DESIGN.md); pcapframe's {fmt_rate(ours['rate'])}packets/s is {versus} 2,000 times "
            f"that. Here the lab's method runs at {fmt_rate(scapy_r['rate'])}packets/s on this "
            "frame mix (mostly full-size TCP segments, which scapy dissects comparatively "
            f"quickly), so 2,000× would take {fmt_rate(needed)}packets/s, i.e. "
            f"{needed * s['size'] / s['packets'] / 1e9:.1f} GB/s of this capture end to end, "
            f"where only reading the file runs at {s['size'] / s['read_only'] / 1e9:.1f} GB/s "
            "on this machine.",
        ]
    lines.append(END)
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packets", type=int, default=100_000, help="speed capture size")
    parser.add_argument("--scapy-packets", type=int, default=5_000, help="scapy's prefix")
    parser.add_argument("--memory-packets", type=int, default=2_000_000,
                        help="memory capture size")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds; each runs pcapframe --runs times, dpkt and scapy once")
    parser.add_argument("--runs", type=int, default=3, help="pcapframe runs per round")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()

    import pcapframe
    from python_peers import dpkt_to_pandas, scapy_to_pandas

    capture = make_capture(args.packets)
    prefix = make_capture(args.scapy_packets)
    large = make_capture(args.memory_packets)
    results = {"machine": bench_doc.machine(), "versions": versions(), "rounds": args.rounds,
               "date": bench_doc.utc_now()}
    print(f"machine: {results['machine']}", file=sys.stderr)

    print("checking the peers against each other and pcapframe ...", file=sys.stderr)
    results["check"] = check_peers(make_capture(3_000))

    print("timing ...", file=sys.stderr)
    pcapframe.pcap_to_pandas(str(capture))  # warm: page cache, imports, first-call costs
    # Rounds of each tool in turn, so that all see the same load on a shared machine.
    ours_t, prefix_t, dpkt_t, scapy_t, read_t, engine_t = [], [], [], [], [], []
    for _ in range(args.rounds):
        times, ours_rows = timed(pcapframe.pcap_to_pandas, capture, args.runs)
        ours_t += times
        prefix_t += timed(pcapframe.pcap_to_pandas, prefix, args.runs)[0]
        times, dpkt_rows = timed(dpkt_to_pandas, capture, 1)
        dpkt_t += times
        times, scapy_rows = timed(scapy_to_pandas, prefix, 1)
        scapy_t += times
        read_t += timed(read_only, capture, args.runs)[0]
        engine_t += timed(engine_only, capture, args.runs)[0]

    def summary(times, rows, rows_in):
        median = statistics.median(times)
        return {"median": median, "best": min(times), "runs": len(times), "rows": rows,
                "rows_in": rows_in, "rate": rows_in / median}

    results["speed"] = {
        "capture": capture.relative_to(ROOT).as_posix(),
        "prefix": prefix.relative_to(ROOT).as_posix(),
        "packets": args.packets,
        "size": capture.stat().st_size,
        # Rates count the packets in the file: the peers drop non-Ethernet-II frames but
        # still read them.
        "pcapframe": summary(ours_t, ours_rows, args.packets),
        "dpkt": summary(dpkt_t, dpkt_rows, args.packets),
        "scapy": summary(scapy_t, scapy_rows, args.scapy_packets),
        "pcapframe_prefix": statistics.median(prefix_t),
        "read_only": statistics.median(read_t),
        "engine_only": statistics.median(engine_t),
    }
    print("memory ...", file=sys.stderr)
    results["memory"] = measure_memory(large)
    results["memory"]["capture"] = large.relative_to(ROOT).as_posix()

    bench_doc.publish(section(results), BEGIN, END, "Python", write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
