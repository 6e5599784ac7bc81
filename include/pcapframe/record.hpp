// SPDX-License-Identifier: MIT
// Record: one captured frame as the reader yields it, and the link types it can carry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace pcapframe {

/// A borrowed run of bytes.
using Bytes = std::span<const std::byte>;

/// A LINKTYPE_* value from the tcpdump.org registry. Values we do not name still fit.
enum class LinkType : std::uint16_t {
  Null = 0,         // BSD loopback, host-order 4-byte family
  Ethernet = 1,     // IEEE 802.3 / Ethernet II
  Raw = 101,        // raw IPv4 or IPv6, version from the first nibble
  Loop = 108,       // OpenBSD loopback, network-order 4-byte family
  LinuxSll = 113,   // Linux cooked capture v1
  Ipv4 = 228,       // raw IPv4
  Ipv6 = 229,       // raw IPv6
  LinuxSll2 = 276,  // Linux cooked capture v2
};

/// Return the registry name of `link` ("ETHERNET", "LINUX_SLL"), or "" for a value we do not name.
std::string_view link_type_name(LinkType link) noexcept;

/// One frame. `bytes` borrows the reader's buffer until the next call to next().
struct Record {
  std::int64_t ts_ns = 0;        // capture time, nanoseconds since the Unix epoch
  std::uint32_t caplen = 0;      // bytes captured (== bytes.size())
  std::uint32_t origlen = 0;     // length of the frame on the wire
  LinkType link = LinkType::Ethernet;
  std::uint32_t iface = 0;       // interface index (pcapng), 0 for classic pcap
  std::uint64_t offset = 0;      // byte offset of the record's header in the capture
  Bytes bytes;
};

}  // namespace pcapframe
