# SPDX-License-Identifier: MIT
"""Arrow out: PacketTable's __arrow_c_stream__ into pyarrow, polars and DuckDB without a
copy, read_arrow, write_parquet; every round trip gives the values of read_pcap."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from capture_helpers import have

import pcapframe

pa = pytest.importorskip("pyarrow")

LAB = list(pcapframe.LAB_COLUMNS)


def python_values(df: pd.DataFrame, name: str) -> list:
    """A pandas column as plain Python values with None for missing, DNS bytes as text."""
    out = []
    for value in df[name].tolist():
        if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
            out.append(None)
        elif isinstance(value, bytes):
            out.append(value.decode("ascii"))
        elif isinstance(value, float) and name not in ("time", "time_normed"):
            out.append(int(value))
        else:
            out.append(value)
    return out


@pytest.fixture(scope="module")
def reference(sample) -> pd.DataFrame:
    return pcapframe.read_pcap(sample, tz="UTC")


def test_arrow_types(sample):
    table = pcapframe.read_arrow(sample)
    assert table.column_names == list(pcapframe.COLUMNS)
    types = dict(zip(table.column_names, table.schema.types))
    assert types["datetime"] == pa.timestamp("ns", tz="UTC")
    assert types["time"] == pa.float64() and types["is_dns"] == pa.bool_()
    assert types["length"] == pa.int64() and types["port_src"] == pa.int64()
    assert types["ttl"] == pa.int16() and types["ip_version"] == pa.uint8()
    for name in ("ip_src", "mac_dst", "dns_query", "protocol", "anomaly"):
        assert pa.types.is_dictionary(types[name]) and types[name].value_type == pa.string()
    assert not table.schema.field("length").nullable and table.schema.field("port_src").nullable
    assert table.num_rows == 2795


def test_pyarrow_round_trip_has_the_pandas_values(sample, reference):
    table = pcapframe.read_arrow(sample)
    for name in table.column_names:
        column = table.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.cast(pa.string())
        ours = column.to_pylist()
        if name == "datetime":
            ours = [pd.Timestamp(v) for v in column.cast(pa.int64()).to_pylist()]
            expected = [v.tz_convert(None) for v in reference[name]]
        else:
            expected = python_values(reference, name)
        assert ours == expected, name


def test_zero_copy_into_pyarrow(sample):
    table = pcapframe.read_table(sample)
    arrow = pa.table(table)
    core = table._table
    for name, raw in (("length", core.raw("length")), ("time", core.seconds()),
                      ("ttl", core.raw("ttl")), ("port_src", core.raw("port_src")),
                      ("datetime", core.raw("datetime"))):
        chunk = arrow.column(name).chunks[0]
        assert chunk.buffers()[1].address == raw.ctypes.data, name
    ids = arrow.column("ip_src").chunks[0].indices.buffers()[1].address
    assert ids == core.raw("ip_src").ctypes.data  # dictionary ids, not strings
    # The Arrow data outlives the PacketTable and the engine object.
    del table, core
    gc.collect()
    assert arrow.column("length").to_numpy()[:3].tolist() == [42, 42, 98]


def test_stream_can_be_dropped_or_read_twice(sample):
    table = pcapframe.read_table(sample, columns=["length", "ip_src"])
    capsule = table.__arrow_c_stream__()
    del capsule
    gc.collect()
    first = pa.table(table)
    second = pa.RecordBatchReader.from_stream(table).read_all()
    assert first.equals(second) and first.column_names == ["length", "ip_src"]
    assert pa.table(table.select(["ip_src"])).column_names == ["ip_src"]


def test_time_zones(sample, set_tz):
    set_tz("Europe/Paris")
    naive = pcapframe.read_arrow(sample, columns=["datetime"], tz=None)
    assert naive.schema.field("datetime").type == pa.timestamp("ns")
    local = pcapframe.pcap_to_pandas(sample)["datetime"]
    assert naive.column("datetime").cast(pa.int64()).to_pylist() == local.astype("int64").tolist()
    paris = pcapframe.read_arrow(sample, columns=["datetime"], tz="Europe/Paris")
    assert paris.schema.field("datetime").type == pa.timestamp("ns", tz="Europe/Paris")
    utc = pcapframe.read_arrow(sample, columns=["datetime"])
    assert paris.column(0).cast(pa.int64()).equals(utc.column(0).cast(pa.int64()))


@pytest.mark.skipif(not have("polars"), reason="needs polars")
def test_polars_round_trip(sample, reference):
    import polars as pl

    table = pcapframe.read_table(sample)
    df = pl.DataFrame(table)
    # polars.from_arrow() turns any Arrow C stream into a Series of structs: unnest it.
    via_from_arrow = pl.from_arrow(table)
    assert via_from_arrow.struct.unnest().equals(df)
    assert df.columns == list(pcapframe.COLUMNS) and df.height == 2795
    for name in LAB:
        series = df[name]
        if name == "datetime":
            assert series.cast(pl.Int64).to_list() == reference[name].astype("int64").tolist()
            continue
        if series.dtype == pl.Categorical:
            series = series.cast(pl.String)
        assert series.to_list() == python_values(reference, name), name


@pytest.mark.skipif(not have("duckdb"), reason="needs duckdb")
def test_duckdb_reads_the_table_in_place(sample, reference):
    import duckdb

    t = pcapframe.read_table(sample)  # noqa: F841 - found by DuckDB's replacement scan
    rows = (duckdb.sql("select ip_dst, sum(length) as bytes, count(*) as n from t "
                      "where ip_dst is not null group by ip_dst order by bytes desc, ip_dst")
            .fetchall())
    # Ties (10.77.100.1 and .2 both get 282 bytes) are ordered by address on both sides.
    expected = (reference.dropna(subset=["ip_dst"]).groupby("ip_dst")["length"]
                .agg(["sum", "count"]).reset_index()
                .sort_values(["sum", "ip_dst"], ascending=[False, True]).set_index("ip_dst"))
    assert [(r[0], r[1], r[2]) for r in rows] == [
        (ip, int(s), int(n)) for ip, s, n in zip(expected.index, expected["sum"], expected["count"])]
    dns = duckdb.sql("select dns_query, count(*) from t where is_dns group by 1 "
                     "order by 2 desc, 1 limit 1").fetchall()
    counts = reference["dns_query"].value_counts()
    assert dns[0] == (counts.index[0].decode(), int(counts.iloc[0]))
    # Every lab column, value for value.
    full = duckdb.sql("select * exclude (datetime) from t").fetchall()
    names = [n for n in pcapframe.COLUMNS if n != "datetime"]
    for index, name in enumerate(names):
        if name in LAB:
            assert [row[index] for row in full] == python_values(reference, name), name


def test_write_parquet(sample, tmp_path, reference):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "sample.parquet"
    assert pcapframe.write_parquet(sample, out) is None
    table = pq.read_table(out)
    assert table.column_names == LAB and table.num_rows == 2795
    assert pa.types.is_dictionary(table.schema.field("ip_src").type)  # kept as dictionary
    back = pd.read_parquet(out)
    assert back["length"].tolist() == reference["length"].tolist()
    assert [None if pd.isna(v) else v for v in back["ip_src"]] == python_values(reference, "ip_src")
    assert (back["datetime"] == reference["datetime"]).all()
