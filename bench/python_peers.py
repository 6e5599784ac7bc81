# SPDX-License-Identifier: MIT
"""The peers of bench/python_bench.py: the lab helper's method with scapy, and the same
DataFrame built by a dpkt loop.

``scapy_to_pandas`` is written from the lab helper's description (the helper itself is not
part of this project): a scapy ``PcapReader`` loop that skips frames without an Ethernet
header and builds one dict per packet (time, datetime, length, MACs, IPv4 addresses, ports,
protocol, is_dns, dns_query, dns_resp), then ``pd.DataFrame``, integer columns for the IPv4
addresses (``ipaddress``) and MACs (``int`` of the hex text), ``time_normed``, and the
columns sorted. ``dpkt_to_pandas`` builds the same rows with dpkt's dissectors.

Both give the lab helper's 18 columns, so their output can be compared with
``pcapframe.pcap_to_pandas`` (which, unlike them, keeps non-Ethernet frames and IPv6
addresses: see docs/PYTHON.md).
"""

from __future__ import annotations

import ipaddress
import socket
from datetime import datetime
from typing import Any

import pandas as pd

# The ports on which scapy decodes DNS: 53 (TCP and UDP), mDNS 5353 and LLMNR 5355 (UDP).
DNS_UDP_PORTS = {53, 5353, 5355}


def finish_frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The lab helper's tail: DataFrame, integer addresses, time_normed, sorted columns."""
    df = pd.DataFrame(rows)
    for name in ("ip_dst", "ip_src"):
        df[name + "_int"] = df[name].apply(
            lambda ip: int(ipaddress.ip_address(ip)) if isinstance(ip, str) else None)
    for name in ("mac_dst", "mac_src"):
        df[name + "_int"] = df[name].apply(
            lambda mac: int(mac.replace(":", ""), 16) if isinstance(mac, str) else None)
    df["time_normed"] = df["time"] - df["time"].iloc[0]
    return df.sort_index(axis=1)


# ---- scapy: the lab helper's method ----

def scapy_to_pandas(path: str) -> pd.DataFrame:
    from scapy.all import DNS, ICMP, IP, TCP, UDP, Ether, PcapReader

    rows = []
    for pkt in PcapReader(path):
        if Ether not in pkt:
            continue
        row = {
            "time": float(pkt.time),
            "datetime": datetime.fromtimestamp(float(pkt.time)),
            "length": len(pkt),
            "mac_dst": pkt[Ether].dst,
            "mac_src": pkt[Ether].src,
            "ip_dst": None, "ip_src": None, "protocol": None,
            "port_dst": None, "port_src": None,
            "is_dns": False, "dns_query": None, "dns_resp": None,
        }
        if IP in pkt:
            row["ip_dst"] = pkt[IP].dst
            row["ip_src"] = pkt[IP].src
        if TCP in pkt:
            row["protocol"] = "TCP"
            row["port_dst"] = pkt[TCP].dport
            row["port_src"] = pkt[TCP].sport
        elif UDP in pkt:
            row["protocol"] = "UDP"
            row["port_dst"] = pkt[UDP].dport
            row["port_src"] = pkt[UDP].sport
        elif ICMP in pkt:
            row["protocol"] = "ICMP"
        if DNS in pkt:
            dns = pkt[DNS]
            row["is_dns"] = True
            if dns.qdcount > 0 and dns.qd:
                row["dns_query"] = dns.qd[0].qname
            if dns.ancount > 0 and dns.an:
                row["dns_resp"] = dns.an[0].rrname
        rows.append(row)
    return finish_frame(rows)


# ---- dpkt: the same rows ----

def _mac_text(raw: bytes) -> str:
    return ":".join(f"{b:02x}" for b in raw)


def _dns_name(name: str) -> bytes:
    return (name + ".").encode()


def dpkt_to_pandas(path: str) -> pd.DataFrame:
    import dpkt

    rows = []
    with open(path, "rb") as f:
        for ts, buf in dpkt.pcap.Reader(f):
            try:
                eth = dpkt.ethernet.Ethernet(buf)
            except (dpkt.UnpackError, ValueError):
                continue
            if eth.type < 0x0600:  # 802.3 length field: the lab dropped these frames
                continue
            row = {
                "time": float(ts),
                "datetime": datetime.fromtimestamp(float(ts)),
                "length": len(buf),
                "mac_dst": _mac_text(eth.dst),
                "mac_src": _mac_text(eth.src),
                "ip_dst": None, "ip_src": None, "protocol": None,
                "port_dst": None, "port_src": None,
                "is_dns": False, "dns_query": None, "dns_resp": None,
            }
            net = eth.data
            transport = None
            if isinstance(net, dpkt.ip.IP):
                row["ip_dst"] = socket.inet_ntop(socket.AF_INET, net.dst)
                row["ip_src"] = socket.inet_ntop(socket.AF_INET, net.src)
                transport = net.data
            elif isinstance(net, dpkt.ip6.IP6):
                transport = net.data
            if isinstance(transport, (dpkt.tcp.TCP, dpkt.udp.UDP)):
                row["protocol"] = "TCP" if isinstance(transport, dpkt.tcp.TCP) else "UDP"
                row["port_dst"] = transport.dport
                row["port_src"] = transport.sport
                is_tcp = isinstance(transport, dpkt.tcp.TCP)
                ports = {transport.sport, transport.dport}
                if (53 in ports) if is_tcp else bool(ports & DNS_UDP_PORTS):
                    payload = transport.data[2:] if is_tcp else transport.data
                    try:
                        dns = dpkt.dns.DNS(payload)
                    except (dpkt.UnpackError, ValueError, IndexError):
                        dns = None
                    if dns is not None:
                        row["is_dns"] = True
                        if dns.qd:
                            row["dns_query"] = _dns_name(dns.qd[0].name)
                        if dns.an:
                            row["dns_resp"] = _dns_name(dns.an[0].name)
            elif isinstance(transport, dpkt.icmp.ICMP):  # scapy's ICMP is ICMP for IPv4 only
                row["protocol"] = "ICMP"
            rows.append(row)
    return finish_frame(rows)
