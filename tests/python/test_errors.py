# SPDX-License-Identifier: MIT
"""Errors become Python exceptions carrying the engine's message; lax reading keeps the
rows before a problem and warns; strict=True raises instead."""

from __future__ import annotations

import struct
import warnings

import pytest
from capture_helpers import read_pcap_records, write_pcap

import pcapframe


@pytest.fixture(scope="module")
def corrupt(tmp_path_factory, sample) -> tuple:
    """The sample's first 10 records, then a record header claiming 4 GiB."""
    _, _, records = read_pcap_records(sample)
    good = write_pcap(records[:10])
    path = tmp_path_factory.mktemp("corrupt") / "corrupt.pcap"
    path.write_bytes(good + struct.pack("<IIII", 1, 2, 0xFFFFFFF0, 0xFFFFFFF0) + b"\0" * 64)
    return path, len(good)


def test_missing_file(tmp_path):
    missing = tmp_path / "nope.pcap"
    with pytest.raises(FileNotFoundError) as info:
        pcapframe.pcap_to_pandas(missing)
    assert str(missing) in str(info.value) and "No such file" in str(info.value)


def test_a_directory(tmp_path):
    with pytest.raises(IsADirectoryError, match="is a directory"):
        pcapframe.read_pcap(tmp_path)


def test_not_a_capture(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a capture\n")
    with pytest.raises(pcapframe.NotACaptureError) as info:
        pcapframe.pcap_to_pandas(path)
    assert isinstance(info.value, ValueError) and info.value.code == "not_a_capture"
    assert str(path) in str(info.value) and "not a capture file" in str(info.value)
    with pytest.raises(pcapframe.NotACaptureError):
        pcapframe.read_pcap(b"GIF89a" + b"\0" * 40)  # bytes are a source too


def test_truncated_capture_warns_and_keeps_rows(variants):
    with pytest.warns(pcapframe.TruncatedCaptureWarning) as caught:
        df = pcapframe.pcap_to_pandas(variants["truncated"])
    assert len(df) == 2794
    warning = caught[0].message
    assert warning.code == "truncated" and warning.record == 2794
    assert str(variants["truncated"]) in str(warning)
    with pytest.raises(pcapframe.CorruptCaptureError) as info:
        pcapframe.read_pcap(variants["truncated"], strict=True)
    assert info.value.code == "truncated" and info.value.offset > 0


def test_corrupt_record_reports_its_offset(corrupt):
    path, offset = corrupt
    with pytest.warns(pcapframe.CaptureWarning) as caught:
        df = pcapframe.read_pcap(path, columns=["length"])
    assert len(df) == 10
    assert caught[0].message.offset == offset and f"byte offset {offset}" in str(caught[0].message)
    with pytest.raises(pcapframe.CorruptCaptureError) as info:
        pcapframe.read_pcap(path, strict=True)
    assert info.value.offset == offset and info.value.record == 10
    assert f"record 11 at byte offset {offset}" in str(info.value)
    with pytest.warns(pcapframe.CaptureWarning):
        table = pcapframe.read_table(path, columns=["length"])  # the warnings stay on it too
    assert len(table) == 10 and len(table.warnings) == 1


def test_bad_arguments(sample):
    with pytest.raises(ValueError, match="unknown column"):
        pcapframe.read_pcap(sample, columns=["length", "colour"])
    with pytest.raises(ValueError):
        pcapframe.read_pcap(sample, strings="utf8")
    with pytest.raises(ValueError):
        pcapframe.read_pcap(sample, dtype_backend="arrow")


def test_no_warning_on_a_clean_capture(sample):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pcapframe.pcap_to_pandas(sample)
