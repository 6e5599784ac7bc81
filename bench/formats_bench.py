#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reading speed per capture format (issue #4): pcap, pcapng, gzip, zstd and lz4, against
capinfos and tshark on the same content, and against the decompressors alone.

- ``pcapframe info -q F`` against ``capinfos -c -s -d -u -a -e -y -i -z -x F`` (the counts,
  sizes, times and rates, no hashes) on a capture of 1,000,000 packets in each format;
- against ``tshark -n -q -r F -z io,stat,0`` (a full dissection of every frame) on 200,000
  packets: tshark reads tens of thousands of packets per second, so the big input would take
  minutes per format;
- for the compressed files, against the decompressor alone writing to /dev/null
  (``zstd -dc``, ``gzip -dc``, ``lz4 -dc``) and against zlib alone (Python's
  ``zlib.decompressobj`` in 1 MiB pieces: the gzip CLI has its own, slower inflate). "Limited
  by decompression" means that ``pcapframe info`` on a compressed file takes not much longer
  than its decompressor alone.

Inputs (bench/out/, git-ignored, made once): bench/make_capture.py repeats the records of
data/sample.pcap (``--mean-size 550``, as bench/compare.sh), and this script then XORs every
frame's bytes past the first 96 (past the IP and TCP/UDP headers) with a seeded random
stream. Without that, each repetition is a byte-for-byte copy of the last one 1.2 MB earlier,
which zstd's 2 MiB window finds (a 14:1 ratio and an unrealistic 5 GB/s decompression);
with it the payloads look like the encrypted traffic most captures carry and every
compressor sees the 1.3:1 ratio that gzip already sees. Then ``editcap -F pcapng`` and
``gzip -c``, ``zstd -c``, ``lz4 -c`` at their default levels. Every input is then rewritten
with large writes, so that all sit in the page cache in pages of the same size (see
rewrite_in_large_pieces: otherwise the pcapng was 2x slower to read for reasons of the
kernel's, not of the format's).

The tools take turns, round after round, all on files in the page cache; times are medians
over the rounds. Every tool's packet count is checked against the others' first. Writes the
"Formats" section of docs/BENCHMARKS.md between its markers (the rest of the file is left
as it is) unless --no-write. Run it with ``make bench-formats``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path
from typing import Callable

import bench_doc

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
BEGIN = "<!-- BEGIN formats (written by bench/formats_bench.py) -->"
END = "<!-- END formats -->"

KEEP_HEADER = 96  # frame bytes left as they are: Ethernet + IPv6 + TCP with options fit
SEED = 20240604
CAPINFOS_FLAGS = ["-c", "-s", "-d", "-u", "-a", "-e", "-y", "-i", "-z", "-x"]
COMPRESSORS = {  # suffix -> (name, compress argv, decompress-to-stdout argv)
    "gz": ("gzip", ["gzip", "-c"], ["gzip", "-dc"]),
    "zst": ("zstd", ["zstd", "-q", "-c"], ["zstd", "-q", "-dc"]),
    "lz4": ("lz4", ["lz4", "-q", "-c"], ["lz4", "-q", "-dc"]),
}
FORMATS = ["pcap", "pcapng", "pcap.gz", "pcap.zst", "pcap.lz4", "pcapng.zst"]


# ---- the inputs ----


def scramble_payloads(path: Path, records_per_repetition: int) -> None:
    """XOR each frame's bytes past KEEP_HEADER with a seeded random stream, in place.
    make_capture.py writes the same layout for every repetition, so the mask of payload
    bytes is computed once, on the first repetition, and applied to each in turn."""
    import numpy as np

    data = np.memmap(path, dtype=np.uint8, mode="r+")
    pos, mask_ends = 24, []
    for _ in range(records_per_repetition):
        caplen = int(data[pos + 8: pos + 12].view("<u4")[0])
        mask_ends.append((pos + 16 + KEEP_HEADER, pos + 16 + caplen))
        pos += 16 + caplen
    repetition = pos - 24
    mask = np.zeros(repetition, dtype=np.uint8)
    for start, end in mask_ends:
        if end > start:
            mask[start - 24: end - 24] = 0xFF
    rng = np.random.default_rng(SEED)
    for at in range(24, len(data), repetition):
        piece = data[at: at + repetition]
        noise = rng.integers(0, 256, size=len(piece), dtype=np.uint8)
        piece ^= noise & mask[: len(piece)]
    data.flush()
    del data


def rewrite_in_large_pieces(path: Path) -> None:
    """Write the file again with 16 MiB writes. How a file was written decides the size of
    the pages it sits in in the page cache: editcap's small writes left the pcapng in 4 KiB
    pages, in which `cat` alone took 3x as long as on the pcap (the kernel's copy to user
    space dominated). Rewritten, every input is read from the cache at the same cost."""
    tmp = path.with_name(path.name + ".tmp")
    with open(path, "rb") as source, open(tmp, "wb") as target:
        while piece := source.read(16 << 20):
            target.write(piece)
    os.replace(tmp, path)


def make_inputs(packets: int) -> dict[str, Path]:
    """bench/out/formats-N.<format> for every format (made once), each rewritten in large
    pieces on every run."""
    OUT.mkdir(exist_ok=True)
    stem = OUT / f"formats-{packets}"
    paths = {f: Path(f"{stem}.{f}") for f in FORMATS}
    if not all(p.exists() for p in paths.values()):
        make_files(packets, paths)
    for path in paths.values():
        rewrite_in_large_pieces(path)
    return paths


def make_files(packets: int, paths: dict[str, Path]) -> None:
    pcap = paths["pcap"]
    line = subprocess.run([sys.executable, str(HERE / "make_capture.py"), "--packets",
                           str(packets), "--mean-size", "550", "-o", str(pcap)],
                          capture_output=True, text=True, check=True).stdout
    per_repetition = int(re.search(r"from (\d+) records", line).group(1))
    scramble_payloads(pcap, per_repetition)
    subprocess.run(["editcap", "-F", "pcapng", str(pcap), str(paths["pcapng"])], check=True)
    for name in FORMATS:
        if "." not in name:
            continue
        base, suffix = name.split(".")
        with open(paths[name], "wb") as out:
            subprocess.run(COMPRESSORS[suffix][1] + [str(paths[base])], stdout=out, check=True)


# ---- timing ----


def run_process(argv: list[str]) -> tuple[float, float]:
    """Wall time and CPU time (user + system, all threads) of a whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def inflate_alone(path: Path) -> tuple[float, float]:
    """zlib's inflate on its own: a gzip file in 1 MiB pieces, output discarded."""
    started, cpu = time.perf_counter(), time.process_time()
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    with open(path, "rb") as f:
        while piece := f.read(1 << 20):
            inflater.decompress(piece)
    inflater.flush()
    return time.perf_counter() - started, time.process_time() - cpu


def count_packets(cli: str, capinfos: str, tshark: str | None, path: Path) -> dict[str, int]:
    counts = {"pcapframe": json.loads(subprocess.run([cli, "info", "--json", "-q", str(path)],
                                                     capture_output=True, check=True).stdout)["packets"]}
    text = subprocess.run([capinfos, "-c", "-M", str(path)], capture_output=True, text=True,
                          check=True).stdout
    counts["capinfos"] = int(re.search(r"Number of packets:\s*(\d+)", text).group(1))
    if tshark:
        text = subprocess.run([tshark, "-n", "-q", "-r", str(path), "-z", "io,stat,0"],
                              capture_output=True, text=True, check=True).stdout
        counts["tshark"] = int(re.search(r"\|\s*([\d]+)\s*\|\s*\d+\s*\|\s*$", text, re.M).group(1))
    return counts


# ---- the machine ----


def version(argv: list[str]) -> str:
    out = subprocess.run(argv, capture_output=True, text=True)
    return (out.stdout or out.stderr).strip().splitlines()[0].lstrip("* ")


# ---- the report ----


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def timed(t: dict[str, float]) -> str:
    """Median (best) wall time."""
    return f"{ms(t['median'])} ({ms(t['best'])})"


def mpps(packets: int, seconds: float) -> str:
    return f"{packets / seconds / 1e6:.2f} M packets/s"


def gbps(size: int, seconds: float) -> str:
    return f"{size / seconds / 1e9:.2f} GB/s"


def times_faster(slow: float, fast: float) -> str:
    """The peer's time over pcapframe's: above 1, pcapframe is faster."""
    r = slow / fast
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×"


def ratio(peer: dict[str, float], ours: dict[str, float]) -> str:
    """How many times faster pcapframe is: from the medians, and from the best runs."""
    return (f"**{times_faster(peer['median'], ours['median'])}** "
            f"(best runs: {times_faster(peer['best'], ours['best'])})")


def section(r: dict) -> str:
    m, big, small = r["machine"], r["big"], r["small"]
    plain = big["sizes"]["pcap"]
    ours, alone = big["pcapframe"], big["alone"]
    lines = [
        BEGIN,
        "## Formats: pcapng and compressed captures (issue #4)",
        "",
        "Reading speed per container format against capinfos and tshark on the same content, "
        "and, for compressed files, against the decompressor alone. Produced by "
        "`bench/formats_bench.py` (its docstring says how the inputs are made):",
        "",
        "```sh",
        "make bench-formats       # or: PCAPFRAME_CLI=build/release/src/pcapframe \\",
        "                         #       .venv/bin/python bench/formats_bench.py",
        "```",
        "",
        f"Run on {r['date']} at commit {m['commit']}, with `{r['cli']}`. Machine: {m['cpu']}, "
        f"{m['cores']} cores, {m['ram']} RAM (load average {m['load']} at the start and "
        f"{r['load_after']} at the end: the cores are shared with other work, so wall times "
        f"vary; CPU times vary less). {r['versions']}.",
        "",
        f"Inputs: the records of `data/sample.pcap` repeated to {big['packets']:,} and "
        f"{small['packets']:,} packets (mean frame 550 bytes, the bytes past the first "
        f"{KEEP_HEADER} of each frame randomised so that repetitions do not compress away), "
        f"{plain / 1e6:.0f} MB as pcap; every tool agreed on the packet count of every file. "
        f"Times are the median (best) of {r['rounds']} rounds, the tools in turn, whole "
        "processes, files in the page cache. A ratio is the peer's time over pcapframe's (above 1: "
        "pcapframe is faster), from the medians and from the best runs.",
        "",
        f"### pcapframe info vs capinfos ({big['packets']:,} packets)",
        "",
        "| format | file size | `pcapframe info` | `capinfos` (no hashes) | ratio |",
        "|---|---|---|---|---|",
    ]
    for name in FORMATS:
        mine, theirs = ours[name], big["capinfos"][name]
        lines.append(f"| {name} | {big['sizes'][name] / 1e6:.0f} MB | {timed(mine)}, "
                     f"{mpps(big['packets'], mine['median'])} | {timed(theirs)}, "
                     f"{mpps(big['packets'], theirs['median'])} | {ratio(theirs, mine)} |")
    if small["tshark"]:
        lines += [
            "",
            f"### pcapframe info vs tshark ({small['packets']:,} packets)",
            "",
            "| format | `pcapframe info` | `tshark -n -q -z io,stat,0` | ratio |",
            "|---|---|---|---|",
        ]
        for name in FORMATS:
            mine, theirs = small["pcapframe"][name], small["tshark"][name]
            lines.append(f"| {name} | {timed(mine)}, {mpps(small['packets'], mine['median'])} | "
                         f"{timed(theirs)}, {mpps(small['packets'], theirs['median'])} | "
                         f"{ratio(theirs, mine)} |")
    lines += [
        "",
        f"### Compressed files: limited by decompression? ({big['packets']:,} packets)",
        "",
        "Rates are of decompressed bytes (the pcap's size) per second. \"Share\" is "
        "pcapframe's rate as a share of the decompressor's alone (medians; best runs in "
        "brackets): 100% means that reading the compressed file costs no more time than "
        "decompressing it. CPU times are medians of user + system time over all threads.",
        "",
        "| file | decompressor alone | `pcapframe info` | share | CPU: pcapframe, "
        "decompressor | `pcapframe info` on the uncompressed file |",
        "|---|---|---|---|---|---|",
    ]
    for name, alone_key, label in (("pcap.zst", "zstd", "`zstd -dc`"),
                                   ("pcap.gz", "gzip", "`gzip -dc`"),
                                   ("pcap.gz", "zlib", "zlib (Python `zlib`)"),
                                   ("pcap.lz4", "lz4", "`lz4 -dc`")):
        a, o, u = alone[alone_key], ours[name], ours["pcap"]
        lines.append(f"| {name} | {label}: {timed(a)}, {gbps(plain, a['median'])} | {timed(o)}, "
                     f"{gbps(plain, o['median'])} | **{100 * a['median'] / o['median']:.0f}%** "
                     f"({100 * a['best'] / o['best']:.0f}%) | {ms(o['cpu'])}, {ms(a['cpu'])} | "
                     f"{timed(u)}, {gbps(plain, u['median'])} |")
    zst = ours["pcap.zst"]["best"] / alone["zstd"]["best"]
    zst_cpu = ours["pcap.zst"]["cpu"] - ours["pcap"]["cpu"]
    verdict = ("reading a .zst is limited by decompression, not by pcapframe"
               if zst <= 1.15 else
               "more than the decompression alone: on this run the parse was not hidden behind "
               "it (with the cores shared, the two threads took turns)")
    lines += [
        "",
        "What the figures mean:",
        "",
        f"- zstd: the best `pcapframe info` run on the .zst took {zst:.2f}× the time of the best "
        f"`zstd -dc` run (writing to /dev/null): {verdict}. The decompressor runs on the "
        "reader's read-ahead thread while the caller's thread parses and summarises; in CPU "
        f"time, reading the .zst costs {ms(zst_cpu)} more than reading the pcap, against "
        f"{ms(alone['zstd']['cpu'])} for `zstd -dc` alone.",
        "- gzip: zlib's inflate is the cost, and it is single-threaded. pcapframe calls zlib and "
        "is faster than `gzip -dc`, whose own inflate is slower than zlib's; against zlib alone "
        "it is the same decompression with the parse on the other thread.",
        "- lz4: perf puts most of the CPU time of both `pcapframe info` on the .lz4 (about 60%) "
        "and `lz4 -dc` (about 70%) in the XXH32 check of the frame's content checksum, which "
        "the lz4 CLI writes by default; liblz4 also decompresses its 4 MiB blocks into a buffer "
        "of its own and copies them out (about 7%), as the reader asks for 1 MiB at a time.",
        f"- pcapng against pcap, for pcapframe: {ms(ours['pcapng']['cpu'])} against "
        f"{ms(ours['pcap']['cpu'])} of CPU time for the same frames (blocks with 32 bytes of "
        "framing instead of a 16-byte record header).",
        "- capinfos and tshark read the compressed files through Wireshark's own "
        "decompression; their ratios include it.",
        END,
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    bench_doc.add_cli_argument(parser)
    parser.add_argument("--packets", type=int, default=1_000_000, help="the big input")
    parser.add_argument("--tshark-packets", type=int, default=200_000,
                        help="the input tshark reads (tshark is slow)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of every tool in turn")
    parser.add_argument("--no-write", action="store_true", help="print, do not write the doc")
    args = parser.parse_args()

    cli = args.cli
    bench_doc.check_cli(cli)
    for tool in ("capinfos", "editcap", "gzip", "zstd", "lz4"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (apt-get install wireshark-common gzip zstd lz4)")
    capinfos, tshark = shutil.which("capinfos"), shutil.which("tshark")

    print("making the inputs ...", file=sys.stderr)
    big, small = make_inputs(args.packets), make_inputs(args.tshark_packets)
    print("checking that every tool counts the same packets ...", file=sys.stderr)
    for packets, paths, with_tshark in ((args.packets, big, False), (args.tshark_packets, small, True)):
        for name, path in paths.items():
            counts = count_packets(cli, capinfos, tshark if with_tshark else None, path)
            if set(counts.values()) != {packets}:
                sys.exit(f"{path}: packet counts differ: {counts}")

    jobs: list[tuple[str, str, Callable[[], tuple[float, float]]]] = []
    for name, path in big.items():
        jobs.append(("big.pcapframe", name, lambda p=path: run_process([cli, "info", "-q", str(p)])))
        jobs.append(("big.capinfos", name, lambda p=path: run_process([capinfos, *CAPINFOS_FLAGS, str(p)])))
    for suffix, (codec, _, decompress) in COMPRESSORS.items():
        path = big[f"pcap.{suffix}"]
        jobs.append(("big.alone", codec, lambda p=path, d=decompress: run_process([*d, str(p)])))
    jobs.append(("big.alone", "zlib", lambda p=big["pcap.gz"]: inflate_alone(p)))
    for name, path in small.items():
        jobs.append(("small.pcapframe", name, lambda p=path: run_process([cli, "info", "-q", str(p)])))
        if tshark:
            jobs.append(("small.tshark", name,
                         lambda p=path: run_process([tshark, "-n", "-q", "-r", str(p), "-z", "io,stat,0"])))

    for path in list(big.values()) + list(small.values()):  # into the page cache
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
    results = {"machine": bench_doc.machine(watched=("src", "include")),
               "cli": os.path.relpath(cli, ROOT), "rounds": args.rounds,
               "date": bench_doc.utc_now(),
               "versions": "; ".join([version(["capinfos", "-v"]).split(" (Git")[0],
                                      version(["zstd", "--version"]).split(",")[0],
                                      version(["gzip", "--version"]),
                                      version(["lz4", "--version"]).split(",")[0],
                                      f"zlib {zlib.ZLIB_RUNTIME_VERSION}"])}
    print(f"machine: {results['machine']}", file=sys.stderr)
    times: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for round_ in range(args.rounds):
        print(f"  round {round_ + 1} of {args.rounds}", file=sys.stderr)
        for key, name, job in jobs:
            times.setdefault(key, {}).setdefault(name, []).append(job())

    def summary(key: str) -> dict[str, dict[str, float]]:
        return {name: {"median": statistics.median(wall for wall, _ in runs),
                       "best": min(wall for wall, _ in runs),
                       "cpu": statistics.median(cpu for _, cpu in runs)}
                for name, runs in times.get(key, {}).items()}

    results["load_after"] = bench_doc.load_average()
    results["big"] = {"packets": args.packets, "sizes": {n: p.stat().st_size for n, p in big.items()},
                      "pcapframe": summary("big.pcapframe"), "capinfos": summary("big.capinfos"),
                      "alone": summary("big.alone")}
    results["small"] = {"packets": args.tshark_packets, "pcapframe": summary("small.pcapframe"),
                        "tshark": summary("small.tshark")}
    (OUT / "formats-results.json").write_text(json.dumps({"results": results, "times": times}, indent=1))
    bench_doc.publish(section(results), BEGIN, END, "Formats", write=not args.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
