# SPDX-License-Identifier: MIT
"""Fixtures for the analysis subcommands' suite: the CLI under test, the captures, and each
capture's packet table (`pcapframe packets --format csv --columns all`) as a pandas
DataFrame, so that this suite checks the CLI without the Python module (tests/python checks
the module's analyses against `pcap_to_pandas`)."""
from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from lab_traces import SAMPLE, captures  # noqa: E402,F401  (captures: for the test files)
from tool_fixtures import cli  # noqa: E402,F401  (fixture)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "memory: streams a multi-GB capture to measure peak RSS")


def run(argv: list[str], **kwargs: Any) -> str:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True,
                          env={**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC"}, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n{proc.stderr}")
    return proc.stdout


def uncell(text: str) -> str:
    """Undo the CSV formula guard: a text cell starting with = + - @ TAB CR got a leading '."""
    if len(text) >= 2 and text[0] == "'" and text[1] in "=+-@\t\r":
        return text[1:]
    return text


def read_csv(text: str) -> list[dict[str, str]]:
    return [{k: uncell(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text, newline=""))]


class Pcapframe:
    """Run one subcommand on one capture, in each output format."""

    def __init__(self, cli: str, path: Path) -> None:
        self.cli = cli
        self.path = path

    def csv(self, command: str, *args: str) -> list[dict[str, str]]:
        return read_csv(run([self.cli, command, self.path, "--csv", "-q", *args]))

    def json(self, command: str, *args: str) -> Any:
        return json.loads(run([self.cli, command, self.path, "--json", "-q", *args]))

    def table(self, command: str, *args: str) -> str:
        return run([self.cli, command, self.path, "-q", *args])


@pytest.fixture(scope="session")
def packets(cli: str) -> Callable[[Path], pd.DataFrame]:
    """The packet table of a capture: every column as text ('' when missing), plus `ns`
    (exact integer nanoseconds) and integer `length`. Cached per capture."""
    cache: dict[Path, pd.DataFrame] = {}

    def get(path: Path) -> pd.DataFrame:
        if path not in cache:
            text = run([cli, "packets", path, "--format", "csv", "--columns", "all", "--utc"])
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
            for column in ("dns_query", "dns_resp"):
                df[column] = df[column].map(uncell)
            df["length"] = df["length"].astype("int64")
            df["ns"] = [int(Decimal(t) * 1_000_000_000) for t in df["time"]]
            cache[path] = df
        return cache[path]

    return get
