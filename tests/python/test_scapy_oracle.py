# SPDX-License-Identifier: MIT
"""pcap_to_pandas against an independent reading of the same frames with scapy.

The oracle follows DESIGN.md's meanings, written here with scapy's own dissectors: every
frame a row, addresses of IPv4 or IPv6, ports and protocol of the outer transport (never
of a packet quoted inside an ICMP error, never of a non-first fragment), ICMPv6 counted as
'ICMP', DNS on UDP 53/5353/5355 and TCP 53, the wire length, full time precision.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pandas as pd
import pytest

import pcapframe

scapy_all = pytest.importorskip("scapy.all")
from scapy.layers.dns import DNS  # noqa: E402
from scapy.layers.inet import ICMP, IP, TCP, UDP  # noqa: E402
from scapy.layers.inet6 import IPv6  # noqa: E402
from scapy.layers.l2 import Dot3, Ether  # noqa: E402

ERROR_LAYERS = {"IPerror", "IPerror6", "TCPerror", "UDPerror", "ICMPerror"}
DNS_UDP_PORTS = {53, 5353, 5355}


def outer_layers(pkt):
    """The packet's layers, stopping where an ICMP error quotes another packet."""
    layer = pkt
    while layer is not None and layer.__class__.__name__ not in ("NoPayload",):
        if layer.__class__.__name__ in ERROR_LAYERS:
            return
        yield layer
        layer = layer.payload if layer.payload else None


def first(pkt, cls):
    for layer in outer_layers(pkt):
        if type(layer) is cls:
            return layer
    return None


def dns_of(pkt, udp, tcp):
    """The DNS message, decoded by scapy from the transport payload."""
    if udp is not None and (udp.sport in DNS_UDP_PORTS or udp.dport in DNS_UDP_PORTS):
        payload = bytes(udp.payload)
    elif tcp is not None and 53 in (tcp.sport, tcp.dport) and len(bytes(tcp.payload)) > 2:
        payload = bytes(tcp.payload)[2:]
    else:
        return None
    if len(payload) < 12:
        return None
    try:
        return DNS(payload)
    except Exception:  # noqa: BLE001 - scapy's dissectors raise many things
        return None


def oracle_rows(path) -> list[dict]:
    rows = []
    for pkt in scapy_all.PcapReader(str(path)):
        ts = Decimal(pkt.time)
        row = {"time": float(pkt.time), "length": pkt.wirelen,
               "datetime": dt.datetime.fromtimestamp(int(ts)) +
               dt.timedelta(microseconds=int((ts - int(ts)) * 1_000_000))}
        link = first(pkt, Ether) or first(pkt, Dot3)
        row["mac_src"] = link.src if link is not None else None
        row["mac_dst"] = link.dst if link is not None else None
        ip = first(pkt, IP) or first(pkt, IPv6)
        row["ip_src"] = ip.src if ip is not None else None
        row["ip_dst"] = ip.dst if ip is not None else None
        row["ip_src_int"] = int.from_bytes(bytes(map(int, ip.src.split("."))), "big") \
            if isinstance(ip, IP) else None
        row["ip_dst_int"] = int.from_bytes(bytes(map(int, ip.dst.split("."))), "big") \
            if isinstance(ip, IP) else None
        later_fragment = isinstance(ip, IP) and ip.frag > 0
        tcp, udp = first(pkt, TCP), first(pkt, UDP)
        if later_fragment:
            tcp = udp = None
        icmp = first(pkt, ICMP) is not None or any(
            type(layer).__name__.startswith("ICMPv6") for layer in outer_layers(pkt))
        transport = tcp or udp
        row["port_src"] = transport.sport if transport is not None else None
        row["port_dst"] = transport.dport if transport is not None else None
        row["protocol"] = "TCP" if tcp is not None else "UDP" if udp is not None else \
            "ICMP" if icmp and not later_fragment else None
        dns = dns_of(pkt, udp, tcp)
        query = dns.qd[0].qname if dns is not None and dns.qd else None
        answer = dns.an[0].rrname if dns is not None and dns.an else None
        row.update(dns_query=query, dns_resp=answer, is_dns=query is not None or answer is not None)
        rows.append(row)
    return rows


def compare(df: pd.DataFrame, rows: list[dict]) -> None:
    assert len(df) == len(rows)
    for name in rows[0]:
        ours = df[name].tolist()
        theirs = [row[name] for row in rows]
        bad = []
        for i, (a, b) in enumerate(zip(ours, theirs)):
            if isinstance(a, float) and math.isnan(a):
                a = None
            if b is None or a is None:
                ok = a is None and b is None
            elif name == "datetime":
                ok = pd.Timestamp(a).floor("us") == pd.Timestamp(b)
            elif name in ("mac_src", "mac_dst", "protocol", "ip_src", "ip_dst", "dns_query",
                          "dns_resp", "time", "is_dns"):
                ok = a == b
            else:
                ok = int(a) == int(b)
            if not ok:
                bad.append((i, a, b))
        assert not bad, (name, bad[:5])
    # The MAC integers are the MAC text read as hex.
    macs = df["mac_src"].dropna()
    assert (df.loc[macs.index, "mac_src_int"] ==
            [int(m.replace(":", ""), 16) for m in macs]).all()


@pytest.mark.parametrize("variant", ["sample", "nanosecond"])
def test_matches_scapy(variant, variants, set_tz):
    set_tz("Asia/Kolkata")  # +05:30: a half-hour offset
    df = pcapframe.pcap_to_pandas(variants[variant])
    compare(df, oracle_rows(variants[variant]))
