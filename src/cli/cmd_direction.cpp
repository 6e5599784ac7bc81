// SPDX-License-Identifier: MIT
// `pcapframe direction FILE`: upload vs download for a local host, given with --local or
// found automatically (the private address in the most frames). One streaming pass.
#include <fmt/format.h>

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

struct DirectionOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  std::vector<std::string> local;
};

std::string joined(const std::vector<std::string>& texts, std::string_view separator) {
  std::string out;
  for (const std::string& t : texts) out += (out.empty() ? "" : std::string(separator)) + t;
  return out;
}

int run_direction(const DirectionOptions& options) {
  std::optional<AddressMatcher> local = parse_local(options.local);
  if (!local) return kExitUsage;
  DirectionAnalysis analysis(std::move(*local));
  const int read = read_capture(
      options.file, options.input,
      [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); });
  if (read != kExitOk) return read;
  const DirectionResult r = analysis.finish();

  const std::uint64_t total_bytes =
      r.upload_bytes + r.download_bytes + r.local_bytes + r.other_bytes;
  const std::uint64_t total_packets =
      r.upload_packets + r.download_packets + r.local_packets + r.other_packets;
  const std::string local_text = joined(r.local, " ");
  const std::string how = r.local.empty() ? "no private address in the capture: nothing is local"
                          : r.automatic
                              ? "found automatically: the private address in the most frames"
                              : "given with --local";

  // CSV: one wide row, so a spreadsheet gets every number of a capture on one line.
  Report wide({{"local", Align::Left},
               {"automatic", Align::Left},
               {"upload_packets", Align::Right},
               {"upload_bytes", Align::Right},
               {"download_packets", Align::Right},
               {"download_bytes", Align::Right},
               {"local_packets", Align::Right},
               {"local_bytes", Align::Right},
               {"other_packets", Align::Right},
               {"other_bytes", Align::Right}});
  wide.add_row({plain_text(local_text),
                Cell{r.automatic, r.automatic ? "true" : "false", "", false},
                count(r.upload_packets), count(r.upload_bytes), count(r.download_packets),
                count(r.download_bytes), count(r.local_packets), count(r.local_bytes),
                count(r.other_packets), count(r.other_bytes)});
  if (options.output.csv) return print_report(options.output, wide, {});

  Report table({{"direction", Align::Left},
                {"packets", Align::Right},
                {"bytes", Align::Right},
                {"percent", Align::Right, "share of bytes"},
                {"meaning", Align::Left}});
  const auto add = [&](std::string name, std::uint64_t packets, std::uint64_t bytes,
                       std::string meaning) {
    const double percent =
        total_bytes == 0 ? 0
                         : 100.0 * static_cast<double>(bytes) / static_cast<double>(total_bytes);
    table.add_row({plain_text(std::move(name)), count(packets), byte_count(bytes),
                   real(percent, fmt::format("{:.1f}%", percent)), plain_text(std::move(meaning))});
  };
  add("upload", r.upload_packets, r.upload_bytes, "local -> elsewhere");
  add("download", r.download_packets, r.download_bytes, "elsewhere -> local");
  add("local", r.local_packets, r.local_bytes, "local -> local");
  add("other", r.other_packets, r.other_bytes, "neither end local, or no IP");

  nlohmann::ordered_json doc;
  doc["file"] = to_display_text(options.file);
  doc["local"] = r.local;
  doc["automatic"] = r.automatic;
  doc["upload"] = {{"packets", r.upload_packets}, {"bytes", r.upload_bytes}};
  doc["download"] = {{"packets", r.download_packets}, {"bytes", r.download_bytes}};
  doc["local_to_local"] = {{"packets", r.local_packets}, {"bytes", r.local_bytes}};
  doc["other"] = {{"packets", r.other_packets}, {"bytes", r.other_bytes}};
  doc["total"] = {{"packets", total_packets}, {"bytes", total_bytes}};
  const std::string before =
      fmt::format("Local host: {} ({})\n\n", local_text.empty() ? "none" : local_text, how);
  const std::string after =
      fmt::format("\nTotal: {} in {} frames\n", si_units(static_cast<double>(total_bytes), "B"),
                  with_thousands(total_packets));
  return print_report(options.output, table, doc, before, after);
}

}  // namespace

Action add_direction_command(CLI::App& app) {
  auto options = std::make_shared<DirectionOptions>();
  CLI::App* cmd = app.add_subcommand(
      "direction", "Upload vs download for a local host, given or found automatically");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  cmd->add_option(
         "--local", options->local,
         "Local address or prefix (192.168.1.58, 10.0.0.0/8, fd77::/64); repeat for several. "
         "Default: the private address that appears in the most frames")
      ->allow_extra_args(false);
  add_input_options(cmd, options->input);
  add_output_options(cmd, options->output);
  cmd->footer(
      "Upload: frames from a local address to a non-local one; download: the reverse; local: "
      "both ends local; other: neither end local, or no IP layer. Bytes are wire lengths. "
      "Private means RFC 1918, RFC 4193 (fc00::/7), link-local and loopback addresses.");
  return [options] { return run_direction(*options); };
}

}  // namespace pcapframe::cli
