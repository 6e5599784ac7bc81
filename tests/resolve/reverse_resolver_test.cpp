// SPDX-License-Identifier: MIT
// ReverseResolver against a small DNS server run by the test on a loopback port: names, no
// answer (NXDOMAIN, NOERROR without a record), errors (SERVFAIL), timeouts (a server that
// never answers), the cache, concurrency, and bad options.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "pcapframe/names.hpp"
#include "pcapframe/resolve.hpp"

namespace pcapframe {
namespace {

IpAddress addr(const std::string& text) {
  const auto a = parse_address(text);
  EXPECT_TRUE(a.has_value()) << text;
  return a.value_or(IpAddress{});
}

using Names = std::map<std::string, std::string>;

/// A UDP DNS server on 127.0.0.1: answers PTR questions from `names`; "nxdomain" answers
/// NXDOMAIN, "nodata" NOERROR without a record, "servfail" SERVFAIL, "drop" nothing.
class TinyDnsServer {
 public:
  explicit TinyDnsServer(std::map<std::string, std::string> names) : names_(std::move(names)) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    socklen_t length = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &length);
    port_ = ntohs(sa.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~TinyDnsServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  std::string address() const { return fmt::format("127.0.0.1:{}", port_); }
  int queries() const { return queries_; }
  int most_in_flight_seen() const { return most_pending_; }

 private:
  void serve() {
    // "#delay" mode: every answer waits 100 ms, so the most queries held at once is the
    // number the client keeps in flight.
    using Clock = std::chrono::steady_clock;
    struct Held {
      std::vector<unsigned char> bytes;
      sockaddr_in to;
      Clock::time_point due;
    };
    std::vector<Held> held;
    const bool delay = names_.count("#delay") != 0;
    while (!stop_) {
      const auto now = Clock::now();
      for (auto it = held.begin(); it != held.end();) {
        if (it->due <= now) {
          ::sendto(fd_, it->bytes.data(), it->bytes.size(), 0,
                   reinterpret_cast<const sockaddr*>(&it->to), sizeof it->to);
          it = held.erase(it);
        } else {
          ++it;
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 5) <= 0) continue;
      unsigned char buffer[512];
      sockaddr_in from{};
      socklen_t from_length = sizeof from;
      const ssize_t n = ::recvfrom(fd_, buffer, sizeof buffer, 0,
                                   reinterpret_cast<sockaddr*>(&from), &from_length);
      if (n < 12) continue;
      ++queries_;
      // The question: labels from offset 12, then type and class.
      std::string name;
      std::size_t pos = 12;
      while (pos < static_cast<std::size_t>(n) && buffer[pos] != 0) {
        const std::size_t len = buffer[pos];
        if (!name.empty()) name += '.';
        name.append(reinterpret_cast<const char*>(buffer + pos + 1), len);
        pos += 1 + len;
      }
      const std::size_t question_end = pos + 5;
      const auto it = names_.find(name);
      const std::string answer =
          it == names_.end() ? names_.count("#default") != 0 ? names_.at("#default") : "nxdomain"
                             : it->second;
      if (answer == "drop") continue;
      unsigned rcode = 0;
      if (answer == "nxdomain") rcode = 3;
      if (answer == "servfail") rcode = 2;
      const bool has_record = rcode == 0 && answer != "nodata";
      std::vector<unsigned char> out(buffer, buffer + question_end);
      out[2] = 0x81;  // QR, RD
      out[3] = static_cast<unsigned char>(0x80 | rcode);
      out[6] = 0;
      out[7] = has_record ? 1 : 0;
      out[8] = out[9] = out[10] = out[11] = 0;
      if (has_record) {
        const unsigned char fixed[] = {0xc0, 0x0c, 0, 12, 0, 1, 0, 0, 0x0e, 0x10};
        out.insert(out.end(), std::begin(fixed), std::end(fixed));
        std::vector<unsigned char> rdata;
        std::size_t start = 0;
        while (start < answer.size()) {
          std::size_t dot = answer.find('.', start);
          if (dot == std::string::npos) dot = answer.size();
          rdata.push_back(static_cast<unsigned char>(dot - start));
          rdata.insert(rdata.end(), answer.begin() + static_cast<std::ptrdiff_t>(start),
                       answer.begin() + static_cast<std::ptrdiff_t>(dot));
          start = dot + 1;
        }
        rdata.push_back(0);
        out.push_back(static_cast<unsigned char>(rdata.size() >> 8));
        out.push_back(static_cast<unsigned char>(rdata.size() & 0xff));
        out.insert(out.end(), rdata.begin(), rdata.end());
      }
      held.push_back(
          {std::move(out), from,
           Clock::now() + (delay ? std::chrono::milliseconds(100) : std::chrono::milliseconds(0))});
      most_pending_ = std::max(most_pending_.load(), static_cast<int>(held.size()));
    }
  }

  std::map<std::string, std::string> names_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<int> queries_{0};
  std::atomic<int> most_pending_{0};
};

ReverseResolver make(const std::string& server, std::int64_t timeout_ms = 1000,
                     std::size_t concurrent = 32) {
  auto r = ReverseResolver::create({server, timeout_ms, concurrent});
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return std::move(r).value();
}

TEST(ReverseLookupName, Ipv4AndIpv6) {
  EXPECT_EQ(reverse_lookup_name(addr("10.77.0.2")), "2.0.77.10.in-addr.arpa.");
  EXPECT_EQ(reverse_lookup_name(addr("fd77::2")),
            "2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.7.d.f.ip6.arpa.");
  EXPECT_EQ(reverse_lookup_name(IpAddress{}), "");
}

TEST(LookupStatusNames, Stable) {
  EXPECT_EQ(lookup_status_name(LookupStatus::Name), "name");
  EXPECT_EQ(lookup_status_name(LookupStatus::NoAnswer), "no_answer");
  EXPECT_EQ(lookup_status_name(LookupStatus::Timeout), "timeout");
  EXPECT_EQ(lookup_status_name(LookupStatus::Error), "error");
}

TEST(ReverseResolver, BadOptionsAreInvalidArguments) {
  for (const char* server : {"dns.example.com", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "[::1",
                             "[::1]x", "1.2.3.4,", "::1]:53"}) {
    const auto r = ReverseResolver::create({server, 1000, 8});
    ASSERT_FALSE(r.has_value()) << server;
    EXPECT_EQ(r.error().code, ErrorCode::InvalidArgument) << server;
  }
  EXPECT_FALSE(ReverseResolver::create({"127.0.0.1", 0, 8}).has_value());
  EXPECT_FALSE(ReverseResolver::create({"127.0.0.1", 1000, 0}).has_value());
  for (const char* server :
       {"127.0.0.1", "127.0.0.1:5353", "::1", "[::1]:5353", "127.0.0.1:53,[::1]:53"})
    EXPECT_TRUE(ReverseResolver::create({server, 1000, 8}).has_value()) << server;
}

TEST(ReverseResolver, NamesNoAnswersAndErrorsKeptApart) {
  TinyDnsServer server({{"2.0.77.10.in-addr.arpa", "server.pcapframe.test"},
                        {"2.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.7.7.d.f.ip6.arpa",
                         "server6.pcapframe.test"},
                        {"3.0.77.10.in-addr.arpa", "nodata"},
                        {"4.0.77.10.in-addr.arpa", "servfail"}});
  ReverseResolver resolver = make(server.address());
  const std::vector<IpAddress> addresses{addr("10.77.0.2"), addr("fd77::2"),   addr("10.77.0.1"),
                                         addr("10.77.0.3"), addr("10.77.0.4"), IpAddress{}};
  const auto results = resolver.resolve(addresses);
  ASSERT_EQ(results.size(), addresses.size());
  EXPECT_EQ(results[0].status, LookupStatus::Name);
  EXPECT_EQ(results[0].name, "server.pcapframe.test.");
  EXPECT_EQ(results[1].status, LookupStatus::Name);
  EXPECT_EQ(results[1].name, "server6.pcapframe.test.");
  EXPECT_EQ(results[2].status, LookupStatus::NoAnswer);  // NXDOMAIN
  EXPECT_EQ(results[3].status, LookupStatus::NoAnswer);  // NOERROR, no record
  EXPECT_EQ(results[4].status, LookupStatus::Error);     // SERVFAIL
  EXPECT_FALSE(results[4].detail.empty());
  EXPECT_EQ(results[5].status, LookupStatus::Error);  // not an address
  EXPECT_TRUE(results[2].name.empty());
}

TEST(ReverseResolver, CacheAndDuplicatesAskOnce) {
  TinyDnsServer server(Names{{"2.0.77.10.in-addr.arpa", "server.pcapframe.test"}});
  ReverseResolver resolver = make(server.address());
  const std::vector<IpAddress> twice{addr("10.77.0.2"), addr("10.77.0.2"), addr("10.77.0.1")};
  const auto first = resolver.resolve(twice);
  EXPECT_EQ(first[0].name, first[1].name);
  EXPECT_EQ(resolver.queries_sent(), 2u);
  EXPECT_EQ(resolver.cache_size(), 2u);
  const auto again = resolver.resolve(twice);
  EXPECT_EQ(resolver.queries_sent(), 2u);  // nothing new asked
  EXPECT_EQ(again[0].status, LookupStatus::Name);
  EXPECT_EQ(again[2].status, LookupStatus::NoAnswer);
  EXPECT_EQ(server.queries(), 2);
}

TEST(ReverseResolver, ServerThatNeverAnswersTimesOutConcurrently) {
  TinyDnsServer dropper(Names{{"#default", "drop"}});
  ReverseResolver resolver = make(dropper.address(), 300, 32);
  const std::vector<IpAddress> addresses{addr("127.0.0.1"), addr("127.0.0.2"), addr("127.0.0.3"),
                                         addr("127.0.0.4"), addr("127.0.0.5"), addr("127.0.0.6")};
  const auto start = std::chrono::steady_clock::now();
  const auto results = resolver.resolve(addresses);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  for (const auto& r : results) EXPECT_EQ(r.status, LookupStatus::Timeout);
  // Six lookups in flight at once: about one timeout, not six.
  EXPECT_GE(elapsed, std::chrono::milliseconds(250));
  EXPECT_LT(elapsed, std::chrono::milliseconds(1500));
  // Timeouts are cached too: asking again costs nothing.
  const auto again_start = std::chrono::steady_clock::now();
  (void)resolver.resolve(addresses);
  EXPECT_LT(std::chrono::steady_clock::now() - again_start, std::chrono::milliseconds(100));
}

TEST(ReverseResolver, ConcurrencyIsBounded) {
  std::map<std::string, std::string> names{{"#delay", ""}};
  std::vector<IpAddress> addresses;
  for (int i = 1; i <= 12; ++i) {
    names[fmt::format("1.{}.0.10.in-addr.arpa", i)] = fmt::format("h{}.test", i);
    addresses.push_back(addr(fmt::format("10.0.{}.1", i)));
  }
  TinyDnsServer server(names);  // every answer waits 100 ms
  ReverseResolver resolver = make(server.address(), 2000, 4);
  const auto start = std::chrono::steady_clock::now();
  const auto results = resolver.resolve(addresses);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  for (std::size_t i = 0; i < results.size(); ++i) {
    EXPECT_EQ(results[i].status, LookupStatus::Name) << i;
    EXPECT_EQ(results[i].name, fmt::format("h{}.test.", i + 1));
  }
  EXPECT_EQ(server.most_in_flight_seen(), 4);          // never more than 4 waiting
  EXPECT_GE(elapsed, std::chrono::milliseconds(290));  // three rounds of 100 ms
}

}  // namespace
}  // namespace pcapframe
