// SPDX-License-Identifier: MIT
// decode_frame for each link type: the first two bytes pick the link type (the supported ones
// and a few unknown), the rest is the frame. The DNS message the fields locate is walked too,
// and a decode into fields left over from another frame must equal a fresh decode.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  if (size < 2) return 0;
  const auto pick = static_cast<std::size_t>(data[0] | data[1] << 8) % fuzz::kFuzzLinkTypes.size();
  const auto link = static_cast<LinkType>(fuzz::kFuzzLinkTypes[pick]);
  const Bytes frame = fuzz::bytes_of(data + 2, size - 2);
  const PacketFields fresh = fuzz::decode_and_check(link, frame);

  // reset_fields() clears only what the last decode wrote: decoding over the fields another
  // link type's decode left behind must give the same as a fresh decode.
  PacketFields reused;
  for (const std::uint16_t other : fuzz::kFuzzLinkTypes) {
    decode_frame(static_cast<LinkType>(other), frame, reused);
    decode_frame(link, frame, reused);
    PCAPFRAME_FUZZ_CHECK(fuzz::same_fields(fresh, reused));
  }
  return 0;
}
