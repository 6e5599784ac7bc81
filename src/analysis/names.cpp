// SPDX-License-Identifier: MIT
// NameMap and NamesAnalysis: the trace's own DNS answers, turned into names for addresses.
#include "pcapframe/names.hpp"

#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>

#include "address_hash.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {
// CNAME chains longer than this are not followed (RFC 1034 §3.6.2 discourages chains at all).
constexpr int kMaxChain = 16;
// CNAME records remembered per response while its address records are matched to them.
constexpr std::size_t kMaxCnamesPerMessage = 32;
constexpr std::uint8_t kRcodeNoError = 0;

bool same_name(std::string_view a, std::string_view b) noexcept {
  // DNS names compare case-insensitively (RFC 4343), ASCII letters only.
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}
}  // namespace

std::string_view name_source_name(NameSource source) noexcept {
  switch (source) {
    case NameSource::Dns: return "dns";
    case NameSource::NameResolutionBlock: return "nrb";
    case NameSource::ReverseLookup: return "ptr";
  }
  return "";
}

struct NameMap::Index {
  absl::flat_hash_map<IpAddress, AddressName, detail::AddressHash> by_address;
};

NameMap::NameMap() : index_(std::make_unique<Index>()) {}
NameMap::~NameMap() = default;
NameMap::NameMap(NameMap&&) noexcept = default;
NameMap& NameMap::operator=(NameMap&&) noexcept = default;
NameMap::NameMap(const NameMap& other) : index_(std::make_unique<Index>(*other.index_)) {}
NameMap& NameMap::operator=(const NameMap& other) {
  if (this != &other) index_ = std::make_unique<Index>(*other.index_);
  return *this;
}

const AddressName* NameMap::find(const IpAddress& address) const noexcept {
  const auto it = index_->by_address.find(address);
  return it == index_->by_address.end() ? nullptr : &it->second;
}

std::size_t NameMap::size() const noexcept { return index_->by_address.size(); }

std::vector<AddressName> NameMap::entries() const {
  std::vector<AddressName> out;
  out.reserve(index_->by_address.size());
  for (const auto& [address, entry] : index_->by_address) out.push_back(entry);
  std::sort(out.begin(), out.end(),
            [](const AddressName& a, const AddressName& b) { return a.address < b.address; });
  return out;
}

void NameMap::add(const IpAddress& address, std::string_view name, std::string_view canonical,
                  NameSource source, std::int64_t ts_ns) {
  auto [it, inserted] = index_->by_address.try_emplace(address);
  AddressName& entry = it->second;
  if (inserted) {
    entry.address = address;
    entry.name = name;
    entry.canonical = canonical;
    entry.source = source;
    entry.first_seen_ns = entry.last_seen_ns = ts_ns;
  } else if (!same_name(entry.name, name) &&
             std::none_of(entry.other_names.begin(), entry.other_names.end(),
                          [&](const std::string& n) { return same_name(n, name); }) &&
             entry.other_names.size() < kMaxOtherNames) {
    entry.other_names.emplace_back(name);
  }
  entry.first_seen_ns = std::min(entry.first_seen_ns, ts_ns);
  entry.last_seen_ns = std::max(entry.last_seen_ns, ts_ns);
  ++entry.answers;
}

void NamesAnalysis::add(const Record& record, const PacketFields& fields) {
  if (!fields.dns_message || !fields.dns_is_response || fields.dns_rcode != kRcodeNoError ||
      fields.dns_answer_count == 0 || !fields.dns_query.present())
    return;
  const Bytes message = record.bytes.subspan(fields.dns_offset, fields.dns_length);

  // First pass: the CNAME edges of this response. Second: each address record, named by
  // the question when its owner is reachable from the question through those edges.
  std::array<std::pair<DnsName, DnsName>, kMaxCnamesPerMessage> cnames;
  std::size_t cname_count = 0;
  DnsRecord rr;
  for (DnsRecordCursor cursor(message); cursor.next(rr);) {
    if (rr.section == DnsRecord::Section::Answer && rr.type == dns_type::kCname &&
        rr.target.present() && cname_count < cnames.size())
      cnames[cname_count++] = {rr.owner, rr.target};
  }
  const std::string_view asked = fields.dns_query.view();
  const auto reachable_from_question = [&](std::string_view owner) {
    std::string_view current = asked;
    for (int step = 0; step <= kMaxChain; ++step) {
      if (same_name(current, owner)) return true;
      const auto edge = std::find_if(cnames.begin(), cnames.begin() + static_cast<std::ptrdiff_t>(cname_count),
                                     [&](const auto& e) { return same_name(e.first.view(), current); });
      if (edge == cnames.begin() + static_cast<std::ptrdiff_t>(cname_count)) return false;
      current = edge->second.view();
    }
    return false;
  };
  for (DnsRecordCursor cursor(message); cursor.next(rr);) {
    if (rr.section != DnsRecord::Section::Answer || rr.address.version == 0) continue;
    const std::string_view owner = rr.owner.view();
    map_.add(rr.address, reachable_from_question(owner) ? asked : owner, owner, NameSource::Dns,
             record.ts_ns);
  }
}

void NamesAnalysis::add_name_records(const std::vector<NameRecord>& records) {
  for (const NameRecord& r : records) {
    IpAddress address;
    address.version = r.ip_version;
    address.bytes = r.address;
    if (map_.find(address) != nullptr || r.name.empty()) continue;
    const std::string name = r.name.back() == '.' ? r.name : r.name + ".";
    map_.add(address, name, name, NameSource::NameResolutionBlock, 0);
  }
}

}  // namespace pcapframe
