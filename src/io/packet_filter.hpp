// SPDX-License-Identifier: MIT
// PacketFilter: a BPF expression compiled by libpcap, once per link type, and run on records.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe::detail {

class PacketFilter {
 public:
  /// Compile `expression` for `link` (more link types are compiled as records need them).
  /// Fails with InvalidArgument carrying libpcap's message.
  static Result<PacketFilter> compile(const std::string& expression, LinkType link);

  PacketFilter(PacketFilter&&) noexcept;
  PacketFilter& operator=(PacketFilter&&) noexcept;
  ~PacketFilter();

  /// True if the record passes. A link type the expression cannot be compiled for fails
  /// with InvalidArgument.
  Result<bool> matches(const Record& record);

 private:
  struct Program;
  explicit PacketFilter(std::string expression);
  Result<Program*> program_for(LinkType link);

  std::string expression_;
  std::map<LinkType, std::unique_ptr<Program>> programs_;
  LinkType last_link_ = LinkType::Ethernet;
  Program* last_program_ = nullptr;
};

}  // namespace pcapframe::detail
