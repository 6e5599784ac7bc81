# SPDX-License-Identifier: MIT
"""Reading a capture through the engine: sources, column names, errors and warnings."""

from __future__ import annotations

import io
import mmap
import os
import stat
import warnings
from typing import IO, Any, Iterable, Union

from . import _core
from .errors import from_core, warning_from_core

#: A capture: a path ("-" is standard input), a bytes-like object, or a binary file object.
Source = Union[str, "os.PathLike[str]", bytes, bytearray, memoryview, IO[bytes]]

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


def open_reader(source: Source, columns: list[str], *, strict: bool = False,
                filter: str | None = None) -> tuple[_core.Reader, str | None]:
    """Open ``source`` for reading: a path (``"-"``: standard input), a bytes-like object
    (read in place, without a copy) or a binary file object (read in chunks of about
    1 MiB). Returns the engine's reader and the path, if any. Raises the engine's errors."""
    expression = _check_filter(filter)
    path: str | None = None
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        if isinstance(path, bytes):
            path = os.fsdecode(path)
        reader, error = _core.open_file(path, columns, strict, expression)
    elif isinstance(source, (bytes, bytearray, memoryview, mmap.mmap)):
        reader, error = _core.open_buffer(source, "<memory>", columns, strict, expression)
    elif hasattr(source, "readinto") or hasattr(source, "read"):
        if isinstance(source, io.TextIOBase):
            raise TypeError("a capture is binary: open the file in binary mode ('rb'), "
                            "or pass sys.stdin.buffer rather than sys.stdin")
        reader, error = _core.open_stream(source, _stream_name(source), _read_method(source),
                                          _stream_size(source), columns, strict, expression)
    else:
        try:
            memoryview(source).release()
        except TypeError:
            raise TypeError("a capture source is a path, bytes-like object or binary file "
                            f"object, not {type(source).__name__}") from None
        reader, error = _core.open_buffer(source, "<memory>", columns, strict, expression)
    if error is not None:
        raise from_core(error, path)
    return reader, path


def read_chunk(reader: _core.Reader, path: str | None, max_rows: int = 0, *,
               progress: Any = None, stacklevel: int = 3) -> _core.Table:
    """Read up to ``max_rows`` rows (0: all that remain) from an open reader into an engine
    table; raise its error, emit its lax-mode warnings."""
    table, error = reader.read(max_rows, CHECK_SIGNALS_EVERY, progress)
    if error is not None:
        raise from_core(error, path)
    for warning in table.warnings:
        warnings.warn(warning_from_core(warning), stacklevel=stacklevel)
    return table


def read_core(source: Source, columns: list[str], *, strict: bool = False,
              filter: str | None = None, progress: bool = False,
              observers: Iterable[_core.FrameObserver] = (),
              stacklevel: int = 3) -> _core.Table:
    """Read all of ``source`` (see ``open_reader``) into an engine table, feeding every frame
    to ``observers`` (analyses) in the same pass.

    Raises the engine's error as an exception; emits its lax-mode warnings.
    """
    reader, path = open_reader(source, columns, strict=strict, filter=filter)
    try:
        for observer in observers:
            reader.observe(observer)
        bar = ProgressBar.start(progress, reader)
        try:
            return read_chunk(reader, path, progress=bar, stacklevel=stacklevel + 1)
        finally:
            if bar is not None:
                bar.close()
    finally:
        reader.close()


def _check_filter(filter: str | None) -> str:
    if filter is None:
        return ""
    if not isinstance(filter, str):
        raise TypeError(f"filter must be a BPF expression (str), not {type(filter).__name__}")
    if not filter.strip():
        raise ValueError("filter is empty: pass None to read every packet")
    return filter


def _stream_name(file: Any) -> str:
    name = getattr(file, "name", None)
    if isinstance(name, (str, bytes, os.PathLike)):
        return os.fsdecode(name)
    return "<stream>"


def _read_method(file: Any) -> str:
    """How the engine pulls bytes from ``file``: ``readinto1`` for the standard buffered
    files (one read(2) per call: a pipe's data is parsed as it comes), else ``readinto``
    (into the engine's buffer, no copy), else ``read``."""
    if isinstance(file, (io.BufferedReader, io.BufferedRandom, io.BytesIO)):
        return "readinto1"
    return "readinto" if hasattr(file, "readinto") else "read"


def _stream_size(file: Any) -> int | None:
    """Bytes left in ``file`` when it can say so cheaply: a regular file's size past the
    current position, or a BytesIO's; None for pipes and the like."""
    try:
        if isinstance(file, io.BytesIO):
            with file.getbuffer() as view:
                return max(0, view.nbytes - file.tell())
        st = os.fstat(file.fileno())
        if stat.S_ISREG(st.st_mode):
            return max(0, st.st_size - file.tell())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        pass
    return None


class ProgressBar:
    """A tqdm progress bar of the bytes read (out of the input's size when known: not for
    compressed input or pipes). ``tqdm.auto`` picks a notebook widget or a terminal bar."""

    def __init__(self, total: int | None, desc: str) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError as error:
            raise ImportError("progress=True needs tqdm (pip install tqdm)") from error
        self._bar = tqdm(total=total, desc=desc, unit="B", unit_scale=True, unit_divisor=1024,
                         dynamic_ncols=True, leave=True)

    @classmethod
    def start(cls, progress: bool, reader: _core.Reader) -> "ProgressBar | None":
        if not progress:
            return None
        info = reader.info
        return cls(info["size"], os.path.basename(info["name"]) or info["name"])

    def __call__(self, consumed: int) -> None:
        self._bar.update(consumed - self._bar.n)

    def close(self) -> None:
        self._bar.close()
