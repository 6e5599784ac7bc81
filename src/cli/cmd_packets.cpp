// SPDX-License-Identifier: MIT
// `pcapframe packets FILE`: one row per frame as an aligned table, CSV or JSON lines.
#include <fmt/format.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "input.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/export.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe::cli {

namespace {

// Rows decoded before they are written: bounded memory whatever the capture's size.
constexpr std::size_t kBatchRows = 65536;

struct PacketsOptions {
  std::string file;
  std::string format = "table";
  std::string columns = "lab";
  std::uint64_t limit = 0;
  InputOptions input;
  bool utc = false;
  bool raw_formulas = false;
};

// "lab" (the 18 helper columns), "all", or a comma-separated list of names.
Result<std::vector<Column>> parse_columns(const std::string& spec) {
  std::vector<Column> columns;
  if (spec == "lab" || spec == "all") {
    for (const ColumnSpec& c : kPacketSchema)
      if (c.lab || spec == "all") columns.push_back(c.column);
    return columns;
  }
  std::stringstream list(spec);
  std::string name;
  while (std::getline(list, name, ',')) {
    const auto column = find_column(name);
    if (!column) {
      std::string known;
      for (const ColumnSpec& c : kPacketSchema) known += (known.empty() ? "" : ", ") + std::string(c.name);
      return unexpected({ErrorCode::InvalidArgument, 0, 0,
                         fmt::format("unknown column '{}' (known: lab, all, {})", name, known)});
    }
    columns.push_back(*column);
  }
  if (columns.empty()) return unexpected({ErrorCode::InvalidArgument, 0, 0, "no columns given"});
  return columns;
}

ColumnSelection selection_of(const std::vector<Column>& columns) {
  ColumnSelection s;
  for (const Column c : columns) s.set(static_cast<std::size_t>(c));
  return s;
}

int run_packets(const PacketsOptions& options) {
  auto columns = parse_columns(options.columns);
  if (!columns) {
    print_error(columns.error().message);
    return kExitUsage;
  }
  auto reader = CaptureReader::open(options.file, capture_options(options.input));
  if (!reader) {
    print_error(to_display_text(reader.error().message));
    return exit_code_for(reader.error());
  }
  RowWriterOptions writer_options;
  writer_options.format = options.format == "csv"     ? RowFormat::Csv
                          : options.format == "jsonl" ? RowFormat::Jsonl
                                                      : RowFormat::Table;
  writer_options.columns = *columns;
  writer_options.time_zone = options.utc ? TimeZoneMode::Utc : TimeZoneMode::Local;
  writer_options.time_digits = reader->info().nanosecond ? 9 : 6;
  writer_options.inert_formulas = !options.raw_formulas;
  RowWriter writer(stdout, writer_options);
  TableBuilder builder(selection_of(*columns));

  Progress progress(options.input, reader->info().size);
  Record record;
  PacketFields fields;
  std::uint64_t rows = 0;
  const auto flush = [&]() -> bool {
    if (auto written = writer.write(builder.finish()); !written) {
      print_error(written.error().message);
      return false;
    }
    return true;
  };
  while ((options.limit == 0 || rows < options.limit) && reader->next(record)) {
    decode_frame(record.link, record.bytes, fields);
    builder.add(record, fields);
    ++rows;
    if (builder.rows() == kBatchRows && !flush()) return kExitBadInput;
    progress.tick(reader->bytes_consumed(), rows);
  }
  if (!flush()) return kExitBadInput;
  if (auto finished = writer.finish(); !finished) {
    print_error(finished.error().message);
    return kExitBadInput;
  }
  for (const Error& w : reader->warnings()) print_warning(to_display_text(w.message));
  if (reader->error()) {
    print_error(to_display_text(reader->error()->message));
    return exit_code_for(*reader->error());
  }
  return kExitOk;
}

}  // namespace

Action add_packets_command(CLI::App& app) {
  auto options = std::make_shared<PacketsOptions>();
  CLI::App* cmd = app.add_subcommand("packets", "Print one row per frame with the packet schema's columns");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  cmd->add_option("--format", options->format, "Output format")
      ->check(CLI::IsMember({"table", "csv", "jsonl"}))
      ->capture_default_str();
  cmd->add_option("--columns", options->columns,
                  "Columns: 'lab' (the lab helper's 18), 'all', or a comma-separated list")
      ->capture_default_str();
  cmd->add_option("--limit", options->limit, "Stop after this many rows (0: no limit)");
  add_input_options(cmd, options->input);
  cmd->add_flag("--utc", options->utc, "Write the datetime column in UTC instead of local time");
  cmd->add_flag("--raw-formulas", options->raw_formulas,
                "CSV: leave cells starting with = + - @ as they are (by default they get a leading ')");
  return [options] { return run_packets(*options); };
}

}  // namespace pcapframe::cli
