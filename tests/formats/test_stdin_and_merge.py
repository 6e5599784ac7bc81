# SPDX-License-Identifier: MIT
"""Standard input and several files (issue #4):

- `cat FILE | pcapframe info -` (the container and its compression recognised in a pipe)
  and `packets -` give what reading the file gives, for every variant;
- a decompressor in the pipe (`zstd -dc F | pcapframe info -`, gzip, lz4) gives what reading
  the uncompressed base gives;
- `pcapframe info a b c` reports each file as `info` of each alone would, and `--merge`
  reports one capture: counts and bytes are the sums, first/last times the min/max, the
  link types all of them.
"""
from __future__ import annotations

import json
import shlex
import subprocess
from collections import Counter

import pytest

import formatkit

VARIANTS = formatkit.variant_names()
COMPRESSED = [name for name in VARIANTS if "." in name]


def shell(command: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True)
    assert proc.returncode == 0, f"{command}: exit {proc.returncode}\n{proc.stderr.decode()}"
    return proc


def info(cli: str, *args: str, stdin_from: str | None = None) -> dict:
    command = shlex.join([cli, "info", "--json", "--utc", *args])
    if stdin_from is not None:
        command = f"{stdin_from} | {command}"
    return json.loads(shell(command).stdout)


def without(report: dict, *keys: str) -> dict:
    return {k: v for k, v in report.items() if k not in keys}


@pytest.mark.parametrize("name", VARIANTS)
def test_cat_into_stdin_equals_reading_the_file(name: str, made, cli) -> None:
    variant = made[name]
    from_file = info(cli, str(variant.path))
    from_pipe = info(cli, "-", stdin_from=f"cat {shlex.quote(str(variant.path))}")
    assert from_pipe["file"] == "<stdin>"
    assert without(from_pipe, "file") == without(from_file, "file")
    assert from_pipe["compression"] == variant.compression

    packets = [cli, "packets", "--format", "csv", "--columns", "all", "--utc"]
    rows_file = shell(shlex.join(packets + [str(variant.path)])).stdout
    rows_pipe = shell(f"cat {shlex.quote(str(variant.path))} | {shlex.join(packets + ['-'])}").stdout
    assert rows_pipe == rows_file
    assert rows_file.count(b"\n") == 1 + from_file["packets"]


@pytest.mark.parametrize("name", COMPRESSED)
def test_decompressor_pipe_equals_the_uncompressed_file(name: str, made, cli) -> None:
    variant = made[name]
    plain = info(cli, str(variant.base.path))
    decompress = shlex.join([*variant.decompress, str(variant.path)])
    piped = info(cli, "-", stdin_from=decompress)
    assert piped["compression"] is None
    assert without(piped, "file") == without(plain, "file")


def test_info_of_several_files_reports_each(made, cli) -> None:
    names = ["pcap", "pcapng-ns.gz", "pcapng-merged.zst-multi", "pcapng-us.lz4"]
    paths = [str(made[n].path) for n in names]
    together = info(cli, *paths)
    assert isinstance(together, list) and len(together) == len(names)
    for report, path in zip(together, paths):
        assert report == info(cli, path)


def test_info_merge_is_one_capture_of_all_files(made, cli) -> None:
    names = ["pcapng-us", "pcapng-ns.gz", "pcapng-merged.zst-multi", "pcap.lz4-multi"]
    paths = [str(made[n].path) for n in names]
    alone = [info(cli, path) for path in paths]
    merged = info(cli, "--merge", *paths)
    assert isinstance(merged, dict)
    assert merged["file"] == " + ".join(paths)
    for key in ("packets", "bytes", "captured_bytes", "dns_queries", "undecoded_frames"):
        assert merged[key] == sum(a[key] for a in alone), key
    for key in ("ipv4", "ipv6", "arp", "tcp", "udp", "icmp", "dns"):
        assert merged["frames"][key] == sum(a["frames"][key] for a in alone), key
    assert merged["first_time_ns"] == min(a["first_time_ns"] for a in alone)
    assert merged["last_time_ns"] == max(a["last_time_ns"] for a in alone)
    links = Counter()
    for a in alone:
        links.update(a["frames_by_link_type"])
    assert merged["frames_by_link_type"] == dict(sorted(links.items(), key=lambda kv: int(kv[0])))
    assert merged["size"]["min"] == min(a["size"]["min"] for a in alone)
    assert merged["size"]["max"] == max(a["size"]["max"] for a in alone)
    # Merging in time order does not change what a summary of the same frames says: the
    # merged file alone and its inputs merged agree.
    parts = [str(p.path) for p in made["pcapng-merged"].base.parts]
    by_parts = info(cli, "--merge", *parts)
    whole = info(cli, str(made["pcapng-merged"].path))
    assert without(by_parts, "file", "format", "version", "snaplen") == \
        without(whole, "file", "format", "version", "snaplen")
