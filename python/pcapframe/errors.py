# SPDX-License-Identifier: MIT
"""Exceptions and warnings: the engine's errors, with its messages, as Python types.

An unreadable file raises ``OSError`` (``FileNotFoundError`` when it does not exist); a
file that is not a capture, or that is corrupt in strict mode, raises a ``CaptureError``
(a ``ValueError``) naming the file, the byte offset and the record. In lax mode (the
default) a truncated or corrupt capture returns the records before the damage and emits a
``CaptureWarning``.
"""

from __future__ import annotations

import errno
import os

__all__ = [
    "CaptureError",
    "NotACaptureError",
    "UnsupportedCaptureError",
    "CorruptCaptureError",
    "CaptureWarning",
    "TruncatedCaptureWarning",
]


class CaptureError(ValueError):
    """A capture the engine cannot read: ``code`` names the problem (``"not_a_capture"``,
    ``"truncated"``, ``"corrupt_record"``, ...), ``offset`` is the byte offset where
    reading failed and ``record`` the number of complete records before it."""

    def __init__(self, message: str, *, code: str = "", offset: int = 0, record: int = 0,
                 path: str | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.offset = offset
        self.record = record
        self.path = path


class NotACaptureError(CaptureError):
    """The first bytes are no capture format the engine knows (pcap, pcapng, compressed)."""


class UnsupportedCaptureError(CaptureError):
    """A known capture format in a version the engine cannot read."""


class CorruptCaptureError(CaptureError):
    """The capture is cut short or holds an impossible record (raised in strict mode)."""


class CaptureWarning(UserWarning):
    """A problem that lax reading tolerated: the rows before it were kept."""

    def __init__(self, message: str, *, code: str = "", offset: int = 0, record: int = 0) -> None:
        super().__init__(message)
        self.code = code
        self.offset = offset
        self.record = record


class TruncatedCaptureWarning(CaptureWarning):
    """The capture ends inside a record: every complete record before it was read."""


_ERRORS = {
    "not_a_capture": NotACaptureError,
    "unsupported_version": UnsupportedCaptureError,
    "truncated": CorruptCaptureError,
    "corrupt_record": CorruptCaptureError,
    "corrupt_compression": CorruptCaptureError,
}


def from_core(error: tuple[str, int, int, str], path: str | None) -> Exception:
    """Turn the engine's ``(code, offset, record, message)`` into an exception."""
    code, offset, record, message = error
    if code == "io":
        if path is not None and not os.path.lexists(path):
            return FileNotFoundError(errno.ENOENT, message, path)
        if path is not None and os.path.isdir(path):
            return IsADirectoryError(errno.EISDIR, message, path)
        return OSError(message)
    if code == "invalid_argument":
        return ValueError(message)
    cls = _ERRORS.get(code, CaptureError)
    return cls(message, code=code, offset=offset, record=record, path=path)


def warning_from_core(warning: tuple[str, int, int, str]) -> CaptureWarning:
    code, offset, record, message = warning
    cls = TruncatedCaptureWarning if code == "truncated" else CaptureWarning
    return cls(message, code=code, offset=offset, record=record)
