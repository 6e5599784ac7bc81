# SPDX-License-Identifier: MIT
"""Fixtures for the hostile-input suite: the CLI under test, as the release build
(PCAPFRAME_CLI, set by ctest) and as the ASan + UBSan build when it is there."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# The `dev` preset's binary; PCAPFRAME_ASAN_CLI names another sanitizer build.
ASAN_CLI = Path(os.environ.get("PCAPFRAME_ASAN_CLI", REPO / "build" / "dev" / "src" / "pcapframe"))


def release_cli() -> str:
    path = os.environ.get("PCAPFRAME_CLI") or shutil.which("pcapframe")
    if not path:
        pytest.skip("PCAPFRAME_CLI is not set (ctest sets it to the built pcapframe binary)")
    return path


@pytest.fixture(params=["release", "asan"])
def cli(request: pytest.FixtureRequest) -> str:
    """Each test runs against both builds; the ASan one is skipped until `make build-dev`."""
    if request.param == "release":
        return release_cli()
    if not ASAN_CLI.exists():
        pytest.skip(f"{ASAN_CLI} is not built (make build-dev)")
    return str(ASAN_CLI)
