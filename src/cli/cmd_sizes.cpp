// SPDX-License-Identifier: MIT
// `pcapframe sizes FILE`: frame-size statistics (min, median, mean, max, percentiles) and a
// histogram with numpy's bin rules, drawn as bars on the terminal. One streaming pass.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <vector>

#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "output.hpp"
#include "pcapframe/analysis.hpp"

namespace pcapframe::cli {

namespace {

constexpr int kBarWidth = 40;
constexpr std::size_t kMaxBins = 100'000;

struct SizesOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  std::string bins = "10";
  std::string list = "histogram";
};

struct Bins {
  std::vector<double> edges;  // explicit edges, or empty
  std::size_t count = 10;     // equal bins when `edges` is empty
};

// "N" (equal bins over [min, max]) or "e0,e1,...,en" (strictly ascending edges).
Result<Bins> parse_bins(const std::string& text) {
  const auto bad = [&](const std::string& why) {
    return unexpected(
        {ErrorCode::InvalidArgument, 0, 0, fmt::format("--bins '{}': {}", text, why)});
  };
  Bins bins;
  if (text.find(',') == std::string::npos) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), bins.count);
    if (ec != std::errc() || end != text.data() + text.size() || bins.count == 0 ||
        bins.count > kMaxBins)
      return bad(fmt::format("give a number of bins (1 to {}) or comma-separated edges", kMaxBins));
    return bins;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string item = text.substr(start, comma - start);
    double edge = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), edge);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !std::isfinite(edge))
      return bad(fmt::format("'{}' is not a number", item));
    if (!bins.edges.empty() && edge <= bins.edges.back()) return bad("edges must increase");
    bins.edges.push_back(edge);
    start = comma + 1;
  }
  if (bins.edges.size() < 2 || bins.edges.size() > kMaxBins) return bad("give at least two edges");
  return bins;
}

std::string bin_label(const SizeBin& bin, bool last) {
  return fmt::format("[{:g}, {:g}{}", bin.low, bin.high, last ? "]" : ")");  // display only
}

int run_sizes(const SizesOptions& options) {
  auto bins = parse_bins(options.bins);
  if (!bins) {
    print_error(bins.error().message);
    return kExitUsage;
  }
  SizesAnalysis analysis(bins->edges, bins->count);
  const int read = read_capture(
      options.file, options.input,
      [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); });
  if (read != kExitOk) return read;
  const SizeReport r = analysis.finish();

  Report stats({{"statistic", Align::Left}, {"value", Align::Right}});
  const auto stat = [&](std::string name, double value, std::string table) {
    stats.add_row({plain_text(std::move(name)), real(value, std::move(table))});
  };
  stats.add_row({plain_text("packets"), count(r.packets)});
  if (r.packets > 0) {
    stats.add_row({plain_text("min"), count(r.min)});
    stats.add_row({plain_text("max"), count(r.max)});
    stat("mean", r.mean, fmt::format("{:.1f}", r.mean));
    stat("median", r.median, shortest_text(r.median));
    for (const auto& [q, value] : r.percentiles)
      stat(fmt::format("p{}", shortest_text(q)), value, shortest_text(value));
  }

  Report histogram({{"low", Align::Right, "", Show::MachineOnly},
                    {"high", Align::Right, "", Show::MachineOnly},
                    {"bin", Align::Left, "bytes", Show::TableOnly},
                    {"packets", Align::Right},
                    {"percent", Align::Right, "share"},
                    {"bar", Align::Left, "", Show::TableOnly}});
  std::uint64_t peak = 0;
  for (const SizeBin& bin : r.histogram) peak = std::max(peak, bin.packets);
  for (std::size_t i = 0; i < r.histogram.size(); ++i) {
    const SizeBin& bin = r.histogram[i];
    const double percent =
        r.packets == 0 ? 0
                       : 100.0 * static_cast<double>(bin.packets) / static_cast<double>(r.packets);
    const double fraction =
        peak == 0 ? 0 : static_cast<double>(bin.packets) / static_cast<double>(peak);
    histogram.add_row({real(bin.low, shortest_text(bin.low)), real(bin.high, shortest_text(bin.high)),
                       plain_text(bin_label(bin, i + 1 == r.histogram.size())), count(bin.packets),
                       real(percent, fmt::format("{:.1f}%", percent)),
                       Cell{nullptr, {}, bar(fraction, kBarWidth), false}});
  }

  if (options.output.csv)
    return print_report(options.output, options.list == "stats" ? stats : histogram, {});

  nlohmann::ordered_json doc;
  doc["file"] = to_display_text(options.file);
  doc["packets"] = r.packets;
  if (r.packets > 0) {
    doc["min"] = r.min;
    doc["max"] = r.max;
    doc["mean"] = r.mean;
    doc["median"] = r.median;
  } else {
    doc["min"] = doc["max"] = doc["mean"] = doc["median"] = nullptr;
  }
  nlohmann::ordered_json percentiles = nlohmann::ordered_json::object();
  for (const auto& [q, value] : r.percentiles) percentiles["p" + shortest_text(q)] = value;
  doc["percentiles"] = percentiles;
  doc["histogram"] = histogram.json();
  if (options.output.json) return print_report(options.output, histogram, doc);

  std::string text;
  if (r.packets == 0) {
    text = "No frames.\n";
  } else {
    text += fmt::format("Frames: {}; size min {}, median {}, mean {:.1f}, max {} bytes\n",
                        with_thousands(r.packets), r.min, shortest_text(r.median), r.mean, r.max);
    std::string pcts;
    for (const auto& [q, value] : r.percentiles)
      pcts += fmt::format("{}p{} {}", pcts.empty() ? "" : ", ", shortest_text(q), shortest_text(value));
    text += "Percentiles: " + pcts + "\n\n";
    text += histogram.table();
    std::uint64_t binned = 0;
    for (const SizeBin& bin : r.histogram) binned += bin.packets;
    if (binned != r.packets)
      text +=
          fmt::format("({} frames fall outside the bins)\n", with_thousands(r.packets - binned));
  }
  return write_stdout(text) ? kExitOk : kExitBadInput;
}

}  // namespace

Action add_sizes_command(CLI::App& app) {
  auto options = std::make_shared<SizesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sizes", "Frame sizes: min, median, mean, max, percentiles and a histogram");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  cmd->add_option("--bins", options->bins,
                  "Histogram bins: a count of equal bins over [min, max] (10), or edges such as "
                  "0,64,128,256,512,1024,1519")
      ->capture_default_str();
  cmd->add_option("--list", options->list, "With --csv: which table to write")
      ->check(CLI::IsMember({"histogram", "stats"}))
      ->capture_default_str();
  add_input_options(cmd, options->input);
  add_output_options(cmd, options->output);
  cmd->footer(
      "Sizes are wire lengths (the lab's `length`). Quantiles interpolate linearly, as pandas' "
      "quantile() and numpy.percentile() do. Bins follow numpy.histogram: [low, high), the last "
      "bin closed; frames outside the edges are not counted in any bin.");
  return [options] { return run_sizes(*options); };
}

}  // namespace pcapframe::cli
