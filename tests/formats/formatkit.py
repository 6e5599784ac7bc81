# SPDX-License-Identifier: MIT
"""The formats suite's variants of data/sample.pcap, made by Wireshark's own tools and the
standard compressors, and what each is expected to hold.

Bases (uncompressed):

| name | made with | interfaces |
|---|---|---|
| ``pcap`` | the sample itself (classic pcap, µs) | Ethernet |
| ``pcapng-us`` | ``editcap -F pcapng`` | Ethernet, if_tsresol absent (µs) |
| ``pcapng-ns`` | ``editcap -F nsecpcap`` then ``editcap -F pcapng -t 0.000000123`` | Ethernet, if_tsresol 9 (ns); every time 123 ns later, so the nanosecond digits matter |
| ``pcapng-merged`` | ``mergecap -F pcapng`` of the sample, its Linux SLL re-framing 250 µs later and its raw-IP re-framing 500 µs later (tests/support/pcap_variants.py) | Ethernet (1), LINUX_SLL (113), RAW (101): one IDB per input, packets interleaved by time |

Each base is also written as ``<base>.gz``, ``.zst``, ``.lz4`` (one gzip member / zstd
frame / lz4 frame) and ``<base>.gz-multi``, ``.zst-multi``, ``.lz4-multi`` (the file cut in
three, each piece compressed on its own, the results concatenated: what ``gzip -c a b``,
``zstd -c a b`` or ``cat a.lz4 b.lz4`` give).

Every interface of a base has a *part*: a classic pcap holding exactly that interface's
frames with the same times and resolution, written from the sample by pcap_variants.py. The
rows of a base's interface must equal its part's rows, and the part's network, transport and
DNS columns equal the sample's for the frames it kept.

Wireshark 4.0 (Debian 12) reads gzip, zstd and lz4 files, but stops after the first zstd or
lz4 frame; for the ``.zst-multi`` and ``.lz4-multi`` files tshark and capinfos read the
uncompressed base instead (`VariantFile.reference`).
"""
from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

import diffkit
import pcap_variants

SAMPLE = diffkit.SAMPLE

# codec suffix -> (pcapframe's compression name, compress argv, decompress-to-stdout argv)
CODECS: dict[str, tuple[str, list[str], list[str]]] = {
    "gz": ("gzip", ["gzip", "-c", "-n"], ["gzip", "-dc"]),
    "zst": ("zstd", ["zstd", "-q", "-c"], ["zstd", "-q", "-dc"]),
    "lz4": ("lz4", ["lz4", "-q", "-c"], ["lz4", "-q", "-dc"]),
}
BASES = ("pcap", "pcapng-us", "pcapng-ns", "pcapng-merged")
NS_SHIFT = 123           # pcapng-ns: editcap -t 0.000000123
SLL_SHIFT = 250_000      # pcapng-merged: the SLL input, 250 µs later
RAW_SHIFT = 500_000      # pcapng-merged: the raw-IP input, 500 µs later


@dataclass(frozen=True)
class Part:
    """What one interface of a base holds, as a classic pcap of the same frames."""
    path: Path
    kept: tuple[int, ...]  # the sample frames (0-based) it carries, in order
    shift_ns: int          # added to each sample frame's time
    link_type: int
    link: str              # "ethernet", "sll" (source MAC only) or "none"
    delta: int             # bytes added to each frame's length by the re-framing


@dataclass(frozen=True)
class Base:
    name: str
    path: Path
    parts: tuple[Part, ...]
    nanosecond: bool
    pcapng: bool


@dataclass(frozen=True)
class VariantFile:
    name: str
    path: Path
    base: Base
    codec: str | None  # "gz", "zst", "lz4" or None
    multi: bool        # concatenated members / frames

    @property
    def compression(self) -> str | None:
        return CODECS[self.codec][0] if self.codec else None

    @property
    def wireshark_reads(self) -> bool:
        return self.codec is None or self.codec == "gz" or not self.multi

    @property
    def reference(self) -> Path:
        """The file tshark and capinfos read for this variant (module docstring)."""
        return self.path if self.wireshark_reads else self.base.path

    @property
    def decompress(self) -> list[str] | None:
        return CODECS[self.codec][2] if self.codec else None


def repeats_conversations(path: Path) -> bool:
    """True for the files that carry each TCP connection more than once (the merged ones)."""
    return path.name.startswith("pcapng-merged")


def variant_names() -> list[str]:
    names = []
    for base in BASES:
        names.append(base)
        for codec in CODECS:
            names += [f"{base}.{codec}", f"{base}.{codec}-multi"]
    return names


def run(argv: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in argv], check=True, capture_output=True, **kwargs)


def shifted(capture: pcap_variants.Capture, ns: int) -> pcap_variants.Capture:
    return replace(capture, records=tuple(replace(r, ts_ns=r.ts_ns + ns) for r in capture.records))


def _part(folder: Path, name: str, sample: pcap_variants.Capture, target: str | None,
          shift_ns: int, nanosecond: bool) -> Part:
    capture, kept = sample, list(range(len(sample.records)))
    if target is not None:
        capture, kept = pcap_variants.reframe(capture, target)
    capture = pcap_variants.with_format(shifted(capture, shift_ns), nanosecond=nanosecond)
    path = pcap_variants.write_pcap(folder / f"part-{name}.pcap", capture)
    link = "ethernet" if target is None else "sll" if target == "sll" else "none"
    delta = 0 if target is None else pcap_variants.header_delta(target)
    return Part(path, tuple(kept), shift_ns, capture.link_type, link, delta)


def make_bases(folder: Path) -> dict[str, Base]:
    sample = pcap_variants.read_pcap(SAMPLE)
    plain = _part(folder, "ethernet", sample, None, 0, False)
    bases = {"pcap": Base("pcap", SAMPLE, (plain,), False, False)}

    us = folder / "pcapng-us.pcapng"
    run(["editcap", "-F", "pcapng", SAMPLE, us])
    bases["pcapng-us"] = Base("pcapng-us", us, (plain,), False, True)

    ns_pcap, ns = folder / "nsec.pcap", folder / "pcapng-ns.pcapng"
    run(["editcap", "-F", "nsecpcap", SAMPLE, ns_pcap])
    run(["editcap", "-F", "pcapng", "-t", f"0.{NS_SHIFT:09d}", ns_pcap, ns])
    bases["pcapng-ns"] = Base("pcapng-ns", ns, (_part(folder, "ns", sample, None, NS_SHIFT, True),),
                              True, True)

    parts = (plain, _part(folder, "sll", sample, "sll", SLL_SHIFT, False),
             _part(folder, "raw", sample, "raw", RAW_SHIFT, False))
    merged = folder / "pcapng-merged.pcapng"
    run(["mergecap", "-F", "pcapng", "-w", merged, *[p.path for p in parts]])
    bases["pcapng-merged"] = Base("pcapng-merged", merged, parts, False, True)
    return bases


def compress(codec: str, data: bytes) -> bytes:
    return run(CODECS[codec][1], input=data).stdout


def make_variants(folder: Path) -> dict[str, VariantFile]:
    made: dict[str, VariantFile] = {}
    for base in make_bases(folder).values():
        made[base.name] = VariantFile(base.name, base.path, base, None, False)
        data = base.path.read_bytes()
        thirds = [data[: len(data) // 3], data[len(data) // 3: 2 * len(data) // 3],
                  data[2 * len(data) // 3:]]
        for codec in CODECS:
            one = folder / f"{base.name}.{codec}"
            one.write_bytes(compress(codec, data))
            made[one.name] = VariantFile(one.name, one, base, codec, False)
            multi = folder / f"{base.name}.{codec}-multi"
            multi.write_bytes(b"".join(compress(codec, piece) for piece in thirds))
            made[multi.name] = VariantFile(multi.name, multi, base, codec, True)
    assert sorted(made) == sorted(variant_names())
    return made
