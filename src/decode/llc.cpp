// SPDX-License-Identifier: MIT
// IEEE 802.2 LLC under an 802.3 length field: recorded, not descended into (STP, CDP, ...).
#include "step.hpp"

namespace pcapframe::detail {

// IEEE 802.2 §3.2: DSAP, SSAP, control.
constexpr std::size_t kLlcHeaderLen = 3;

Step decode_llc(Bytes in, PacketFields& out) noexcept {
  out.is_llc = true;
  if (!header<kLlcHeaderLen>(in)) return stop(Anomaly::TruncatedLink);
  return stop();
}

}  // namespace pcapframe::detail
