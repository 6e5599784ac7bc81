// SPDX-License-Identifier: MIT
// The pcap record walk over a capture in memory: the sans-IO parser alone, then the
// CaptureReader around it (the path every command takes, minus the file reads).
#include <benchmark/benchmark.h>

#include "../../src/io/pcap_parser.hpp"
#include "pcapframe/capture.hpp"
#include "sample_frames.hpp"

namespace pcapframe::bench {
namespace {

void BM_PcapParserWalk(benchmark::State& state) {
  const Bytes file = sample_bytes();
  std::int64_t records = 0;
  for (auto _ : state) {
    detail::PcapParser parser;
    CaptureInfo info;
    std::size_t at = parser.parse_header(file, info).size;
    Record record;
    for (;;) {
      const detail::ParseStep step = parser.next(file.subspan(at), record);
      if (step.kind != detail::ParseStep::Kind::Record) break;
      benchmark::DoNotOptimize(record);
      at += step.size;
      ++records;
    }
  }
  state.SetItemsProcessed(records);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.size()));
}
BENCHMARK(BM_PcapParserWalk);

void BM_CaptureReaderMemory(benchmark::State& state) {
  const Bytes file = sample_bytes();
  std::int64_t records = 0;
  for (auto _ : state) {
    auto reader = CaptureReader::open_memory(file, "sample");
    Record record;
    while (reader->next(record)) {
      benchmark::DoNotOptimize(record);
      ++records;
    }
  }
  state.SetItemsProcessed(records);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(file.size()));
}
BENCHMARK(BM_CaptureReaderMemory);

}  // namespace
}  // namespace pcapframe::bench

BENCHMARK_MAIN();
