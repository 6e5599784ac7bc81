# SPDX-License-Identifier: MIT
"""progress=True: a tqdm bar of the bytes read, out of the input's size when it is known,
updated while the engine reads (every 65,536 records) and closed at the end."""

from __future__ import annotations

import io

import pytest
from capture_helpers import write_pcap

import pcapframe
from pcapframe import _reading

pytest.importorskip("tqdm")


@pytest.fixture
def updates(monkeypatch):
    """The byte counts handed to the progress bar, in order."""
    seen: list[int] = []
    original = _reading.ProgressBar.__call__

    def record(self, consumed):
        seen.append(consumed)
        original(self, consumed)

    monkeypatch.setattr(_reading.ProgressBar, "__call__", record)
    return seen


@pytest.fixture(scope="module")
def many_frames(sample_records) -> bytes:
    small = [r for r in sample_records if r.caplen <= 80][:8]
    return write_pcap(small * 40_000)  # 320,000 records: several progress updates


def test_a_bar_for_a_file(sample, capsys, updates):
    df = pcapframe.read_pcap(sample, progress=True)
    size = sample.stat().st_size
    assert updates[-1] == size
    err = capsys.readouterr().err
    assert "sample.pcap" in err
    assert "100%" in err
    assert len(df) > 0


def test_updates_while_reading(many_frames, capsys, updates):
    df = pcapframe.read_pcap(many_frames, columns=["length"], progress=True)
    assert len(df) == 320_000
    assert len(updates) >= 320_000 // 65_536
    assert updates == sorted(updates)
    assert updates[-1] == len(many_frames)
    assert "100%" in capsys.readouterr().err


def test_no_total_for_a_pipe_like_stream(sample, capsys, updates):
    class Pipe(io.RawIOBase):  # a stream that cannot tell its size
        def __init__(self, data):
            self._inner = io.BytesIO(data)

        def readable(self):
            return True

        def readinto(self, buffer):
            return self._inner.readinto(buffer)

    pcapframe.pcap_to_pandas(Pipe(sample.read_bytes()), progress=True)
    err = capsys.readouterr().err
    assert "%" not in err  # no total: a count and a rate
    assert "<stream>:" in err
    assert f"{sample.stat().st_size / 2**20:.2f}MB" in err  # tqdm's unit_divisor=1024
    assert updates[-1] == sample.stat().st_size


def test_one_bar_across_batches(many_frames, capsys, updates):
    batches = list(pcapframe.iter_batches(many_frames, batch_rows=100_000, columns=["length"],
                                          progress=True))
    assert [len(b) for b in batches] == [100_000, 100_000, 100_000, 20_000]
    assert updates[-1] == len(many_frames)
    err = capsys.readouterr().err
    assert err.count("100%") >= 1
    assert "<memory>" in err


def test_every_front_door_takes_progress(sample, tmp_path, capsys):
    pcapframe.read_table(sample, progress=True)
    pcapframe.read_arrow(sample, progress=True)
    pytest.importorskip("pyarrow.parquet")
    pcapframe.write_parquet(sample, tmp_path / "s.parquet", progress=True)
    assert capsys.readouterr().err.count("100%") >= 3


def test_without_progress_nothing_is_printed(sample, capsys):
    pcapframe.read_pcap(sample)
    assert capsys.readouterr().err == ""
