# SPDX-License-Identifier: MIT
"""The lab helper's module, on pcapframe's engine: ``pcap_to_pandas``, ``send_rates``,
``parse_and_save_pcap``, ``load_parsed_pcap`` and ``pcap_to_dict``.

Installing pcapframe also installs a top-level ``parse_pcap`` module that re-exports this
one, so a notebook that did ``from parse_pcap import pcap_to_pandas, send_rates`` works
unchanged. As a script, like the lab's::

    python -m pcapframe.parse_pcap FILE [OUT]   # OUT defaults to FILE with .pkl
"""

from __future__ import annotations

import os
import sys
from typing import Any

import numpy as np
import pandas as pd

from ._reading import Source
from .frames import pcap_to_pandas, send_rates

__all__ = ["pcap_to_pandas", "send_rates", "parse_and_save_pcap", "load_parsed_pcap",
           "pcap_to_dict", "main"]

# The keys of the lab's per-packet dicts, in its order.
_DICT_KEYS = ("time", "datetime", "length", "mac_dst", "mac_src", "ip_dst", "ip_src",
              "protocol", "port_dst", "port_src", "is_dns", "dns_query", "dns_resp")


def parse_and_save_pcap(pcap_file: Source, pickle_file: str | os.PathLike[str]) -> None:
    """Parse a capture with ``pcap_to_pandas`` and save the DataFrame as a pickle.

    Prefer ``pcapframe.write_parquet``: Parquet files load in any pandas version (and in
    polars or DuckDB), where a pickle may not load in another pandas.
    """
    pcap_to_pandas(pcap_file).to_pickle(pickle_file)


def load_parsed_pcap(pickle_file: str | os.PathLike[str]) -> pd.DataFrame:
    """Read back a DataFrame saved by ``parse_and_save_pcap``."""
    return pd.read_pickle(pickle_file)


def pcap_to_dict(pcap_file: Source) -> list[dict[str, Any]]:
    """One dict per frame with the lab's keys (time, datetime, length, mac_dst, mac_src,
    ip_dst, ip_src, protocol, port_dst, port_src, is_dns, dns_query, dns_resp); missing
    values are None, ``datetime`` a naive local ``datetime.datetime``.

    This builds Python objects per packet, as the lab did: use ``pcap_to_pandas`` for speed.
    """
    df = pcap_to_pandas(pcap_file)
    columns: dict[str, list[Any]] = {}
    for key in _DICT_KEYS:
        series = df[key]
        if key == "datetime":
            values = [ts.to_pydatetime(warn=False) for ts in series]
        elif series.dtype == np.float64 and key != "time":
            values = [None if np.isnan(v) else int(v) for v in series.to_numpy()]
        else:
            values = [None if isinstance(v, float) and v != v else v for v in series.tolist()]
        columns[key] = values
    return [dict(zip(_DICT_KEYS, row)) for row in zip(*(columns[key] for key in _DICT_KEYS))]


def main(argv: list[str] | None = None) -> int:
    """``parse_pcap FILE [OUT]``: parse FILE and pickle its DataFrame to OUT (FILE.pkl)."""
    args = sys.argv[1:] if argv is None else argv
    prog = "python -m pcapframe.parse_pcap"
    if not args or args[0] in ("-h", "--help"):
        print(f"Usage: {prog} [pcap_file] [pickle_file (optional)]")
        return 0
    pcap_file = args[0]
    pickle_file = args[1] if len(args) > 1 else os.path.splitext(pcap_file)[0] + ".pkl"
    try:
        parse_and_save_pcap(pcap_file, pickle_file)
    except (OSError, ValueError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
