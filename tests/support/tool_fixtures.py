# SPDX-License-Identifier: MIT
"""Session fixtures of the suites that hold the built CLI against Wireshark's tools
(tests/diff, tests/formats): the CLI under test, and each tool found on PATH or the test
skipped. A suite's conftest.py imports the fixtures it uses."""
from __future__ import annotations

import os
import shutil

import pytest

# The Debian package that brings each tool, for the skip message.
PACKAGES = {"tshark": "tshark", "capinfos": "wireshark-common", "editcap": "wireshark-common",
            "mergecap": "wireshark-common", "randpkt": "wireshark-common"}


def need(name: str) -> str:
    """The path of the tool `name`; skip the test when it is not installed."""
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed (apt-get install {PACKAGES.get(name, name)})")
    return found


@pytest.fixture(scope="session")
def cli() -> str:
    path = os.environ.get("PCAPFRAME_CLI") or shutil.which("pcapframe")
    if not path:
        pytest.skip("PCAPFRAME_CLI is not set (ctest sets it to the built pcapframe binary)")
    if not os.access(path, os.X_OK):
        pytest.fail(f"PCAPFRAME_CLI={path} is not an executable")
    return path


@pytest.fixture(scope="session")
def tshark() -> str:
    return need("tshark")


@pytest.fixture(scope="session")
def capinfos() -> str:
    return need("capinfos")
