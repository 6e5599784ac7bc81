# SPDX-License-Identifier: MIT
"""Reading a capture through the engine: sources, column names, errors and warnings."""

from __future__ import annotations

import os
import warnings
from typing import Iterable, Union

from . import _core
from .errors import from_core, warning_from_core

Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview]

#: Every column of the packet schema, in order: the lab helper's 18, then the extra fields.
COLUMNS: tuple[str, ...] = tuple(spec[0] for spec in _core.schema())
#: The lab helper's 18 columns (alphabetical, as the helper sorted them).
LAB_COLUMNS: tuple[str, ...] = tuple(spec[0] for spec in _core.schema() if spec[3])
#: The fields beyond the lab: caplen, ip_version, ttl, ip_proto, tcp_flags, icmp_type, ...
EXTRA_COLUMNS: tuple[str, ...] = tuple(c for c in COLUMNS if c not in LAB_COLUMNS)
#: One-line description of each column.
DESCRIPTIONS: dict[str, str] = {spec[0]: spec[4] for spec in _core.schema()}

# Records between two looks at Python's signal handlers while the GIL is released.
CHECK_SIGNALS_EVERY = 1 << 16


def resolve_columns(columns: str | Iterable[str] | None, default: str = "all") -> list[str]:
    """Return the column names asked for: a list, ``"lab"``, ``"all"`` or None (``default``)."""
    if columns is None:
        columns = default
    if isinstance(columns, str):
        if columns == "all":
            return list(COLUMNS)
        if columns == "lab":
            return list(LAB_COLUMNS)
        columns = [columns]
    names = list(columns)
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        raise ValueError(f"unknown column(s) {', '.join(map(repr, unknown))}; "
                         f"known: 'lab', 'all', {', '.join(COLUMNS)}")
    if len(set(names)) != len(names):
        raise ValueError("a column is asked for twice")
    return names


def read_core(source: Source, columns: list[str], *, strict: bool = False,
              stacklevel: int = 3) -> _core.Table:
    """Read ``source`` (a path, or the bytes of a capture) into an engine table.

    Raises the engine's error as an exception; emits its lax-mode warnings.
    """
    path: str | None = None
    if isinstance(source, (bytes, bytearray, memoryview)):
        table, error = _core.read_bytes(bytes(source), "<memory>", columns, strict,
                                        CHECK_SIGNALS_EVERY)
    else:
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        table, error = _core.read_file(path, columns, strict, CHECK_SIGNALS_EVERY)
    if error is not None:
        raise from_core(error, path)
    for warning in table.warnings:
        warnings.warn(warning_from_core(warning), stacklevel=stacklevel)
    return table
