// SPDX-License-Identifier: MIT
// ARP: flagged as ARP; like the lab's helper it carries no IP addresses or protocol.
#include "step.hpp"

namespace pcapframe::detail {

// RFC 826: hardware type, protocol type, hlen, plen, opcode.
constexpr std::size_t kArpFixedLen = 8;

Step decode_arp(Bytes in, PacketFields& out) noexcept {
  out.is_arp = true;
  if (!header<kArpFixedLen>(in)) return stop(Anomaly::TruncatedArp);
  return stop();
}

}  // namespace pcapframe::detail
