# SPDX-License-Identifier: MIT
"""filter=: BPF expressions (libpcap's compiler, tcpdump syntax) select the same packets as
the equivalent pandas condition on the full DataFrame.

The conditions spell out BPF's own meaning: a filter without `vlan` only looks at untagged
frames, `tcp`/`udp`/`icmp` test the IP header's protocol field (so non-first fragments
match), and ports exist only in first fragments."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import pcapframe


@pytest.fixture(scope="module")
def full(sample) -> pd.DataFrame:
    return pcapframe.read_pcap(sample, dtype_backend="numpy_nullable")


def untagged(df):
    return df["vlan_id"].isna()


def port(df, number):
    return (df["port_src"] == number) | (df["port_dst"] == number)


def host(df, address):
    return (df["ip_src"] == address) | (df["ip_dst"] == address)


CASES = {
    "udp port 53": lambda df: untagged(df) & (df["ip_proto"] == 17) & port(df, 53),
    "icmp or icmp6": lambda df: untagged(df) & df["ip_proto"].isin([1, 58]),
    "host 10.77.0.2 and tcp": lambda df: untagged(df) & host(df, "10.77.0.2") & (df["ip_proto"] == 6),
    "tcp port 80": lambda df: untagged(df) & (df["ip_proto"] == 6) & port(df, 80),
    "ip6 and not tcp": lambda df: untagged(df) & (df["ip_version"] == 6) & (df["ip_proto"] != 6),
    "vlan 100": lambda df: df["vlan_id"] == 100,
    "ether broadcast": lambda df: df["mac_dst"] == "ff:ff:ff:ff:ff:ff",
    "less 100": lambda df: df["length"] <= 100,
}


def expected_rows(full: pd.DataFrame, expression: str) -> pd.DataFrame:
    mask = CASES[expression](full).fillna(False).astype(bool)
    rows = full[mask].reset_index(drop=True)
    # time_normed counts from the first packet that matched.
    first = rows["datetime"].iloc[0] if len(rows) else None
    if first is not None:
        normed = (full["time_normed"][mask] - full["time_normed"][mask].iloc[0]).to_numpy()
        rows["time_normed"] = pd.array(normed, dtype=rows["time_normed"].dtype)
    return rows


@pytest.mark.parametrize("expression", list(CASES))
def test_filter_equals_pandas_filtering(full, sample, expression):
    got = pcapframe.read_pcap(sample, filter=expression, dtype_backend="numpy_nullable")
    want = expected_rows(full, expression)
    assert len(got) > 0, "every case selects something from the sample"
    assert len(got) < len(full)
    pd.testing.assert_frame_equal(got.drop(columns="time_normed"),
                                  want.drop(columns="time_normed"))
    np.testing.assert_allclose(got["time_normed"].to_numpy(dtype=float),
                               want["time_normed"].to_numpy(dtype=float), rtol=0, atol=2e-6)
    assert got["time_normed"].iloc[0] == 0


@pytest.mark.parametrize("expression", ["udp port 53", "tcp port 80"])
def test_filter_through_every_front_door(sample, expression):
    lab = pcapframe.pcap_to_pandas(sample)
    mask = CASES[expression](pcapframe.read_pcap(sample, dtype_backend="numpy_nullable"))
    want = lab[mask.fillna(False).astype(bool).to_numpy()].reset_index(drop=True)
    got = pcapframe.pcap_to_pandas(sample, filter=expression)
    pd.testing.assert_frame_equal(got.drop(columns="time_normed"),
                                  want.drop(columns="time_normed"), check_dtype=False)
    table = pcapframe.read_table(sample, filter=expression, columns=["length"])
    assert table.num_rows == len(want)
    with open(sample, "rb") as f:
        batches = list(pcapframe.iter_batches(f, filter=expression, batch_rows=25,
                                              columns=["length", "time_normed"]))
    assert sum(len(b) for b in batches) == len(want)
    assert batches[0]["time_normed"].iloc[0] == 0
    assert pd.concat(batches)["length"].tolist() == want["length"].tolist()


def test_a_filter_that_matches_nothing_gives_an_empty_frame(sample):
    df = pcapframe.pcap_to_pandas(sample, filter="tcp port 9")
    assert len(df) == 0
    assert list(df.columns) == list(pcapframe.LAB_COLUMNS)


@pytest.mark.parametrize("expression", ["tcp port", "host 999.1.1.1", "udp and and", "frobnicate"])
def test_a_bad_filter_is_a_value_error_with_libpcaps_message(sample, expression):
    with pytest.raises(ValueError) as caught:
        pcapframe.read_pcap(sample, filter=expression)
    message = str(caught.value)
    assert expression in message
    assert "does not compile" in message
    # libpcap's own words follow the colon: "syntax error", "illegal ...", "unknown ..."
    assert message.split(": ")[-1].strip() != ""


def test_a_bad_filter_fails_before_any_batch(sample):
    with pytest.raises(ValueError, match="syntax error"):
        pcapframe.iter_batches(sample, filter="tcp port")


def test_filter_types(sample):
    with pytest.raises(TypeError):
        pcapframe.read_pcap(sample, filter=80)
    with pytest.raises(ValueError, match="empty"):
        pcapframe.read_pcap(sample, filter="  ")
