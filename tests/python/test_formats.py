# SPDX-License-Identifier: MIT
"""pcapng and compressed captures, made by the standard tools (editcap, gzip, zstd, lz4),
give the DataFrame of the original, whether read from a path, from bytes or from a file
object. The engine recognises each by its first bytes, never by the file name."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import pcapframe

TOOLS = {
    "gzip": ["gzip", "-c"],
    "zstd": ["zstd", "-q", "-c"],
    "lz4": ["lz4", "-q", "-c"],
}


def compress(tool: str, source: Path, target: Path) -> Path:
    if shutil.which(TOOLS[tool][0]) is None:
        pytest.skip(f"{TOOLS[tool][0]} is not installed")
    with open(target, "wb") as out:
        subprocess.run(TOOLS[tool] + [str(source)], stdout=out, check=True)
    return target


@pytest.fixture(scope="module")
def made(tmp_path_factory, sample) -> dict[str, Path]:
    """The sample as pcapng (editcap) and each of those two compressed three ways. The
    names end in .bin: nothing may depend on the extension."""
    folder = tmp_path_factory.mktemp("formats")
    files = {"pcap": sample}
    if shutil.which("editcap") is not None:
        files["pcapng"] = folder / "pcapng.bin"
        subprocess.run(["editcap", "-F", "pcapng", str(sample), str(files["pcapng"])],
                       check=True, capture_output=True)
    for base in list(files):
        for tool in TOOLS:
            if shutil.which(TOOLS[tool][0]) is not None:
                files[f"{base}+{tool}"] = compress(tool, files[base], folder / f"{base}-{tool}.bin")
    return files


VARIANTS = ["pcapng"] + [f"{base}+{tool}" for base in ("pcap", "pcapng") for tool in TOOLS]


@pytest.fixture(scope="module")
def expected(sample) -> pd.DataFrame:
    return pcapframe.read_pcap(sample)


def read_three_ways(path: Path) -> dict[str, pd.DataFrame]:
    with open(path, "rb") as f:
        from_file = pcapframe.read_pcap(f)
    return {
        "path": pcapframe.read_pcap(path),
        "bytes": pcapframe.read_pcap(path.read_bytes()),
        "file object": from_file,
        "BytesIO": pcapframe.read_pcap(io.BytesIO(path.read_bytes())),
    }


@pytest.mark.parametrize("variant", VARIANTS)
def test_same_dataframe_as_the_pcap(made, expected, variant):
    if variant not in made:
        pytest.skip(f"cannot make {variant} here (editcap, gzip, zstd or lz4 missing)")
    for how, df in read_three_ways(made[variant]).items():
        pd.testing.assert_frame_equal(df, expected, obj=f"{variant} from {how}")


@pytest.mark.parametrize("variant", VARIANTS)
def test_lab_frame_and_info(made, sample, variant):
    if variant not in made:
        pytest.skip(f"cannot make {variant} here")
    path = made[variant]
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(path), pcapframe.pcap_to_pandas(sample))
    info = pcapframe.read_table(path, columns=["length"]).info
    assert info["format"] == ("pcapng" if variant.startswith("pcapng") else "pcap")
    assert info["compression"] == (variant.split("+")[1] if "+" in variant else "")


@pytest.mark.parametrize("variant", ["pcapng+zstd", "pcap+lz4"])
def test_filter_and_batches_on_compressed_input(made, sample, variant):
    if variant not in made:
        pytest.skip(f"cannot make {variant} here")
    path = made[variant]
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(path, filter="udp port 53"),
                                  pcapframe.pcap_to_pandas(sample, filter="udp port 53"))
    with open(path, "rb") as f:
        batches = list(pcapframe.iter_batches(f, batch_rows=700, columns="lab",
                                              dtype_backend="numpy_nullable"))
    rows = len(pcapframe.read_pcap(sample, columns=["length"]))
    assert [len(b) for b in batches] == [700] * (rows // 700) + ([rows % 700] if rows % 700 else [])
    pd.testing.assert_frame_equal(
        pd.concat(batches), pcapframe.read_pcap(sample, columns="lab",
                                                dtype_backend="numpy_nullable"))
