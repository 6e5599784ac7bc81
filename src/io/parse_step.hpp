// SPDX-License-Identifier: MIT
// ParseStep: what a sans-IO capture parser made of the bytes it was given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "pcapframe/result.hpp"

namespace pcapframe::detail {

struct ParseStep {
  enum class Kind : std::uint8_t {
    Record,    // a record was filled; `size` bytes consumed
    Skip,      // a block with no record (pcapng); `size` bytes to skip, possibly beyond `in`
    NeedMore,  // `size` bytes from the start of `in` are needed to go on
    Fail,      // corrupt input; the parser's failure() says why
  };
  Kind kind = Kind::NeedMore;
  std::size_t size = 0;
};

/// Why a parser failed: the code and a sentence without file name or offset (the reader
/// adds those).
struct ParseFailure {
  ErrorCode code = ErrorCode::CorruptRecord;
  std::string detail;
};

}  // namespace pcapframe::detail
