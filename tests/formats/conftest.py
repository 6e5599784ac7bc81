# SPDX-License-Identifier: MIT
"""Fixtures for the formats suite (issue #4): the CLI under test, Wireshark's tools, the
sample converted by editcap/mergecap and compressed by gzip/zstd/lz4 (made once per
session in a temporary folder, never committed), and cached per-file results."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import pytest

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent
for folder in (HERE, TESTS / "diff", TESTS / "support", TESTS / "analysis_cli"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import diffkit  # noqa: E402  (tests/diff: pcapframe and tshark rows, capinfos)
import formatkit  # noqa: E402
from tool_fixtures import capinfos, cli, need, tshark  # noqa: E402,F401  (fixtures)


@pytest.fixture(scope="session")
def tcpdump() -> str:
    return need("tcpdump")


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, formatkit.VariantFile]:
    """Every variant file of the sample, by name (formatkit.variant_names())."""
    for tool in ("editcap", "mergecap", "gzip", "zstd", "lz4"):
        need(tool)
    return formatkit.make_variants(tmp_path_factory.mktemp("formats"))


@pytest.fixture(scope="session")
def rows(cli: str) -> Callable[[Path], list[dict[str, Any]]]:
    """pcapframe's rows (`packets --format csv --columns all --utc`) for a file; cached."""
    cache: dict[Path, list[dict[str, Any]]] = {}

    def get(path: Path) -> list[dict[str, Any]]:
        if path not in cache:
            cache[path] = diffkit.our_packets(cli, path)
        return cache[path]

    return get


@pytest.fixture(scope="session")
def tshark_rows(tshark: str) -> Callable[[Path], list[dict[str, Any]]]:
    """tshark's normalized per-frame rows for a file (diffkit's preferences); cached.

    Files holding several copies of one TCP conversation (the merged variant carries each
    connection three times, once per link type) are read with TCP sequence analysis off:
    otherwise tshark takes the second and third copies for retransmissions and stops
    dissecting their payload (DNS over TCP), a cross-frame verdict that pcapframe, decoding
    frames one by one like diffkit's other preferences ask, does not make."""
    cache: dict[Path, list[dict[str, Any]]] = {}

    def get(path: Path) -> list[dict[str, Any]]:
        if path not in cache:
            saved = diffkit.TSHARK_PREFS
            if formatkit.repeats_conversations(path):
                diffkit.TSHARK_PREFS = saved + ("-o", "tcp.analyze_sequence_numbers:FALSE")
            try:
                rows = diffkit.tshark_rows(tshark, path)
            finally:
                diffkit.TSHARK_PREFS = saved
            cache[path] = [diffkit.normalize_tshark(r) for r in rows]
        return cache[path]

    return get
