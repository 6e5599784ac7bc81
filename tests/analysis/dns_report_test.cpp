// SPDX-License-Identifier: MIT
// DnsAnalysis: counts, response codes, names with their answers (a CNAME chain), and the
// queries no response answered.
#include <gtest/gtest.h>

#include <algorithm>

#include "analysis_feed.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::test {
namespace {

std::vector<std::byte> query(std::string_view client, std::uint16_t port, std::string_view name,
                             std::uint16_t id, std::uint16_t type = dns_type::kA) {
  const std::string_view server =
      client.find(':') != std::string_view::npos ? "fd00::53" : "10.0.0.53";
  return ip(client, server)
      .udp(port, 53)
      .dns(DnsBuilder().id(id).recursion_desired().question(name, type))
      .build();
}

std::vector<std::byte> response(std::string_view client, std::uint16_t port,
                                const DnsBuilder& message) {
  const std::string_view server =
      client.find(':') != std::string_view::npos ? "fd00::53" : "10.0.0.53";
  return ip(server, client).udp(53, port).dns(message).build();
}

DnsBuilder chain(std::uint16_t id) {
  return DnsBuilder()
      .id(id)
      .response()
      .question("www.example.test")
      .answer_cname("www.example.test", "web.example.test")
      .answer_cname("web.example.test", "cdn.example.test")
      .answer_a("cdn.example.test", "10.77.0.2")
      .answer_aaaa("cdn.example.test", "fd77::2");
}

const DnsNameReport* find_name(const DnsReport& r, std::string_view name) {
  for (const DnsNameReport& n : r.names)
    if (n.name == name) return &n;
  return nullptr;
}

TEST(DnsRcodeNames, Mnemonics) {
  EXPECT_EQ(dns_rcode_name(0), "NOERROR");
  EXPECT_EQ(dns_rcode_name(2), "SERVFAIL");
  EXPECT_EQ(dns_rcode_name(3), "NXDOMAIN");
  EXPECT_EQ(dns_rcode_name(5), "REFUSED");
  EXPECT_EQ(dns_rcode_name(15), "");
}

TEST(Dns, QueryAndResponseWithACnameChain) {
  DnsAnalysis dns;
  feed(kT0, query("10.0.0.1", 40000, "www.example.test", 7), {}, dns);
  feed(kT0 + 1000, response("10.0.0.1", 40000, chain(7)), {}, dns);
  feed(kT0, udp_frame("10.0.0.1", "10.0.0.2", 1, 2, 60), {}, dns);  // not DNS: ignored

  const DnsReport r = dns.finish();
  EXPECT_EQ(r.messages, 2u);
  EXPECT_EQ(r.queries, 1u);
  EXPECT_EQ(r.responses, 1u);
  ASSERT_EQ(r.rcodes.size(), 1u);
  EXPECT_EQ(r.rcodes.at(0), 1u);
  EXPECT_TRUE(r.unanswered.empty());
  ASSERT_EQ(r.names.size(), 1u);
  const DnsNameReport& www = r.names[0];
  EXPECT_EQ(www.name, "www.example.test.");
  EXPECT_EQ(www.queries, 1u);
  const std::vector<std::string> want{"CNAME web.example.test.", "CNAME cdn.example.test.",
                                      "A 10.77.0.2", "AAAA fd77::2"};
  EXPECT_EQ(www.answers, want);
}

TEST(Dns, AnswersAreDistinctAcrossResponses) {
  DnsAnalysis dns;
  for (std::uint16_t id = 1; id <= 3; ++id) {
    feed(kT0 + id, query("10.0.0.1", 40000, "www.example.test", id), {}, dns);
    feed(kT0 + id + 1, response("10.0.0.1", 40000, chain(id)), {}, dns);
  }
  const DnsReport r = dns.finish();
  ASSERT_EQ(r.names.size(), 1u);
  EXPECT_EQ(r.names[0].queries, 3u);
  EXPECT_EQ(r.names[0].answers.size(), 4u);
  EXPECT_EQ(r.responses, 3u);
}

TEST(Dns, NxdomainIsCountedAndAnswersNothing) {
  DnsAnalysis dns;
  feed(kT0, query("10.0.0.1", 40001, "nosuch.example.test", 9), {}, dns);
  feed(kT0 + 1,
       response("10.0.0.1", 40001,
                DnsBuilder().id(9).response().rcode(3).question("nosuch.example.test")),
       {}, dns);
  const DnsReport r = dns.finish();
  EXPECT_EQ(r.rcodes.at(3), 1u);
  EXPECT_TRUE(r.unanswered.empty());  // an NXDOMAIN is an answer
  const DnsNameReport* n = find_name(r, "nosuch.example.test.");
  ASSERT_NE(n, nullptr);
  EXPECT_TRUE(n->answers.empty());
}

TEST(Dns, UnansweredQueriesInTimeOrder) {
  DnsAnalysis dns;
  feed(kT0 + 30, query("10.0.0.1", 40002, "late.example.test", 2), {}, dns);
  feed(kT0 + 10, query("fd00::1", 40003, "early.example.test", 3, dns_type::kAaaa), {}, dns);
  feed(kT0 + 20, query("10.0.0.1", 40004, "answered.example.test", 4), {}, dns);
  feed(kT0 + 21,
       response("10.0.0.1", 40004, DnsBuilder().id(4).response().question("answered.example.test")),
       {}, dns);
  // A response with the right id from the wrong port answers nothing.
  feed(kT0 + 40,
       response("10.0.0.1", 49999, DnsBuilder().id(2).response().question("late.example.test")), {},
       dns);

  const DnsReport r = dns.finish();
  ASSERT_EQ(r.unanswered.size(), 2u);
  EXPECT_EQ(r.unanswered[0].name, "early.example.test.");
  EXPECT_EQ(r.unanswered[0].client, addr("fd00::1"));
  EXPECT_EQ(r.unanswered[0].server, addr("fd00::53"));
  EXPECT_EQ(r.unanswered[0].id, 3);
  EXPECT_EQ(r.unanswered[0].ts_ns, kT0 + 10);
  EXPECT_EQ(r.unanswered[1].name, "late.example.test.");
  EXPECT_EQ(r.queries, 3u);
  EXPECT_EQ(r.responses, 2u);
}

TEST(Dns, RetransmittedQueryIsOneUnansweredEntry) {
  DnsAnalysis dns;
  feed(kT0, query("10.0.0.1", 40005, "again.example.test", 5), {}, dns);
  feed(kT0 + kSecond, query("10.0.0.1", 40005, "again.example.test", 5), {}, dns);
  const DnsReport r = dns.finish();
  ASSERT_EQ(r.unanswered.size(), 1u);
  EXPECT_EQ(r.unanswered[0].ts_ns, kT0 + kSecond);  // the last try
  EXPECT_EQ(r.names.at(0).queries, 2u);
}

TEST(Dns, NamesByQueriesThenName) {
  DnsAnalysis dns;
  feed(kT0, query("10.0.0.1", 1, "b.test", 1), {}, dns);
  feed(kT0, query("10.0.0.1", 2, "a.test", 2), {}, dns);
  feed(kT0, query("10.0.0.1", 3, "c.test", 3), {}, dns);
  feed(kT0, query("10.0.0.1", 4, "c.test", 4), {}, dns);
  const DnsReport r = dns.finish();
  ASSERT_EQ(r.names.size(), 3u);
  EXPECT_EQ(r.names[0].name, "c.test.");
  EXPECT_EQ(r.names[1].name, "a.test.");
  EXPECT_EQ(r.names[2].name, "b.test.");
}

TEST(Dns, DnsOverTcp) {
  DnsAnalysis dns;
  feed(kT0,
       ip("10.0.0.1", "10.0.0.53")
           .tcp(40006, 53, 0x18)
           .dns_tcp(DnsBuilder().id(6).question("tcp.test"))
           .build(),
       {}, dns);
  feed(kT0 + 1,
       ip("10.0.0.53", "10.0.0.1")
           .tcp(53, 40006, 0x18)
           .dns_tcp(
               DnsBuilder().id(6).response().question("tcp.test").answer_a("tcp.test", "192.0.2.1"))
           .build(),
       {}, dns);
  const DnsReport r = dns.finish();
  EXPECT_EQ(r.queries, 1u);
  EXPECT_EQ(r.responses, 1u);
  EXPECT_TRUE(r.unanswered.empty());
  ASSERT_EQ(r.names.size(), 1u);
  EXPECT_EQ(r.names[0].answers, std::vector<std::string>{"A 192.0.2.1"});
}

}  // namespace
}  // namespace pcapframe::test
