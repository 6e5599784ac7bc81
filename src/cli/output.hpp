// SPDX-License-Identifier: MIT
// What the analysis subcommands share: --csv/--json/--utc, one table model rendered as an
// aligned table, RFC 4180 CSV or JSON, durations on the command line, and the read loop.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "input.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/export.hpp"
#include "pcapframe/names.hpp"

namespace pcapframe::cli {

/// How an analysis subcommand prints: an aligned table (default), CSV or JSON.
struct OutputOptions {
  bool csv = false;
  bool json = false;
  bool utc = false;
  bool raw_formulas = false;
};

enum class OutputFormat : std::uint8_t { Table, Csv, Json };

/// Register --csv, --json (mutually exclusive), --utc and --raw-formulas on `command`.
void add_output_options(CLI::App* command, OutputOptions& options);
inline OutputFormat output_format(const OutputOptions& o) {
  return o.csv ? OutputFormat::Csv : o.json ? OutputFormat::Json : OutputFormat::Table;
}

/// One cell of a report: the exact value for JSON and CSV, and the text people read in the
/// table. Packet-derived text enters only through packet_text() (to_display_text).
struct Cell {
  nlohmann::ordered_json json;  // null when missing
  std::string csv;              // the CSV cell before quoting; empty when missing
  std::string table;            // the aligned table's text
  bool is_text = false;         // CSV: may need the formula guard
};

/// Text taken from packets (DNS names): escaped once, shown the same in every format.
Cell packet_text(std::string_view raw);
/// Texts taken from packets (DNS names, answers): a JSON array, joined by "|" in CSV and by
/// ", " in the table, where an empty list shows `empty`.
Cell packet_text_list(const std::vector<std::string>& raw, std::string empty);
/// Text pcapframe makes itself (addresses, protocol names, statuses).
Cell plain_text(std::string text);
/// A missing value: null in JSON, empty in CSV, `table` (default "-") in the table.
Cell missing(std::string table = "-");
/// A count: exact everywhere, with thousands separators in the table.
Cell count(std::uint64_t value);
/// A byte count: exact in CSV/JSON, SI units in the table ("2.1 MB").
Cell byte_count(std::uint64_t value);
/// A floating-point value: shortest round-trip text in CSV/JSON, `table` in the table.
Cell real(double value, std::string table);
/// Seconds from nanoseconds, exact (`digits` decimals) in CSV, a number in JSON.
Cell seconds(std::int64_t ns, int digits, std::string table);

enum class Align : std::uint8_t { Left, Right };
/// Where a column appears.
enum class Show : std::uint8_t { Everywhere, TableOnly, MachineOnly };

struct Column {
  Column(std::string name_, Align align_ = Align::Left, std::string title_ = {},
         Show show_ = Show::Everywhere)
      : name(std::move(name_)), align(align_), title(std::move(title_)), show(show_) {}
  std::string name;  // CSV header and JSON key
  Align align;
  std::string title;  // table header (default: name)
  Show show;
};

/// Rows with named columns, rendered three ways.
class Report {
 public:
  explicit Report(std::vector<Column> columns) : columns_(std::move(columns)) {}
  void add_row(std::vector<Cell> cells);
  [[nodiscard]] std::size_t rows() const noexcept { return rows_.size(); }
  [[nodiscard]] bool empty() const noexcept { return rows_.empty(); }

  /// Header and rows, columns two spaces apart, numbers right-aligned, `indent` before each line.
  [[nodiscard]] std::string table(std::string_view indent = "") const;
  /// RFC 4180 quoting with a header row; LF line ends, like `packets --format csv`.
  [[nodiscard]] std::string csv(bool inert_formulas) const;
  /// An array of objects keyed by column name.
  [[nodiscard]] nlohmann::ordered_json json() const;

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<Cell>> rows_;
};

/// Display width of UTF-8 text: its code points (good enough for names and addresses).
std::size_t display_width(std::string_view text);

/// Print `text` to stdout. On failure (a closed pipe, a full disk) print why and return false.
bool write_stdout(std::string_view text);
/// Print a report per --csv/--json/table, with `doc` as the JSON document (rows already in
/// it) and `before`/`after` as the table's surrounding lines. Return the exit code.
int print_report(const OutputOptions& options, const Report& report,
                 const nlohmann::ordered_json& doc, const std::string& before = {},
                 const std::string& after = {});

/// The addresses and prefixes given with --local, as a matcher. On a bad one, print why and
/// return nullopt (a usage error).
std::optional<AddressMatcher> parse_local(const std::vector<std::string>& texts);

/// Parse a duration: "1s", "500ms", "2m", "1h", "250us", "100ns", or plain seconds ("0.25").
/// Exact decimal arithmetic; nullopt when malformed, not positive, or beyond ~292 years.
std::optional<std::int64_t> parse_duration_ns(std::string_view text);

/// Seconds as exact decimal text ("12.000500" with 6 digits).
std::string seconds_text(std::int64_t ns, int digits);
/// A timestamp as "YYYY-MM-DD HH:MM:SS.ffffff", local or UTC.
std::string datetime_text(std::int64_t ts_ns, bool utc, int digits);

/// A text bar of `fraction` (0..1) of `width` cells, in eighths (U+2588 blocks).
std::string bar(double fraction, int width);
/// One sparkline character (U+2581..U+2588) for `fraction` (0..1).
std::string spark(double fraction);

/// Decimals for times of a capture: 9 for nanosecond files, 6 otherwise.
inline int time_digits(const CaptureInfo& info) { return info.nanosecond ? 9 : 6; }

/// Read `path` once, decoding every frame and handing it to `consume(record, fields)`.
/// Prints the reader's warnings. Return kExitOk, or (after printing the error) its exit code.
/// `info` and `name_records` (pcapng Name Resolution Blocks) are filled when given.
template <class Consume>
int read_capture(const std::string& path, const InputOptions& input, Consume&& consume,
                 CaptureInfo* info = nullptr, std::vector<NameRecord>* name_records = nullptr) {
  auto reader = CaptureReader::open(path, capture_options(input));
  if (!reader) {
    print_error(to_display_text(reader.error().message));
    return exit_code_for(reader.error());
  }
  for_each_frame(*reader, input, reader->info().size, consume);
  for (const Error& w : reader->warnings()) print_warning(to_display_text(w.message));
  if (reader->error()) {
    print_error(to_display_text(reader->error()->message));
    return exit_code_for(*reader->error());
  }
  if (info != nullptr) *info = reader->info();
  if (name_records != nullptr) *name_records = reader->name_records();
  return kExitOk;
}

}  // namespace pcapframe::cli
