// SPDX-License-Identifier: MIT
// DnsRecordCursor (dns_records.cpp): every resource record of a message, bounds-checked.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

using Section = DnsRecord::Section;

std::vector<DnsRecord> walk(std::span<const std::byte> message, Anomaly* anomaly = nullptr) {
  DnsRecordCursor cursor(message);
  std::vector<DnsRecord> out;
  DnsRecord r;
  while (cursor.next(r)) out.push_back(r);
  if (anomaly != nullptr) *anomaly = cursor.anomaly();
  return out;
}

DECODE_FIXTURE(dns_records_full_response, LinkType::Ethernet) {
  return FrameBuilder()
      .ethernet(kMacA, kMacB)
      .ipv4("192.0.2.53", "192.0.2.10")
      .udp(53, 41000)
      .dns(DnsBuilder()
               .id(0x7777)
               .response()
               .question("www.example.com", dns_type::kA)
               .answer_cname("www.example.com", "cdn.example.net", 60)
               .answer_a("cdn.example.net", "93.184.216.34", 20)
               .answer_aaaa("cdn.example.net", "2001:db8::34", 20)
               .authority_ns("example.net", "ns1.example.net")
               .additional_a("ns1.example.net", "192.0.2.1"));
}

TEST(DnsRecords, WalksEverySectionOfAMessageLocatedByDecodeFrame) {
  const FrameFixture& fx = dns_records_full_response();
  const PacketFields f = decode(fx);
  ASSERT_TRUE(f.dns_message);
  const auto message = std::span(fx.bytes).subspan(f.dns_offset, f.dns_length);

  Anomaly anomaly = Anomaly::TooManyLayers;
  const std::vector<DnsRecord> records = walk(message, &anomaly);
  EXPECT_EQ(anomaly, Anomaly::None);
  ASSERT_EQ(records.size(), 5u);

  EXPECT_EQ(records[0].section, Section::Answer);
  EXPECT_EQ(records[0].owner.view(), "www.example.com.");
  EXPECT_EQ(records[0].type, dns_type::kCname);
  EXPECT_EQ(records[0].rr_class, 1);
  EXPECT_EQ(records[0].ttl, 60u);
  EXPECT_EQ(records[0].target.view(), "cdn.example.net.");
  EXPECT_EQ(records[0].address.version, 0);

  EXPECT_EQ(records[1].owner.view(), "cdn.example.net.");  // a pointer into the CNAME's RDATA
  EXPECT_EQ(records[1].type, dns_type::kA);
  EXPECT_EQ(records[1].ttl, 20u);
  EXPECT_EQ(records[1].address, ip4("93.184.216.34"));
  EXPECT_FALSE(records[1].target.present());

  EXPECT_EQ(records[2].type, dns_type::kAaaa);
  EXPECT_EQ(records[2].address, ip6("2001:db8::34"));

  EXPECT_EQ(records[3].section, Section::Authority);
  EXPECT_EQ(records[3].owner.view(), "example.net.");
  EXPECT_EQ(records[3].type, dns_type::kNs);
  EXPECT_EQ(records[3].target.view(), "ns1.example.net.");

  EXPECT_EQ(records[4].section, Section::Additional);
  EXPECT_EQ(records[4].owner.view(), "ns1.example.net.");
  EXPECT_EQ(records[4].address, ip4("192.0.2.1"));
}

TEST(DnsRecords, PtrTarget) {
  const auto m = DnsBuilder()
                     .response()
                     .question("10.2.0.192.in-addr.arpa", dns_type::kPtr)
                     .answer_ptr("10.2.0.192.in-addr.arpa", "host.example.")
                     .build();
  const auto records = walk(m.bytes);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].type, dns_type::kPtr);
  EXPECT_EQ(records[0].owner.view(), "10.2.0.192.in-addr.arpa.");
  EXPECT_EQ(records[0].target.view(), "host.example.");
}

TEST(DnsRecords, NoRecords) {
  Anomaly anomaly = Anomaly::TooManyLayers;
  EXPECT_TRUE(walk(DnsBuilder().question("q.example").build().bytes, &anomaly).empty());
  EXPECT_EQ(anomaly, Anomaly::None);
}

TEST(DnsRecords, AddressWithTheWrongLengthIsNotAnAddress) {
  const auto m = DnsBuilder()
                     .answer("a.example", dns_type::kA, to_bytes({1, 2, 3}))
                     .answer("b.example", dns_type::kAaaa, to_bytes({1, 2, 3, 4}))
                     .answer("c.example", dns_type::kA, to_bytes({10, 0, 0, 1}))
                     .build();
  Anomaly anomaly = Anomaly::TooManyLayers;
  const auto records = walk(m.bytes, &anomaly);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].address.version, 0);
  EXPECT_EQ(records[1].address.version, 0);
  EXPECT_EQ(records[2].address, ip4("10.0.0.1"));  // the walk went on past the odd ones
  EXPECT_EQ(anomaly, Anomaly::None);
}

TEST(DnsRecords, BadTargetNameIsDroppedButTheRecordKept) {
  // A CNAME whose RDATA is a pointer to itself.
  const std::size_t owner_at = 12;
  const std::size_t rdata_at = owner_at + WireName("x").size() + 10;
  const auto m = DnsBuilder()
                     .answer(WireName("x"), dns_type::kCname,
                             WireName().pointer(static_cast<unsigned>(rdata_at)).wire())
                     .answer_a("y", "192.0.2.9")
                     .build();
  Anomaly anomaly = Anomaly::TooManyLayers;
  const auto records = walk(m.bytes, &anomaly);
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].type, dns_type::kCname);
  EXPECT_FALSE(records[0].target.present());
  EXPECT_EQ(records[1].address, ip4("192.0.2.9"));
  EXPECT_EQ(anomaly, Anomaly::None);
}

TEST(DnsRecords, CountsBeyondTheRecordsEndTheWalkAsTruncated) {
  const auto m = DnsBuilder().answer_a("a.example", "192.0.2.1").answer_count(3).build();
  Anomaly anomaly = Anomaly::None;
  const auto records = walk(m.bytes, &anomaly);
  EXPECT_EQ(records.size(), 1u);
  EXPECT_EQ(anomaly, Anomaly::TruncatedDns);
}

TEST(DnsRecords, EveryPrefixStopsCleanly) {
  const auto full = DnsBuilder()
                        .response()
                        .question("www.example.com")
                        .answer_cname("www.example.com", "cdn.example.net")
                        .answer_a("cdn.example.net", "93.184.216.34")
                        .build()
                        .bytes;
  const std::size_t full_count = walk(full).size();
  ASSERT_EQ(full_count, 2u);
  for (std::size_t n = 0; n < full.size(); ++n) {
    const std::vector<std::byte> prefix(full.begin(),
                                        full.begin() + static_cast<std::ptrdiff_t>(n));
    Anomaly anomaly = Anomaly::None;
    const auto records = walk(prefix, &anomaly);
    EXPECT_LT(records.size(), full_count) << n;
    EXPECT_EQ(anomaly, Anomaly::TruncatedDns) << n;
  }
}

TEST(DnsRecords, BadQuestionStopsBeforeAnyRecord) {
  const auto m = DnsBuilder()
                     .question(WireName().pointer(12))
                     .answer_a("a.example", "192.0.2.1")
                     .build();
  Anomaly anomaly = Anomaly::None;
  EXPECT_TRUE(walk(m.bytes, &anomaly).empty());
  EXPECT_EQ(anomaly, Anomaly::BadDnsName);
}

TEST(DnsRecords, ShortHeaderIsTruncated) {
  Anomaly anomaly = Anomaly::None;
  EXPECT_TRUE(walk(to_bytes({0, 1, 0x80, 0, 0, 0, 0, 1, 0, 0, 0}), &anomaly).empty());
  EXPECT_EQ(anomaly, Anomaly::TruncatedDns);
}

}  // namespace
}  // namespace pcapframe::test
