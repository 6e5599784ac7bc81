// SPDX-License-Identifier: MIT
// BPF through libpcap: pcap_compile() on a "dead" handle of the record's link type, then
// pcap_offline_filter() per record — the same engine tcpdump and Wireshark use.
#include "packet_filter.hpp"

#include <pcap/pcap.h>

#include "link_types.hpp"

namespace pcapframe::detail {

namespace {
constexpr int kFilterSnaplen = 262144;
}  // namespace

struct PacketFilter::Program {
  bpf_program code{};
  ~Program() { pcap_freecode(&code); }
};

PacketFilter::PacketFilter(std::string expression) : expression_(std::move(expression)) {}
PacketFilter::PacketFilter(PacketFilter&&) noexcept = default;
PacketFilter& PacketFilter::operator=(PacketFilter&&) noexcept = default;
PacketFilter::~PacketFilter() = default;

Result<PacketFilter::Program*> PacketFilter::program_for(LinkType link) {
  if (auto it = programs_.find(link); it != programs_.end()) return it->second.get();
  pcap_t* dead = pcap_open_dead(dlt_for(link), kFilterSnaplen);
  if (dead == nullptr) {
    return unexpected({ErrorCode::InvalidArgument, 0, 0, "cannot set up a BPF compiler"});
  }
  auto program = std::make_unique<Program>();
  int rc = pcap_compile(dead, &program->code, expression_.c_str(), 1, PCAP_NETMASK_UNKNOWN);
  std::string message = rc == 0 ? "" : pcap_geterr(dead);
  // The optimizer refuses an expression that can match nothing on this link type ("arp" on
  // raw IP: "expression rejects all packets"). For the first link type that is an error, as
  // in tcpdump; once the expression has compiled for another interface of the file, it just
  // means that no frame of this link type matches: compile it unoptimised, which accepts it.
  if (rc != 0 && !programs_.empty()) {
    rc = pcap_compile(dead, &program->code, expression_.c_str(), 0, PCAP_NETMASK_UNKNOWN);
  }
  pcap_close(dead);
  if (rc != 0) {
    return unexpected({ErrorCode::InvalidArgument, 0, 0,
                       "filter '" + expression_ + "' does not compile for link type " +
                           std::to_string(static_cast<unsigned>(link)) + ": " + message});
  }
  Program* raw = program.get();
  programs_.emplace(link, std::move(program));
  return raw;
}

Result<PacketFilter> PacketFilter::compile(const std::string& expression, LinkType link) {
  PacketFilter filter(expression);
  if (auto program = filter.program_for(link); !program) return unexpected(program.error());
  return filter;
}

Result<bool> PacketFilter::matches(const Record& record) {
  if (last_program_ == nullptr || record.link != last_link_) {
    auto program = program_for(record.link);
    if (!program) return unexpected(program.error());
    last_program_ = *program;
    last_link_ = record.link;
  }
  pcap_pkthdr header{};
  header.caplen = record.caplen;
  header.len = record.origlen;
  const auto* data = reinterpret_cast<const u_char*>(record.bytes.data());
  return pcap_offline_filter(&last_program_->code, &header, data) != 0;
}

}  // namespace pcapframe::detail
