// SPDX-License-Identifier: MIT
// ReverseResolver: PTR lookups for addresses through c-ares, concurrent, with a timeout per
// lookup and a cache. Nothing calls it unless asked: lookups send a capture's addresses to a
// resolver, so `--resolve` / `resolve=True` are never on by default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/fields.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

/// How one reverse lookup ended. "No answer" and "timeout" are outcomes, not names.
enum class LookupStatus : std::uint8_t {
  Name,      // the resolver returned a PTR name
  NoAnswer,  // NXDOMAIN, or NOERROR without a PTR record
  Timeout,   // no response within the timeout
  Error,     // anything else: SERVFAIL, REFUSED, a refused connection, a malformed reply
};

/// Return "name", "no_answer", "timeout" or "error".
std::string_view lookup_status_name(LookupStatus status) noexcept;

/// The outcome of looking up one address.
struct ReverseResult {
  LookupStatus status = LookupStatus::Error;
  std::string name;    // Name: the PTR target with a trailing dot ("host.example.com.")
  std::string detail;  // Error: what went wrong, in c-ares' words
};

struct ResolverOptions {
  /// The DNS server(s): "HOST", "HOST:PORT", "[IPV6]:PORT" or a bare IPv6 address, several
  /// separated by commas; HOST is an IP address. Empty: the system's configuration
  /// (/etc/resolv.conf).
  std::string server;
  /// How long one lookup may wait for its answer: one try, no retransmission.
  std::int64_t timeout_ms = 2000;
  /// Lookups in flight at once.
  std::size_t max_concurrent = 32;
};

/// Reverse (PTR) lookups with an in-process cache. Not thread-safe: one per thread.
class ReverseResolver {
 public:
  /// Set up a resolver. Fails with InvalidArgument for a server that is not an IP address
  /// (with an optional port) or a timeout/concurrency of 0, and with Io when c-ares cannot
  /// start.
  [[nodiscard]] static Result<ReverseResolver> create(ResolverOptions options = {});

  ReverseResolver(ReverseResolver&&) noexcept;
  ReverseResolver& operator=(ReverseResolver&&) noexcept;
  ~ReverseResolver();

  /// Look up the PTR name of every address; result i belongs to `addresses[i]`. Addresses
  /// asked before (this call or earlier ones, whatever the outcome, timeouts included) are
  /// answered from the cache; duplicates are asked once. Blocks until every lookup has
  /// ended: at most about ceil(distinct / max_concurrent) timeouts when nothing answers.
  std::vector<ReverseResult> resolve(std::span<const IpAddress> addresses);

  /// Addresses held in the cache.
  [[nodiscard]] std::size_t cache_size() const noexcept;
  /// Queries sent so far (lookups the cache did not answer).
  [[nodiscard]] std::uint64_t queries_sent() const noexcept;

  struct Impl;

 private:
  explicit ReverseResolver(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

/// Return the reverse-lookup name of `address`: "4.3.2.1.in-addr.arpa." for 1.2.3.4, the
/// nibble form under "ip6.arpa." for IPv6 (RFC 1035 §3.5, RFC 3596 §2.5); empty if absent.
std::string reverse_lookup_name(const IpAddress& address);

}  // namespace pcapframe
