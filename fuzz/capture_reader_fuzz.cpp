// SPDX-License-Identifier: MIT
// The capture reader on whole files (pcap, pcapng, compressed), lax and strict, every record
// decoded: no crash, no read outside the input, every record's bytes inside it.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  const Bytes input = fuzz::bytes_of(data, size);
  for (const bool strict : {false, true}) {
    auto reader = CaptureReader::open_memory(input, "fuzz", fuzz::mode(strict));
    if (!reader) continue;
    const bool in_place = reader->info().compression.empty();
    Record record;
    while (reader->next(record)) {
      PCAPFRAME_FUZZ_CHECK(record.caplen == record.bytes.size() && record.caplen <= kMaxCaplen);
      // Uncompressed memory is parsed in place: a record's bytes lie inside the input.
      PCAPFRAME_FUZZ_CHECK(!in_place || (record.bytes.data() >= input.data() &&
                                         record.bytes.data() + record.caplen <= input.data() + size));
      fuzz::decode_and_check(record.link, record.bytes);
    }
    PCAPFRAME_FUZZ_CHECK(!strict || reader->warnings().empty());
    PCAPFRAME_FUZZ_CHECK(in_place ? reader->bytes_consumed() <= size : true);
  }
  return 0;
}
