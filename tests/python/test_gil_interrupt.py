# SPDX-License-Identifier: MIT
"""Parsing releases the GIL, and Ctrl-C (SIGINT) interrupts a long parse."""

from __future__ import annotations

import os
import signal
import threading
import time

import pytest
from capture_helpers import write_pcap

import pcapframe


@pytest.fixture(scope="module")
def small_frames(sample_records):
    """Many minimum-size frames: a capture that takes a while to parse, made in memory."""
    arp = [r for r in sample_records if r.caplen <= 60][:4]
    return write_pcap(arp * 150_000)  # 600k records, ~45 MB


def test_the_gil_is_released_while_parsing(small_frames):
    done = threading.Event()
    ticks = [0]

    def count():
        while not done.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.05)
    try:
        start_ticks = ticks[0]
        started = time.perf_counter()
        df = pcapframe.read_pcap(small_frames, columns=["length", "ip_src", "time"])
        elapsed = time.perf_counter() - started
        during = ticks[0] - start_ticks
    finally:
        done.set()
        counter.join()
    assert len(df) == 600_000
    # The counting thread kept running while the engine parsed (it would be frozen for
    # the whole call if the GIL were held).
    assert during > 1000, (during, elapsed)


def test_ctrl_c_interrupts_a_long_parse(tmp_path, sample_records):
    fifo = tmp_path / "endless.pcap"
    os.mkfifo(fifo)
    data = write_pcap(sample_records)
    header, records = data[:24], data[24:]
    give_up = threading.Event()

    def feed():  # an endless capture: the same records, over and over, for up to 30 s
        deadline = time.monotonic() + 30
        try:
            with open(fifo, "wb") as pipe:
                pipe.write(header)
                while time.monotonic() < deadline and not give_up.is_set():
                    pipe.write(records)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    timer = threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT))
    started = time.monotonic()
    try:
        timer.start()
        with pytest.raises(KeyboardInterrupt):
            pcapframe.read_pcap(fifo, columns=["length"])
    finally:
        timer.cancel()
        give_up.set()
        signal.signal(signal.SIGINT, previous)
        writer.join(timeout=10)
    assert time.monotonic() - started < 10  # interrupted, not the writer giving up
