# SPDX-License-Identifier: MIT
"""Memory: `top` and `flows` over a capture streamed through stdin (generated on the fly, no
disk), at 256 MiB and at 2 GiB. The flows are the sample's whatever the size, so peak RSS
must not grow with the packets. Peak RSS is measured by GNU time (`/usr/bin/time -f %M`):
the child's own ru_maxrss would include the Python interpreter it was forked from, which
Linux carries across exec()."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
import time

import pytest

TIME = shutil.which("time", path="/usr/bin:/bin")

from capture_stream import RepeatedCapture
from conftest import SAMPLE

SMALL = 256 << 20
LARGE = 2 << 30
# Growth allowed between the two sizes: allocator noise, not a per-packet cost (a per-packet
# cost of even one byte would add ~2.5 MB at 2 GiB of the sample's ~750-byte frames).
SLACK_KB = 2048


def peak_rss_kb(cli: str, args: list[str], size: int, tmp_path) -> tuple[int, int, float, str]:
    """Stream `size` bytes into `pcapframe <args> -`; return (peak RSS in KiB, records,
    seconds, stdout)."""
    capture = RepeatedCapture(SAMPLE)
    rss_file = tmp_path / "rss"
    proc = subprocess.Popen([TIME, "-f", "%M", "-o", str(rss_file), cli, *args, "-", "-q"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    result: dict[str, object] = {}

    def produce() -> None:
        try:
            result["written"] = capture.write(proc.stdin, size)
        finally:
            proc.stdin.close()

    def drain() -> None:
        result["stdout"] = proc.stdout.read()
        result["stderr"] = proc.stderr.read()

    start = time.monotonic()
    writer, reader = threading.Thread(target=produce), threading.Thread(target=drain)
    writer.start()
    reader.start()
    writer.join()
    reader.join()
    assert proc.wait() == 0, result.get("stderr")
    seconds = time.monotonic() - start
    _, records = result["written"]
    return int(rss_file.read_text().split()[-1]), records, seconds, result["stdout"].decode()


@pytest.mark.memory
@pytest.mark.parametrize("args", [["top"], ["top", "--by", "ip_pair", "--all"], ["flows", "--all"],
                                  ["flows", "--bidirectional", "--all", "--csv"]],
                         ids=["top", "top-ip_pair", "flows", "flows-bidirectional"])
def test_peak_rss_does_not_grow_with_packets(cli: str, args: list[str], tmp_path) -> None:
    if TIME is None:
        pytest.skip("GNU time is not installed (apt-get install time)")
    small_kb, small_records, small_s, small_out = peak_rss_kb(cli, args, SMALL, tmp_path)
    large_kb, large_records, large_s, large_out = peak_rss_kb(cli, args, LARGE, tmp_path)
    print(f"\n{' '.join(args)}: {small_records:,} frames ({SMALL >> 20} MiB) peak {small_kb:,} KiB in "
          f"{small_s:.1f} s; {large_records:,} frames ({LARGE >> 20} MiB) peak {large_kb:,} KiB in {large_s:.1f} s")
    assert large_records > 7 * small_records
    assert large_kb <= small_kb + SLACK_KB, (small_kb, large_kb)
    assert large_kb < 64 * 1024  # tens of MB, not a copy of the capture
    # Same flows in both: the row count of the answer is the same.
    assert small_out.count("\n") == large_out.count("\n")
