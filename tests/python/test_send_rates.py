# SPDX-License-Identifier: MIT
"""send_rates: the lab's contract, its two fixes, and agreement with the lab's loop."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from capture_helpers import have

import pcapframe

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from lab_send_rates import lab_send_rates  # noqa: E402


def frame(times, lengths) -> pd.DataFrame:
    return pd.DataFrame({"time": np.asarray(times, dtype=np.float64),
                         "length": np.asarray(lengths, dtype=np.int64)})


@pytest.mark.parametrize("window", [0.01, 1.0])
def test_sample_matches_the_lab(sample, window):
    df = pcapframe.pcap_to_pandas(sample)
    rates, times = pcapframe.send_rates(df, window)
    lab_rates, lab_times = lab_send_rates(df, window)
    # The sample's last frame is not on a window boundary: the lab counted everything.
    assert rates.sum() * window == pytest.approx(df["length"].sum())
    np.testing.assert_array_equal(times, lab_times)
    np.testing.assert_array_equal(rates, lab_rates)
    assert rates.dtype == np.float64 and times.dtype == np.float64


def test_rates_are_bytes_per_second_with_empty_windows():
    rates, times = pcapframe.send_rates(frame([10.0, 10.2, 12.5, 13.9], [100, 50, 10, 1]), 1.0)
    np.testing.assert_array_equal(times, [10.0, 11.0, 12.0, 13.0])
    np.testing.assert_array_equal(rates, [150.0, 0.0, 10.0, 1.0])
    rates, _ = pcapframe.send_rates(frame([0.0, 0.25, 0.5], [10, 10, 10]), 0.5)
    assert rates.tolist() == [40.0, 20.0]


def test_counts_a_packet_at_the_start_of_the_final_window():
    df = frame([0.0, 0.5, 2.0], [100, 200, 300])
    rates, times = pcapframe.send_rates(df, 1.0)
    assert times.tolist() == [0.0, 1.0, 2.0]
    assert rates.tolist() == [300.0, 0.0, 300.0]
    lab_rates, _ = lab_send_rates(df, 1.0)
    assert lab_rates.sum() == 300.0  # the lab lost the last packet


def test_a_single_timestamp_gives_one_window():
    rates, times = pcapframe.send_rates(frame([5.0, 5.0], [60, 40]), 2.0)
    assert times.tolist() == [5.0] and rates.tolist() == [50.0]
    assert len(lab_send_rates(frame([5.0, 5.0], [60, 40]), 2.0)[0]) == 0  # the lab: nothing


def test_unsorted_input_and_bad_windows():
    rates, times = pcapframe.send_rates(frame([3.0, 1.0, 2.0], [3, 1, 2]), 1.0)
    assert times.tolist() == [1.0, 2.0, 3.0] and rates.tolist() == [1.0, 2.0, 3.0]
    empty = pcapframe.send_rates(frame([], []), 1.0)
    assert empty[0].size == 0 and empty[1].size == 0
    with pytest.raises(ValueError):
        pcapframe.send_rates(frame([1.0], [1]), 0)


def test_many_windows_do_not_drift():
    # 100k windows of 1 ms over a 1.6e9 s clock: the running sum drifts away from
    # first + k*w; we follow the running sum like the lab and still count every byte.
    times = 1.6e9 + np.arange(0, 100.0, 0.00037)
    df = frame(times, np.ones(times.size, dtype=np.int64))
    rates, starts = pcapframe.send_rates(df, 0.001)
    assert rates.sum() * 0.001 == pytest.approx(times.size)
    assert starts[0] == times[0] and np.all(np.diff(starts) > 0)
    assert starts[-1] <= times[-1] < starts[-1] + 0.001 + 1e-6


@pytest.mark.skipif(not have("hypothesis"), reason="needs hypothesis")
def test_agrees_with_the_lab_wherever_the_lab_is_right():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None)
    @given(st.lists(st.tuples(st.integers(0, 4000), st.integers(1, 1500)), min_size=2,
                    max_size=40),
           st.sampled_from([0.1, 0.25, 1.0, 7.0]))
    def check(packets, window):
        times = [1.5e9 + t / 1000 for t, _ in packets]
        df = frame(times, [n for _, n in packets])
        rates, starts = pcapframe.send_rates(df, window)
        assert rates.sum() * window == pytest.approx(df["length"].sum())
        lab_rates, lab_starts = lab_send_rates(df, window)
        last = max(times)
        if len(lab_starts) and last < lab_starts[-1] + window and min(times) < last:
            np.testing.assert_array_equal(starts, lab_starts)
            np.testing.assert_array_equal(rates, lab_rates)

    check()
