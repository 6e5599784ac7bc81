# SPDX-License-Identifier: MIT
"""Issue #4, first criterion: the sample converted by Wireshark's own tools (editcap -F pcapng,
pcapng with nanosecond resolution, mergecap of three link types into one pcapng) and each of
those compressed by gzip, zstd and lz4 (one member/frame, and several concatenated) gives:

- the same rows as the original: every column of every interface equals the rows of a classic
  pcap holding that interface's frames, and its network, transport and DNS columns, lengths
  and times equal the sample's (formatkit.py says how each variant is made);
- the same fields as tshark, frame by frame (tests/diff/diffkit.py's comparison);
- the same counts, bytes and first/last times as capinfos, and an `info` that names the
  container, the compression and the resolution.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

import diffkit
import formatkit

VARIANTS = formatkit.variant_names()
# Columns that depend on where a frame sits in a merged file, not on the frame.
POSITIONAL = {"interface", "time_normed"}
FROM_SAMPLE = diffkit.NETWORK_FIELDS + diffkit.TRANSPORT_FIELDS + diffkit.DNS_FIELDS + ("anomaly",)


@pytest.mark.parametrize("name", VARIANTS)
def test_rows_equal_the_original(name: str, made, rows) -> None:
    variant = made[name]
    ours = rows(variant.path)
    sample = rows(formatkit.SAMPLE)
    problems: list[str] = []
    by_interface: dict[int, list[dict]] = {}
    for row in ours:
        by_interface.setdefault(row["interface"], []).append(row)
    assert sorted(by_interface) == list(range(len(variant.base.parts)))

    for number, part in enumerate(variant.base.parts):
        got, want = by_interface[number], rows(part.path)
        assert len(got) == len(want) == len(part.kept), f"interface {number}"
        for index, (row, ref) in enumerate(zip(got, want)):
            for column in ref:
                if column not in POSITIONAL and row[column] != ref[column]:
                    problems.append(f"interface {number} frame {index + 1}: {column}: "
                                    f"{row[column]!r} vs {ref[column]!r} in {part.path.name}")
        shift = Decimal(part.shift_ns) / diffkit.NS
        for index, (row, kept) in enumerate(zip(got, part.kept)):
            was = sample[kept]
            expect = {column: was[column] for column in FROM_SAMPLE}
            expect.update(time=was["time"] + shift, length=was["length"] + part.delta,
                          caplen=was["caplen"] + part.delta, link_type=part.link_type)
            if part.link == "ethernet":
                expect.update({column: was[column] for column in diffkit.LINK_FIELDS})
            for column, value in expect.items():
                if row[column] != value:
                    problems.append(f"interface {number} frame {index + 1} (sample frame "
                                    f"{kept + 1}): {column}: {row[column]!r} vs {value!r}")
    if variant.base.nanosecond:
        assert all(len(r["datetime"].rsplit(".", 1)[1]) == 9 for r in ours)
        assert ours[0]["datetime"].endswith(f"{formatkit.NS_SHIFT:03d}")
    # Frames come in file order; a merged file's order is mergecap's, by time.
    times = [r["time"] for r in ours]
    assert times == sorted(times)
    assert all(r["time_normed"] == r["time"] - times[0] for r in ours)
    assert not problems, f"{name}: {len(problems)} differences\n  " + "\n  ".join(problems[:40])


@pytest.mark.parametrize("name", VARIANTS)
def test_frames_match_tshark(name: str, made, rows, tshark_rows) -> None:
    variant = made[name]
    diffkit.check_against_tshark(f"{name} (tshark reads {variant.reference.name})",
                                 rows(variant.path), tshark_rows(variant.reference))


@pytest.mark.parametrize("name", VARIANTS)
def test_info_matches_capinfos(name: str, made, cli, capinfos, tshark_rows) -> None:
    variant = made[name]
    # editcap/mergecap write no snaplen into pcapng: capinfos says "(not set)".
    info, problems = diffkit.info_against_capinfos(
        cli, capinfos, variant.path, tshark_rows(variant.reference), reference=variant.reference,
        snaplen=not variant.base.pcapng)

    def expect(what: str, ours, theirs) -> None:
        if ours != theirs:
            problems.append(f"{what}: pcapframe {ours!r} vs {theirs!r}")

    # What the container is.
    base = variant.base
    expect("format", info["format"], "pcapng" if base.pcapng else "pcap")
    expect("version", info["version"], "1.0" if base.pcapng else "2.4")
    expect("compression", info["compression"], variant.compression)
    expect("nanosecond", info["nanosecond"], base.nanosecond)
    expect("big_endian", info["big_endian"], False)
    expect("link type (first interface)", info["link_type"], 1)
    by_link = Counter()
    for part in base.parts:
        by_link[str(part.link_type)] += len(part.kept)
    expect("frames by link type", info["frames_by_link_type"], dict(by_link))
    expect("warnings", info["warnings"], [])
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def test_the_variants_are_what_they_claim(made) -> None:
    """The conversions did what formatkit says, seen by Wireshark's own tools: three link
    types in the merged file, nanosecond resolution, concatenated members."""
    merged = formatkit.run(["capinfos", "-E", "-k", made["pcapng-merged"].path]).stdout.decode()
    for encapsulation in ("Ethernet (2795)", "Linux cooked-mode capture v1 (2795)",
                          "Raw IP (2773)"):
        assert encapsulation in merged, merged
    ns = formatkit.run(["capinfos", "-a", made["pcapng-ns"].path]).stdout.decode()
    assert f".752977{formatkit.NS_SHIFT}" in ns, ns
    for codec in formatkit.CODECS:
        single = made[f"pcapng-us.{codec}"].path.read_bytes()
        multi = made[f"pcapng-us.{codec}-multi"].path.read_bytes()
        assert multi.count(single[:4]) >= 3, codec  # three members, each with its magic
