// SPDX-License-Identifier: MIT
// What the fuzz targets share: input views, a check that aborts with a message, records copied
// out of a reader, a whole read of a capture, gzip, field-by-field comparisons, and the
// decode-and-walk of one record.
#pragma once

#include <zlib.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/fields.hpp"

namespace pcapframe::fuzz {

/// Abort (a finding for libFuzzer, a failure for the replay driver) when `cond` is false.
#define PCAPFRAME_FUZZ_CHECK(cond)                                                        \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "%s:%d: fuzz check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                       \
    }                                                                                     \
  } while (false)

/// decode_frame_fuzz: link types picked by the input's first two bytes (little-endian, modulo
/// the count): every supported one, then a few that are not (2, 802.11 radiotap, 0xffff).
inline constexpr std::array<std::uint16_t, 12> kFuzzLinkTypes{0,   1,   101, 108, 113, 228,
                                                              229, 276, 2,   105, 127, 0xffff};

inline Bytes bytes_of(const std::uint8_t* data, std::size_t size) noexcept {
  return {reinterpret_cast<const std::byte*>(data), size};
}

inline CaptureOptions mode(bool strict) {
  CaptureOptions options;
  options.strict = strict;
  return options;
}

/// A record copied out of the reader (its bytes are borrowed only until the next call).
struct RecordCopy {
  std::int64_t ts_ns;
  std::uint32_t caplen;
  std::uint32_t origlen;
  LinkType link;
  std::uint32_t iface;
  std::uint64_t offset;
  std::vector<std::byte> bytes;
  friend bool operator==(const RecordCopy&, const RecordCopy&) = default;
};

inline RecordCopy copy_of(const Record& r) {
  return {r.ts_ns, r.caplen, r.origlen, r.link, r.iface, r.offset, {r.bytes.begin(), r.bytes.end()}};
}

/// Everything a reader gives for one input: the open error, or its records, warnings, final
/// error and counts.
struct ReadOutcome {
  std::optional<Error> open_error;
  CaptureInfo info;
  std::vector<RecordCopy> records;
  std::vector<Error> warnings;
  std::optional<Error> error;
  std::uint64_t records_read = 0;
  std::uint64_t bytes_consumed = 0;
  std::size_t interfaces = 0;
  std::size_t names = 0;
};

/// Read `reader` to the end (or keep why it did not open).
inline ReadOutcome read_all(Result<CaptureReader> reader) {
  ReadOutcome out;
  if (!reader) {
    out.open_error = reader.error();
    return out;
  }
  Record record;
  while (reader->next(record)) out.records.push_back(copy_of(record));
  out.info = reader->info();
  out.warnings = reader->warnings();
  out.error = reader->error();
  out.records_read = reader->records_read();
  out.bytes_consumed = reader->bytes_consumed();
  out.interfaces = reader->interfaces().size();
  out.names = reader->name_records().size();
  return out;
}

/// Read `bytes` from memory to the end.
inline ReadOutcome read_memory(const std::vector<std::uint8_t>& bytes, CaptureOptions options = {}) {
  return read_all(
      CaptureReader::open_memory(bytes_of(bytes.data(), bytes.size()), "fuzz", std::move(options)));
}

/// `in` as one gzip member, compressed at zlib `level` (the targets use 1: it runs per input).
inline std::vector<std::uint8_t> gzip(const std::vector<std::uint8_t>& in, int level = 1) {
  z_stream s{};
  deflateInit2(&s, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::vector<std::uint8_t> out(deflateBound(&s, static_cast<uLong>(in.size())) + 32);
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  s.next_out = out.data();
  s.avail_out = static_cast<uInt>(out.size());
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

inline bool same_error(const Error& a, const Error& b) {
  return a.code == b.code && a.offset == b.offset && a.record == b.record && a.message == b.message;
}

inline bool same_error(const std::optional<Error>& a, const std::optional<Error>& b) {
  return a.has_value() == b.has_value() && (!a || same_error(*a, *b));
}

inline bool same_errors(const std::vector<Error>& a, const std::vector<Error>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same_error(a[i], b[i])) return false;
  return true;
}

/// Print `e` (for the report before a failed check).
inline void print_error(const char* label, const std::optional<Error>& e) {
  if (!e) {
    std::fprintf(stderr, "%s: no error\n", label);
    return;
  }
  std::fprintf(stderr, "%s: code %d, offset %llu, record %llu: %s\n", label, static_cast<int>(e->code),
               static_cast<unsigned long long>(e->offset), static_cast<unsigned long long>(e->record),
               e->message.c_str());
}

inline bool same_name(const DnsName& a, const DnsName& b) { return a.view() == b.view(); }

/// Every field of two decodes, compared one by one (padding bytes are not compared).
inline bool same_fields(const PacketFields& a, const PacketFields& b) {
  return a.has_mac_src == b.has_mac_src && a.has_mac_dst == b.has_mac_dst &&
         a.mac_src == b.mac_src && a.mac_dst == b.mac_dst && a.ether_type == b.ether_type &&
         a.is_llc == b.is_llc && a.vlan_count == b.vlan_count && a.vlan_id == b.vlan_id &&
         a.is_arp == b.is_arp && a.ip_src == b.ip_src && a.ip_dst == b.ip_dst &&
         a.ip_proto == b.ip_proto && a.ttl == b.ttl && a.is_fragment == b.is_fragment &&
         a.is_later_fragment == b.is_later_fragment && a.transport == b.transport &&
         a.has_ports == b.has_ports && a.port_src == b.port_src && a.port_dst == b.port_dst &&
         a.tcp_flags == b.tcp_flags && a.icmp_type == b.icmp_type && a.icmp_code == b.icmp_code &&
         a.is_dns == b.is_dns && a.dns_message == b.dns_message &&
         a.dns_is_response == b.dns_is_response && a.dns_rcode == b.dns_rcode &&
         a.dns_id == b.dns_id && a.dns_question_count == b.dns_question_count &&
         a.dns_answer_count == b.dns_answer_count && a.dns_offset == b.dns_offset &&
         a.dns_length == b.dns_length && a.dns_query_type == b.dns_query_type &&
         same_name(a.dns_query, b.dns_query) && same_name(a.dns_answer, b.dns_answer) &&
         a.anomaly == b.anomaly;
}

/// A decoded name is 1..254 characters, ends with '.', and is zero past its length.
inline void check_name(const DnsName& name) {
  if (!name.present()) {
    for (const char c : name.text) PCAPFRAME_FUZZ_CHECK(c == '\0');
    return;
  }
  PCAPFRAME_FUZZ_CHECK(name.length <= kMaxDnsNameText);
  PCAPFRAME_FUZZ_CHECK(name.view().back() == '.');
  for (std::size_t i = name.length; i < name.text.size(); ++i) PCAPFRAME_FUZZ_CHECK(name.text[i] == '\0');
}

/// Walk every resource record of the DNS message the fields locate in `frame`.
inline void walk_dns(Bytes frame, const PacketFields& fields) {
  if (!fields.dns_message) return;
  PCAPFRAME_FUZZ_CHECK(fields.dns_offset <= frame.size());
  PCAPFRAME_FUZZ_CHECK(fields.dns_length <= frame.size() - fields.dns_offset);
  DnsRecordCursor cursor(frame.subspan(fields.dns_offset, fields.dns_length));
  DnsRecord record;
  std::size_t count = 0;
  while (cursor.next(record)) {
    PCAPFRAME_FUZZ_CHECK(++count <= 3 * 65535u);
    check_name(record.owner);
    check_name(record.target);
  }
}

/// Decode `frame` as `link`, check what came out, and walk its DNS records.
inline PacketFields decode_and_check(LinkType link, Bytes frame) {
  PacketFields fields;
  decode_frame(link, frame, fields);
  check_name(fields.dns_query);
  check_name(fields.dns_answer);
  PCAPFRAME_FUZZ_CHECK(fields.is_dns == (fields.dns_query.present() || fields.dns_answer.present()));
  PCAPFRAME_FUZZ_CHECK(!fields.is_dns || fields.dns_message);
  PCAPFRAME_FUZZ_CHECK(fields.vlan_count <= kMaxVlanTags);
  PCAPFRAME_FUZZ_CHECK(fields.ip_src.version == fields.ip_dst.version);
  walk_dns(frame, fields);
  return fields;
}

}  // namespace pcapframe::fuzz
