#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Build a large classic pcap by repeating the records of a small one, for benchmarks.

Each repetition of the source's records is shifted by a whole number of seconds (longer than
the source's duration), so timestamps stay in time order and the sub-second fields are those
of the source. The output stops at --packets records or --bytes of file, whichever is given.

--mean-size N thins out the source's large frames (deterministically, evenly spread) so
that the average wire length comes close to N bytes; every other frame is kept, so the
protocol mix stays that of the source apart from fewer full-size TCP segments.

Standard library only. Prints one line describing what was written (packets, bytes, average
frame length), which bench/compare.sh copies into docs/BENCHMARKS.md.
"""
from __future__ import annotations

import argparse
import math
import os
import struct
import sys

# Record header fields (classic pcap): ts_sec, ts_frac, caplen, origlen.
RECORD_HEADER = struct.Struct("<IIII")
FILE_HEADER_LEN = 24
MAGICS_LE = {0xA1B2C3D4, 0xA1B23C4D}  # microsecond, nanosecond; little-endian writers only
# Frames at least this long are the ones --mean-size thins out.
LARGE_FRAME = 1000
# Repetitions written per write() call: about 2 MB each for the bundled sample.
REPS_PER_WRITE = 8


def read_records(path: str) -> tuple[bytes, list[tuple[int, bytes]]]:
    """Return the file header and a list of (ts_sec, record bytes incl. header)."""
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < FILE_HEADER_LEN:
        sys.exit(f"{path}: too short for a pcap file header")
    (magic,) = struct.unpack_from("<I", data, 0)
    if magic not in MAGICS_LE:
        sys.exit(f"{path}: not a little-endian classic pcap (magic {magic:#010x})")
    records = []
    offset = FILE_HEADER_LEN
    while offset + RECORD_HEADER.size <= len(data):
        ts_sec, _frac, caplen, _origlen = RECORD_HEADER.unpack_from(data, offset)
        end = offset + RECORD_HEADER.size + caplen
        if end > len(data):
            break  # a truncated last record: leave it out
        records.append((ts_sec, data[offset:end]))
        offset = end
    if not records:
        sys.exit(f"{path}: no complete records")
    return data[:FILE_HEADER_LEN], records


def origlen(record: bytes) -> int:
    return RECORD_HEADER.unpack_from(record, 0)[3]


def thin_to_mean(records: list[tuple[int, bytes]], target: float) -> list[tuple[int, bytes]]:
    """Keep every small frame and an evenly spread fraction of the large ones."""
    lengths = [origlen(r) for _, r in records]
    small = [n for n in lengths if n < LARGE_FRAME]
    large = [n for n in lengths if n >= LARGE_FRAME]
    if not large or sum(lengths) / len(lengths) <= target:
        return records
    small_mean = sum(small) / len(small) if small else 0.0
    if small_mean >= target:
        sys.exit(f"cannot reach a mean of {target:g}: the small frames alone average {small_mean:.1f}")
    # (S + p*L) / (ns + p*nl) = target  =>  p = (target*ns - S) / (L - target*nl)
    keep = (target * len(small) - sum(small)) / (sum(large) - target * len(large))
    kept, credit = [], 0.0
    for (ts, record), length in zip(records, lengths):
        if length < LARGE_FRAME:
            kept.append((ts, record))
            continue
        credit += keep
        if credit >= 1.0:  # error diffusion: evenly spread, deterministic
            credit -= 1.0
            kept.append((ts, record))
    return kept


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=os.path.join(os.path.dirname(__file__), "..", "data", "sample.pcap"),
                        help="capture whose records are repeated (default: data/sample.pcap)")
    parser.add_argument("--output", "-o", required=True, help="pcap file to write")
    size = parser.add_mutually_exclusive_group(required=True)
    size.add_argument("--packets", type=int, help="number of records to write")
    size.add_argument("--bytes", type=int, help="approximate file size to reach, in bytes")
    parser.add_argument("--mean-size", type=float,
                        help="thin out large frames so the average wire length is about this")
    args = parser.parse_args()

    header, records = read_records(args.source)
    if args.mean_size:
        records = thin_to_mean(records, args.mean_size)
    first_sec = records[0][0]
    span = records[-1][0] - first_sec
    if any(b[0] < a[0] for a, b in zip(records, records[1:])):
        sys.exit(f"{args.source}: records are not in time order")
    shift = span + 1  # whole seconds: the next repetition starts after this one ends

    # One template of the source's records, and where each ts_sec field sits in it.
    template = bytearray(b"".join(r for _, r in records))
    sec_offsets, offset = [], 0
    for _, r in records:
        sec_offsets.append(offset)
        offset += len(r)
    base_secs = [ts for ts, _ in records]
    rep_bytes = len(template)

    if args.packets is not None:
        target_packets = args.packets
    else:
        target_packets = max(1, (args.bytes - FILE_HEADER_LEN) * len(records) // rep_bytes)

    full_reps, rest = divmod(target_packets, len(records))
    sec_field = struct.Struct("<I").pack_into
    written_bytes = FILE_HEADER_LEN
    wire_bytes = 0
    rep_wire = sum(origlen(r) for _, r in records)
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as out:
        out.write(header)
        chunk = []
        for rep in range(full_reps + (1 if rest else 0)):
            count = len(records) if rep < full_reps else rest
            delta = rep * shift
            if delta + base_secs[-1] >= 2**32:
                sys.exit("timestamps would overflow 32-bit seconds: ask for fewer packets")
            block = bytearray(template if count == len(records) else template[: sec_offsets[count]])
            for i in range(count):
                sec_field(block, sec_offsets[i], base_secs[i] + delta)
            chunk.append(block)
            written_bytes += len(block)
            wire_bytes += rep_wire if count == len(records) else sum(
                origlen(r) for _, r in records[:count])
            if len(chunk) >= REPS_PER_WRITE:
                out.writelines(chunk)
                chunk = []
        out.writelines(chunk)
    os.replace(tmp, args.output)

    mean = wire_bytes / target_packets if target_packets else 0.0
    last_rep = full_reps - 1 if rest == 0 else full_reps
    last_index = (rest or len(records)) - 1
    duration = last_rep * shift + base_secs[last_index] - first_sec
    print(f"{args.output}: {target_packets} packets, {written_bytes} bytes, "
          f"mean frame {mean:.1f} bytes, ~{duration} s of capture time, "
          f"from {len(records)} records of {os.path.basename(args.source)} "
          f"repeated every {shift} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
