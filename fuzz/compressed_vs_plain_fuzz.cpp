// SPDX-License-Identifier: MIT
// Differential: a capture and its gzip must read the same (records, warnings, error), and a
// gzip stream cut short must still give every record its decompressible part holds, as the
// plain bytes of that part do. The first input byte picks where to cut; the rest is the file.
#include <zlib.h>

#include <vector>

#include "fuzz_support.hpp"

namespace {

using namespace pcapframe;

// Everything zlib can decompress from a (possibly cut) gzip stream.
std::vector<std::uint8_t> gunzip_prefix(const std::vector<std::uint8_t>& in) {
  z_stream s{};
  inflateInit2(&s, 15 + 16);
  std::vector<std::uint8_t> out(1 << 16);
  s.next_in = const_cast<Bytef*>(in.data());
  s.avail_in = static_cast<uInt>(in.size());
  std::size_t done = 0;
  for (;;) {
    s.next_out = out.data() + done;
    s.avail_out = static_cast<uInt>(out.size() - done);
    const int rc = inflate(&s, Z_SYNC_FLUSH);
    done = out.size() - s.avail_out;
    if (rc != Z_OK || s.avail_in == 0) break;
    if (s.avail_out == 0) out.resize(out.size() * 2);
  }
  inflateEnd(&s);
  out.resize(done);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::vector<std::uint8_t> plain(data + 1, data + size);
  const std::vector<std::uint8_t> packed = fuzz::gzip(plain);

  const fuzz::ReadOutcome whole = fuzz::read_memory(plain);
  const fuzz::ReadOutcome unpacked = fuzz::read_memory(packed);
  PCAPFRAME_FUZZ_CHECK(whole.open_error.has_value() == unpacked.open_error.has_value());
  PCAPFRAME_FUZZ_CHECK(whole.records == unpacked.records);
  PCAPFRAME_FUZZ_CHECK(fuzz::same_errors(whole.warnings, unpacked.warnings));
  PCAPFRAME_FUZZ_CHECK(fuzz::same_error(whole.error, unpacked.error));

  // Cut the stream: the records are those of the bytes zlib gets out of what is left.
  const std::vector<std::uint8_t> cut(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(
                                                                          packed.size() * data[0] / 256));
  const fuzz::ReadOutcome prefix = fuzz::read_memory(gunzip_prefix(cut));
  const fuzz::ReadOutcome cut_short = fuzz::read_memory(cut);
  PCAPFRAME_FUZZ_CHECK(prefix.open_error.has_value() == cut_short.open_error.has_value());
  PCAPFRAME_FUZZ_CHECK(prefix.records == cut_short.records);
  return 0;
}
