// SPDX-License-Identifier: MIT
// The escaping of packet text: to_display_text gives valid UTF-8 with no C0/C1 control, DEL,
// line separator or bidi override, and loses nothing (it can be undone); the JSON string of it
// parses back (a strict parser written here), and so do its RFC 4180 CSV cell (with and
// without the formula guard) and its HTML text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "pcapframe/export.hpp"

namespace {

// Decode strict UTF-8 (RFC 3629) into code points; nullopt if malformed.
std::optional<std::vector<std::uint32_t>> code_points(std::string_view s) {
  std::vector<std::uint32_t> out;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return std::nullopt;
    std::uint32_t cp = n == 1 ? b : b & (0x7fu >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) return std::nullopt;
      cp = cp << 6 | (c & 0x3fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return std::nullopt;
    out.push_back(cp);
    i += n;
  }
  return out;
}

// Code points that must never reach a terminal raw.
bool is_forbidden(std::uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029 ||
         (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Undo to_display_text: "\\" is a backslash, "\xNN" a byte.
std::optional<std::string> undo_display(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '\\') {
      out += '\\';
      ++i;
    } else if (i + 3 < text.size() && text[i + 1] == 'x' && hex_value(text[i + 2]) >= 0 &&
               hex_value(text[i + 3]) >= 0) {
      out += static_cast<char>(hex_value(text[i + 2]) << 4 | hex_value(text[i + 3]));
      i += 3;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | cp >> 12);
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | cp >> 18);
    out += static_cast<char>(0x80 | (cp >> 12 & 0x3f));
    out += static_cast<char>(0x80 | (cp >> 6 & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

// Parse one JSON string literal (RFC 8259 §7) that must fill `text` exactly.
std::optional<std::string> parse_json_string(std::string_view text) {
  if (!code_points(text) || text.size() < 2 || text.front() != '"' || text.back() != '"')
    return std::nullopt;
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == '"') return std::nullopt;  // raw control, or a quote ending early
    if (c != '\\') {
      out += text[i];
      continue;
    }
    if (i + 2 >= text.size()) return std::nullopt;
    const char e = text[++i];
    switch (e) {
      case '"': case '\\': case '/': out += e; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        if (i + 5 >= text.size()) return std::nullopt;
        std::uint32_t cp = 0;
        for (std::size_t k = 1; k <= 4; ++k) {
          const int v = hex_value(text[i + k]);
          if (v < 0) return std::nullopt;
          cp = cp << 4 | static_cast<std::uint32_t>(v);
        }
        if (cp >= 0xd800 && cp <= 0xdfff) return std::nullopt;  // we never write surrogates
        append_utf8(out, cp);
        i += 4;
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

// Parse one RFC 4180 field that must fill `text` exactly.
std::optional<std::string> parse_csv_cell(std::string_view text) {
  if (text.empty() || text.front() != '"') {
    if (text.find_first_of(",\"\r\n") != std::string_view::npos) return std::nullopt;
    return std::string(text);
  }
  std::string out;
  std::size_t i = 1;
  for (; i < text.size(); ++i) {
    if (text[i] != '"') {
      out += text[i];
    } else if (i + 1 < text.size() && text[i + 1] == '"') {
      out += '"';
      ++i;
    } else {
      break;  // the closing quote
    }
  }
  if (i != text.size() - 1) return std::nullopt;
  return out;
}

// Undo the five references append_html_text writes; any other '&' or markup is a failure.
std::optional<std::string> undo_html(std::string_view text) {
  static constexpr std::string_view kRefs[][2] = {
      {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&#39;", "'"}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    const char c = text[i];
    if (c == '<' || c == '>' || c == '"' || c == '\'') return std::nullopt;
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    bool found = false;
    for (const auto& ref : kRefs) {
      if (text.substr(i, ref[0].size()) == ref[0]) {
        out += ref[1];
        i += ref[0].size();
        found = true;
        break;
      }
    }
    if (!found) return std::nullopt;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  const std::string raw(reinterpret_cast<const char*>(data), size);
  const std::string display = to_display_text(raw);

  const auto points = code_points(display);
  PCAPFRAME_FUZZ_CHECK(points.has_value());
  for (const std::uint32_t cp : *points) PCAPFRAME_FUZZ_CHECK(!is_forbidden(cp));
  PCAPFRAME_FUZZ_CHECK(undo_display(display) == raw);

  std::string json;
  append_json_string(json, display);
  PCAPFRAME_FUZZ_CHECK(parse_json_string(json) == display);

  for (const std::string& text : {display, raw}) {
    for (const bool inert : {false, true}) {
      std::string cell;
      append_csv_cell(cell, text, inert);
      const bool formula = inert && !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
      PCAPFRAME_FUZZ_CHECK(parse_csv_cell(cell) == (formula ? "'" + text : text));
    }
  }

  std::string html;
  append_html_text(html, display);
  PCAPFRAME_FUZZ_CHECK(undo_html(html) == display);
  return 0;
}
