# SPDX-License-Identifier: MIT
"""Parsing releases the GIL, and Ctrl-C (SIGINT) interrupts a long parse."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from capture_helpers import write_pcap

import pcapframe

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from long_calls import assert_ctrl_c_interrupts, ticks_during  # noqa: E402


def test_the_gil_is_released_while_parsing(small_frames):
    started = time.perf_counter()
    df, during = ticks_during(
        lambda: pcapframe.read_pcap(small_frames, columns=["length", "ip_src", "time"]))
    elapsed = time.perf_counter() - started
    assert len(df) == 600_000
    # The counting thread kept running while the engine parsed (it would be frozen for
    # the whole call if the GIL were held).
    assert during > 1000, (during, elapsed)


def test_ctrl_c_interrupts_a_long_parse(tmp_path, sample_records):
    assert_ctrl_c_interrupts(lambda fifo: pcapframe.read_pcap(fifo, columns=["length"]),
                             tmp_path, write_pcap(sample_records))
