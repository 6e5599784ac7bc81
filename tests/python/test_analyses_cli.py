# SPDX-License-Identifier: MIT
"""Python == CLI: each analysis function against its subcommand's ``--csv`` output (the same
C++ classes behind both), on the sample and the lab's traces, cell for cell: integers
equal, floats equal to the double the CSV text reads as, text equal ('' for missing), lists
joined with '|' as the CSV joins them."""

from __future__ import annotations

import csv
import io
import math
import os
import subprocess
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from test_analyses import SAMPLE, captures

import pcapframe


def cli_csv(cli: Path, command: str, path: Path, *args: str) -> list[dict[str, str]]:
    proc = subprocess.run([str(cli), command, str(path), "--csv", "-q", "--raw-formulas", *args],
                          capture_output=True, text=True,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert proc.returncode == 0, proc.stderr
    return list(csv.DictReader(io.StringIO(proc.stdout, newline="")))


def same_cell(value: Any, text: str) -> bool:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return text == ""
    if isinstance(value, (bool, np.bool_)):
        return text == ("true" if value else "false")
    if isinstance(value, (int, np.integer)):
        return text != "" and int(text) == value
    if isinstance(value, (float, np.floating)):
        return text != "" and float(text) == value
    if isinstance(value, list):
        return text == "|".join(value)
    return text == value


def assert_same(frame: pd.DataFrame, rows: list[dict[str, str]]) -> None:
    """The DataFrame holds the CSV: the same columns in the same order, the same cells."""
    assert len(frame) == len(rows)
    if rows:
        assert list(frame.columns) == list(rows[0]), (list(frame.columns), list(rows[0]))
    for record, row in zip(frame.to_dict("records"), rows):
        for column, text in row.items():
            assert same_cell(record[column], text), (column, record[column], text, row)


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("key", pcapframe.analyses.TOP_KEYS)
def test_top(cli: Path, path: Path, key: str) -> None:
    assert_same(pcapframe.top(path, by=key, n=None), cli_csv(cli, "top", path, "--by", key, "--all"))
    assert_same(pcapframe.top(path, by=key, metric="packets", n=3),
                cli_csv(cli, "top", path, "--by", key, "--packets", "-n", "3"))


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("bidirectional", [False, True])
def test_flows(cli: Path, path: Path, bidirectional: bool) -> None:
    extra = ["--bidirectional"] if bidirectional else []
    assert_same(pcapframe.flows(path, bidirectional=bidirectional),
                cli_csv(cli, "flows", path, "--all", *extra))
    assert_same(pcapframe.flows(path, bidirectional=bidirectional, names=True, n=7),
                cli_csv(cli, "flows", path, "--names", "-n", "7", *extra))


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("local", [None, ["10.77.0.1", "fd77::1"], ["192.168.0.0/16"]])
def test_direction(cli: Path, path: Path, local: list[str] | None) -> None:
    ours = pcapframe.direction(path, local=local)
    (row,) = cli_csv(cli, "direction", path, *[a for x in (local or []) for a in ("--local", x)])
    assert row["local"] == " ".join(ours.attrs["local"])
    assert row["automatic"] == ("true" if ours.attrs["automatic"] else "false")
    for kind in ("upload", "download", "local", "other"):
        assert int(row[f"{kind}_packets"]) == ours.loc[kind, "packets"]
        assert int(row[f"{kind}_bytes"]) == ours.loc[kind, "bytes"]


@pytest.mark.parametrize("path", captures())
def test_dns(cli: Path, path: Path) -> None:
    ours = pcapframe.dns(path)
    assert_same(ours.names, cli_csv(cli, "dns", path, "--all", "--list", "names"))
    assert_same(ours.rcodes, cli_csv(cli, "dns", path, "--list", "rcodes"))
    assert_same(ours.unanswered, cli_csv(cli, "dns", path, "--all", "--list", "unanswered"))
    assert_same(pcapframe.dns(path, n=2).names, cli_csv(cli, "dns", path, "-n", "2"))


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("window", ["1s", "250ms", "0.1", "3s"])
def test_rates(cli: Path, path: Path, window: str) -> None:
    assert_same(pcapframe.rates(path, window=window), cli_csv(cli, "rates", path, "--window", window))


@pytest.mark.parametrize("path", captures())
def test_rates_per_direction(cli: Path, path: Path) -> None:
    local = ["10.77.0.1", "192.168.0.0/16"]
    assert_same(pcapframe.rates(path, window=0.5, local=local),
                cli_csv(cli, "rates", path, "--window", "500ms", "--local", local[0],
                        "--local", local[1]))


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("bins", ["10", "3", "0,64,128,256,512,1024,1519", "100,200,1000"])
def test_sizes(cli: Path, path: Path, bins: str) -> None:
    ours = pcapframe.sizes(path, bins=int(bins) if "," not in bins else
                           [float(e) for e in bins.split(",")])
    assert_same(ours.histogram, cli_csv(cli, "sizes", path, "--bins", bins))
    stats = cli_csv(cli, "sizes", path, "--bins", bins, "--list", "stats")
    assert_same(ours.stats.reset_index(), stats)


@pytest.mark.parametrize("path", captures())
def test_names(cli: Path, path: Path) -> None:
    assert_same(pcapframe.names(path), cli_csv(cli, "names", path))


def test_filter_is_the_clis(cli: Path) -> None:
    """filter= is the CLI's -f: the same BPF, compiled by libpcap, before the analysis."""
    for expression in ("tcp port 80", "udp", "ip6"):
        assert_same(pcapframe.top(SAMPLE, n=None, filter=expression),
                    cli_csv(cli, "top", SAMPLE, "--all", "-f", expression))
        assert_same(pcapframe.flows(SAMPLE, bidirectional=True, filter=expression),
                    cli_csv(cli, "flows", SAMPLE, "--all", "--bidirectional", "-f", expression))
