// SPDX-License-Identifier: MIT
// `pcapframe rates FILE`: bytes/s, bits/s and packets/s per window, windows starting at the
// first frame (the lab's send_rates), per direction with --local. One streaming pass.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <string>
#include <vector>

#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "output.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/names.hpp"

namespace pcapframe::cli {

namespace {

constexpr int kBarWidth = 20;
constexpr std::size_t kSparkWidth = 72;

struct RatesOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  std::string window = "1s";
  std::vector<std::string> local;
};

int run_rates(const RatesOptions& options) {
  const auto window_ns = parse_duration_ns(options.window);
  if (!window_ns) {
    print_error(
        fmt::format("--window: '{}' is not a duration (1s, 500ms, 2m, 0.25)", options.window));
    return kExitUsage;
  }
  std::optional<AddressMatcher> local = parse_local(options.local);
  if (!local) return kExitUsage;
  RatesAnalysis analysis(*window_ns, *local);
  CaptureInfo info;
  const int read = read_capture(
      options.file, options.input,
      [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); },
      &info);
  if (read != kExitOk) return read;
  if (analysis.window_count() > RatesAnalysis::kMaxWindows) {
    print_error(fmt::format(
        "--window {} makes {} windows over this capture, more than {}; choose a longer window",
        options.window, with_thousands(analysis.window_count()),
        with_thousands(RatesAnalysis::kMaxWindows)));
    return kExitUsage;
  }
  const std::vector<RateRow> rows = analysis.finish();
  const bool directed = analysis.has_direction();
  const double window_s = static_cast<double>(*window_ns) / 1e9;
  const int digits = time_digits(info);

  std::vector<Column> columns{{"start_time", Align::Left, "start"},
                              {"offset", Align::Right, "offset (s)"},
                              {"packets", Align::Right},
                              {"bytes", Align::Right},
                              {"bytes_per_s", Align::Right, "bytes/s"},
                              {"bits_per_s", Align::Right, "bits/s"},
                              {"packets_per_s", Align::Right, "packets/s"}};
  if (directed) {
    columns.push_back({"upload_packets", Align::Right, "", Show::MachineOnly});
    columns.push_back({"upload_bytes", Align::Right, "", Show::MachineOnly});
    columns.push_back({"download_packets", Align::Right, "", Show::MachineOnly});
    columns.push_back({"download_bytes", Align::Right, "", Show::MachineOnly});
    columns.push_back({"upload_bytes_per_s", Align::Right, "up/s"});
    columns.push_back({"download_bytes_per_s", Align::Right, "down/s"});
  }
  columns.push_back({"bar", Align::Left, "volume", Show::TableOnly});
  Report report(std::move(columns));
  std::uint64_t peak = 0;
  for (const RateRow& row : rows) peak = std::max(peak, row.bytes);
  const std::int64_t origin = rows.empty() ? 0 : rows.front().start_ns;
  const auto rate = [&](std::uint64_t value, const char* unit, bool si) {
    const double per_s = static_cast<double>(value) / window_s;
    return real(per_s, si ? si_units(per_s, unit) : fmt::format("{:.1f}", per_s));
  };
  for (const RateRow& row : rows) {
    std::vector<Cell> cells{
        seconds(row.start_ns, digits, datetime_text(row.start_ns, options.output.utc, 6)),
        seconds(row.start_ns - origin, digits, seconds_text(row.start_ns - origin, 3)),
        count(row.packets),
        byte_count(row.bytes),
        rate(row.bytes, "B/s", true),
        rate(row.bytes * 8, "bit/s", true),
        rate(row.packets, "", false)};
    if (directed) {
      cells.push_back(count(row.upload_packets));
      cells.push_back(count(row.upload_bytes));
      cells.push_back(count(row.download_packets));
      cells.push_back(count(row.download_bytes));
      cells.push_back(rate(row.upload_bytes, "B/s", true));
      cells.push_back(rate(row.download_bytes, "B/s", true));
    }
    const double fraction =
        peak == 0 ? 0 : static_cast<double>(row.bytes) / static_cast<double>(peak);
    cells.push_back(Cell{nullptr, {}, bar(fraction, kBarWidth), false});
    report.add_row(std::move(cells));
  }

  nlohmann::ordered_json doc;
  doc["file"] = to_display_text(options.file);
  doc["window"] = window_s;
  doc["window_ns"] = *window_ns;
  doc["local"] = local->texts();
  doc["rows"] = report.json();
  std::string before;
  if (directed)
    before = fmt::format("Local: {} (up = from local, down = to local)\n",
                         fmt::join(local->texts(), " "));
  std::string after =
      fmt::format("{} windows of {} s, from the first frame\n", rows.size(), shortest_text(window_s));
  if (!rows.empty()) {
    // A sparkline of bytes per window; long captures show each cell's busiest window.
    const std::size_t per_cell = (rows.size() + kSparkWidth - 1) / kSparkWidth;
    std::string line;
    for (std::size_t i = 0; i < rows.size(); i += per_cell) {
      std::uint64_t most = 0;
      for (std::size_t j = i; j < std::min(rows.size(), i + per_cell); ++j)
        most = std::max(most, rows[j].bytes);
      line += spark(peak == 0 ? 0 : static_cast<double>(most) / static_cast<double>(peak));
    }
    after += fmt::format("bytes: {} (peak {}/s)\n", line,
                         si_units(static_cast<double>(peak) / window_s, "B"));
  }
  return print_report(options.output, report, doc, before, after);
}

}  // namespace

Action add_rates_command(CLI::App& app) {
  auto options = std::make_shared<RatesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "rates", "Bytes/s, bits/s and packets/s per time window (the lab's send_rates)");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  cmd->add_option("--window", options->window,
                  "Window length: 1s, 500ms, 2m, 1h, or seconds (0.25)")
      ->capture_default_str();
  cmd->add_option("--local", options->local,
                  "Local address or prefix for upload/download columns; repeat for several")
      ->allow_extra_args(false);
  add_input_options(cmd, options->input);
  add_output_options(cmd, options->output);
  cmd->footer(
      "Windows start at the first frame's time and follow each other without gaps; empty "
      "windows are listed with zeros. Rates are the window's sums divided by its length; bytes "
      "are wire lengths. Upload: frames from a local address to a non-local one; download: "
      "the reverse.");
  return [options] { return run_rates(*options); };
}

}  // namespace pcapframe::cli
