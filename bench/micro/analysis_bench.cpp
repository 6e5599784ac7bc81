// SPDX-License-Identifier: MIT
// SummaryAnalysis::add (what `pcapframe info` does per frame) on the sample's decoded frames.
#include <benchmark/benchmark.h>

#include <utility>
#include <vector>

#include "pcapframe/analysis.hpp"
#include "pcapframe/decode.hpp"
#include "sample_frames.hpp"

namespace pcapframe::bench {
namespace {

void BM_SummaryAdd(benchmark::State& state) {
  const auto& rows = decoded_sample();
  SummaryAnalysis analysis;
  for (auto _ : state) {
    for (const auto& [record, fields] : rows) analysis.add(record, fields);
  }
  benchmark::DoNotOptimize(analysis.finish());
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_SummaryAdd);

}  // namespace
}  // namespace pcapframe::bench

BENCHMARK_MAIN();
