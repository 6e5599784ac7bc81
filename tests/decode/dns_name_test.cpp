// SPDX-License-Identifier: MIT
// decode_dns_name (RFC 1035 §3.1, §4.1.4): labels, pointers, and the hostile cases, called
// directly and through whole frames.
#include <gtest/gtest.h>

#include <string>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

struct NameResult {
  Anomaly anomaly;
  std::string text;
  std::size_t next_offset;
};

NameResult decode_name(const std::vector<std::byte>& message, std::size_t offset) {
  DnsName name;
  std::size_t next = 0xdead;
  const Anomaly a = decode_dns_name(message, offset, name, next);
  return {a, std::string(name.view()), next};
}

std::vector<std::byte> concat(std::initializer_list<std::vector<std::byte>> parts) {
  std::vector<std::byte> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// `n` labels of 'a': 2n + 1 wire bytes.
WireName labels_of_a(int n) {
  WireName w;
  for (int i = 0; i < n; ++i) w.label("a");
  return w;
}

// Into `w`: "a" at offset 0, then `n` pointers, each to the one before it. Returns the offset
// of the last pointer.
std::size_t pointer_chain(WireName& w, int n) {
  w.label("a").root();
  std::size_t prev = 0;
  for (int i = 0; i < n; ++i) {
    const std::size_t here = w.size();
    w.pointer(static_cast<unsigned>(prev));
    prev = here;
  }
  return prev;
}

// A name of exactly `wire_len` bytes on the wire (>= 2): 63-byte labels, then the rest.
WireName name_of_wire_length(std::size_t wire_len) {
  WireName w;
  std::size_t left = wire_len - 1;  // the terminating zero
  while (left > 0) {
    const std::size_t label = std::min<std::size_t>(63, left - 1);
    if (label == 0) throw std::invalid_argument("no name has that wire length with 63-byte labels");
    w.label(label, 'x');
    left -= label + 1;
  }
  return w.root();
}

TEST(DnsName, PlainName) {
  const auto msg = WireName("www.example.com").wire();
  const NameResult r = decode_name(msg, 0);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, "www.example.com.");
  EXPECT_EQ(r.next_offset, 17u);
}

TEST(DnsName, AtAnOffset) {
  const auto msg = concat({to_bytes({0xde, 0xad, 0xbe}), WireName("a.bc").wire(), to_bytes({0xff})});
  const NameResult r = decode_name(msg, 3);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, "a.bc.");
  EXPECT_EQ(r.next_offset, 3u + 6u);
}

TEST(DnsName, RootIsADot) {
  const NameResult r = decode_name(to_bytes({0}), 0);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, ".");
  EXPECT_EQ(r.next_offset, 1u);
}

TEST(DnsName, OutputIsResetFirst) {
  DnsName name;
  std::size_t next = 0;
  ASSERT_EQ(decode_dns_name(WireName("long.previous.name").wire(), 0, name, next), Anomaly::None);
  ASSERT_EQ(decode_dns_name(WireName("b").wire(), 0, name, next), Anomaly::None);
  EXPECT_EQ(name.view(), "b.");
  EXPECT_EQ(next, 3u);
}

TEST(DnsName, PointerAfterLabels) {
  // offset 0: "example.com"; offset 13: "www" + pointer to 0.
  const auto msg =
      concat({WireName("example.com").wire(), WireName().label("www").pointer(0).wire()});
  const NameResult r = decode_name(msg, 13);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, "www.example.com.");
  EXPECT_EQ(r.next_offset, 13u + 4u + 2u);  // just past the pointer, where the name sits
}

TEST(DnsName, PointerOnlyName) {
  const auto msg = concat({WireName("example.com").wire(), WireName().pointer(0).wire()});
  const NameResult r = decode_name(msg, 13);
  EXPECT_EQ(r.text, "example.com.");
  EXPECT_EQ(r.next_offset, 15u);
}

TEST(DnsName, PointerToPointer) {
  // 0: "c.d"; 5: -> 0; 7: "b" -> 5; 11: "a" -> 7.
  const auto msg = concat({WireName("c.d").wire(), WireName().pointer(0).wire(),
                           WireName().label("b").pointer(5).wire(),
                           WireName().label("a").pointer(7).wire()});
  const NameResult r = decode_name(msg, 11);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, "a.b.c.d.");
  EXPECT_EQ(r.next_offset, 15u);
}

TEST(DnsName, Label63IsAllowed) {
  const auto msg = WireName().label(63, 'q').label("com").root().wire();
  const NameResult r = decode_name(msg, 0);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, std::string(63, 'q') + ".com.");
}

TEST(DnsName, LabelLongerThan63IsBad) {
  // A length byte of 64..191 has a label-type bit set (0x40 extended, 0x80 reserved).
  for (std::size_t length : {std::size_t{64}, std::size_t{100}, std::size_t{191}}) {
    const auto msg = WireName().label(length, 'q').root().wire();
    EXPECT_EQ(decode_name(msg, 0).anomaly, Anomaly::BadDnsName) << length;
  }
}

TEST(DnsName, Exactly255WireBytesIsAllowed) {
  const auto msg = name_of_wire_length(255).wire();
  ASSERT_EQ(msg.size(), 255u);
  const NameResult r = decode_name(msg, 0);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text.size(), kMaxDnsNameText);  // 254 characters with the trailing dot
  EXPECT_EQ(r.text.back(), '.');
  EXPECT_EQ(r.next_offset, 255u);
}

TEST(DnsName, Over255WireBytesIsBad) {
  const auto msg = name_of_wire_length(256).wire();
  ASSERT_EQ(msg.size(), 256u);
  EXPECT_EQ(decode_name(msg, 0).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, LengthLimitCountsBytesReachedThroughPointers) {
  // 200 bytes of labels at 0, then 60 more bytes of labels pointing to them: 261 in all.
  const auto head = name_of_wire_length(201).wire();  // 200 bytes of labels + zero
  WireName tail;
  tail.label(59, 't').pointer(0);
  const auto msg = concat({head, tail.wire()});
  EXPECT_EQ(decode_name(msg, head.size()).anomaly, Anomaly::BadDnsName);
  // 54 more bytes (255 in all) is fine.
  WireName fits;
  fits.label(53, 't').pointer(0);
  const auto ok = concat({head, fits.wire()});
  const NameResult r = decode_name(ok, head.size());
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text.size(), 254u);
}

TEST(DnsName, TwoHundredLabelsAreBad) {
  EXPECT_EQ(decode_name(labels_of_a(200).root().wire(), 0).anomaly, Anomaly::BadDnsName);
  // 127 one-byte labels are 255 bytes: the most labels a name can have.
  const NameResult r = decode_name(labels_of_a(127).root().wire(), 0);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text.size(), 254u);
  EXPECT_EQ(decode_name(labels_of_a(128).root().wire(), 0).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, TwoHundredNestedCompressedLevelsAreBad) {
  // Level 0 is "a" at offset 0; level k is "a" + a pointer to level k-1.
  WireName w;
  w.label("a").root();
  std::size_t prev = 0;
  for (int level = 1; level < 200; ++level) {
    const std::size_t here = w.size();
    w.label("a").pointer(static_cast<unsigned>(prev));
    prev = here;
  }
  EXPECT_EQ(decode_name(w.wire(), prev).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, TwoHundredChainedPointersAreBad) {
  WireName w;
  const std::size_t last = pointer_chain(w, 200);
  EXPECT_EQ(decode_name(w.wire(), last).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, ShortPointerChainIsFine) {
  WireName w;
  const std::size_t last = pointer_chain(w, 10);
  const NameResult r = decode_name(w.wire(), last);
  EXPECT_EQ(r.anomaly, Anomaly::None);
  EXPECT_EQ(r.text, "a.");
  EXPECT_EQ(r.next_offset, last + 2);
}

TEST(DnsName, PointerToItselfIsBad) {
  const auto msg = concat({to_bytes({0xaa, 0xbb}), WireName().pointer(2).wire()});
  EXPECT_EQ(decode_name(msg, 2).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, TwoPointerCycleIsBad) {
  const auto msg = WireName().pointer(2).pointer(0).wire();
  EXPECT_EQ(decode_name(msg, 0).anomaly, Anomaly::BadDnsName);
  EXPECT_EQ(decode_name(msg, 2).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, CycleThroughALabelIsBad) {
  // "a" then a pointer back to the "a": a.a.a.... until the 255-byte limit.
  const auto msg = WireName().label("a").pointer(0).wire();
  EXPECT_EQ(decode_name(msg, 0).anomaly, Anomaly::BadDnsName);
}

TEST(DnsName, PointerPastTheMessageIsTruncated) {
  const auto msg = concat({WireName("x").wire(), WireName().label("y").pointer(0x3fff).wire()});
  EXPECT_EQ(decode_name(msg, 3).anomaly, Anomaly::TruncatedDns);
  // Pointing at the first byte after the message.
  const auto edge = WireName().pointer(2).wire();
  EXPECT_EQ(decode_name(edge, 0).anomaly, Anomaly::TruncatedDns);
}

TEST(DnsName, PointerCutAfterItsFirstByteIsTruncated) {
  EXPECT_EQ(decode_name(to_bytes({0x01, 'a', 0xc0}), 0).anomaly, Anomaly::TruncatedDns);
}

TEST(DnsName, LabelRunningPastTheMessageIsTruncated) {
  EXPECT_EQ(decode_name(to_bytes({0x05, 'a', 'b'}), 0).anomaly, Anomaly::TruncatedDns);
}

TEST(DnsName, MissingTerminatorIsTruncated) {
  EXPECT_EQ(decode_name(WireName().label("abc").label("de").wire(), 0).anomaly,
            Anomaly::TruncatedDns);
}

TEST(DnsName, OffsetAtOrPastTheEndIsTruncated) {
  const auto msg = WireName("a").wire();
  EXPECT_EQ(decode_name(msg, msg.size()).anomaly, Anomaly::TruncatedDns);
  EXPECT_EQ(decode_name(msg, msg.size() + 10).anomaly, Anomaly::TruncatedDns);
  EXPECT_EQ(decode_name({}, 0).anomaly, Anomaly::TruncatedDns);
}

class DnsNameReservedLabelType : public ::testing::TestWithParam<unsigned> {};

TEST_P(DnsNameReservedLabelType, IsBad) {
  // 0x40 (RFC 6891 extended label) and 0x80 (reserved): neither a length nor a pointer.
  const auto msg = concat({WireName().label("ok").raw(GetParam()).wire(), to_bytes({'z', 'z', 0})});
  EXPECT_EQ(decode_name(msg, 0).anomaly, Anomaly::BadDnsName);
}

INSTANTIATE_TEST_SUITE_P(Types, DnsNameReservedLabelType,
                         ::testing::Values(0x40u, 0x41u, 0x7fu, 0x80u, 0xbfu));

// The same rules through whole frames.
FrameBuilder dns_frame_with_question(WireName name) {
  FrameBuilder b;
  b.ethernet(kMacA, kMacB)
      .ipv4("10.0.0.1", "10.0.0.53")
      .udp(40000, 53)
      .dns(DnsBuilder().id(1).question(std::move(name)));
  return b;
}

DECODE_FIXTURE(dns_name_255_bytes, LinkType::Ethernet) {
  return dns_frame_with_question(name_of_wire_length(255));
}
DECODE_FIXTURE(dns_name_256_bytes, LinkType::Ethernet) {
  return dns_frame_with_question(name_of_wire_length(256));
}
DECODE_FIXTURE(dns_name_self_pointer, LinkType::Ethernet) {
  return dns_frame_with_question(WireName().pointer(12));
}
DECODE_FIXTURE(dns_name_two_pointer_cycle, LinkType::Ethernet) {
  return dns_frame_with_question(WireName().pointer(14).pointer(12));
}
DECODE_FIXTURE(dns_name_forward_pointer_past_message, LinkType::Ethernet) {
  return dns_frame_with_question(WireName().label("fw").pointer(0x3000));
}
DECODE_FIXTURE(dns_name_extended_label_type, LinkType::Ethernet) {
  return dns_frame_with_question(WireName().raw(0x41).label("x").root());
}
DECODE_FIXTURE(dns_name_200_labels, LinkType::Ethernet) {
  return dns_frame_with_question(labels_of_a(200).root());
}
DECODE_FIXTURE(dns_name_label_63, LinkType::Ethernet) {
  return dns_frame_with_question(WireName().label(63, 'L').root());
}

TEST(DnsNameInFrame, Exactly255WireBytes) {
  const PacketFields f = decode(dns_name_255_bytes());
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_EQ(f.dns_query.length, 254);
  EXPECT_TRUE(f.is_dns);
}

TEST(DnsNameInFrame, Label63) {
  const PacketFields f = decode(dns_name_label_63());
  EXPECT_EQ(f.anomaly, Anomaly::None);
  EXPECT_EQ(f.dns_query.view(), std::string(63, 'L') + ".");
}

TEST(DnsNameInFrame, HostileNames) {
  const std::pair<const FrameFixture*, Anomaly> cases[] = {
      {&dns_name_256_bytes(), Anomaly::BadDnsName},
      {&dns_name_self_pointer(), Anomaly::BadDnsName},
      {&dns_name_two_pointer_cycle(), Anomaly::BadDnsName},
      {&dns_name_forward_pointer_past_message(), Anomaly::TruncatedDns},
      {&dns_name_extended_label_type(), Anomaly::BadDnsName},
      {&dns_name_200_labels(), Anomaly::BadDnsName},
  };
  for (const auto& [fixture, anomaly] : cases) {
    const PacketFields f = decode(*fixture);
    EXPECT_EQ(f.anomaly, anomaly) << fixture->name;
    EXPECT_TRUE(f.dns_message) << fixture->name;
    EXPECT_FALSE(f.is_dns) << fixture->name;
    EXPECT_FALSE(f.dns_query.present()) << fixture->name;
    EXPECT_EQ(f.dns_id, 1) << fixture->name;
    EXPECT_EQ(f.port_dst, 53) << fixture->name;
  }
}

}  // namespace
}  // namespace pcapframe::test
