// SPDX-License-Identifier: MIT
// decode_frame(): bytes of one frame to PacketFields. Pure, bounds-checked, no allocation.
#pragma once

#include <cstddef>
#include <cstdint>

#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"

namespace pcapframe {

/// Most stacked VLAN tags decoded before giving up (QinQ uses two; a few more is tolerated).
inline constexpr int kMaxVlanTags = 8;
/// Most IPv6 extension headers walked before giving up.
inline constexpr int kMaxIpv6ExtensionHeaders = 16;
/// Most layers the decode loop visits for one frame.
inline constexpr int kMaxLayers = 32;

/// Decode one frame of link type `link` into `out` (reset first). Never fails: what cannot be
/// decoded is recorded in `out.anomaly`, and fields decoded before the stop are kept.
/// Nothing in `out` points into `frame`.
void decode_frame(LinkType link, Bytes frame, PacketFields& out) noexcept;

/// Decode a DNS name at `offset` of `message`, following compression pointers loop-proof.
/// Return Anomaly::None on success, with `next_offset` set past the name as it sits at
/// `offset`. Return TruncatedDns when the name runs past the message, or BadDnsName for
/// names over 255 bytes, pointer loops and unknown label types; `out` is then unspecified.
Anomaly decode_dns_name(Bytes message, std::size_t offset, DnsName& out,
                        std::size_t& next_offset) noexcept;

}  // namespace pcapframe
