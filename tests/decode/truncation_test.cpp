// SPDX-License-Identifier: MIT
// The truncation sweep (STYLE.md): every registered fixture is decoded at every prefix length
// 0..size, each prefix in its own heap buffer so AddressSanitizer sees any read past it.
// For each prefix:
//  - the fields a layer writes equal the full decode's once the prefix holds that layer's
//    header, and are untouched while the prefix ends before the layer starts;
//  - for fixtures that decode cleanly in full, the anomaly is the one of the first layer whose
//    header the prefix cuts (Truncated*), or none once every header is whole.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

// What the decoder reads of a layer before it can go on: [begin, need_end).
std::size_t need_end(const Layer& l) {
  switch (l.kind) {
    case LayerKind::Arp: return l.begin + 8;     // hardware/protocol types, lengths, opcode
    case LayerKind::Icmp:
    case LayerKind::Icmpv6: return l.begin + 2;  // type and code
    default: return l.header_end;
  }
}

// The fixed part after which a layer's fields are written (IPv4 options and TCP options are
// read later, so their fields are known sooner than need_end).
std::size_t fields_end(const Layer& l) {
  switch (l.kind) {
    case LayerKind::Ipv4: return l.begin + 20;
    case LayerKind::Tcp: return l.begin + 20;
    default: return need_end(l);
  }
}

Anomaly truncation_anomaly(LayerKind kind) {
  switch (kind) {
    case LayerKind::Ethernet:
    case LayerKind::Ieee8023:
    case LayerKind::Llc:
    case LayerKind::Sll:
    case LayerKind::Sll2:
    case LayerKind::Null:
    case LayerKind::Loop: return Anomaly::TruncatedLink;
    case LayerKind::Vlan: return Anomaly::TruncatedVlan;
    case LayerKind::Arp: return Anomaly::TruncatedArp;
    case LayerKind::Ipv4: return Anomaly::TruncatedIpv4;
    case LayerKind::Ipv6:
    case LayerKind::Ipv6Extension: return Anomaly::TruncatedIpv6;
    case LayerKind::Tcp: return Anomaly::TruncatedTcp;
    case LayerKind::Udp: return Anomaly::TruncatedUdp;
    case LayerKind::Icmp:
    case LayerKind::Icmpv6: return Anomaly::TruncatedIcmp;
    case LayerKind::DnsHeader:
    case LayerKind::DnsQuestions:
    case LayerKind::DnsFirstAnswer: return Anomaly::TruncatedDns;
    // A TCP segment on port 53 with fewer than 2 bytes is not taken as a message start.
    case LayerKind::DnsTcpLength:
    case LayerKind::Payload:
    case LayerKind::Padding: return Anomaly::None;
  }
  return Anomaly::None;
}

// The anomaly a prefix of `n` bytes of a cleanly decoding fixture must give.
Anomaly expected_anomaly(const FrameFixture& fx, std::size_t n) {
  for (const Layer& l : fx.layers) {
    if (l.quoted || n >= need_end(l)) continue;
    // LINKTYPE_RAW tells IPv4 from IPv6 by the first nibble; with no byte it says IPv4.
    if (n == 0 && fx.link == LinkType::Raw) return Anomaly::TruncatedIpv4;
    return truncation_anomaly(l.kind);
  }
  return Anomaly::None;
}

bool is_link(LayerKind k) {
  return k == LayerKind::Ethernet || k == LayerKind::Ieee8023 || k == LayerKind::Llc ||
         k == LayerKind::Vlan || k == LayerKind::Sll || k == LayerKind::Sll2 ||
         k == LayerKind::Null || k == LayerKind::Loop;
}

// The end of the last unquoted layer matching `pred`, or 0 if none.
template <class Pred>
std::size_t last_end(const FrameFixture& fx, Pred pred) {
  std::size_t end = 0;
  for (const Layer& l : fx.layers)
    if (!l.quoted && pred(l.kind)) end = std::max(end, need_end(l));
  return end;
}

// Check the fields `l` writes: equal to `full` once the prefix (`n` bytes) holds the layer's
// fixed header, untouched while the prefix ends before the layer.
void check_layer_fields(const Layer& l, std::size_t n, const PacketFields& cut,
                        const PacketFields& full, const std::string& where) {
  const bool whole = n >= fields_end(l);
  const bool unreached = n < l.begin;
  switch (l.kind) {
    case LayerKind::Ethernet:
    case LayerKind::Ieee8023:
      if (whole) {
        EXPECT_EQ(cut.has_mac_src, full.has_mac_src) << where;
        EXPECT_EQ(cut.has_mac_dst, full.has_mac_dst) << where;
        EXPECT_EQ(cut.mac_src, full.mac_src) << where;
        EXPECT_EQ(cut.mac_dst, full.mac_dst) << where;
      }
      break;
    case LayerKind::Sll:
    case LayerKind::Sll2:
      if (whole) {
        EXPECT_EQ(cut.has_mac_src, full.has_mac_src) << where;
        EXPECT_EQ(cut.mac_src, full.mac_src) << where;
      }
      break;
    case LayerKind::Llc:
      if (n >= l.begin) {
        EXPECT_EQ(cut.is_llc, full.is_llc) << where;
      }
      if (unreached) {
        EXPECT_FALSE(cut.is_llc) << where;
      }
      break;
    case LayerKind::Vlan:
      // Only the outermost tag's id is kept; every tag's id is checked against it.
      if (whole) {
        EXPECT_EQ(cut.vlan_id, full.vlan_id) << where;
      }
      break;
    case LayerKind::Arp:
      if (n >= l.begin) {
        EXPECT_EQ(cut.is_arp, full.is_arp) << where;
      }
      if (unreached) {
        EXPECT_FALSE(cut.is_arp) << where;
      }
      break;
    case LayerKind::Ipv4:
      if (whole) {
        EXPECT_EQ(cut.ip_src, full.ip_src) << where;
        EXPECT_EQ(cut.ip_dst, full.ip_dst) << where;
        EXPECT_EQ(cut.ttl, full.ttl) << where;
        EXPECT_EQ(cut.ip_proto, full.ip_proto) << where;
        EXPECT_EQ(cut.is_fragment, full.is_fragment) << where;
        EXPECT_EQ(cut.is_later_fragment, full.is_later_fragment) << where;
      }
      if (unreached) {
        EXPECT_EQ(cut.ip_src.version, 0) << where;
      }
      break;
    case LayerKind::Ipv6:
      if (whole) {
        EXPECT_EQ(cut.ip_src, full.ip_src) << where;
        EXPECT_EQ(cut.ip_dst, full.ip_dst) << where;
        EXPECT_EQ(cut.ttl, full.ttl) << where;
      }
      if (unreached) {
        EXPECT_EQ(cut.ip_src.version, 0) << where;
      }
      break;
    case LayerKind::Ipv6Extension: break;  // ip_proto and fragment flags: see the IP group
    case LayerKind::Tcp:
      if (whole) {
        EXPECT_EQ(cut.transport, full.transport) << where;
        EXPECT_EQ(cut.has_ports, full.has_ports) << where;
        EXPECT_EQ(cut.port_src, full.port_src) << where;
        EXPECT_EQ(cut.port_dst, full.port_dst) << where;
        EXPECT_EQ(cut.tcp_flags, full.tcp_flags) << where;
      }
      if (unreached) {
        EXPECT_EQ(cut.transport, Transport::None) << where;
      }
      break;
    case LayerKind::Udp:
      if (whole) {
        EXPECT_EQ(cut.transport, full.transport) << where;
        EXPECT_EQ(cut.has_ports, full.has_ports) << where;
        EXPECT_EQ(cut.port_src, full.port_src) << where;
        EXPECT_EQ(cut.port_dst, full.port_dst) << where;
      }
      if (unreached) {
        EXPECT_EQ(cut.transport, Transport::None) << where;
      }
      break;
    case LayerKind::Icmp:
    case LayerKind::Icmpv6:
      if (whole) {
        EXPECT_EQ(cut.transport, full.transport) << where;
        EXPECT_EQ(cut.icmp_type, full.icmp_type) << where;
        EXPECT_EQ(cut.icmp_code, full.icmp_code) << where;
      }
      if (unreached) {
        EXPECT_EQ(cut.transport, Transport::None) << where;
      }
      break;
    case LayerKind::DnsHeader:
      if (whole) {
        EXPECT_EQ(cut.dns_message, full.dns_message) << where;
        EXPECT_EQ(cut.dns_id, full.dns_id) << where;
        EXPECT_EQ(cut.dns_is_response, full.dns_is_response) << where;
        EXPECT_EQ(cut.dns_rcode, full.dns_rcode) << where;
        EXPECT_EQ(cut.dns_question_count, full.dns_question_count) << where;
        EXPECT_EQ(cut.dns_answer_count, full.dns_answer_count) << where;
        EXPECT_EQ(cut.dns_offset, full.dns_offset) << where;
      }
      if (n < need_end(l)) {
        EXPECT_FALSE(cut.dns_message) << where;
      }
      break;
    case LayerKind::DnsQuestions:
      if (whole) {
        EXPECT_EQ(cut.dns_query.view(), full.dns_query.view()) << where;
        EXPECT_EQ(cut.dns_query_type, full.dns_query_type) << where;
      }
      break;
    case LayerKind::DnsFirstAnswer:
      if (whole) {
        EXPECT_EQ(cut.dns_answer.view(), full.dns_answer.view()) << where;
        EXPECT_EQ(cut.is_dns, full.is_dns) << where;
      }
      if (n < l.begin) {
        EXPECT_FALSE(cut.dns_answer.present()) << where;
      }
      break;
    case LayerKind::Null:
    case LayerKind::Loop:
    case LayerKind::DnsTcpLength:
    case LayerKind::Payload:
    case LayerKind::Padding: break;
  }
}

std::vector<const FrameFixture*> all_fixtures() {
  std::vector<const FrameFixture*> out;
  for (FixtureFn fn : fixture_registry()) out.push_back(&fn());
  return out;
}

class TruncationSweep : public ::testing::TestWithParam<const FrameFixture*> {};

TEST_P(TruncationSweep, EveryPrefix) {
  const FrameFixture& fx = *GetParam();
  const PacketFields full = decode(fx);
  const bool clean = full.anomaly == Anomaly::None;
  const std::size_t link_end = last_end(fx, is_link);
  const std::size_t ip_end = last_end(fx, [](LayerKind k) {
    return k == LayerKind::Ipv4 || k == LayerKind::Ipv6 || k == LayerKind::Ipv6Extension;
  });
  const std::size_t vlan_end = last_end(fx, [](LayerKind k) { return k == LayerKind::Vlan; });

  for (std::size_t n = 0; n <= fx.bytes.size(); ++n) {
    // A buffer of exactly n bytes, so ASan reports a read past the prefix.
    const std::vector<std::byte> prefix(fx.bytes.begin(),
                                        fx.bytes.begin() + static_cast<std::ptrdiff_t>(n));
    const PacketFields cut = decode(fx.link, prefix);
    const std::string where = fx.name + " cut at " + std::to_string(n) + " of " +
                              std::to_string(fx.bytes.size());

    if (n == fx.bytes.size()) {
      expect_same_fields(cut, full);
      continue;
    }
    if (clean) {
      EXPECT_EQ(cut.anomaly, expected_anomaly(fx, n)) << where;
    }
    for (const Layer& l : fx.layers)
      if (!l.quoted) check_layer_fields(l, n, cut, full, where);
    // Fields later layers may overwrite: compare once the whole group is in.
    if (link_end != 0 && n >= link_end) {
      EXPECT_EQ(cut.ether_type, full.ether_type) << where;
      EXPECT_EQ(cut.is_llc, full.is_llc) << where;
    }
    if (vlan_end != 0 && n >= vlan_end) {
      EXPECT_EQ(cut.vlan_count, full.vlan_count) << where;
    }
    if (ip_end != 0 && n >= ip_end) {
      EXPECT_EQ(cut.ip_proto, full.ip_proto) << where;
      EXPECT_EQ(cut.is_fragment, full.is_fragment) << where;
      EXPECT_EQ(cut.is_later_fragment, full.is_later_fragment) << where;
    }
    if (::testing::Test::HasFailure()) return;  // one prefix's report is enough
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, TruncationSweep, ::testing::ValuesIn(all_fixtures()),
                         [](const ::testing::TestParamInfo<const FrameFixture*>& param_info) {
                           return param_info.param->name;
                         });

// The sweep is only as good as its fixtures: make sure they are all there, and that the
// clean ones, which get the anomaly check, cover each protocol's truncation anomaly.
TEST(TruncationSweepCoverage, CleanFixturesCutEveryHeaderKind) {
  std::set<Anomaly> seen;
  std::size_t clean = 0;
  for (const FrameFixture* fx : all_fixtures()) {
    if (decode(*fx).anomaly != Anomaly::None) continue;
    ++clean;
    for (std::size_t n = 0; n < fx->bytes.size(); ++n) seen.insert(expected_anomaly(*fx, n));
  }
  EXPECT_GE(all_fixtures().size(), 60u);
  EXPECT_GE(clean, 45u);
  for (Anomaly a : {Anomaly::TruncatedLink, Anomaly::TruncatedVlan, Anomaly::TruncatedArp,
                    Anomaly::TruncatedIpv4, Anomaly::TruncatedIpv6, Anomaly::TruncatedTcp,
                    Anomaly::TruncatedUdp, Anomaly::TruncatedIcmp, Anomaly::TruncatedDns})
    EXPECT_TRUE(seen.count(a)) << anomaly_name(a);
}

}  // namespace
}  // namespace pcapframe::test
