# SPDX-License-Identifier: MIT
"""The analyses (pcapframe.top, flows, direction, dns, rates, sizes, names) against the same
question asked with pandas over the packet table, group-bys as in the lab, on the sample and
the lab's traces (../shared/traces, skipped when absent): identical numbers.

The analyses run in one C++ pass without building a table; the pandas side starts from
``pcap_to_pandas`` (or ``read_pcap`` for the extra columns: ``ip_proto`` for flows, names for
``name_dst``), so the two share nothing but the decoder."""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import pcapframe

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "support"))
from lab_traces import SAMPLE, address_order, captures, is_private  # noqa: E402

NS = 10**9
DNS_PORTS = (53, 5353, 5355)


_FRAMES: dict[Path, pd.DataFrame] = {}


def packets(path: Path) -> pd.DataFrame:
    """The lab's DataFrame plus ``ip_proto`` and exact nanoseconds (``ns``), cached."""
    if path not in _FRAMES:
        df = pcapframe.pcap_to_pandas(path)
        extra = pcapframe.read_pcap(path, columns=["ip_proto", "datetime"], tz="UTC")
        df["ip_proto"] = extra["ip_proto"]
        df["ns"] = (extra["datetime"] - pd.Timestamp(0, tz="UTC")) // pd.Timedelta(1, "ns")
        _FRAMES[path] = df
    return _FRAMES[path]


def ip_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["ip_src"].notna()]


def key_text(value: Any) -> str:
    """How pcapframe orders tied keys: by their text (ports too: '443' < '80')."""
    return str(int(value)) if isinstance(value, (float, np.floating, int, np.integer)) else value


# ---- top --------------------------------------------------------------------------------------


def pandas_top(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The lab's volume_stats_by_ip, for any key: sum (and count) of length per key."""
    if key == "ip_pair":
        rows = ip_rows(df).copy()
        # Per distinct address its rank in pcapframe's order; the pair is (lower, higher).
        distinct = sorted(set(rows["ip_src"]) | set(rows["ip_dst"]), key=address_order)
        rank = {a: i for i, a in enumerate(distinct)}
        src_rank = rows["ip_src"].map(rank)
        dst_rank = rows["ip_dst"].map(rank)
        low = rows["ip_src"].where(src_rank <= dst_rank, rows["ip_dst"])
        high = rows["ip_dst"].where(src_rank <= dst_rank, rows["ip_src"])
        rows["ip_pair"] = low + " <-> " + high
        df = rows
    return df.groupby(key)["length"].agg(["sum", "count"])


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("key", ["ip_dst", "ip_src", "mac_dst", "mac_src", "port_dst",
                                 "port_src", "protocol", "ip_pair"])
def test_top_equals_the_labs_groupby(path: Path, key: str) -> None:
    df = packets(path)
    want = pandas_top(df, key)
    ours = pcapframe.top(path, by=key, n=None)
    assert {key_text(k): (b, p) for k, b, p in zip(ours[key], ours["bytes"], ours["packets"])} == {
        key_text(k): (int(v["sum"]), int(v["count"])) for k, v in want.iterrows()}
    # Largest first, ties by key text; the share is of every frame's bytes, keyed or not.
    order = sorted(want.index, key=lambda k: (-int(want.loc[k, "sum"]), key_text(k)))
    assert [key_text(k) for k in ours[key]] == [key_text(k) for k in order]
    total = int(df["length"].sum())
    assert ours["percent"].tolist() == (ours["bytes"] / total * 100).tolist()
    assert ours.attrs["total_bytes"] == total and ours.attrs["total_packets"] == len(df)
    assert ours.attrs["keys"] == len(want)
    assert ours.attrs["frames_without_key"] == len(df) - int(want["count"].sum())
    if key in ("port_dst", "port_src"):
        assert ours[key].dtype == np.int64


@pytest.mark.parametrize("path", captures())
def test_top_by_packets_and_n(path: Path) -> None:
    df = packets(path)
    want = df.groupby("ip_src")["length"].count()
    want = sorted(want.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
    ours = pcapframe.top(path, by="ip_src", metric="packets", n=3)
    assert list(zip(ours["ip_src"], ours["packets"])) == want
    assert ours["percent"].tolist() == [p / len(df) * 100 for p in ours["packets"]]
    assert len(pcapframe.top(path)) == min(10, df["ip_dst"].nunique())  # the default n


def test_top_is_the_labs_volume_stats_by_ip() -> None:
    """The lab's exact cell: pcap.loc[:, ['ip_dst','length']].groupby('ip_dst').sum()
    .sort_values(by=['length'], ascending=False)."""
    pcap = pcapframe.pcap_to_pandas(SAMPLE)
    lab = pcap.loc[:, ["ip_dst", "length"]].groupby("ip_dst").sum().sort_values(
        by=["length"], ascending=False)
    ours = pcapframe.top(SAMPLE, n=None).set_index("ip_dst")["bytes"]
    assert ours.to_dict() == lab["length"].to_dict()
    assert ours.tolist() == lab["length"].tolist()  # the same order (ties aside: by key)


def test_top_by_name_is_a_groupby_of_name_dst() -> None:
    """read_pcap(names=True) gives name_dst; an address nobody named stays its address."""
    df = pcapframe.read_pcap(SAMPLE, columns=["ip_src", "ip_dst", "length"], names=True)
    for side in ("dst", "src"):
        keyed = df[df[f"ip_{side}"].notna()]
        want = keyed.groupby(keyed[f"name_{side}"].fillna(keyed[f"ip_{side}"]))["length"].agg(
            ["sum", "count"])
        ours = pcapframe.top(SAMPLE, by=f"name_{side}", n=None)
        assert {k: (b, p) for k, b, p in zip(ours[f"name_{side}"], ours["bytes"], ours["packets"])} \
            == {k: (int(v["sum"]), int(v["count"])) for k, v in want.iterrows()}
    assert "www.pcapframe.test." in set(ours["name_src"])


# ---- flows ------------------------------------------------------------------------------------

FLOW_KEY = ["ip_src", "port_src", "ip_dst", "port_dst", "ip_proto"]


def flow_key(values: tuple) -> tuple:
    src, sport, dst, dport, proto = values
    port = lambda p: -1 if p is None or (isinstance(p, float) and np.isnan(p)) else int(p)  # noqa: E731
    return (src, port(sport), dst, port(dport), int(proto))


@pytest.mark.parametrize("path", captures())
def test_flows_equal_a_groupby_over_the_five_columns(path: Path) -> None:
    df = ip_rows(packets(path))
    grouped = df.groupby(FLOW_KEY, dropna=False).agg(
        packets=("length", "count"), bytes=("length", "sum"), first=("time", "min"),
        last=("time", "max"), first_ns=("ns", "min"), last_ns=("ns", "max"),
        protocol=("protocol", "first"))
    want = {flow_key(k): v for k, v in grouped.iterrows()}
    ours = pcapframe.flows(path)
    assert list(ours.columns) == ["ip_src", "port_src", "ip_dst", "port_dst", "protocol",
                                  "ip_proto", "packets", "bytes", "first_time", "last_time",
                                  "duration"]
    assert len(ours) == len(want) == ours.attrs["flows"]
    for row in ours.itertuples(index=False):
        g = want[flow_key((row.ip_src, row.port_src, row.ip_dst, row.port_dst, row.ip_proto))]
        assert (row.packets, row.bytes) == (g["packets"], g["bytes"])
        assert (row.first_time, row.last_time) == (g["first"], g["last"])  # the same doubles
        assert row.duration == (g["last_ns"] - g["first_ns"]) / NS  # exact, rounded once
        assert (row.protocol if isinstance(row.protocol, str) else None) == (
            g["protocol"] if isinstance(g["protocol"], str) else None)
    assert ours["bytes"].is_monotonic_decreasing


def pandas_conversations(df: pd.DataFrame) -> pd.DataFrame:
    """Both directions of a 5-tuple joined, with group-bys: the key is the unordered pair of
    endpoints and the IP protocol; A is the sender of the group's first frame (file order)."""
    rows = ip_rows(df).copy()
    port = lambda c: rows[c].fillna(-1).astype("int64").astype(str)  # noqa: E731
    rows["src_ep"] = rows["ip_src"] + "|" + port("port_src")
    rows["dst_ep"] = rows["ip_dst"] + "|" + port("port_dst")
    rows["lo"] = rows[["src_ep", "dst_ep"]].min(axis=1)
    rows["hi"] = rows[["src_ep", "dst_ep"]].max(axis=1)
    groups = rows.groupby(["lo", "hi", "ip_proto"], sort=False)
    rows["a"] = groups["src_ep"].transform("first")
    rows["b"] = np.where(rows["src_ep"] == rows["a"], rows["dst_ep"], rows["src_ep"])
    rows["ab"] = (rows["src_ep"] == rows["a"]).astype("int64")
    rows["ab_bytes"] = rows["length"] * rows["ab"]
    rows["ba"] = 1 - rows["ab"]
    rows["ba_bytes"] = rows["length"] * rows["ba"]
    return rows.groupby(["a", "b", "ip_proto"]).agg(
        packets_ab=("ab", "sum"), bytes_ab=("ab_bytes", "sum"), packets_ba=("ba", "sum"),
        bytes_ba=("ba_bytes", "sum"), packets=("length", "count"), bytes=("length", "sum"),
        first=("time", "min"), last=("time", "max"))


@pytest.mark.parametrize("path", captures())
def test_conversations_equal_pandas(path: Path) -> None:
    want = pandas_conversations(packets(path))
    ours = pcapframe.flows(path, bidirectional=True)
    assert len(ours) == len(want)
    port = lambda p: -1 if np.isnan(p) else int(p)  # noqa: E731
    for row in ours.itertuples(index=False):
        key = (f"{row.address_a}|{port(row.port_a)}", f"{row.address_b}|{port(row.port_b)}",
               row.ip_proto)
        w = want.loc[key]
        assert (row.packets_ab, row.bytes_ab, row.packets_ba, row.bytes_ba) == (
            w["packets_ab"], w["bytes_ab"], w["packets_ba"], w["bytes_ba"])
        assert (row.packets, row.bytes) == (w["packets"], w["bytes"])
        assert (row.first_time, row.last_time) == (w["first"], w["last"])


def test_flows_names_and_n() -> None:
    ours = pcapframe.flows(SAMPLE, bidirectional=True, names=True, n=5)
    assert len(ours) == 5 and ours.attrs["flows"] > 5
    web = ours[ours["port_b"] == 80]
    assert len(web) and (web["name_b"] == "www.pcapframe.test.").all()
    assert web["name_a"].isna().all()
    one_way = pcapframe.flows(SAMPLE, names=True)
    assert {"name_src", "name_dst"} <= set(one_way.columns)


# ---- direction --------------------------------------------------------------------------------


def pandas_direction(df: pd.DataFrame, is_local) -> dict[str, tuple[int, int]]:
    has_ip = df["ip_src"].notna()
    src = df["ip_src"].map(lambda a: isinstance(a, str) and is_local(a)).astype(bool) & has_ip
    dst = df["ip_dst"].map(lambda a: isinstance(a, str) and is_local(a)).astype(bool) & has_ip
    masks = {"upload": src & ~dst, "download": ~src & dst, "local": src & dst,
             "other": ~(src | dst)}
    return {k: (int(m.sum()), int(df.loc[m, "length"].sum())) for k, m in masks.items()}


def automatic_local(df: pd.DataFrame) -> list[str]:
    """The private address in the most frames (as source or destination), ties by text."""
    ips = ip_rows(df)
    seen = pd.concat([ips["ip_src"], ips["ip_dst"].where(ips["ip_dst"] != ips["ip_src"])])
    counts = seen.dropna().value_counts()
    private = [(-int(c), a) for a, c in counts.items() if is_private(a)]
    return [min(private)[1]] if private else []


@pytest.mark.parametrize("path", captures())
def test_direction_automatic_equals_pandas(path: Path) -> None:
    df = packets(path)
    hosts = automatic_local(df)
    ours = pcapframe.direction(path)
    assert ours.attrs == {"local": hosts, "automatic": bool(hosts)} or (
        not hosts and ours.attrs["local"] == [])
    want = pandas_direction(df, lambda a: a in hosts)
    assert {k: (int(r.packets), int(r.bytes)) for k, r in ours.iterrows()} == want
    assert list(ours.index) == ["upload", "download", "local", "other"]
    assert int(ours["packets"].sum()) == len(df)  # every frame in exactly one row
    assert ours["percent"].tolist() == (100.0 * ours["bytes"] / df["length"].sum()).tolist()


def test_direction_given_addresses_and_a_prefix() -> None:
    df = packets(SAMPLE)
    ours = pcapframe.direction(SAMPLE, local=["10.77.0.1", "fd77::1/128"])
    assert ours.attrs == {"local": ["10.77.0.1", "fd77::1/128"], "automatic": False}
    want = pandas_direction(df, lambda a: a in ("10.77.0.1", "fd77::1"))
    assert {k: (int(r.packets), int(r.bytes)) for k, r in ours.iterrows()} == want
    # The lab's question: bytes from the server to the client (download).
    lab = df[(df["ip_dst"] == "10.77.0.1") & (df["ip_src"] != "10.77.0.1")]["length"].sum()
    assert int(pcapframe.direction(SAMPLE, local="10.77.0.1").loc["download", "bytes"]) == lab
    wide = pcapframe.direction(SAMPLE, local="10.77.0.0/16")
    net = ipaddress.ip_network("10.77.0.0/16")
    want = pandas_direction(df, lambda a: ipaddress.ip_address(a) in net)
    assert {k: (int(r.packets), int(r.bytes)) for k, r in wide.iterrows()} == want
    assert want["local"][0] > 1000


# ---- dns --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", captures())
def test_dns_counts_equal_pandas_filters(path: Path) -> None:
    df = packets(path)
    dns = df[df["is_dns"]]
    if (dns["port_src"].isin(DNS_PORTS) & dns["port_dst"].isin(DNS_PORTS)).any():
        pytest.skip("DNS between two DNS ports: the lab's columns cannot tell queries from responses")
    queries = dns[dns["port_dst"].isin(DNS_PORTS)]  # the lab: "destination port 53"
    responses = dns[dns["port_src"].isin(DNS_PORTS)]
    ours = pcapframe.dns(path)
    assert ours.summary["messages"] == len(dns)
    assert (ours.summary["queries"], ours.summary["responses"]) == (len(queries), len(responses))
    assert int(ours.rcodes["responses"].sum()) == len(responses)
    # The lab's "most popular DNS query": a group-by of dns_query over the queries.
    want = queries.groupby("dns_query").size()
    got = ours.names[ours.names["queries"] > 0]
    assert dict(zip(got["name"], got["queries"])) == {k.decode(): v for k, v in want.items()}
    if len(want):
        top_count = int(want.max())
        assert ours.names["name"].iloc[0] == min(
            k.decode() for k, v in want.items() if v == top_count)
    assert ours.summary["distinct_names"] == len(ours.names)


def test_dns_sample_answers_rcodes_and_unanswered() -> None:
    ours = pcapframe.dns(SAMPLE)
    rcodes = dict(zip(ours.rcodes["name"], ours.rcodes["responses"]))
    assert rcodes["NXDOMAIN"] == 2  # nosuch.pcapframe.test, over IPv4 and IPv6
    www = ours.names[ours.names["name"] == "www.pcapframe.test."].iloc[0]
    assert www["answers"] == ["CNAME web.pcapframe.test.", "CNAME cdn.pcapframe.test.",
                              "A 10.77.0.2", "AAAA fd77::2"]
    assert ours.summary["unanswered"] == 0 and ours.unanswered.empty
    assert ours["names"] is ours.names and set(ours.keys()) == {"summary", "names", "rcodes",
                                                                "unanswered"}
    assert len(pcapframe.dns(SAMPLE, n=3).names) == 3


def test_dns_unanswered_on_a_cut_capture() -> None:
    """The sample cut right after its first DNS query, read from memory: one unanswered."""
    df = packets(SAMPLE)
    first = int(df.index[df["is_dns"] & (df["port_dst"] == 53)][0])
    data = SAMPLE.read_bytes()
    offset = 24
    for _ in range(first + 1):
        caplen = int.from_bytes(data[offset + 8:offset + 12], "little")
        offset += 16 + caplen
    ours = pcapframe.dns(data[:offset])
    assert (ours.summary["queries"], ours.summary["responses"]) == (1, 0)
    (q,) = ours.unanswered.itertuples(index=False)
    assert q.name == df["dns_query"][first].decode()
    assert (q.client, q.server) == (df["ip_src"][first], df["ip_dst"][first])
    assert q.time == df["time"][first]


# ---- rates ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("window", [1.0, 0.5, 0.25, 2.0])
def test_rates_equal_send_rates(path: Path, window: float) -> None:
    df = packets(path)
    rates, times = pcapframe.send_rates(df, window)
    ours = pcapframe.rates(path, window=window)
    assert ours["bytes_per_s"].tolist() == rates.tolist()  # bit for bit
    assert ours["start_time"].tolist() == times.tolist()
    # Packets per window: a group-by of the exact window index.
    window_ns = int(window * NS)
    index = (df["ns"] - df["ns"].iloc[0]) // window_ns
    counts = df.groupby(index)["length"].agg(["count", "sum"]).reindex(
        range(len(ours)), fill_value=0)
    assert ours["packets"].tolist() == counts["count"].tolist()
    assert ours["bytes"].tolist() == counts["sum"].tolist()
    assert ours["packets_per_s"].tolist() == (counts["count"] / window).tolist()
    assert ours["bits_per_s"].tolist() == (counts["sum"] * 8 / window).tolist()
    assert ours["offset"].tolist() == [i * window for i in range(len(ours))]


def test_rates_per_direction_and_window_texts() -> None:
    df = packets(SAMPLE)
    ours = pcapframe.rates(SAMPLE, window="500ms", local="10.77.0.1")
    assert ours.attrs["window_ns"] == NS // 2 and ours.attrs["local"] == ["10.77.0.1"]
    index = (df["ns"] - df["ns"].iloc[0]) // (NS // 2)
    up = df["length"].where((df["ip_src"] == "10.77.0.1") & (df["ip_dst"] != "10.77.0.1"), 0)
    down = df["length"].where((df["ip_dst"] == "10.77.0.1") & (df["ip_src"] != "10.77.0.1"), 0)
    want = pd.DataFrame({"up": up, "down": down}).groupby(index).sum().reindex(
        range(len(ours)), fill_value=0)
    assert ours["upload_bytes"].tolist() == want["up"].tolist()
    assert ours["download_bytes"].tolist() == want["down"].tolist()
    assert ours["download_bytes_per_s"].tolist() == (want["down"] / 0.5).tolist()
    for same in ("0.5", "500ms", 0.5, "500000us"):
        assert pcapframe.rates(SAMPLE, window=same).attrs["window_ns"] == NS // 2


def test_rates_refuses_more_than_ten_million_windows() -> None:
    ns = packets(SAMPLE)["ns"]
    windows = int(ns.max() - ns.min()) + 1  # 1 ns windows
    assert windows > 10_000_000
    with pytest.raises(ValueError, match=f"makes {windows} windows over this capture, more "
                                         "than 10000000; choose a longer window"):
        pcapframe.rates(SAMPLE, window="1ns")


# ---- sizes ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("bins", [10, 7, [0, 64, 128, 256, 512, 1024, 1519], [100, 200, 1000]])
def test_sizes_equal_describe_quantile_and_histogram(path: Path, bins: Any) -> None:
    lengths = packets(path)["length"]
    ours = pcapframe.sizes(path, bins=bins)
    described = lengths.describe()
    s = ours.stats
    assert s["packets"] == described["count"] == len(lengths)
    assert (s["min"], s["max"], s["mean"]) == (described["min"], described["max"],
                                               described["mean"])
    assert s["median"] == lengths.median() == described["50%"]
    assert (s["p25"], s["p75"]) == (described["25%"], described["75%"])
    for q in (1, 5, 25, 50, 75, 95, 99):
        assert s[f"p{q}"] == lengths.quantile(q / 100) == np.percentile(lengths, q), q
    counts, edges = np.histogram(lengths, bins=bins)
    h = ours.histogram
    assert h["packets"].tolist() == counts.tolist()
    assert h["low"].tolist() + [h["high"].iloc[-1]] == edges.tolist()  # bit for bit
    assert h["percent"].tolist() == (100.0 * counts / len(lengths)).tolist()


# ---- names ------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", captures())
def test_names_agree_with_the_dns_rows(path: Path) -> None:
    """Every name comes from a DNS response in the packet table: its first_seen is the time
    of a response row (source port 53/5353/5355) asking for the name or one of its others,
    and read_pcap(names=True) names exactly the addresses names() lists."""
    df = packets(path)
    ours = pcapframe.names(path)
    responses = df[df["is_dns"] & df["port_src"].isin(DNS_PORTS)]
    asked = {}
    for name, time in zip(responses["dns_query"], responses["time"]):
        asked.setdefault(name.decode(), set()).add(time)
    for row in ours.itertuples(index=False):
        assert row.source == "dns"
        times = set().union(*(asked.get(n, set()) for n in [row.name, *row.other_names]))
        assert row.first_seen in times, row
        assert row.first_seen <= row.last_seen and row.answers >= 1
    named = pcapframe.read_pcap(path, columns=["ip_src", "ip_dst"], names=True)
    mapping = dict(zip(ours["address"], ours["name"]))
    for side in ("src", "dst"):
        want = named[f"ip_{side}"].map(lambda a: mapping.get(a) if isinstance(a, str) else None)
        got = named[f"name_{side}"]
        assert (got.isna() == want.isna()).all()
        assert (got[got.notna()] == want[want.notna()]).all()


def test_names_on_the_sample_follow_the_cname_chain() -> None:
    ours = pcapframe.names(SAMPLE).set_index("address")
    assert list(ours.index) == ["10.77.0.2", "fd77::2"]  # the client is named by no answer
    for address in ("10.77.0.2", "fd77::2"):
        row = ours.loc[address]
        assert row["name"] == "www.pcapframe.test."  # the name the client asked for
        assert row["canonical"] == "cdn.pcapframe.test."  # the chain's end owns the A/AAAA
        assert row["source"] == "dns" and row["answers"] >= 2
    assert "lookup" not in ours.columns  # resolve is never on by default


def test_the_docs_python_examples_run(monkeypatch) -> None:
    """docs/ANALYSES.md's "From Python" example runs as written (from the repository root)."""
    import re

    text = (SAMPLE.parents[1] / "docs" / "ANALYSES.md").read_text()
    section = text.split("## From Python", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    monkeypatch.chdir(SAMPLE.parents[1])
    namespace: dict = {}
    exec(compile(example, "docs/ANALYSES.md", "exec"), namespace)
    assert namespace["report"].summary["queries"] == 42
    assert namespace["sizes"].stats["median"] == 187.0
