// SPDX-License-Identifier: MIT
// Stable names of the decoder's enums, used by the CLI, JSON, Python and tests.
#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"

namespace pcapframe {

std::string_view anomaly_name(Anomaly a) noexcept {
  switch (a) {
    case Anomaly::None: return "";
    case Anomaly::UnknownLinkType: return "unknown_link_type";
    case Anomaly::TruncatedLink: return "truncated_link";
    case Anomaly::TruncatedVlan: return "truncated_vlan";
    case Anomaly::TooManyVlanTags: return "too_many_vlan_tags";
    case Anomaly::BadEtherType: return "bad_ether_type";
    case Anomaly::TruncatedArp: return "truncated_arp";
    case Anomaly::TruncatedIpv4: return "truncated_ipv4";
    case Anomaly::BadIpv4Header: return "bad_ipv4_header";
    case Anomaly::TruncatedIpv6: return "truncated_ipv6";
    case Anomaly::TooManyIpv6Headers: return "too_many_ipv6_headers";
    case Anomaly::TruncatedTcp: return "truncated_tcp";
    case Anomaly::BadTcpHeader: return "bad_tcp_header";
    case Anomaly::TruncatedUdp: return "truncated_udp";
    case Anomaly::TruncatedIcmp: return "truncated_icmp";
    case Anomaly::TruncatedDns: return "truncated_dns";
    case Anomaly::BadDnsName: return "bad_dns_name";
    case Anomaly::TooManyLayers: return "too_many_layers";
    case Anomaly::UnknownNetwork: return "unknown_network";
  }
  return "";
}

std::string_view transport_name(Transport t) noexcept {
  switch (t) {
    case Transport::None: return "";
    case Transport::Tcp: return "TCP";
    case Transport::Udp: return "UDP";
    case Transport::Icmp: return "ICMP";
  }
  return "";
}

std::string_view link_type_name(LinkType link) noexcept {
  switch (link) {
    case LinkType::Null: return "NULL";
    case LinkType::Ethernet: return "ETHERNET";
    case LinkType::Raw: return "RAW";
    case LinkType::Loop: return "LOOP";
    case LinkType::LinuxSll: return "LINUX_SLL";
    case LinkType::Ipv4: return "IPV4";
    case LinkType::Ipv6: return "IPV6";
    case LinkType::LinuxSll2: return "LINUX_SLL2";
  }
  return "";
}

}  // namespace pcapframe
