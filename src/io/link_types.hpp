// SPDX-License-Identifier: MIT
// LINKTYPE_ values (in files and records) and libpcap's DLT_ values (pcap_open_dead(),
// pcap_datalink()) are equal except for the few DLTs whose numbers differ between platforms
// (libpcap pcap-common.c, linktype_to_dlt and dlt_to_linktype). One table, both directions:
// without it a filter on a raw-IP capture failed with "unknown data link type 101", and a
// live capture on a tun or WireGuard device (DLT_RAW 12) was labelled link type 12.
#pragma once

#include <pcap/dlt.h>

#include <array>
#include <cstdint>

#include "pcapframe/record.hpp"

namespace pcapframe::detail {

struct LinkTypeDlt {
  std::uint16_t link_type;
  int dlt;
};

inline constexpr std::array<LinkTypeDlt, 4> kDltsThatDiffer{{
    {100, DLT_ATM_RFC1483},
    {101, DLT_RAW},  // 12 (14 on OpenBSD)
    {102, DLT_SLIP_BSDOS},
    {103, DLT_PPP_BSDOS},
}};

/// The DLT_ value libpcap uses on this platform for a record's link type.
constexpr int dlt_for(LinkType link) noexcept {
  for (const LinkTypeDlt& pair : kDltsThatDiffer)
    if (pair.link_type == static_cast<std::uint16_t>(link)) return pair.dlt;
  return static_cast<int>(link);
}

/// The link type of a DLT_ value from libpcap on this platform.
constexpr LinkType link_type_for(int dlt) noexcept {
  for (const LinkTypeDlt& pair : kDltsThatDiffer)
    if (pair.dlt == dlt) return static_cast<LinkType>(pair.link_type);
  return static_cast<LinkType>(static_cast<std::uint16_t>(dlt));
}

}  // namespace pcapframe::detail
