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

from typing import Any, Iterable, Literal

import numpy as np
import pandas as pd

from . import _core
from ._reading import LAB_COLUMNS, Source, read_core, resolve_columns

__all__ = ["pcap_to_pandas", "read_pcap", "send_rates"]

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


def pcap_to_pandas(pcap_file: Source) -> pd.DataFrame:
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
    """
    table = read_core(pcap_file, list(LAB_COLUMNS))
    return frame_from_table(table, list(LAB_COLUMNS))


def read_pcap(path: Source, *, columns: str | Iterable[str] | None = None,
              tz: Any = None, strings: StringsMode = "default",
              dtype_backend: DtypeBackend | None = None,
              strict: bool = False) -> pd.DataFrame:
    """Read a capture (a path, or its bytes) into a DataFrame, with more control.

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
    """
    names = resolve_columns(columns)
    _check_options(strings, dtype_backend)
    table = read_core(path, names, strict=strict)
    return frame_from_table(table, names, tz=tz, strings=strings, dtype_backend=dtype_backend)


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

    def text(self, name: str) -> Any:
        ids = self.ids(name)
        values = self.dictionary(name)
        is_bytes = name in ("dns_query", "dns_resp") and not self.dns_as_text
        if self.strings == "category":
            codes = ids.astype(np.int32) - 1  # id 0 (missing) becomes code -1
            categories = pd.Index(values[1:], dtype=object) if is_bytes else values[1:]
            return pd.Categorical.from_codes(codes, categories=categories, validate=False)
        if self.strings == "arrow":
            return _arrow_strings(ids, values, pd_dtype="arrow")
        if self.nullable:
            return _arrow_or_object(ids, values, pd.StringDtype())
        if is_bytes:
            return _take_objects(ids, values)
        # What pandas infers from the helper's Python values: str/None -> object (pandas 2)
        # or str (pandas 3); all None -> object.
        present = ids != 0
        first = int(present.argmax()) if ids.size else 0
        sample = ([values[ids[first]]] if ids.size and present[first] else []) + \
                 ([None] if not present.all() else [])
        target = pd.Series(sample, dtype=None if sample else object).dtype
        if target == np.dtype(object):
            return _take_objects(ids, values)
        return _arrow_or_object(ids, values, target)


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


def _dictionary_array(ids: np.ndarray, values: list[Any]) -> Any:
    import pyarrow as pa

    indices = ids.view(np.int32) if ids.dtype == np.uint32 else ids.astype(np.int32)
    return pa.DictionaryArray.from_arrays(pa.array(indices, mask=ids == 0),
                                          pa.array(values, type=pa.string()))


def _arrow_strings(ids: np.ndarray, values: list[Any], pd_dtype: Any) -> Any:
    import pyarrow as pa

    decoded = _dictionary_array(ids, values).cast(pa.string())
    if isinstance(pd_dtype, str) and pd_dtype == "arrow":
        return pd.arrays.ArrowExtensionArray(decoded)
    return pd.array(decoded.cast(pa.large_string()), dtype=pd_dtype)


def _arrow_or_object(ids: np.ndarray, values: list[Any], dtype: Any) -> Any:
    """A pandas string array of ``dtype``: through Arrow when it is Arrow-backed (a take on
    the dictionary in C++), else from the object array."""
    if getattr(dtype, "storage", None) == "pyarrow":
        try:
            return _arrow_strings(ids, values, dtype)
        except ImportError:
            pass
    return pd.array(_take_objects(ids, values), dtype=dtype)


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
