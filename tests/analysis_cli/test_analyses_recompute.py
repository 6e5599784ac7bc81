# SPDX-License-Identifier: MIT
"""Each analysis subcommand against the same question asked with pandas over the packet
table (`pcapframe packets --format csv --columns all`, so that the CLI is checked without
the Python module), on the sample and the lab traces: identical numbers. Also,
--csv and --json of each command must say the same thing."""
from __future__ import annotations

import ipaddress
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE, Pcapframe, captures
from lab_traces import address_order, is_private

NS = 1_000_000_000
TOP_KEYS = ("ip_dst", "ip_src", "mac_dst", "mac_src", "port_dst", "port_src", "protocol", "ip_pair")


def ns_of(text: str) -> int:
    return int(Decimal(text) * NS)


def same_rows_csv_json(csv_rows: list[dict[str, str]], json_rows: list[dict[str, Any]]) -> None:
    """Every CSV cell equals its JSON value (numbers compared as numbers)."""
    assert len(csv_rows) == len(json_rows)
    for c, j in zip(csv_rows, json_rows):
        assert list(c) == list(j), (list(c), list(j))
        for key, text in c.items():
            value = j[key]
            if value is None:
                assert text == "", (key, text)
            elif isinstance(value, bool):
                assert text == ("true" if value else "false")
            elif isinstance(value, int):
                assert int(text) == value, (key, text, value)
            elif isinstance(value, float):
                assert float(text) == value, (key, text, value)
            elif isinstance(value, list):
                assert text == "|".join(value), (key, text, value)
            else:
                assert text == value, (key, text, value)


def ip_rows(df: pd.DataFrame) -> pd.DataFrame:
    return df[df["ip_src"] != ""]


# --- top ------------------------------------------------------------------------------------

def pandas_top(df: pd.DataFrame, key: str) -> pd.DataFrame:
    """The lab's group-by: sum of length (and count) per key, missing keys left out."""
    if key == "ip_pair":
        rows = ip_rows(df).copy()
        pairs = []
        for s, d in zip(rows["ip_src"], rows["ip_dst"]):
            a, b = sorted((s, d), key=address_order)
            pairs.append(f"{a} <-> {b}")
        rows["ip_pair"] = pairs
    else:
        rows = df[df[key] != ""]
    return rows.groupby(key)["length"].agg(["sum", "count"])


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("key", TOP_KEYS)
def test_top_equals_pandas_groupby(cli: str, packets, path: Path, key: str) -> None:
    df = packets(path)
    run = Pcapframe(cli, path)
    ours = run.csv("top", "--by", key, "--all")
    want = pandas_top(df, key)
    assert {r[key]: (int(r["bytes"]), int(r["packets"])) for r in ours} == {
        k: (int(v["sum"]), int(v["count"])) for k, v in want.iterrows()}
    total = int(df["length"].sum())
    for r in ours:
        assert float(r["percent"]) == int(r["bytes"]) / total * 100
    # Largest first, ties by key text.
    values = [(-int(r["bytes"]), r[key]) for r in ours]
    assert values == sorted(values)
    doc = run.json("top", "--by", key, "--all")
    assert doc["total_bytes"] == total and doc["total_packets"] == len(df)
    assert doc["keys"] == len(ours)
    same_rows_csv_json(ours, doc["rows"])


@pytest.mark.parametrize("path", captures())
def test_top_by_packets_and_limit(cli: str, packets, path: Path) -> None:
    df = packets(path)
    run = Pcapframe(cli, path)
    ours = run.csv("top", "--by", "ip_src", "--packets", "-n", "3")
    want = pandas_top(df, "ip_src").sort_values("count", ascending=False)
    assert len(ours) == min(3, len(want))
    assert [int(r["packets"]) for r in ours] == list(want["count"][: len(ours)])
    for r in ours:
        assert float(r["percent"]) == int(r["packets"]) / len(df) * 100


def test_top_by_name_uses_the_traces_own_dns(cli: str, packets) -> None:
    df = packets(SAMPLE)
    run = Pcapframe(cli, SAMPLE)
    names = {r["address"]: r["name"] for r in run.csv("names")}
    rows = df[df["ip_dst"] != ""].copy()
    rows["name_dst"] = [names.get(a, a) for a in rows["ip_dst"]]
    want = rows.groupby("name_dst")["length"].agg(["sum", "count"])
    ours = run.csv("top", "--by", "name_dst", "--all")
    assert {r["name_dst"]: (int(r["bytes"]), int(r["packets"])) for r in ours} == {
        k: (int(v["sum"]), int(v["count"])) for k, v in want.iterrows()}
    assert "www.pcapframe.test." in {r["name_dst"] for r in ours}


# --- flows ----------------------------------------------------------------------------------

FLOW_KEY = ["ip_src", "port_src", "ip_dst", "port_dst", "ip_proto"]


@pytest.mark.parametrize("path", captures())
def test_flows_equal_pandas_groupby(cli: str, packets, path: Path) -> None:
    df = ip_rows(packets(path))
    grouped = df.groupby(FLOW_KEY).agg(packets=("length", "count"), bytes=("length", "sum"),
                                       first=("ns", "min"), last=("ns", "max"),
                                       protocol=("protocol", "first"))
    run = Pcapframe(cli, path)
    ours = run.csv("flows", "--all")
    assert len(ours) == len(grouped)
    for r in ours:
        g = grouped.loc[tuple(r[k] for k in FLOW_KEY)]
        assert (int(r["packets"]), int(r["bytes"])) == (g["packets"], g["bytes"])
        assert (ns_of(r["first_time"]), ns_of(r["last_time"])) == (g["first"], g["last"])
        assert ns_of(r["duration"]) == g["last"] - g["first"]
        assert r["protocol"] == g["protocol"]
    assert [int(r["bytes"]) for r in ours] == sorted((int(r["bytes"]) for r in ours), reverse=True)
    doc = run.json("flows", "--all")
    assert doc["flows"] == len(ours)
    same_rows_csv_json(ours, doc["rows"])


def pandas_conversations(df: pd.DataFrame) -> dict[tuple, dict[str, int]]:
    """Both directions of a 5-tuple joined; A is the sender of the first frame (file order)."""
    out: dict[tuple, dict[str, Any]] = {}
    for r in ip_rows(df).itertuples():
        src, dst = (r.ip_src, r.port_src), (r.ip_dst, r.port_dst)
        key = (*sorted((src, dst)), r.ip_proto)
        c = out.setdefault(key, {"a": src, "b": dst, "ab": 0, "ab_bytes": 0, "ba": 0, "ba_bytes": 0,
                                 "first": r.ns, "last": r.ns})
        if src == c["a"]:
            c["ab"] += 1
            c["ab_bytes"] += r.length
        else:
            c["ba"] += 1
            c["ba_bytes"] += r.length
        c["first"], c["last"] = min(c["first"], r.ns), max(c["last"], r.ns)
    return {(*c["a"], *c["b"], key[2]): c for key, c in out.items()}


@pytest.mark.parametrize("path", captures())
def test_conversations_equal_pandas(cli: str, packets, path: Path) -> None:
    want = pandas_conversations(packets(path))
    run = Pcapframe(cli, path)
    ours = run.csv("flows", "--bidirectional", "--all")
    assert len(ours) == len(want)
    for r in ours:
        c = want[(r["address_a"], r["port_a"], r["address_b"], r["port_b"], r["ip_proto"])]
        assert (int(r["packets_ab"]), int(r["bytes_ab"]), int(r["packets_ba"]), int(r["bytes_ba"])) == (
            c["ab"], c["ab_bytes"], c["ba"], c["ba_bytes"])
        assert int(r["packets"]) == c["ab"] + c["ba"]
        assert ns_of(r["first_time"]) == c["first"] and ns_of(r["last_time"]) == c["last"]
    same_rows_csv_json(ours, run.json("flows", "--bidirectional", "--all")["rows"])


def test_flows_names_columns(cli: str) -> None:
    rows = Pcapframe(cli, SAMPLE).csv("flows", "--bidirectional", "--names", "--all")
    web = [r for r in rows if r["port_b"] == "80"]
    assert web and all(r["name_b"] == "www.pcapframe.test." and r["name_a"] == "" for r in web)


def test_flows_limit(cli: str) -> None:
    run = Pcapframe(cli, SAMPLE)
    assert len(run.csv("flows", "-n", "4")) == 4
    assert len(run.csv("flows")) == 20  # the default
    assert "4 of " in run.table("flows", "-n", "4")


# --- direction -------------------------------------------------------------------------------

def pandas_direction(df: pd.DataFrame, local: set[str] | None, prefixes: list[str] = ()) -> dict[str, Any]:
    ips = ip_rows(df)
    if local is None and not prefixes:
        counts: dict[str, int] = {}
        for s, d in zip(ips["ip_src"], ips["ip_dst"]):
            for a in {s, d}:
                if is_private(a):
                    counts[a] = counts.get(a, 0) + 1
        best = min(counts, key=lambda a: (-counts[a], a)) if counts else None
        local = {best} if best else set()
    nets = [ipaddress.ip_network(p) for p in prefixes]

    def is_local(a: str) -> bool:
        return a in local or any(ipaddress.ip_address(a) in n for n in nets)

    out = {k: [0, 0] for k in ("upload", "download", "local", "other")}
    for r in df.itertuples():
        if r.ip_src == "":
            kind = "other"
        else:
            s, d = is_local(r.ip_src), is_local(r.ip_dst)
            kind = "local" if s and d else "upload" if s else "download" if d else "other"
        out[kind][0] += 1
        out[kind][1] += r.length
    return {"hosts": sorted(local), **out}


@pytest.mark.parametrize("path", captures())
def test_direction_automatic_equals_pandas(cli: str, packets, path: Path) -> None:
    want = pandas_direction(packets(path), None)
    run = Pcapframe(cli, path)
    doc = run.json("direction")
    assert doc["automatic"] is True
    assert doc["local"] == want["hosts"]
    assert [doc["upload"]["packets"], doc["upload"]["bytes"]] == want["upload"]
    assert [doc["download"]["packets"], doc["download"]["bytes"]] == want["download"]
    assert [doc["local_to_local"]["packets"], doc["local_to_local"]["bytes"]] == want["local"]
    assert [doc["other"]["packets"], doc["other"]["bytes"]] == want["other"]
    (row,) = run.csv("direction")
    assert row["automatic"] == "true" and row["local"] == " ".join(want["hosts"])
    assert [int(row["upload_packets"]), int(row["upload_bytes"])] == want["upload"]
    assert [int(row["download_packets"]), int(row["download_bytes"])] == want["download"]
    if want["hosts"]:
        assert f"Local host: {want['hosts'][0]} (found automatically" in run.table("direction")


def test_direction_given_addresses_and_prefixes(cli: str, packets) -> None:
    df = packets(SAMPLE)
    run = Pcapframe(cli, SAMPLE)
    want = pandas_direction(df, {"10.77.0.1"}, ["fd77::1/128"])
    doc = run.json("direction", "--local", "10.77.0.1", "--local", "fd77::1/128")
    assert doc["automatic"] is False and doc["local"] == ["10.77.0.1", "fd77::1/128"]
    assert [doc["upload"]["packets"], doc["upload"]["bytes"]] == want["upload"]
    assert [doc["download"]["packets"], doc["download"]["bytes"]] == want["download"]
    # A prefix holding both hosts makes their traffic local-to-local.
    wide = pandas_direction(df, set(), ["10.77.0.0/16"])
    doc = run.json("direction", "--local", "10.77.0.0/16")
    assert [doc["local_to_local"]["packets"], doc["local_to_local"]["bytes"]] == wide["local"]
    assert doc["local_to_local"]["packets"] > 1000


# --- rates ----------------------------------------------------------------------------------

def pandas_rates(df: pd.DataFrame, window_ns: int, local: str | None = None) -> pd.DataFrame:
    first = int(df["ns"].iloc[0])  # windows start at the first frame, as send_rates does
    frame = df.copy()
    frame["window"] = (frame["ns"] - first) // window_ns
    frame["up"] = np.where((frame["ip_src"] == local) & (frame["ip_dst"] != local), frame["length"], 0)
    frame["down"] = np.where((frame["ip_dst"] == local) & (frame["ip_src"] != local), frame["length"], 0)
    g = frame.groupby("window").agg(packets=("length", "count"), bytes=("length", "sum"),
                                    up=("up", "sum"), down=("down", "sum"))
    full = range(int(g.index.min()), int(g.index.max()) + 1)  # empty windows too
    g = g.reindex(full, fill_value=0)
    g["start"] = [first + w * window_ns for w in g.index]
    return g


@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("window,window_ns", [("1s", NS), ("500ms", NS // 2), ("0.25", NS // 4)])
def test_rates_equal_pandas(cli: str, packets, path: Path, window: str, window_ns: int) -> None:
    want = pandas_rates(packets(path), window_ns)
    run = Pcapframe(cli, path)
    ours = run.csv("rates", "--window", window)
    assert len(ours) == len(want)
    seconds = window_ns / 1e9
    for r, (_, w) in zip(ours, want.iterrows()):
        assert ns_of(r["start_time"]) == w["start"]
        assert (int(r["packets"]), int(r["bytes"])) == (w["packets"], w["bytes"])
        assert float(r["bytes_per_s"]) == w["bytes"] / seconds
        assert float(r["bits_per_s"]) == w["bytes"] * 8 / seconds
        assert float(r["packets_per_s"]) == w["packets"] / seconds
    doc = run.json("rates", "--window", window)
    assert doc["window_ns"] == window_ns
    same_rows_csv_json(ours, doc["rows"])


def test_rates_per_direction(cli: str, packets) -> None:
    want = pandas_rates(packets(SAMPLE), NS, "10.77.0.1")
    ours = Pcapframe(cli, SAMPLE).csv("rates", "--local", "10.77.0.1")
    assert [(int(r["upload_bytes"]), int(r["download_bytes"])) for r in ours] == list(zip(want["up"], want["down"]))
    assert sum(int(r["download_bytes"]) for r in ours) > 900_000


def test_rates_bad_window_is_a_usage_error(cli: str) -> None:
    import subprocess
    for window in ("0", "1x", "-1s", "1.2.3"):
        proc = subprocess.run([cli, "rates", SAMPLE, "--window", window], capture_output=True, text=True)
        assert proc.returncode == 1, window
        assert "--window" in proc.stderr


def test_rates_refuses_more_than_ten_million_windows(cli: str, packets) -> None:
    import subprocess
    ns = packets(SAMPLE)["ns"]
    windows = ns.max() - ns.min() + 1  # 1 ns windows
    assert windows > 10_000_000
    proc = subprocess.run([cli, "rates", SAMPLE, "--window", "1ns"], capture_output=True, text=True)
    assert proc.returncode == 1
    assert f"--window 1ns makes {windows:,} windows over this capture, more than 10,000,000" in proc.stderr
    assert proc.stdout == ""


# --- sizes ----------------------------------------------------------------------------------

@pytest.mark.parametrize("path", captures())
@pytest.mark.parametrize("bins", ["10", "7", "0,64,128,256,512,1024,1519", "100,200,1000"])
def test_sizes_equal_numpy(cli: str, packets, path: Path, bins: str) -> None:
    lengths = packets(path)["length"].to_numpy()
    edges_arg: Any = int(bins) if "," not in bins else [float(e) for e in bins.split(",")]
    counts, edges = np.histogram(lengths, bins=edges_arg)
    run = Pcapframe(cli, path)
    hist = run.csv("sizes", "--bins", bins)
    assert [int(r["packets"]) for r in hist] == counts.tolist()
    assert [float(r["low"]) for r in hist] + [float(hist[-1]["high"])] == edges.tolist()  # bit for bit
    stats = {r["statistic"]: r["value"] for r in run.csv("sizes", "--list", "stats", "--bins", bins)}
    assert int(stats["packets"]) == len(lengths)
    assert (int(stats["min"]), int(stats["max"])) == (lengths.min(), lengths.max())
    assert float(stats["mean"]) == pd.Series(lengths).mean()
    assert float(stats["median"]) == pd.Series(lengths).median()
    for q in (1, 5, 25, 50, 75, 95, 99):
        assert float(stats[f"p{q}"]) == np.percentile(lengths, q), q
        assert float(stats[f"p{q}"]) == pd.Series(lengths).quantile(q / 100), q
    doc = run.json("sizes", "--bins", bins)
    assert doc["mean"] == float(stats["mean"]) and doc["percentiles"]["p95"] == float(stats["p95"])
    same_rows_csv_json(hist, doc["histogram"])


def test_sizes_table_draws_bars(cli: str) -> None:
    text = Pcapframe(cli, SAMPLE).table("sizes", "--bins", "0,64,128,256,512,1024,1519")
    assert "[1024, 1519]" in text and "\u2588" in text
    assert "Percentiles:" in text


def test_sizes_bad_bins(cli: str) -> None:
    import subprocess
    for bins in ("0", "a", "10,5", "1,", "5,5"):
        proc = subprocess.run([cli, "sizes", SAMPLE, "--bins", bins], capture_output=True, text=True)
        assert proc.returncode == 1, bins


# --- dns ------------------------------------------------------------------------------------

DNS_PORTS = {"53", "5353", "5355"}


@pytest.mark.parametrize("path", captures())
def test_dns_counts_equal_pandas(cli: str, packets, path: Path) -> None:
    df = packets(path)
    dns = df[df["is_dns"] == "True"]
    if (dns["port_src"].isin(DNS_PORTS) & dns["port_dst"].isin(DNS_PORTS)).any():
        pytest.skip("DNS between two DNS ports: the packet table cannot tell queries from responses")
    queries = dns[dns["port_dst"].isin(DNS_PORTS)]  # the lab: "destination port 53"
    responses = dns[dns["port_src"].isin(DNS_PORTS)]
    run = Pcapframe(cli, path)
    doc = run.json("dns", "--all")
    assert (doc["queries"], doc["responses"]) == (len(queries), len(responses))
    want = queries.groupby("dns_query").size()
    assert {n["name"]: n["queries"] for n in doc["names"] if n["queries"]} == want.to_dict()
    names = run.csv("dns", "--all")
    same_rows_csv_json(names, doc["names"])
    if len(want):
        assert names[0]["name"] == want.sort_values(ascending=False).index[0]


def test_dns_sample_report(cli: str) -> None:
    run = Pcapframe(cli, SAMPLE)
    doc = run.json("dns", "--all")
    assert doc["rcodes"]["NXDOMAIN"] == 2  # nosuch.pcapframe.test, over IPv4 and IPv6
    assert doc["rcodes"]["NOERROR"] == doc["responses"] - 2
    www = next(n for n in doc["names"] if n["name"] == "www.pcapframe.test.")
    assert www["answers"] == ["CNAME web.pcapframe.test.", "CNAME cdn.pcapframe.test.", "A 10.77.0.2",
                              "AAAA fd77::2"]
    assert doc["unanswered_total"] == 0
    rcodes = run.csv("dns", "--list", "rcodes")
    assert {r["name"]: int(r["responses"]) for r in rcodes} == doc["rcodes"]
    assert len(run.csv("dns", "-n", "3")) == 3
    text = run.table("dns")
    assert "Response codes: NOERROR" in text and "NXDOMAIN 2" in text


def test_dns_unanswered_on_a_cut_capture(cli: str, tmp_path: Path, packets) -> None:
    """Cut the sample right after the first DNS query: that query is unanswered."""
    import struct
    df = packets(SAMPLE)
    first_query = int(df.index[(df["is_dns"] == "True") & (df["port_dst"] == "53")][0])
    data = SAMPLE.read_bytes()
    pos, kept = 24, 0
    while kept <= first_query:
        caplen = struct.unpack_from("<I", data, pos + 8)[0]
        pos += 16 + caplen
        kept += 1
    cut = tmp_path / "cut.pcap"
    cut.write_bytes(data[:pos])
    doc = Pcapframe(cli, cut).json("dns")
    assert doc["queries"] == 1 and doc["responses"] == 0
    (q,) = doc["unanswered"]
    assert q["name"] == df["dns_query"][first_query]
    assert q["client"] == df["ip_src"][first_query] and q["server"] == df["ip_dst"][first_query]
    assert ns_of(str(q["time"])) // 1000 == df["ns"][first_query] // 1000
    (row,) = Pcapframe(cli, cut).csv("dns", "--list", "unanswered")
    assert row["name"] == q["name"] and ns_of(row["time"]) == df["ns"][first_query]
