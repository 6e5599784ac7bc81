// SPDX-License-Identifier: MIT
// pcapframe_bench_table FILE [--columns lab|all] [--repeat N]: read a capture into a
// PacketTable with the public read_table() and print packets, seconds, packets/s and MB/s.
// bench/compare.sh times the whole process against `cat FILE > /dev/null`.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "pcapframe/table.hpp"

namespace {

int usage() {
  std::fprintf(stderr, "usage: pcapframe_bench_table FILE [--columns lab|all] [--repeat N]\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace pcapframe;
  std::string path;
  std::string columns = "all";
  int repeat = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--columns" && i + 1 < argc) {
      columns = argv[++i];
    } else if (arg == "--repeat" && i + 1 < argc) {
      repeat = std::atoi(argv[++i]);
    } else if (!arg.starts_with("--") && path.empty()) {
      path = arg;
    } else {
      return usage();
    }
  }
  if (path.empty() || repeat < 1 || (columns != "lab" && columns != "all")) return usage();

  ReadOptions options;
  if (columns == "lab") {
    options.columns.reset();
    for (const ColumnSpec& spec : kPacketSchema)
      if (spec.lab) options.columns.set(static_cast<std::size_t>(spec.column));
  }
  for (int run = 0; run < repeat; ++run) {
    const auto start = std::chrono::steady_clock::now();
    auto result = read_table(path, options);
    const auto stop = std::chrono::steady_clock::now();
    if (!result) {
      std::fprintf(stderr, "pcapframe_bench_table: %s\n", result.error().message.c_str());
      return 1;
    }
    const double seconds = std::chrono::duration<double>(stop - start).count();
    const double rows = static_cast<double>(result->table.rows);
    const double megabytes = static_cast<double>(result->info.size.value_or(0)) / 1e6;
    std::printf(
        "packets %zu seconds %.4f packets_per_s %.0f mb_per_s %.1f addresses %zu names %zu\n",
        result->table.rows, seconds, rows / seconds, megabytes / seconds,
        result->table.addresses.text.size() - 1, result->table.names.values.size() - 1);
  }
  return 0;
}
