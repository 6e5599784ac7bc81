// SPDX-License-Identifier: MIT
// The one place packet text is made safe: display text, CSV cells, JSON strings, HTML text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pcapframe/export.hpp"

namespace pcapframe {
namespace {

using namespace std::string_literals;

// Undo to_display_text: "\\" is a backslash, "\xNN" a byte, anything else itself.
std::string undo_display(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\') {
      out += text[i];
    } else if (text.at(i + 1) == '\\') {
      out += '\\';
      ++i;
    } else {
      EXPECT_EQ(text.at(i + 1), 'x') << text;
      out += static_cast<char>(std::stoi(text.substr(i + 2, 2), nullptr, 16));
      i += 3;
    }
  }
  return out;
}

// Strict UTF-8 validation (RFC 3629), written independently of escape.cpp.
bool valid_utf8(const std::string& s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (b < 0x80) { n = 1; cp = b; }
    else if ((b & 0xe0) == 0xc0) { n = 2; cp = b & 0x1fu; }
    else if ((b & 0xf0) == 0xe0) { n = 3; cp = b & 0x0fu; }
    else if ((b & 0xf8) == 0xf0) { n = 4; cp = b & 0x07u; }
    else return false;
    if (i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xc0) != 0x80) return false;
      cp = cp << 6 | (c & 0x3fu);
    }
    const std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < min_for_length[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n;
  }
  return true;
}

TEST(DisplayText, PrintableAsciiPassesThrough) {
  EXPECT_EQ(to_display_text("www.example.com."), "www.example.com.");
  EXPECT_EQ(to_display_text(R"(say "hi" it's ~ok` {} | <>)"), R"(say "hi" it's ~ok` {} | <>)");
  EXPECT_EQ(to_display_text(""), "");
}

TEST(DisplayText, ControlsBecomeHexEscapes) {
  EXPECT_EQ(to_display_text("\x1b[31mred\x1b[0m"), R"(\x1b[31mred\x1b[0m)");
  EXPECT_EQ(to_display_text("\x1b]0;title\x07"), R"(\x1b]0;title\x07)");
  EXPECT_EQ(to_display_text("a\nb\rc\td"), R"(a\x0ab\x0dc\x09d)");
  EXPECT_EQ(to_display_text("a\0b"s), R"(a\x00b)");
  EXPECT_EQ(to_display_text("\x7f"), R"(\x7f)");
  EXPECT_EQ(to_display_text("\x01\x1f"), R"(\x01\x1f)");
}

TEST(DisplayText, BackslashIsDoubled) {
  EXPECT_EQ(to_display_text(R"(a\b)"), R"(a\\b)");
  // Without the doubling a name could forge an escape: "\x41" must not read as "A".
  EXPECT_EQ(to_display_text(R"(\x41)"), R"(\\x41)");
}

TEST(DisplayText, WellFormedUtf8IsKept) {
  for (const std::string& s : {"Bob\xe2\x80\x99s iPhone"s, "caf\xc3\xa9"s, "\xe6\x97\xa5\xe6\x9c\xac"s,
                              "\xf0\x9f\x98\x80"s, "\xc2\xa0"s /* NBSP */, "\xed\x9f\xbf"s /* U+D7FF */,
                              "\xee\x80\x80"s /* U+E000 */, "\xf4\x8f\xbf\xbf"s /* U+10FFFF */,
                              "\xe2\x80\xa7"s /* U+2027 */, "\xe2\x80\xb0"s /* U+2030 */})
    EXPECT_EQ(to_display_text(s), s);
}

TEST(DisplayText, MalformedUtf8IsEscapedBytewise) {
  struct Case {
    std::string raw, shown;
  };
  const Case cases[] = {
      {"\xff", R"(\xff)"},
      {"\xfe\xfe", R"(\xfe\xfe)"},
      {"\x80", R"(\x80)"},                       // lone continuation byte
      {"a\xc3", R"(a\xc3)"},                     // cut at the end
      {"\xc3(", R"(\xc3()"},                     // bad continuation
      {"\xe2\x82", R"(\xe2\x82)"},               // three-byte sequence cut short
      {"\xc0\x80", R"(\xc0\x80)"},               // overlong NUL
      {"\xc1\xbf", R"(\xc1\xbf)"},               // overlong
      {"\xe0\x80\xaf", R"(\xe0\x80\xaf)"},       // overlong "/"
      {"\xe0\x9f\xbf", R"(\xe0\x9f\xbf)"},       // overlong U+07FF
      {"\xf0\x80\x80\xaf", R"(\xf0\x80\x80\xaf)"},
      {"\xf0\x8f\xbf\xbf", R"(\xf0\x8f\xbf\xbf)"},  // overlong U+FFFF
      {"\xed\xa0\x80", R"(\xed\xa0\x80)"},       // surrogate U+D800
      {"\xed\xbf\xbf", R"(\xed\xbf\xbf)"},       // surrogate U+DFFF
      {"\xf4\x90\x80\x80", R"(\xf4\x90\x80\x80)"},  // above U+10FFFF
      {"\xf5\x80\x80\x80", R"(\xf5\x80\x80\x80)"},
      {"\xf8\x88\x80\x80\x80", R"(\xf8\x88\x80\x80\x80)"},  // old 5-byte form
      // A valid character right after a bad byte survives.
      {"\xff\xc3\xa9", "\\xff\xc3\xa9"},
  };
  for (const Case& c : cases) EXPECT_EQ(to_display_text(c.raw), c.shown) << c.shown;
}

TEST(DisplayText, InvisibleControlsAreEscaped) {
  EXPECT_EQ(to_display_text("\xc2\x80"), R"(\xc2\x80)");  // C1: U+0080
  EXPECT_EQ(to_display_text("\xc2\x85"), R"(\xc2\x85)");  // NEL
  EXPECT_EQ(to_display_text("\xc2\x9b[2J"), R"(\xc2\x9b[2J)");  // CSI: a one-byte ESC [
  EXPECT_EQ(to_display_text("\xc2\x9f"), R"(\xc2\x9f)");
  EXPECT_EQ(to_display_text("abc\xe2\x80\xae.moc"), R"(abc\xe2\x80\xae.moc)");  // U+202E RLO
  EXPECT_EQ(to_display_text("\xe2\x80\xa8"), R"(\xe2\x80\xa8)");  // U+2028 LINE SEPARATOR
  EXPECT_EQ(to_display_text("\xe2\x80\xa9"), R"(\xe2\x80\xa9)");  // U+2029
  EXPECT_EQ(to_display_text("\xe2\x80\xaa"), R"(\xe2\x80\xaa)");  // U+202A LRE
  EXPECT_EQ(to_display_text("\xe2\x81\xa6"), R"(\xe2\x81\xa6)");  // U+2066 LRI
  EXPECT_EQ(to_display_text("\xe2\x81\xa9"), R"(\xe2\x81\xa9)");  // U+2069 PDI
}

TEST(DisplayText, RandomBytesGiveSafeReversibleText) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 40);
  for (int round = 0; round < 3000; ++round) {
    std::string raw;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) raw += static_cast<char>(byte(rng));
    const std::string shown = to_display_text(raw);
    ASSERT_TRUE(valid_utf8(shown)) << shown;
    for (const char c : shown) {
      const auto b = static_cast<unsigned char>(c);
      ASSERT_TRUE(b >= 0x20 && b != 0x7f) << shown;
    }
    ASSERT_EQ(undo_display(shown), raw);
  }
}

// RFC 4180 reader for one line of cells (quotes, doubled quotes, commas, line breaks).
std::vector<std::string> parse_csv_line(const std::string& line) {
  std::vector<std::string> cells(1);
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cells.back() += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cells.back() += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells.emplace_back();
    } else {
      cells.back() += c;
    }
  }
  EXPECT_FALSE(quoted) << line;
  return cells;
}

std::string csv(std::string_view text, bool inert = true) {
  std::string out;
  append_csv_cell(out, text, inert);
  return out;
}

TEST(CsvCell, QuotingPerRfc4180) {
  EXPECT_EQ(csv("plain"), "plain");
  EXPECT_EQ(csv(""), "");
  EXPECT_EQ(csv("a,b"), R"("a,b")");
  EXPECT_EQ(csv(R"(say "hi")"), R"("say ""hi""")");
  EXPECT_EQ(csv("\""), R"("""")");
  EXPECT_EQ(csv("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv("a=b"), "a=b");    // only a leading sign is a formula
  EXPECT_EQ(csv(" =b"), " =b");
  EXPECT_EQ(csv("'quoted'"), "'quoted'");
}

TEST(CsvCell, FormulasAreInerted) {
  EXPECT_EQ(csv("=1+2"), R"("'=1+2")");
  EXPECT_EQ(csv("+1"), R"("'+1")");
  EXPECT_EQ(csv("-1"), R"("'-1")");
  EXPECT_EQ(csv("@SUM(A1:A9)"), R"x("'@SUM(A1:A9)")x");
  EXPECT_EQ(csv("\tx"), "\"'\tx\"");
  EXPECT_EQ(csv("\rx"), "\"'\rx\"");
  EXPECT_EQ(csv(R"x(=HYPERLINK("http://x","y"))x"), R"x("'=HYPERLINK(""http://x"",""y"")")x");
}

TEST(CsvCell, InertingCanBeTurnedOff) {
  EXPECT_EQ(csv("=1+2", false), "=1+2");
  EXPECT_EQ(csv("-1", false), "-1");
  EXPECT_EQ(csv("@x", false), "@x");
  EXPECT_EQ(csv("=a,b", false), R"("=a,b")");
  EXPECT_EQ(csv("\tx", false), "\tx");
}

TEST(CsvCell, AppendsAndParsesBack) {
  std::string line;
  const std::vector<std::string> cells = {"a", "", "b,c", R"(q"uote)", "=cmd", "x\ny", "-", "@"};
  for (std::size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    append_csv_cell(line, cells[i], true);
  }
  std::vector<std::string> expected = cells;
  for (std::string& c : expected)
    if (!c.empty() && (c[0] == '=' || c[0] == '-' || c[0] == '@')) c = "'" + c;  // not insert(0, ...): GCC 12 -O3 -Wrestrict false positive
  EXPECT_EQ(parse_csv_line(line), expected);
}

std::string json(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(out, text);
  EXPECT_EQ(out.rfind("prefix:", 0), 0u);
  return out.substr(7);
}

TEST(JsonString, ExactEscapes) {
  EXPECT_EQ(json("plain"), R"("plain")");
  EXPECT_EQ(json(""), R"("")");
  EXPECT_EQ(json(R"(a"b\c)"), R"("a\"b\\c")");
  EXPECT_EQ(json("\n\x01\x1f"), R"("\u000a\u0001\u001f")");
  EXPECT_EQ(json("a\0b"s), R"("a\u0000b")");
}

TEST(JsonString, ParsesBackToTheSameText) {
  std::vector<std::string> inputs = {"www.example.", R"(quote " and backslash \)", "\x7f",
                                     "Bob\xe2\x80\x99s iPhone", "\xf0\x9f\x98\x80 \xe2\x80\xa8",
                                     "</script>", "tab\there"};
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls += static_cast<char>(c);
  inputs.push_back(all_controls);
  for (const std::string& in : inputs) {
    const std::string literal = json(in);
    const auto parsed = nlohmann::json::parse(literal);
    ASSERT_TRUE(parsed.is_string()) << literal;
    EXPECT_EQ(parsed.get<std::string>(), in) << literal;
  }
}

TEST(JsonString, DisplayTextOfAnyBytesIsValidJson) {
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> byte(0, 255), length(0, 30);
  for (int round = 0; round < 2000; ++round) {
    std::string raw;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) raw += static_cast<char>(byte(rng));
    const std::string shown = to_display_text(raw);
    const auto parsed = nlohmann::json::parse(json(shown));  // throws on invalid JSON/UTF-8
    ASSERT_EQ(parsed.get<std::string>(), shown);
  }
}

std::string html(std::string_view text) {
  std::string out = "<td>";
  append_html_text(out, text);
  EXPECT_EQ(out.rfind("<td>", 0), 0u);
  return out.substr(4);
}

// Undo the five references append_html_text writes (what an HTML parser does with them).
std::string undo_html(const std::string& text) {
  static const std::pair<std::string, char> kRefs[] = {
      {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}};
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    bool found = false;
    for (const auto& [ref, c] : kRefs) {
      if (text.compare(i, ref.size(), ref) == 0) {
        out += c;
        i += ref.size();
        found = true;
        break;
      }
    }
    if (!found) out += text[i++];
  }
  return out;
}

TEST(HtmlText, ExactReferences) {
  EXPECT_EQ(html("www.example.com."), "www.example.com.");
  EXPECT_EQ(html(""), "");
  EXPECT_EQ(html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
  EXPECT_EQ(html(R"(" onmouseover="x)"), "&quot; onmouseover=&quot;x");
  EXPECT_EQ(html("' onfocus='x"), "&#39; onfocus=&#39;x");
  EXPECT_EQ(html("AT&T &amp;"), "AT&amp;T &amp;amp;");  // an entity in the name stays text
  EXPECT_EQ(html("caf\xc3\xa9 \\x1b[31m"), "caf\xc3\xa9 \\x1b[31m");  // UTF-8 and escapes kept
}

TEST(HtmlText, HostileNamesStayTextInContentAndAttributes) {
  const std::vector<std::string> names = {
      "<script>alert(1)</script>.", "\"><img src=x onerror=alert(1)>.", "'><svg onload=alert(1)>.",
      "=cmd|' /C calc'!A0.", "\x1b]52;c;Y2FsYw==\x07.", std::string("nul\0byte.", 9),
      "\xe2\x80\xae" "evil.", "\xff\xfe.", "a&b;c<d>e\"f'g."};
  for (const std::string& raw : names) {
    const std::string shown = to_display_text(raw);
    const std::string text = html(shown);
    // Nothing that opens or closes markup or an attribute value survives.
    EXPECT_EQ(text.find_first_of("<>\"'"), std::string::npos) << text;
    for (std::size_t at = text.find('&'); at != std::string::npos; at = text.find('&', at + 1)) {
      const std::string_view rest = std::string_view(text).substr(at);
      EXPECT_TRUE(rest.starts_with("&amp;") || rest.starts_with("&lt;") || rest.starts_with("&gt;") ||
                  rest.starts_with("&quot;") || rest.starts_with("&#39;"))
          << text;
    }
    EXPECT_EQ(undo_html(text), shown);
    EXPECT_TRUE(valid_utf8(text)) << text;
  }
}

}  // namespace
}  // namespace pcapframe
