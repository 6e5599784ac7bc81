# SPDX-License-Identifier: MIT
"""Every malformed capture of make_corpus.CASES through the CLI, lax and --strict, under the
release build (PCAPFRAME_CLI) and the ASan + UBSan build (build/dev/src/pcapframe, when it is
there): the exit code, the message, the rows kept and the anomaly the table says, fast, and for
the cases whose fields claim gigabytes, in a small peak RSS."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import assert_no_sanitizer_report, cli_env, release_cli  # noqa: E402
from make_corpus import CASES, GOOD, Case, pcap, write_corpus  # noqa: E402

TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
MAX_SECONDS = 2.0
# Peak RSS above that of the same command on a two-record capture.
MAX_EXTRA_RSS_KB = 4 * 1024


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_kb: int | None


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_corpus(tmp_path_factory.mktemp("malformed"))


def run(cli: str, *args: object) -> Run:
    argv = [cli, *map(str, args)]
    rss_file = None
    if TIME:
        rss_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"pcapframe-rss-{os.getpid()}"
        argv = [TIME, "-f", "%M", "-o", str(rss_file), *argv]
    start = time.monotonic()
    proc = subprocess.run(argv, capture_output=True, env=cli_env(), timeout=60)
    seconds = time.monotonic() - start
    rss = None
    if rss_file and rss_file.exists():
        lines = rss_file.read_text().split()
        rss = int(lines[-1]) if lines and lines[-1].isdigit() else None
        rss_file.unlink()
    stderr = proc.stderr.decode("utf-8", "replace")
    assert_no_sanitizer_report(proc.returncode, stderr)
    return Run(proc.returncode, proc.stdout.decode("utf-8"), stderr, seconds, rss)


def check_message(case: Case, result: Run) -> None:
    if case.message is None:
        assert result.stderr == "", result.stderr
    else:
        assert case.message in result.stderr, result.stderr


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_packets(cli: str, corpus: dict[str, Path], case: Case, strict: bool) -> None:
    result = run(cli, "packets", corpus[case.name], "--format", "jsonl", "--columns", "all", "-q",
                 *(["--strict"] if strict else []))
    assert result.returncode == (case.exit_strict if strict else case.exit_lax), result.stderr
    check_message(case, result)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == (case.rows_strict if strict else case.rows_lax)
    if case.anomaly is not None:
        assert rows[-1]["anomaly"] == case.anomaly
        assert all(row["anomaly"] is None for row in rows[:-1] if case.name != "zero_length_records")
    assert result.seconds < MAX_SECONDS


@pytest.mark.parametrize("strict", [False, True], ids=["lax", "strict"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_info(cli: str, corpus: dict[str, Path], case: Case, strict: bool) -> None:
    result = run(cli, "info", "--json", "-q", corpus[case.name], *(["--strict"] if strict else []))
    expected_exit = case.exit_strict if strict else case.exit_lax
    assert result.returncode == expected_exit, result.stderr
    check_message(case, result)
    if expected_exit == 0:
        doc = json.loads(result.stdout)
        assert doc["packets"] == (case.rows_strict if strict else case.rows_lax)
        if case.message is not None:  # lax: the warning is in the document too
            assert any(case.message in w for w in doc["warnings"]), doc.get("warnings")
        else:
            assert not doc.get("warnings")
    assert result.seconds < MAX_SECONDS


@pytest.mark.parametrize("case", [c for c in CASES if c.small_memory], ids=lambda c: c.name)
def test_claimed_gigabytes_cost_no_memory(corpus: dict[str, Path], tmp_path: Path, case: Case) -> None:
    """A length field claiming gigabytes on a 1 KB file: done in milliseconds, in about the
    memory a valid two-record capture takes (release build; ASan's shadow memory blurs RSS)."""
    if not TIME:
        pytest.skip("GNU time is not installed")
    cli = release_cli()
    baseline_file = tmp_path / "baseline.pcap"
    baseline_file.write_bytes(pcap(GOOD, GOOD))
    for command in (["info"], ["packets", "--format", "jsonl", "--columns", "all"]):
        baseline = run(cli, *command, "-q", baseline_file)
        result = run(cli, *command, "-q", corpus[case.name])
        assert baseline.peak_rss_kb is not None and result.peak_rss_kb is not None
        assert result.peak_rss_kb - baseline.peak_rss_kb < MAX_EXTRA_RSS_KB, (
            f"{case.name}: {result.peak_rss_kb} KB peak vs {baseline.peak_rss_kb} KB for a valid capture")
        assert result.seconds < 0.5


def test_corpus_covers_the_issue() -> None:
    """The cases issue #6 lists are all here."""
    names = {c.name for c in CASES}
    assert {"bad_magic", "unsupported_version", "truncated_global_header", "truncated_record_header",
            "truncated_record", "caplen_above_snaplen", "caplen_4gib", "zero_length_records",
            "pcapng_block_length_mismatch", "pcapng_block_length_below_12", "pcapng_huge_block_length",
            "pcapng_packet_before_interface", "pcapng_unknown_interface", "dns_pointer_loop",
            "dns_pointer_past_message", "dns_label_over_63", "dns_name_over_255", "dns_200_labels",
            "ipv4_ihl_below_5", "ipv4_total_length_below_header", "ipv6_100_extension_headers",
            "vlan_100_tags", "gzip_cut_short"} <= names
