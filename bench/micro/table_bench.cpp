// SPDX-License-Identifier: MIT
// TableBuilder::add on the sample's decoded frames, in CLI-sized batches (finish() every
// 65,536 rows, as `pcapframe packets` does), for every column and for the lab's 18.
#include <benchmark/benchmark.h>

#include <utility>
#include <vector>

#include "pcapframe/decode.hpp"
#include "pcapframe/table.hpp"
#include "sample_frames.hpp"

namespace pcapframe::bench {
namespace {

inline constexpr std::size_t kBatchRows = 65536;

ColumnSelection lab_columns() {
  ColumnSelection s;
  for (const ColumnSpec& spec : kPacketSchema)
    if (spec.lab) s.set(static_cast<std::size_t>(spec.column));
  return s;
}

void add_rows(benchmark::State& state, ColumnSelection columns) {
  const auto& rows = decoded_sample();
  TableBuilder builder(columns);
  for (auto _ : state) {
    for (const auto& [record, fields] : rows) {
      builder.add(record, fields);
      if (builder.rows() == kBatchRows) benchmark::DoNotOptimize(builder.finish());
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}

void BM_TableAddAllColumns(benchmark::State& state) { add_rows(state, all_columns()); }
BENCHMARK(BM_TableAddAllColumns);

void BM_TableAddLabColumns(benchmark::State& state) { add_rows(state, lab_columns()); }
BENCHMARK(BM_TableAddLabColumns);

}  // namespace
}  // namespace pcapframe::bench

BENCHMARK_MAIN();
