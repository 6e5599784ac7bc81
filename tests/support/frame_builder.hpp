// SPDX-License-Identifier: MIT
// FrameBuilder and DnsBuilder: test frames written outermost layer first, so a test reads like
// the packet (after etherparse's PacketBuilder). Length and next-protocol fields are computed
// unless a test overrides them; checksums stay zero (the decoder does not check them).
//
//   FrameBuilder().ethernet(kMacA, kMacB).vlan(100).ipv4("10.0.0.1", "10.0.0.2")
//       .udp(40000, 53).dns_query("www.example.com", 1).build();
//
// Overrides (ihl, total_length, udp_length, data_offset, ...) apply to the layer added last.
// Layers added after an ICMP/ICMPv6 header are the packet its error message quotes.
// build_with_layers() also says where each layer starts and where the bytes a decoder needs
// for it end, which the truncation sweep uses to predict the anomaly of each prefix.
#pragma once

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcapframe/decode.hpp"  // dns_type
#include "support/bytes.hpp"

namespace pcapframe::test {

using Mac = std::array<std::uint8_t, 6>;
using Ipv4Bytes = std::array<std::uint8_t, 4>;
using Ipv6Bytes = std::array<std::uint8_t, 16>;

// ---------------------------------------------------------------------------------------------
// Text to bytes.

/// Parse "aa:bb:cc:dd:ee:ff".
inline Mac mac(std::string_view text) {
  auto nibble = [&](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    throw std::invalid_argument("bad MAC: " + std::string(text));
  };
  if (text.size() != 17) throw std::invalid_argument("bad MAC: " + std::string(text));
  Mac out{};
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<std::uint8_t>(nibble(text[i * 3]) << 4 | nibble(text[i * 3 + 1]));
  return out;
}

/// Parse a dotted-quad IPv4 address.
inline Ipv4Bytes ipv4_address(std::string_view text) {
  Ipv4Bytes out{};
  const std::string s(text);
  if (inet_pton(AF_INET, s.c_str(), out.data()) != 1)
    throw std::invalid_argument("bad IPv4 address: " + s);
  return out;
}

/// Parse an IPv6 address in any RFC 4291 text form.
inline Ipv6Bytes ipv6_address(std::string_view text) {
  Ipv6Bytes out{};
  const std::string s(text);
  if (inet_pton(AF_INET6, s.c_str(), out.data()) != 1)
    throw std::invalid_argument("bad IPv6 address: " + s);
  return out;
}

/// Append-only big/little-endian writer.
class ByteWriter {
 public:
  ByteWriter& u8(unsigned v) {
    data_.push_back(static_cast<std::byte>(v & 0xffu));
    return *this;
  }
  ByteWriter& be16(unsigned v) { return u8(v >> 8).u8(v); }
  ByteWriter& be32(std::uint32_t v) { return be16(v >> 16).be16(v & 0xffffu); }
  ByteWriter& le32(std::uint32_t v) { return u8(v).u8(v >> 8).u8(v >> 16).u8(v >> 24); }
  ByteWriter& zeros(std::size_t n) {
    data_.insert(data_.end(), n, std::byte{0});
    return *this;
  }
  ByteWriter& append(std::span<const std::byte> b) {
    data_.insert(data_.end(), b.begin(), b.end());
    return *this;
  }
  template <std::size_t N>
  ByteWriter& append(const std::array<std::uint8_t, N>& b) {
    for (std::uint8_t v : b) u8(v);
    return *this;
  }
  /// Overwrite two bytes at `at` (big-endian), for fields known only later.
  void patch_be16(std::size_t at, unsigned v) {
    data_.at(at) = static_cast<std::byte>((v >> 8) & 0xffu);
    data_.at(at + 1) = static_cast<std::byte>(v & 0xffu);
  }
  std::size_t size() const noexcept { return data_.size(); }
  std::vector<std::byte>& data() noexcept { return data_; }
  const std::vector<std::byte>& data() const noexcept { return data_; }

 private:
  std::vector<std::byte> data_;
};

// ---------------------------------------------------------------------------------------------
// DNS messages.

/// A DNS name in wire form, written label by label: the escape hatch for names a text form
/// cannot express (labels > 63, 0x40/0x80 label types, pointers anywhere, no terminator).
class WireName {
 public:
  WireName() = default;
  /// "www.example.com" (trailing dot optional; "" or "." is the root) as labels and a zero.
  explicit WireName(std::string_view dotted) {
    std::size_t start = 0;
    while (start < dotted.size()) {
      std::size_t dot = dotted.find('.', start);
      if (dot == std::string_view::npos) dot = dotted.size();
      const std::string_view lbl = dotted.substr(start, dot - start);
      if (lbl.empty()) throw std::invalid_argument("empty label in " + std::string(dotted));
      if (lbl.size() > 63) throw std::invalid_argument("label > 63: use WireName().label()");
      label(lbl);
      start = dot + 1;
    }
    root();
  }
  /// A label: its length byte (the low 8 bits of text.size(), unchecked), then its bytes.
  WireName& label(std::string_view text) {
    w_.u8(static_cast<unsigned>(text.size()));
    for (char c : text) w_.u8(static_cast<unsigned char>(c));
    return *this;
  }
  /// A label of `length` copies of `fill`.
  WireName& label(std::size_t length, char fill) { return label(std::string(length, fill)); }
  /// One raw byte (a length or label-type octet, or anything else).
  WireName& raw(unsigned byte) {
    w_.u8(byte);
    return *this;
  }
  /// A compression pointer to `offset` from the start of the message (RFC 1035 §4.1.4).
  WireName& pointer(unsigned offset) {
    w_.be16(0xc000u | (offset & 0x3fffu));
    return *this;
  }
  /// The terminating zero octet.
  WireName& root() { return raw(0); }

  const std::vector<std::byte>& wire() const { return w_.data(); }
  std::size_t size() const noexcept { return w_.size(); }

 private:
  ByteWriter w_;
};

/// A built DNS message and where its parts end (offsets from the message start).
struct DnsMessage {
  std::vector<std::byte> bytes;
  std::size_t questions_end = 12;           // end of the last question
  std::size_t answer_owner_end = 12;        // end of the first answer's owner (or questions_end)
  std::size_t first_answer_fixed_end = 12;  // ... and of its TYPE, CLASS, TTL, RDLENGTH
};

/// Build a DNS message: header, questions, then answer, authority and additional records.
/// Text names are compressed against the names written before them (as servers do) unless
/// compression(false); WireName names are written as given. Counts follow the records unless
/// overridden.
class DnsBuilder {
 public:
  DnsBuilder& id(std::uint16_t v) { return set(id_, v); }
  DnsBuilder& response(bool v = true) { return set(response_, v); }
  DnsBuilder& rcode(std::uint8_t v) { return set(rcode_, v); }
  DnsBuilder& opcode(std::uint8_t v) { return set(opcode_, v); }
  DnsBuilder& recursion_desired(bool v = true) { return set(rd_, v); }
  DnsBuilder& authoritative(bool v = true) { return set(aa_, v); }
  /// Write this whole flags word instead of response/opcode/rcode/...
  DnsBuilder& flags(std::uint16_t v) { return set(flags_, std::optional<std::uint16_t>(v)); }
  DnsBuilder& compression(bool on) { return set(compress_, on); }

  DnsBuilder& question(std::string_view name, std::uint16_t type = dns_type::kA,
                       std::uint16_t cls = 1) {
    questions_.push_back({Name{std::string(name), {}, false}, type, cls});
    return *this;
  }
  DnsBuilder& question(WireName name, std::uint16_t type = dns_type::kA, std::uint16_t cls = 1) {
    questions_.push_back({Name{{}, name.wire(), true}, type, cls});
    return *this;
  }
  DnsBuilder& answer_a(std::string_view owner, std::string_view address, std::uint32_t ttl = 300) {
    return add(kAnswer, text_name(owner), dns_type::kA, ttl, Rdata{v4_rdata(address), {}});
  }
  DnsBuilder& answer_aaaa(std::string_view owner, std::string_view address,
                          std::uint32_t ttl = 300) {
    return add(kAnswer, text_name(owner), dns_type::kAaaa, ttl, Rdata{v6_rdata(address), {}});
  }
  DnsBuilder& answer_cname(std::string_view owner, std::string_view target,
                           std::uint32_t ttl = 300) {
    return add(kAnswer, text_name(owner), dns_type::kCname, ttl, Rdata{{}, text_name(target)});
  }
  DnsBuilder& answer_ptr(std::string_view owner, std::string_view target, std::uint32_t ttl = 300) {
    return add(kAnswer, text_name(owner), dns_type::kPtr, ttl, Rdata{{}, text_name(target)});
  }
  /// An answer whose owner is written as given, with raw RDATA.
  DnsBuilder& answer(WireName owner, std::uint16_t type, std::vector<std::byte> rdata,
                     std::uint32_t ttl = 300) {
    return add(kAnswer, Name{{}, owner.wire(), true}, type, ttl, Rdata{std::move(rdata), {}});
  }
  /// An answer with a text owner and raw RDATA (any type, any RDLENGTH).
  DnsBuilder& answer(std::string_view owner, std::uint16_t type, std::vector<std::byte> rdata,
                     std::uint32_t ttl = 300) {
    return add(kAnswer, text_name(owner), type, ttl, Rdata{std::move(rdata), {}});
  }
  DnsBuilder& authority_ns(std::string_view owner, std::string_view target,
                           std::uint32_t ttl = 3600) {
    return add(kAuthority, text_name(owner), dns_type::kNs, ttl, Rdata{{}, text_name(target)});
  }
  DnsBuilder& additional_a(std::string_view owner, std::string_view address,
                           std::uint32_t ttl = 3600) {
    return add(kAdditional, text_name(owner), dns_type::kA, ttl, Rdata{v4_rdata(address), {}});
  }
  DnsBuilder& additional_aaaa(std::string_view owner, std::string_view address,
                              std::uint32_t ttl = 3600) {
    return add(kAdditional, text_name(owner), dns_type::kAaaa, ttl, Rdata{v6_rdata(address), {}});
  }
  /// Raw bytes after the records (for pointer targets placed late in the message).
  DnsBuilder& trailing(std::vector<std::byte> b) { return set(trailing_, std::move(b)); }

  DnsBuilder& question_count(std::uint16_t n) { return set(qd_, std::optional(n)); }
  DnsBuilder& answer_count(std::uint16_t n) { return set(counts_[kAnswer], std::optional(n)); }
  DnsBuilder& authority_count(std::uint16_t n) {
    return set(counts_[kAuthority], std::optional(n));
  }
  DnsBuilder& additional_count(std::uint16_t n) {
    return set(counts_[kAdditional], std::optional(n));
  }

  DnsMessage build() const {
    ByteWriter w;
    std::map<std::string, std::size_t> suffixes;  // compression table: text suffix -> offset
    const std::uint16_t flags = flags_.value_or(static_cast<std::uint16_t>(
        (response_ ? 0x8000u : 0u) | (opcode_ & 0xfu) << 11 | (aa_ ? 0x0400u : 0u) |
        (rd_ ? 0x0100u : 0u) | (rcode_ & 0xfu)));
    w.be16(id_).be16(flags);
    w.be16(qd_.value_or(static_cast<std::uint16_t>(questions_.size())));
    for (std::size_t section : {kAnswer, kAuthority, kAdditional}) {
      std::size_t n = 0;
      for (const Record& r : records_) n += r.section == section ? 1 : 0;
      w.be16(counts_[section].value_or(static_cast<std::uint16_t>(n)));
    }

    DnsMessage out;
    for (const Question& q : questions_) {
      write_name(w, q.name, suffixes);
      w.be16(q.type).be16(q.cls);
    }
    out.questions_end = out.answer_owner_end = out.first_answer_fixed_end = w.size();
    bool first = true;
    for (std::size_t section : {kAnswer, kAuthority, kAdditional}) {
      for (const Record& r : records_) {
        if (r.section != section) continue;
        const bool first_answer = first && section == kAnswer;
        first = false;
        write_name(w, r.owner, suffixes);
        if (first_answer) out.answer_owner_end = w.size();
        w.be16(r.type).be16(1).be32(r.ttl);
        if (first_answer) out.first_answer_fixed_end = w.size() + 2;
        const std::size_t rdlength_at = w.size();
        w.be16(0);
        if (r.rdata.name) {
          write_name(w, *r.rdata.name, suffixes);
        } else {
          w.append(r.rdata.raw);
        }
        w.patch_be16(rdlength_at, static_cast<unsigned>(w.size() - rdlength_at - 2));
      }
    }
    w.append(trailing_);
    out.bytes = std::move(w.data());
    return out;
  }

 private:
  struct Name {
    std::string text;
    std::vector<std::byte> wire;
    bool raw = false;
  };
  struct Rdata {
    std::vector<std::byte> raw;
    std::optional<Name> name;  // compressible name (CNAME target)
  };
  struct Question {
    Name name;
    std::uint16_t type;
    std::uint16_t cls;
  };
  static constexpr std::size_t kAnswer = 0, kAuthority = 1, kAdditional = 2;
  struct Record {
    std::size_t section;
    Name owner;
    std::uint16_t type;
    std::uint32_t ttl;
    Rdata rdata;
  };

  template <class T, class V>
  DnsBuilder& set(T& field, V&& value) {
    field = std::forward<V>(value);
    return *this;
  }
  template <std::size_t N>
  static std::vector<std::byte> as_bytes(const std::array<std::uint8_t, N>& a) {
    std::vector<std::byte> out;
    for (std::uint8_t v : a) out.push_back(static_cast<std::byte>(v));
    return out;
  }
  DnsBuilder& add(std::size_t section, Name owner, std::uint16_t type, std::uint32_t ttl,
                  Rdata rdata) {
    records_.push_back({section, std::move(owner), type, ttl, std::move(rdata)});
    return *this;
  }
  static Name text_name(std::string_view text) { return Name{std::string(text), {}, false}; }
  static std::vector<std::byte> v4_rdata(std::string_view address) {
    return as_bytes(ipv4_address(address));
  }
  static std::vector<std::byte> v6_rdata(std::string_view address) {
    return as_bytes(ipv6_address(address));
  }

  void write_name(ByteWriter& w, const Name& name,
                  std::map<std::string, std::size_t>& suffixes) const {
    if (name.raw) {
      w.append(name.wire);
      return;
    }
    std::string_view rest = name.text;
    if (!rest.empty() && rest.back() == '.') rest.remove_suffix(1);
    while (!rest.empty()) {
      if (const auto it = suffixes.find(std::string(rest)); compress_ && it != suffixes.end()) {
        w.be16(0xc000u | static_cast<unsigned>(it->second));
        return;
      }
      if (w.size() < 0x4000) suffixes.emplace(std::string(rest), w.size());
      const std::size_t dot = rest.find('.');
      const std::string_view lbl = rest.substr(0, dot);
      if (lbl.empty() || lbl.size() > 63) throw std::invalid_argument("bad label in name");
      w.u8(static_cast<unsigned>(lbl.size()));
      for (char c : lbl) w.u8(static_cast<unsigned char>(c));
      rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    }
    w.u8(0);
  }

  std::uint16_t id_ = 0;
  bool response_ = false;
  std::uint8_t rcode_ = 0;
  std::uint8_t opcode_ = 0;
  bool rd_ = false;
  bool aa_ = false;
  std::optional<std::uint16_t> flags_;
  bool compress_ = true;
  std::vector<Question> questions_;
  std::vector<Record> records_;  // answers, authority and additional records, in order
  std::vector<std::byte> trailing_;
  std::optional<std::uint16_t> qd_;
  std::array<std::optional<std::uint16_t>, 3> counts_;  // per section
};

// ---------------------------------------------------------------------------------------------
// Frames.

/// What a layer of a built frame is.
enum class LayerKind : std::uint8_t {
  Ethernet,       // Ethernet II header
  Ieee8023,       // 802.3 header with a length field
  Llc,            // 802.2 LLC header
  Vlan,           // one 802.1Q/802.1ad tag
  Sll,
  Sll2,
  Null,           // BSD NULL family
  Loop,           // OpenBSD LOOP family
  Arp,
  Ipv4,
  Ipv6,
  Ipv6Extension,  // one extension header (hop-by-hop, routing, fragment, AH, ...)
  Tcp,
  Udp,
  Icmp,
  Icmpv6,
  DnsTcpLength,   // the two-byte length prefix of DNS over TCP
  DnsHeader,      // the 12-byte DNS header
  DnsQuestions,   // every question
  DnsFirstAnswer, // the first answer's owner name and fixed fields (not its RDATA)
  Payload,        // bytes no decoder reads
  Padding,        // link-layer padding after the packet
};

/// Where a layer sits in a built frame: [begin, header_end) is its header, i.e. the bytes a
/// decoder needs before it can name the next layer.
struct Layer {
  LayerKind kind = LayerKind::Payload;
  std::size_t begin = 0;
  std::size_t header_end = 0;
  bool quoted = false;  // inside the packet an ICMP error quotes
};

struct BuiltFrame {
  std::vector<std::byte> bytes;
  std::vector<Layer> layers;
};

/// Byte order of a BSD NULL header's family field.
enum class ByteOrder : std::uint8_t { Little, Big };

/// Build a frame, outermost layer first.
class FrameBuilder {
 public:
  // --- Link layers ----------------------------------------------------------------------------

  /// Ethernet II: destination, source, EtherType (from the next layer unless ether_type()).
  FrameBuilder& ethernet(const Mac& src, const Mac& dst) {
    Spec& s = add(LayerKind::Ethernet);
    s.mac_src = src;
    s.mac_dst = dst;
    return *this;
  }
  /// IEEE 802.3: a length field (of what follows, unless length_field()) instead of a type.
  FrameBuilder& ieee802_3(const Mac& src, const Mac& dst) {
    ethernet(src, dst);
    specs_.back().kind = LayerKind::Ieee8023;
    return *this;
  }
  /// 802.2 LLC header (DSAP, SSAP, control); 42 42 03 is spanning tree.
  FrameBuilder& llc(std::uint8_t dsap = 0x42, std::uint8_t ssap = 0x42, std::uint8_t control = 3) {
    Spec& s = add(LayerKind::Llc);
    s.payload = to_bytes({dsap, ssap, control});
    return *this;
  }
  /// An 802.1Q tag (TPID 0x8100) or, with tpid 0x88a8/0x9100, a QinQ service tag.
  FrameBuilder& vlan(std::uint16_t id, std::uint16_t tpid = 0x8100, std::uint8_t pcp = 0,
                     bool dei = false) {
    Spec& s = add(LayerKind::Vlan);
    s.tpid = tpid;
    s.tci = static_cast<std::uint16_t>((pcp & 7u) << 13 | (dei ? 1u : 0u) << 12 | (id & 0xfffu));
    return *this;
  }
  /// Linux cooked v1 with an Ethernet source address (ARPHRD_ETHER, 6-byte address).
  FrameBuilder& sll(const Mac& src, std::uint16_t packet_type = 0) {
    return sll_header(packet_type, 1, std::vector<std::uint8_t>(src.begin(), src.end()));
  }
  /// Linux cooked v1 with any ARPHRD type and link address (up to 8 bytes are written).
  FrameBuilder& sll_header(std::uint16_t packet_type, std::uint16_t hatype,
                           std::vector<std::uint8_t> address) {
    Spec& s = add(LayerKind::Sll);
    s.packet_type = packet_type;
    s.hatype = hatype;
    s.link_address = std::move(address);
    return *this;
  }
  /// Linux cooked v2 with an Ethernet source address.
  FrameBuilder& sll2(const Mac& src, std::uint32_t ifindex = 2, std::uint8_t packet_type = 0) {
    return sll2_header(ifindex, packet_type, 1, std::vector<std::uint8_t>(src.begin(), src.end()));
  }
  FrameBuilder& sll2_header(std::uint32_t ifindex, std::uint8_t packet_type, std::uint16_t hatype,
                            std::vector<std::uint8_t> address) {
    Spec& s = add(LayerKind::Sll2);
    s.ifindex = ifindex;
    s.packet_type = packet_type;
    s.hatype = hatype;
    s.link_address = std::move(address);
    return *this;
  }
  /// BSD NULL: the address family in `order` (AF_INET 2 / AF_INET6 30 from the next layer).
  FrameBuilder& null_link(ByteOrder order, std::optional<std::uint32_t> family = std::nullopt) {
    Spec& s = add(LayerKind::Null);
    s.little_endian = order == ByteOrder::Little;
    s.family = family;
    return *this;
  }
  /// OpenBSD LOOP: the address family in network byte order (AF_INET6 is 24 there).
  FrameBuilder& loop_link(std::optional<std::uint32_t> family = std::nullopt) {
    Spec& s = add(LayerKind::Loop);
    s.little_endian = false;
    s.family = family;
    return *this;
  }
  /// Override the type field of the last Ethernet / VLAN tag / SLL / SLL2 layer.
  FrameBuilder& ether_type(std::uint16_t v) {
    last({LayerKind::Ethernet, LayerKind::Vlan, LayerKind::Sll, LayerKind::Sll2}).next_override = v;
    return *this;
  }
  /// Override the length field of the last 802.3 header.
  FrameBuilder& length_field(std::uint16_t v) {
    last({LayerKind::Ieee8023}).next_override = v;
    return *this;
  }

  // --- ARP ------------------------------------------------------------------------------------

  /// ARP over Ethernet/IPv4 (RFC 826): opcode 1 request, 2 reply.
  FrameBuilder& arp(std::uint16_t op, const Mac& sender_mac, std::string_view sender_ip,
                    const Mac& target_mac, std::string_view target_ip) {
    Spec& s = add(LayerKind::Arp);
    s.arp_op = op;
    s.mac_src = sender_mac;
    s.mac_dst = target_mac;
    s.ip_src = v4_in_16(ipv4_address(sender_ip));
    s.ip_dst = v4_in_16(ipv4_address(target_ip));
    return *this;
  }

  // --- IP -------------------------------------------------------------------------------------

  FrameBuilder& ipv4(std::string_view src, std::string_view dst) {
    Spec& s = add(LayerKind::Ipv4);
    s.ip_src = v4_in_16(ipv4_address(src));
    s.ip_dst = v4_in_16(ipv4_address(dst));
    return *this;
  }
  /// IPv4 options, padded with zeros (end of options) to a multiple of 4 bytes.
  FrameBuilder& ipv4_options(std::vector<std::byte> options) {
    last({LayerKind::Ipv4}).options = pad4(std::move(options));
    return *this;
  }
  /// Fragment offset (in 8-byte units) and the More Fragments flag.
  FrameBuilder& fragment(std::uint16_t offset_units, bool more_fragments) {
    Spec& s = last({LayerKind::Ipv4});
    s.fragment_offset = offset_units;
    s.more_fragments = more_fragments;
    return *this;
  }
  FrameBuilder& dont_fragment() {
    last({LayerKind::Ipv4}).dont_fragment = true;
    return *this;
  }
  /// Override the IHL (header length in 32-bit words) of the last IPv4 header.
  FrameBuilder& ihl(std::uint8_t words) {
    last({LayerKind::Ipv4}).ihl = words;
    return *this;
  }
  FrameBuilder& total_length(std::uint16_t v) {
    last({LayerKind::Ipv4}).length_override = v;
    return *this;
  }
  /// Override the version nibble of the last IPv4/IPv6 header.
  FrameBuilder& ip_version(std::uint8_t v) {
    last({LayerKind::Ipv4, LayerKind::Ipv6}).version = v;
    return *this;
  }
  /// IPv4 TTL or IPv6 hop limit.
  FrameBuilder& ttl(std::uint8_t v) {
    last({LayerKind::Ipv4, LayerKind::Ipv6}).ttl = v;
    return *this;
  }
  /// Override the protocol / next-header field of the last IPv4, IPv6 or extension header.
  FrameBuilder& ip_protocol(std::uint8_t v) {
    last({LayerKind::Ipv4, LayerKind::Ipv6, LayerKind::Ipv6Extension}).next_override = v;
    return *this;
  }

  FrameBuilder& ipv6(std::string_view src, std::string_view dst) {
    Spec& s = add(LayerKind::Ipv6);
    s.ip_src = ipv6_address(src);
    s.ip_dst = ipv6_address(dst);
    return *this;
  }
  FrameBuilder& payload_length(std::uint16_t v) {
    last({LayerKind::Ipv6}).length_override = v;
    return *this;
  }
  /// A generic extension header (next header, length in 8-byte units minus 1, zeros).
  FrameBuilder& ipv6_extension(std::uint8_t type, std::uint8_t length_units = 0) {
    Spec& s = add(LayerKind::Ipv6Extension);
    s.ext_type = type;
    s.ext_units = length_units;
    return *this;
  }
  FrameBuilder& hop_by_hop(std::uint8_t units = 0) { return ipv6_extension(0, units); }
  FrameBuilder& routing(std::uint8_t units = 0) { return ipv6_extension(43, units); }
  FrameBuilder& destination_options(std::uint8_t units = 0) { return ipv6_extension(60, units); }
  /// RFC 8200 §4.5 fragment header: offset in 8-byte units, M flag.
  FrameBuilder& ipv6_fragment(std::uint16_t offset_units, bool more_fragments) {
    ipv6_extension(44);
    specs_.back().fragment_offset = offset_units;
    specs_.back().more_fragments = more_fragments;
    return *this;
  }
  /// RFC 4302 authentication header: (units + 2) * 4 bytes.
  FrameBuilder& auth_header(std::uint8_t units = 4) { return ipv6_extension(51, units); }

  // --- Transport ------------------------------------------------------------------------------

  FrameBuilder& tcp(std::uint16_t src_port, std::uint16_t dst_port,
                    std::uint8_t flags = 0x10 /* ACK */) {
    Spec& s = add(LayerKind::Tcp);
    s.port_src = src_port;
    s.port_dst = dst_port;
    s.tcp_flags = flags;
    return *this;
  }
  FrameBuilder& tcp_flags(std::uint8_t flags) {
    last({LayerKind::Tcp}).tcp_flags = flags;
    return *this;
  }
  /// TCP options, padded with zeros (end of option list) to a multiple of 4 bytes.
  FrameBuilder& tcp_options(std::vector<std::byte> options) {
    last({LayerKind::Tcp}).options = pad4(std::move(options));
    return *this;
  }
  /// Override the data offset (header length in 32-bit words) of the last TCP header.
  FrameBuilder& data_offset(std::uint8_t words) {
    last({LayerKind::Tcp}).ihl = words;
    return *this;
  }
  FrameBuilder& udp(std::uint16_t src_port, std::uint16_t dst_port) {
    Spec& s = add(LayerKind::Udp);
    s.port_src = src_port;
    s.port_dst = dst_port;
    return *this;
  }
  FrameBuilder& udp_length(std::uint16_t v) {
    last({LayerKind::Udp}).length_override = v;
    return *this;
  }
  /// ICMP header (type, code, checksum, 4 bytes of rest-of-header). Layers added after it
  /// are the packet an error message quotes.
  FrameBuilder& icmp(std::uint8_t type, std::uint8_t code) {
    Spec& s = add(LayerKind::Icmp);
    s.icmp_type = type;
    s.icmp_code = code;
    return *this;
  }
  FrameBuilder& icmpv6(std::uint8_t type, std::uint8_t code) {
    icmp(type, code);
    specs_.back().kind = LayerKind::Icmpv6;
    return *this;
  }

  // --- Application ----------------------------------------------------------------------------

  FrameBuilder& dns(const DnsBuilder& message) {
    Spec& s = add(LayerKind::DnsHeader);
    s.dns = message.build();
    return *this;
  }
  /// A DNS query for one name: the brief form of dns(DnsBuilder().question(name, type)).
  FrameBuilder& dns_query(std::string_view name, std::uint16_t type = dns_type::kA,
                          std::uint16_t id = 0x1234) {
    return dns(DnsBuilder().id(id).recursion_desired().question(name, type));
  }
  /// A DNS message behind the two-byte length prefix of DNS over TCP (RFC 1035 §4.2.2).
  FrameBuilder& dns_tcp(const DnsBuilder& message,
                        std::optional<std::uint16_t> length_prefix = std::nullopt) {
    Spec& s = add(LayerKind::DnsTcpLength);
    s.dns = message.build();
    s.length_override = length_prefix;
    return *this;
  }
  /// Bytes no decoder reads (application data, a fragment's continuation).
  FrameBuilder& payload(std::vector<std::byte> b) {
    add(LayerKind::Payload).payload = std::move(b);
    return *this;
  }
  FrameBuilder& payload(std::string_view text) { return payload(to_bytes(text)); }
  /// Link-layer padding after everything, counted by no length field.
  FrameBuilder& padding(std::size_t n, std::uint8_t value = 0) {
    padding_.insert(padding_.end(), n, static_cast<std::byte>(value));
    return *this;
  }

  // --- Output ---------------------------------------------------------------------------------

  std::vector<std::byte> build() const { return build_with_layers().bytes; }

  BuiltFrame build_with_layers() const {
    // Serialise innermost first: each header's length fields need the size of what follows.
    std::vector<std::vector<std::byte>> own(specs_.size());
    std::vector<std::vector<Layer>> parts(specs_.size());  // offsets relative to own bytes
    std::size_t inner = 0;
    for (std::size_t i = specs_.size(); i-- > 0;) {
      const Spec* next = i + 1 < specs_.size() ? &specs_[i + 1] : nullptr;
      own[i] = serialise(specs_[i], next, inner, parts[i]);
      inner += own[i].size();
    }
    BuiltFrame out;
    bool quoted = false;
    for (std::size_t i = 0; i < specs_.size(); ++i) {
      const std::size_t base = out.bytes.size();
      for (Layer l : parts[i]) {
        l.begin += base;
        l.header_end += base;
        l.quoted = quoted;
        out.layers.push_back(l);
      }
      out.bytes.insert(out.bytes.end(), own[i].begin(), own[i].end());
      if (specs_[i].kind == LayerKind::Icmp || specs_[i].kind == LayerKind::Icmpv6) quoted = true;
    }
    if (!padding_.empty()) {
      out.layers.push_back({LayerKind::Padding, out.bytes.size(), out.bytes.size(), false});
      out.bytes.insert(out.bytes.end(), padding_.begin(), padding_.end());
    }
    return out;
  }

 private:
  struct Spec {
    LayerKind kind = LayerKind::Payload;
    std::optional<std::uint32_t> next_override;  // type / length / protocol field
    std::optional<std::uint16_t> length_override;
    // Link.
    Mac mac_src{}, mac_dst{};
    std::uint16_t tpid = 0x8100, tci = 0;
    std::uint16_t packet_type = 0, hatype = 1;
    std::vector<std::uint8_t> link_address;
    std::uint32_t ifindex = 0;
    std::optional<std::uint32_t> family;
    bool little_endian = true;
    std::uint16_t arp_op = 1;
    // IP.
    Ipv6Bytes ip_src{}, ip_dst{};  // IPv4 in the first 4 bytes
    std::optional<std::uint8_t> version;
    std::uint8_t ttl = 64;
    std::optional<std::uint8_t> ihl;  // also the TCP data offset
    std::vector<std::byte> options;
    std::uint16_t fragment_offset = 0;
    bool more_fragments = false, dont_fragment = false;
    std::uint8_t ext_type = 0, ext_units = 0;
    // Transport.
    std::uint16_t port_src = 0, port_dst = 0;
    std::uint8_t tcp_flags = 0;
    std::uint8_t icmp_type = 0, icmp_code = 0;
    // Data.
    std::vector<std::byte> payload;
    DnsMessage dns;
  };

  Spec& add(LayerKind kind) {
    specs_.emplace_back();
    specs_.back().kind = kind;
    return specs_.back();
  }
  Spec& last(std::initializer_list<LayerKind> kinds) {
    if (!specs_.empty())
      for (LayerKind k : kinds)
        if (specs_.back().kind == k) return specs_.back();
    throw std::logic_error("FrameBuilder: override does not fit the last layer");
  }
  static Ipv6Bytes v4_in_16(const Ipv4Bytes& v4) {
    Ipv6Bytes out{};
    std::copy(v4.begin(), v4.end(), out.begin());
    return out;
  }
  static std::vector<std::byte> pad4(std::vector<std::byte> b) {
    while (b.size() % 4 != 0) b.push_back(std::byte{0});
    return b;
  }

  // The EtherType naming `next` (IANA "ethernet-numbers").
  static std::uint16_t ether_type_for(const Spec* next) {
    if (next == nullptr) return 0x88b5;  // IEEE local experimental
    switch (next->kind) {
      case LayerKind::Vlan: return next->tpid;
      case LayerKind::Ipv4: return 0x0800;
      case LayerKind::Ipv6: return 0x86dd;
      case LayerKind::Arp: return 0x0806;
      case LayerKind::Llc: return 0x0004;  // SLL's "802.2 LLC frame"
      default: return 0x88b5;
    }
  }
  // The IP protocol / next header naming `next` (IANA "protocol-numbers").
  static std::uint8_t ip_protocol_for(const Spec* next) {
    if (next == nullptr) return 59;  // No Next Header
    switch (next->kind) {
      case LayerKind::Tcp: return 6;
      case LayerKind::Udp: return 17;
      case LayerKind::Icmp: return 1;
      case LayerKind::Icmpv6: return 58;
      case LayerKind::Ipv4: return 4;
      case LayerKind::Ipv6: return 41;
      case LayerKind::Ipv6Extension: return next->ext_type;
      default: return 253;  // RFC 3692 experimentation
    }
  }
  static std::uint32_t family_for(const Spec& s, const Spec* next) {
    if (s.family) return *s.family;
    const bool v6 = next != nullptr && next->kind == LayerKind::Ipv6;
    if (!v6) return 2;                               // AF_INET
    return s.kind == LayerKind::Loop ? 24u : 30u;    // AF_INET6: OpenBSD 24, Darwin 30
  }

  static std::vector<std::byte> serialise(const Spec& s, const Spec* next, std::size_t inner,
                                          std::vector<Layer>& layers) {
    ByteWriter w;
    auto header = [&](LayerKind kind) { layers.push_back({kind, 0, w.size(), false}); };
    switch (s.kind) {
      case LayerKind::Ethernet:
      case LayerKind::Ieee8023:
        w.append(s.mac_dst).append(s.mac_src);
        if (s.kind == LayerKind::Ethernet)
          w.be16(s.next_override.value_or(ether_type_for(next)));
        else
          w.be16(s.next_override.value_or(static_cast<std::uint32_t>(inner)));
        header(s.kind);
        break;
      case LayerKind::Llc:
        w.append(s.payload);
        header(s.kind);
        break;
      case LayerKind::Vlan:
        w.be16(s.tci).be16(s.next_override.value_or(ether_type_for(next)));
        header(s.kind);
        break;
      case LayerKind::Sll: {
        w.be16(s.packet_type).be16(s.hatype).be16(static_cast<unsigned>(s.link_address.size()));
        for (std::size_t i = 0; i < 8; ++i)
          w.u8(i < s.link_address.size() ? s.link_address[i] : 0u);
        w.be16(s.next_override.value_or(ether_type_for(next)));
        header(s.kind);
        break;
      }
      case LayerKind::Sll2: {
        w.be16(s.next_override.value_or(ether_type_for(next))).be16(0).be32(s.ifindex);
        w.be16(s.hatype).u8(s.packet_type).u8(static_cast<unsigned>(s.link_address.size()));
        for (std::size_t i = 0; i < 8; ++i)
          w.u8(i < s.link_address.size() ? s.link_address[i] : 0u);
        header(s.kind);
        break;
      }
      case LayerKind::Null:
      case LayerKind::Loop: {
        const std::uint32_t family = family_for(s, next);
        if (s.little_endian) w.le32(family); else w.be32(family);
        header(s.kind);
        break;
      }
      case LayerKind::Arp:
        w.be16(1).be16(0x0800).u8(6).u8(4).be16(s.arp_op);
        w.append(s.mac_src).append(std::array{s.ip_src[0], s.ip_src[1], s.ip_src[2], s.ip_src[3]});
        w.append(s.mac_dst).append(std::array{s.ip_dst[0], s.ip_dst[1], s.ip_dst[2], s.ip_dst[3]});
        header(s.kind);
        break;
      case LayerKind::Ipv4: {
        const std::size_t header_len = 20 + s.options.size();
        const unsigned ihl = s.ihl.value_or(static_cast<std::uint8_t>(header_len / 4));
        w.u8(static_cast<unsigned>(s.version.value_or(4)) << 4 | (ihl & 0xfu)).u8(0);
        w.be16(s.length_override.value_or(static_cast<std::uint16_t>(header_len + inner)));
        w.be16(0x4242);  // identification
        w.be16((s.dont_fragment ? 0x4000u : 0u) | (s.more_fragments ? 0x2000u : 0u) |
               (s.fragment_offset & 0x1fffu));
        w.u8(s.ttl).u8(s.next_override.value_or(ip_protocol_for(next))).be16(0);
        w.append(std::array{s.ip_src[0], s.ip_src[1], s.ip_src[2], s.ip_src[3]});
        w.append(std::array{s.ip_dst[0], s.ip_dst[1], s.ip_dst[2], s.ip_dst[3]});
        w.append(s.options);
        header(s.kind);
        break;
      }
      case LayerKind::Ipv6:
        w.be32(std::uint32_t{s.version.value_or(6)} << 28);
        w.be16(s.length_override.value_or(static_cast<std::uint16_t>(inner)));
        w.u8(s.next_override.value_or(ip_protocol_for(next))).u8(s.ttl);
        w.append(s.ip_src).append(s.ip_dst);
        header(s.kind);
        break;
      case LayerKind::Ipv6Extension: {
        const unsigned next_header = s.next_override.value_or(ip_protocol_for(next));
        if (s.ext_type == 44) {  // fragment
          w.u8(next_header).u8(0);
          w.be16(static_cast<unsigned>(s.fragment_offset << 3) | (s.more_fragments ? 1u : 0u));
          w.be32(0x01020304);  // identification
        } else if (s.ext_type == 51) {  // AH: (units + 2) * 4 bytes
          w.u8(next_header).u8(s.ext_units).be16(0).be32(0x100).be32(1);
          w.zeros((std::size_t{s.ext_units} + 2) * 4 - 12);
        } else {
          w.u8(next_header).u8(s.ext_units).zeros((std::size_t{s.ext_units} + 1) * 8 - 2);
        }
        header(s.kind);
        break;
      }
      case LayerKind::Tcp: {
        const std::size_t header_len = 20 + s.options.size();
        const unsigned offset = s.ihl.value_or(static_cast<std::uint8_t>(header_len / 4));
        w.be16(s.port_src).be16(s.port_dst).be32(1000).be32(2000);
        w.u8((offset & 0xfu) << 4).u8(s.tcp_flags).be16(65535).be16(0).be16(0);
        w.append(s.options);
        header(s.kind);
        break;
      }
      case LayerKind::Udp:
        w.be16(s.port_src).be16(s.port_dst);
        w.be16(s.length_override.value_or(static_cast<std::uint16_t>(8 + inner))).be16(0);
        header(s.kind);
        break;
      case LayerKind::Icmp:
      case LayerKind::Icmpv6:
        w.u8(s.icmp_type).u8(s.icmp_code).be16(0).be32(0);
        header(s.kind);
        break;
      case LayerKind::DnsTcpLength:
      case LayerKind::DnsHeader: {
        std::size_t base = 0;
        if (s.kind == LayerKind::DnsTcpLength) {
          w.be16(s.length_override.value_or(static_cast<std::uint16_t>(s.dns.bytes.size())));
          layers.push_back({LayerKind::DnsTcpLength, 0, 2, false});
          base = 2;
        }
        w.append(s.dns.bytes);
        layers.push_back({LayerKind::DnsHeader, base, base + 12, false});
        layers.push_back({LayerKind::DnsQuestions, base + 12, base + s.dns.questions_end, false});
        layers.push_back({LayerKind::DnsFirstAnswer, base + s.dns.questions_end,
                          base + s.dns.first_answer_fixed_end, false});
        break;
      }
      case LayerKind::DnsQuestions:
      case LayerKind::DnsFirstAnswer:
      case LayerKind::Payload:
      case LayerKind::Padding:
        w.append(s.payload);
        layers.push_back({LayerKind::Payload, 0, 0, false});
        break;
    }
    return std::move(w.data());
  }

  std::vector<Spec> specs_;
  std::vector<std::byte> padding_;
};

}  // namespace pcapframe::test
