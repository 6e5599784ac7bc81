# SPDX-License-Identifier: MIT
"""iter_batches: DataFrames of at most batch_rows rows that add up to read_pcap's, with
time_normed and the index continuing across batches, in bounded memory (a capture of more
than 1 GB streamed through a pipe)."""

from __future__ import annotations

import json
import subprocess
import sys
import warnings

import numpy as np
import pandas as pd
import pytest
from capture_helpers import SAMPLE, write_pcap

import pcapframe


@pytest.mark.parametrize("batch_rows", [1, 999, 2795, 10**6])
def test_concatenated_batches_equal_read_pcap_nullable(sample, sample_records, batch_rows):
    # One row per batch on the first 300 frames only: a DataFrame per row takes a while.
    source = write_pcap(sample_records[:300]) if batch_rows == 1 else sample
    full = pcapframe.read_pcap(source, dtype_backend="numpy_nullable")
    batches = list(pcapframe.iter_batches(source, batch_rows=batch_rows,
                                          dtype_backend="numpy_nullable"))
    assert all(len(b) <= batch_rows for b in batches)
    assert all(len(b) == batch_rows for b in batches[:-1])
    # Stable dtypes: every batch has the dtypes of the whole.
    for batch in batches:
        pd.testing.assert_series_equal(batch.dtypes, full.dtypes)
    pd.testing.assert_frame_equal(pd.concat(batches), full)


def test_concatenated_batches_equal_read_pcap_lab_dtypes(sample):
    """The default dtypes follow read_pcap's rule per batch: a column can be int64 in one
    batch and float64 in another; the values are the same."""
    full = pcapframe.read_pcap(sample)
    batches = list(pcapframe.iter_batches(sample, batch_rows=300))
    dtypes = {name: {str(b[name].dtype) for b in batches} for name in full.columns}
    assert dtypes["port_src"] == {"int64", "float64"}, "the sample's batches differ here"
    joined = pd.concat(batches)
    assert joined.index.equals(full.index)
    pd.testing.assert_frame_equal(joined.astype(full.dtypes.to_dict()), full)


def test_lab_columns_match_pcap_to_pandas(sample):
    full = pcapframe.pcap_to_pandas(sample)
    batches = list(pcapframe.iter_batches(sample, batch_rows=1000, columns="lab"))
    assert [list(b.columns) for b in batches] == [list(full.columns)] * len(batches)
    pd.testing.assert_frame_equal(pd.concat(batches).astype(full.dtypes.to_dict()), full)


def test_time_normed_keeps_the_first_frames_origin(sample):
    full = pcapframe.read_pcap(sample, columns=["time", "time_normed"])
    batches = list(pcapframe.iter_batches(sample, batch_rows=500,
                                          columns=["time", "time_normed"]))
    assert batches[0]["time_normed"].iloc[0] == 0.0
    later = batches[3]
    assert later["time_normed"].iloc[0] > 0
    assert later["time_normed"].iloc[0] == full["time_normed"].iloc[1500]
    np.testing.assert_array_equal(pd.concat(batches)["time_normed"], full["time_normed"])


def test_options_reach_every_batch(sample):
    batches = list(pcapframe.iter_batches(sample, batch_rows=1000, tz="UTC",
                                          strings="category", columns=["datetime", "ip_src"]))
    for batch in batches:
        assert str(batch["datetime"].dtype) == "datetime64[ns, UTC]"
        assert isinstance(batch["ip_src"].dtype, pd.CategoricalDtype)
    arrow = list(pcapframe.iter_batches(sample, batch_rows=1000, dtype_backend="pyarrow",
                                        columns=["length", "ip_dst"]))
    assert all(isinstance(b["length"].dtype, pd.ArrowDtype) for b in arrow)
    full = pcapframe.read_pcap(sample, dtype_backend="pyarrow", columns=["length", "ip_dst"])
    pd.testing.assert_frame_equal(pd.concat(arrow), full)


def test_an_empty_capture_gives_one_empty_batch():
    batches = list(pcapframe.iter_batches(write_pcap([]), columns="lab"))
    assert len(batches) == 1
    assert len(batches[0]) == 0
    assert list(batches[0].columns) == list(pcapframe.LAB_COLUMNS)


def test_the_end_on_a_batch_boundary_gives_no_empty_batch(sample_records):
    data = write_pcap(sample_records[:100])
    assert [len(b) for b in pcapframe.iter_batches(data, batch_rows=50)] == [50, 50]


def test_a_truncation_warning_comes_with_the_last_batch(variants):
    caught_per_batch = []
    batches = pcapframe.iter_batches(variants["truncated"], batch_rows=1000, columns=["length"])
    while True:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            batch = next(batches, None)
        if batch is None:
            break
        caught_per_batch.append([w.category for w in caught])
    assert caught_per_batch[:-1] == [[]] * (len(caught_per_batch) - 1)
    assert caught_per_batch[-1] == [pcapframe.TruncatedCaptureWarning]


def test_strict_raises_when_the_damage_is_reached(variants):
    batches = pcapframe.iter_batches(variants["truncated"], batch_rows=1000, strict=True,
                                     columns=["length"])
    assert len(next(batches)) == 1000
    assert len(next(batches)) == 1000
    with pytest.raises(pcapframe.CorruptCaptureError):
        next(batches)


def test_bad_arguments_raise_at_the_call(sample, tmp_path):
    with pytest.raises(ValueError, match="batch_rows"):
        pcapframe.iter_batches(sample, batch_rows=0)
    with pytest.raises(ValueError, match="unknown column"):
        pcapframe.iter_batches(sample, columns=["nope"])
    with pytest.raises(FileNotFoundError):
        pcapframe.iter_batches(tmp_path / "missing.pcap")
    with pytest.raises(pcapframe.NotACaptureError):
        pcapframe.iter_batches(b"this is not a capture file at all")


# ---- bounded memory: more than 1 GB through a pipe ----

# Writes a pcap of about TARGET bytes to stdout: the sample's records, repeated.
GENERATOR = r"""
import struct, sys
data = open(sys.argv[1], "rb").read()
target = int(sys.argv[2])
header, body = data[:24], data[24:]
reps = -(-target // len(body))
out = sys.stdout.buffer
out.write(header)
block = body * 16
for _ in range(reps // 16):
    out.write(block)
for _ in range(reps % 16):
    out.write(body)
out.flush()
print(reps, file=sys.stderr)
"""

# Reads the capture from stdin in batches; reports rows, bytes on the wire and memory.
CONSUMER = r"""
import json, sys
import pcapframe, pandas, numpy, pyarrow

def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

baseline = status("VmRSS")
rows = total = batches = biggest = 0
last_normed = 0.0
for batch in pcapframe.iter_batches(sys.stdin.buffer, batch_rows=int(sys.argv[1]), columns="lab"):
    rows += len(batch)
    total += int(batch["length"].sum())
    biggest = max(biggest, int(batch.memory_usage(deep=False).sum()))
    last_normed = float(batch["time_normed"].iloc[-1])
    batches += 1
print(json.dumps({"rows": rows, "total": total, "batches": batches, "baseline": baseline,
                  "peak": status("VmHWM"), "biggest_batch": biggest,
                  "last_normed": last_normed}))
"""


def test_memory_stays_bounded_on_a_capture_larger_than_1_gb(sample_records):
    target = 1_100_000_000
    batch_rows = 100_000
    generator = subprocess.Popen([sys.executable, "-c", GENERATOR, str(SAMPLE), str(target)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    consumer = subprocess.run([sys.executable, "-c", CONSUMER, str(batch_rows)],
                              stdin=generator.stdout, capture_output=True, text=True,
                              timeout=180)
    generator.stdout.close()
    reps = int(generator.communicate(timeout=30)[1])
    assert generator.returncode == 0
    assert consumer.returncode == 0, consumer.stderr
    report = json.loads(consumer.stdout)

    data_bytes = 24 + reps * sum(16 + r.caplen for r in sample_records)
    assert data_bytes > 1_000_000_000
    # Every record arrived, in order: rows, their wire bytes.
    assert report["rows"] == reps * len(sample_records)
    assert report["total"] == reps * sum(r.origlen for r in sample_records)
    assert report["batches"] == -(-report["rows"] // batch_rows)
    # Same bytes repeated: the last frame's time_normed is that of the sample's last frame.
    last = (sample_records[-1].ts_ns - sample_records[0].ts_ns) / 1e9
    assert report["last_normed"] == pytest.approx(last, abs=1e-6)
    # The memory: what the interpreter had after its imports, plus a few batches' worth,
    # far below the data that went through.
    grown = report["peak"] - report["baseline"]
    assert grown < 10 * report["biggest_batch"] + 64 * 2**20, report
    assert grown < data_bytes / 10, report
