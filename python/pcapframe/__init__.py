# SPDX-License-Identifier: MIT
"""pcapframe: packet captures to pandas, Arrow and Parquet, at memory speed.

    >>> import pcapframe
    >>> df = pcapframe.pcap_to_pandas("capture.pcap")        # the lab helper's 18 columns
    >>> rates, times = pcapframe.send_rates(df, 1.0)          # bytes/s per second
    >>> df = pcapframe.read_pcap("capture.pcap", columns=["time", "ip_src", "ttl"],
    ...                          tz="UTC", strings="category")
    >>> table = pcapframe.read_table("capture.pcap")           # Arrow PyCapsule stream
    >>> pcapframe.write_parquet("capture.pcap", "capture.parquet")

The engine is C++ (the ``_core`` extension); reading releases the GIL and Ctrl-C
interrupts it. See docs/PYTHON.md.
"""

from ._reading import COLUMNS, DESCRIPTIONS, EXTRA_COLUMNS, LAB_COLUMNS
from .errors import (
    CaptureError,
    CaptureWarning,
    CorruptCaptureError,
    NotACaptureError,
    TruncatedCaptureWarning,
    UnsupportedCaptureError,
)
from .frames import pcap_to_pandas, read_pcap, send_rates
from .parse_pcap import load_parsed_pcap, parse_and_save_pcap
from .tables import PacketTable, read_arrow, read_table, write_parquet

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "DESCRIPTIONS",
    "EXTRA_COLUMNS",
    "LAB_COLUMNS",
    "CaptureError",
    "CaptureWarning",
    "CorruptCaptureError",
    "NotACaptureError",
    "PacketTable",
    "TruncatedCaptureWarning",
    "UnsupportedCaptureError",
    "load_parsed_pcap",
    "parse_and_save_pcap",
    "pcap_to_pandas",
    "read_arrow",
    "read_pcap",
    "read_table",
    "send_rates",
    "write_parquet",
]
