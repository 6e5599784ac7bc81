# SPDX-License-Identifier: MIT
"""Generate a large classic pcap on the fly, without touching the disk: the sample's records
repeated with their timestamps shifted by the sample's span each time, written to a pipe.
The flows stay the sample's (same addresses and ports), the packets grow: exactly what a
test of "memory depends on the number of flows, not packets" needs.

    python3 capture_stream.py data/sample.pcap 2G | pcapframe top -
"""
from __future__ import annotations

import os
import struct
import sys
from pathlib import Path
from typing import BinaryIO

import numpy as np

PCAP_HEADER = 24
RECORD_HEADER = 16


class RepeatedCapture:
    def __init__(self, sample: Path) -> None:
        data = sample.read_bytes()
        magic = struct.unpack_from("<I", data)[0]
        if magic not in (0xA1B2C3D4, 0xA1B23C4D):
            raise ValueError(f"{sample}: only little-endian classic pcap is supported here")
        self.header = data[:PCAP_HEADER]
        body = np.frombuffer(data, dtype=np.uint8, offset=PCAP_HEADER).copy()
        # Where each record's ts_sec field sits, and its value.
        offsets, seconds = [], []
        pos = 0
        while pos + RECORD_HEADER <= len(body):
            ts_sec, _, caplen, _ = struct.unpack_from("<IIII", body, pos)
            offsets.append(pos)
            seconds.append(ts_sec)
            pos += RECORD_HEADER + caplen
        self.body = body[:pos]
        self.seconds = np.array(seconds, dtype=np.int64)
        self.span = int(self.seconds.max() - self.seconds.min()) + 1  # whole seconds per copy
        self.index = (np.array(offsets)[:, None] + np.arange(4)[None, :])  # the 4 bytes of each ts_sec
        self.records = len(offsets)

    def copy(self, n: int) -> memoryview:
        """The records of copy `n`: timestamps moved n * span seconds later."""
        shifted = (self.seconds + n * self.span).astype("<u4")
        self.body[self.index] = shifted.view(np.uint8).reshape(-1, 4)
        return memoryview(self.body)

    def write(self, out: BinaryIO | int, total_bytes: int) -> tuple[int, int]:
        """Write at least `total_bytes` (whole copies); return (bytes, records) written."""
        fd = out if isinstance(out, int) else out.fileno()
        written = os.write(fd, self.header)
        records = 0
        n = 0
        while written < total_bytes:
            view = self.copy(n)
            while view:
                sent = os.write(fd, view)
                view = view[sent:]
                written += sent
            records += self.records
            n += 1
        return written, records


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    return int(float(text[:-1]) * units[text[-1].upper()]) if text[-1].upper() in units else int(text)


if __name__ == "__main__":
    capture = RepeatedCapture(Path(sys.argv[1]))
    try:
        capture.write(sys.stdout.buffer, parse_size(sys.argv[2]))
    except BrokenPipeError:
        pass
