// SPDX-License-Identifier: MIT
// Linux cooked capture v2 (LINKTYPE_LINUX_SLL2, tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html).
#include "step.hpp"

namespace pcapframe::detail {

// File-local (internal linkage): sll.cpp has a kMacLen of another type.
namespace {
// Protocol (2), reserved (2), interface index (4), ARPHRD type (2), packet type (1),
// address length (1), address (8).
constexpr std::size_t kSll2HeaderLen = 20;
constexpr std::uint16_t kArphrdEther = 1;
constexpr std::uint16_t kSllProtoLlc = 0x0004;
constexpr std::uint8_t kMacLen = 6;
}  // namespace

Step decode_linux_sll2(Bytes in, PacketFields& out) noexcept {
  const auto h = header<kSll2HeaderLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);

  const std::uint16_t protocol = load_be16(h->first<2>());
  const std::uint16_t hatype = load_be16(h->subspan<8, 2>());
  const std::uint8_t address_len = load_u8(h->subspan<11, 1>());
  if (hatype == kArphrdEther && address_len == kMacLen) {
    out.has_mac_src = true;
    out.mac_src = load_mac(h->subspan<12, 6>());
  }
  const Bytes payload = in.subspan(kSll2HeaderLen);
  if (protocol == kSllProtoLlc) return {Proto::Llc, payload};
  out.ether_type = protocol;
  return step_for_ethertype(protocol, payload);
}

}  // namespace pcapframe::detail
