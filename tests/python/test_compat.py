# SPDX-License-Identifier: MIT
"""The lab's module and script: `from parse_pcap import ...`, parse_and_save_pcap,
load_parsed_pcap, pcap_to_dict and `python -m pcapframe.parse_pcap FILE [OUT]`."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd

import pcapframe


def test_the_lab_import_line_works(sample):
    from parse_pcap import pcap_to_pandas, send_rates

    df = pcap_to_pandas(str(sample))
    pd.testing.assert_frame_equal(df, pcapframe.pcap_to_pandas(sample))
    rates, times = send_rates(df, 1.0)
    assert len(rates) == len(times) == 12


def test_pickle_round_trip(sample, tmp_path):
    from parse_pcap import load_parsed_pcap, parse_and_save_pcap

    out = tmp_path / "sample.pkl"
    parse_and_save_pcap(str(sample), str(out))
    pd.testing.assert_frame_equal(load_parsed_pcap(str(out)), pcapframe.pcap_to_pandas(sample))


def test_pcap_to_dict(sample):
    from parse_pcap import pcap_to_dict

    rows = pcap_to_dict(sample)
    assert len(rows) == 2795
    assert list(rows[0]) == ["time", "datetime", "length", "mac_dst", "mac_src", "ip_dst",
                             "ip_src", "protocol", "port_dst", "port_src", "is_dns",
                             "dns_query", "dns_resp"]
    dns = next(row for row in rows if row["is_dns"])
    assert isinstance(dns["dns_query"], bytes) and dns["port_dst"] == 53
    assert type(dns["port_dst"]) is int and rows[0]["ip_src"] is None


def test_script(sample, tmp_path, capsys):
    for module in ("pcapframe.parse_pcap", "parse_pcap"):
        out = tmp_path / f"{module}.pkl"
        subprocess.run([sys.executable, "-m", module, str(sample), str(out)], check=True)
        assert len(pd.read_pickle(out)) == 2795
    from pcapframe.parse_pcap import main

    # Without OUT: next to the capture, with .pkl, like the lab's script.
    copy = tmp_path / "copy.pcap"
    copy.write_bytes(sample.read_bytes())
    assert main([str(copy)]) == 0 and (tmp_path / "copy.pkl").exists()
    assert main([]) == 0 and capsys.readouterr().out.startswith("Usage:")
    assert main([str(tmp_path / "no.pcap")]) == 2
    assert "No such file" in capsys.readouterr().err
