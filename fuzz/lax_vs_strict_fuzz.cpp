// SPDX-License-Identifier: MIT
// Differential: strict mode fails exactly when lax mode warns, at the first problem lax mode
// met (same code, offset and record), and returns the records lax mode returned before it.
#include <vector>

#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  const Bytes input = fuzz::bytes_of(data, size);
  auto lax = CaptureReader::open_memory(input, "fuzz", fuzz::mode(false));
  auto strict = CaptureReader::open_memory(input, "fuzz", fuzz::mode(true));
  PCAPFRAME_FUZZ_CHECK(lax.has_value() == strict.has_value());
  if (!lax) {
    PCAPFRAME_FUZZ_CHECK(fuzz::same_error(lax.error(), strict.error()));
    return 0;
  }
  std::vector<fuzz::RecordCopy> lax_records, strict_records;
  Record record;
  while (lax->next(record)) lax_records.push_back(fuzz::copy_of(record));
  while (strict->next(record)) strict_records.push_back(fuzz::copy_of(record));

  PCAPFRAME_FUZZ_CHECK(strict->warnings().empty());
  PCAPFRAME_FUZZ_CHECK(!lax->error());  // memory input: no I/O error, nothing fatal
  if (lax->warnings().empty()) {
    PCAPFRAME_FUZZ_CHECK(!strict->error());
    PCAPFRAME_FUZZ_CHECK(strict_records == lax_records);
    return 0;
  }
  const Error& first = lax->warnings().front();
  PCAPFRAME_FUZZ_CHECK(strict->error().has_value());
  const Error& failed = *strict->error();
  PCAPFRAME_FUZZ_CHECK(failed.code == first.code && failed.offset == first.offset &&
                       failed.record == first.record);
  PCAPFRAME_FUZZ_CHECK(strict_records.size() == first.record);
  PCAPFRAME_FUZZ_CHECK(strict_records.size() <= lax_records.size());
  for (std::size_t i = 0; i < strict_records.size(); ++i)
    PCAPFRAME_FUZZ_CHECK(strict_records[i] == lax_records[i]);
  return 0;
}
