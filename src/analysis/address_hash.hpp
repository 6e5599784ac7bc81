// SPDX-License-Identifier: MIT
// Hashing IpAddress for Abseil maps, shared by the analyses.
#pragma once

#include <absl/hash/hash.h>

#include "pcapframe/fields.hpp"

namespace pcapframe::detail {

struct AddressHash {
  std::size_t operator()(const IpAddress& a) const noexcept { return absl::HashOf(a.version, a.bytes); }
};

}  // namespace pcapframe::detail
