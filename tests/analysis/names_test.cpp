// SPDX-License-Identifier: MIT
// NamesAnalysis and NameMap: addresses named by the trace's DNS answers, CNAME chains followed
// back to the name the client asked for, pcapng name records.
#include "pcapframe/names.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "analysis_feed.hpp"

namespace pcapframe::test {
namespace {

std::vector<std::byte> response(const DnsBuilder& message) {
  return ip("10.0.0.53", "10.0.0.1").udp(53, 40000).dns(message).build();
}

DnsBuilder www_chain() {
  // www -> web -> cdn, with the address records owned by the end of the chain.
  return DnsBuilder()
      .id(1)
      .response()
      .question("www.pcapframe.test")
      .answer_cname("www.pcapframe.test", "web.pcapframe.test")
      .answer_cname("web.pcapframe.test", "cdn.pcapframe.test")
      .answer_a("cdn.pcapframe.test", "10.77.0.2")
      .answer_aaaa("cdn.pcapframe.test", "fd77::2");
}

TEST(NameSources, Names) {
  EXPECT_EQ(name_source_name(NameSource::Dns), "dns");
  EXPECT_EQ(name_source_name(NameSource::NameResolutionBlock), "nrb");
  EXPECT_EQ(name_source_name(NameSource::ReverseLookup), "ptr");
}

TEST(Names, CnameChainNamesAddressesByTheNameAsked) {
  NamesAnalysis names;
  feed(kT0, response(www_chain()), {}, names);
  const NameMap map = names.finish();
  ASSERT_EQ(map.size(), 2u);
  for (const char* address : {"10.77.0.2", "fd77::2"}) {
    const AddressName* e = map.find(addr(address));
    ASSERT_NE(e, nullptr) << address;
    EXPECT_EQ(e->name, "www.pcapframe.test.");
    EXPECT_EQ(e->canonical, "cdn.pcapframe.test.");
    EXPECT_EQ(e->source, NameSource::Dns);
    EXPECT_EQ(e->first_seen_ns, kT0);
    EXPECT_EQ(e->answers, 1u);
  }
  EXPECT_EQ(map.find(addr("10.0.0.53")), nullptr);  // the server is named by nothing
}

TEST(Names, ChainMatchingIgnoresCase) {
  NamesAnalysis names;
  feed(kT0,
       response(DnsBuilder()
                    .response()
                    .question("WWW.Example.test")
                    .answer_cname("www.example.test", "Edge.Example.Test")
                    .answer_a("edge.example.test", "192.0.2.7")),
       {}, names);
  const AddressName* e = names.map().find(addr("192.0.2.7"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "WWW.Example.test.");  // as the client spelt it
}

TEST(Names, AnAddressOutsideTheChainIsNamedByItsOwner) {
  NamesAnalysis names;
  feed(kT0,
       response(DnsBuilder()
                    .response()
                    .question("www.example.test")
                    .answer_a("www.example.test", "192.0.2.1")
                    .answer_a("other.example.test", "192.0.2.2")),
       {}, names);
  EXPECT_EQ(names.map().find(addr("192.0.2.1"))->name, "www.example.test.");
  EXPECT_EQ(names.map().find(addr("192.0.2.2"))->name, "other.example.test.");
}

TEST(Names, ErrorsAndQueriesNameNothing) {
  NamesAnalysis names;
  // An NXDOMAIN response that still carries an address record, and a query: no names.
  feed(
      kT0,
      response(DnsBuilder().response().rcode(3).question("x.test").answer_a("x.test", "192.0.2.9")),
      {}, names);
  feed(kT0, ip("10.0.0.1", "10.0.0.53").udp(40000, 53).dns_query("y.test").build(), {}, names);
  EXPECT_EQ(names.map().size(), 0u);
}

TEST(Names, FirstNameWinsLaterNamesAreKept) {
  NamesAnalysis names;
  feed(kT0, response(www_chain()), {}, names);
  feed(kT0 + kSecond,
       response(DnsBuilder()
                    .response()
                    .question("static.pcapframe.test")
                    .answer_a("static.pcapframe.test", "10.77.0.2")),
       {}, names);
  feed(kT0 + 2 * kSecond,
       response(DnsBuilder()
                    .response()
                    .question("STATIC.pcapframe.test")
                    .answer_a("static.pcapframe.test", "10.77.0.2")),
       {}, names);  // the same name in other case: not another name
  feed(kT0 + 3 * kSecond, response(www_chain()), {}, names);
  const AddressName* e = names.map().find(addr("10.77.0.2"));
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "www.pcapframe.test.");
  EXPECT_EQ(e->other_names, std::vector<std::string>{"static.pcapframe.test."});
  EXPECT_EQ(e->answers, 4u);
  EXPECT_EQ(e->first_seen_ns, kT0);
  EXPECT_EQ(e->last_seen_ns, kT0 + 3 * kSecond);
}

TEST(Names, OtherNamesAreCapped) {
  NameMap map;
  const IpAddress a = addr("192.0.2.1");
  for (int i = 0; i < 20; ++i)
    map.add(a, fmt::format("n{}.test.", i), "", NameSource::Dns, kT0 + i);
  const AddressName* e = map.find(a);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->name, "n0.test.");
  EXPECT_EQ(e->other_names.size(), kMaxOtherNames);
  EXPECT_EQ(e->answers, 20u);
  EXPECT_EQ(e->last_seen_ns, kT0 + 19);
}

TEST(Names, NameResolutionBlocksFillGapsOnly) {
  NamesAnalysis names;
  feed(kT0, response(www_chain()), {}, names);
  NameRecord nrb_taken{4, {}, "router.lan"};
  nrb_taken.address[0] = 10, nrb_taken.address[1] = 77, nrb_taken.address[2] = 0,
  nrb_taken.address[3] = 2;
  NameRecord nrb_new{4, {}, "printer.lan."};
  nrb_new.address[0] = 192, nrb_new.address[1] = 0, nrb_new.address[2] = 2, nrb_new.address[3] = 99;
  names.add_name_records({nrb_taken, nrb_new, NameRecord{4, {}, ""}});
  const NameMap map = names.finish();
  EXPECT_EQ(map.find(addr("10.77.0.2"))->name, "www.pcapframe.test.");  // DNS takes precedence
  const AddressName* printer = map.find(addr("192.0.2.99"));
  ASSERT_NE(printer, nullptr);
  EXPECT_EQ(printer->name, "printer.lan.");
  EXPECT_EQ(printer->source, NameSource::NameResolutionBlock);
  EXPECT_EQ(map.find(addr("0.0.0.0")), nullptr);  // an empty name adds nothing
  EXPECT_EQ(map.size(), 3u);
}

TEST(Names, EntriesInAddressOrder) {
  NameMap map;
  for (const char* a : {"fd00::1", "10.0.0.10", "10.0.0.2", "192.0.2.1"})
    map.add(addr(a), "x.", "x.", NameSource::Dns, 0);
  const auto entries = map.entries();
  ASSERT_EQ(entries.size(), 4u);
  EXPECT_EQ(entries[0].address, addr("10.0.0.2"));
  EXPECT_EQ(entries[1].address, addr("10.0.0.10"));
  EXPECT_EQ(entries[2].address, addr("192.0.2.1"));
  EXPECT_EQ(entries[3].address, addr("fd00::1"));
}

TEST(Names, MapCopiesAreIndependent) {
  NameMap a;
  a.add(addr("192.0.2.1"), "one.", "one.", NameSource::Dns, 0);
  NameMap b = a;
  b.add(addr("192.0.2.2"), "two.", "two.", NameSource::ReverseLookup, 0);
  EXPECT_EQ(a.size(), 1u);
  EXPECT_EQ(b.size(), 2u);
}

}  // namespace
}  // namespace pcapframe::test
