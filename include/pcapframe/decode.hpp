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

/// DNS RR types pcapframe looks at (RFC 1035 §3.2.2, RFC 3596).
namespace dns_type {
inline constexpr std::uint16_t kA = 1, kNs = 2, kCname = 5, kSoa = 6, kPtr = 12, kMx = 15,
                               kTxt = 16, kAaaa = 28, kSrv = 33, kOpt = 41, kHttps = 65;
}  // namespace dns_type

/// One resource record of a DNS message.
struct DnsRecord {
  enum class Section : std::uint8_t { Answer, Authority, Additional };
  Section section = Section::Answer;
  DnsName owner;
  std::uint16_t type = 0;
  std::uint16_t rr_class = 0;
  std::uint32_t ttl = 0;
  IpAddress address;  // A and AAAA: the address
  DnsName target;     // CNAME, PTR, NS: the name it points to (decompressed)
};

/// Walk the resource records of a DNS message (after its questions), bounds-checked and
/// without allocation: `while (cursor.next(record)) ...`.
class DnsRecordCursor {
 public:
  /// `message` starts at the DNS header (PacketFields::dns_offset/dns_length locate it).
  explicit DnsRecordCursor(Bytes message) noexcept;
  /// Read the next record; false at the end or at a malformed one (see anomaly()).
  bool next(DnsRecord& record) noexcept;
  /// Why the walk stopped early, or Anomaly::None.
  Anomaly anomaly() const noexcept { return anomaly_; }

 private:
  Bytes message_;
  std::size_t pos_ = 0;
  std::uint32_t remaining_[3] = {0, 0, 0};  // records left per section
  int section_ = 0;
  Anomaly anomaly_ = Anomaly::None;
};

}  // namespace pcapframe
