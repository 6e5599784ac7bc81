# SPDX-License-Identifier: MIT
"""`pcapframe info --json` totals and times equal capinfos's (table mode, machine-readable
numbers, times as seconds since the epoch), for the captures and every variant."""
from __future__ import annotations

from pathlib import Path

import pytest

import diffkit


def check_info(cli: str, capinfos: str, path: Path, frames) -> dict:
    info, problems = diffkit.info_against_capinfos(cli, capinfos, path, frames)
    assert not problems, f"{path.name}:\n  " + "\n  ".join(problems)
    return info


@pytest.mark.parametrize("path", diffkit.original_captures())
def test_info_matches_capinfos(path: Path, cli, capinfos, decoded) -> None:
    check_info(cli, capinfos, path, decoded(path).theirs)


@pytest.mark.parametrize("name", list(diffkit.VARIANT_RECIPES))
def test_variant_info_matches_capinfos(name: str, cli, capinfos, variants, decoded) -> None:
    variant = variants(name)
    info = check_info(cli, capinfos, variant.path, decoded(variant.path).theirs)
    assert info["nanosecond"] == ("nanosecond" in name)
    assert info["big_endian"] == ("big-endian" in name)
