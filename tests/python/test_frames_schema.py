# SPDX-License-Identifier: MIT
"""pcap_to_pandas / read_pcap: names, order and dtypes, and every value against the C++
CLI's JSON output on the sample capture and its variants (other byte order, nanosecond
resolution, pcapng, gzip, snaplen-cut, truncated)."""

from __future__ import annotations

import math
import subprocess
import warnings

import numpy as np
import pandas as pd
import pytest

import pcapframe
from capture_helpers import cli_rows

LAB = ["datetime", "dns_query", "dns_resp", "ip_dst", "ip_dst_int", "ip_src", "ip_src_int",
       "is_dns", "length", "mac_dst", "mac_dst_int", "mac_src", "mac_src_int", "port_dst",
       "port_src", "protocol", "time", "time_normed"]
EXTRA = ["caplen", "ip_version", "ttl", "ip_proto", "tcp_flags", "icmp_type", "icmp_code",
         "vlan_id", "link_type", "interface", "anomaly"]


def inferred_text_dtype(has_value: bool, has_missing: bool):
    """What pandas infers from a column of Python str and None (object in 2, str in 3)."""
    sample = (["x"] if has_value else []) + ([None] if has_missing else [])
    return pd.Series(sample, dtype=None if sample else object).dtype


def expected_lab_dtype(name: str, column: pd.Series):
    missing = column.isna()
    if name == "datetime":
        return np.dtype("datetime64[ns]")
    if name in ("dns_query", "dns_resp"):
        return np.dtype(object)
    if name in ("ip_dst", "ip_src", "mac_dst", "mac_src", "protocol"):
        return inferred_text_dtype(bool((~missing).any()), bool(missing.any()))
    if name == "is_dns":
        return np.dtype(bool)
    if name in ("time", "time_normed"):
        return np.dtype(np.float64)
    return np.dtype(np.float64) if missing.any() else np.dtype(np.int64)


def test_schema_is_the_engines(cli, sample):
    assert list(pcapframe.LAB_COLUMNS) == LAB
    assert list(pcapframe.COLUMNS) == LAB + EXTRA
    for columns, expected in (("lab", LAB), ("all", LAB + EXTRA)):
        header = subprocess.run(
            [str(cli), "packets", str(sample), "--format", "csv", "--limit", "1", "--columns",
             columns], capture_output=True, text=True, check=True).stdout.splitlines()[0]
        assert header.split(",") == expected
    assert set(pcapframe.DESCRIPTIONS) == set(LAB + EXTRA)


def test_lab_columns_and_dtypes(sample):
    df = pcapframe.pcap_to_pandas(sample)
    assert list(df.columns) == LAB
    assert len(df) == 2795  # every frame, as `capinfos` counts them
    assert isinstance(df.index, pd.RangeIndex)
    for name in LAB:
        assert df[name].dtype == expected_lab_dtype(name, df[name]), name
    # The sample has IPv6, ARP and non-TCP/UDP frames: these integer columns have gaps ...
    for name in ("ip_dst_int", "ip_src_int", "port_dst", "port_src"):
        assert df[name].dtype == np.float64
    # ... and every frame is Ethernet, so the MAC integers do not.
    assert df["mac_src_int"].dtype == np.int64
    # DNS names are bytes with the trailing dot, as scapy's qname.
    names = df["dns_query"].dropna()
    assert len(names) > 0 and all(isinstance(n, bytes) and n.endswith(b".") for n in names)
    assert b"www.pcapframe.test." in set(names)


def test_empty_capture(tmp_path):
    path = tmp_path / "empty.pcap"
    path.write_bytes(__import__("struct").pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
    df = pcapframe.pcap_to_pandas(path)
    assert list(df.columns) == LAB and len(df) == 0
    assert df["length"].dtype == np.int64 and df["datetime"].dtype == "datetime64[ns]"
    assert df["ip_src"].dtype == object  # pandas infers object for an empty text column


def _plain(value):
    """A value as the CLI's JSON would hold it (None for missing)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating,)):
        return float(value)
    if isinstance(value, (np.bool_,)):
        return bool(value)
    return value


def assert_matches_cli(df: pd.DataFrame, rows: list[dict]) -> None:
    assert len(df) == len(rows)
    assert list(df.columns) == list(rows[0].keys())
    for name in df.columns:
        ours = [_plain(v) for v in df[name].tolist()]
        theirs = [row[name] for row in rows]
        if name == "datetime":
            ours = [pd.Timestamp(v) for v in df[name]]
            theirs = [pd.Timestamp(v) for v in theirs]
        elif name in ("dns_query", "dns_resp"):
            # The CLI prints display text; the sample's names are printable ASCII.
            ours = [None if v is None else v.decode("ascii") for v in ours]
        elif df[name].dtype == np.float64 and name not in ("time", "time_normed"):
            ours = [None if v is None else int(v) for v in ours]
        mismatches = [i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b]
        assert not mismatches, (name, [(i, ours[i], theirs[i]) for i in mismatches[:5]])


@pytest.mark.parametrize("variant", ["sample", "big_endian", "nanosecond", "pcapng", "gzip",
                                     "snaplen96", "truncated"])
def test_every_value_matches_the_cli(variant, variants, cli, set_tz):
    set_tz("America/New_York")
    path = variants[variant]
    rows = cli_rows(cli, path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = pcapframe.read_pcap(path)
    assert (len(caught) > 0) == (variant == "truncated")
    assert_matches_cli(df, rows)


def test_variants_decode_the_same_frames(variants):
    base = pcapframe.read_pcap(variants["sample"])
    for name in ("big_endian", "pcapng", "gzip"):
        pd.testing.assert_frame_equal(pcapframe.read_pcap(variants[name]), base)
    nano = pcapframe.read_pcap(variants["nanosecond"])
    assert (nano["datetime"] - base["datetime"] == pd.Timedelta(123, "ns")).all()
    snapped = pcapframe.read_pcap(variants["snaplen96"])
    assert (snapped["length"] == base["length"]).all()  # the wire length survives the snap
    assert (snapped["caplen"] == np.minimum(base["caplen"], 96)).all()
    assert (snapped["caplen"] < snapped["length"]).any()
    with pytest.warns(pcapframe.TruncatedCaptureWarning):
        cut = pcapframe.read_pcap(variants["truncated"])
    pd.testing.assert_frame_equal(cut, base.iloc[:-1])
