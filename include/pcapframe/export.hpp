// SPDX-License-Identifier: MIT
// Exporters: packet rows as CSV, JSON lines or an aligned table, and the one place where
// text taken from packets is escaped for each output.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "pcapframe/schema.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe {

/// Render packet-derived bytes as safe display text: valid UTF-8 with no control
/// characters. Printable ASCII and well-formed non-control UTF-8 pass through; a backslash
/// becomes `\\`; every other byte (controls, DEL, C1 controls, invalid UTF-8) becomes
/// `\xNN`. The same display text is then quoted per format, so every output shows the same.
std::string to_display_text(std::string_view raw);

/// Append `text` as one RFC 4180 CSV cell (quoted when it holds `,` `"` CR or LF). With
/// `inert_formulas`, a cell starting with `=`, `+`, `-`, `@`, TAB or CR gets a leading `'` so
/// spreadsheets do not run it (OWASP "CSV injection").
void append_csv_cell(std::string& out, std::string_view text, bool inert_formulas);

/// Append `text` (valid UTF-8) as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view text);

/// Append `text` (display text: valid UTF-8 without controls) for an HTML document, as element
/// content or inside a double- or single-quoted attribute value: `&` `<` `>` `"` `'` become
/// character references (`&amp;` `&lt;` `&gt;` `&quot;` `&#39;`), everything else is kept.
void append_html_text(std::string& out, std::string_view text);

/// Time zone used for the datetime column.
enum class TimeZoneMode : std::uint8_t { Local, Utc };

/// Format nanoseconds since the epoch as "YYYY-MM-DD HH:MM:SS.ffffff" (`digits` 0, 6 or 9).
/// Local time follows the TZ environment like datetime.fromtimestamp(); offsets are
/// cached per quarter hour, so the C library is asked once per period, not per row.
class DatetimeFormatter {
 public:
  explicit DatetimeFormatter(TimeZoneMode mode = TimeZoneMode::Local, int digits = 6);
  void append(std::string& out, std::int64_t ts_ns);
  /// Offset from UTC in seconds at `utc_seconds` (0 in UTC mode).
  std::int64_t utc_offset_s(std::int64_t utc_seconds);

 private:
  TimeZoneMode mode_;
  int digits_;
  std::int64_t cached_slot_ = INT64_MIN;
  std::int64_t cached_offset_s_ = 0;
};

/// Append `ts_ns` as seconds with `digits` decimals ("1598018810.956640"), exactly.
void append_seconds(std::string& out, std::int64_t ts_ns, int digits);

/// The shortest text that reads back as the same double ("1", "0.1", "99.9"): numbers in CSV
/// and JSON, and the names of percentiles ("p99.9") in the CLI and Python alike.
std::string shortest_text(double value);

enum class RowFormat : std::uint8_t { Table, Csv, Jsonl };

struct RowWriterOptions {
  RowFormat format = RowFormat::Table;
  std::vector<Column> columns;       // in output order; empty = every column
  TimeZoneMode time_zone = TimeZoneMode::Local;
  int time_digits = 6;               // 6 for microsecond captures, 9 for nanosecond ones
  bool inert_formulas = true;        // CSV only
};

/// Write packet rows, batch by batch, to a stdio stream.
class RowWriter {
 public:
  RowWriter(std::FILE* out, RowWriterOptions options);
  ~RowWriter();
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;

  /// Write every row of `batch`. The first call writes the header (CSV, table).
  /// Fails with Io when the stream refuses the bytes (a closed pipe, a full disk).
  [[nodiscard]] Result<void> write(const PacketTable& batch);
  /// Flush what is buffered.
  [[nodiscard]] Result<void> finish();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pcapframe
