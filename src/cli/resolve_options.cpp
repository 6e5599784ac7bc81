// SPDX-License-Identifier: MIT
#include "resolve_options.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "commands.hpp"
#include "output.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe::cli {

void add_resolve_options(CLI::App* command, ResolveOptions& options) {
  command->add_flag("--resolve", options.resolve,
                    "Look up PTR names for addresses the trace does not name (sends the capture's "
                    "addresses to a DNS server; off by default)");
  command->add_option("--dns-server", options.server,
                      "DNS server for --resolve: HOST[:PORT] or [IPV6]:PORT, comma-separated "
                      "(default: /etc/resolv.conf)");
  command
      ->add_option("--resolve-timeout", options.timeout,
                   "How long one lookup may wait: 2s, 500ms, 0.5 (seconds)")
      ->capture_default_str();
  command->add_option("--resolve-concurrency", options.concurrency, "Lookups in flight at once")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1024}));
}

std::vector<Lookup> resolve_unnamed(const ResolveOptions& options, bool quiet, NameMap& names,
                                    const std::vector<IpAddress>& addresses, int& exit_code) {
  exit_code = kExitOk;
  const auto timeout_ns = parse_duration_ns(options.timeout);
  if (!timeout_ns) {
    print_error(
        fmt::format("--resolve-timeout: '{}' is not a duration (2s, 500ms, 0.5)", options.timeout));
    exit_code = kExitUsage;
    return {};
  }
  ResolverOptions resolver_options;
  resolver_options.server = options.server;
  resolver_options.timeout_ms = std::max<std::int64_t>(1, *timeout_ns / 1'000'000);
  resolver_options.max_concurrent = options.concurrency;
  auto resolver = ReverseResolver::create(resolver_options);
  if (!resolver) {
    print_error(resolver.error().message);
    exit_code = exit_code_for(resolver.error());
    return {};
  }
  std::vector<IpAddress> unnamed;
  for (const IpAddress& a : addresses)
    if (a.version != 0 && names.find(a) == nullptr) unnamed.push_back(a);
  std::sort(unnamed.begin(), unnamed.end());
  unnamed.erase(std::unique(unnamed.begin(), unnamed.end()), unnamed.end());
  const bool tell = !quiet && ::isatty(STDERR_FILENO) == 1 && !unnamed.empty();
  if (tell) std::fprintf(stderr, "pcapframe: looking up %zu addresses...", unnamed.size());
  const auto start = std::chrono::steady_clock::now();
  const std::vector<ReverseResult> results = resolver->resolve(unnamed);
  if (tell) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::fprintf(stderr, "\r\033[Kpcapframe: looked up %zu addresses in %.1f s\n", unnamed.size(),
                 seconds);
  }
  std::vector<Lookup> out;
  out.reserve(unnamed.size());
  for (std::size_t i = 0; i < unnamed.size(); ++i) {
    if (results[i].status == LookupStatus::Name)
      names.add(unnamed[i], results[i].name, results[i].name, NameSource::ReverseLookup, 0);
    out.emplace_back(unnamed[i], results[i]);
  }
  return out;
}

LookupCounts::LookupCounts(const std::vector<Lookup>& lookups) {
  for (const auto& [address, result] : lookups) {
    named += result.status == LookupStatus::Name;
    no_answer += result.status == LookupStatus::NoAnswer;
    timeouts += result.status == LookupStatus::Timeout;
    errors += result.status == LookupStatus::Error;
  }
}

nlohmann::ordered_json LookupCounts::json() const {
  return {{"name", named}, {"no_answer", no_answer}, {"timeout", timeouts}, {"error", errors}};
}

}  // namespace pcapframe::cli
