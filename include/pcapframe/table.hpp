// SPDX-License-Identifier: MIT
// PacketTable: the decoded capture as columns (struct of arrays) with dictionary-encoded
// strings, built in one pass by TableBuilder.
#pragma once

#include <bitset>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"
#include "pcapframe/schema.hpp"

namespace pcapframe {

/// Distinct strings, each stored once; rows hold 32-bit ids. Id 0 is the null entry.
struct StringDictionary {
  std::vector<std::string> values{std::string()};
};

/// Distinct IP addresses: text (RFC 5952 for IPv6) and the IPv4 integer, per id.
struct AddressDictionary {
  std::vector<std::string> text{std::string()};
  std::vector<IpAddress> addresses{IpAddress{}};
};

/// Which logical columns to fill; the others stay empty and cost nothing per row.
using ColumnSelection = std::bitset<kColumnCount>;

/// Return a selection of every column.
ColumnSelection all_columns() noexcept;

/// Sentinel for missing integer cells (ports, MACs, VLAN ids).
inline constexpr std::int64_t kMissing = -1;

/// The packet table. Columns that were not selected are empty.
struct PacketTable {
  std::size_t rows = 0;

  std::vector<std::int64_t> ts_ns;     // datetime, time, time_normed derive from it
  std::vector<std::int64_t> length;    // wire length
  std::vector<std::int64_t> caplen;
  std::vector<std::int64_t> mac_src;   // 48-bit value or kMissing
  std::vector<std::int64_t> mac_dst;
  std::vector<std::uint32_t> ip_src;   // ids into `addresses`
  std::vector<std::uint32_t> ip_dst;
  std::vector<std::int64_t> port_src;  // or kMissing
  std::vector<std::int64_t> port_dst;
  std::vector<std::uint8_t> protocol;  // Transport values
  std::vector<std::uint8_t> is_dns;    // 0 or 1
  std::vector<std::uint32_t> dns_query;  // ids into `names`
  std::vector<std::uint32_t> dns_resp;
  std::vector<std::uint8_t> ip_version;  // 0 = none
  std::vector<std::int16_t> ttl;         // or -1
  std::vector<std::int16_t> ip_proto;    // or -1
  std::vector<std::int16_t> tcp_flags;   // or -1
  std::vector<std::int16_t> icmp_type;   // or -1
  std::vector<std::int16_t> icmp_code;   // or -1
  std::vector<std::int32_t> vlan_id;     // or -1
  std::vector<std::uint16_t> link_type;
  std::vector<std::uint32_t> interface;
  std::vector<std::uint8_t> anomaly;     // Anomaly values

  AddressDictionary addresses;  // shared by ip_src and ip_dst
  StringDictionary names;       // shared by dns_query and dns_resp (raw packet bytes)

  ColumnSelection selected;
  std::int64_t first_ts_ns = 0;  // time_normed's origin: the first frame's time
};

/// Append decoded frames to a PacketTable, one row each.
class TableBuilder {
 public:
  explicit TableBuilder(ColumnSelection selection = all_columns());
  ~TableBuilder();
  TableBuilder(TableBuilder&&) noexcept;
  TableBuilder& operator=(TableBuilder&&) noexcept;

  /// Append one row.
  void add(const Record& record, const PacketFields& fields);
  /// Make room for `rows` rows in every selected column, so appending does not reallocate.
  void reserve(std::size_t rows);
  /// Rows appended since the last finish().
  std::size_t rows() const noexcept;
  /// Hand over the table and start a new one (new dictionaries; time_normed keeps its origin).
  PacketTable finish();

 private:
  struct Dictionaries;
  PacketTable table_;
  std::unique_ptr<Dictionaries> dictionaries_;
  bool have_first_ts_ = false;
  std::int64_t first_ts_ns_ = 0;
};

/// Options for read_table().
struct ReadOptions {
  CaptureOptions capture;
  ColumnSelection columns = all_columns();
};

/// A table and what the reader had to say while building it.
struct TableReadResult {
  PacketTable table;
  CaptureInfo info;
  std::vector<Error> warnings;
};

/// Read a whole capture into a PacketTable. Fails as CaptureReader::open() does, and in
/// strict mode on the first problem.
[[nodiscard]] Result<TableReadResult> read_table(const std::string& path, ReadOptions options = {});
/// Read the remaining records of an open reader into a PacketTable.
[[nodiscard]] Result<TableReadResult> read_table(CaptureReader& reader,
                                                 const ColumnSelection& columns);

/// Format an address as text: dotted quad, or RFC 5952 for IPv6. Empty when absent.
std::string to_text(const IpAddress& address);
/// Format a 48-bit MAC as lower-case `aa:bb:cc:dd:ee:ff`.
std::string mac_to_text(std::uint64_t mac);

}  // namespace pcapframe
