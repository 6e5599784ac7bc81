# SPDX-License-Identifier: MIT
"""pcapframe: packet captures to pandas, Arrow and Parquet, at memory speed.

    >>> import pcapframe
    >>> df = pcapframe.pcap_to_pandas("capture.pcap")        # the lab helper's 18 columns
    >>> rates, times = pcapframe.send_rates(df, 1.0)          # bytes/s per second
    >>> df = pcapframe.read_pcap("capture.pcap", columns=["time", "ip_src", "ttl"],
    ...                          tz="UTC", strings="category")
    >>> table = pcapframe.read_table("capture.pcap")           # Arrow PyCapsule stream
    >>> pcapframe.write_parquet("capture.pcap", "capture.parquet")
    >>> for batch in pcapframe.iter_batches(open("big.pcap", "rb"), batch_rows=500_000,
    ...                                     filter="tcp port 80", progress=True):
    ...     print(batch["length"].sum())

The engine is C++ (the ``_core`` extension); reading releases the GIL and Ctrl-C
interrupts it. See docs/PYTHON.md.
"""

from ._reading import COLUMNS, DESCRIPTIONS, EXTRA_COLUMNS, LAB_COLUMNS
from .analyses import (DnsResult, SizesResult, direction, dns, flows, names, rates, sizes,
                       top)  # the analyses (docs/ANALYSES.md)
from .errors import (
    CaptureError,
    CaptureWarning,
    CorruptCaptureError,
    NotACaptureError,
    TruncatedCaptureWarning,
    UnsupportedCaptureError,
)
from .frames import iter_batches, pcap_to_pandas, read_pcap, send_rates
from .live import capture, list_interfaces  # live capture (docs/CAPTURE.md)
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
    "iter_batches",
    "load_parsed_pcap",
    "parse_and_save_pcap",
    "pcap_to_pandas",
    "read_arrow",
    "read_pcap",
    "read_table",
    "send_rates",
    "write_parquet",
    # the analyses (analyses.py)
    "DnsResult",
    "SizesResult",
    "direction",
    "dns",
    "flows",
    "names",
    "rates",
    "sizes",
    "top",
]
