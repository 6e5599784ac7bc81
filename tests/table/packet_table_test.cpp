// SPDX-License-Identifier: MIT
// TableBuilder and read_table(): dictionaries, null ids and sentinels, column selection,
// batches, and the sample capture checked against an independent walk of the file.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/table.hpp"
#include "support/pcap_writer.hpp"
#include "support/field_values.hpp"

namespace pcapframe {
namespace {

using test::PcapWriter;

constexpr const char* kSample = PCAPFRAME_SOURCE_DIR "/data/sample.pcap";

using test::dns_name;
using test::ip;

Record record_at(std::int64_t ts_ns, std::uint32_t length = 100) {
  Record r;
  r.ts_ns = ts_ns;
  r.caplen = length;
  r.origlen = length;
  return r;
}

PacketFields udp(const char* src, const char* dst, std::uint16_t sport, std::uint16_t dport) {
  PacketFields f;
  f.has_mac_src = f.has_mac_dst = true;
  f.mac_src = 0x025046000001;
  f.mac_dst = 0x025046000002;
  f.ether_type = 0x0800;
  f.ip_src = ip(src);
  f.ip_dst = ip(dst);
  f.ip_proto = 17;
  f.ttl = 64;
  f.transport = Transport::Udp;
  f.has_ports = true;
  f.port_src = sport;
  f.port_dst = dport;
  return f;
}

TEST(TableBuilder, AddressDictionaryIsSharedBySourceAndDestination) {
  TableBuilder builder;
  builder.add(record_at(1), udp("10.0.0.1", "10.0.0.2", 1000, 53));
  builder.add(record_at(2), udp("10.0.0.2", "10.0.0.1", 53, 1000));
  builder.add(record_at(3), udp("fd77::1", "10.0.0.2", 1, 2));
  builder.add(record_at(4), PacketFields{});  // no IP at all
  EXPECT_EQ(builder.rows(), 4u);
  const PacketTable t = builder.finish();

  ASSERT_EQ(t.rows, 4u);
  EXPECT_EQ(t.ip_src, (std::vector<std::uint32_t>{1, 2, 3, 0}));
  EXPECT_EQ(t.ip_dst, (std::vector<std::uint32_t>{2, 1, 2, 0}));
  // Each distinct address once, id 0 the null entry.
  EXPECT_EQ(t.addresses.text, (std::vector<std::string>{"", "10.0.0.1", "10.0.0.2", "fd77::1"}));
  ASSERT_EQ(t.addresses.addresses.size(), 4u);
  EXPECT_EQ(t.addresses.addresses[0].version, 0);
  EXPECT_EQ(t.addresses.addresses[1], ip("10.0.0.1"));
  EXPECT_EQ(t.addresses.addresses[1].v4(), 0x0a000001u);
  EXPECT_EQ(t.addresses.addresses[3], ip("fd77::1"));
}

TEST(TableBuilder, NameDictionaryIsSharedByQueryAndAnswer) {
  TableBuilder builder;
  PacketFields query = udp("10.0.0.1", "10.0.0.2", 40000, 53);
  query.is_dns = query.dns_message = true;
  query.dns_query = dns_name("www.example.");
  PacketFields response = udp("10.0.0.2", "10.0.0.1", 53, 40000);
  response.is_dns = response.dns_message = response.dns_is_response = true;
  response.dns_query = dns_name("www.example.");
  response.dns_answer = dns_name("www.example.");
  PacketFields cname = response;
  cname.dns_query = dns_name("alias.example.");
  cname.dns_answer = dns_name("alias.example.");
  PacketFields root = response;
  root.dns_query = dns_name(".");  // the root: present, length 1
  root.dns_answer = DnsName{};
  // Raw bytes, not text: names differing only in case or in odd bytes stay distinct.
  PacketFields odd = query;
  odd.dns_query = dns_name(std::string_view("WWW.example.\0\x1b", 14));

  for (const PacketFields* f : {&query, &response, &cname, &root, &odd, &query})
    builder.add(record_at(1), *f);
  const PacketTable t = builder.finish();

  EXPECT_EQ(t.names.values, (std::vector<std::string>{"", "www.example.", "alias.example.", ".",
                                                       std::string("WWW.example.\0\x1b", 14)}));
  EXPECT_EQ(t.dns_query, (std::vector<std::uint32_t>{1, 1, 2, 3, 4, 1}));
  EXPECT_EQ(t.dns_resp, (std::vector<std::uint32_t>{0, 1, 2, 0, 0, 0}));
  EXPECT_EQ(t.is_dns, (std::vector<std::uint8_t>{1, 1, 1, 1, 1, 1}));
}

TEST(TableBuilder, MissingValuesUseSentinels) {
  TableBuilder builder;
  PacketFields arp;  // a frame with MACs but no IP or ports
  arp.has_mac_src = arp.has_mac_dst = true;
  arp.mac_src = 0x025046000001;
  arp.mac_dst = 0xffffffffffff;
  arp.is_arp = true;
  builder.add(record_at(10, 42), arp);

  PacketFields fragment = udp("10.0.0.1", "10.0.0.2", 0, 0);
  fragment.has_ports = false;  // a later fragment: no transport header
  fragment.is_fragment = fragment.is_later_fragment = true;
  fragment.ttl = 0;  // a real TTL of 0 is a value, not "missing"
  builder.add(record_at(11, 1514), fragment);

  PacketFields icmp;
  icmp.ip_src = ip("fd77::1");
  icmp.ip_dst = ip("fd77::2");
  icmp.ip_proto = 58;
  icmp.ttl = 255;
  icmp.transport = Transport::Icmp;
  icmp.icmp_type = 128;
  icmp.icmp_code = 0;
  icmp.vlan_count = 1;
  icmp.vlan_id = 0;  // VLAN 0 (priority tag) is a value too
  builder.add(record_at(12, 70), icmp);

  PacketFields tcp = udp("10.0.0.1", "10.0.0.2", 80, 51000);
  tcp.transport = Transport::Tcp;
  tcp.ip_proto = 6;
  tcp.tcp_flags = tcp_flag::kSyn | tcp_flag::kAck;
  tcp.anomaly = Anomaly::TruncatedTcp;
  builder.add(record_at(13, 60), tcp);

  const PacketTable t = builder.finish();
  ASSERT_EQ(t.rows, 4u);
  EXPECT_EQ(t.mac_src, (std::vector<std::int64_t>{0x025046000001, 0x025046000001, kMissing, 0x025046000001}));
  EXPECT_EQ(t.mac_dst, (std::vector<std::int64_t>{0xffffffffffff, 0x025046000002, kMissing, 0x025046000002}));
  EXPECT_EQ(t.port_src, (std::vector<std::int64_t>{kMissing, kMissing, kMissing, 80}));
  EXPECT_EQ(t.port_dst, (std::vector<std::int64_t>{kMissing, kMissing, kMissing, 51000}));
  EXPECT_EQ(t.protocol, (std::vector<std::uint8_t>{0, 2, 3, 1}));
  EXPECT_EQ(t.ip_version, (std::vector<std::uint8_t>{0, 4, 6, 4}));
  EXPECT_EQ(t.ttl, (std::vector<std::int16_t>{-1, 0, 255, 64}));
  EXPECT_EQ(t.ip_proto, (std::vector<std::int16_t>{-1, 17, 58, 6}));
  EXPECT_EQ(t.tcp_flags, (std::vector<std::int16_t>{-1, -1, -1, 0x12}));
  EXPECT_EQ(t.icmp_type, (std::vector<std::int16_t>{-1, -1, 128, -1}));
  EXPECT_EQ(t.icmp_code, (std::vector<std::int16_t>{-1, -1, 0, -1}));
  EXPECT_EQ(t.vlan_id, (std::vector<std::int32_t>{-1, -1, 0, -1}));
  EXPECT_EQ(t.length, (std::vector<std::int64_t>{42, 1514, 70, 60}));
  EXPECT_EQ(t.anomaly, (std::vector<std::uint8_t>{0, 0, 0, static_cast<std::uint8_t>(Anomaly::TruncatedTcp)}));
  EXPECT_EQ(t.is_dns, (std::vector<std::uint8_t>{0, 0, 0, 0}));
  EXPECT_EQ(t.dns_query, (std::vector<std::uint32_t>{0, 0, 0, 0}));
  EXPECT_EQ(t.link_type, (std::vector<std::uint16_t>{1, 1, 1, 1}));
  EXPECT_EQ(t.interface, (std::vector<std::uint32_t>{0, 0, 0, 0}));
}

TEST(TableBuilder, RecordFieldsReachTheirColumns) {
  TableBuilder builder;
  Record r = record_at(1'600'000'000'000'000'123, 1514);
  r.caplen = 96;  // snaplen-truncated: length is the wire length, caplen what was kept
  r.link = LinkType::LinuxSll2;
  r.iface = 3;
  builder.add(r, PacketFields{});
  const PacketTable t = builder.finish();
  EXPECT_EQ(t.ts_ns, (std::vector<std::int64_t>{1'600'000'000'000'000'123}));
  EXPECT_EQ(t.length, (std::vector<std::int64_t>{1514}));
  EXPECT_EQ(t.caplen, (std::vector<std::int64_t>{96}));
  EXPECT_EQ(t.link_type, (std::vector<std::uint16_t>{276}));
  EXPECT_EQ(t.interface, (std::vector<std::uint32_t>{3}));
  EXPECT_EQ(t.first_ts_ns, 1'600'000'000'000'000'123);
}

TEST(TableBuilder, AllColumnsSelectsEveryColumn) {
  EXPECT_EQ(all_columns().count(), kColumnCount);
  EXPECT_EQ(TableBuilder().finish().selected, all_columns());
}

TEST(TableBuilder, UnselectedColumnsStayEmpty) {
  ColumnSelection s;
  s.set(static_cast<std::size_t>(Column::Length));
  s.set(static_cast<std::size_t>(Column::IpSrcInt));  // fills ip_src, not ip_dst
  s.set(static_cast<std::size_t>(Column::DnsResp));   // fills dns_resp, not dns_query
  TableBuilder builder(s);
  PacketFields f = udp("10.0.0.1", "10.0.0.9", 53, 53);
  f.is_dns = true;
  f.dns_query = dns_name("q.");
  f.dns_answer = dns_name("a.");
  builder.add(record_at(5, 77), f);
  builder.add(record_at(6, 78), f);
  const PacketTable t = builder.finish();

  EXPECT_EQ(t.rows, 2u);
  EXPECT_EQ(t.selected, s);
  EXPECT_EQ(t.length, (std::vector<std::int64_t>{77, 78}));
  EXPECT_EQ(t.ip_src, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(t.dns_resp, (std::vector<std::uint32_t>{1, 1}));
  // The destination was never looked up, so it is not in the dictionary either.
  EXPECT_EQ(t.addresses.text, (std::vector<std::string>{"", "10.0.0.1"}));
  EXPECT_EQ(t.names.values, (std::vector<std::string>{"", "a."}));
  for (const auto* empty : {&t.ts_ns, &t.caplen, &t.mac_src, &t.mac_dst, &t.port_src, &t.port_dst})
    EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(t.ip_dst.empty());
  EXPECT_TRUE(t.dns_query.empty());
  EXPECT_TRUE(t.protocol.empty());
  EXPECT_TRUE(t.is_dns.empty());
  EXPECT_TRUE(t.ip_version.empty());
  EXPECT_TRUE(t.ttl.empty());
  EXPECT_TRUE(t.vlan_id.empty());
  EXPECT_TRUE(t.link_type.empty());
  EXPECT_TRUE(t.interface.empty());
  EXPECT_TRUE(t.anomaly.empty());
  // The origin of time_normed is kept even without a time column.
  EXPECT_EQ(t.first_ts_ns, 5);
}

TEST(TableBuilder, AnyTimeColumnFillsTimestamps) {
  for (const Column c : {Column::Datetime, Column::Time, Column::TimeNormed}) {
    ColumnSelection s;
    s.set(static_cast<std::size_t>(c));
    TableBuilder builder(s);
    builder.add(record_at(42), PacketFields{});
    const PacketTable t = builder.finish();
    EXPECT_EQ(t.ts_ns, (std::vector<std::int64_t>{42})) << column_spec(c).name;
    EXPECT_TRUE(t.length.empty());
  }
}

TEST(TableBuilder, FinishStartsFreshDictionariesButKeepsTheTimeOrigin) {
  ColumnSelection s = all_columns();
  s.reset(static_cast<std::size_t>(Column::Anomaly));
  TableBuilder builder(s);
  builder.add(record_at(5'000), udp("10.0.0.1", "10.0.0.2", 1, 2));
  builder.add(record_at(4'000), udp("10.0.0.3", "10.0.0.1", 1, 2));  // earlier, but not first
  const PacketTable first = builder.finish();
  EXPECT_EQ(builder.rows(), 0u);
  builder.add(record_at(9'000), udp("10.0.0.3", "10.0.0.4", 1, 2));
  const PacketTable second = builder.finish();
  const PacketTable third = builder.finish();  // nothing added

  EXPECT_EQ(first.rows, 2u);
  EXPECT_EQ(first.first_ts_ns, 5'000);
  EXPECT_EQ(first.addresses.text, (std::vector<std::string>{"", "10.0.0.1", "10.0.0.2", "10.0.0.3"}));
  EXPECT_EQ(second.rows, 1u);
  EXPECT_EQ(second.first_ts_ns, 5'000);  // the first frame of the capture, not of the batch
  EXPECT_EQ(second.ts_ns, (std::vector<std::int64_t>{9'000}));
  EXPECT_EQ(second.addresses.text, (std::vector<std::string>{"", "10.0.0.3", "10.0.0.4"}));
  EXPECT_EQ(second.ip_src, (std::vector<std::uint32_t>{1}));
  EXPECT_EQ(second.ip_dst, (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(second.selected, s);
  EXPECT_TRUE(second.anomaly.empty());
  EXPECT_EQ(third.rows, 0u);
  EXPECT_EQ(third.first_ts_ns, 5'000);
  EXPECT_EQ(third.addresses.text.size(), 1u);
  EXPECT_EQ(third.names.values.size(), 1u);
}

// A DNS query and its answer for www.pcapframe.test, built byte by byte:
// Ethernet II / IPv4 (RFC 791) / UDP (RFC 768) / DNS (RFC 1035 §4.1).
std::vector<std::byte> dns_frame(bool response) {
  std::vector<unsigned> f = {
      0x02, 0x50, 0x46, 0x00, 0x00, response ? 0x01u : 0x02u,  // destination MAC
      0x02, 0x50, 0x46, 0x00, 0x00, response ? 0x02u : 0x01u,  // source MAC
      0x08, 0x00,                                                // IPv4
  };
  std::vector<unsigned> dns = {0x12, 0x34, response ? 0x81u : 0x01u, response ? 0x80u : 0x00u,
                               0x00, 0x01, 0x00, response ? 0x01u : 0x00u, 0x00, 0x00, 0x00, 0x00,
                               3, 'w', 'w', 'w', 9, 'p', 'c', 'a', 'p', 'f', 'r', 'a', 'm', 'e',
                               4, 't', 'e', 's', 't', 0, 0x00, 0x01, 0x00, 0x01};
  if (response) {
    for (const unsigned b : {0xc0u, 0x0cu, 0x00u, 0x01u, 0x00u, 0x01u, 0x00u, 0x00u, 0x0eu, 0x10u,
                             0x00u, 0x04u, 10u, 77u, 0u, 2u})
      dns.push_back(b);
  }
  const unsigned udp_len = 8 + static_cast<unsigned>(dns.size());
  const unsigned ip_len = 20 + udp_len;
  const unsigned a = response ? 2 : 1, b = response ? 1 : 2;
  for (const unsigned x : {0x45u, 0x00u, ip_len >> 8, ip_len & 0xff, 0x00u, 0x01u, 0x40u, 0x00u,
                           64u, 17u, 0x00u, 0x00u, 10u, 77u, 0u, a, 10u, 77u, 0u, b})
    f.push_back(x);
  const unsigned sport = response ? 53 : 40000, dport = response ? 40000 : 53;
  for (const unsigned x : {sport >> 8, sport & 0xff, dport >> 8, dport & 0xff, udp_len >> 8,
                           udp_len & 0xff, 0x00u, 0x00u})
    f.push_back(x);
  f.insert(f.end(), dns.begin(), dns.end());
  std::vector<std::byte> out;
  for (const unsigned x : f) out.push_back(static_cast<std::byte>(x));
  return out;
}

TEST(TableBuilder, FromDecodedFrames) {
  TableBuilder builder;
  PacketFields fields;
  for (const bool response : {false, true}) {
    const auto frame = dns_frame(response);
    Record r = record_at(response ? 2'000'000 : 1'000'000, static_cast<std::uint32_t>(frame.size()));
    r.bytes = frame;
    decode_frame(r.link, r.bytes, fields);
    ASSERT_EQ(fields.anomaly, Anomaly::None) << anomaly_name(fields.anomaly);
    builder.add(r, fields);
  }
  const PacketTable t = builder.finish();
  ASSERT_EQ(t.rows, 2u);
  EXPECT_EQ(t.addresses.text, (std::vector<std::string>{"", "10.77.0.1", "10.77.0.2"}));
  EXPECT_EQ(t.ip_src, (std::vector<std::uint32_t>{1, 2}));
  EXPECT_EQ(t.ip_dst, (std::vector<std::uint32_t>{2, 1}));
  EXPECT_EQ(t.names.values, (std::vector<std::string>{"", "www.pcapframe.test."}));
  EXPECT_EQ(t.dns_query, (std::vector<std::uint32_t>{1, 1}));
  EXPECT_EQ(t.dns_resp, (std::vector<std::uint32_t>{0, 1}));
  EXPECT_EQ(t.is_dns, (std::vector<std::uint8_t>{1, 1}));
  EXPECT_EQ(t.port_src, (std::vector<std::int64_t>{40000, 53}));
  EXPECT_EQ(t.port_dst, (std::vector<std::int64_t>{53, 40000}));
  EXPECT_EQ(t.protocol, (std::vector<std::uint8_t>{2, 2}));
  EXPECT_EQ(t.mac_src, (std::vector<std::int64_t>{0x025046000001, 0x025046000002}));
  EXPECT_EQ(t.ttl, (std::vector<std::int16_t>{64, 64}));
  EXPECT_EQ(t.first_ts_ns, 1'000'000);
}

// ---------------------------------------------------------------------------------------------
// read_table()

TEST(ReadTable, SampleMatchesAnIndependentWalk) {
  // The independent walk: the reader alone, and the decoder per record.
  auto reader = CaptureReader::open(kSample);
  ASSERT_TRUE(reader) << reader.error().message;
  std::vector<Record> records;
  std::vector<std::int64_t> lengths, times;
  std::vector<IpAddress> sources, destinations;
  std::set<std::string> names;
  std::map<std::uint16_t, std::size_t> vlans;
  Record r;
  PacketFields f;
  while (reader->next(r)) {
    lengths.push_back(r.origlen);
    times.push_back(r.ts_ns);
    decode_frame(r.link, r.bytes, f);
    sources.push_back(f.ip_src);
    destinations.push_back(f.ip_dst);
    if (f.dns_query.present()) names.emplace(f.dns_query.view());
    if (f.dns_answer.present()) names.emplace(f.dns_answer.view());
    if (f.vlan_count > 0) ++vlans[f.vlan_id];
  }
  ASSERT_FALSE(reader->error());
  ASSERT_EQ(lengths.size(), 2795u);

  auto result = read_table(kSample);
  ASSERT_TRUE(result) << result.error().message;
  const PacketTable& t = result->table;
  EXPECT_EQ(t.rows, 2795u);
  EXPECT_TRUE(result->warnings.empty());
  EXPECT_EQ(result->info.snaplen, 262144u);
  EXPECT_EQ(result->info.link, LinkType::Ethernet);
  EXPECT_EQ(result->info.format, CaptureFormat::Pcap);
  EXPECT_EQ(t.length, lengths);
  EXPECT_EQ(t.caplen, lengths);  // nothing cut in the sample
  EXPECT_EQ(t.ts_ns, times);
  EXPECT_EQ(t.first_ts_ns, times.front());

  // Every id resolves to the address the decoder saw, and no address is stored twice.
  ASSERT_EQ(t.ip_src.size(), t.rows);
  for (std::size_t row = 0; row < t.rows; ++row) {
    ASSERT_EQ(t.addresses.addresses[t.ip_src[row]], sources[row].version ? sources[row] : IpAddress{}) << row;
    ASSERT_EQ(t.addresses.addresses[t.ip_dst[row]], destinations[row].version ? destinations[row] : IpAddress{}) << row;
  }
  const std::set<std::string> distinct(t.addresses.text.begin(), t.addresses.text.end());
  EXPECT_EQ(distinct.size(), t.addresses.text.size());
  for (const char* host : {"10.77.0.1", "10.77.0.2", "fd77::1", "fd77::2", "10.77.100.1", "10.77.100.2"})
    EXPECT_EQ(distinct.count(host), 1u) << host;

  // The name dictionary holds exactly the names the decoder saw, once each.
  const std::set<std::string> table_names(t.names.values.begin() + 1, t.names.values.end());
  EXPECT_EQ(table_names.size(), t.names.values.size() - 1);
  EXPECT_EQ(table_names, names);
  EXPECT_EQ(table_names.count("www.pcapframe.test."), 1u);
  EXPECT_EQ(table_names.count("printer.local."), 1u);

  // data/README.md: eight 802.1Q frames, all VLAN 100.
  EXPECT_EQ(vlans, (std::map<std::uint16_t, std::size_t>{{100, 8}}));
  EXPECT_EQ(std::count(t.vlan_id.begin(), t.vlan_id.end(), 100), 8);
}

TEST(ReadTable, MissingFileFailsWithIo) {
  auto result = read_table("/nonexistent/pcapframe/x.pcap");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::Io);
  EXPECT_EQ(result.error().message, "/nonexistent/pcapframe/x.pcap: cannot open: No such file or directory");
}

TEST(ReadTable, TruncatedCaptureLaxAndStrict) {
  std::vector<std::byte> frame(60, std::byte{0});
  auto bytes = PcapWriter().add(1'000, frame).add(2'000, frame).add(3'000, frame).bytes();
  bytes.resize(bytes.size() - 10);
  {
    auto reader = CaptureReader::open_memory(bytes, "cut.pcap");
    ASSERT_TRUE(reader);
    auto result = read_table(*reader, all_columns());
    ASSERT_TRUE(result);
    EXPECT_EQ(result->table.rows, 2u);
    ASSERT_EQ(result->warnings.size(), 1u);
    EXPECT_EQ(result->warnings[0].code, ErrorCode::Truncated);
    EXPECT_EQ(result->warnings[0].offset, 24u + 2 * 76);
  }
  {
    CaptureOptions strict;
    strict.strict = true;
    auto reader = CaptureReader::open_memory(bytes, "cut.pcap", strict);
    ASSERT_TRUE(reader);
    auto result = read_table(*reader, all_columns());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().code, ErrorCode::Truncated);
    EXPECT_EQ(result.error().record, 2u);
  }
}

}  // namespace
}  // namespace pcapframe
