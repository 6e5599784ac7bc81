// SPDX-License-Identifier: MIT
// --resolve and its options, shared by `names`, `top` and `flows`: PTR lookups through
// c-ares for addresses the trace itself does not name. Never on by default.
#pragma once

#include <CLI/CLI.hpp>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "pcapframe/names.hpp"
#include "pcapframe/resolve.hpp"

namespace pcapframe::cli {

struct ResolveOptions {
  bool resolve = false;
  std::string server;          // empty: /etc/resolv.conf
  std::string timeout = "2s";  // per lookup
  std::size_t concurrency = 32;
};

/// Register --resolve, --dns-server, --resolve-timeout and --resolve-concurrency.
void add_resolve_options(CLI::App* command, ResolveOptions& options);

/// One looked-up address and how its lookup ended.
using Lookup = std::pair<IpAddress, ReverseResult>;

/// Look up the distinct addresses among `addresses` that `names` does not name, add every
/// name found to `names` (source "ptr"), and return each lookup, in address order. On a bad option,
/// print the error and return the exit code in `exit_code` (kExitOk otherwise).
std::vector<Lookup> resolve_unnamed(const ResolveOptions& options, bool quiet, NameMap& names,
                                    const std::vector<IpAddress>& addresses, int& exit_code);

/// How the lookups ended, counted per status.
struct LookupCounts {
  explicit LookupCounts(const std::vector<Lookup>& lookups);
  /// The JSON documents' "lookups" object: name, no_answer, timeout, error.
  [[nodiscard]] nlohmann::ordered_json json() const;

  std::size_t named = 0, no_answer = 0, timeouts = 0, errors = 0;
};

}  // namespace pcapframe::cli
