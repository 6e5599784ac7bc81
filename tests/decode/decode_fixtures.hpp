// SPDX-License-Identifier: MIT
// Named decoder fixtures shared by the per-decoder tests and the truncation sweep, plus the
// helpers every decode test uses (decode, addresses, printers).
//
// DECODE_FIXTURE(name, link) { return FrameBuilder()...; } defines `name()` in the file (a
// FrameFixture built once) and registers it, so truncation_test.cpp decodes every prefix of
// every fixture without a second list to keep in step.
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <ostream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcapframe/decode.hpp"
#include "pcapframe/fields.hpp"
#include "support/frame_builder.hpp"

namespace pcapframe {

// Readable gtest failure messages for the decoder's types (found by ADL).
inline void PrintTo(Anomaly a, std::ostream* os) {
  *os << "Anomaly::" << (a == Anomaly::None ? std::string_view("None") : anomaly_name(a));
}
inline void PrintTo(Transport t, std::ostream* os) {
  *os << "Transport::" << (t == Transport::None ? std::string_view("None") : transport_name(t));
}
inline void PrintTo(const IpAddress& a, std::ostream* os) {
  *os << "IPv" << int{a.version} << "{";
  const int n = a.version == 6 ? 16 : 4;
  for (int i = 0; i < n; ++i) *os << (i ? " " : "") << int{a.bytes[static_cast<std::size_t>(i)]};
  *os << "}";
}

}  // namespace pcapframe

namespace pcapframe::test {

/// A named frame with its link type and layer map.
struct FrameFixture {
  std::string name;
  LinkType link = LinkType::Ethernet;
  std::vector<std::byte> bytes;
  std::vector<Layer> layers;

  /// The `nth` layer of `kind` (0 = outermost); throws if there is none.
  const Layer& layer(LayerKind kind, int nth = 0) const {
    for (const Layer& l : layers)
      if (l.kind == kind && nth-- == 0) return l;
    throw std::out_of_range("fixture " + name + " has no such layer");
  }
};

using FixtureFn = const FrameFixture& (*)();

inline std::vector<FixtureFn>& fixture_registry() {
  static std::vector<FixtureFn> registry;
  return registry;
}

inline bool register_fixture(FixtureFn fn) {
  fixture_registry().push_back(fn);
  return true;
}

inline FrameFixture make_fixture(std::string name, LinkType link, const FrameBuilder& builder) {
  BuiltFrame built = builder.build_with_layers();
  return FrameFixture{std::move(name), link, std::move(built.bytes), std::move(built.layers)};
}

#define DECODE_FIXTURE(ident, link_type)                                                     \
  static ::pcapframe::test::FrameBuilder ident##_frame();                                    \
  [[maybe_unused]] static const ::pcapframe::test::FrameFixture& ident() {                   \
    static const ::pcapframe::test::FrameFixture fixture =                                   \
        ::pcapframe::test::make_fixture(#ident, link_type, ident##_frame());                 \
    return fixture;                                                                          \
  }                                                                                          \
  [[maybe_unused]] static const bool ident##_registered =                                    \
      ::pcapframe::test::register_fixture(&ident);                                           \
  static ::pcapframe::test::FrameBuilder ident##_frame()

/// Decode `frame` as link type `link` into a fresh PacketFields.
inline PacketFields decode(LinkType link, std::span<const std::byte> frame) {
  PacketFields out;
  decode_frame(link, frame, out);
  return out;
}
inline PacketFields decode(const FrameFixture& f) { return decode(f.link, f.bytes); }
inline PacketFields decode(LinkType link, const FrameBuilder& builder) {
  return decode(link, builder.build());
}

/// An expected IPv4 address.
inline IpAddress ip4(std::string_view text) {
  IpAddress a;
  a.version = 4;
  const Ipv4Bytes b = ipv4_address(text);
  std::copy(b.begin(), b.end(), a.bytes.begin());
  return a;
}
/// An expected IPv6 address.
inline IpAddress ip6(std::string_view text) {
  IpAddress a;
  a.version = 6;
  a.bytes = ipv6_address(text);
  return a;
}

/// A LinkType value the decoder does not name (LINKTYPE_IEEE802_11 is 105).
inline LinkType link_type(std::uint16_t value) { return static_cast<LinkType>(value); }

/// Compare every field of two decodes.
inline void expect_same_fields(const PacketFields& a, const PacketFields& b) {
  EXPECT_EQ(a.has_mac_src, b.has_mac_src);
  EXPECT_EQ(a.has_mac_dst, b.has_mac_dst);
  EXPECT_EQ(a.mac_src, b.mac_src);
  EXPECT_EQ(a.mac_dst, b.mac_dst);
  EXPECT_EQ(a.ether_type, b.ether_type);
  EXPECT_EQ(a.is_llc, b.is_llc);
  EXPECT_EQ(a.vlan_count, b.vlan_count);
  EXPECT_EQ(a.vlan_id, b.vlan_id);
  EXPECT_EQ(a.is_arp, b.is_arp);
  EXPECT_EQ(a.ip_src, b.ip_src);
  EXPECT_EQ(a.ip_dst, b.ip_dst);
  EXPECT_EQ(a.ip_proto, b.ip_proto);
  EXPECT_EQ(a.ttl, b.ttl);
  EXPECT_EQ(a.is_fragment, b.is_fragment);
  EXPECT_EQ(a.is_later_fragment, b.is_later_fragment);
  EXPECT_EQ(a.transport, b.transport);
  EXPECT_EQ(a.has_ports, b.has_ports);
  EXPECT_EQ(a.port_src, b.port_src);
  EXPECT_EQ(a.port_dst, b.port_dst);
  EXPECT_EQ(a.tcp_flags, b.tcp_flags);
  EXPECT_EQ(a.icmp_type, b.icmp_type);
  EXPECT_EQ(a.icmp_code, b.icmp_code);
  EXPECT_EQ(a.is_dns, b.is_dns);
  EXPECT_EQ(a.dns_message, b.dns_message);
  EXPECT_EQ(a.dns_is_response, b.dns_is_response);
  EXPECT_EQ(a.dns_rcode, b.dns_rcode);
  EXPECT_EQ(a.dns_id, b.dns_id);
  EXPECT_EQ(a.dns_question_count, b.dns_question_count);
  EXPECT_EQ(a.dns_answer_count, b.dns_answer_count);
  EXPECT_EQ(a.dns_offset, b.dns_offset);
  EXPECT_EQ(a.dns_length, b.dns_length);
  EXPECT_EQ(a.dns_query_type, b.dns_query_type);
  EXPECT_EQ(a.dns_query.view(), b.dns_query.view());
  EXPECT_EQ(a.dns_answer.view(), b.dns_answer.view());
  EXPECT_EQ(a.anomaly, b.anomaly);
}

// Addresses used across the decoder tests. The MAC bytes all differ, so a swapped or
// misordered load shows.
inline const Mac kMacA = mac("00:11:22:33:44:55");
inline const Mac kMacB = mac("66:77:88:99:aa:bb");
inline constexpr std::uint64_t kMacAValue = 0x001122334455;
inline constexpr std::uint64_t kMacBValue = 0x66778899aabb;

}  // namespace pcapframe::test
