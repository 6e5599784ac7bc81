// SPDX-License-Identifier: MIT
// Checked views over packet bytes: fixed-size headers, big/little-endian loads, a cursor.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "pcapframe/record.hpp"

namespace pcapframe::detail {

/// Return the first N bytes as a fixed-extent view, or nullopt if `in` is shorter.
template <std::size_t N>
[[nodiscard]] constexpr std::optional<std::span<const std::byte, N>> header(Bytes in) noexcept {
  if (in.size() < N) return std::nullopt;
  return in.first<N>();
}

[[nodiscard]] constexpr unsigned byte_at(std::span<const std::byte> b, std::size_t i) noexcept {
  return std::to_integer<unsigned>(b[i]);
}

[[nodiscard]] constexpr std::uint8_t load_u8(std::span<const std::byte, 1> b) noexcept {
  return static_cast<std::uint8_t>(byte_at(b, 0));
}

[[nodiscard]] constexpr std::uint16_t load_be16(std::span<const std::byte, 2> b) noexcept {
  return static_cast<std::uint16_t>(byte_at(b, 0) << 8 | byte_at(b, 1));
}

[[nodiscard]] constexpr std::uint16_t load_le16(std::span<const std::byte, 2> b) noexcept {
  return static_cast<std::uint16_t>(byte_at(b, 1) << 8 | byte_at(b, 0));
}

[[nodiscard]] constexpr std::uint32_t load_be32(std::span<const std::byte, 4> b) noexcept {
  return std::uint32_t{byte_at(b, 0)} << 24 | std::uint32_t{byte_at(b, 1)} << 16 |
         std::uint32_t{byte_at(b, 2)} << 8 | std::uint32_t{byte_at(b, 3)};
}

[[nodiscard]] constexpr std::uint32_t load_le32(std::span<const std::byte, 4> b) noexcept {
  return std::uint32_t{byte_at(b, 3)} << 24 | std::uint32_t{byte_at(b, 2)} << 16 |
         std::uint32_t{byte_at(b, 1)} << 8 | std::uint32_t{byte_at(b, 0)};
}

/// Load a 48-bit MAC address, first byte most significant (as `aa:bb:...` reads).
[[nodiscard]] constexpr std::uint64_t load_mac(std::span<const std::byte, 6> b) noexcept {
  std::uint64_t mac = 0;
  for (std::size_t i = 0; i < 6; ++i) mac = mac << 8 | byte_at(b, i);
  return mac;
}

/// A read position over variable-length data. Call has(n) before each take(n).
class ByteCursor {
 public:
  constexpr explicit ByteCursor(Bytes data) noexcept : data_(data) {}

  [[nodiscard]] constexpr bool has(std::size_t n) const noexcept { return data_.size() - pos_ >= n; }
  /// Return the next n bytes and advance. Precondition: has(n).
  constexpr Bytes take(std::size_t n) noexcept {
    const Bytes out = data_.subspan(pos_, n);
    pos_ += n;
    return out;
  }
  constexpr Bytes rest() const noexcept { return data_.subspan(pos_); }
  constexpr std::size_t position() const noexcept { return pos_; }

 private:
  Bytes data_;
  std::size_t pos_ = 0;
};

/// Return `in` cut to at most `length` bytes (a length field clamped to what is present).
[[nodiscard]] constexpr Bytes clamp_to(Bytes in, std::size_t length) noexcept {
  return in.first(std::min(in.size(), length));
}

}  // namespace pcapframe::detail
