// SPDX-License-Identifier: MIT
// PcapngWriter: pcapng files built in memory for tests (header-only).
//
//   const auto bytes = PcapngWriter()
//                          .section(Section().big_endian())
//                          .interface(Interface().link(1).nanosecond().name("eth0"))
//                          .enhanced_packet(frame, Packet().ticks(1'700'000'000'123'456'789))
//                          .enhanced_packet(frame, Packet().at_ns(ts_ns).origlen(1514))
//                          .bytes();
//   auto reader = CaptureReader::open_memory(bytes);
//
// Blocks are written as they are added, in the byte order of the section they belong to.
// Every field can be chosen, including impossible ones, so that tests can build corrupt
// files: BlockDamage changes a block's length fields or cuts the block short, Packet::caplen
// writes a captured length that disagrees with the bytes, raw() appends anything.
// offset(i) gives the byte offset of the i-th block (from 0), which is what the reader's
// messages name. Block layouts follow draft-ietf-opsawg-pcapng (§4.1 SHB, §4.2 IDB,
// §4.3 EPB, §4.4 SPB, §4.5 NRB, §4.6 ISB, §4.8 custom, Appendix A obsolete PB).
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pcapframe::test {

/// Block type codes (§11.1) the writer knows by name.
namespace pcapng_block {
inline constexpr std::uint32_t kSectionHeader = 0x0a0d0d0a;
inline constexpr std::uint32_t kInterfaceDescription = 0x00000001;
inline constexpr std::uint32_t kObsoletePacket = 0x00000002;
inline constexpr std::uint32_t kSimplePacket = 0x00000003;
inline constexpr std::uint32_t kNameResolution = 0x00000004;
inline constexpr std::uint32_t kInterfaceStatistics = 0x00000005;
inline constexpr std::uint32_t kEnhancedPacket = 0x00000006;
inline constexpr std::uint32_t kDecryptionSecrets = 0x0000000a;
inline constexpr std::uint32_t kCustomCopiable = 0x00000bad;
inline constexpr std::uint32_t kCustomNotCopiable = 0x40000bad;
}  // namespace pcapng_block

/// Changes to one block's framing, for corrupt files: `BlockDamage().trailer(40)`.
struct BlockDamage {
  /// The leading block-length field (the bytes written do not change).
  BlockDamage& length(std::uint32_t value) { length_value = value; return *this; }
  /// The trailing copy of the block length.
  BlockDamage& trailer(std::uint32_t value) { trailer_value = value; return *this; }
  /// Write only the first `n` bytes of the block (a file that ends inside it).
  BlockDamage& cut_to(std::size_t n) { cut_value = n; return *this; }

  std::optional<std::uint32_t> length_value;
  std::optional<std::uint32_t> trailer_value;
  std::optional<std::size_t> cut_value;
};

/// A Section Header Block's contents.
struct Section {
  Section& big_endian(bool on = true) { big_endian_value = on; return *this; }
  Section& version(std::uint16_t major, std::uint16_t minor) {
    major_value = major;
    minor_value = minor;
    return *this;
  }
  /// shb_userappl (option 4).
  Section& user_application(std::string text) { user_application_value = std::move(text); return *this; }
  /// The 64-bit byte-order magic as written (for a corrupt one); default 0x1a2b3c4d.
  Section& byte_order_magic(std::uint32_t value) { magic_value = value; return *this; }

  bool big_endian_value = false;
  std::uint16_t major_value = 1;
  std::uint16_t minor_value = 0;
  std::int64_t section_length = -1;  // "not specified"
  std::string user_application_value;
  std::uint32_t magic_value = 0x1a2b3c4d;
};

/// An Interface Description Block's contents.
struct Interface {
  Interface& link(std::uint16_t value) { link_value = value; return *this; }
  Interface& snaplen(std::uint32_t value) { snaplen_value = value; return *this; }
  /// if_tsresol as its raw byte: bit 7 clear = 10^-n, set = 2^-n (n in the low 7 bits).
  Interface& tsresol(std::uint8_t raw) { tsresol_value = raw; return *this; }
  /// if_tsresol 10^-`exponent` (6 = microseconds, the default when there is no option).
  Interface& decimal_resolution(unsigned exponent) { return tsresol(static_cast<std::uint8_t>(exponent)); }
  /// if_tsresol 2^-`exponent`.
  Interface& binary_resolution(unsigned exponent) {
    return tsresol(static_cast<std::uint8_t>(0x80u | exponent));
  }
  Interface& nanosecond() { return decimal_resolution(9); }
  /// if_tsoffset: seconds added to every timestamp of the interface.
  Interface& tsoffset(std::int64_t seconds) { tsoffset_value = seconds; return *this; }
  Interface& name(std::string text) { name_value = std::move(text); return *this; }
  Interface& description(std::string text) { description_value = std::move(text); return *this; }

  /// Timestamp units per second, as the reader should derive them from tsresol.
  std::uint64_t units_per_second() const {
    if (!tsresol_value) return 1'000'000;
    const unsigned exponent = *tsresol_value & 0x7fu;
    if ((*tsresol_value & 0x80u) != 0) return std::uint64_t{1} << exponent;
    std::uint64_t ups = 1;
    for (unsigned i = 0; i < exponent; ++i) ups *= 10;
    return ups;
  }

  std::uint16_t link_value = 1;  // LINKTYPE_ETHERNET
  std::uint32_t snaplen_value = 262144;
  std::optional<std::uint8_t> tsresol_value;
  std::optional<std::int64_t> tsoffset_value;
  std::string name_value;
  std::string description_value;
};

/// An Enhanced (or obsolete) Packet Block's header fields; the data are passed separately.
struct Packet {
  /// Interface id within the current section (default 0).
  Packet& interface(std::uint32_t id) { interface_value = id; return *this; }
  /// The raw 64-bit timestamp, in the interface's units.
  Packet& ticks(std::uint64_t value) { ticks_value = value; return *this; }
  /// A time in ns since the epoch, converted to the interface's units (and minus its
  /// tsoffset) by the writer, rounding down.
  Packet& at_ns(std::int64_t value) { ns_value = value; return *this; }
  /// Original (wire) length; default: the data's size.
  Packet& origlen(std::uint32_t value) { origlen_value = value; return *this; }
  /// Captured length as written in the header; default: the data's size.
  Packet& caplen(std::uint32_t value) { caplen_value = value; return *this; }
  /// Obsolete Packet Block only: the drops count.
  Packet& drops(std::uint16_t value) { drops_value = value; return *this; }
  /// opt_comment (option 1).
  Packet& comment(std::string text) { comment_value = std::move(text); return *this; }

  std::uint32_t interface_value = 0;
  std::optional<std::uint64_t> ticks_value;
  std::optional<std::int64_t> ns_value;
  std::optional<std::uint32_t> origlen_value;
  std::optional<std::uint32_t> caplen_value;
  std::uint16_t drops_value = 0;
  std::string comment_value;
};

/// One Name Resolution Block record: an address and the names for it.
struct NameEntry {
  static NameEntry ipv4(std::array<std::uint8_t, 4> address, std::vector<std::string> names) {
    return {4, std::vector<std::uint8_t>(address.begin(), address.end()), std::move(names)};
  }
  static NameEntry ipv6(std::array<std::uint8_t, 16> address, std::vector<std::string> names) {
    return {6, std::vector<std::uint8_t>(address.begin(), address.end()), std::move(names)};
  }
  int version = 4;
  std::vector<std::uint8_t> address;
  std::vector<std::string> names;
};

class PcapngWriter {
 public:
  /// Start a section (§4.1). Later blocks use its byte order; interface ids restart.
  PcapngWriter& section(const Section& s = {}, const BlockDamage& damage = {}) {
    big_endian_ = s.big_endian_value;
    interfaces_.clear();
    Body b = body();
    b.u32(s.magic_value);
    b.u16(s.major_value);
    b.u16(s.minor_value);
    b.u64(static_cast<std::uint64_t>(s.section_length));
    if (!s.user_application_value.empty()) b.option(4, text(s.user_application_value));
    b.end_options();
    return write_block(pcapng_block::kSectionHeader, b, damage);
  }

  /// Describe an interface (§4.2); its id is the count of interfaces in the section so far.
  PcapngWriter& interface(const Interface& i = {}, const BlockDamage& damage = {}) {
    interfaces_.push_back(i);
    Body b = body();
    b.u16(i.link_value);
    b.u16(0);  // reserved
    b.u32(i.snaplen_value);
    if (!i.name_value.empty()) b.option(2, text(i.name_value));
    if (!i.description_value.empty()) b.option(3, text(i.description_value));
    if (i.tsresol_value) b.option(9, {static_cast<std::byte>(*i.tsresol_value)});
    if (i.tsoffset_value) {
      Body value = body();
      value.u64(static_cast<std::uint64_t>(*i.tsoffset_value));
      b.option(14, value.out);
    }
    b.end_options();
    return write_block(pcapng_block::kInterfaceDescription, b, damage);
  }

  /// An Enhanced Packet Block (§4.3).
  PcapngWriter& enhanced_packet(std::span<const std::byte> data, const Packet& p = {},
                                const BlockDamage& damage = {}) {
    Body b = body();
    b.u32(p.interface_value);
    timestamp(b, p);
    b.u32(p.caplen_value.value_or(static_cast<std::uint32_t>(data.size())));
    b.u32(p.origlen_value.value_or(static_cast<std::uint32_t>(data.size())));
    b.padded(data);
    if (!p.comment_value.empty()) {
      b.option(1, text(p.comment_value));
      b.end_options();
    }
    return write_block(pcapng_block::kEnhancedPacket, b, damage);
  }

  /// A Simple Packet Block (§4.4): original length and data, no interface, no time.
  PcapngWriter& simple_packet(std::span<const std::byte> data, std::optional<std::uint32_t> origlen = {},
                              const BlockDamage& damage = {}) {
    Body b = body();
    b.u32(origlen.value_or(static_cast<std::uint32_t>(data.size())));
    b.padded(data);
    return write_block(pcapng_block::kSimplePacket, b, damage);
  }

  /// The obsolete Packet Block (Appendix A): a 16-bit interface id and a drops count.
  PcapngWriter& obsolete_packet(std::span<const std::byte> data, const Packet& p = {},
                                const BlockDamage& damage = {}) {
    Body b = body();
    b.u16(static_cast<std::uint16_t>(p.interface_value));
    b.u16(p.drops_value);
    timestamp(b, p);
    b.u32(p.caplen_value.value_or(static_cast<std::uint32_t>(data.size())));
    b.u32(p.origlen_value.value_or(static_cast<std::uint32_t>(data.size())));
    b.padded(data);
    return write_block(pcapng_block::kObsoletePacket, b, damage);
  }

  /// A Name Resolution Block (§4.5) with the given records and the end record.
  PcapngWriter& name_resolution(const std::vector<NameEntry>& entries, const BlockDamage& damage = {}) {
    Body b = body();
    for (const NameEntry& e : entries) {
      std::vector<std::byte> value;
      for (const std::uint8_t a : e.address) value.push_back(static_cast<std::byte>(a));
      for (const std::string& name : e.names) {
        const auto t = text(name);
        value.insert(value.end(), t.begin(), t.end());
        value.push_back(std::byte{0});
      }
      b.option(e.version == 4 ? 1 : 2, value);
    }
    b.u32(0);  // nrb_record_end, always present
    return write_block(pcapng_block::kNameResolution, b, damage);
  }

  /// An Interface Statistics Block (§4.6) with isb_ifrecv and isb_ifdrop.
  PcapngWriter& interface_statistics(std::uint32_t interface_id, std::uint64_t received,
                                     std::uint64_t dropped, const BlockDamage& damage = {}) {
    Body b = body();
    b.u32(interface_id);
    b.u32(0);
    b.u32(0);
    Body value = body();
    value.u64(received);
    b.option(4, value.out);
    value.out.clear();
    value.u64(dropped);
    b.option(5, value.out);
    b.end_options();
    return write_block(pcapng_block::kInterfaceStatistics, b, damage);
  }

  /// A Custom Block (§4.8): Private Enterprise Number and data.
  PcapngWriter& custom(std::uint32_t pen, std::span<const std::byte> data, bool copiable = true,
                       const BlockDamage& damage = {}) {
    Body b = body();
    b.u32(pen);
    b.padded(data);
    return write_block(copiable ? pcapng_block::kCustomCopiable : pcapng_block::kCustomNotCopiable,
                       b, damage);
  }

  /// Any block type with any body (padded to 4 bytes): unknown and reserved types.
  PcapngWriter& block(std::uint32_t type, std::span<const std::byte> data, const BlockDamage& damage = {}) {
    Body b = body();
    b.padded(data);
    return write_block(type, b, damage);
  }

  /// Bytes after the blocks written so far (garbage, half a block); counts as a block for
  /// offset().
  PcapngWriter& raw(std::span<const std::byte> data) {
    offsets_.push_back(out_.size());
    out_.insert(out_.end(), data.begin(), data.end());
    return *this;
  }

  /// Byte offset of block `index` (0 = the first block written).
  std::size_t offset(std::size_t index) const { return offsets_.at(index); }
  /// Byte offset where the next block will start.
  std::size_t size() const noexcept { return out_.size(); }
  /// The file so far.
  const std::vector<std::byte>& bytes() const noexcept { return out_; }

  /// The total length of a block whose body (after type and length) has `body_len` bytes.
  static constexpr std::uint32_t block_length(std::size_t body_len) {
    return static_cast<std::uint32_t>(12 + ((body_len + 3) & ~std::size_t{3}));
  }

 private:
  // A block body under construction, in the current byte order.
  struct Body {
    bool big_endian = false;
    std::vector<std::byte> out;
    bool has_options = false;

    void u8(unsigned v) { out.push_back(static_cast<std::byte>(v & 0xffu)); }
    void u16(std::uint16_t v) {
      for (int i = 0; i < 2; ++i) u8(static_cast<unsigned>(v >> (big_endian ? 8 * (1 - i) : 8 * i)));
    }
    void u32(std::uint32_t v) {
      for (int i = 0; i < 4; ++i) u8(static_cast<unsigned>(v >> (big_endian ? 8 * (3 - i) : 8 * i)));
    }
    void u64(std::uint64_t v) {
      for (int i = 0; i < 8; ++i) u8(static_cast<unsigned>(v >> (big_endian ? 8 * (7 - i) : 8 * i)));
    }
    void padded(std::span<const std::byte> data) {
      out.insert(out.end(), data.begin(), data.end());
      out.insert(out.end(), (4 - data.size() % 4) % 4, std::byte{0});
    }
    // An option (or NRB record): code, length, value padded to 32 bits (§3.5).
    void option(std::uint16_t code, std::span<const std::byte> value) {
      has_options = true;
      u16(code);
      u16(static_cast<std::uint16_t>(value.size()));
      padded(value);
    }
    void option(std::uint16_t code, std::initializer_list<std::byte> value) {
      option(code, std::span<const std::byte>(value.begin(), value.size()));
    }
    // opt_endofopt (code 0, length 0), written only after options (§3.5: a block without
    // options has no option list at all).
    void end_options() {
      if (has_options) u32(0);
    }
  };

  Body body() const { return Body{big_endian_, {}}; }

  static std::vector<std::byte> text(std::string_view s) {
    std::vector<std::byte> out;
    for (const char c : s) out.push_back(static_cast<std::byte>(c));
    return out;
  }

  // The raw timestamp: given, or converted from ns (exact for resolutions up to 10^-9 and
  // 2^-33, where the sub-second product fits 64 bits).
  void timestamp(Body& b, const Packet& p) const {
    std::uint64_t ticks = p.ticks_value.value_or(0);
    if (p.ns_value) {
      if (p.interface_value >= interfaces_.size())
        throw std::logic_error("Packet::at_ns needs the interface described first");
      const Interface& i = interfaces_[p.interface_value];
      constexpr std::int64_t kNs = 1'000'000'000;
      const std::int64_t ns = *p.ns_value - i.tsoffset_value.value_or(0) * kNs;
      const std::int64_t seconds = ns / kNs - (ns % kNs < 0 ? 1 : 0);  // floor
      const auto rest = static_cast<std::uint64_t>(ns - seconds * kNs);
      const std::uint64_t ups = i.units_per_second();
      ticks = static_cast<std::uint64_t>(seconds) * ups + rest * ups / kNs;
    }
    b.u32(static_cast<std::uint32_t>(ticks >> 32));  // the high half first (§4.3)
    b.u32(static_cast<std::uint32_t>(ticks & 0xffffffffu));
  }

  PcapngWriter& write_block(std::uint32_t type, const Body& b, const BlockDamage& damage) {
    const std::uint32_t length = block_length(b.out.size());
    Body whole = body();
    whole.u32(type);
    whole.u32(damage.length_value.value_or(length));
    whole.padded(b.out);
    whole.u32(damage.trailer_value.value_or(length));
    std::size_t keep = whole.out.size();
    if (damage.cut_value) keep = std::min(keep, *damage.cut_value);
    offsets_.push_back(out_.size());
    out_.insert(out_.end(), whole.out.begin(), whole.out.begin() + static_cast<std::ptrdiff_t>(keep));
    return *this;
  }

  bool big_endian_ = false;
  std::vector<Interface> interfaces_;  // the current section's
  std::vector<std::size_t> offsets_;
  std::vector<std::byte> out_;
};

}  // namespace pcapframe::test
