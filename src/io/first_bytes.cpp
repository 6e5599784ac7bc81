// SPDX-License-Identifier: MIT
// Magic numbers of captures and of the files people mistake for them.
#include "first_bytes.hpp"

#include <array>
#include <cstdio>
#include <string_view>

#include "../decode/bytes.hpp"
#include "pcap_parser.hpp"

namespace pcapframe::detail {
namespace {

struct KnownMagic {
  std::string_view bytes;
  std::string_view name;
};

// Formats a capture reader is often handed by mistake, for a helpful error message.
constexpr std::array kKnownMagics{
    KnownMagic{"\x0a\x0d\x0d\x0a", "a pcapng file"},
    KnownMagic{"\x1f\x8b", "gzip-compressed data"},
    KnownMagic{"\x28\xb5\x2f\xfd", "zstd-compressed data"},
    KnownMagic{"\x04\x22\x4d\x18", "lz4-compressed data"},
    KnownMagic{"BZh", "bzip2-compressed data"},
    KnownMagic{"\xfd" "7zXZ", "xz-compressed data"},
    KnownMagic{"PK\x03\x04", "a zip archive"},
    KnownMagic{"\x7f" "ELF", "an ELF executable"},
    KnownMagic{"\x89PNG", "a PNG image"},
    KnownMagic{"%PDF", "a PDF document"},
};

bool starts_with(Bytes head, std::string_view magic) noexcept {
  if (head.size() < magic.size()) return false;
  for (std::size_t i = 0; i < magic.size(); ++i)
    if (byte_at(head, i) != static_cast<unsigned char>(magic[i])) return false;
  return true;
}

}  // namespace

bool starts_with_pcap_magic(Bytes head) noexcept {
  const auto magic = header<4>(head);
  return magic && PcapParser::is_magic(load_le32(*magic));
}

std::string describe_first_bytes(Bytes head) {
  if (head.empty()) return "the file is empty";
  std::string out;
  for (const KnownMagic& known : kKnownMagics) {
    if (starts_with(head, known.bytes)) {
      out = std::string(known.name) + "; ";
      break;
    }
  }
  const std::size_t shown = std::min<std::size_t>(head.size(), 8);
  out += "first bytes:";
  std::string text;
  for (std::size_t i = 0; i < shown; ++i) {
    const unsigned b = byte_at(head, i);
    std::array<char, 4> hex{};
    std::snprintf(hex.data(), hex.size(), " %02x", b);
    out += hex.data();
    text += (b >= 0x20 && b < 0x7f) ? static_cast<char>(b) : '.';
  }
  return out + " \"" + text + "\"";
}

}  // namespace pcapframe::detail
