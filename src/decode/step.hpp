// SPDX-License-Identifier: MIT
// Step: what one layer's decoder hands to the driver — the next protocol and its bytes.
#pragma once

#include <cstdint>

#include "bytes.hpp"
#include "pcapframe/fields.hpp"

namespace pcapframe::detail {

/// A protocol the decode loop can visit. Order is free; there is no `default:` on it.
enum class Proto : std::uint8_t {
  End,
  Ethernet,
  LinuxSll,
  LinuxSll2,
  NullLoopback,  // BSD NULL: 4-byte address family in the writer's byte order
  Loop,          // OpenBSD LOOP: 4-byte address family in network byte order
  RawIp,         // IPv4 or IPv6, told apart by the version nibble
  Vlan,
  Llc,
  Arp,
  Ipv4,
  Ipv6,
  Tcp,
  Udp,
  Icmp,
  Icmpv6,
  Dns,     // a DNS message (UDP payload)
  DnsTcp,  // a DNS message behind a 2-byte length prefix (RFC 1035 §4.2.2)
};

/// What to decode next, or why decoding stopped.
struct Step {
  Proto next = Proto::End;          // protocol held by `payload`
  Bytes payload;                    // bytes after this layer's header
  Anomaly anomaly = Anomaly::None;  // set when this layer ended the walk early
};

constexpr Step stop(Anomaly a = Anomaly::None) noexcept { return Step{Proto::End, {}, a}; }

// Dispatch tables, in frame.cpp: the only places that map numbers to protocols.
Step step_for_ethertype(std::uint16_t ether_type, Bytes payload) noexcept;
// An Ethernet or 802.1Q Length/Type field: an EtherType (kept in `out.ether_type`), or the
// length of an 802.2 LLC payload (ether_type 0), or neither (BadEtherType).
Step step_for_type_or_length(std::uint16_t type_or_len, Bytes payload, PacketFields& out) noexcept;
Step step_for_ip_protocol(std::uint8_t protocol, Bytes payload) noexcept;
Step step_for_address_family(std::uint32_t family, Bytes payload) noexcept;
Step step_for_ip_version(Bytes packet) noexcept;
Step step_for_udp_ports(std::uint16_t port_src, std::uint16_t port_dst, Bytes payload) noexcept;
Step step_for_tcp_ports(std::uint16_t port_src, std::uint16_t port_dst, Bytes payload) noexcept;

// One decoder per layer, one file each. Recipe: check length, read fields, write fields,
// name the next protocol. Decoders never call each other.
Step decode_ethernet(Bytes in, PacketFields& out) noexcept;
Step decode_linux_sll(Bytes in, PacketFields& out) noexcept;
Step decode_linux_sll2(Bytes in, PacketFields& out) noexcept;
Step decode_null_loopback(Bytes in, PacketFields& out) noexcept;
Step decode_loop(Bytes in, PacketFields& out) noexcept;
Step decode_vlan(Bytes in, PacketFields& out) noexcept;
Step decode_llc(Bytes in, PacketFields& out) noexcept;
Step decode_arp(Bytes in, PacketFields& out) noexcept;
Step decode_ipv4(Bytes in, PacketFields& out) noexcept;
Step decode_ipv6(Bytes in, PacketFields& out) noexcept;
Step decode_tcp(Bytes in, PacketFields& out) noexcept;
Step decode_udp(Bytes in, PacketFields& out) noexcept;
Step decode_icmp(Bytes in, PacketFields& out) noexcept;
Step decode_icmpv6(Bytes in, PacketFields& out) noexcept;
/// Decode a DNS message starting at `in`; `offset_in_frame` is where `in` starts in the frame.
Step decode_dns(Bytes in, PacketFields& out, std::size_t offset_in_frame) noexcept;

}  // namespace pcapframe::detail
