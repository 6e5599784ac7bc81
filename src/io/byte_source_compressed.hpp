// SPDX-License-Identifier: MIT
// Decompressing ByteSources: gzip (zlib), zstd (libzstd) and lz4 frames (liblz4), each
// wrapping another source and streaming, concatenated members/frames included.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "byte_source.hpp"

namespace pcapframe::detail {

enum class Compression : std::uint8_t { None, Gzip, Zstd, Lz4 };

/// Recognise a compressed stream by its first bytes.
Compression detect_compression(Bytes head) noexcept;

/// Return "gzip", "zstd", "lz4" or "".
std::string_view compression_name(Compression c) noexcept;

/// Wrap `inner` so that reads yield the decompressed bytes. Errors name `name` and the
/// offset in the compressed stream.
std::unique_ptr<ByteSource> make_decompressing_source(Compression kind,
                                                      std::unique_ptr<ByteSource> inner,
                                                      std::string name);

/// Serve `prefix` (bytes already read from `rest`) and then the rest of `rest`.
std::unique_ptr<ByteSource> make_prefixed_source(std::vector<std::byte> prefix,
                                                 std::unique_ptr<ByteSource> rest);

}  // namespace pcapframe::detail
