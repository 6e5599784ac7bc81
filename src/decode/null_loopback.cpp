// SPDX-License-Identifier: MIT
// BSD NULL and OpenBSD LOOP link headers: a 4-byte address family before the IP packet.
#include "step.hpp"

namespace pcapframe::detail {

constexpr std::size_t kFamilyLen = 4;

// NULL stores the family in the byte order of the machine that wrote the file, which the
// file does not say; families are small numbers, so the order that gives one wins (libpcap
// and Wireshark do the same).
Step decode_null_loopback(Bytes in, PacketFields& /*out*/) noexcept {
  const auto h = header<kFamilyLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);
  std::uint32_t family = load_le32(*h);
  if (family > 0xffff) family = load_be32(*h);
  return step_for_address_family(family, in.subspan(kFamilyLen));
}

Step decode_loop(Bytes in, PacketFields& /*out*/) noexcept {
  const auto h = header<kFamilyLen>(in);
  if (!h) return stop(Anomaly::TruncatedLink);
  return step_for_address_family(load_be32(*h), in.subspan(kFamilyLen));
}

}  // namespace pcapframe::detail
