# SPDX-License-Identifier: MIT
"""examples/packet-capture-analysis.ipynb runs from top to bottom in a fresh kernel of this
interpreter, and its answers are right: checked against the sample's records read here with
a few lines of struct, not with pcapframe.

The kernel is this interpreter (a kernelspec written to a temporary JUPYTER_PATH), so the
test needs no user-level Jupyter setup and runs the same on a fresh machine."""

from __future__ import annotations

import ipaddress
import json
import sys
from collections import Counter

import pytest
from capture_helpers import ROOT, SAMPLE, read_pcap_records

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")
pytest.importorskip("matplotlib")

NOTEBOOK = ROOT / "examples" / "packet-capture-analysis.ipynb"
KERNEL = "pcapframe-tests"
CLIENT = {"10.77.0.1", "fd77::1"}
SERVER = {"10.77.0.2", "fd77::2"}

# Appended to the notebook in memory: the values the notebook computed, as JSON.
REPORT_CELL = """
import json
print("REPORT " + json.dumps({
    "shape": list(shape),
    "total_bytes": total_bytes,
    "downloaded_bytes": downloaded_bytes,
    "uploaded_bytes": uploaded_bytes,
    "duration": duration,
    "sizes": {k: float(v) for k, v in sizes.items()},
    "n_flows": n_flows,
    "top_destination": top_destinations.index[0],
    "names": names,
    "guessed": guessed,
    "dns_queries": dns_queries,
    "most_popular_query": most_popular_query,
    "send_rate_total": float(rates_all.sum() * window),
}))
"""


def addresses(frame: bytes) -> tuple[str | None, str | None]:
    """(source, destination) of an untagged Ethernet II frame carrying IPv4 or IPv6."""
    ethertype = int.from_bytes(frame[12:14], "big")
    if ethertype == 0x0800:
        return (str(ipaddress.IPv4Address(frame[26:30])), str(ipaddress.IPv4Address(frame[30:34])))
    if ethertype == 0x86DD:
        return (str(ipaddress.IPv6Address(frame[22:38])), str(ipaddress.IPv6Address(frame[38:54])))
    return None, None


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> nbformat.NotebookNode:
    home = tmp_path_factory.mktemp("jupyter")
    spec = home / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "pcapframe tests", "language": "python"}))
    patch = pytest.MonkeyPatch()
    patch.setenv("JUPYTER_PATH", str(home))            # our kernelspec first
    patch.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
    patch.setenv("IPYTHONDIR", str(home / "ipython"))  # no profile of the user's
    patch.setenv("MPLBACKEND", "Agg")
    patch.setenv("MPLCONFIGDIR", str(home / "matplotlib"))
    try:
        nb = nbformat.read(NOTEBOOK, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(REPORT_CELL))
        client = nbclient.NotebookClient(nb, kernel_name=KERNEL, timeout=180,
                                         resources={"metadata": {"path": str(NOTEBOOK.parent)}})
        client.execute()  # raises CellExecutionError, with the cell and traceback, if one fails
    finally:
        patch.undo()
    return nb


def outputs(nb, output_type=None):
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            if output_type is None or output.output_type == output_type:
                yield output


@pytest.fixture(scope="module")
def report(executed) -> dict:
    lines = [line for out in outputs(executed, "stream") for line in out.text.splitlines()
             if line.startswith("REPORT ")]
    assert len(lines) == 1
    return json.loads(lines[0][len("REPORT "):])


def test_the_stored_notebook_is_clean():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert "from parse_pcap import pcap_to_pandas, send_rates" in code[0].source
    assert NOTEBOOK.stat().st_size < 64_000


def test_every_cell_ran_without_error(executed):
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert not list(outputs(executed, "error"))


def test_the_two_figures_were_drawn(executed):
    images = [out for out in outputs(executed) if "image/png" in out.get("data", {})]
    assert len(images) == 2  # the packet-size histogram and the send rates


def test_the_answers(report):
    _, _, records = read_pcap_records(SAMPLE)
    assert report["shape"] == [len(records), 18]
    assert report["total_bytes"] == sum(r.origlen for r in records)
    direction = Counter()
    for r in records:
        src, dst = addresses(r.data)
        if src in SERVER and dst in CLIENT:
            direction["down"] += r.origlen
        elif src in CLIENT and dst in SERVER:
            direction["up"] += r.origlen
    assert report["downloaded_bytes"] == direction["down"]
    assert report["uploaded_bytes"] == direction["up"]
    assert report["downloaded_bytes"] > 1_000_000  # the HTTP downloads (data/README.md)
    assert report["duration"] == pytest.approx((records[-1].ts_ns - records[0].ts_ns) / 1e9,
                                               abs=1e-6)
    lengths = sorted(r.origlen for r in records)
    assert report["sizes"]["max"] == lengths[-1] == 1514
    assert report["sizes"]["min"] == lengths[0]
    assert report["sizes"]["mean"] == pytest.approx(sum(lengths) / len(lengths))
    # send_rates counts every byte once.
    assert report["send_rate_total"] == pytest.approx(report["total_bytes"])


def test_the_traffic_questions(report):
    assert report["top_destination"] in CLIENT  # the client receives the downloads
    assert report["n_flows"] > 100  # each HTTP request is a connection of its own
    # www.pcapframe.test resolves (through CNAMEs) to the server, on IPv4 and IPv6, and the
    # client connects to it right after asking.
    assert report["names"] == {"10.77.0.2": "www.pcapframe.test.",
                               "fd77::2": "www.pcapframe.test."}
    assert report["guessed"] == report["names"]  # the lab's columns alone agree
    assert report["most_popular_query"] == "www.pcapframe.test."
    assert report["dns_queries"] > 30
