# SPDX-License-Identifier: MIT
"""What the bench/ scripts that write a section of docs/BENCHMARKS.md share: the machine
they ran on, the pcapframe binary they time, and the rewrite of their own section.

Each script owns the part of the file between its BEGIN and END markers and leaves the rest
as it is. Standard library only: bench/report.py (for bench/compare.sh) uses it too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "BENCHMARKS.md"


def replace_section(doc: Path, begin: str, end: str, text: str, *, first: bool = False) -> None:
    """Replace the section between the markers `begin` and `end` with `text` (which carries
    the markers), or add it: last, or with `first` right after the title; the rest of the
    file stays as it is."""
    current = doc.read_text() if doc.exists() else "# Benchmarks\n"
    if begin in current and end in current:
        head, rest = current.split(begin, 1)
        tail = rest.split(end, 1)[1].lstrip("\n")
        new = head + text + ("\n" + tail if tail else "")
    elif first:
        title, _, rest = current.partition("\n")
        if not title.startswith("# "):
            title, rest = "# Benchmarks", current
        new = title + "\n\n" + text + ("\n" + rest.lstrip("\n") if rest.strip() else "")
    else:
        new = current.rstrip("\n") + "\n\n" + text
    doc.write_text(new)


def publish(text: str, begin: str, end: str, title: str, write: bool) -> None:
    """Print the section and, if `write`, put it into docs/BENCHMARKS.md as the `title` one."""
    print(text)
    if write:
        replace_section(DOC, begin, end, text)
        print(f"wrote the {title} section of {DOC.relative_to(ROOT)}", file=sys.stderr)


def machine(watched: tuple[str, ...] = ("src", "include", "python")) -> dict[str, str]:
    """The CPU, cores, RAM, load average and commit, as the sections print them. The commit
    is marked when a folder in `watched` (the code being timed) has uncommitted changes."""
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = re.search(r"^Model name:\s*(.+)$", lscpu, re.M)
    with open("/proc/meminfo") as f:
        mem_kb = int(re.search(r"MemTotal:\s*(\d+)", f.read()).group(1))
    commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True).stdout.strip() or "unknown"
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", *watched],
                           capture_output=True, text=True).stdout.strip()
    folders = [f"{folder}/" for folder in watched]
    named = ", ".join(folders[:-1]) + " or " + folders[-1] if len(folders) > 1 else folders[0]
    return {
        "cpu": model.group(1).strip() if model else platform.processor(),
        "cores": str(os.cpu_count()),
        "ram": f"{mem_kb / 2**20:.1f} GiB",
        "load": load_average(),
        "commit": commit + (f" (with uncommitted changes in {named})" if dirty else ""),
    }


def load_average() -> str:
    """The 1-minute load average, or "nan" where the system gives none."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "nan"


def utc_now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def add_cli_argument(parser: argparse.ArgumentParser) -> None:
    """--cli: the pcapframe binary to time."""
    default = os.environ.get("PCAPFRAME_CLI", str(ROOT / "build/release/src/pcapframe"))
    parser.add_argument("--cli", default=default, help="the pcapframe binary (default: "
                        "$PCAPFRAME_CLI, else the release build)")


def check_cli(cli: str) -> None:
    """Exit with a message unless `cli` is an executable."""
    if not os.access(cli, os.X_OK):
        sys.exit(f"{cli}: no pcapframe binary (make build, or pass --cli / PCAPFRAME_CLI)")
