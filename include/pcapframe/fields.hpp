// SPDX-License-Identifier: MIT
// PacketFields: everything the decoder takes out of one frame, in a fixed struct.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "pcapframe/record.hpp"

namespace pcapframe {

/// Why decoding stopped early, or what was odd. The names are stable: append, never renumber.
enum class Anomaly : std::uint8_t {
  None,
  UnknownLinkType,      // a link type we do not decode; the row keeps only record fields
  TruncatedLink,        // the link-layer header is cut short
  TruncatedVlan,
  TooManyVlanTags,      // more stacked tags than kMaxVlanTags
  BadEtherType,         // a type/length field between 1501 and 1535
  TruncatedArp,
  TruncatedIpv4,
  BadIpv4Header,        // version != 4, IHL < 5, or total length < header length
  TruncatedIpv6,
  TooManyIpv6Headers,   // the extension-header chain exceeds kMaxIpv6ExtensionHeaders
  TruncatedTcp,
  BadTcpHeader,         // data offset < 5
  TruncatedUdp,
  TruncatedIcmp,
  TruncatedDns,
  BadDnsName,           // label > 63, name > 255, pointer loop or pointer out of the message
  TooManyLayers,        // the decode loop hit kMaxLayers
  UnknownNetwork,       // an IP version or link-layer family we do not decode
};

/// Return the stable snake_case name of `a` ("truncated_ipv4").
std::string_view anomaly_name(Anomaly a) noexcept;

/// Transport protocol as the lab names it: TCP, UDP, ICMP (ICMP and ICMPv6), or none.
enum class Transport : std::uint8_t { None, Tcp, Udp, Icmp };

/// Return "TCP", "UDP", "ICMP", or "" for Transport::None.
std::string_view transport_name(Transport t) noexcept;

/// An IPv4 or IPv6 address. IPv4 uses the first four bytes; the rest stay zero.
struct IpAddress {
  std::uint8_t version = 0;  // 0 when absent, 4 or 6
  std::array<std::uint8_t, 16> bytes{};

  /// Return the IPv4 address as a host-order integer (valid when version == 4).
  constexpr std::uint32_t v4() const noexcept {
    return std::uint32_t{bytes[0]} << 24 | std::uint32_t{bytes[1]} << 16 |
           std::uint32_t{bytes[2]} << 8 | std::uint32_t{bytes[3]};
  }
  // Two 8-byte compares: the defaulted operator called memcmp for the 16 bytes, 3% of the
  // table's time (bench/compare.sh), as the table and the analyses compare addresses per frame.
  friend bool operator==(const IpAddress& a, const IpAddress& b) noexcept {
    std::uint64_t a_lo, a_hi, b_lo, b_hi;
    std::memcpy(&a_lo, a.bytes.data(), 8), std::memcpy(&a_hi, a.bytes.data() + 8, 8);
    std::memcpy(&b_lo, b.bytes.data(), 8), std::memcpy(&b_hi, b.bytes.data() + 8, 8);
    return a.version == b.version && ((a_lo ^ b_lo) | (a_hi ^ b_hi)) == 0;
  }
  /// The order addresses are listed in: IPv4 before IPv6, then numerically.
  friend bool operator<(const IpAddress& a, const IpAddress& b) noexcept {
    return a.version != b.version ? a.version < b.version : a.bytes < b.bytes;
  }
};

/// Longest DNS name text: 255 wire bytes give at most 254 characters with the trailing dot.
inline constexpr std::size_t kMaxDnsNameText = 254;

/// A DNS name as the lab shows it: raw label bytes joined by '.', with a trailing dot.
struct DnsName {
  std::array<char, kMaxDnsNameText> text{};
  std::uint8_t length = 0;  // 0 = absent (the root name is ".", length 1)

  bool present() const noexcept { return length != 0; }
  std::string_view view() const noexcept { return {text.data(), length}; }
};

/// TCP flag bits as they appear in the header's 13th byte (RFC 9293 §3.1).
namespace tcp_flag {
inline constexpr std::uint8_t kFin = 0x01, kSyn = 0x02, kRst = 0x04, kPsh = 0x08, kAck = 0x10,
                              kUrg = 0x20, kEce = 0x40, kCwr = 0x80;
}  // namespace tcp_flag

/// The fields of one frame. decode_frame() resets it first; absent fields keep their zero value.
struct PacketFields {
  // Link layer.
  bool has_mac_src = false;
  bool has_mac_dst = false;
  std::uint64_t mac_src = 0;  // 48-bit MAC in the low bits, first byte most significant
  std::uint64_t mac_dst = 0;
  std::uint16_t ether_type = 0;  // innermost EtherType (or SLL protocol); 0 for 802.3/LLC
  bool is_llc = false;           // IEEE 802.3 length field with an LLC header
  std::uint8_t vlan_count = 0;   // stacked 802.1Q/802.1ad tags seen
  std::uint16_t vlan_id = 0;     // VLAN id of the outermost tag (valid if vlan_count > 0)
  bool is_arp = false;

  // Network layer.
  IpAddress ip_src;
  IpAddress ip_dst;
  std::uint8_t ip_proto = 0;      // IPv4 protocol or IPv6 upper-layer next header
  std::uint8_t ttl = 0;           // IPv4 TTL or IPv6 hop limit
  bool is_fragment = false;       // part of a fragmented IP datagram
  bool is_later_fragment = false; // fragment offset > 0: no transport header here

  // Transport layer.
  Transport transport = Transport::None;
  bool has_ports = false;
  std::uint16_t port_src = 0;
  std::uint16_t port_dst = 0;
  std::uint8_t tcp_flags = 0;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;

  // DNS (UDP 53/5353/5355 and TCP 53, either side).
  bool is_dns = false;       // a question or an answer was decoded
  bool dns_message = false;  // a DNS header was decoded (is_dns may still be false)
  bool dns_is_response = false;
  std::uint8_t dns_rcode = 0;
  std::uint16_t dns_id = 0;
  std::uint16_t dns_question_count = 0;
  std::uint16_t dns_answer_count = 0;
  std::uint32_t dns_offset = 0;   // offset of the DNS message in the frame, for answer walks
  std::uint32_t dns_length = 0;   // bytes of the DNS message present in the frame
  std::uint16_t dns_query_type = 0;
  DnsName dns_query;              // first question's name
  DnsName dns_answer;             // owner name of the first answer record

  Anomaly anomaly = Anomaly::None;
};

}  // namespace pcapframe
