// SPDX-License-Identifier: MIT
// The decompressing reader: the first byte picks gzip, zstd or lz4 and its magic number is put
// in front of the rest, so that every input reaches a decompressor. Lax and strict.
#include <array>
#include <vector>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  static const std::array<std::vector<std::uint8_t>, 3> kMagics{
      std::vector<std::uint8_t>{0x1f, 0x8b}, {0x28, 0xb5, 0x2f, 0xfd}, {0x04, 0x22, 0x4d, 0x18}};
  if (size < 1) return 0;
  std::vector<std::uint8_t> input = kMagics[data[0] % kMagics.size()];
  input.insert(input.end(), data + 1, data + size);
  for (const bool strict : {false, true}) {
    auto reader = CaptureReader::open_memory(fuzz::bytes_of(input.data(), input.size()), "fuzz",
                                             fuzz::mode(strict));
    if (!reader) continue;
    PCAPFRAME_FUZZ_CHECK(!reader->info().compression.empty());
    Record record;
    while (reader->next(record)) fuzz::decode_and_check(record.link, record.bytes);
  }
  return 0;
}
