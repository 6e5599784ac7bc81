// SPDX-License-Identifier: MIT
// The decode driver: the first step per link type, the dispatch tables, and the layer loop.
#include <algorithm>
#include <cstddef>
#include <cstring>
#include <type_traits>

#include "pcapframe/decode.hpp"
#include "step.hpp"

namespace pcapframe {
namespace detail {
namespace {

// IANA "ethernet-numbers" registry.
constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeArp = 0x0806;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;      // IEEE 802.1Q C-tag
constexpr std::uint16_t kEtherTypeQinQ = 0x88a8;      // IEEE 802.1ad S-tag
constexpr std::uint16_t kEtherTypeQinQOld = 0x9100;   // pre-standard QinQ, still seen
constexpr std::uint16_t kEtherTypeIpv6 = 0x86dd;
// IEEE 802.3 clause 3.2.6: a type/length >= 0x0600 is an EtherType; <= 1500 is a
// payload length, and any bytes past it are padding.
constexpr std::uint16_t kMinEtherType = 0x0600;
constexpr std::uint16_t kMax8023Length = 1500;

// IANA "protocol-numbers" registry.
constexpr std::uint8_t kIpProtoIcmp = 1;
constexpr std::uint8_t kIpProtoTcp = 6;
constexpr std::uint8_t kIpProtoUdp = 17;
constexpr std::uint8_t kIpProtoIcmpv6 = 58;

// DNS (RFC 1035), mDNS (RFC 6762) and LLMNR (RFC 4795) ports; DNS over TCP only on 53.
constexpr std::uint16_t kPortDns = 53;
constexpr std::uint16_t kPortMdns = 5353;
constexpr std::uint16_t kPortLlmnr = 5355;

// Address families in the NULL/LOOP header: AF_INET is 2 everywhere; AF_INET6 differs by OS
// (Linux 10, NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30), as libpcap's pcap/dlt.h lists.
constexpr std::uint32_t kAfInet = 2;

constexpr bool is_af_inet6(std::uint32_t family) noexcept {
  return family == 10 || family == 24 || family == 28 || family == 30;
}

constexpr bool is_dns_udp_port(std::uint16_t port) noexcept {
  return port == kPortDns || port == kPortMdns || port == kPortLlmnr;
}

Step first_step(LinkType link, Bytes frame, PacketFields& out) noexcept {
  switch (link) {
    case LinkType::Ethernet: return {Proto::Ethernet, frame};
    case LinkType::LinuxSll: return {Proto::LinuxSll, frame};
    case LinkType::LinuxSll2: return {Proto::LinuxSll2, frame};
    case LinkType::Null: return {Proto::NullLoopback, frame};
    case LinkType::Loop: return {Proto::Loop, frame};
    case LinkType::Raw: return {Proto::RawIp, frame};
    case LinkType::Ipv4: return {Proto::Ipv4, frame};
    case LinkType::Ipv6: return {Proto::Ipv6, frame};
  }
  (void)out;
  return stop(Anomaly::UnknownLinkType);
}

// `out = PacketFields{}` (all zero bytes) without rewriting the two DNS name buffers, 508 of
// the struct's 616 bytes: the zeroing took 12 ns a frame, a third of decoding a TCP segment
// (bench/micro/decode_bench.cpp); this takes 4. Names are only ever stored whole and zero
// past `length` (decode_dns_name starts from DnsName{}), so clearing their first `length`
// bytes leaves the same all-zero struct.
void reset_fields(PacketFields& out) noexcept {
  static_assert(std::is_trivially_copyable_v<PacketFields> &&
                std::is_standard_layout_v<PacketFields>);
  // The names sit side by side just before `anomaly`, the last member.
  constexpr std::size_t kNames = offsetof(PacketFields, dns_query);
  static_assert(offsetof(PacketFields, dns_answer) == kNames + sizeof(DnsName));
  static_assert(offsetof(PacketFields, anomaly) == kNames + 2 * sizeof(DnsName));
  static_assert(sizeof(PacketFields) - offsetof(PacketFields, anomaly) <= alignof(PacketFields));
  std::memset(static_cast<void*>(&out), 0, kNames);
  for (DnsName* name : {&out.dns_query, &out.dns_answer}) {
    std::fill_n(name->text.begin(), name->length, '\0');
    name->length = 0;
  }
  out.anomaly = Anomaly::None;
}

Step decode_one(Proto proto, Bytes payload, Bytes frame, PacketFields& out) noexcept {
  switch (proto) {
    case Proto::End: return stop();
    case Proto::Ethernet: return decode_ethernet(payload, out);
    case Proto::LinuxSll: return decode_linux_sll(payload, out);
    case Proto::LinuxSll2: return decode_linux_sll2(payload, out);
    case Proto::NullLoopback: return decode_null_loopback(payload, out);
    case Proto::Loop: return decode_loop(payload, out);
    case Proto::RawIp: return step_for_ip_version(payload);
    case Proto::Vlan: return decode_vlan(payload, out);
    case Proto::Llc: return decode_llc(payload, out);
    case Proto::Arp: return decode_arp(payload, out);
    case Proto::Ipv4: return decode_ipv4(payload, out);
    case Proto::Ipv6: return decode_ipv6(payload, out);
    case Proto::Tcp: return decode_tcp(payload, out);
    case Proto::Udp: return decode_udp(payload, out);
    case Proto::Icmp: return decode_icmp(payload, out);
    case Proto::Icmpv6: return decode_icmpv6(payload, out);
    case Proto::Dns:
      return decode_dns(payload, out, static_cast<std::size_t>(payload.data() - frame.data()));
    case Proto::DnsTcp: {
      // RFC 1035 §4.2.2: each message is preceded by its length. Only a segment that starts
      // with a message is decoded (no stream reassembly), so a bad prefix just ends the walk.
      const auto h = header<2>(payload);
      if (!h) return stop();
      const Bytes message = clamp_to(payload.subspan(2), load_be16(*h));
      return decode_dns(message, out, static_cast<std::size_t>(message.data() - frame.data()));
    }
  }
  return stop();
}

}  // namespace

Step step_for_ethertype(std::uint16_t ether_type, Bytes payload) noexcept {
  switch (ether_type) {
    case kEtherTypeIpv4: return {Proto::Ipv4, payload};
    case kEtherTypeIpv6: return {Proto::Ipv6, payload};
    case kEtherTypeArp: return {Proto::Arp, payload};
    case kEtherTypeVlan:
    case kEtherTypeQinQ:
    case kEtherTypeQinQOld: return {Proto::Vlan, payload};
    default: return stop();  // a protocol we do not decode: the row keeps the link fields
  }
}

Step step_for_type_or_length(std::uint16_t type_or_len, Bytes payload, PacketFields& out) noexcept {
  if (type_or_len >= kMinEtherType) {
    out.ether_type = type_or_len;
    return step_for_ethertype(type_or_len, payload);
  }
  out.ether_type = 0;  // an inner tag's length replaces the outer tag's EtherType
  if (type_or_len <= kMax8023Length) return {Proto::Llc, clamp_to(payload, type_or_len)};
  return stop(Anomaly::BadEtherType);
}

Step step_for_ip_protocol(std::uint8_t protocol, Bytes payload) noexcept {
  switch (protocol) {
    case kIpProtoTcp: return {Proto::Tcp, payload};
    case kIpProtoUdp: return {Proto::Udp, payload};
    case kIpProtoIcmp: return {Proto::Icmp, payload};
    case kIpProtoIcmpv6: return {Proto::Icmpv6, payload};
    default: return stop();
  }
}

Step step_for_address_family(std::uint32_t family, Bytes payload) noexcept {
  if (family == kAfInet) return {Proto::Ipv4, payload};
  if (is_af_inet6(family)) return {Proto::Ipv6, payload};
  return stop(Anomaly::UnknownNetwork);
}

Step step_for_ip_version(Bytes packet) noexcept {
  const auto h = header<1>(packet);
  if (!h) return stop(Anomaly::TruncatedIpv4);
  switch (load_u8(*h) >> 4) {
    case 4: return {Proto::Ipv4, packet};
    case 6: return {Proto::Ipv6, packet};
    default: return stop(Anomaly::UnknownNetwork);
  }
}

Step step_for_udp_ports(std::uint16_t port_src, std::uint16_t port_dst, Bytes payload) noexcept {
  if (is_dns_udp_port(port_src) || is_dns_udp_port(port_dst)) return {Proto::Dns, payload};
  return stop();
}

Step step_for_tcp_ports(std::uint16_t port_src, std::uint16_t port_dst, Bytes payload) noexcept {
  if ((port_src == kPortDns || port_dst == kPortDns) && !payload.empty())
    return {Proto::DnsTcp, payload};
  return stop();
}

}  // namespace detail

// A loop rather than recursion, so the depth limit is one line.
void decode_frame(LinkType link, Bytes frame, PacketFields& out) noexcept {
  using namespace detail;
  reset_fields(out);
  Step step = first_step(link, frame, out);
  for (int depth = 0; step.next != Proto::End; ++depth) {
    if (depth == kMaxLayers) {
      step = stop(Anomaly::TooManyLayers);
      break;
    }
    step = decode_one(step.next, step.payload, frame, out);
  }
  out.anomaly = step.anomaly;
  out.is_dns = out.dns_query.present() || out.dns_answer.present();
}

}  // namespace pcapframe
