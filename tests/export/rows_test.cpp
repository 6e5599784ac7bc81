// SPDX-License-Identifier: MIT
// RowWriter: a small table as CSV (parsed back), JSON lines (parsed with nlohmann) and an
// aligned text table; batches, column choice, and a stream that refuses the bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "pcapframe/export.hpp"
#include "pcapframe/table.hpp"
#include "support/field_values.hpp"

namespace pcapframe {
namespace {

using namespace std::string_literals;

constexpr std::int64_t kT0 = 1'598'018'810'956'640'000;  // 2020-08-21 14:06:50.956640 UTC

using test::dns_name;
using test::ip;

Record record(std::int64_t ts_ns, std::uint32_t length) {
  Record r;
  r.ts_ns = ts_ns;
  r.origlen = r.caplen = length;
  return r;
}

// Row 0: a DNS query over IPv4 whose names carry a comma, a quote, an ESC and a formula.
// Row 1: TCP over IPv6.  Row 2: an ARP broadcast (no IP, no transport).
void add_rows(TableBuilder& builder, std::int64_t start) {
  PacketFields dns;
  dns.has_mac_src = dns.has_mac_dst = true;
  dns.mac_src = 0x025046000001;
  dns.mac_dst = 0x025046000002;
  dns.ip_src = ip("10.77.0.1");
  dns.ip_dst = ip("10.77.0.2");
  dns.ip_proto = 17;
  dns.ttl = 64;
  dns.transport = Transport::Udp;
  dns.has_ports = true;
  dns.port_src = 40000;
  dns.port_dst = 53;
  dns.is_dns = dns.dns_message = true;
  dns.dns_query = dns_name("evil,\"name\x1b[31m.");
  dns.dns_answer = dns_name("=HYPERLINK(x).");
  builder.add(record(start, 80), dns);

  PacketFields tcp;
  tcp.has_mac_src = tcp.has_mac_dst = true;
  tcp.mac_src = 0x025046000002;
  tcp.mac_dst = 0x025046000001;
  tcp.ip_src = ip("fd77::2");
  tcp.ip_dst = ip("fd77::1");
  tcp.ip_proto = 6;
  tcp.ttl = 64;
  tcp.transport = Transport::Tcp;
  tcp.has_ports = true;
  tcp.port_src = 80;
  tcp.port_dst = 51000;
  tcp.tcp_flags = 0x12;
  builder.add(record(start + 500'000'000, 1514), tcp);

  PacketFields arp;
  arp.has_mac_src = arp.has_mac_dst = true;
  arp.mac_src = 0x025046000001;
  arp.mac_dst = 0xffffffffffff;
  arp.is_arp = true;
  builder.add(record(start + 1'000'000'000, 42), arp);
}

PacketTable small_table() {
  TableBuilder builder;
  add_rows(builder, kT0);
  return builder.finish();
}

// Run `write` against a memory stream and return what it wrote.
template <class Write>
std::string capture(Write&& write) {
  char* data = nullptr;
  std::size_t size = 0;
  std::FILE* stream = ::open_memstream(&data, &size);
  if (stream == nullptr) {
    ADD_FAILURE() << "open_memstream";
    return {};
  }
  write(stream);
  std::fclose(stream);
  std::string out(data, size);
  std::free(data);
  return out;
}

std::string write_table(const PacketTable& t, RowWriterOptions options) {
  return capture([&](std::FILE* stream) {
    RowWriter writer(stream, std::move(options));
    EXPECT_TRUE(writer.write(t));
    EXPECT_TRUE(writer.finish());
  });
}

RowWriterOptions options(RowFormat format, std::vector<Column> columns = {}) {
  RowWriterOptions o;
  o.format = format;
  o.columns = std::move(columns);
  o.time_zone = TimeZoneMode::Utc;
  return o;
}

std::vector<Column> lab_columns() {
  std::vector<Column> out;
  for (const ColumnSpec& spec : kPacketSchema)
    if (spec.lab) out.push_back(spec.column);
  return out;
}

// RFC 4180: records of cells; quoted cells may hold commas, quotes and line breaks.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row(1);
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        row.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        row.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.emplace_back();
    } else if (c == '\n') {
      rows.push_back(std::move(row));
      row.assign(1, std::string());
    } else {
      row.back() += c;
    }
  }
  EXPECT_FALSE(quoted);
  EXPECT_EQ(row, std::vector<std::string>(1)) << "text after the last line break";
  return rows;
}

std::vector<std::string> lab_header() {
  return {"datetime", "dns_query", "dns_resp",  "ip_dst",      "ip_dst_int", "ip_src",
          "ip_src_int", "is_dns",  "length",    "mac_dst",     "mac_dst_int", "mac_src",
          "mac_src_int", "port_dst", "port_src", "protocol",   "time",        "time_normed"};
}

TEST(RowWriterCsv, LabColumnsParseBack) {
  const std::string text = write_table(small_table(), options(RowFormat::Csv, lab_columns()));
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], lab_header());
  EXPECT_EQ(rows[1], (std::vector<std::string>{
                         "2020-08-21 14:06:50.956640", "evil,\"name\\x1b[31m.", "'=HYPERLINK(x).",
                         "10.77.0.2", "172818434", "10.77.0.1", "172818433", "True", "80",
                         "02:50:46:00:00:02", "2543795044354", "02:50:46:00:00:01", "2543795044353",
                         "53", "40000", "UDP", "1598018810.956640", "0.000000"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{
                         "2020-08-21 14:06:51.456640", "", "", "fd77::1", "", "fd77::2", "", "False",
                         "1514", "02:50:46:00:00:01", "2543795044353", "02:50:46:00:00:02",
                         "2543795044354", "51000", "80", "TCP", "1598018811.456640", "0.500000"}));
  EXPECT_EQ(rows[3], (std::vector<std::string>{
                         "2020-08-21 14:06:51.956640", "", "", "", "", "", "", "False", "42",
                         "ff:ff:ff:ff:ff:ff", "281474976710655", "02:50:46:00:00:01",
                         "2543795044353", "", "", "", "1598018811.956640", "1.000000"}));
  // The raw ESC byte never reaches the output.
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
}

TEST(RowWriterCsv, RawFormulasWhenAskedFor) {
  RowWriterOptions o = options(RowFormat::Csv, {Column::DnsResp, Column::DnsQuery});
  o.inert_formulas = false;
  const auto rows = parse_csv(write_table(small_table(), o));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"dns_resp", "dns_query"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"=HYPERLINK(x).", "evil,\"name\\x1b[31m."}));
}

TEST(RowWriterCsv, DefaultIsEveryColumnInSchemaOrder) {
  const std::string text = write_table(small_table(), options(RowFormat::Csv));
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 4u);
  std::vector<std::string> names;
  for (const ColumnSpec& spec : kPacketSchema) names.emplace_back(spec.name);
  EXPECT_EQ(rows[0], names);
  ASSERT_EQ(rows[1].size(), kColumnCount);
  const auto cell = [&](std::size_t row, Column c) { return rows[row][static_cast<std::size_t>(c)]; };
  EXPECT_EQ(cell(1, Column::Caplen), "80");
  EXPECT_EQ(cell(1, Column::IpVersion), "4");
  EXPECT_EQ(cell(2, Column::IpVersion), "6");
  EXPECT_EQ(cell(3, Column::IpVersion), "");
  EXPECT_EQ(cell(1, Column::Ttl), "64");
  EXPECT_EQ(cell(3, Column::Ttl), "");
  EXPECT_EQ(cell(2, Column::TcpFlags), "18");
  EXPECT_EQ(cell(1, Column::TcpFlags), "");
  EXPECT_EQ(cell(1, Column::IpProto), "17");
  EXPECT_EQ(cell(1, Column::VlanId), "");
  EXPECT_EQ(cell(1, Column::LinkType), "1");
  EXPECT_EQ(cell(1, Column::Interface), "0");
  EXPECT_EQ(cell(1, Column::Anomaly), "");
}

TEST(RowWriterCsv, BatchesShareOneHeaderAndTheTimeOrigin) {
  TableBuilder builder;
  add_rows(builder, kT0);
  const PacketTable first = builder.finish();
  add_rows(builder, kT0 + 10'000'000'000);
  const PacketTable second = builder.finish();
  const std::string text = capture([&](std::FILE* stream) {
    RowWriter writer(stream, options(RowFormat::Csv, {Column::TimeNormed, Column::DnsQuery, Column::IpSrc}));
    EXPECT_TRUE(writer.write(first));
    EXPECT_TRUE(writer.write(second));
    EXPECT_TRUE(writer.finish());
  });
  const auto rows = parse_csv(text);
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"time_normed", "dns_query", "ip_src"}));
  EXPECT_EQ(rows[4], (std::vector<std::string>{"10.000000", "evil,\"name\\x1b[31m.", "10.77.0.1"}));
  EXPECT_EQ(rows[5], (std::vector<std::string>{"10.500000", "", "fd77::2"}));
  EXPECT_EQ(rows[6], (std::vector<std::string>{"11.000000", "", ""}));
}

TEST(RowWriterCsv, NanosecondDigits) {
  RowWriterOptions o = options(RowFormat::Csv, {Column::Time, Column::Datetime});
  o.time_digits = 9;
  const auto rows = parse_csv(write_table(small_table(), o));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"1598018810.956640000", "2020-08-21 14:06:50.956640000"}));
}

TEST(RowWriterJsonl, EachLineIsAnObjectWithTypedValues) {
  const std::string text = write_table(small_table(), options(RowFormat::Jsonl, lab_columns()));
  std::istringstream lines(text);
  std::vector<nlohmann::ordered_json> objects;
  for (std::string line; std::getline(lines, line);) objects.push_back(nlohmann::ordered_json::parse(line));
  ASSERT_EQ(objects.size(), 3u);
  EXPECT_EQ(text.back(), '\n');

  for (const auto& o : objects) {
    std::vector<std::string> keys;
    for (const auto& item : o.items()) keys.push_back(item.key());
    EXPECT_EQ(keys, lab_header());  // in the requested order
  }
  const auto& dns = objects[0];
  EXPECT_EQ(dns["datetime"], "2020-08-21 14:06:50.956640");
  EXPECT_EQ(dns["dns_query"], "evil,\"name\\x1b[31m.");
  EXPECT_EQ(dns["dns_resp"], "=HYPERLINK(x).");  // formulas are a CSV matter only
  EXPECT_EQ(dns["ip_dst"], "10.77.0.2");
  EXPECT_EQ(dns["ip_dst_int"], 172818434);
  EXPECT_EQ(dns["is_dns"], true);
  EXPECT_EQ(dns["length"], 80);
  EXPECT_EQ(dns["mac_src_int"], 2543795044353);
  EXPECT_EQ(dns["port_dst"], 53);
  EXPECT_EQ(dns["protocol"], "UDP");
  ASSERT_TRUE(dns["time"].is_number_float());
  EXPECT_DOUBLE_EQ(dns["time"].get<double>(), 1598018810.95664);
  EXPECT_EQ(dns["time_normed"], 0.0);

  const auto& tcp = objects[1];
  EXPECT_TRUE(tcp["dns_query"].is_null());
  EXPECT_TRUE(tcp["ip_dst_int"].is_null());  // IPv6
  EXPECT_EQ(tcp["ip_src"], "fd77::2");
  EXPECT_EQ(tcp["is_dns"], false);
  EXPECT_DOUBLE_EQ(tcp["time_normed"].get<double>(), 0.5);

  const auto& arp = objects[2];
  for (const char* key : {"ip_dst", "ip_src", "ip_dst_int", "port_dst", "port_src", "protocol", "dns_resp"})
    EXPECT_TRUE(arp[key].is_null()) << key;
  EXPECT_EQ(arp["mac_dst"], "ff:ff:ff:ff:ff:ff");
  EXPECT_EQ(arp["mac_dst_int"], 281474976710655);
}

TEST(RowWriterJsonl, NegativeTimeNormedIsAJsonNumber) {
  TableBuilder builder;
  builder.add(record(kT0, 60), PacketFields{});
  builder.add(record(kT0 - 250'000'000, 60), PacketFields{});  // earlier than the first frame
  const std::string text = write_table(builder.finish(), options(RowFormat::Jsonl, {Column::TimeNormed}));
  EXPECT_EQ(text, "{\"time_normed\":0.000000}\n{\"time_normed\":-0.250000}\n");
  std::istringstream lines(text);
  std::string line;
  std::getline(lines, line);
  std::getline(lines, line);
  EXPECT_DOUBLE_EQ(nlohmann::json::parse(line)["time_normed"].get<double>(), -0.25);
}

TEST(RowWriterTable, AlignsNumbersRightAndTextLeft) {
  const std::string text = write_table(
      small_table(), options(RowFormat::Table, {Column::Length, Column::Protocol, Column::IpSrc,
                                                Column::PortDst, Column::DnsQuery}));
  EXPECT_EQ(text,
            // dns_query is 19 wide: `evil,"name\x1b[31m.` as displayed.
            "length  protocol  ip_src     port_dst  dns_query          \n"
            "    80  UDP       10.77.0.1        53  evil,\"name\\x1b[31m.\n"
            "  1514  TCP       fd77::2       51000                     \n"
            "    42                                                    \n");
}

TEST(RowWriter, EmptyTableWritesTheHeaderOnly) {
  TableBuilder builder;
  const PacketTable empty = builder.finish();
  EXPECT_EQ(write_table(empty, options(RowFormat::Csv, {Column::Length, Column::IpSrc})), "length,ip_src\n");
  EXPECT_EQ(write_table(empty, options(RowFormat::Jsonl, {Column::Length})), "");
}

TEST(RowWriter, FullDiskIsAnIoError) {
  std::FILE* full = std::fopen("/dev/full", "w");
  if (full == nullptr) GTEST_SKIP() << "no /dev/full";
  RowWriter writer(full, options(RowFormat::Csv));
  const Result<void> written = writer.write(small_table());
  const Result<void> finished = writer.finish();
  std::fclose(full);
  ASSERT_FALSE(written && finished);
  const Error& e = written ? finished.error() : written.error();
  EXPECT_EQ(e.code, ErrorCode::Io);
  EXPECT_EQ(e.message, "cannot write output: No space left on device");
}

}  // namespace
}  // namespace pcapframe
