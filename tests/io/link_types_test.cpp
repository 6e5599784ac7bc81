// SPDX-License-Identifier: MIT
// LINKTYPE_ <-> DLT_: the values that differ map to this platform's DLTs, every other value
// is itself, and the two directions undo each other.
#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <algorithm>

#include "io/link_types.hpp"

namespace pcapframe::detail {
namespace {

TEST(LinkTypes, TheValuesThatDifferMapToThisPlatformsDlts) {
  EXPECT_EQ(dlt_for(LinkType::Raw), DLT_RAW);
  EXPECT_EQ(link_type_for(DLT_RAW), LinkType::Raw);
  EXPECT_EQ(dlt_for(static_cast<LinkType>(100)), DLT_ATM_RFC1483);
  EXPECT_EQ(dlt_for(static_cast<LinkType>(102)), DLT_SLIP_BSDOS);
  EXPECT_EQ(dlt_for(static_cast<LinkType>(103)), DLT_PPP_BSDOS);
  EXPECT_EQ(dlt_for(LinkType::Ethernet), DLT_EN10MB);
  EXPECT_EQ(dlt_for(LinkType::LinuxSll2), DLT_LINUX_SLL2);
}

// Except for the DLT numbers in the table (11, 12, 15, 16 here), which are no link types.
TEST(LinkTypes, BothDirectionsUndoEachOther) {
  for (int value = 0; value < 300; ++value) {
    const auto link = static_cast<LinkType>(value);
    const bool a_dlt_in_the_table = std::any_of(
        kDltsThatDiffer.begin(), kDltsThatDiffer.end(), [&](const auto& p) { return p.dlt == value; });
    if (!a_dlt_in_the_table) {
      EXPECT_EQ(link_type_for(dlt_for(link)), link) << value;
    }
  }
  for (const LinkTypeDlt& pair : kDltsThatDiffer) {
    EXPECT_EQ(dlt_for(link_type_for(pair.dlt)), pair.dlt) << pair.dlt;
  }
}

// libpcap knows the DLTs we hand pcap_open_dead() by the link type's name.
TEST(LinkTypes, LibpcapNamesTheMappedDlts) {
  EXPECT_STREQ(pcap_datalink_val_to_name(dlt_for(LinkType::Raw)), "RAW");
  EXPECT_STREQ(pcap_datalink_val_to_name(dlt_for(static_cast<LinkType>(103))), "PPP_BSDOS");
}

}  // namespace
}  // namespace pcapframe::detail
