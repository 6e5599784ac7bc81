// SPDX-License-Identifier: MIT
#include "output.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "human.hpp"

namespace pcapframe::cli {

void add_output_options(CLI::App* command, OutputOptions& options) {
  auto* csv = command->add_flag("--csv", options.csv, "Print CSV (RFC 4180, with a header row)");
  auto* json = command->add_flag("--json", options.json, "Print JSON");
  csv->excludes(json);
  command->add_flag("--utc", options.utc, "Show times in UTC instead of the local time zone");
  command->add_flag(
      "--raw-formulas", options.raw_formulas,
      "CSV: leave text cells starting with = + - @ as they are (by default they get a leading ')");
}

Cell packet_text(std::string_view raw) {
  std::string text = to_display_text(raw);
  return Cell{text, text, text, true};
}

Cell packet_text_list(const std::vector<std::string>& raw, std::string empty) {
  nlohmann::ordered_json json = nlohmann::ordered_json::array();
  std::string csv, table;
  for (const std::string& item : raw) {
    const std::string text = to_display_text(item);
    json.push_back(text);
    csv += (csv.empty() ? "" : "|") + text;
    table += (table.empty() ? "" : ", ") + text;
  }
  return Cell{std::move(json), std::move(csv), raw.empty() ? std::move(empty) : std::move(table),
              true};
}

Cell plain_text(std::string text) { return Cell{text, text, text, true}; }

Cell missing(std::string table) { return Cell{nullptr, {}, std::move(table), false}; }

Cell count(std::uint64_t value) {
  return Cell{value, std::to_string(value), with_thousands(value), false};
}

Cell byte_count(std::uint64_t value) {
  return Cell{value, std::to_string(value), si_units(static_cast<double>(value), "B"), false};
}

Cell real(double value, std::string table) {
  if (!std::isfinite(value)) return missing(std::move(table));
  return Cell{value, shortest_text(value), std::move(table), false};
}

std::string seconds_text(std::int64_t ns, int digits) {
  std::string out;
  append_seconds(out, ns, digits);
  return out;
}

Cell seconds(std::int64_t ns, int digits, std::string table) {
  std::string text = seconds_text(ns, digits);
  // The JSON number is the double nearest to the exact decimal (strtod rounds correctly).
  const double value = std::strtod(text.c_str(), nullptr);
  return Cell{value, std::move(text), std::move(table), false};
}

std::string datetime_text(std::int64_t ts_ns, bool utc, int digits) {
  std::string out;
  DatetimeFormatter(utc ? TimeZoneMode::Utc : TimeZoneMode::Local, digits).append(out, ts_ns);
  return out;
}

std::size_t display_width(std::string_view text) {
  std::size_t width = 0;
  for (const char c : text) width += (static_cast<unsigned char>(c) & 0xc0) != 0x80;
  return width;
}

void Report::add_row(std::vector<Cell> cells) {
  cells.resize(columns_.size(), missing());
  rows_.push_back(std::move(cells));
}

std::string Report::table(std::string_view indent) const {
  std::vector<std::size_t> shown;
  for (std::size_t c = 0; c < columns_.size(); ++c)
    if (columns_[c].show != Show::MachineOnly) shown.push_back(c);
  const auto title = [&](std::size_t c) -> const std::string& {
    return columns_[c].title.empty() ? columns_[c].name : columns_[c].title;
  };
  std::vector<std::size_t> width(columns_.size(), 0);
  for (const std::size_t c : shown) {
    width[c] = display_width(title(c));
    for (const auto& row : rows_) width[c] = std::max(width[c], display_width(row[c].table));
  }
  std::string out;
  const auto line = [&](const auto& text_of) {
    std::string text(indent);
    for (std::size_t i = 0; i < shown.size(); ++i) {
      const std::size_t c = shown[i];
      const std::string& cell = text_of(c);
      const std::size_t pad = width[c] - display_width(cell);
      if (i > 0) text += "  ";
      if (columns_[c].align == Align::Right) text.append(pad, ' ');
      text += cell;
      if (columns_[c].align == Align::Left && i + 1 < shown.size()) text.append(pad, ' ');
    }
    while (!text.empty() && text.back() == ' ') text.pop_back();
    out += text;
    out += '\n';
  };
  line(title);
  for (const auto& row : rows_)
    line([&](std::size_t c) -> const std::string& { return row[c].table; });
  return out;
}

std::string Report::csv(bool inert_formulas) const {
  std::string out;
  const auto end_row = [&] { out += '\n'; };  // LF, as `packets --format csv` writes
  bool first = true;
  for (const Column& column : columns_) {
    if (column.show == Show::TableOnly) continue;
    if (!first) out += ',';
    append_csv_cell(out, column.name, false);
    first = false;
  }
  end_row();
  for (const auto& row : rows_) {
    first = true;
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (columns_[c].show == Show::TableOnly) continue;
      if (!first) out += ',';
      append_csv_cell(out, row[c].csv, inert_formulas && row[c].is_text);
      first = false;
    }
    end_row();
  }
  return out;
}

nlohmann::ordered_json Report::json() const {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const auto& row : rows_) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < columns_.size(); ++c)
      if (columns_[c].show != Show::TableOnly) object[columns_[c].name] = row[c].json;
    rows.push_back(std::move(object));
  }
  return rows;
}

bool write_stdout(std::string_view text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    print_error(fmt::format("cannot write the output: {}", std::strerror(errno)));
    return false;
  }
  return true;
}

int print_report(const OutputOptions& options, const Report& report,
                 const nlohmann::ordered_json& doc, const std::string& before,
                 const std::string& after) {
  std::string text;
  switch (output_format(options)) {
    case OutputFormat::Csv:
      text = report.csv(!options.raw_formulas);
      break;
    case OutputFormat::Json:
      text = doc.dump(2) + "\n";
      break;
    case OutputFormat::Table:
      text = before + report.table() + after;
      break;
  }
  return write_stdout(text) ? kExitOk : kExitBadInput;
}

std::optional<AddressMatcher> parse_local(const std::vector<std::string>& texts) {
  AddressMatcher local;
  for (const std::string& text : texts) {
    if (auto added = local.add(text); !added) {
      print_error("--local: " + added.error().message);
      return std::nullopt;
    }
  }
  return local;
}

std::optional<std::int64_t> parse_duration_ns(std::string_view text) {
  // Split "12.5ms" into the number and its unit.
  std::size_t split = 0;
  while (split < text.size() && ((text[split] >= '0' && text[split] <= '9') || text[split] == '.'))
    ++split;
  const std::string_view number = text.substr(0, split);
  const std::string_view unit = text.substr(split);
  struct Unit {
    std::string_view name;
    std::int64_t ns;
  };
  static constexpr std::array<Unit, 11> kUnits{{{"", 1'000'000'000},
                                                {"s", 1'000'000'000},
                                                {"sec", 1'000'000'000},
                                                {"ms", 1'000'000},
                                                {"us", 1'000},
                                                {"\xc2\xb5s", 1'000},  // µs
                                                {"ns", 1},
                                                {"m", 60'000'000'000},
                                                {"min", 60'000'000'000},
                                                {"h", 3'600'000'000'000},
                                                {"d", 86'400'000'000'000}}};
  const auto found =
      std::find_if(kUnits.begin(), kUnits.end(), [&](const Unit& u) { return u.name == unit; });
  if (found == kUnits.end() || number.empty()) return std::nullopt;
  const std::size_t dot = number.find('.');
  const std::string_view whole = number.substr(0, dot);
  const std::string_view fraction =
      dot == std::string_view::npos ? std::string_view{} : number.substr(dot + 1);
  if (fraction.find('.') != std::string_view::npos || (whole.empty() && fraction.empty()))
    return std::nullopt;
  // value = whole * unit + fraction * unit, in checked integers; digits finer than a
  // nanosecond are cut.
  std::int64_t total = 0;
  for (const char c : whole) {
    if (__builtin_mul_overflow(total, 10, &total) || __builtin_add_overflow(total, c - '0', &total))
      return std::nullopt;
  }
  if (__builtin_mul_overflow(total, found->ns, &total)) return std::nullopt;
  std::int64_t scale = found->ns;
  for (const char c : fraction) {
    if (scale % 10 != 0) break;
    scale /= 10;
    if (__builtin_add_overflow(total, (c - '0') * scale, &total)) return std::nullopt;
  }
  if (total <= 0) return std::nullopt;
  return total;
}

std::string bar(double fraction, int width) {
  static constexpr std::array<const char*, 8> kEighths{"",       "\u258f", "\u258e", "\u258d",
                                                       "\u258c", "\u258b", "\u258a", "\u2589"};
  fraction = std::clamp(fraction, 0.0, 1.0);
  const auto eighths = static_cast<long>(std::lround(fraction * width * 8));
  std::string out;
  for (long i = 0; i < eighths / 8; ++i) out += "\u2588";
  out += kEighths[static_cast<std::size_t>(eighths % 8)];
  return out;
}

std::string spark(double fraction) {
  static constexpr std::array<const char*, 8> kLevels{"\u2581", "\u2582", "\u2583", "\u2584",
                                                      "\u2585", "\u2586", "\u2587", "\u2588"};
  fraction = std::clamp(fraction, 0.0, 1.0);
  if (fraction == 0) return " ";
  const auto level = static_cast<std::size_t>(std::min(7.0, std::ceil(fraction * 8) - 1));
  return kLevels[level];
}

}  // namespace pcapframe::cli
