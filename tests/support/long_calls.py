# SPDX-License-Identifier: MIT
"""What every long call into the engine from Python must do, checked the same way for the
read path and the analyses (tests/python): release the GIL, and give way to Ctrl-C."""
from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Callable, TypeVar

import pytest

T = TypeVar("T")


def ticks_during(call: Callable[[], T]) -> tuple[T, int]:
    """Run call() while another Python thread counts; return its result and how far the
    count went meanwhile. A call that held the GIL would freeze the counter throughout."""
    done = threading.Event()
    ticks = [0]

    def count() -> None:
        while not done.is_set():
            ticks[0] += 1

    counter = threading.Thread(target=count)
    counter.start()
    time.sleep(0.05)
    try:
        before = ticks[0]
        result = call()
        during = ticks[0] - before
    finally:
        done.set()
        counter.join()
    return result, during


def assert_ctrl_c_interrupts(call: Callable[[Path], object], folder: Path, capture: bytes) -> None:
    """call(fifo) on a FIFO in `folder` fed `capture`'s records over and over (for up to 30 s)
    must raise KeyboardInterrupt when SIGINT comes 0.5 s in, and soon after."""
    fifo = folder / "endless.pcap"
    os.mkfifo(fifo)
    header, records = capture[:24], capture[24:]
    give_up = threading.Event()

    def feed() -> None:  # an endless capture: the same records, over and over
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
            call(fifo)
    finally:
        timer.cancel()
        give_up.set()
        signal.signal(signal.SIGINT, previous)
        writer.join(timeout=10)
    assert time.monotonic() - started < 10  # interrupted, not the writer giving up
