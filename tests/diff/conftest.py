# SPDX-License-Identifier: MIT
"""Fixtures for the differential suite: the CLI under test, the reference tools, the
captures, their variants, and a per-session cache so that each capture is decoded once by
pcapframe and once by tshark whatever number of tests look at it."""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "support"))

import diffkit  # noqa: E402
import pcap_variants  # noqa: E402
from tool_fixtures import capinfos, cli, need, tshark  # noqa: E402,F401  (fixtures)


@dataclass(frozen=True)
class Variant:
    """A rewritten copy of the sample. `kept[i]` is the sample frame (0-based) that frame i
    came from; `delta` is how much longer its link header is than Ethernet's."""
    name: str
    path: Path
    kept: tuple[int, ...]
    delta: int
    link: str  # "ethernet", "sll" (source MAC only) or "none" (no link addresses)


@pytest.fixture(scope="session")
def variants(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Variant]:
    """Make each variant of the sample on first use, in the session's temporary folder."""
    folder = tmp_path_factory.mktemp("variants")
    made: dict[str, Variant] = {}
    sample_cache: list[pcap_variants.Capture] = []

    def sample() -> pcap_variants.Capture:
        if not sample_cache:
            sample_cache.append(pcap_variants.read_pcap(diffkit.SAMPLE))
        return sample_cache[0]

    def get(name: str) -> Variant:
        if name in made:
            return made[name]
        recipe = diffkit.VARIANT_RECIPES[name]
        path = folder / f"{name}.pcap"
        count = len(sample().records)
        if recipe[0] == "editcap":
            diffkit.run([need("editcap"), *recipe[1], str(diffkit.SAMPLE), str(path)])
            variant = Variant(name, path, tuple(range(count)), 0, "ethernet")
        else:
            _, big_endian, nanosecond, target = recipe
            capture, kept = sample(), list(range(count))
            if target is not None:
                capture, kept = pcap_variants.reframe(capture, target)
            capture = pcap_variants.with_format(capture, big_endian=big_endian,
                                                nanosecond=nanosecond)
            pcap_variants.write_pcap(path, capture)
            link = "ethernet" if target is None else "sll" if target.startswith("sll") else "none"
            delta = 0 if target is None else pcap_variants.header_delta(target)
            variant = Variant(name, path, tuple(kept), delta, link)
        made[name] = variant
        return variant

    return get


@dataclass
class Decoded:
    ours: list[dict[str, Any]]
    theirs: list[dict[str, Any]] | None


@pytest.fixture(scope="session")
def decoded(cli: str) -> Callable[..., Decoded]:
    """pcapframe's rows for a capture, and tshark's normalized rows when asked; cached."""
    cache: dict[Path, Decoded] = {}

    def get(path: Path, with_tshark: bool = True) -> Decoded:
        entry = cache.get(path)
        if entry is None:
            entry = cache[path] = Decoded(diffkit.our_packets(cli, path), None)
        if with_tshark and entry.theirs is None:
            rows = diffkit.tshark_rows(need("tshark"), path)
            entry.theirs = [diffkit.normalize_tshark(r) for r in rows]
        return entry

    return get
