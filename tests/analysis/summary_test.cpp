// SPDX-License-Identifier: MIT
// SummaryAnalysis on hand-built records: counts, bytes, times, rates, sizes, top lists.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "pcapframe/analysis.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "support/field_values.hpp"

namespace pcapframe {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

using test::dns_name;
using test::ip;

Record record(std::int64_t ts_ns, std::uint32_t origlen, std::uint32_t caplen = 0) {
  Record r;
  r.ts_ns = ts_ns;
  r.origlen = origlen;
  r.caplen = caplen == 0 ? origlen : caplen;
  return r;
}

PacketFields to(const char* dst, Transport transport = Transport::Udp) {
  PacketFields f;
  f.ip_dst = ip(dst);
  f.ip_src = ip(f.ip_dst.version == 4 ? "192.0.2.1" : "2001:db8::1");
  f.transport = transport;
  return f;
}

PacketFields dns(bool response, std::string_view query, const char* dst = "10.0.0.53") {
  PacketFields f = to(dst);
  f.dns_message = true;
  f.is_dns = !query.empty();
  f.dns_is_response = response;
  if (!query.empty()) f.dns_query = dns_name(query);
  return f;
}

TEST(SummaryAnalysis, Empty) {
  const CaptureSummary s = SummaryAnalysis().finish();
  EXPECT_EQ(s.packets, 0u);
  EXPECT_EQ(s.bytes, 0u);
  EXPECT_FALSE(s.first_ts_ns);
  EXPECT_FALSE(s.last_ts_ns);
  EXPECT_EQ(s.duration_s, 0.0);
  EXPECT_EQ(s.bytes_per_s, 0.0);
  EXPECT_EQ(s.size_min, 0u);
  EXPECT_EQ(s.size_max, 0u);
  EXPECT_EQ(s.size_median, 0.0);
  EXPECT_FALSE(s.top_query);
  EXPECT_TRUE(s.top_destinations.empty());
  EXPECT_TRUE(s.link_types.empty());
}

TEST(SummaryAnalysis, CountsBytesAndProtocols) {
  SummaryAnalysis a;
  PacketFields arp;
  arp.is_arp = true;
  a.add(record(1 * kSecond, 42), arp);
  a.add(record(2 * kSecond, 1514, 96), to("10.0.0.1", Transport::Tcp));
  a.add(record(3 * kSecond, 60), to("fd77::2", Transport::Tcp));
  a.add(record(4 * kSecond, 98), to("10.0.0.1", Transport::Icmp));
  a.add(record(5 * kSecond, 118), to("fd77::2", Transport::Icmp));
  a.add(record(6 * kSecond, 80), dns(false, "a.example."));
  PacketFields fragment = to("10.0.0.1", Transport::None);  // a later IPv4 fragment
  fragment.is_later_fragment = true;
  a.add(record(7 * kSecond, 1514), fragment);
  PacketFields broken;
  broken.anomaly = Anomaly::TruncatedLink;
  Record sll = record(8 * kSecond, 10);
  sll.link = LinkType::LinuxSll;
  a.add(sll, broken);

  const CaptureSummary s = a.finish();
  EXPECT_EQ(s.packets, 8u);
  EXPECT_EQ(s.bytes, 42u + 1514 + 60 + 98 + 118 + 80 + 1514 + 10);
  EXPECT_EQ(s.captured_bytes, 42u + 96 + 60 + 98 + 118 + 80 + 1514 + 10);
  EXPECT_EQ(s.ipv4, 4u);
  EXPECT_EQ(s.ipv6, 2u);
  EXPECT_EQ(s.arp, 1u);
  EXPECT_EQ(s.tcp, 2u);
  EXPECT_EQ(s.udp, 1u);
  EXPECT_EQ(s.icmp, 2u);
  EXPECT_EQ(s.dns, 1u);
  EXPECT_EQ(s.dns_queries, 1u);
  EXPECT_EQ(s.anomalies, 1u);
  EXPECT_EQ(s.link_types, (std::map<std::uint16_t, std::uint64_t>{{1, 7}, {113, 1}}));
  EXPECT_EQ(s.size_min, 10u);
  EXPECT_EQ(s.size_max, 1514u);
  EXPECT_DOUBLE_EQ(s.size_mean, static_cast<double>(s.bytes) / 8);
  EXPECT_DOUBLE_EQ(s.size_median, (80.0 + 98.0) / 2);  // 10 42 60 80 | 98 118 1514 1514
}

TEST(SummaryAnalysis, FirstAndLastAreMinAndMaxWhenOutOfOrder) {
  SummaryAnalysis a;
  const std::int64_t base = 1'700'000'000 * kSecond;
  for (const std::int64_t offset : {5 * kSecond, 3 * kSecond + 250'000'000, 9 * kSecond, 4 * kSecond})
    a.add(record(base + offset, 1000), PacketFields{});
  const CaptureSummary s = a.finish();
  EXPECT_EQ(s.first_ts_ns, base + 3 * kSecond + 250'000'000);
  EXPECT_EQ(s.last_ts_ns, base + 9 * kSecond);
  EXPECT_DOUBLE_EQ(s.duration_s, 5.75);
  EXPECT_DOUBLE_EQ(s.bytes_per_s, 4000 / 5.75);
  EXPECT_DOUBLE_EQ(s.bits_per_s, 8 * 4000 / 5.75);
  EXPECT_DOUBLE_EQ(s.packets_per_s, 4 / 5.75);
}

TEST(SummaryAnalysis, OnePacketHasNoRates) {
  SummaryAnalysis a;
  a.add(record(7 * kSecond, 60), PacketFields{});
  const CaptureSummary s = a.finish();
  EXPECT_EQ(s.first_ts_ns, 7 * kSecond);
  EXPECT_EQ(s.last_ts_ns, 7 * kSecond);
  EXPECT_EQ(s.duration_s, 0.0);
  EXPECT_EQ(s.bytes_per_s, 0.0);
  EXPECT_EQ(s.packets_per_s, 0.0);
  EXPECT_DOUBLE_EQ(s.size_median, 60.0);
}

TEST(SummaryAnalysis, TopDestinationsByBytesThenByText) {
  SummaryAnalysis a(3);
  // 10.0.0.9 and 10.0.0.10 tie on bytes: text order puts "10.0.0.10" first.
  a.add(record(1, 500), to("10.0.0.9"));
  a.add(record(2, 200), to("10.0.0.10"));
  a.add(record(3, 300), to("10.0.0.10"));
  a.add(record(4, 900), to("fd77::2"));
  a.add(record(5, 100), to("10.0.0.1"));
  a.add(record(6, 450), to("10.0.0.1"));  // 550: second place
  a.add(record(7, 499), to("192.0.2.200"));  // fifth: cut by top_n
  a.add(record(8, 5000), PacketFields{});   // no IP: counted in bytes, not in the list
  const CaptureSummary s = a.finish();

  ASSERT_EQ(s.top_destinations.size(), 3u);
  EXPECT_EQ(s.top_destinations[0].key, "fd77::2");
  EXPECT_EQ(s.top_destinations[0].bytes, 900u);
  EXPECT_EQ(s.top_destinations[0].packets, 1u);
  EXPECT_EQ(s.top_destinations[1].key, "10.0.0.1");
  EXPECT_EQ(s.top_destinations[1].bytes, 550u);
  EXPECT_EQ(s.top_destinations[1].packets, 2u);
  EXPECT_EQ(s.top_destinations[2].key, "10.0.0.10");
  EXPECT_EQ(s.top_destinations[2].bytes, 500u);
  EXPECT_EQ(s.top_destinations[2].packets, 2u);

  SummaryAnalysis all(10);
  all.add(record(1, 500), to("10.0.0.9"));
  all.add(record(2, 500), to("10.0.0.10"));
  const CaptureSummary both = all.finish();
  ASSERT_EQ(both.top_destinations.size(), 2u);
  EXPECT_EQ(both.top_destinations[0].key, "10.0.0.10");
  EXPECT_EQ(both.top_destinations[1].key, "10.0.0.9");
}

TEST(SummaryAnalysis, TopNZeroListsNothing) {
  SummaryAnalysis a(0);
  a.add(record(1, 500), to("10.0.0.9"));
  EXPECT_TRUE(a.finish().top_destinations.empty());
}

TEST(SummaryAnalysis, DnsQueriesCountOnlyQuestions) {
  SummaryAnalysis a;
  // Answers repeat their question; they must not count as queries, nor for the top name.
  for (int i = 0; i < 5; ++i) a.add(record(i, 100), dns(true, "answered.example."));
  for (int i = 0; i < 3; ++i) a.add(record(10 + i, 80), dns(false, "b.example."));
  for (int i = 0; i < 3; ++i) a.add(record(20 + i, 80), dns(false, "a.example."));  // tie: a < b
  a.add(record(30, 80), dns(false, "c.example."));
  a.add(record(31, 80), dns(false, ""));  // a query without a question: counted, no name
  PacketFields not_dns = to("10.0.0.53");
  not_dns.dns_query = dns_name("ignored.");  // no DNS header decoded
  a.add(record(32, 80), not_dns);
  const CaptureSummary s = a.finish();

  EXPECT_EQ(s.dns_queries, 3u + 3 + 1 + 1);
  EXPECT_EQ(s.dns, 5u + 3 + 3 + 1);
  ASSERT_TRUE(s.top_query);
  EXPECT_EQ(s.top_query->key, "a.example.");
  EXPECT_EQ(s.top_query->packets, 3u);
}

TEST(SummaryAnalysis, TopQueryKeepsRawBytes) {
  SummaryAnalysis a;
  a.add(record(1, 80), dns(false, std::string_view("x\x1b[1m.\0.", 8)));
  const CaptureSummary s = a.finish();
  ASSERT_TRUE(s.top_query);
  EXPECT_EQ(s.top_query->key, std::string("x\x1b[1m.\0.", 8));  // escaping is the exporters' job
}

TEST(SummaryAnalysis, SampleAgreesWithAnIndependentCount) {
  auto reader = CaptureReader::open(PCAPFRAME_SOURCE_DIR "/data/sample.pcap");
  ASSERT_TRUE(reader) << reader.error().message;
  SummaryAnalysis a;
  Record r;
  PacketFields f;
  std::uint64_t packets = 0, bytes = 0, arp = 0, v4 = 0, v6 = 0;
  std::int64_t first = INT64_MAX, last = INT64_MIN;
  while (reader->next(r)) {
    decode_frame(r.link, r.bytes, f);
    a.add(r, f);
    ++packets;
    bytes += r.origlen;
    arp += f.is_arp;
    v4 += f.ip_src.version == 4;
    v6 += f.ip_src.version == 6;
    first = std::min(first, r.ts_ns);
    last = std::max(last, r.ts_ns);
  }
  const CaptureSummary s = a.finish();
  EXPECT_EQ(s.packets, 2795u);
  EXPECT_EQ(s.packets, packets);
  EXPECT_EQ(s.bytes, bytes);
  EXPECT_EQ(s.captured_bytes, bytes);
  EXPECT_EQ(s.arp, arp);
  EXPECT_EQ(s.arp, 14u);  // data/README.md
  EXPECT_EQ(s.ipv4, v4);
  EXPECT_EQ(s.ipv6, v6);
  EXPECT_EQ(s.first_ts_ns, first);
  EXPECT_EQ(s.last_ts_ns, last);
  EXPECT_EQ(s.link_types, (std::map<std::uint16_t, std::uint64_t>{{1, packets}}));
  ASSERT_EQ(s.top_destinations.size(), 5u);
  for (std::size_t i = 1; i < s.top_destinations.size(); ++i)
    EXPECT_GE(s.top_destinations[i - 1].bytes, s.top_destinations[i].bytes);
  ASSERT_TRUE(s.top_query);
  EXPECT_EQ(s.top_query->key, "www.pcapframe.test.");
}

}  // namespace
}  // namespace pcapframe
