// SPDX-License-Identifier: MIT
// ReverseResolver: concurrent PTR queries on one c-ares channel, driven by poll().
#include <absl/container/flat_hash_map.h>
#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <deque>
#include <mutex>

#include "../analysis/address_hash.hpp"
#include "pcapframe/resolve.hpp"

namespace pcapframe {

namespace {

constexpr int kClassIn = 1;   // RFC 1035 §3.2.4
constexpr int kTypePtr = 12;  // RFC 1035 §3.2.2
constexpr int kDnsPort = 53;
// Longest wait in one poll() when c-ares has no timer due sooner.
constexpr int kMaxPollMs = 500;

// c-ares needs ares_library_init() once per process before any channel.
int library_init_status() {
  static std::once_flag once;
  static int status = ARES_SUCCESS;
  std::call_once(once, [] { status = ares_library_init(ARES_LIB_INIT_ALL); });
  return status;
}

Error invalid(std::string message) {
  return Error{ErrorCode::InvalidArgument, 0, 0, std::move(message)};
}

// One server of a --dns-server list: "1.2.3.4", "1.2.3.4:5353", "[::1]:5353" or "::1".
Result<ares_addr_port_node> parse_server(std::string_view text) {
  std::string host(text);
  int port = kDnsPort;
  const auto parse_port = [&](std::string_view digits) -> bool {
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    return ec == std::errc() && end == digits.data() + digits.size() && port > 0 && port <= 65535;
  };
  if (!text.empty() && text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos)
      return unexpected(invalid("missing ']' in DNS server '" + std::string(text) + "'"));
    host = std::string(text.substr(1, close - 1));
    const std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && (rest.front() != ':' || !parse_port(rest.substr(1))))
      return unexpected(invalid("bad port in DNS server '" + std::string(text) + "'"));
  } else if (const std::size_t colon = text.find(':');
             colon != std::string_view::npos &&
             text.find(':', colon + 1) == std::string_view::npos) {
    host = std::string(text.substr(0, colon));  // exactly one colon: IPv4 (or name) with a port
    if (!parse_port(text.substr(colon + 1)))
      return unexpected(invalid("bad port in DNS server '" + std::string(text) + "'"));
  }
  ares_addr_port_node node{};
  node.udp_port = node.tcp_port = port;
  if (::inet_pton(AF_INET, host.c_str(), &node.addr.addr4) == 1) {
    node.family = AF_INET;
  } else if (::inet_pton(AF_INET6, host.c_str(), &node.addr.addr6) == 1) {
    node.family = AF_INET6;
  } else {
    return unexpected(invalid("DNS server '" + std::string(text) +
                              "' is not an IP address (HOST, HOST:PORT or [IPV6]:PORT)"));
  }
  return node;
}

}  // namespace

std::string_view lookup_status_name(LookupStatus status) noexcept {
  switch (status) {
    case LookupStatus::Name:
      return "name";
    case LookupStatus::NoAnswer:
      return "no_answer";
    case LookupStatus::Timeout:
      return "timeout";
    case LookupStatus::Error:
      return "error";
  }
  return "";
}

std::string reverse_lookup_name(const IpAddress& address) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  if (address.version == 4) {
    for (int i = 3; i >= 0; --i)
      out += std::to_string(address.bytes[static_cast<std::size_t>(i)]) + ".";
    out += "in-addr.arpa.";
  } else if (address.version == 6) {
    for (int i = 15; i >= 0; --i) {
      const std::uint8_t b = address.bytes[static_cast<std::size_t>(i)];
      out += kHex[b & 0xf];
      out += '.';
      out += kHex[b >> 4];
      out += '.';
    }
    out += "ip6.arpa.";
  }
  return out;
}

struct ReverseResolver::Impl {
  ResolverOptions options;
  ares_channel channel = nullptr;
  absl::flat_hash_map<IpAddress, ReverseResult, detail::AddressHash> cache;
  std::uint64_t queries_sent = 0;

  // One query in flight: where its answer goes.
  struct Pending {
    Impl* impl;
    IpAddress address;
  };
  std::deque<Pending> pending;  // stable addresses for the callbacks' `arg`
  std::size_t in_flight = 0;

  ~Impl() {
    if (channel != nullptr) ares_destroy(channel);
  }

  static void on_answer(void* arg, int status, int /*timeouts*/, unsigned char* answer,
                        int length) {
    auto* p = static_cast<Pending*>(arg);
    ReverseResult result;
    switch (status) {
      case ARES_SUCCESS: {
        hostent* host = nullptr;
        const int af = p->address.version == 4 ? AF_INET : AF_INET6;
        const int address_length = p->address.version == 4 ? 4 : 16;
        const int parsed = ares_parse_ptr_reply(answer, length, p->address.bytes.data(),
                                                address_length, af, &host);
        if (parsed == ARES_SUCCESS && host != nullptr && host->h_name != nullptr &&
            host->h_name[0] != '\0') {
          result.status = LookupStatus::Name;
          result.name = host->h_name;
          if (result.name.back() != '.') result.name += '.';
        } else if (parsed == ARES_ENODATA || parsed == ARES_SUCCESS) {
          result.status = LookupStatus::NoAnswer;
        } else {
          result.status = LookupStatus::Error;
          result.detail = ares_strerror(parsed);
        }
        if (host != nullptr) ares_free_hostent(host);
        break;
      }
      case ARES_ENOTFOUND:  // NXDOMAIN
      case ARES_ENODATA:    // NOERROR, no PTR
        result.status = LookupStatus::NoAnswer;
        break;
      case ARES_ETIMEOUT:
        result.status = LookupStatus::Timeout;
        break;
      default:
        result.status = LookupStatus::Error;
        result.detail = ares_strerror(status);
        break;
    }
    p->impl->cache.insert_or_assign(p->address, std::move(result));
    --p->impl->in_flight;
  }

  void send(const IpAddress& address) {
    pending.push_back({this, address});
    ++in_flight;
    ++queries_sent;
    // The callback may run inside ares_query (an immediate failure): in_flight is counted first.
    ares_query(channel, reverse_lookup_name(address).c_str(), kClassIn, kTypePtr, &Impl::on_answer,
               &pending.back());
  }

  // Wait for socket activity or the next c-ares timer, then let c-ares handle it.
  void wait_and_process() {
    ares_socket_t sockets[ARES_GETSOCK_MAXNUM];
    const int bits = ares_getsock(channel, sockets, ARES_GETSOCK_MAXNUM);
    std::vector<pollfd> fds;
    for (int i = 0; i < ARES_GETSOCK_MAXNUM; ++i) {
      short events = 0;
      if (ARES_GETSOCK_READABLE(bits, i)) events |= POLLIN;
      if (ARES_GETSOCK_WRITABLE(bits, i)) events |= POLLOUT;
      if (events != 0) fds.push_back({sockets[i], events, 0});
    }
    timeval max_wait{0, kMaxPollMs * 1000};
    timeval wait{};
    const timeval* next = ares_timeout(channel, &max_wait, &wait);
    const long wait_ms = next->tv_sec * 1000 + (next->tv_usec + 999) / 1000;
    const int ready = ::poll(fds.data(), fds.size(), static_cast<int>(wait_ms));
    if (ready < 0 && errno != EINTR) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      return;
    }
    if (ready <= 0) {
      ares_process_fd(channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // timers only
      return;
    }
    for (const pollfd& fd : fds) {
      const bool readable = (fd.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
      const bool writable = (fd.revents & POLLOUT) != 0;
      if (readable || writable)
        ares_process_fd(channel, readable ? fd.fd : ARES_SOCKET_BAD,
                        writable ? fd.fd : ARES_SOCKET_BAD);
    }
  }
};

ReverseResolver::ReverseResolver(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
ReverseResolver::ReverseResolver(ReverseResolver&&) noexcept = default;
ReverseResolver& ReverseResolver::operator=(ReverseResolver&&) noexcept = default;
ReverseResolver::~ReverseResolver() = default;

Result<ReverseResolver> ReverseResolver::create(ResolverOptions options) {
  if (options.timeout_ms <= 0) return unexpected(invalid("the lookup timeout must be positive"));
  if (options.timeout_ms > INT32_MAX) return unexpected(invalid("the lookup timeout is too long"));
  if (options.max_concurrent == 0)
    return unexpected(invalid("at least one lookup must be allowed in flight"));

  std::vector<ares_addr_port_node> servers;
  if (!options.server.empty()) {
    std::string_view rest = options.server;
    while (true) {
      const std::size_t comma = rest.find(',');
      auto node = parse_server(rest.substr(0, comma));
      if (!node) return unexpected(std::move(node).error());
      servers.push_back(*node);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }

  if (const int status = library_init_status(); status != ARES_SUCCESS)
    return unexpected({ErrorCode::Io, 0, 0, std::string("c-ares: ") + ares_strerror(status)});
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  ares_options ao{};
  ao.timeout = static_cast<int>(impl->options.timeout_ms);
  ao.tries = 1;
  ao.flags = ARES_FLAG_NOSEARCH;
  const int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_FLAGS;
  if (const int status = ares_init_options(&impl->channel, &ao, mask); status != ARES_SUCCESS) {
    impl->channel = nullptr;
    return unexpected({ErrorCode::Io, 0, 0, std::string("c-ares: ") + ares_strerror(status)});
  }
  if (!servers.empty()) {
    for (std::size_t i = 0; i + 1 < servers.size(); ++i) servers[i].next = &servers[i + 1];
    if (const int status = ares_set_servers_ports(impl->channel, servers.data());
        status != ARES_SUCCESS)
      return unexpected(
          invalid(std::string("c-ares refused the DNS server: ") + ares_strerror(status)));
  }
  return ReverseResolver(std::move(impl));
}

std::vector<ReverseResult> ReverseResolver::resolve(std::span<const IpAddress> addresses) {
  Impl& s = *impl_;
  // Distinct addresses the cache cannot answer, in the order given.
  std::vector<IpAddress> to_ask;
  {
    absl::flat_hash_map<IpAddress, bool, detail::AddressHash> queued;
    for (const IpAddress& a : addresses) {
      if (a.version != 4 && a.version != 6) continue;
      if (s.cache.contains(a) || !queued.emplace(a, true).second) continue;
      to_ask.push_back(a);
    }
  }
  std::size_t next = 0;
  while (next < to_ask.size() || s.in_flight > 0) {
    while (next < to_ask.size() && s.in_flight < s.options.max_concurrent) s.send(to_ask[next++]);
    if (s.in_flight > 0) s.wait_and_process();
  }
  s.pending.clear();

  std::vector<ReverseResult> out;
  out.reserve(addresses.size());
  for (const IpAddress& a : addresses) {
    const auto it = s.cache.find(a);
    if (it != s.cache.end()) {
      out.push_back(it->second);
    } else {
      out.push_back({LookupStatus::Error, {}, "not an IP address"});
    }
  }
  return out;
}

std::size_t ReverseResolver::cache_size() const noexcept { return impl_->cache.size(); }
std::uint64_t ReverseResolver::queries_sent() const noexcept { return impl_->queries_sent; }

}  // namespace pcapframe
