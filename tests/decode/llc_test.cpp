// SPDX-License-Identifier: MIT
// IEEE 802.2 LLC under an 802.3 length field (and under SLL's "802.2 LLC" protocol).
#include <gtest/gtest.h>

#include "decode/decode_fixtures.hpp"

namespace pcapframe::test {
namespace {

// A spanning-tree BPDU: 802.3 length 38 (LLC 42 42 03 + 35 bytes), padded to the 60-byte
// Ethernet minimum with 8 bytes no length field counts.
DECODE_FIXTURE(llc_stp_bpdu_padded, LinkType::Ethernet) {
  return FrameBuilder()
      .ieee802_3(kMacA, mac("01:80:c2:00:00:00"))
      .llc(0x42, 0x42, 0x03)
      .payload(std::string(35, '\0'))
      .padding(8, 0xaa);
}

DECODE_FIXTURE(llc_over_sll, LinkType::LinuxSll) {
  return FrameBuilder().sll(kMacA).llc(0xaa, 0xaa, 0x03).payload("snap");
}

TEST(Llc, Ieee8023FrameIsLlcWithMacsAndNoEtherType) {
  const PacketFields f = decode(llc_stp_bpdu_padded());
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.mac_dst, 0x0180c2000000);
  EXPECT_EQ(f.ip_src.version, 0);
  EXPECT_EQ(f.transport, Transport::None);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Llc, LengthShorterThanTheLlcHeaderIsTruncatedEvenWithPaddingAfterIt) {
  // The length field says 2 bytes; the 44 padding bytes after them are not LLC.
  const PacketFields f = decode(LinkType::Ethernet, FrameBuilder()
                                                        .ieee802_3(kMacA, kMacB)
                                                        .length_field(2)
                                                        .llc()
                                                        .padding(44, 0x42));
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink);
}

TEST(Llc, LengthCoveringExactlyTheLlcHeaderIsFine) {
  const PacketFields f = decode(
      LinkType::Ethernet, FrameBuilder().ieee802_3(kMacA, kMacB).llc().padding(43, 0));
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Llc, CutLlcHeaderIsTruncatedLink) {
  const auto frame = llc_stp_bpdu_padded().bytes;
  for (std::size_t n = 14; n < 17; ++n) {
    const PacketFields f = decode(LinkType::Ethernet, std::span(frame).first(n));
    EXPECT_TRUE(f.is_llc) << n;
    EXPECT_EQ(f.anomaly, Anomaly::TruncatedLink) << n;
  }
}

TEST(Llc, SllProtocol4IsLlc) {
  const PacketFields f = decode(llc_over_sll());
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_EQ(f.mac_src, kMacAValue);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

TEST(Llc, Sll2Protocol4IsLlc) {
  const PacketFields f =
      decode(LinkType::LinuxSll2, FrameBuilder().sll2(kMacB).llc().payload("bpdu"));
  EXPECT_TRUE(f.is_llc);
  EXPECT_EQ(f.ether_type, 0);
  EXPECT_EQ(f.mac_src, kMacBValue);
  EXPECT_EQ(f.anomaly, Anomaly::None);
}

}  // namespace
}  // namespace pcapframe::test
