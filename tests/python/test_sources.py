# SPDX-License-Identifier: MIT
"""Every way a capture comes in: a path, '-' (standard input), a bytes-like object read in
place, and binary file objects (files, BytesIO, pipes, sys.stdin.buffer, objects with only
read()) read chunk by chunk. Each must give the DataFrame the path gives."""

from __future__ import annotations

import io
import json
import mmap
import os
import subprocess
import sys
import threading

import numpy as np
import pandas as pd
import pytest
from capture_helpers import ROOT, write_pcap

import pcapframe

CHUNK = 1 << 20  # the engine's read size (src/io/capture_reader.cpp kReadChunk)


@pytest.fixture(scope="module")
def expected(sample) -> pd.DataFrame:
    return pcapframe.pcap_to_pandas(sample)


def feed_pipe(data: bytes, piece: int = 1000) -> io.BufferedReader:
    """The read end of a pipe that a thread fills with `data`, `piece` bytes at a time (so
    records arrive cut at arbitrary places)."""
    read_fd, write_fd = os.pipe()

    def write() -> None:
        with open(write_fd, "wb", buffering=0) as out:
            for start in range(0, len(data), piece):
                try:
                    out.write(data[start:start + piece])
                except BrokenPipeError:
                    return

    threading.Thread(target=write, daemon=True).start()
    return open(read_fd, "rb")


class RecordingRaw(io.RawIOBase):
    """A raw binary stream over bytes that records the size of every readinto request."""

    def __init__(self, data: bytes) -> None:
        self._data = memoryview(data)
        self._pos = 0
        self.requests: list[int] = []

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        self.requests.append(len(buffer))
        n = min(len(buffer), len(self._data) - self._pos)
        buffer[:n] = self._data[self._pos:self._pos + n]
        self._pos += n
        return n


class ReadOnly:
    """An object with nothing but read(n), like some wrappers."""

    def __init__(self, data: bytes) -> None:
        self._stream = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._stream.read(n)


def test_bytes_like_sources_are_read_in_place(sample, expected):
    data = sample.read_bytes()
    padded = b"xxxx" + data
    with open(sample, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
        sources = {
            "bytes": data,
            "bytearray": bytearray(data),
            "memoryview slice": memoryview(padded)[4:],
            "mmap": mapped,
            "numpy uint8": np.frombuffer(data, dtype=np.uint8),
        }
        for name, source in sources.items():
            pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(source), expected, obj=name)


def test_a_bytearray_is_released_after_reading(sample, expected):
    data = bytearray(sample.read_bytes())
    pcapframe.read_pcap(data, columns=["length"])
    data.extend(b"\0" * 16)  # BufferError if the engine still held its buffer
    assert len(data) == sample.stat().st_size + 16


def test_file_objects(sample, expected):
    data = sample.read_bytes()
    with open(sample, "rb") as f:
        pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(f), expected, obj="open(rb)")
    with open(sample, "rb", buffering=0) as f:
        pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(f), expected, obj="FileIO")
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(io.BytesIO(data)), expected,
                                  obj="BytesIO")
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(ReadOnly(data)), expected,
                                  obj="read() only")
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(io.BufferedReader(RecordingRaw(data))),
                                  expected, obj="BufferedReader over a raw stream")


def test_a_file_object_is_read_from_its_position(sample, expected):
    data = sample.read_bytes()
    stream = io.BytesIO(b"junk" + data)
    stream.seek(4)
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(stream), expected)


def test_a_pipe_is_read_as_it_comes(sample, expected):
    pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(feed_pipe(sample.read_bytes())),
                                  expected, obj="os.pipe, 1000-byte writes")
    with subprocess.Popen(["cat", str(sample)], stdout=subprocess.PIPE) as cat:
        df = pcapframe.pcap_to_pandas(cat.stdout)
    pd.testing.assert_frame_equal(df, expected, obj="subprocess stdout")


def test_a_file_object_is_read_in_chunks_never_whole(sample_records):
    data = write_pcap(sample_records * 8)  # ~16 MB
    raw = RecordingRaw(data)
    df = pcapframe.read_pcap(raw, columns=["length"])
    assert len(df) == len(sample_records) * 8
    assert max(raw.requests) <= CHUNK
    assert len(raw.requests) >= len(data) // CHUNK
    # The size of a raw stream is unknown to the reader: it reports None.
    assert pcapframe.read_table(RecordingRaw(data), columns=["length"]).info["size"] is None


def test_size_is_known_for_files_and_bytesio(sample):
    size = sample.stat().st_size
    with open(sample, "rb") as f:
        assert pcapframe.read_table(f, columns=["length"]).info["size"] == size
    assert pcapframe.read_table(io.BytesIO(sample.read_bytes()),
                                columns=["length"]).info["size"] == size


STDIN_SCRIPT = """
import json, sys, pcapframe
source = sys.argv[1] if len(sys.argv) > 1 else sys.stdin.buffer
df = pcapframe.pcap_to_pandas(source)
print(json.dumps([len(df), int(df["length"].sum()), float(df["time_normed"].iloc[-1])]))
"""


@pytest.mark.parametrize("how", ["sys.stdin.buffer", "'-'"])
def test_standard_input(sample, expected, how):
    args = [sys.executable, "-c", STDIN_SCRIPT] + (["-"] if how == "'-'" else [])
    with open(sample, "rb") as stdin:
        result = subprocess.run(args, stdin=stdin, capture_output=True, text=True, check=True)
    rows, total, last = json.loads(result.stdout)
    assert rows == len(expected)
    assert total == int(expected["length"].sum())
    assert last == expected["time_normed"].iloc[-1]


def test_standard_input_through_a_shell_pipe(sample, expected):
    command = f"cat {sample} | {sys.executable} -c '{STDIN_SCRIPT}'"
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=True,
                            cwd=ROOT)
    assert json.loads(result.stdout)[:2] == [len(expected), int(expected["length"].sum())]


def test_compressed_file_objects(variants, expected):
    with open(variants["gzip"], "rb") as f:
        pd.testing.assert_frame_equal(pcapframe.pcap_to_pandas(f), expected)
    pd.testing.assert_frame_equal(
        pcapframe.pcap_to_pandas(feed_pipe(variants["gzip"].read_bytes(), piece=777)), expected)


def test_a_text_mode_file_is_refused(sample):
    with open(sample, encoding="latin-1") as f, pytest.raises(TypeError, match="binary mode"):
        pcapframe.read_pcap(f)


def test_an_unknown_source_is_refused():
    with pytest.raises(TypeError, match="path, bytes-like object or binary file object"):
        pcapframe.read_pcap(12345)


def test_read_returning_text_is_an_error():
    class Text:
        def read(self, n):
            return "not bytes"

    with pytest.raises(OSError, match="binary mode"):
        pcapframe.read_pcap(Text())


class Failing(io.RawIOBase):
    """Serves `data`, then raises `error` once `limit` bytes have gone out."""

    def __init__(self, data: bytes, limit: int, error: BaseException) -> None:
        self._inner = RecordingRaw(data)
        self._limit = limit
        self._error = error
        self._served = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._served >= self._limit:
            raise self._error
        n = self._inner.readinto(memoryview(buffer)[:max(1, self._limit - self._served)])
        self._served += n
        return n


@pytest.mark.parametrize("limit", [0, 100, 3 * CHUNK])
def test_an_exception_of_the_file_object_comes_through_unchanged(sample_records, limit):
    data = write_pcap(sample_records * 3)
    error = ConnectionResetError(104, "the peer went away")
    with pytest.raises(ConnectionResetError) as caught:
        pcapframe.read_pcap(Failing(data, limit, error))
    assert caught.value is error


def test_a_keyboard_interrupt_raised_while_reading_comes_through(sample_records):
    # What Ctrl-C does to a Python read blocked on a pipe: readinto raises KeyboardInterrupt.
    data = write_pcap(sample_records * 3)
    with pytest.raises(KeyboardInterrupt):
        pcapframe.read_pcap(Failing(data, CHUNK, KeyboardInterrupt()))


def test_iter_batches_from_a_file_object_stops_cleanly_when_dropped(sample_records):
    data = write_pcap(sample_records * 4)
    pipe = feed_pipe(data, piece=65536)
    batches = pcapframe.iter_batches(pipe, batch_rows=1000, columns=["length"])
    first = next(batches)
    assert len(first) == 1000
    batches.close()  # the generator lets go of the reader (and the file object)
    pipe.close()


def test_an_exception_under_a_decompressor_comes_through(variants):
    data = variants["gzip"].read_bytes()
    error = ConnectionResetError(104, "the peer went away")
    with pytest.raises(ConnectionResetError) as caught:
        pcapframe.read_pcap(Failing(data, len(data) // 2, error))
    assert caught.value is error
