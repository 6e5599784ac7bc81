# SPDX-License-Identifier: MIT
"""Captures as pandas DataFrames: the lab's ``pcap_to_pandas`` and ``send_rates``, and
``read_pcap`` for column selection, time zones, categorical and stable dtypes.

How the columns are built (no Python work per row):

* numeric columns are the engine's own buffers, viewed by numpy without a copy (``length``,
  ``time``, ``time_normed``, ``datetime``, and the integer columns when nothing is missing);
* text columns arrive dictionary-encoded (a 32-bit id per row, each distinct value once):
  one Python object is made per distinct value, then numpy (or Arrow) takes by the ids;
* ``datetime`` comes from the nanosecond timestamps; local time is computed in C++, asking
  the C library once per quarter hour of capture time.
"""

from __future__ import annotations

import operator
from typing import Any, Iterable, Iterator, Literal

import numpy as np
import pandas as pd

from . import _core
from ._reading import (LAB_COLUMNS, ProgressBar, Source, open_reader, read_chunk, read_core,
                       resolve_columns)

__all__ = ["iter_batches", "pcap_to_pandas", "read_pcap", "send_rates"]

#: Rows per DataFrame of ``iter_batches`` unless asked otherwise.
DEFAULT_BATCH_ROWS = 1_000_000

StringsMode = Literal["default", "category", "arrow"]
DtypeBackend = Literal["numpy_nullable", "pyarrow"]

_TRANSPORT_NAMES: list[str] = list(_core.transport_names())
_ANOMALY_NAMES: list[str] = list(_core.anomaly_names())

# Columns whose text comes from a dictionary, and where its ids live.
_TEXT_COLUMNS = {"ip_src", "ip_dst", "mac_src", "mac_dst", "protocol", "anomaly",
                 "dns_query", "dns_resp"}
# Integer columns that can be missing, with the native dtype the engine stores.
_NULLABLE_INTS = {"ip_src_int", "ip_dst_int", "mac_src_int", "mac_dst_int", "port_src",
                  "port_dst", "ip_version", "ttl", "ip_proto", "tcp_flags", "icmp_type",
                  "icmp_code", "vlan_id"}
_PLAIN_INTS = {"length", "caplen", "link_type", "interface"}
# The lab's nullable integer columns, which the engine can write as float64 with NaN.
_LAB_NULLABLE_INTS = {"ip_src_int", "ip_dst_int", "mac_src_int", "mac_dst_int", "port_src",
                      "port_dst"}


def pcap_to_pandas(pcap_file: Source, *, filter: str | None = None,
                   progress: bool = False) -> pd.DataFrame:
    """Parse a capture into a DataFrame with one row per frame: the lab helper's 18 columns.

    Columns, in order: datetime, dns_query, dns_resp, ip_dst, ip_dst_int, ip_src,
    ip_src_int, is_dns, length, mac_dst, mac_dst_int, mac_src, mac_src_int, port_dst,
    port_src, protocol, time, time_normed. Dtypes are what pandas infers from the helper's
    values: ``datetime`` datetime64[ns] (naive local time, like ``datetime.fromtimestamp``),
    text columns ``object`` under pandas 2 and ``str`` under pandas 3, DNS names ``bytes``
    objects with a trailing dot, integers ``int64`` when never missing and ``float64``
    with NaN otherwise, ``is_dns`` bool, ``time``/``time_normed`` float64 seconds.

    Unlike the lab helper, every frame is a row (it dropped non-Ethernet-II frames), IPv6
    packets have their addresses, ``length`` is the length on the wire, and ``datetime``
    keeps the capture's full precision.

    ``pcap_file`` is a path (``"-"``: standard input), the bytes of a capture (read in
    place), or a binary file object (``open(..., "rb")``, ``io.BytesIO``,
    ``sys.stdin.buffer``, a pipe), read in chunks. ``filter`` keeps only the packets that
    match a BPF expression (tcpdump syntax, e.g. ``"tcp port 80"``; a bad one raises
    ValueError); ``progress=True`` shows a tqdm progress bar.
    """
    table = read_core(pcap_file, list(LAB_COLUMNS), filter=filter, progress=progress)
    return frame_from_table(table, list(LAB_COLUMNS))


def read_pcap(path: Source, *, columns: str | Iterable[str] | None = None,
              tz: Any = None, strings: StringsMode = "default",
              dtype_backend: DtypeBackend | None = None,
              strict: bool = False, filter: str | None = None,
              progress: bool = False, names: bool = False, resolve: bool = False,
              dns_server: str | None = None,
              resolve_timeout: float | str = 2.0) -> pd.DataFrame:
    """Read a capture into a DataFrame, with more control.

    ``path`` is a path (``"-"``: standard input), the bytes of a capture (``bytes``,
    ``bytearray``, ``memoryview``, ``mmap``: read in place, without a copy), or a binary
    file object (``open(..., "rb")``, ``io.BytesIO``, ``sys.stdin.buffer``, a pipe): read in
    chunks of about 1 MiB with its ``readinto``, never whole. pcap, pcapng and gzip, zstd
    or lz4 compressed captures are recognised by their first bytes.

    Args:
      columns: names from ``pcapframe.COLUMNS``, ``"lab"`` (the 18 of ``pcap_to_pandas``)
        or ``"all"`` (default): the lab's columns plus ``caplen``, ``ip_version``,
        ``ttl``, ``ip_proto``, ``tcp_flags``, ``icmp_type``, ``icmp_code``, ``vlan_id``,
        ``link_type``, ``interface`` and ``anomaly``. Columns not asked for are not built
        by the engine at all.
      tz: None for naive local time (like the lab), or a time zone (``"UTC"``,
        ``"Europe/Paris"``, a tzinfo) for a timezone-aware ``datetime``.
      strings: ``"default"``: Python objects as pandas infers them (``object`` under
        pandas 2, ``str`` under pandas 3; DNS names as bytes); ``"category"``: pandas
        Categoricals built from the engine's dictionaries (ip_src/ip_dst, mac_src/mac_dst
        and dns_query/dns_resp share their categories, so they compare); ``"arrow"``:
        ``pd.ArrowDtype(pa.string())``, DNS names as display text.
      dtype_backend: None for the lab's dtypes (integers float64 when something is
        missing); ``"numpy_nullable"`` for stable pandas nullable dtypes (``Int64``,
        ``Int16``, ..., ``boolean``, ``string``) that are the same for every capture;
        ``"pyarrow"`` for ``pd.ArrowDtype`` columns from the engine's Arrow export.
      strict: raise ``CorruptCaptureError`` on a truncated or corrupt capture instead of
        returning the rows before the damage with a ``CaptureWarning``.
      filter: a BPF expression (tcpdump syntax: ``"tcp port 80"``, ``"udp port 53"``,
        ``"host 10.0.0.1 and not icmp"``), compiled by libpcap; only the packets that match
        become rows (``time_normed`` still counts from the first packet that matched). A bad
        expression raises ValueError with libpcap's message.
      progress: show a tqdm progress bar of the bytes read (in a notebook or a terminal).
      names: add ``name_src`` and ``name_dst`` (after the other columns): the name the
        trace's own DNS answers (and pcapng name records) give each address, as
        ``pcapframe.names()`` lists them, found in the same pass; None where the address
        is unnamed or absent. One string per distinct address, taken by the rows' ids.
      resolve: with ``names=True``, also look up PTR names for the addresses the trace does
        not name (never on by default: it sends the capture's addresses to a DNS server),
        through ``dns_server`` (``"HOST[:PORT]"``; default /etc/resolv.conf), waiting at
        most ``resolve_timeout`` seconds per lookup (see ``pcapframe.names``).
    """
    selected = resolve_columns(columns)
    _check_options(strings, dtype_backend)
    if names or resolve:  # analyses.py: the names are found in the same pass
        if not names:
            raise ValueError("resolve=True looks up names for names=True: pass both")
        from .analyses import name_columns, read_with_names

        table, lookup = read_with_names(path, selected, strict=strict, filter=filter,
                                        progress=progress, resolve=resolve,
                                        dns_server=dns_server, resolve_timeout=resolve_timeout,
                                        resolve_concurrency=32)
        frame = frame_from_table(table, selected, tz=tz, strings=strings,
                                 dtype_backend=dtype_backend)
        for column, values in name_columns(table, lookup, strings=strings,
                                           dtype_backend=dtype_backend).items():
            frame[column] = values
        return frame
    table = read_core(path, selected, strict=strict, filter=filter, progress=progress)
    return frame_from_table(table, selected, tz=tz, strings=strings, dtype_backend=dtype_backend)


def iter_batches(source: Source, *, batch_rows: int = DEFAULT_BATCH_ROWS,
                 columns: str | Iterable[str] | None = None, tz: Any = None,
                 strings: StringsMode = "default", dtype_backend: DtypeBackend | None = None,
                 strict: bool = False, filter: str | None = None,
                 progress: bool = False) -> Iterator[pd.DataFrame]:
    """Read a capture as a series of DataFrames of at most ``batch_rows`` rows, in bounded
    memory: only one batch is decoded at a time, whatever the capture's size.

    The options are ``read_pcap``'s (``columns="lab"`` gives ``pcap_to_pandas``'s 18), and
    each batch is what ``read_pcap`` gives for its rows, with two continuities: the index
    counts on from one batch to the next, and ``time_normed`` counts from the capture's
    first frame. ``pd.concat`` of the batches therefore equals ``read_pcap`` of the whole
    capture, value for value.

    Dtypes follow ``read_pcap``'s rule per batch: with the default ``dtype_backend=None`` an
    integer column that misses a value *in this batch* is float64 (int64 otherwise), and a
    text column with no value at all in the batch is ``object``; with
    ``strings="category"`` each batch has its own categories. For the same dtypes in every
    batch (what a concatenation, Parquet writer or Dask needs), pass
    ``dtype_backend="numpy_nullable"`` or ``"pyarrow"``.

    Warnings of lax reading come with the batch where the problem was met; in strict mode
    the error is raised when it is reached (the batches before it were already yielded).
    """
    try:
        rows = operator.index(batch_rows)
    except TypeError:
        rows = 0
    if isinstance(batch_rows, bool) or rows < 1:
        raise ValueError(f"batch_rows must be a positive integer, not {batch_rows!r}")
    names = resolve_columns(columns)
    _check_options(strings, dtype_backend)
    return _batches(source, rows, names, tz=tz, strings=strings,
                    dtype_backend=dtype_backend, strict=strict, filter=filter,
                    progress=progress)


def _batches(source: Source, batch_rows: int, names: list[str], *, tz: Any, strings: str,
             dtype_backend: str | None, strict: bool, filter: str | None,
             progress: bool) -> Iterator[pd.DataFrame]:
    # A generator behind a plain function, so that bad arguments and an unreadable source
    # raise at the call rather than at the first next().
    reader, path = open_reader(source, names, strict=strict, filter=filter)
    bar = ProgressBar.start(progress, reader)

    def generate() -> Iterator[pd.DataFrame]:
        start = 0
        try:
            while not reader.done:
                table = read_chunk(reader, path, batch_rows, progress=bar)
                if table.rows == 0 and start > 0:
                    break  # the end fell on a batch boundary
                frame = frame_from_table(table, names, tz=tz, strings=strings,
                                         dtype_backend=dtype_backend)
                frame.index = pd.RangeIndex(start, start + len(frame))
                start += len(frame)
                del table
                yield frame
        finally:
            reader.close()
            if bar is not None:
                bar.close()

    return generate()


def send_rates(data: Any, window_len_sec: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the send rate (bytes/s) of consecutive windows of ``window_len_sec`` seconds.

    ``data`` has ``time`` (seconds) and ``length`` columns, like the DataFrame of
    ``pcap_to_pandas``. Windows start at the first timestamp and follow each other without
    gaps; an empty window has rate 0. Returns ``(rates, times)``: numpy arrays of each
    window's summed lengths divided by ``window_len_sec``, and each window's start time.

    Same contract as the lab's helper, with two fixes: every packet is counted (the lab's
    loop dropped packets stamped exactly at the start of the final window), and a capture
    whose packets all share one timestamp gives one window (the lab's gave none). Window
    starts are computed as the lab did, by adding ``window_len_sec`` repeatedly, so the
    ``times`` agree with it to the last bit.
    """
    window = float(window_len_sec)
    if not window > 0:
        raise ValueError("window_len_sec must be positive")
    times = np.asarray(data["time"], dtype=np.float64)
    lengths = np.asarray(data["length"], dtype=np.float64)
    if times.size == 0:
        return np.zeros(0), np.zeros(0)
    first, last = float(times.min()), float(times.max())
    # Window starts first, first+w, (first+w)+w, ...: a sequential running sum, as the lab's
    # `end_time = curr_time + window_len_sec`. Grow it until it passes the last packet.
    count = int((last - first) // window) + 2
    starts = np.add.accumulate(np.concatenate(([first], np.full(count, window))))
    while starts[-1] <= last:
        more = np.add.accumulate(np.concatenate(([starts[-1]], np.full(count, window))))
        starts = np.concatenate((starts, more[1:]))
    windows = int(np.searchsorted(starts, last, side="right"))  # starts <= last
    index = np.searchsorted(starts, times, side="right") - 1
    sums = np.bincount(index, weights=lengths, minlength=windows)[:windows]
    return sums / window, starts[:windows]


# ---- building the DataFrame ----


def _check_options(strings: str, dtype_backend: str | None) -> None:
    if strings not in ("default", "category", "arrow"):
        raise ValueError(f"strings must be 'default', 'category' or 'arrow', not {strings!r}")
    if dtype_backend not in (None, "numpy_nullable", "pyarrow"):
        raise ValueError("dtype_backend must be None, 'numpy_nullable' or 'pyarrow', "
                         f"not {dtype_backend!r}")


def frame_from_table(table: _core.Table, names: list[str], *, tz: Any = None,
                     strings: str = "default", dtype_backend: str | None = None) -> pd.DataFrame:
    """Build a DataFrame of ``names`` from an engine table (without a copy where possible)."""
    _check_options(strings, dtype_backend)
    if dtype_backend == "pyarrow":
        return _arrow_frame(table, names, tz=tz, strings=strings)
    builder = _ColumnBuilder(table, tz=tz, strings=strings, nullable=dtype_backend is not None)
    builder.prepare(names)
    data = {name: builder.column(name) for name in names}
    return pd.DataFrame(data, columns=names, copy=False)


class _ColumnBuilder:
    def __init__(self, table: _core.Table, *, tz: Any, strings: str, nullable: bool) -> None:
        self.table = table
        self.tz = tz
        self.strings = strings
        self.nullable = nullable  # dtype_backend="numpy_nullable"
        self._addresses: list[Any] | None = None
        self._names: list[Any] | None = None
        self._macs: list[Any] | None = None
        self._inferred: dict[tuple[bool, bool], Any] = {}  # what pandas infers for text
        self._routes: dict[str, tuple[str, Any]] = {}
        self._filled: dict[str, np.ndarray] = {}

    def prepare(self, names: list[str]) -> None:
        """Have the engine write the columns it derives (times, Arrow-backed text) into slices
        of one numpy buffer. One large allocation gets transparent huge pages from numpy (it
        advises them from 4 MiB); a fresh 4 KiB page per column costs much more to fault in
        (about a quarter of pcap_to_pandas' time on the project's VM, bench/python_bench.py)."""
        t = self.table
        rows = int(t.rows)
        plan: list[tuple[str, Any, int]] = []
        if "datetime" in names and self.tz is None:
            plan.append(("datetime", np.int64, rows))
        plan += [(name, np.float64, rows) for name in ("time", "time_normed") if name in names]
        if not self.nullable:
            # The lab's rule: float64 with NaN when a value is missing (else int64, a view).
            plan += [(name, np.float64, rows) for name in names
                     if name in _LAB_NULLABLE_INTS and t.count_missing(name) > 0]
        for name in names:
            if name in _TEXT_COLUMNS and self.text_route(name)[0] == "arrow":
                plan.append((name + ":offsets", np.int64, rows + 1))
                plan.append((name + ":bytes", np.uint8, int(t.text_size(name))))
        self._filled = _carve(plan)
        for key, out in self._filled.items():
            if key.endswith(":offsets"):
                name = key[: -len(":offsets")]
                t.fill_text(name, out, self._filled[name + ":bytes"])
            elif not key.endswith(":bytes"):
                t.fill(key, out)

    # Dictionaries, one Python object per distinct value, fetched once per frame.
    def dictionary(self, name: str) -> list[Any]:
        t = self.table
        if name in ("ip_src", "ip_dst"):
            if self._addresses is None:
                self._addresses = t.address_text()
            return self._addresses
        if name in ("mac_src", "mac_dst"):
            if self._macs is None:
                self._macs = t.mac_text()
            return self._macs
        if name in ("dns_query", "dns_resp"):
            if self._names is None:
                self._names = t.dns_names_display() if self.dns_as_text else t.dns_names()
            return self._names
        if name == "protocol":
            return _TRANSPORT_NAMES
        return _ANOMALY_NAMES

    @property
    def dns_as_text(self) -> bool:
        # Bytes like the lab where pandas keeps Python objects; text for string dtypes.
        return self.strings == "arrow" or self.nullable

    def ids(self, name: str) -> np.ndarray:
        t = self.table
        if name in ("mac_src", "mac_dst"):
            return t.mac_ids(name == "mac_src")
        return t.raw(name)

    def column(self, name: str) -> Any:
        t = self.table
        if name in self._filled:  # times, datetime (naive local), ints with NaN
            values = self._filled[name]
            return values.view("M8[ns]") if name == "datetime" else values
        if name == "datetime":
            return self.datetime()
        if name == "time":
            return t.seconds()
        if name == "time_normed":
            return t.seconds_normed()
        if name == "is_dns":
            flags = t.raw("is_dns").view(np.bool_)
            if self.nullable:
                return pd.arrays.BooleanArray(flags, np.zeros(flags.shape, dtype=np.bool_))
            return flags
        if name in _TEXT_COLUMNS:
            return self.text(name)
        if name in ("ip_src_int", "ip_dst_int"):
            values = t.ip_int(name == "ip_src_int")
        else:
            values = t.raw(name)
        if name in _PLAIN_INTS:
            if self.nullable:
                return pd.arrays.IntegerArray(values, np.zeros(values.shape, dtype=np.bool_))
            return values if values.dtype == np.int64 else values.astype(np.int64)
        missing = values == 0 if name == "ip_version" else values < 0
        if self.nullable:
            return pd.arrays.IntegerArray(values, missing)
        return _int_or_float(values, missing)

    def datetime(self) -> Any:
        t = self.table
        if self.tz is None:
            return t.local_ns().view("M8[ns]")
        utc = pd.Series(t.raw("datetime").view("M8[ns]"), copy=False).dt.tz_localize("UTC")
        return utc.dt.tz_convert(self.tz).array

    def text_route(self, name: str) -> tuple[str, Any]:
        """How text column ``name`` is built: ``("category", None)``, ``("arrow", dtype)``
        from the engine's text buffers (dtype ``"arrow"`` for ``pd.ArrowDtype(pa.string())``),
        ``("objects", dtype)`` from an object array (dtype None: keep it ``object``), or
        ``("bytes", None)`` for DNS names as the lab's bytes objects."""
        if name in self._routes:
            return self._routes[name]
        is_bytes = name in ("dns_query", "dns_resp") and not self.dns_as_text
        if self.strings == "category":
            route: tuple[str, Any] = ("category", None)
        elif self.strings == "arrow":
            route = ("arrow", "arrow")
        elif self.nullable:
            route = _string_route(pd.StringDtype())
        elif is_bytes:
            route = ("bytes", None)
        else:
            # What pandas infers from the helper's Python values: str/None -> object
            # (pandas 2) or str (pandas 3); all None -> object.
            ids = self.ids(name)
            present = ids != 0
            first = int(present.argmax()) if ids.size else 0
            has_value = bool(ids.size and present[first])
            key = (has_value, not present.all())
            if key not in self._inferred:  # the same answer for every text column
                values = self.dictionary(name)
                sample = ([values[ids[first]]] if has_value else []) + ([None] if key[1] else [])
                self._inferred[key] = pd.Series(sample, dtype=None if sample else object).dtype
            target = self._inferred[key]
            route = ("objects", None) if target == np.dtype(object) else _string_route(target)
        self._routes[name] = route
        return route

    def text(self, name: str) -> Any:
        route, dtype = self.text_route(name)
        ids = self.ids(name)
        if route == "arrow":
            array = self.arrow_text(name, ids)
            if isinstance(dtype, str) and dtype == "arrow":
                import pyarrow as pa

                return pd.arrays.ArrowExtensionArray(array.cast(pa.string()))
            return pd.array(array, dtype=dtype)
        values = self.dictionary(name)
        if route == "category":
            is_bytes = name in ("dns_query", "dns_resp") and not self.dns_as_text
            codes = ids.astype(np.int32) - 1  # id 0 (missing) becomes code -1
            categories = pd.Index(values[1:], dtype=object) if is_bytes else values[1:]
            return pd.Categorical.from_codes(codes, categories=categories, validate=False)
        objects = _take_objects(ids, values)
        return objects if dtype is None else pd.array(objects, dtype=dtype)

    def arrow_text(self, name: str, ids: np.ndarray) -> Any:
        """Text column ``name`` as a ``pyarrow.LargeStringArray`` (null where the id is 0),
        over the offsets and bytes the engine wrote in one pass: no Arrow take or cast."""
        import pyarrow as pa

        offsets = self._filled.get(name + ":offsets")
        data = self._filled.get(name + ":bytes")
        if offsets is None or data is None:
            offsets = np.empty(ids.size + 1, dtype=np.int64)
            data = np.empty(int(self.table.text_size(name)), dtype=np.uint8)
            self.table.fill_text(name, offsets, data)
        present = ids != 0
        nulls = int(ids.size - np.count_nonzero(present))
        bitmap = pa.py_buffer(np.packbits(present, bitorder="little")) if nulls else None
        return pa.LargeStringArray.from_buffers(int(ids.size), pa.py_buffer(offsets),
                                                pa.py_buffer(data), bitmap, nulls)


def _string_route(dtype: Any) -> tuple[str, Any]:
    """A pandas string dtype is built from Arrow buffers when it is Arrow-backed (and pyarrow
    is there), else from an object array."""
    if getattr(dtype, "storage", None) == "pyarrow" and _have_pyarrow():
        return ("arrow", dtype)
    return ("objects", dtype)


def _have_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _carve(plan: list[tuple[str, Any, int]]) -> dict[str, np.ndarray]:
    """Arrays of ``(key, dtype, length)``, each 64-byte aligned within one numpy buffer."""
    layout, total = [], 0
    for key, dtype, count in plan:
        nbytes = np.dtype(dtype).itemsize * count
        layout.append((key, dtype, total, nbytes))
        total += -(-nbytes // 64) * 64
    block = np.empty(total, dtype=np.uint8)
    return {key: block[start:start + nbytes].view(dtype)
            for key, dtype, start, nbytes in layout}


def _int_or_float(values: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """The lab's rule: int64 when nothing is missing, else float64 with NaN."""
    if not missing.any():
        return values if values.dtype == np.int64 else values.astype(np.int64)
    out = values.astype(np.float64)
    out[missing] = np.nan
    return out


def _take_objects(ids: np.ndarray, values: list[Any]) -> np.ndarray:
    """An object array of ``values[id]`` per row, None for id 0: numpy takes, per row it
    only copies a pointer to one of the distinct objects."""
    lookup = np.empty(len(values), dtype=object)
    lookup[:] = values
    lookup[0] = None
    return lookup[ids]


def _arrow_frame(table: _core.Table, names: list[str], *, tz: Any, strings: str) -> pd.DataFrame:
    """dtype_backend="pyarrow": every column an ArrowDtype, from the engine's Arrow export."""
    import pyarrow as pa

    from .tables import PacketTable

    arrow = PacketTable(table, names, tz=tz).to_arrow()  # tz None: naive local time
    data = {}
    for name, column in zip(arrow.column_names, arrow.columns):
        if pa.types.is_dictionary(column.type):
            if strings == "category":
                data[name] = column.to_pandas()
                continue
            column = column.cast(pa.string())
        data[name] = pd.arrays.ArrowExtensionArray(column)
    return pd.DataFrame(data, columns=names, copy=False)
