// SPDX-License-Identifier: MIT
// Differential across the read-ahead thread's chunk boundaries: fuzz inputs are small, but a
// compressed capture is read ahead in 1 MiB chunks, so about 1 MiB of filler is put before
// the input's records (pcap: records after its header, in its byte order; pcapng: a section
// of its own) and the plain bytes, read in place, must read the same as their gzip read by
// the thread. The first byte picks where the boundary falls and, for pcapng, whether a
// 300 KB block straddles it (a tail larger than the chunk headroom, assembled apart).
#include <algorithm>
#include <vector>

#include "fuzz_support.hpp"

namespace {

using namespace pcapframe;
using Blob = std::vector<std::uint8_t>;

constexpr std::size_t kBoundary = std::size_t{1} << 20;  // ReadAhead's first chunk ends here

void put32(Blob& out, std::uint32_t v, bool big) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (big ? 24 - 8 * i : 8 * i)));
}

// Classic pcap: `input`'s header, records of zeros up to `target` bytes, then its records.
Blob pcap_filled(const std::uint8_t* input, std::size_t size, std::size_t target) {
  const std::uint32_t magic = std::uint32_t{input[0]} | std::uint32_t{input[1]} << 8 |
                              std::uint32_t{input[2]} << 16 | std::uint32_t{input[3]} << 24;
  const bool big = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1 || magic == 0x34cdb2a1;
  const std::size_t header = magic == 0xa1b2cd34 || magic == 0x34cdb2a1 ? 24 : 16;
  // Filler records within the file's snaplen (no warning of their own), but not tiny ones.
  const std::uint32_t snaplen = big ? std::uint32_t{input[16]} << 24 | std::uint32_t{input[17]} << 16 |
                                          std::uint32_t{input[18]} << 8 | input[19]
                                    : std::uint32_t{input[19]} << 24 | std::uint32_t{input[18]} << 16 |
                                          std::uint32_t{input[17]} << 8 | input[16];
  const std::size_t largest = std::clamp<std::size_t>(snaplen, 4096, kMaxCaplen);
  Blob out(input, input + 24);
  while (out.size() + header < target) {
    const auto caplen = static_cast<std::uint32_t>(std::min(largest, target - out.size() - header));
    put32(out, 0, big), put32(out, 0, big), put32(out, caplen, big), put32(out, caplen, big);
    out.resize(out.size() + header - 16 + caplen, 0);
  }
  out.insert(out.end(), input + 24, input + size);
  return out;
}

void block(Blob& out, std::uint32_t type, const Blob& body) {
  const auto length = static_cast<std::uint32_t>(12 + body.size());
  put32(out, type, false), put32(out, length, false);
  out.insert(out.end(), body.begin(), body.end());
  put32(out, length, false);
}

// pcapng: a little-endian section of zero-filled packets (and, with `straddle`, a 300 KB
// unknown block across the boundary) ending at `target`, then the input's own sections.
Blob pcapng_filled(const std::uint8_t* input, std::size_t size, std::size_t target, bool straddle) {
  Blob out, body;
  put32(body, 0x1a2b3c4d, false), put32(body, 1, false), put32(body, 0xffffffff, false);
  put32(body, 0xffffffff, false);
  block(out, 0x0a0d0d0a, body);
  body.clear();
  put32(body, 1, false), put32(body, 262144, false);
  block(out, 1, body);
  if (straddle) target -= 300'000;
  while (out.size() + 12 < target) {
    const std::size_t room = target - out.size() - 12;
    body.clear();
    if (room < 20 + 4) {  // too small for a packet: an unknown block fills the rest
      body.resize(room & ~std::size_t{3}, 0);
      block(out, 0x0bad, body);
      break;
    }
    const auto caplen = static_cast<std::uint32_t>(std::min<std::size_t>(kMaxCaplen, (room - 20) & ~std::size_t{3}));
    for (const std::uint32_t v : {0u, 0u, 0u, caplen, caplen}) put32(body, v, false);
    body.resize(body.size() + caplen, 0);
    block(out, 6, body);
  }
  if (straddle) {
    body.assign(300'000, 0x5a);
    block(out, 0x0bad, body);
  }
  out.insert(out.end(), input, input + size);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1 + 24) return 0;
  const std::uint8_t pick = data[0];
  const std::uint8_t* input = data + 1;
  const std::size_t input_size = size - 1;
  // The boundary falls up to ~16 KB into the input's records, 4-byte aligned.
  const std::size_t target = kBoundary - std::size_t{pick} / 4 * 256;
  Blob plain;
  if (input[0] == 0x0a && input[1] == 0x0d && input[2] == 0x0d && input[3] == 0x0a) {
    plain = pcapng_filled(input, input_size, target, (pick & 1) != 0);
  } else {
    plain = pcap_filled(input, input_size, target);
  }
  const bool strict = (pick & 2) != 0;
  const fuzz::ReadOutcome in_place = fuzz::read_memory(plain, fuzz::mode(strict));
  const fuzz::ReadOutcome threaded = fuzz::read_memory(fuzz::gzip(plain), fuzz::mode(strict));
  PCAPFRAME_FUZZ_CHECK(in_place.open_error.has_value() == threaded.open_error.has_value());
  PCAPFRAME_FUZZ_CHECK(in_place.records == threaded.records);
  PCAPFRAME_FUZZ_CHECK(fuzz::same_errors(in_place.warnings, threaded.warnings));
  PCAPFRAME_FUZZ_CHECK(fuzz::same_error(in_place.error, threaded.error));
  return 0;
}
