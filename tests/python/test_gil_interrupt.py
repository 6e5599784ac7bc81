# SPDX-License-Identifier: MIT
"""Parsing releases the GIL, Ctrl-C (SIGINT) interrupts a long parse, and closing a reader
never waits on its input."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
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


# A producer in this very process that sent some packets and went quiet, its end of the FIFO
# still open. Leaving iter_batches early must not wait for its next packet: closing the reader
# used to join a read-ahead thread blocked in read(2), with the GIL held, so a producer that
# needed the GIL to write again could never do so (a deadlock that hung CI once). Run in a
# child process, so that a regression fails this test instead of hanging the suite.
QUIET_PRODUCER = """
import sys, threading, pcapframe
fifo, capture = sys.argv[1], open(sys.argv[2], "rb").read()
go_on = threading.Event()
def produce():
    with open(fifo, "wb") as pipe:
        pipe.write(capture)
        pipe.flush()
        go_on.wait()  # quiet, with the pipe open
writer = threading.Thread(target=produce)
writer.start()
batches = pcapframe.iter_batches(fifo, batch_rows=10)
print(len(next(batches)))
batches.close()
go_on.set()
writer.join()
print("closed")
"""


def test_closing_does_not_wait_for_a_quiet_producer(tmp_path, sample_records):
    capture = tmp_path / "few.pcap"
    capture.write_bytes(write_pcap(sample_records[:30]))  # all of it fits in the pipe
    fifo = tmp_path / "quiet.pcap"
    os.mkfifo(fifo)
    try:
        done = subprocess.run([sys.executable, "-c", QUIET_PRODUCER, str(fifo), str(capture)],
                              capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("closing the reader waited for the quiet producer")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["10", "closed"]
