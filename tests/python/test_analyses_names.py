# SPDX-License-Identifier: MIT
"""Names for addresses from Python: ``read_pcap(..., names=True)`` on the sample (the CNAME
chain www -> web -> cdn names 10.77.0.2 and fd77::2 www.pcapframe.test.), ``resolve=True``
against a real dnsmasq started here on a loopback port and against a server that never
answers (timeouts, quickly); and what every analysis shares with the read path: the
sources it takes, filter/strict, the GIL released, Ctrl-C, bounded memory, argument checks."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from capture_helpers import SAMPLE, have, write_pcap
from test_analyses_cli import assert_same, cli_csv

import pcapframe

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from dns_servers import dnsmasq, silent_server  # noqa: E402,F401  (fixtures)
from long_calls import assert_ctrl_c_interrupts, ticks_during  # noqa: E402

SERVER_ADDRESSES = ("10.77.0.2", "fd77::2")


# ---- read_pcap(names=True) --------------------------------------------------------------------


def test_read_pcap_names_on_the_sample() -> None:
    df = pcapframe.read_pcap(SAMPLE, names=True)
    assert list(df.columns) == [*pcapframe.COLUMNS, "name_src", "name_dst"]
    for side in ("src", "dst"):
        server = df[f"ip_{side}"].isin(SERVER_ADDRESSES)
        assert server.sum() > 100
        assert (df.loc[server, f"name_{side}"] == "www.pcapframe.test.").all()
        assert df.loc[~server, f"name_{side}"].isna().all()  # nobody else is named
    plain = pcapframe.read_pcap(SAMPLE)
    pd.testing.assert_frame_equal(df[list(plain.columns)], plain)  # nothing else changes
    assert "name_dst" not in plain.columns  # never on by default


def test_read_pcap_names_keeps_the_columns_asked_for() -> None:
    df = pcapframe.read_pcap(SAMPLE, columns=["length"], names=True)
    assert list(df.columns) == ["length", "name_src", "name_dst"]
    lab = pcapframe.read_pcap(SAMPLE, columns="lab", names=True)
    assert list(lab.columns) == [*pcapframe.LAB_COLUMNS, "name_src", "name_dst"]
    assert (lab["name_dst"] == "www.pcapframe.test.").sum() == lab["ip_dst"].isin(
        SERVER_ADDRESSES).sum()


@pytest.mark.parametrize("options", [
    {"strings": "category"}, {"dtype_backend": "numpy_nullable"},
    pytest.param({"strings": "arrow"}, marks=pytest.mark.skipif(not have("pyarrow"), reason="pyarrow")),
    pytest.param({"dtype_backend": "pyarrow"},
                 marks=pytest.mark.skipif(not have("pyarrow"), reason="pyarrow")),
])
def test_read_pcap_names_with_other_string_types(options: dict) -> None:
    df = pcapframe.read_pcap(SAMPLE, columns=["ip_dst"], names=True, **options)
    want = pcapframe.read_pcap(SAMPLE, columns=["ip_dst"], names=True)["name_dst"]
    got = df["name_dst"].astype(object).where(df["name_dst"].notna(), None)
    assert got.tolist() == want.astype(object).where(want.notna(), None).tolist()
    if options.get("strings") == "category":
        assert isinstance(df["name_dst"].dtype, pd.CategoricalDtype)
        assert list(df["name_dst"].cat.categories) == ["www.pcapframe.test."]
    elif options.get("dtype_backend") == "numpy_nullable":
        assert isinstance(df["name_dst"].dtype, pd.StringDtype)
    else:
        assert isinstance(df["name_dst"].dtype, pd.ArrowDtype)


def test_read_pcap_names_from_a_file_object_and_a_filter() -> None:
    """The filter comes first, as for the CLI's -f: names come from the DNS frames it keeps."""
    with open(SAMPLE, "rb") as f:
        df = pcapframe.read_pcap(f, columns=["ip_dst"], names=True, filter="tcp port 80 or port 53")
    assert len(df) and (df["name_dst"].notna() == df["ip_dst"].isin(SERVER_ADDRESSES)).all()
    web_only = pcapframe.read_pcap(SAMPLE, columns=["ip_dst"], names=True, filter="tcp port 80")
    assert len(web_only) and web_only["name_dst"].isna().all()


def test_resolve_needs_names() -> None:
    with pytest.raises(ValueError, match="names=True"):
        pcapframe.read_pcap(SAMPLE, resolve=True)


# ---- resolve=True against dnsmasq -------------------------------------------------------------


def test_names_resolve_names_the_unnamed_and_keeps_no_answer_apart(dnsmasq: str) -> None:
    ours = pcapframe.names(SAMPLE, resolve=True, dns_server=dnsmasq)
    rows = ours.set_index("address")
    assert rows.loc["10.77.0.1", "name"] == "client.pcapframe.test."
    assert rows.loc["10.77.0.1", "source"] == "ptr" and rows.loc["10.77.0.1", "lookup"] == "name"
    assert rows.loc["fd77::1", "name"] == "client6.pcapframe.test."
    # The trace's own answer wins: 10.77.0.2 is never looked up.
    assert rows.loc["10.77.0.2", "name"] == "www.pcapframe.test."
    assert rows.loc["10.77.0.2", "source"] == "dns" and pd.isna(rows.loc["10.77.0.2", "lookup"])
    # No PTR record: "no answer", not a name, not a timeout.
    for address in ("10.77.100.1", "10.77.100.2", "ff02::2"):
        assert rows.loc[address, "lookup"] == "no_answer"
        assert pd.isna(rows.loc[address, "name"])
    assert ours.attrs["lookups"] == {"name": 2, "no_answer": 8 - 2, "timeout": 0, "error": 0}
    assert list(ours.columns)[-2:] == ["lookup", "detail"]


def test_names_resolve_equals_the_cli(cli: Path, dnsmasq: str) -> None:
    assert_same(pcapframe.names(SAMPLE, resolve=True, dns_server=dnsmasq),
                cli_csv(cli, "names", SAMPLE, "--resolve", "--dns-server", dnsmasq))


def test_top_flows_and_read_pcap_with_resolve(cli: Path, dnsmasq: str) -> None:
    top = pcapframe.top(SAMPLE, by="name_src", n=None, resolve=True, dns_server=dnsmasq)
    keys = set(top["name_src"])
    assert {"client.pcapframe.test.", "client6.pcapframe.test.", "www.pcapframe.test."} <= keys
    assert "10.77.100.1" in keys and "ptr-must-not-win.pcapframe.test." not in keys
    assert top.attrs["lookups"]["name"] == 2
    assert_same(top, cli_csv(cli, "top", SAMPLE, "--by", "name_src", "--all", "--resolve",
                             "--dns-server", dnsmasq))
    flows = pcapframe.flows(SAMPLE, bidirectional=True, resolve=True, dns_server=dnsmasq, n=4)
    assert set(flows["name_a"]) <= {"client.pcapframe.test.", "client6.pcapframe.test."}
    assert_same(flows, cli_csv(cli, "flows", SAMPLE, "--bidirectional", "-n", "4", "--resolve",
                               "--dns-server", dnsmasq))
    df = pcapframe.read_pcap(SAMPLE, columns=["ip_src"], names=True, resolve=True,
                             dns_server=dnsmasq)
    assert (df.loc[df["ip_src"] == "10.77.0.1", "name_src"] == "client.pcapframe.test.").all()
    assert (df.loc[df["ip_src"] == "10.77.0.2", "name_src"] == "www.pcapframe.test.").all()
    assert df.loc[df["ip_src"] == "10.77.100.1", "name_src"].isna().all()


def test_resolve_timeout_is_kept_apart_and_quick(silent_server: str) -> None:
    started = time.monotonic()
    ours = pcapframe.names(SAMPLE, resolve=True, dns_server=silent_server, resolve_timeout=1)
    elapsed = time.monotonic() - started
    looked_up = ours[ours["lookup"].notna()]
    assert len(looked_up) == 8
    assert (looked_up["lookup"] == "timeout").all() and looked_up["name"].isna().all()
    assert ours.attrs["lookups"]["timeout"] == 8
    assert elapsed < 5, elapsed  # concurrent: about one timeout, not eight
    started = time.monotonic()
    ours = pcapframe.names(SAMPLE, resolve=True, dns_server=silent_server, resolve_timeout="300ms",
                           resolve_concurrency=2)
    assert (ours["lookup"].dropna() == "timeout").sum() == 8
    assert time.monotonic() - started < 4  # 4 rounds of 2 lookups, 0.3 s each


def test_resolve_is_never_on_by_default(silent_server: str) -> None:
    started = time.monotonic()
    for frame in (pcapframe.names(SAMPLE, dns_server=silent_server),
                  pcapframe.top(SAMPLE, by="name_dst", dns_server=silent_server),
                  pcapframe.flows(SAMPLE, names=True, dns_server=silent_server),
                  pcapframe.read_pcap(SAMPLE, names=True, dns_server=silent_server)):
        assert "lookup" not in frame.columns and "lookups" not in frame.attrs
    assert time.monotonic() - started < 2  # nothing waited for the silent server


def test_resolve_argument_errors() -> None:
    with pytest.raises(ValueError, match="not an IP address"):
        pcapframe.names(SAMPLE, resolve=True, dns_server="dns.example.com")
    with pytest.raises(ValueError, match="name_dst"):
        pcapframe.top(SAMPLE, by="ip_dst", resolve=True)
    with pytest.raises(ValueError, match="resolve_timeout"):
        pcapframe.names(SAMPLE, resolve=True, resolve_timeout=0)
    with pytest.raises(ValueError, match="resolve_concurrency"):
        pcapframe.names(SAMPLE, resolve=True, resolve_concurrency=0)


# ---- what the analyses share with the read path -----------------------------------------------


def test_every_source_gives_the_same_answer(tmp_path: Path) -> None:
    want = pcapframe.flows(SAMPLE, bidirectional=True)
    data = SAMPLE.read_bytes()
    packed = tmp_path / "sample.pcap.gz"
    packed.write_bytes(gzip.compress(data, compresslevel=1))
    with open(SAMPLE, "rb") as f:
        from_file = pcapframe.flows(f, bidirectional=True)
    for got in (pcapframe.flows(str(SAMPLE), bidirectional=True),
                pcapframe.flows(data, bidirectional=True),
                pcapframe.flows(memoryview(data), bidirectional=True),
                pcapframe.flows(io.BytesIO(data), bidirectional=True),
                pcapframe.flows(packed, bidirectional=True), from_file):
        pd.testing.assert_frame_equal(got, want)
    pd.testing.assert_series_equal(pcapframe.sizes(data).stats, pcapframe.sizes(SAMPLE).stats)


def test_a_truncated_capture_warns_or_raises(sample_records) -> None:
    whole = SAMPLE.read_bytes()
    data = whole[: len(whole) - sample_records[-1].caplen // 2]  # the last record cut short
    with pytest.warns(pcapframe.CaptureWarning):
        ours = pcapframe.top(data, n=None)
    assert ours.attrs["total_packets"] == len(sample_records) - 1
    with pytest.raises(pcapframe.CorruptCaptureError):
        pcapframe.top(data, strict=True)
    with pytest.raises(pcapframe.NotACaptureError):
        pcapframe.dns(b"not a capture at all, just text" * 4)


def test_filter_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        pcapframe.rates(SAMPLE, filter="tcp port nonsense-port")


def test_argument_checks() -> None:
    for call in (lambda: pcapframe.top(SAMPLE, by="length"),
                 lambda: pcapframe.top(SAMPLE, metric="frames"),
                 lambda: pcapframe.top(SAMPLE, n=-1),
                 lambda: pcapframe.direction(SAMPLE, local="10.0.0.0/33"),
                 lambda: pcapframe.rates(SAMPLE, window="0"),
                 lambda: pcapframe.rates(SAMPLE, window="1x"),
                 lambda: pcapframe.rates(SAMPLE, window=-1.0),
                 lambda: pcapframe.rates(SAMPLE, window="1ns"),  # 12 s of 1 ns windows
                 lambda: pcapframe.sizes(SAMPLE, bins=0),
                 lambda: pcapframe.sizes(SAMPLE, bins=[5, 5]),
                 lambda: pcapframe.sizes(SAMPLE, bins=[1]),
                 lambda: pcapframe.sizes(SAMPLE, bins=[0, float("inf")])):
        with pytest.raises(ValueError):
            call()


def test_empty_capture() -> None:
    empty = write_pcap([])
    assert pcapframe.top(empty).empty and pcapframe.flows(empty).empty
    assert pcapframe.rates(empty).empty and pcapframe.names(empty).empty
    assert pcapframe.sizes(empty).stats.to_dict() == {"packets": 0.0}
    assert pcapframe.dns(empty).summary["messages"] == 0
    assert pcapframe.direction(empty)["packets"].sum() == 0


def test_the_gil_is_released_during_an_analysis(small_frames: bytes) -> None:
    ours, during = ticks_during(lambda: pcapframe.top(small_frames, by="mac_src"))
    assert int(ours["packets"].sum()) == 600_000
    assert during > 1000, during


def test_ctrl_c_interrupts_an_analysis(tmp_path: Path, sample_records) -> None:
    assert_ctrl_c_interrupts(lambda fifo: pcapframe.flows(fifo, bidirectional=True),
                             tmp_path, write_pcap(sample_records))


MEMORY_PROBE = r"""
import sys, pcapframe
sys.path.insert(0, sys.argv[3])
from capture_helpers import read_pcap_records, write_pcap

def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])

class Endless:
    '''The sample's records repeated `copies` times, made chunk by chunk (never whole).'''
    def __init__(self, copies):
        data = write_pcap(read_pcap_records(pcapframe_sample)[2])
        self.pending, self.body, self.left = data, data[24:], copies - 1
    def readinto(self, buffer):
        if not self.pending:
            if self.left == 0:
                return 0
            self.pending, self.left = self.body, self.left - 1
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

from pathlib import Path
pcapframe_sample = Path(sys.argv[1])
copies = int(sys.argv[2])
before = peak_kib()
frame = pcapframe.flows(Endless(copies), bidirectional=True)
print(before, peak_kib(), int(frame["packets"].sum()))
"""


def test_memory_does_not_grow_with_the_packets() -> None:
    """flows over a file object streaming the sample 30 and 300 times (84 thousand and 840
    thousand frames, never held whole): peak memory is the same, a table is never built."""
    helpers = str(Path(__file__).resolve().parent)
    peaks = []
    for copies in (30, 300):
        out = subprocess.run([sys.executable, "-c", MEMORY_PROBE, str(SAMPLE), str(copies), helpers],
                             capture_output=True, text=True, check=True).stdout.split()
        before, after, frames = map(int, out)
        assert frames > 0 and frames % copies == 0  # every IP frame of every copy
        peaks.append(after - before)
    # 10x the packets: the growth beyond the interpreter's own stays within a few MiB.
    assert peaks[1] < peaks[0] + 8 * 1024, peaks
