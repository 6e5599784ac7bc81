# SPDX-License-Identifier: MIT
"""Captures bigger than RAM (issue #4): a capture of 3 GiB, generated on the fly and streamed
through a pipe (the sample's records repeated with shifted times,
tests/analysis_cli/capture_stream.py; nothing touches the disk), is read

- by `pcapframe info -` under `prlimit --as=128MiB`, plain and through `zstd -c` in the pipe;
- by Python's `pcapframe.iter_batches` on standard input, with RLIMIT_AS set to what the
  interpreter had after its imports plus 512 MiB,

and the counts, bytes and first/last times must be exactly those of what was written. An
address-space limit (not RSS) is the strict form: every mapping counts, touched or not, so a
reader that buffered the capture, or a buffer that grew with it, would fail at once. The
binary needs about 32 MiB at rest (measured; the read-ahead thread's stack and malloc arena
are most of it); 128 MiB is a margin, and 1/24 of the data.

Skipped for sanitizer builds: ASan reserves terabytes of shadow address space.
`tests/analysis_cli/test_memory.py` compares peak RSS at two sizes for top/flows and
`tests/python/test_iter_batches.py` for batches over 1.1 GB; these tests add the hard limit
and a capture of several GiB.
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from capture_stream import RepeatedCapture

import formatkit

TARGET = 3 << 30
LIMIT = 128 << 20
PYTHON_HEADROOM = 512 << 20
NS = 1_000_000_000


@pytest.fixture(scope="module")
def limited_cli(cli: str) -> str:
    if b"__asan_init" in Path(cli).read_bytes():
        pytest.skip("sanitizer build: ASan maps terabytes of shadow memory")
    if shutil.which("prlimit") is None:
        pytest.skip("prlimit is not installed (util-linux)")
    return cli


@pytest.fixture(scope="module")
def capture() -> RepeatedCapture:
    return RepeatedCapture(formatkit.SAMPLE)


def expected_totals(capture: RepeatedCapture, records: int) -> dict:
    sample = formatkit.pcap_variants.read_pcap(formatkit.SAMPLE).records
    copies = records // capture.records
    assert copies * capture.records == records
    first = min(r.ts_ns for r in sample)
    last = max(r.ts_ns for r in sample) + (copies - 1) * capture.span * NS
    return {"packets": records, "bytes": copies * sum(r.origlen for r in sample),
            "captured_bytes": copies * sum(len(r.data) for r in sample),
            "first_time_ns": first, "last_time_ns": last}


def stream_into(argv: list[str], capture: RepeatedCapture, compress: list[str] | None = None
                ) -> tuple[subprocess.CompletedProcess, int, int]:
    """Write TARGET bytes of capture into `argv`'s stdin (through `compress` if given);
    return the finished process, the bytes and the records written."""
    consumer_stdin = subprocess.PIPE
    compressor = None
    if compress is not None:
        compressor = subprocess.Popen(compress, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        consumer_stdin = compressor.stdout
    proc = subprocess.Popen(argv, stdin=consumer_stdin, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    if compressor is not None:
        compressor.stdout.close()  # the consumer holds the read end now
    sink = compressor.stdin if compressor is not None else proc.stdin
    written: dict[str, tuple[int, int]] = {}

    def produce() -> None:
        try:
            written["result"] = capture.write(sink, TARGET)
        except BrokenPipeError:
            written["result"] = (-1, -1)
        finally:
            sink.close()

    outputs: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:
        outputs[name] = stream.read()

    threads = [threading.Thread(target=produce),
               threading.Thread(target=drain, args=("stdout", proc.stdout)),
               threading.Thread(target=drain, args=("stderr", proc.stderr))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    proc.wait(timeout=60)
    stdout, stderr = outputs["stdout"], outputs["stderr"]
    if compressor is not None:
        assert compressor.wait(timeout=60) == 0
    data_bytes, records = written["result"]
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr), data_bytes, records


def test_the_limit_is_applied(limited_cli) -> None:
    limits = subprocess.run(["prlimit", f"--as={LIMIT}", "cat", "/proc/self/limits"],
                            capture_output=True, text=True, check=True).stdout
    line = next(l for l in limits.splitlines() if l.startswith("Max address space"))
    assert line.split()[3:5] == [str(LIMIT), str(LIMIT)], line


@pytest.mark.parametrize("codec", [None, "zstd"])
def test_info_reads_3_gib_through_a_pipe_in_128_mib_of_address_space(codec, limited_cli,
                                                                    capture) -> None:
    compress = None if codec is None else ["zstd", "-1", "-q", "-c"]
    if compress is not None and shutil.which("zstd") is None:
        pytest.skip("zstd is not installed")
    argv = ["prlimit", f"--as={LIMIT}", limited_cli, "info", "--json", "-q", "-"]
    proc, data_bytes, records = stream_into(argv, capture, compress)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    assert data_bytes >= TARGET > 20 * LIMIT
    report = json.loads(proc.stdout)
    expected = expected_totals(capture, records)
    assert {k: report[k] for k in expected} == expected
    assert report["compression"] == ("zstd" if codec else None)
    assert report["warnings"] == []


# Reads a capture from stdin with iter_batches after capping its own address space.
CONSUMER = r"""
import json, resource, sys
import pcapframe, pandas, numpy, pyarrow

def vm(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024

at_rest = vm("VmSize")
limit = at_rest + int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
rows = wire = batches = 0
first = last = None
for batch in pcapframe.iter_batches(sys.stdin.buffer, batch_rows=200_000,
                                    columns=["time", "length", "ip_src", "protocol"]):
    rows += len(batch)
    wire += int(batch["length"].sum())
    first = batch["time"].iloc[0] if first is None else first
    last = batch["time"].iloc[-1]
    batches += 1
print(json.dumps({"rows": rows, "bytes": wire, "batches": batches, "first": first,
                  "last": last, "at_rest": at_rest, "limit": limit, "peak": vm("VmPeak")}))
"""


def test_iter_batches_reads_3_gib_from_a_pipe_under_rlimit_as(limited_cli, capture) -> None:
    pytest.importorskip("pcapframe")
    proc, data_bytes, records = stream_into(
        [sys.executable, "-c", CONSUMER, str(PYTHON_HEADROOM)], capture)
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    report = json.loads(proc.stdout)
    print(f"\niter_batches: {records:,} rows, {data_bytes / 2**30:.2f} GiB; address space "
          f"{report['at_rest'] / 2**20:.0f} MiB after imports, peak {report['peak'] / 2**20:.0f} "
          f"MiB, limit {report['limit'] / 2**20:.0f} MiB")
    assert data_bytes > 5 * PYTHON_HEADROOM
    expected = expected_totals(capture, records)
    assert report["rows"] == expected["packets"]
    assert report["bytes"] == expected["bytes"]
    assert report["first"] == pytest.approx(expected["first_time_ns"] / NS, abs=1e-6)
    assert report["last"] == pytest.approx(expected["last_time_ns"] / NS, abs=1e-6)
    assert report["batches"] == -(-records // 200_000)
    assert report["peak"] <= report["limit"]
