// SPDX-License-Identifier: MIT
// kPacketSchema: the packet table's columns, declared once. The table, the exporters, the
// CLI's --columns and the Python module all iterate it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace pcapframe {

/// The logical columns, in output order: the lab helper's 18 (alphabetical, as it sorted
/// them), then the richer fields.
enum class Column : std::uint8_t {
  Datetime,
  DnsQuery,
  DnsResp,
  IpDst,
  IpDstInt,
  IpSrc,
  IpSrcInt,
  IsDns,
  Length,
  MacDst,
  MacDstInt,
  MacSrc,
  MacSrcInt,
  PortDst,
  PortSrc,
  Protocol,
  Time,
  TimeNormed,
  // Beyond the lab.
  Caplen,
  IpVersion,
  Ttl,
  IpProto,
  TcpFlags,
  IcmpType,
  IcmpCode,
  VlanId,
  LinkType,
  Interface,
  Anomaly,
};

/// How a column's values are typed once they leave the engine.
enum class ColumnType : std::uint8_t {
  Timestamp,  // nanoseconds since the epoch
  Float64,
  Int64,
  Bool,
  String,     // text we generate (addresses, protocol names)
  PacketText,  // text taken from packets (DNS names): escaped on output
};

struct ColumnSpec {
  Column column;
  std::string_view name;
  ColumnType type;
  bool nullable;
  bool lab;  // one of the lab helper's 18 columns
  std::string_view description;
};

inline constexpr std::array kPacketSchema{
    ColumnSpec{Column::Datetime, "datetime", ColumnType::Timestamp, false, true,
               "capture time in the local time zone, naive"},
    ColumnSpec{Column::DnsQuery, "dns_query", ColumnType::PacketText, true, true,
               "name of the first DNS question, with trailing dot"},
    ColumnSpec{Column::DnsResp, "dns_resp", ColumnType::PacketText, true, true,
               "owner name of the first DNS answer, with trailing dot"},
    ColumnSpec{Column::IpDst, "ip_dst", ColumnType::String, true, true,
               "destination IPv4 or IPv6 address"},
    ColumnSpec{Column::IpDstInt, "ip_dst_int", ColumnType::Int64, true, true,
               "destination IPv4 address as an integer"},
    ColumnSpec{Column::IpSrc, "ip_src", ColumnType::String, true, true,
               "source IPv4 or IPv6 address"},
    ColumnSpec{Column::IpSrcInt, "ip_src_int", ColumnType::Int64, true, true,
               "source IPv4 address as an integer"},
    ColumnSpec{Column::IsDns, "is_dns", ColumnType::Bool, false, true,
               "a DNS question or answer was decoded"},
    ColumnSpec{Column::Length, "length", ColumnType::Int64, false, true,
               "frame length on the wire"},
    ColumnSpec{Column::MacDst, "mac_dst", ColumnType::String, true, true,
               "destination MAC address"},
    ColumnSpec{Column::MacDstInt, "mac_dst_int", ColumnType::Int64, true, true,
               "destination MAC address as a 48-bit integer"},
    ColumnSpec{Column::MacSrc, "mac_src", ColumnType::String, true, true, "source MAC address"},
    ColumnSpec{Column::MacSrcInt, "mac_src_int", ColumnType::Int64, true, true,
               "source MAC address as a 48-bit integer"},
    ColumnSpec{Column::PortDst, "port_dst", ColumnType::Int64, true, true,
               "TCP or UDP destination port"},
    ColumnSpec{Column::PortSrc, "port_src", ColumnType::Int64, true, true,
               "TCP or UDP source port"},
    ColumnSpec{Column::Protocol, "protocol", ColumnType::String, true, true,
               "TCP, UDP or ICMP (ICMP and ICMPv6)"},
    ColumnSpec{Column::Time, "time", ColumnType::Float64, false, true,
               "seconds since the Unix epoch"},
    ColumnSpec{Column::TimeNormed, "time_normed", ColumnType::Float64, false, true,
               "seconds since the first frame"},
    ColumnSpec{Column::Caplen, "caplen", ColumnType::Int64, false, false,
               "bytes captured of the frame"},
    ColumnSpec{Column::IpVersion, "ip_version", ColumnType::Int64, true, false,
               "IP version, 4 or 6"},
    ColumnSpec{Column::Ttl, "ttl", ColumnType::Int64, true, false, "IPv4 TTL or IPv6 hop limit"},
    ColumnSpec{Column::IpProto, "ip_proto", ColumnType::Int64, true, false,
               "IP protocol number (IPv6: the upper-layer header)"},
    ColumnSpec{Column::TcpFlags, "tcp_flags", ColumnType::Int64, true, false,
               "TCP flag bits (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, ...)"},
    ColumnSpec{Column::IcmpType, "icmp_type", ColumnType::Int64, true, false,
               "ICMP or ICMPv6 type"},
    ColumnSpec{Column::IcmpCode, "icmp_code", ColumnType::Int64, true, false,
               "ICMP or ICMPv6 code"},
    ColumnSpec{Column::VlanId, "vlan_id", ColumnType::Int64, true, false,
               "VLAN id of the outermost 802.1Q/802.1ad tag"},
    ColumnSpec{Column::LinkType, "link_type", ColumnType::Int64, false, false,
               "LINKTYPE_* value of the frame's interface"},
    ColumnSpec{Column::Interface, "interface", ColumnType::Int64, false, false,
               "interface index (pcapng), 0 for classic pcap"},
    ColumnSpec{Column::Anomaly, "anomaly", ColumnType::String, true, false,
               "why decoding stopped early, if it did"},
};

inline constexpr std::size_t kColumnCount = kPacketSchema.size();

/// Return the spec of `column`.
constexpr const ColumnSpec& column_spec(Column column) noexcept {
  return kPacketSchema[static_cast<std::size_t>(column)];
}

/// Find a column by its name.
constexpr std::optional<Column> find_column(std::string_view name) noexcept {
  for (const ColumnSpec& spec : kPacketSchema)
    if (spec.name == name) return spec.column;
  return std::nullopt;
}

}  // namespace pcapframe
