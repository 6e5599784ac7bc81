# SPDX-License-Identifier: MIT
"""read_pcap's options: column selection, time zones, categorical strings, stable dtypes;
and how the columns are made: zero-copy numeric buffers, one object per distinct string."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

import pcapframe
from pcapframe import _core


def test_column_selection_builds_only_what_is_asked(sample):
    df = pcapframe.read_pcap(sample, columns=["ttl", "ip_src", "length"])
    assert list(df.columns) == ["ttl", "ip_src", "length"]
    table = pcapframe.read_table(sample, columns=["length"])._table
    assert table.columns == ["length"]
    assert table.raw("length").size == 2795 and table.raw("ip_src").size == 0  # never filled
    lab = pcapframe.read_pcap(sample, columns="lab")
    pd.testing.assert_frame_equal(lab, pcapframe.pcap_to_pandas(sample))


def test_extra_fields(sample):
    df = pcapframe.read_pcap(sample)
    assert list(df.columns) == list(pcapframe.COLUMNS)
    tcp = df[df["protocol"] == "TCP"]
    assert tcp["tcp_flags"].notna().all() and (tcp["ip_proto"] == 6).all()
    syn = tcp[(tcp["tcp_flags"].astype(int) & 0x12) == 0x02]
    assert len(syn) > 0 and (syn["port_dst"] == 80).any()
    assert set(df["ip_version"].dropna().astype(int)) == {4, 6}
    assert (df["vlan_id"] == 100).sum() == 8  # the sample's README: 8 tagged frames
    assert (df["link_type"] == 1).all() and (df["interface"] == 0).all()
    assert (df["caplen"] == df["length"]).all()
    icmp = df[df["protocol"] == "ICMP"]
    assert icmp["icmp_type"].notna().all() and 8 in set(icmp["icmp_type"].astype(int))
    assert df["ttl"].max() <= 255 and df["ttl"].dtype == np.float64


def test_time_zones(sample, set_tz):
    set_tz("America/Los_Angeles")
    naive = pcapframe.read_pcap(sample, columns=["datetime", "time"])
    utc = pcapframe.read_pcap(sample, columns=["datetime"], tz="UTC")["datetime"]
    tokyo = pcapframe.read_pcap(sample, columns=["datetime"], tz="Asia/Tokyo")["datetime"]
    assert str(utc.dtype) == "datetime64[ns, UTC]" and str(tokyo.dtype) == "datetime64[ns, Asia/Tokyo]"
    assert (tokyo == utc).all()  # the same instants
    assert (naive["datetime"] == utc.dt.tz_convert("America/Los_Angeles").dt.tz_localize(None)).all()
    first = naive["time"].iloc[0]
    assert naive["datetime"].iloc[0].to_pydatetime() == dt.datetime.fromtimestamp(first)


def test_local_time_follows_tz_across_a_dst_change(tmp_path, sample_records, set_tz):
    from capture_helpers import Record, write_pcap

    # 2021-03-28 01:00 UTC: Europe/Paris goes from +01:00 to +02:00. One frame per 10 min.
    base = 1616893200 * 10**9
    frames = [Record(base + k * 600 * 10**9 - 3600 * 10**9, r.origlen, r.data)
              for k, r in enumerate(sample_records[:13])]
    path = tmp_path / "dst.pcap"
    path.write_bytes(write_pcap(frames))
    set_tz("Europe/Paris")
    df = pcapframe.read_pcap(path, columns=["datetime", "time"])
    expected = [pd.Timestamp(dt.datetime.fromtimestamp(t)) for t in df["time"]]
    assert df["datetime"].tolist() == expected
    assert df["datetime"].iloc[5] == pd.Timestamp("2021-03-28 01:50:00")
    assert df["datetime"].iloc[6] == pd.Timestamp("2021-03-28 03:00:00")


def test_categorical_strings(sample):
    df = pcapframe.read_pcap(sample, strings="category")
    plain = pcapframe.read_pcap(sample)
    for name in ("ip_src", "ip_dst", "mac_src", "mac_dst", "protocol", "dns_query", "anomaly"):
        assert isinstance(df[name].dtype, pd.CategoricalDtype), name
        assert df[name].astype(object).where(df[name].notna(), None).tolist() == \
            plain[name].astype(object).where(plain[name].notna(), None).tolist(), name
    # Shared dictionaries: the pairs have the same categories, so they compare row by row.
    assert (df["ip_src"].cat.categories == df["ip_dst"].cat.categories).all()
    same = (df["mac_src"] == df["mac_dst"]).sum()
    assert same == (plain["mac_src"] == plain["mac_dst"]).sum()
    assert list(df["protocol"].cat.categories) == ["TCP", "UDP", "ICMP"]


def test_stable_nullable_dtypes(sample, tmp_path, sample_records):
    from capture_helpers import write_pcap

    # Two captures whose lab dtypes differ (one has only IPv4 TCP frames).
    tcp_only = [r for r in sample_records if r.data[12:14] == b"\x08\x00" and r.data[23] == 6]
    path = tmp_path / "tcp.pcap"
    path.write_bytes(write_pcap(tcp_only))
    lab_a, lab_b = pcapframe.read_pcap(sample), pcapframe.read_pcap(path)
    assert lab_a["port_src"].dtype == np.float64 and lab_b["port_src"].dtype == np.int64
    for backend in ("numpy_nullable", "pyarrow"):
        a = pcapframe.read_pcap(sample, dtype_backend=backend)
        b = pcapframe.read_pcap(path, dtype_backend=backend)
        assert a.dtypes.to_dict() == b.dtypes.to_dict(), backend
        assert a["port_src"].isna().sum() == lab_a["port_src"].isna().sum()
    nullable = pcapframe.read_pcap(sample, dtype_backend="numpy_nullable")
    assert str(nullable["port_src"].dtype) == "Int64" and str(nullable["ttl"].dtype) == "Int16"
    assert str(nullable["is_dns"].dtype) == "boolean"
    assert isinstance(nullable["ip_src"].dtype, pd.StringDtype)
    arrow = pcapframe.read_pcap(sample, strings="arrow", columns=["ip_src", "dns_query"])
    assert isinstance(arrow["ip_src"].dtype, pd.ArrowDtype)
    assert "www.pcapframe.test." in set(arrow["dns_query"].dropna())


def _root(array: np.ndarray) -> np.ndarray:
    """The array that owns the memory `array` views."""
    while isinstance(array.base, np.ndarray):
        array = array.base
    return array


def test_numeric_columns_are_not_copied(sample):
    table = pcapframe.read_table(sample)
    core = table._table
    df = table.to_pandas()
    assert np.shares_memory(df["length"].to_numpy(), core.raw("length"))
    assert np.shares_memory(df["mac_src_int"].to_numpy(), core.raw("mac_src"))
    assert np.shares_memory(df["is_dns"].to_numpy(), core.raw("is_dns"))
    # The columns the engine derives (times, local datetime, integers with NaN) are written
    # straight into one buffer that the DataFrame then views: no copy after them either.
    derived = ["time", "time_normed", "datetime", "ip_src_int"]
    roots = {id(_root(df[name].to_numpy())) for name in derived}
    assert len(roots) == 1
    np.testing.assert_array_equal(df["time"].to_numpy(), core.seconds())
    np.testing.assert_array_equal(df["time_normed"].to_numpy(), core.seconds_normed())
    np.testing.assert_array_equal(df["datetime"].to_numpy().view(np.int64), core.local_ns())
    # The arrays keep the engine's buffers alive after the table is gone.
    lengths = core.raw("length")
    del table, core, df
    assert lengths[:3].tolist() == [42, 42, 98]


def test_one_python_object_per_distinct_value(sample):
    df = pcapframe.pcap_to_pandas(sample)
    names = df["dns_query"].dropna()
    by_value = {}
    for name in names:  # equal values are the very same object
        assert by_value.setdefault(name, name) is name
    if df["ip_src"].dtype == object:
        ips = df["ip_src"].dropna()
        assert len({id(v) for v in ips}) == ips.nunique()


def test_exact_seconds():
    ns = np.array([0, 1, -1, 999_999_999, 1_795_761_965_752_977_000, 1_512_677_484_415_702_000,
                   2**62, -(2**62), 1_234_567_890_123_456_789], dtype=np.int64)
    assert _core.seconds_from_ns(ns).tolist() == [int(v) / 10**9 for v in ns]


def test_exact_seconds_on_random_timestamps():
    rng = np.random.default_rng(7)
    # Every magnitude from nanoseconds to the int64 limit, and a dense band around today.
    ns = np.concatenate([
        (rng.random(20_000) * 10.0 ** rng.integers(0, 19, 20_000)).astype(np.int64),
        rng.integers(1_500_000_000 * 10**9, 1_900_000_000 * 10**9, 100_000, dtype=np.int64),
        rng.integers(-(2**63), 2**63 - 1, 20_000, dtype=np.int64)])
    assert _core.seconds_from_ns(ns).tolist() == [v / 10**9 for v in ns.tolist()]
    # ... where numpy's ns / 1e9 (two roundings) is often off by one ulp.
    today = ns[20_000:120_000]
    assert (today / 1e9 != _core.seconds_from_ns(today)).mean() > 0.05


def test_time_is_what_scapy_gives(sample):
    df = pcapframe.pcap_to_pandas(sample)
    ns = pcapframe.read_table(sample, columns=["time"])._table.raw("time")
    assert df["time"].tolist() == [int(v) / 10**9 for v in ns]  # == float(EDecimal)
    assert df["time_normed"].tolist() == [(int(v) - int(ns[0])) / 10**9 for v in ns]
    assert df["time_normed"].iloc[0] == 0.0
