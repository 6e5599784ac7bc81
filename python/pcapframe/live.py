# SPDX-License-Identifier: MIT
"""Live capture: packets from a network interface, through libpcap, as the same DataFrame
``pcap_to_pandas`` gives for a file.

    >>> df = pcapframe.capture("eth0", duration=10)                 # needs root or CAP_NET_RAW
    >>> df = pcapframe.capture("eth0", count=100, filter="udp port 53", write="dns.pcap")
    >>> df.attrs["capture"]["dropped"]                              # libpcap's counters

The capture runs in C++ with the GIL released and is written to a pcap file (``write=``, or
a temporary file that is removed afterwards), which is then read with ``pcap_to_pandas``:
the DataFrame is exactly the file's. Ctrl-C ends the capture early and returns what was
captured, as scapy's ``sniff()`` does.
"""

from __future__ import annotations

import datetime as _dt
import errno
import os
import re
import tempfile
import warnings
from typing import Any, Union

import pandas as pd

from . import _core
from .errors import CaptureWarning
from .frames import pcap_to_pandas

__all__ = ["capture", "list_interfaces"]

Duration = Union[int, float, str, _dt.timedelta, None]

_UNITS = {"": 1.0, "s": 1.0, "sec": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6, "ns": 1e-9,
          "m": 60.0, "min": 60.0, "h": 3600.0}
_DURATION = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*([a-zµ]*)\s*$")


def capture(iface: str, duration: Duration = None, count: int | None = None,
            filter: str | None = None, snaplen: int = 262144,
            write: str | os.PathLike[str] | None = None, *, format: str | None = None,
            time_precision: str = "nano", promisc: bool = True,
            buffer_size: int | None = None, immediate: bool = False) -> pd.DataFrame:
    """Capture packets on ``iface`` and return them as ``pcap_to_pandas`` would.

    Args:
      iface: the interface to capture on (``list_interfaces()`` names them).
      duration: stop after this long: seconds (``30``, ``0.5``), a ``timedelta``, or text
        (``"30s"``, ``"500ms"``, ``"2m"``).
      count: stop after this many packets.
      filter: a BPF capture filter (tcpdump syntax, e.g. ``"udp port 53"``), run in the
        kernel; a bad one raises ValueError.
      snaplen: bytes kept of each packet (``length`` is still the wire length).
      write: also keep the capture in this file (complete when the function returns: it is
        written under a temporary name and renamed). Without it a temporary file is used.
      format: ``"pcap"`` or ``"pcapng"``; default: pcapng for a ``.pcapng`` name, else pcap.
      time_precision: ``"nano"`` (default) or ``"micro"`` timestamps in the file.
      promisc: promiscuous mode (see frames for other hosts too).
      buffer_size: the kernel capture buffer in bytes (default: libpcap's, 2 MiB).
      immediate: hand each packet over at once instead of in batches of up to 100 ms.

    With neither ``duration`` nor ``count`` the capture runs until Ctrl-C (in Jupyter:
    interrupt the kernel). Ctrl-C always ends the capture cleanly and returns what was
    captured. The DataFrame's ``attrs["capture"]`` holds the interface, the packets
    written and libpcap's counters: ``received``, ``dropped`` (by the kernel, buffer full)
    and ``if_dropped`` (by the interface); a ``CaptureWarning`` is issued when packets
    were dropped.

    Raises PermissionError when capturing is not permitted (not root, no CAP_NET_RAW),
    OSError for a missing or down interface (or one that disappears during the capture: the
    ``write=`` file then keeps the packets captured until then), ValueError for a bad filter
    or argument.
    """
    if not isinstance(iface, str) or not iface:
        raise ValueError("iface must name a network interface (see pcapframe.list_interfaces())")
    seconds = _seconds(duration)
    if count is not None and (isinstance(count, bool) or int(count) != count or count <= 0):
        raise ValueError(f"count must be a positive integer, not {count!r}")
    if filter is not None and not isinstance(filter, str):
        raise TypeError(f"filter must be a BPF expression (str), not {type(filter).__name__}")
    if not 0 <= int(snaplen) <= 262144:
        raise ValueError("snaplen must be between 0 (the maximum) and 262144")
    if time_precision not in ("nano", "micro"):
        raise ValueError("time_precision must be 'nano' or 'micro'")
    if format not in (None, "pcap", "pcapng"):
        raise ValueError("format must be 'pcap' or 'pcapng'")
    if buffer_size is not None and not 0 <= int(buffer_size) < 2**32:
        raise ValueError("buffer_size must be a byte count below 4 GiB")

    with tempfile.TemporaryDirectory(prefix="pcapframe-capture-") as scratch:
        path = os.fsdecode(os.fspath(write)) if write is not None else os.path.join(scratch, "capture.pcap")
        chosen = format or ("pcapng" if path.endswith((".pcapng", ".ntar")) else "pcap")
        summary, error = _core.capture_to_file(
            iface, path, chosen, time_precision == "nano", seconds or 0.0, int(count or 0),
            filter or "", int(snaplen), bool(promisc), int(buffer_size or 0), bool(immediate))
        if error is not None:
            raise _error(error, iface)
        df = pcap_to_pandas(path)
    if write is None:
        summary["path"] = None
    df.attrs["capture"] = summary
    lost = (summary["dropped"] or 0) + (summary["if_dropped"] or 0)
    if lost:
        warnings.warn(CaptureWarning(
            f"capture on {iface}: {lost} packets were lost before pcapframe saw them "
            f"(received {summary['received']}, dropped by kernel {summary['dropped']}, dropped "
            f"by interface {summary['if_dropped']}); a larger buffer_size or a narrower filter "
            "helps"), stacklevel=2)
    return df


def list_interfaces() -> list[dict[str, Any]]:
    """The interfaces libpcap can capture on: dicts with ``name``, ``description``,
    ``addresses`` and the flags ``up``, ``running``, ``loopback``, ``wireless``."""
    found, error = _core.list_interfaces()
    if error is not None:
        raise OSError(error[3])
    return list(found)


def _seconds(duration: Duration) -> float | None:
    if duration is None:
        return None
    if isinstance(duration, _dt.timedelta):
        seconds = duration.total_seconds()
    elif isinstance(duration, str):
        match = _DURATION.match(duration)
        if not match or match.group(2) not in _UNITS:
            raise ValueError(f"duration {duration!r} is not a duration (30, 30s, 500ms, 2m)")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    elif isinstance(duration, (int, float)) and not isinstance(duration, bool):
        seconds = float(duration)
    else:
        raise TypeError(f"duration must be seconds, a timedelta or text like '30s', "
                        f"not {type(duration).__name__}")
    if not seconds > 0 or seconds != seconds or seconds == float("inf"):
        raise ValueError(f"duration must be positive and finite, not {duration!r}")
    return seconds


def _error(error: tuple[str, int, int, str], iface: str) -> Exception:
    code, _offset, _record, message = error
    if code == "permission_denied":
        return PermissionError(
            errno.EPERM, message.split("; ")[0] + "; run Python as root, or capture with "
            "`sudo pcapframe capture -i " + iface + " -w FILE` and read the file with "
            "pcap_to_pandas")
    if code == "invalid_argument":
        return ValueError(message)
    return OSError(message)
