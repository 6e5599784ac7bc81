// SPDX-License-Identifier: MIT
// The decoder's stable names (names.cpp): CLI, JSON, Python and exports depend on them.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

TEST(Names, AnomalyNamesAreStableAndDistinct) {
  EXPECT_EQ(anomaly_name(Anomaly::None), "");
  EXPECT_EQ(anomaly_name(Anomaly::UnknownLinkType), "unknown_link_type");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedLink), "truncated_link");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedVlan), "truncated_vlan");
  EXPECT_EQ(anomaly_name(Anomaly::TooManyVlanTags), "too_many_vlan_tags");
  EXPECT_EQ(anomaly_name(Anomaly::BadEtherType), "bad_ether_type");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedArp), "truncated_arp");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedIpv4), "truncated_ipv4");
  EXPECT_EQ(anomaly_name(Anomaly::BadIpv4Header), "bad_ipv4_header");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedIpv6), "truncated_ipv6");
  EXPECT_EQ(anomaly_name(Anomaly::TooManyIpv6Headers), "too_many_ipv6_headers");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedTcp), "truncated_tcp");
  EXPECT_EQ(anomaly_name(Anomaly::BadTcpHeader), "bad_tcp_header");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedUdp), "truncated_udp");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedIcmp), "truncated_icmp");
  EXPECT_EQ(anomaly_name(Anomaly::TruncatedDns), "truncated_dns");
  EXPECT_EQ(anomaly_name(Anomaly::BadDnsName), "bad_dns_name");
  EXPECT_EQ(anomaly_name(Anomaly::TooManyLayers), "too_many_layers");
  EXPECT_EQ(anomaly_name(Anomaly::UnknownNetwork), "unknown_network");

  // Append-only numbering: the values are part of the table's anomaly column.
  EXPECT_EQ(static_cast<int>(Anomaly::UnknownLinkType), 1);
  EXPECT_EQ(static_cast<int>(Anomaly::UnknownNetwork), 18);
  std::set<std::string> seen;
  for (int v = 1; v <= static_cast<int>(Anomaly::UnknownNetwork); ++v) {
    const std::string name(anomaly_name(static_cast<Anomaly>(v)));
    EXPECT_FALSE(name.empty()) << v;
    EXPECT_TRUE(seen.insert(name).second) << name;
  }
}

TEST(Names, TransportNamesAreTheLabs) {
  EXPECT_EQ(transport_name(Transport::None), "");
  EXPECT_EQ(transport_name(Transport::Tcp), "TCP");
  EXPECT_EQ(transport_name(Transport::Udp), "UDP");
  EXPECT_EQ(transport_name(Transport::Icmp), "ICMP");
}

TEST(Names, LinkTypeNamesAreTheRegistrys) {
  EXPECT_EQ(link_type_name(LinkType::Null), "NULL");
  EXPECT_EQ(link_type_name(LinkType::Ethernet), "ETHERNET");
  EXPECT_EQ(link_type_name(LinkType::Raw), "RAW");
  EXPECT_EQ(link_type_name(LinkType::Loop), "LOOP");
  EXPECT_EQ(link_type_name(LinkType::LinuxSll), "LINUX_SLL");
  EXPECT_EQ(link_type_name(LinkType::Ipv4), "IPV4");
  EXPECT_EQ(link_type_name(LinkType::Ipv6), "IPV6");
  EXPECT_EQ(link_type_name(LinkType::LinuxSll2), "LINUX_SLL2");
  EXPECT_EQ(link_type_name(link_type(105)), "");
}

}  // namespace
}  // namespace pcapframe::test
