// SPDX-License-Identifier: MIT
// Recognising an input by its first bytes, and describing it when it is not a capture.
#pragma once

#include <string>

#include "pcapframe/record.hpp"

namespace pcapframe::detail {

/// True if `head` starts with a classic pcap magic number.
bool starts_with_pcap_magic(Bytes head) noexcept;

/// Describe the first bytes for an error message: a known format's name if we recognise
/// it (pcapng, gzip, ELF, ...), then up to 8 bytes in hex and as text.
std::string describe_first_bytes(Bytes head);

}  // namespace pcapframe::detail
