# SPDX-License-Identifier: MIT
"""Captures as Arrow: ``PacketTable`` (the Arrow PyCapsule stream protocol), ``read_table``,
``read_arrow`` and ``write_parquet``.

A ``PacketTable`` holds the engine's columns. ``pyarrow.table(t)``, ``polars.from_arrow(t)``
and ``duckdb.sql("select ... from t")`` read it through ``__arrow_c_stream__`` (the Arrow C
stream interface): numeric columns are the engine's own buffers, and text columns are
Arrow dictionaries with one entry per distinct value.
"""

from __future__ import annotations

import os
from typing import Any, Iterable

from . import _core
from ._reading import Source, read_core, resolve_columns

__all__ = ["PacketTable", "read_table", "read_arrow", "write_parquet"]


class PacketTable:
    """A decoded capture held by the C++ engine, exported to Arrow without copying.

    Arrow types: ``datetime`` timestamp[ns] (with the zone given to ``read_table``, UTC by
    default, or naive local time with ``tz=None``), ``time``/``time_normed`` float64,
    ``is_dns`` bool, ``length``/``caplen`` and the lab's integer columns int64 (null when
    missing), the narrower extra fields in their own width (``ttl`` int16, ``vlan_id``
    int32, ``ip_version`` uint8, ...), and every text column dictionary<int32|int8, utf8>.
    DNS names are display text: valid UTF-8, with control bytes and invalid UTF-8 escaped
    as ``\\xNN`` and a backslash as ``\\\\`` (as in the CLI's CSV and JSON output).
    """

    def __init__(self, table: _core.Table, columns: list[str], *, tz: Any = "UTC",
                 naive_local: bool = False) -> None:
        self._table = table
        self._columns = list(columns)
        self._naive_local = naive_local or tz is None
        self._zone = "" if self._naive_local else _zone_name(tz)

    @property
    def num_rows(self) -> int:
        return int(self._table.rows)

    def __len__(self) -> int:
        return self.num_rows

    @property
    def column_names(self) -> list[str]:
        return list(self._columns)

    @property
    def info(self) -> dict[str, Any]:
        """What the capture's header says: format, link type, snaplen, resolution, ..."""
        return dict(self._table.info)

    @property
    def warnings(self) -> list[str]:
        """The problems lax reading tolerated (also emitted as CaptureWarning)."""
        return [message for _, _, _, message in self._table.warnings]

    def select(self, columns: Iterable[str]) -> "PacketTable":
        """The same capture with fewer (already read) columns; nothing is copied."""
        names = resolve_columns(columns)
        missing = [name for name in names if name not in self._columns]
        if missing:
            raise ValueError(f"column(s) not read: {', '.join(missing)}")
        out = PacketTable.__new__(PacketTable)
        out._table, out._columns = self._table, names
        out._naive_local, out._zone = self._naive_local, self._zone
        return out

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export the table as an Arrow C stream (a PyCapsule), without copying its columns.

        ``requested_schema`` is ignored: the types are the table's own (see the class doc).
        """
        return self._table.arrow_c_stream(self._columns, self._naive_local, self._zone)

    def to_arrow(self) -> Any:
        """Return a ``pyarrow.Table`` (zero-copy for the numeric columns)."""
        import pyarrow as pa

        return pa.RecordBatchReader.from_stream(self).read_all()

    def to_pandas(self, *, tz: Any = None, strings: str = "default",
                  dtype_backend: str | None = None) -> Any:
        """Return a DataFrame, with the options of ``read_pcap`` (naive local time by default)."""
        from .frames import frame_from_table

        return frame_from_table(self._table, self._columns, tz=tz, strings=strings,
                                dtype_backend=dtype_backend)

    def __repr__(self) -> str:
        zone = "naive local" if self._naive_local else self._zone
        return (f"<pcapframe.PacketTable {self._table.info['name']!r}: {self.num_rows} rows, "
                f"{len(self._columns)} columns, datetime {zone}>")


def _zone_name(tz: Any) -> str:
    key = getattr(tz, "key", None)  # zoneinfo.ZoneInfo
    name = key if key is not None else str(tz)
    if not name:
        raise ValueError(f"cannot name the time zone {tz!r}")
    return name


def read_table(path: Source, *, columns: str | Iterable[str] | None = None, tz: Any = "UTC",
               strict: bool = False, filter: str | None = None,
               progress: bool = False) -> PacketTable:
    """Read a capture into a ``PacketTable`` (see its doc for the Arrow types).

    ``path`` is a path, the bytes of a capture or a binary file object, as in
    ``read_pcap``. ``columns``, ``strict``, ``filter`` and ``progress`` as in ``read_pcap``
    (all columns by default); ``tz`` tags ``datetime`` with a zone (the instants stay UTC,
    as Arrow stores them), or None for naive local wall time.
    """
    return _read(path, columns, tz=tz, strict=strict, filter=filter, progress=progress)


def read_arrow(path: Source, *, columns: str | Iterable[str] | None = None, tz: Any = "UTC",
               strict: bool = False, filter: str | None = None,
               progress: bool = False) -> Any:
    """Read a capture into a ``pyarrow.Table``; the options of ``read_table``."""
    return _read(path, columns, tz=tz, strict=strict, filter=filter,
                 progress=progress).to_arrow()


def write_parquet(pcap_path: Source, parquet_path: str | os.PathLike[str], *,
                  columns: str | Iterable[str] | None = "lab", tz: Any = "UTC",
                  strict: bool = False, filter: str | None = None,
                  progress: bool = False, **kwargs: Any) -> None:
    """Parse a capture and save it as Parquet: the modern successor of
    ``parse_and_save_pcap``'s pickle, readable by pandas, polars, DuckDB and Spark.

    ``columns`` defaults to the lab's 18; ``kwargs`` go to ``pyarrow.parquet.write_table``
    (``compression="zstd"`` unless given). Text columns stay dictionary-encoded.
    """
    import pyarrow.parquet as pq

    table = _read(pcap_path, columns, tz=tz, strict=strict, filter=filter,
                  progress=progress).to_arrow()
    kwargs.setdefault("compression", "zstd")
    pq.write_table(table, os.fspath(parquet_path), **kwargs)


def _read(source: Source, columns: str | Iterable[str] | None, *, tz: Any, strict: bool,
          filter: str | None, progress: bool) -> PacketTable:
    # Called from the public functions above: warnings point at their caller.
    names = resolve_columns(columns)
    table = read_core(source, names, strict=strict, filter=filter, progress=progress,
                      stacklevel=4)
    return PacketTable(table, names, tz=tz)
