// SPDX-License-Identifier: MIT
// DnsAnalysis: queries, responses, response codes, names with their answers, and the
// queries no response answered.
#include <absl/container/flat_hash_map.h>

#include <algorithm>
#include <array>

#include "pcapframe/analysis.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

namespace {

// A query waits for the response with its id between the same endpoints, reversed.
struct PendingKey {
  IpAddress client, server;
  std::uint16_t client_port = 0, server_port = 0, id = 0;
  friend bool operator==(const PendingKey&, const PendingKey&) = default;
  template <class H>
  friend H AbslHashValue(H h, const PendingKey& k) {
    return H::combine(std::move(h), k.client.bytes, k.server.bytes, k.client_port, k.server_port, k.id);
  }
};

struct NameStats {
  std::uint64_t queries = 0;
  std::vector<std::string> answers;
};

// Distinct answers kept per name.
constexpr std::size_t kMaxAnswersPerName = 64;

std::string answer_text(const DnsRecord& rr) {
  if (rr.address.version == 4) return "A " + to_text(rr.address);
  if (rr.address.version == 6) return "AAAA " + to_text(rr.address);
  if (rr.type == dns_type::kCname && rr.target.present()) return "CNAME " + std::string(rr.target.view());
  if (rr.type == dns_type::kPtr && rr.target.present()) return "PTR " + std::string(rr.target.view());
  return {};
}

}  // namespace

std::string_view dns_rcode_name(std::uint8_t rcode) noexcept {
  static constexpr std::array<std::string_view, 11> kNames{
      "NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
      "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};
  return rcode < kNames.size() ? kNames[rcode] : std::string_view{};
}

std::string dns_rcode_text(std::uint8_t rcode) {
  const std::string_view name = dns_rcode_name(rcode);
  return name.empty() ? "RCODE" + std::to_string(rcode) : std::string(name);
}

struct DnsAnalysis::State {
  DnsReport report;
  absl::flat_hash_map<std::string, NameStats> names;
  absl::flat_hash_map<PendingKey, UnansweredQuery> pending;
};

DnsAnalysis::DnsAnalysis() : state_(std::make_unique<State>()) {}
DnsAnalysis::~DnsAnalysis() = default;
DnsAnalysis::DnsAnalysis(DnsAnalysis&&) noexcept = default;
DnsAnalysis& DnsAnalysis::operator=(DnsAnalysis&&) noexcept = default;

void DnsAnalysis::add(const Record& record, const PacketFields& f) {
  if (!f.dns_message) return;
  State& s = *state_;
  ++s.report.messages;
  const std::string name(f.dns_query.view());
  if (!f.dns_is_response) {
    ++s.report.queries;
    if (f.dns_query.present()) ++s.names[name].queries;
    PendingKey key{f.ip_src, f.ip_dst, f.port_src, f.port_dst, f.dns_id};
    s.pending.insert_or_assign(key, UnansweredQuery{name, f.ip_src, f.ip_dst, f.dns_id, record.ts_ns});
    return;
  }
  ++s.report.responses;
  ++s.report.rcodes[f.dns_rcode];
  s.pending.erase(PendingKey{f.ip_dst, f.ip_src, f.port_dst, f.port_src, f.dns_id});
  if (!f.dns_query.present()) return;

  NameStats& stats = s.names[name];
  const Bytes message = record.bytes.subspan(f.dns_offset, f.dns_length);
  DnsRecord rr;
  for (DnsRecordCursor cursor(message); cursor.next(rr);) {
    if (rr.section != DnsRecord::Section::Answer) continue;
    std::string text = answer_text(rr);
    if (text.empty() || stats.answers.size() >= kMaxAnswersPerName ||
        std::find(stats.answers.begin(), stats.answers.end(), text) != stats.answers.end())
      continue;
    stats.answers.push_back(std::move(text));
  }
}

DnsReport DnsAnalysis::finish() const {
  const State& s = *state_;
  DnsReport report = s.report;
  for (const auto& [name, stats] : s.names) report.names.push_back({name, stats.queries, stats.answers});
  std::sort(report.names.begin(), report.names.end(), [](const DnsNameReport& a, const DnsNameReport& b) {
    return a.queries != b.queries ? a.queries > b.queries : a.name < b.name;
  });
  for (const auto& [key, query] : s.pending) report.unanswered.push_back(query);
  std::sort(report.unanswered.begin(), report.unanswered.end(),
            [](const UnansweredQuery& a, const UnansweredQuery& b) { return a.ts_ns < b.ts_ns; });
  return report;
}

}  // namespace pcapframe
