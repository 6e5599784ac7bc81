// SPDX-License-Identifier: MIT
// Linux cooked capture v1 (LINKTYPE_LINUX_SLL, tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html).
#include "step.hpp"

namespace pcapframe::detail {

// Packet type (2), ARPHRD type (2), address length (2), address (8), protocol (2).
constexpr std::size_t kSllHeaderLen = 16;
constexpr std::uint16_t kArphrdEther = 1;
constexpr std::uint16_t kSllProtoLlc = 0x0004;  // 802.2 LLC frame, no 802.3 header
constexpr std::size_t kMacLen = 6;

Step decode_linux_sll(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kSllHeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);

  const std::uint16_t hatype = load_be16(h->subspan<2, 2>());
  const std::uint16_t address_len = load_be16(h->subspan<4, 2>());
  if (hatype == kArphrdEther && address_len == kMacLen) {
    out.has_mac_src = true;
    out.mac_src = load_mac(h->subspan<6, 6>());
  }
  const std::uint16_t protocol = load_be16(h->subspan<14, 2>());
  const Bytes payload = in.subspan(kSllHeaderLen);
  if (protocol == kSllProtoLlc) return {Proto::Llc, payload};
  out.ether_type = protocol;
  return step_for_ethertype(protocol, payload);
}

}  // namespace pcapframe::detail
