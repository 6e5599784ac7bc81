#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The analyses against their peers, side by side in one run (issue #5).

- ``pcapframe flows --bidirectional`` (the CLI, a whole process) against Wireshark's
  conversations, ``tshark -q -z conv,tcp`` with ``-o tcp.desegment_tcp_streams:FALSE``
  (one frame at a time, as pcapframe decodes). tshark runs at tens of thousands of packets
  per second, so this uses the smaller input (200,000 packets by default).
- ``pcapframe top`` (the CLI, and ``pcapframe.top`` in Python) against the lab's way:
  ``pcap_to_pandas(path)`` then the group-by ``df.groupby("ip_dst")["length"]
  .agg(["sum", "count"]).sort_values("sum", ascending=False)``; and against the group-by
  alone, on a DataFrame already loaded (what a notebook pays once it has the frame).

Inputs are made from data/sample.pcap by repeating its records with timestamps shifted by
whole seconds (as bench/make_capture.py does, whose reader this uses) and, here, with the
clients' ephemeral ports (32768 and up) shifted per repetition, so that each repetition's
connections are new conversations rather than the same 99 again. Outputs go to bench/out/
(git-ignored). Each tool's answer is checked against the others' before timing.

Writes the "Analyses" section of docs/BENCHMARKS.md, between its markers (the rest of the
file is left as it is) unless --no-write. Run it with `make bench-analyses`.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import shutil
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import bench_doc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BEGIN = "<!-- BEGIN analyses-bench (written by bench/analyses_bench.py) -->"
END = "<!-- END analyses-bench -->"
TSHARK_PREFS = ("-o", "tcp.desegment_tcp_streams:FALSE")

sys.path.insert(0, str(HERE))

# ---- the inputs ----

EPHEMERAL = 32768
EPHEMERAL_SPAN = 61000 - EPHEMERAL  # Linux's default ip_local_port_range: 32768-60999
PORT_STEP = 97  # per repetition; coprime with the span, so repetitions rarely collide


def shifted_port(port: int, repetition: int) -> int:
    if port < EPHEMERAL or port >= EPHEMERAL + EPHEMERAL_SPAN:
        return port  # a service port (53, 80, 5353, 50000, ...): kept
    return EPHEMERAL + (port - EPHEMERAL + repetition * PORT_STEP) % EPHEMERAL_SPAN


def port_offsets(record: bytes) -> int | None:
    """Byte offset (in the record, after its 16-byte header) of the TCP/UDP port pair of an
    Ethernet frame with IPv4 (first fragment) or IPv6 (no extension header), or None."""
    frame = 16
    if len(record) < frame + 14:
        return None
    ethertype = struct.unpack_from(">H", record, frame + 12)[0]
    ip = frame + 14
    if ethertype == 0x0800 and len(record) >= ip + 20:
        ihl = (record[ip] & 0x0F) * 4
        fragment = struct.unpack_from(">H", record, ip + 6)[0] & 0x1FFF
        proto = record[ip + 9]
        at = ip + ihl
    elif ethertype == 0x86DD and len(record) >= ip + 40:
        proto, fragment, at = record[ip + 6], 0, ip + 40
    else:
        return None
    if proto not in (6, 17) or fragment != 0 or len(record) < at + 4:
        return None
    return at


def make_input(packets: int) -> Path:
    """bench/out/analyses-N.pcap (made once): N records of the sample, repeated."""
    path = OUT / f"analyses-{packets}.pcap"
    if path.exists():
        return path
    from make_capture import read_records

    OUT.mkdir(exist_ok=True)
    header, records = read_records(str(ROOT / "data" / "sample.pcap"))
    shift = records[-1][0] - records[0][0] + 1
    ports = [port_offsets(r) for _, r in records]
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as out:
        out.write(header)
        written, repetition = 0, 0
        while written < packets:
            block = bytearray()
            for (ts, record), at in zip(records[: packets - written], ports):
                record = bytearray(record)
                struct.pack_into("<I", record, 0, ts + repetition * shift)
                if at is not None:
                    src, dst = struct.unpack_from(">HH", record, at)
                    struct.pack_into(">HH", record, at, shifted_port(src, repetition),
                                     shifted_port(dst, repetition))
                block += record
            written += min(len(records), packets - written)
            out.write(block)
            repetition += 1
    os.replace(tmp, path)
    return path


# ---- timing ----


def run_process(argv: list[str]) -> float:
    gc.collect()
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def run_call(function: Callable[[], Any]) -> float:
    gc.collect()
    started = time.perf_counter()
    result = function()
    elapsed = time.perf_counter() - started
    del result
    return elapsed


def summary(times: list[float], packets: int) -> dict[str, float]:
    median = statistics.median(times)
    return {"median": median, "best": min(times), "runs": len(times), "rate": packets / median}


# ---- what is compared ----


def lab_groupby(df: Any) -> Any:
    """The lab's volume_stats_by_ip, with packets too: what `pcapframe top --all` prints."""
    return df.groupby("ip_dst")["length"].agg(["sum", "count"]).sort_values(
        "sum", ascending=False)


def tshark_conversations(tshark: str, path: Path) -> int:
    text = subprocess.run([tshark, "-n", "-r", str(path), "-q", *TSHARK_PREFS, "-z", "conv,tcp"],
                          capture_output=True, text=True, check=True).stdout
    return sum(1 for line in text.splitlines() if "<->" in line)


def check(cli: str, tshark: str | None, flows_input: Path, top_input: Path) -> list[str]:
    """Every tool gives the same answer before anyone is timed; lines describing it."""
    import csv
    import io

    import pcapframe

    notes = []
    df = pcapframe.pcap_to_pandas(top_input)
    want = lab_groupby(df)
    ours = pcapframe.top(top_input, n=None).set_index("ip_dst")
    assert ours["bytes"].to_dict() == want["sum"].to_dict()
    assert ours["packets"].to_dict() == want["count"].to_dict()
    text = subprocess.run([cli, "top", str(top_input), "--all", "--csv", "-q"],
                          capture_output=True, text=True, check=True).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["ip_dst"]: int(r["bytes"]) for r in rows} == want["sum"].to_dict()
    notes.append(f"`top`: the CLI, `pcapframe.top` and the pandas group-by give the same "
                 f"{len(want):,} destinations with the same bytes and packets")
    conversations = pcapframe.flows(flows_input, bidirectional=True)
    tcp = int((conversations["protocol"] == "TCP").sum())
    if tshark:
        theirs = tshark_conversations(tshark, flows_input)
        notes.append(f"`flows --bidirectional`: {len(conversations):,} conversations, "
                     f"{tcp:,} of them TCP; tshark lists {theirs:,} TCP conversations"
                     + (" (the same number)" if theirs == tcp else
                        " (Wireshark splits a TCP 5-tuple reused after FIN/RST)"))
    return notes


# ---- the machine ----


def versions(tshark: str | None) -> str:
    import numpy
    import pandas

    import pcapframe

    out = (f"Python {platform.python_version()}, pcapframe {pcapframe.__version__}, pandas "
           f"{pandas.__version__}, numpy {numpy.__version__}")
    if tshark:
        first = subprocess.run([tshark, "--version"], capture_output=True,
                               text=True).stdout.splitlines()
        out += f", {first[0].split(' (Git')[0]}" if first else ""
    return out


# ---- the report ----


def rate(packets_per_s: float) -> str:
    if packets_per_s >= 1e6:
        return f"{packets_per_s / 1e6:.2f} M packets/s"
    return f"{packets_per_s / 1e3:.1f} k packets/s"


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def ratio(slow: float, fast: float) -> str:
    r = slow / fast
    return f"{r:,.1f}× faster" if r >= 1 else f"{1 / r:,.1f}× slower"


def section(r: dict) -> str:
    m, f, t = r["machine"], r["flows"], r["top"]
    cli_flows, tshark = f["pcapframe"], f.get("tshark")
    lines = [
        BEGIN,
        "## Analyses",
        "",
        "The analyses of `docs/ANALYSES.md` against their peers, side by side in one run "
        "(the tools take turns, round after round, so all see the same load). Produced by "
        "`bench/analyses_bench.py`:",
        "",
        "```sh",
        "make bench-analyses      # or: PCAPFRAME_CLI=build/release/src/pcapframe \\",
        "                         #       .venv/bin/python bench/analyses_bench.py",
        "```",
        "",
        f"Run on {r['date']} at commit {m['commit']}, with `{r['cli']}`.",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram']} RAM (load average {m['load']} at "
        f"the start: the cores are shared). {r['versions']}.",
        "",
        f"Inputs (`bench/out/`, made by the script): `{f['input']}` ({f['packets']:,} packets, "
        f"{f['size'] / 1e6:.0f} MB) and `{t['input']}` ({t['packets']:,} packets, "
        f"{t['size'] / 1e6:.0f} MB): the records of `data/sample.pcap` repeated, timestamps "
        "shifted, and the clients' ephemeral ports shifted per repetition so that every "
        "repetition brings new conversations. In the page cache. Times are medians (best in "
        "brackets); processes are timed whole, Python calls in the same interpreter.",
        "",
        "| comparison | pcapframe | peer | ratio |",
        "|---|---|---|---|",
    ]
    if tshark:
        lines.append(
            f"| `pcapframe flows --bidirectional --all --csv` vs `tshark -q -z conv,tcp -o "
            f"tcp.desegment_tcp_streams:FALSE` ({f['packets']:,} packets) | "
            f"{ms(cli_flows['median'])} ({ms(cli_flows['best'])}), {rate(cli_flows['rate'])} | "
            f"{ms(tshark['median'])} ({ms(tshark['best'])}), {rate(tshark['rate'])} | "
            f"**{ratio(tshark['median'], cli_flows['median'])}** |")
    lines += [
        f"| `pcapframe.top(path)` vs `pcap_to_pandas(path)` + group-by ({t['packets']:,} "
        f"packets) | {ms(t['python']['median'])} ({ms(t['python']['best'])}), "
        f"{rate(t['python']['rate'])} | {ms(t['pandas']['median'])} "
        f"({ms(t['pandas']['best'])}), {rate(t['pandas']['rate'])} | "
        f"**{ratio(t['pandas']['median'], t['python']['median'])}** |",
        f"| `pcapframe top FILE --all --csv` (CLI process) vs `pcap_to_pandas(path)` + "
        f"group-by | {ms(t['cli']['median'])} ({ms(t['cli']['best'])}), "
        f"{rate(t['cli']['rate'])} | same | "
        f"**{ratio(t['pandas']['median'], t['cli']['median'])}** |",
        f"| `pcapframe.top(path)` vs the group-by alone, on a DataFrame already loaded | same "
        f"as above | {ms(t['groupby']['median'])} ({ms(t['groupby']['best'])}) | "
        f"**{ratio(t['groupby']['median'], t['python']['median'])}** |",
        "",
        "More figures from the same run:",
        "",
        f"- Of the pandas path's {ms(t['pandas']['median'])}, `pcap_to_pandas` takes "
        f"{ms(t['load']['median'])} and the group-by {ms(t['groupby']['median'])}.",
        f"- `pcapframe.top` in Python against the CLI process: {ms(t['python']['median'])} vs "
        f"{ms(t['cli']['median'])} (the CLI adds process start-up and CSV output; the pass is "
        "the same C++ code).",
    ]
    if tshark:
        lines.append(
            f"- `pcapframe flows --bidirectional` also counts the UDP, ICMP and other "
            f"conversations in the same pass; tshark's `conv,tcp` only TCP. Per packet, "
            f"pcapframe's rate on this input is {rate(cli_flows['rate'])}.")
    lines += [f"- {note}." for note in r["notes"]]
    if not tshark:
        lines.append("- tshark is not installed: the flows comparison was skipped.")
    lines += [
        "",
        "What the ratios mean: `top` streams the capture once and keeps one counter per "
        "destination; the pandas path first builds the whole 18-column DataFrame (one row per "
        "packet) and then groups it. On a frame already in memory the group-by alone is the "
        "fairer peer; `pcapframe.top` still reads and decodes the file.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    bench_doc.add_cli_argument(parser)
    parser.add_argument("--flows-packets", type=int, default=200_000,
                        help="input size for flows vs tshark (tshark is slow)")
    parser.add_argument("--top-packets", type=int, default=2_000_000,
                        help="input size for top vs pandas")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every tool in turn")
    parser.add_argument("--runs", type=int, default=3, help="pcapframe runs per round")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()

    import pcapframe

    cli = args.cli
    bench_doc.check_cli(cli)
    tshark = shutil.which("tshark")
    flows_input = make_input(args.flows_packets)
    top_input = make_input(args.top_packets)
    results: dict[str, Any] = {
        "machine": bench_doc.machine(), "versions": versions(tshark),
        "cli": os.path.relpath(cli, ROOT), "date": bench_doc.utc_now()}
    print(f"machine: {results['machine']}", file=sys.stderr)
    print("checking that every tool gives the same answer ...", file=sys.stderr)
    results["notes"] = check(cli, tshark, flows_input, top_input)

    print("timing ...", file=sys.stderr)
    flows_cmd = [cli, "flows", str(flows_input), "--bidirectional", "--all", "--csv", "-q"]
    tshark_cmd = ([tshark, "-n", "-r", str(flows_input), "-q", *TSHARK_PREFS, "-z", "conv,tcp"]
                  if tshark else None)
    top_cmd = [cli, "top", str(top_input), "--all", "--csv", "-q"]
    loaded = pcapframe.pcap_to_pandas(top_input)  # warm: page cache, imports
    times: dict[str, list[float]] = {k: [] for k in ("flows", "tshark", "cli", "python",
                                                     "pandas", "load", "groupby")}
    for round_ in range(args.rounds):
        print(f"  round {round_ + 1} of {args.rounds}", file=sys.stderr)
        for _ in range(args.runs):
            times["flows"].append(run_process(flows_cmd))
            times["cli"].append(run_process(top_cmd))
            times["python"].append(run_call(lambda: pcapframe.top(top_input, n=None)))
            times["groupby"].append(run_call(lambda: lab_groupby(loaded)))
        if tshark_cmd:
            times["tshark"].append(run_process(tshark_cmd))
        del loaded
        gc.collect()
        load_started = time.perf_counter()
        loaded = pcapframe.pcap_to_pandas(top_input)
        loaded_at = time.perf_counter()
        lab_groupby(loaded)
        done = time.perf_counter()
        times["load"].append(loaded_at - load_started)
        times["pandas"].append(done - load_started)

    fp, tp = args.flows_packets, args.top_packets
    results["flows"] = {"input": flows_input.relative_to(ROOT).as_posix(), "packets": fp,
                        "size": flows_input.stat().st_size,
                        "pcapframe": summary(times["flows"], fp)}
    if tshark_cmd:
        results["flows"]["tshark"] = summary(times["tshark"], fp)
    results["top"] = {"input": top_input.relative_to(ROOT).as_posix(), "packets": tp,
                      "size": top_input.stat().st_size,
                      **{k: summary(times[k], tp) for k in ("cli", "python", "pandas", "load",
                                                            "groupby")}}
    bench_doc.publish(section(results), BEGIN, END, "Analyses", write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
