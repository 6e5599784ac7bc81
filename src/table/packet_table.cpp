// SPDX-License-Identifier: MIT
// TableBuilder: one pass, one row per frame; strings go through per-table dictionaries.
#include <absl/container/flat_hash_map.h>
#include <sys/mman.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <utility>

#include "pcapframe/decode.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {
struct AddressKey {
  IpAddress address;
  template <class H>
  friend H AbslHashValue(H h, const AddressKey& k) {
    return H::combine(std::move(h), k.address.version, k.address.bytes);
  }
  friend bool operator==(const AddressKey&, const AddressKey&) = default;
};

// Ask for 2 MiB pages over the whole 2 MiB pages inside a reserved column. Filling the columns
// of 2M rows (~190 MB) took ~47k page faults of 4 KiB; with transparent huge pages in "madvise"
// mode (as on these machines) a hundred faults do it: bench/compare.sh's table went 334 -> 278 ms.
// Only advice: where THP is off, nothing changes; with "always" it was already so.
void advise_huge_pages(const void* data, std::size_t bytes) {
  constexpr std::uintptr_t kHuge = std::uintptr_t{2} << 20;
  const auto begin = (reinterpret_cast<std::uintptr_t>(data) + kHuge - 1) & ~(kHuge - 1);
  const auto end = (reinterpret_cast<std::uintptr_t>(data) + bytes) & ~(kHuge - 1);
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}
bool wants(const ColumnSelection& s, Column c) { return s.test(static_cast<std::size_t>(c)); }
}  // namespace

ColumnSelection all_columns() noexcept { return ColumnSelection{}.set(); }

// Hash maps from value to id; they live beside the table so its public struct stays plain.
struct TableBuilder::Dictionaries {
  absl::flat_hash_map<AddressKey, std::uint32_t> address_ids;
  absl::flat_hash_map<std::string, std::uint32_t> name_ids;
  // The two addresses looked up last, with their ids: consecutive frames mostly belong to
  // one conversation, whose two ends then need no hashing.
  std::array<std::pair<IpAddress, std::uint32_t>, 2> recent{};

  std::uint32_t address_id(AddressDictionary& dict, const IpAddress& address) {
    if (address.version == 0) return 0;
    if (recent[0].first == address) return recent[0].second;
    if (recent[1].first == address) {
      std::swap(recent[0], recent[1]);
      return recent[0].second;
    }
    const auto [it, inserted] =
        address_ids.try_emplace(AddressKey{address}, static_cast<std::uint32_t>(dict.text.size()));
    if (inserted) {
      dict.text.push_back(to_text(address));
      dict.addresses.push_back(address);
    }
    recent[1] = recent[0];
    recent[0] = {address, it->second};
    return it->second;
  }

  std::uint32_t name_id(StringDictionary& dict, const DnsName& name) {
    if (!name.present()) return 0;
    // Debian's Abseil has its own string_view type (ABSL_OPTION_USE_STD_STRING_VIEW 0) and
    // no heterogeneous try_emplace: look up by an absl view, insert a string.
    const std::string_view text = name.view();
    if (const auto it = name_ids.find(absl::string_view(text.data(), text.size()));
        it != name_ids.end())
      return it->second;
    const auto id = static_cast<std::uint32_t>(dict.values.size());
    dict.values.emplace_back(name.view());
    name_ids.emplace(dict.values.back(), id);
    return id;
  }
};

TableBuilder::TableBuilder(ColumnSelection selection)
    : dictionaries_(std::make_unique<Dictionaries>()) {
  table_.selected = selection;
}
TableBuilder::~TableBuilder() = default;
TableBuilder::TableBuilder(TableBuilder&&) noexcept = default;
TableBuilder& TableBuilder::operator=(TableBuilder&&) noexcept = default;

// The same column conditions as add(), in the same order.
void TableBuilder::reserve(std::size_t rows) {
  PacketTable& t = table_;
  const ColumnSelection& s = t.selected;
  const auto reserve_if = [rows](bool wanted, auto& column) {
    if (!wanted) return;
    column.reserve(rows);
    advise_huge_pages(column.data(), column.capacity() * sizeof(column[0]));
  };
  reserve_if(wants(s, Column::Datetime) || wants(s, Column::Time) || wants(s, Column::TimeNormed),
             t.ts_ns);
  reserve_if(wants(s, Column::Length), t.length);
  reserve_if(wants(s, Column::Caplen), t.caplen);
  reserve_if(wants(s, Column::MacSrc) || wants(s, Column::MacSrcInt), t.mac_src);
  reserve_if(wants(s, Column::MacDst) || wants(s, Column::MacDstInt), t.mac_dst);
  reserve_if(wants(s, Column::IpSrc) || wants(s, Column::IpSrcInt), t.ip_src);
  reserve_if(wants(s, Column::IpDst) || wants(s, Column::IpDstInt), t.ip_dst);
  reserve_if(wants(s, Column::PortSrc), t.port_src);
  reserve_if(wants(s, Column::PortDst), t.port_dst);
  reserve_if(wants(s, Column::Protocol), t.protocol);
  reserve_if(wants(s, Column::IsDns), t.is_dns);
  reserve_if(wants(s, Column::DnsQuery), t.dns_query);
  reserve_if(wants(s, Column::DnsResp), t.dns_resp);
  reserve_if(wants(s, Column::IpVersion), t.ip_version);
  reserve_if(wants(s, Column::Ttl), t.ttl);
  reserve_if(wants(s, Column::IpProto), t.ip_proto);
  reserve_if(wants(s, Column::TcpFlags), t.tcp_flags);
  reserve_if(wants(s, Column::IcmpType), t.icmp_type);
  reserve_if(wants(s, Column::IcmpCode), t.icmp_code);
  reserve_if(wants(s, Column::VlanId), t.vlan_id);
  reserve_if(wants(s, Column::LinkType), t.link_type);
  reserve_if(wants(s, Column::Interface), t.interface);
  reserve_if(wants(s, Column::Anomaly), t.anomaly);
}

std::size_t TableBuilder::rows() const noexcept { return table_.rows; }

void TableBuilder::add(const Record& record, const PacketFields& f) {
  PacketTable& t = table_;
  const ColumnSelection& s = t.selected;
  if (!have_first_ts_) {
    have_first_ts_ = true;
    first_ts_ns_ = record.ts_ns;
  }
  if (wants(s, Column::Datetime) || wants(s, Column::Time) || wants(s, Column::TimeNormed))
    t.ts_ns.push_back(record.ts_ns);
  if (wants(s, Column::Length)) t.length.push_back(record.origlen);
  if (wants(s, Column::Caplen)) t.caplen.push_back(record.caplen);
  if (wants(s, Column::MacSrc) || wants(s, Column::MacSrcInt))
    t.mac_src.push_back(f.has_mac_src ? static_cast<std::int64_t>(f.mac_src) : kMissing);
  if (wants(s, Column::MacDst) || wants(s, Column::MacDstInt))
    t.mac_dst.push_back(f.has_mac_dst ? static_cast<std::int64_t>(f.mac_dst) : kMissing);
  if (wants(s, Column::IpSrc) || wants(s, Column::IpSrcInt))
    t.ip_src.push_back(dictionaries_->address_id(t.addresses, f.ip_src));
  if (wants(s, Column::IpDst) || wants(s, Column::IpDstInt))
    t.ip_dst.push_back(dictionaries_->address_id(t.addresses, f.ip_dst));
  if (wants(s, Column::PortSrc)) t.port_src.push_back(f.has_ports ? f.port_src : kMissing);
  if (wants(s, Column::PortDst)) t.port_dst.push_back(f.has_ports ? f.port_dst : kMissing);
  if (wants(s, Column::Protocol)) t.protocol.push_back(static_cast<std::uint8_t>(f.transport));
  if (wants(s, Column::IsDns)) t.is_dns.push_back(f.is_dns ? 1 : 0);
  if (wants(s, Column::DnsQuery)) t.dns_query.push_back(dictionaries_->name_id(t.names, f.dns_query));
  if (wants(s, Column::DnsResp)) t.dns_resp.push_back(dictionaries_->name_id(t.names, f.dns_answer));
  const bool has_ip = f.ip_src.version != 0;
  if (wants(s, Column::IpVersion)) t.ip_version.push_back(f.ip_src.version);
  if (wants(s, Column::Ttl)) t.ttl.push_back(has_ip ? f.ttl : std::int16_t{-1});
  if (wants(s, Column::IpProto)) t.ip_proto.push_back(has_ip ? f.ip_proto : std::int16_t{-1});
  if (wants(s, Column::TcpFlags))
    t.tcp_flags.push_back(f.transport == Transport::Tcp && f.has_ports ? f.tcp_flags
                                                                       : std::int16_t{-1});
  const bool is_icmp = f.transport == Transport::Icmp && f.anomaly != Anomaly::TruncatedIcmp;
  if (wants(s, Column::IcmpType)) t.icmp_type.push_back(is_icmp ? f.icmp_type : std::int16_t{-1});
  if (wants(s, Column::IcmpCode)) t.icmp_code.push_back(is_icmp ? f.icmp_code : std::int16_t{-1});
  if (wants(s, Column::VlanId)) t.vlan_id.push_back(f.vlan_count > 0 ? f.vlan_id : -1);
  if (wants(s, Column::LinkType)) t.link_type.push_back(static_cast<std::uint16_t>(record.link));
  if (wants(s, Column::Interface)) t.interface.push_back(record.iface);
  if (wants(s, Column::Anomaly)) t.anomaly.push_back(static_cast<std::uint8_t>(f.anomaly));
  ++t.rows;
}

PacketTable TableBuilder::finish() {
  PacketTable out = std::move(table_);
  out.first_ts_ns = first_ts_ns_;
  table_ = PacketTable{};
  table_.selected = out.selected;
  dictionaries_ = std::make_unique<Dictionaries>();
  return out;
}

namespace {
// After this many rows, the bytes they took tell how many rows the whole capture will give.
constexpr std::size_t kRowsBeforeEstimate = 4096;
// A reservation is a hint, so it is capped (2^25 rows: 268 MB for an 8-byte column).
constexpr std::uint64_t kMaxReservedRows = std::uint64_t{1} << 25;

// Reserve the rows the rest of the file will likely give, plus 1/16, judging by the bytes
// the first rows took since `start`: the columns are then allocated once instead of
// doubling, which copied and page-faulted them about twice over (bench/compare.sh: 2M
// packets into every column went from ~440 to ~320 ms). Compressed input is left alone:
// its size does not say how many bytes it holds.
void reserve_estimate(TableBuilder& builder, const CaptureReader& reader, std::uint64_t start) {
  const CaptureInfo& info = reader.info();
  const std::uint64_t consumed = reader.bytes_consumed();
  if (!info.size || !info.compression.empty() || consumed <= start || *info.size <= consumed)
    return;
  const double rows_per_byte =
      static_cast<double>(builder.rows()) / static_cast<double>(consumed - start);
  const auto estimate =
      static_cast<std::uint64_t>(rows_per_byte * static_cast<double>(*info.size - start));
  builder.reserve(static_cast<std::size_t>(std::min(estimate + estimate / 16, kMaxReservedRows)));
}
}  // namespace

Result<TableReadResult> read_table(CaptureReader& reader, const ColumnSelection& columns) {
  TableBuilder builder(columns);
  Record record;
  PacketFields fields;
  const std::uint64_t start = reader.bytes_consumed();
  while (reader.next(record)) {
    decode_frame(record.link, record.bytes, fields);
    builder.add(record, fields);
    if (builder.rows() == kRowsBeforeEstimate) reserve_estimate(builder, reader, start);
  }
  if (reader.error()) return unexpected(*reader.error());
  return TableReadResult{builder.finish(), reader.info(), reader.warnings()};
}

Result<TableReadResult> read_table(const std::string& path, ReadOptions options) {
  auto reader = CaptureReader::open(path, options.capture);
  if (!reader) return unexpected(std::move(reader).error());
  return read_table(*reader, options.columns);
}

}  // namespace pcapframe
