# SPDX-License-Identifier: MIT
"""The analyses of docs/ANALYSES.md as pandas: ``top``, ``flows``, ``direction``, ``dns``,
``rates``, ``sizes`` and ``names``.

Each one is a single streaming pass in C++ over the capture, through the very classes the
``pcapframe`` subcommands use (``include/pcapframe/analysis.hpp``), in memory bounded by
the number of distinct keys (addresses, flows, names, windows), not by the number of
packets: no packet table is built. The pass releases the GIL and Ctrl-C interrupts it, as
``read_pcap`` does; the result is a small DataFrame whose columns and numbers are those of
the subcommand's ``--csv`` output.

    >>> import pcapframe
    >>> pcapframe.top("capture.pcap", by="ip_dst", n=5)        # bytes per destination
    >>> pcapframe.flows("capture.pcap", bidirectional=True)     # conversations, A -> B / B -> A
    >>> pcapframe.names("capture.pcap")                          # address -> name, from its DNS

Every function takes the capture as ``read_pcap`` does (a path, ``"-"``, the bytes of a
capture or a binary file object), and ``filter=`` (BPF), ``strict=`` and ``progress=``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterable, Literal, Sequence

import numpy as np
import pandas as pd

from . import _core
from ._reading import Source, read_core
from .frames import _int_or_float

__all__ = ["DnsResult", "SizesResult", "TOP_KEYS", "direction", "dns", "flows", "names",
           "rates", "sizes", "top"]

#: What ``top`` can group by.
TOP_KEYS: tuple[str, ...] = ("ip_dst", "ip_src", "name_dst", "name_src", "mac_dst", "mac_src",
                             "port_dst", "port_src", "protocol", "ip_pair")
_NAME_KEYS = ("name_dst", "name_src")
_PORT_KEYS = ("port_dst", "port_src")
#: The four directions of ``direction``, in its row order.
DIRECTIONS: tuple[str, ...] = ("upload", "download", "local", "other")

Metric = Literal["bytes", "packets"]
Address = str | Iterable[str] | None

# Most lookups in flight at once (the CLI's --resolve-concurrency range).
_MAX_CONCURRENCY = 1024


# ---- top ------------------------------------------------------------------------------------


def top(source: Source, by: str = "ip_dst", metric: Metric = "bytes", n: int | None = 10, *,
        filter: str | None = None, strict: bool = False, progress: bool = False,
        resolve: bool = False, dns_server: str | None = None,
        resolve_timeout: float | str = 2.0, resolve_concurrency: int = 32) -> pd.DataFrame:
    """Bytes and packets per key, largest first: ``pcapframe top``.

    ``by``: ``ip_dst`` (default), ``ip_src``, ``name_dst``, ``name_src`` (addresses named by
    the trace's own DNS answers and pcapng name records; an address nobody named stays as
    its address, and addresses sharing a name are one row), ``mac_dst``, ``mac_src``,
    ``port_dst``, ``port_src`` (TCP and UDP together), ``protocol`` or ``ip_pair`` (both
    directions of an address pair, ``"10.0.0.1 <-> 10.0.0.2"``, smaller address first).
    ``metric``: rank by ``"bytes"`` (wire lengths) or ``"packets"``; ties by key.
    ``n``: how many rows (None: every key).

    Returns a DataFrame with the columns of ``pcapframe top --csv``: ``<by>``, ``bytes``,
    ``packets``, ``percent`` (the key's share, 0-100, of every frame's bytes or packets by
    the metric). Frames without the key (no IP, no ports) are in no row but count in the
    total, as a pandas group-by leaves out missing keys. ``df.attrs`` holds ``total_bytes``,
    ``total_packets``, ``keys`` (distinct keys, before ``n``) and ``frames_without_key``.

    ``resolve=True`` (name keys only; never on by default: it sends the capture's addresses
    to a DNS server) looks up PTR names for the addresses the trace does not name, through
    ``dns_server`` (``"HOST[:PORT]"``, ``"[IPV6]:PORT"``, comma-separated; default
    /etc/resolv.conf), one try per address with ``resolve_timeout`` (seconds, or ``"500ms"``),
    ``resolve_concurrency`` at once; ``df.attrs["lookups"]`` counts the outcomes.
    """
    if by not in TOP_KEYS:
        raise ValueError(f"by must be one of {', '.join(TOP_KEYS)}, not {by!r}")
    if metric not in ("bytes", "packets"):
        raise ValueError(f"metric must be 'bytes' or 'packets', not {metric!r}")
    limit = _limit(n)
    by_name = by in _NAME_KEYS
    if resolve and not by_name:
        raise ValueError("resolve=True names keys: use it with by='name_dst' or by='name_src'")
    resolver = _resolver_options(dns_server, resolve_timeout, resolve_concurrency) if resolve else None
    analysis = _core.TopAnalysis(by, metric)
    named = _core.NamesAnalysis() if by_name else None
    _scan(source, [analysis, named], strict=strict, filter=filter, progress=progress)
    lookups = None
    if resolver is not None and named is not None:
        lookups = named.resolve(analysis.address_keys(), *resolver)
    r = analysis.result(named)
    keys: Any = r["key"]
    if by in _PORT_KEYS:
        keys = np.array([int(k) for k in keys], dtype=np.int64)
    elif not keys:
        keys = np.array([], dtype=object)
    frame = pd.DataFrame({by: keys, "bytes": r["bytes"], "packets": r["packets"],
                          "percent": r["percent"]})
    attrs = {"by": by, "metric": metric, "total_bytes": int(r["total_bytes"]),
             "total_packets": int(r["total_packets"]), "keys": len(frame),
             "frames_without_key": int(r["total_packets"]) - int(frame["packets"].sum())}
    if lookups is not None:
        attrs["lookups"] = dict(lookups)
    if limit is not None:
        frame = frame.iloc[:limit].copy()
    frame.attrs.update(attrs)
    return frame


# ---- flows ----------------------------------------------------------------------------------


def flows(source: Source, bidirectional: bool = False, names: bool = False,
          n: int | None = None, *, filter: str | None = None, strict: bool = False,
          progress: bool = False, resolve: bool = False, dns_server: str | None = None,
          resolve_timeout: float | str = 2.0, resolve_concurrency: int = 32) -> pd.DataFrame:
    """The lab's unique flows, or conversations: ``pcapframe flows``.

    A flow is (source address, destination address, source port, destination port, IP
    protocol) over IP frames, with packets, bytes (wire lengths), first and last time and
    duration. Frames without ports (ICMP, later IP fragments, other protocols) form flows of
    their own per address pair and protocol. Ordered by bytes, largest first (ties by first
    time, then by the endpoints); ``n`` keeps the first n (None: all).

    Columns (``pcapframe flows --csv``): ``ip_src, port_src, ip_dst, port_dst, protocol,
    ip_proto, packets, bytes, first_time, last_time, duration``. Times are epoch seconds
    (float64, the same doubles as the ``time`` column of ``pcap_to_pandas``), duration is
    ``last_time - first_time`` computed exactly. Ports follow ``pcap_to_pandas``'s rule:
    int64, or float64 with NaN when some flow has none. ``protocol`` is 'TCP', 'UDP',
    'ICMP' or missing (``ip_proto`` says which).

    ``bidirectional=True`` joins both directions into conversations, Wireshark's rule:
    endpoint A is the sender of the conversation's first frame (file order), B the other
    end. Columns: ``address_a, port_a, address_b, port_b, protocol, ip_proto, packets_ab,
    bytes_ab, packets_ba, bytes_ba, packets, bytes, first_time, last_time, duration``.

    ``names=True`` adds ``name_src``/``name_dst`` (``name_a``/``name_b``): the names the
    trace's own DNS answers give the addresses (None when unnamed). ``resolve=True`` adds
    PTR lookups for the listed addresses still unnamed (see ``top``; implies names).
    ``df.attrs["flows"]`` is the number of flows before ``n``.
    """
    limit = _limit(n)
    with_names = bool(names or resolve)
    resolver = _resolver_options(dns_server, resolve_timeout, resolve_concurrency) if resolve else None
    analysis = _core.FlowAnalysis(bool(bidirectional))
    named = _core.NamesAnalysis() if with_names else None
    _scan(source, [analysis, named], strict=strict, filter=filter, progress=progress)
    lookups = None
    if resolver is not None and named is not None:
        lookups = named.resolve(analysis.addresses(limit), *resolver)
    r = analysis.result(limit)
    a, pa_, b, pb = (("address_a", "port_a", "address_b", "port_b") if bidirectional
                     else ("ip_src", "port_src", "ip_dst", "port_dst"))
    data: dict[str, Any] = {
        a: _text(r["src"]), pa_: _int_or_float(r["port_src"], r["port_src"] < 0),
        b: _text(r["dst"]), pb: _int_or_float(r["port_dst"], r["port_dst"] < 0),
        "protocol": _text(r["protocol"]), "ip_proto": r["ip_proto"],
    }
    if bidirectional:
        for column in ("packets_ab", "bytes_ab", "packets_ba", "bytes_ba"):
            data[column] = r[column]
    for column in ("packets", "bytes", "first_time", "last_time", "duration"):
        data[column] = r[column]
    if named is not None:
        side_a, side_b = ("name_a", "name_b") if bidirectional else ("name_src", "name_dst")
        data[side_a] = _text(named.names_for(r["src"]))
        data[side_b] = _text(named.names_for(r["dst"]))
    frame = pd.DataFrame(data)
    frame.attrs.update({"bidirectional": bool(bidirectional), "flows": int(r["flows"])})
    if lookups is not None:
        frame.attrs["lookups"] = dict(lookups)
    return frame


# ---- direction ------------------------------------------------------------------------------


def direction(source: Source, local: Address = None, *, filter: str | None = None,
              strict: bool = False, progress: bool = False) -> pd.DataFrame:
    """Upload vs download for a local host: ``pcapframe direction``.

    ``local``: an address or prefix (``"192.168.1.58"``, ``"10.0.0.0/8"``, ``"fd77::/64"``)
    or a list of them. None: found automatically, as the private address (RFC 1918, RFC
    4193, link-local, loopback) that appears as source or destination in the most frames
    (ties: the smaller address text); a dual-stack host has two addresses, so pass both to
    count its IPv4 and IPv6 traffic together.

    Returns a DataFrame indexed by ``direction``: ``upload`` (local -> elsewhere),
    ``download`` (elsewhere -> local), ``local`` (local -> local) and ``other`` (neither end
    local, or no IP layer); every frame is in exactly one row. Columns ``packets``,
    ``bytes`` (wire lengths) and ``percent`` (share of all bytes, 0-100). ``df.attrs``
    holds ``local`` (the addresses used, a list; empty when the capture has no private
    address) and ``automatic`` (True when they were found automatically). These are the
    numbers of the one wide row of ``pcapframe direction --csv``.
    """
    analysis = _core.DirectionAnalysis(_addresses(local))
    _scan(source, [analysis], strict=strict, filter=filter, progress=progress)
    r = analysis.result()
    packets = np.array(r["packets"], dtype=np.int64)
    volume = np.array(r["bytes"], dtype=np.int64)
    total = float(volume.sum())
    percent = 100.0 * volume.astype(np.float64) / total if total else np.zeros(4)
    frame = pd.DataFrame({"packets": packets, "bytes": volume, "percent": percent},
                         index=pd.Index(list(DIRECTIONS), name="direction"))
    frame.attrs.update({"local": list(r["local"]), "automatic": bool(r["automatic"])})
    return frame


# ---- dns ------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class DnsResult:
    """What ``dns()`` returns: the counts and three tables.

    - ``summary``: ``messages``, ``queries`` (QR = 0), ``responses`` (QR = 1),
      ``distinct_names``, ``unanswered`` (totals, before ``n``);
    - ``names``: ``name`` (the first question's name, display text with a trailing dot),
      ``queries`` (how often it was asked), ``answers`` (a list of the distinct answers
      seen for it: ``"A 10.0.0.1"``, ``"AAAA fd77::2"``, ``"CNAME web.x."``, ``"PTR h.x."``);
      most queried first, ties by name;
    - ``rcodes``: ``rcode``, ``name`` (``NOERROR``, ``NXDOMAIN``, ..., ``RCODE<n>``),
      ``responses``; by code;
    - ``unanswered``: ``time`` (epoch seconds), ``client``, ``server``, ``id``, ``name`` of
      the queries no response answered; in time order.
    """

    summary: dict[str, int]
    names: pd.DataFrame
    rcodes: pd.DataFrame
    unanswered: pd.DataFrame

    def __getitem__(self, key: str) -> Any:
        """``result["names"]`` is ``result.names``: the result also reads as a dict."""
        if key not in ("summary", "names", "rcodes", "unanswered"):
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> tuple[str, ...]:
        return ("summary", "names", "rcodes", "unanswered")


def dns(source: Source, n: int | None = None, *, filter: str | None = None,
        strict: bool = False, progress: bool = False) -> DnsResult:
    """DNS queries and responses, response codes, names, unanswered queries: ``pcapframe dns``.

    DNS is read where the decoder reads it: UDP 53, 5353 (mDNS), 5355 (LLMNR), TCP 53. A
    response answers the pending query with the same id between the same two endpoints
    (ports included); a query still pending at the end is unanswered (a retransmitted
    query counts once there, with its last time). ``n`` limits the names and unanswered
    tables (None: all). Returns a ``DnsResult`` (see there); its tables have the columns of
    ``pcapframe dns --csv --list names|rcodes|unanswered`` (answers as a list rather than
    joined by ``|``).
    """
    limit = _limit(n)
    analysis = _core.DnsAnalysis()
    _scan(source, [analysis], strict=strict, filter=filter, progress=progress)
    r = analysis.result()
    names_frame = pd.DataFrame({"name": _text(r["name"]), "queries": r["name_queries"],
                                "answers": _objects(r["name_answers"])})
    rcodes = pd.DataFrame({"rcode": r["rcode"], "name": _text(r["rcode_name"]),
                           "responses": r["rcode_responses"]})
    unanswered = pd.DataFrame({"time": r["unanswered_time"],
                               "client": _text(r["unanswered_client"]),
                               "server": _text(r["unanswered_server"]),
                               "id": r["unanswered_id"],
                               "name": _text(r["unanswered_name"])})
    summary = {"messages": int(r["messages"]), "queries": int(r["queries"]),
               "responses": int(r["responses"]), "distinct_names": len(names_frame),
               "unanswered": len(unanswered)}
    if limit is not None:
        names_frame = names_frame.iloc[:limit].copy()
        unanswered = unanswered.iloc[:limit].copy()
    return DnsResult(summary, names_frame, rcodes, unanswered)


# ---- rates ----------------------------------------------------------------------------------


def rates(source: Source, window: float | str = "1s", local: Address = None, *,
          filter: str | None = None, strict: bool = False,
          progress: bool = False) -> pd.DataFrame:
    """Bytes/s, bits/s and packets/s per time window: ``pcapframe rates``.

    ``window``: seconds (``1``, ``0.25``) or a duration text (``"1s"``, ``"500ms"``,
    ``"250us"``, ``"2m"``, ``"1h"``), taken exactly to the nanosecond (a float is read as
    its shortest decimal, so ``0.1`` is 100 ms). Windows are ``send_rates``'s: they start
    at the first frame's time and follow each other without gaps, empty windows included
    (frames earlier than the first, in an unsorted file, go to windows before it). More
    than 10 million windows raises ValueError.

    Columns (``pcapframe rates --csv``): ``start_time`` (epoch seconds), ``offset`` (seconds
    since the first window), ``packets``, ``bytes``, ``bytes_per_s``, ``bits_per_s``,
    ``packets_per_s`` (the window's sums divided by its length). With ``local`` (an address
    or prefix, or a list, as in ``direction``): also ``upload_packets``, ``upload_bytes``,
    ``download_packets``, ``download_bytes``, ``upload_bytes_per_s``,
    ``download_bytes_per_s``. ``df.attrs`` holds ``window`` (seconds), ``window_ns`` and
    ``local``.

    For a window that is exact in binary (1 s, 0.5 s, 0.25 s, 2 s, ...) ``bytes_per_s``
    and ``start_time`` equal ``send_rates(pcap_to_pandas(path), window)``, bit for bit.
    """
    window_ns = _duration_ns(window, "window")
    local_list = _addresses(local)
    analysis = _core.RatesAnalysis(window_ns, local_list)
    _scan(source, [analysis], strict=strict, filter=filter, progress=progress)
    r = analysis.result()
    columns = ["start_time", "offset", "packets", "bytes", "bytes_per_s", "bits_per_s",
               "packets_per_s"]
    if r["directed"]:
        columns += ["upload_packets", "upload_bytes", "download_packets", "download_bytes",
                    "upload_bytes_per_s", "download_bytes_per_s"]
    frame = pd.DataFrame({column: r[column] for column in columns})
    frame.attrs.update({"window": window_ns / 1e9, "window_ns": window_ns, "local": local_list})
    return frame


# ---- sizes ----------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SizesResult:
    """What ``sizes()`` returns.

    - ``stats``: a float64 Series indexed by statistic: ``packets``, and unless the capture
      is empty ``min``, ``max``, ``mean``, ``median``, ``p1``, ``p5``, ``p25``, ``p50``,
      ``p75``, ``p95``, ``p99`` (the rows of ``pcapframe sizes --csv --list stats``);
    - ``histogram``: ``low`` (inclusive), ``high`` (exclusive; the last bin is closed),
      ``packets``, ``percent`` (of every frame, 0-100).
    """

    stats: pd.Series
    histogram: pd.DataFrame = field(repr=False)

    def __getitem__(self, key: str) -> Any:
        if key not in ("stats", "histogram"):
            raise KeyError(key)
        return getattr(self, key)

    def keys(self) -> tuple[str, ...]:
        return ("stats", "histogram")


def sizes(source: Source, bins: int | Sequence[float] = 10, *, filter: str | None = None,
          strict: bool = False, progress: bool = False) -> SizesResult:
    """Frame sizes (wire lengths): ``pcapframe sizes``.

    Exact statistics from per-length counters: min, max, mean, median and the 1st, 5th,
    25th, 50th, 75th, 95th and 99th percentiles, interpolated as pandas' ``quantile()`` and
    ``numpy.percentile()`` do (the same doubles). ``bins``: a number of equal bins over
    [min, max] (1 to 100,000), or the edges (strictly increasing, finite, at least two), as
    ``numpy.histogram(lengths, bins)`` takes them: the same edges and counts; frames outside
    the edges are in no bin (the statistics still count them). Returns a ``SizesResult``.
    """
    if isinstance(bins, (bool, np.bool_)):
        raise TypeError("bins is a number of bins or a list of edges")
    if isinstance(bins, (int, np.integer)):
        edges: list[float] = []
        count = int(bins)
        if not 1 <= count <= 100_000:
            raise ValueError(f"bins: 1 to 100,000 equal bins, not {count}")
    else:
        edges = [float(edge) for edge in bins]
        count = 10
    analysis = _core.SizesAnalysis(edges, count)
    _scan(source, [analysis], strict=strict, filter=filter, progress=progress)
    r = analysis.result()
    stats = pd.Series(r["value"], index=pd.Index(list(r["statistic"]), name="statistic"),
                      name="value")
    histogram = pd.DataFrame({"low": r["low"], "high": r["high"], "packets": r["packets"],
                              "percent": r["percent"]})
    return SizesResult(stats, histogram)


# ---- names ----------------------------------------------------------------------------------


def names(source: Source, *, resolve: bool = False, dns_server: str | None = None,
          resolve_timeout: float | str = 2.0, resolve_concurrency: int = 32,
          filter: str | None = None, strict: bool = False,
          progress: bool = False) -> pd.DataFrame:
    """The address -> name map the trace itself gives: ``pcapframe names``.

    Sources: ``dns``, the A and AAAA answers of NOERROR responses in the trace, with CNAME
    chains followed back to the name the client asked for (``name``; ``canonical`` is the
    owner of the address record at the chain's end); ``nrb``, pcapng Name Resolution
    Blocks (DNS answers take precedence); ``ptr``, reverse lookups with ``resolve=True``.
    The first name seen for an address is its name; later different ones are
    ``other_names`` (a list, at most 8). ``answers`` counts the answers that named it;
    ``first_seen``/``last_seen`` are their times (epoch seconds; NaN for other sources).

    Columns (``pcapframe names --csv``): ``address, name, canonical, source, first_seen,
    last_seen, answers, other_names``, ordered by address (IPv4 first).

    ``resolve=True`` — never on by default: it sends the capture's addresses to a DNS server
    — looks up the PTR name of every address the trace does not name, through the C++
    ReverseResolver (c-ares): ``dns_server`` (``"HOST[:PORT]"``, ``"[IPV6]:PORT"``,
    comma-separated; default /etc/resolv.conf), one try per address waiting at most
    ``resolve_timeout`` (seconds, or ``"500ms"``), ``resolve_concurrency`` lookups at once;
    a silent server costs about one timeout per ``resolve_concurrency`` addresses, and
    Ctrl-C is honoured between chunks of lookups. Adds the columns ``lookup`` (``name``,
    ``no_answer``, ``timeout``, ``error``; None for addresses not looked up) and ``detail``
    (what went wrong, for ``error``), and rows for the lookups that found no name (``name``
    None, ``source`` "ptr"). ``df.attrs["lookups"]`` counts the outcomes.
    """
    resolver = _resolver_options(dns_server, resolve_timeout, resolve_concurrency) if resolve else None
    analysis = _core.NamesAnalysis(resolver is not None)
    _scan(source, [analysis], strict=strict, filter=filter, progress=progress)
    lookups = analysis.resolve(None, *resolver) if resolver is not None else None
    t = analysis.table()
    data: dict[str, Any] = {
        "address": _text(t["address"]), "name": _text(t["name"]),
        "canonical": _text(t["canonical"]), "source": _text(t["source"]),
        "first_seen": t["first_seen"], "last_seen": t["last_seen"], "answers": t["answers"],
        "other_names": _objects(t["other_names"]),
    }
    if lookups is not None:
        data["lookup"] = _text(t["lookup"])
        data["detail"] = _text(t["detail"])
    frame = pd.DataFrame(data)
    frame.attrs["named"] = int(t["named"])
    if lookups is not None:
        frame.attrs["lookups"] = dict(lookups)
    return frame


# ---- read_pcap(names=True) ------------------------------------------------------------------


def read_with_names(source: Source, columns: list[str], *, strict: bool, filter: str | None,
                    progress: bool, resolve: bool, dns_server: str | None,
                    resolve_timeout: float | str, resolve_concurrency: int,
                    stacklevel: int = 4) -> tuple[_core.Table, list[str | None]]:
    """Read ``columns`` (plus ip_src/ip_dst) into an engine table and, in the same pass,
    the trace's names. Returns the table and, per address id of its dictionary, the
    address's name (None: unnamed; id 0 is "no address")."""
    resolver = _resolver_options(dns_server, resolve_timeout, resolve_concurrency) if resolve else None
    wanted = list(columns) + [c for c in ("ip_src", "ip_dst") if c not in columns]
    analysis = _core.NamesAnalysis()
    table = _scan(source, [analysis], columns=wanted, strict=strict, filter=filter,
                  progress=progress, stacklevel=stacklevel + 1)
    addresses = table.address_text()  # one per distinct address; [0] is ""
    if resolver is not None:
        analysis.resolve(addresses[1:], *resolver)
    looked_up = analysis.names_for(addresses)
    looked_up[0] = None
    return table, looked_up


def name_columns(table: _core.Table, lookup: list[str | None], *, strings: str = "default",
                 dtype_backend: str | None = None) -> dict[str, Any]:
    """``name_src`` and ``name_dst`` for the rows of ``table``: one Python string per distinct
    address, then taken by the rows' address ids (no Python work per row)."""
    values = np.empty(len(lookup), dtype=object)
    values[:] = lookup
    out: dict[str, Any] = {}
    if strings == "category":
        categories = sorted({name for name in lookup if name is not None})
        code_of = {name: code for code, name in enumerate(categories)}
        codes = np.array([-1 if name is None else code_of[name] for name in lookup],
                         dtype=np.int32)
        for side in ("src", "dst"):
            out[f"name_{side}"] = pd.Categorical.from_codes(
                codes[table.raw(f"ip_{side}")], categories=categories, validate=False)
        return out
    if strings == "arrow" or dtype_backend == "pyarrow":
        import pyarrow as pa

        dictionary = pa.array(lookup, type=pa.string())
        for side in ("src", "dst"):
            ids = pa.array(table.raw(f"ip_{side}"))
            out[f"name_{side}"] = pd.arrays.ArrowExtensionArray(dictionary.take(ids))
        return out
    for side in ("src", "dst"):
        column = values[table.raw(f"ip_{side}")]
        if dtype_backend == "numpy_nullable":
            out[f"name_{side}"] = pd.array(column, dtype=pd.StringDtype())
        else:  # what pandas infers from str/None values, as for the other text columns
            out[f"name_{side}"] = pd.Series(column, copy=False).array
    return out


# ---- helpers --------------------------------------------------------------------------------


def _scan(source: Source, observers: list[Any], *, columns: Sequence[str] = (),
          strict: bool, filter: str | None, progress: bool,
          stacklevel: int = 4) -> _core.Table:
    """One pass over ``source`` feeding every analysis in ``observers`` (None entries are
    skipped) while the engine reads ``columns`` (none: nothing is kept per packet)."""
    return read_core(source, list(columns), strict=strict, filter=filter, progress=progress,
                     observers=[o for o in observers if o is not None], stacklevel=stacklevel)


def _limit(n: int | None) -> int | None:
    if n is None:
        return None
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < 0:
        raise ValueError(f"n must be a non-negative integer or None, not {n!r}")
    return int(n)


def _addresses(local: Address) -> list[str]:
    if local is None:
        return []
    if isinstance(local, str):
        return [local]
    texts = [str(item) for item in local]
    return texts


def _text(values: list[Any]) -> Any:
    """A text column from a list of str/None: what pandas infers (object under pandas 2,
    str under pandas 3; all None or empty: object)."""
    if not values or all(value is None for value in values):
        return np.array(values, dtype=object)
    return values


def _objects(values: list[Any]) -> np.ndarray:
    """An object column holding one Python object (a list) per row."""
    out = np.empty(len(values), dtype=object)
    for i, value in enumerate(values):
        out[i] = value
    return out


_UNITS_NS = {"": 10**9, "s": 10**9, "sec": 10**9, "ms": 10**6, "us": 10**3, "\u00b5s": 10**3,
             "ns": 1, "m": 60 * 10**9, "min": 60 * 10**9, "h": 3600 * 10**9,
             "d": 86400 * 10**9}


def _duration_ns(value: float | str, what: str) -> int:
    """A duration in nanoseconds, exactly as the CLI parses ``--window``/``--resolve-timeout``:
    ``"1s"``, ``"500ms"``, ``"250us"``, ``"2m"``, ``"1h"``, or seconds (``0.25``, ``"0.25"``);
    digits finer than a nanosecond are cut. A float is read as its shortest decimal."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what} is a number of seconds or a duration such as '500ms'")
    if isinstance(value, (int, np.integer)):
        text = str(int(value))
    elif isinstance(value, (float, np.floating)):
        if not math.isfinite(value):
            raise ValueError(f"{what}: {value!r} is not a duration")
        text = format(Decimal(repr(float(value))), "f")
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise TypeError(f"{what} is a number of seconds or a duration such as '500ms', "
                        f"not {type(value).__name__}")
    split = 0
    while split < len(text) and (text[split].isdigit() and text[split].isascii()
                                 or text[split] == "."):
        split += 1
    number, unit = text[:split], text[split:]
    whole, _, fraction = number.partition(".")
    if unit not in _UNITS_NS or not number or "." in fraction or not (whole or fraction):
        raise ValueError(f"{what}: {value!r} is not a duration (1s, 500ms, 2m, 0.25)")
    scale = _UNITS_NS[unit]
    total = int(whole or "0") * scale
    for digit in fraction:
        if scale % 10:
            break
        scale //= 10
        total += int(digit) * scale
    if total <= 0 or total >= 2**63:
        raise ValueError(f"{what}: {value!r} is not a positive duration (up to ~292 years)")
    return total


def _resolver_options(dns_server: str | None, timeout: float | str,
                      concurrency: int) -> tuple[str, int, int]:
    """(server, timeout in ms, concurrency) for NamesAnalysis.resolve, checked."""
    if dns_server is not None and not isinstance(dns_server, str):
        raise TypeError("dns_server is 'HOST[:PORT]' text, comma-separated for several")
    timeout_ms = max(1, _duration_ns(timeout, "resolve_timeout") // 1_000_000)
    if (isinstance(concurrency, (bool, np.bool_)) or not isinstance(concurrency, (int, np.integer))
            or not 1 <= concurrency <= _MAX_CONCURRENCY):
        raise ValueError(f"resolve_concurrency must be 1 to {_MAX_CONCURRENCY}, not {concurrency!r}")
    return dns_server or "", int(timeout_ms), int(concurrency)
