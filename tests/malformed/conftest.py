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


def cli_env() -> dict[str, str]:
    """The environment the suite runs the CLI in: fixed locale and zone, and the sanitizer
    builds told to exit with 99 on any report."""
    return {**os.environ, "LC_ALL": "C.UTF-8", "TZ": "UTC",
            "ASAN_OPTIONS": "exitcode=99:detect_leaks=1",
            "UBSAN_OPTIONS": "halt_on_error=1:exitcode=99"}


def assert_no_sanitizer_report(returncode: int, stderr: str) -> None:
    assert "Sanitizer" not in stderr and "runtime error" not in stderr, stderr
    assert returncode != 99, stderr


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
