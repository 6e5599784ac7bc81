// SPDX-License-Identifier: MIT
// `pcapframe dns FILE`: DNS queries and responses, response codes, the most queried names
// with the answers seen for them, and the queries no response answered. One streaming pass.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "output.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/table.hpp"

namespace pcapframe::cli {

namespace {

struct DnsOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  std::size_t limit = 10;
  bool all = false;
  std::string list = "names";
};

int run_dns(const DnsOptions& options) {
  DnsAnalysis analysis;
  CaptureInfo info;
  const int read = read_capture(
      options.file, options.input,
      [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); },
      &info);
  if (read != kExitOk) return read;
  const DnsReport r = analysis.finish();
  const int digits = time_digits(info);
  const std::size_t limit = options.all ? SIZE_MAX : options.limit;

  Report names({{"name", Align::Left}, {"queries", Align::Right}, {"answers", Align::Left}});
  for (std::size_t i = 0; i < r.names.size() && i < limit; ++i) {
    const DnsNameReport& n = r.names[i];
    // Answers as one cell: "CNAME web.x., A 10.0.0.1" in the table.
    names.add_row({packet_text(n.name), count(n.queries), packet_text_list(n.answers, "-")});
  }

  Report unanswered({{"time", Align::Left},
                     {"client", Align::Left},
                     {"server", Align::Left},
                     {"id", Align::Right},
                     {"name", Align::Left}});
  for (std::size_t i = 0; i < r.unanswered.size() && i < limit; ++i) {
    const UnansweredQuery& q = r.unanswered[i];
    unanswered.add_row({seconds(q.ts_ns, digits, datetime_text(q.ts_ns, options.output.utc, 6)),
                        plain_text(to_text(q.client)), plain_text(to_text(q.server)),
                        Cell{q.id, std::to_string(q.id), std::to_string(q.id), false},
                        q.name.empty() ? missing() : packet_text(q.name)});
  }

  Report rcodes(
      {{"rcode", Align::Right, "code"}, {"name", Align::Left}, {"responses", Align::Right}});
  for (const auto& [rcode, responses] : r.rcodes)
    rcodes.add_row({Cell{rcode, std::to_string(rcode), std::to_string(rcode), false},
                    plain_text(dns_rcode_text(rcode)), count(responses)});

  if (options.output.csv) {
    const Report& chosen = options.list == "unanswered" ? unanswered
                           : options.list == "rcodes"   ? rcodes
                                                        : names;
    return print_report(options.output, chosen, {});
  }

  nlohmann::ordered_json doc;
  doc["file"] = to_display_text(options.file);
  doc["messages"] = r.messages;
  doc["queries"] = r.queries;
  doc["responses"] = r.responses;
  nlohmann::ordered_json codes = nlohmann::ordered_json::object();
  for (const auto& [rcode, responses] : r.rcodes) codes[dns_rcode_text(rcode)] = responses;
  doc["rcodes"] = codes;
  doc["distinct_names"] = r.names.size();
  doc["names"] = names.json();
  doc["unanswered_total"] = r.unanswered.size();
  doc["unanswered"] = unanswered.json();
  if (options.output.json) return print_report(options.output, names, doc);

  std::string text =
      fmt::format("DNS messages: {} ({} queries, {} responses)\n", with_thousands(r.messages),
                  with_thousands(r.queries), with_thousands(r.responses));
  std::string codes_text;
  for (const auto& [rcode, responses] : r.rcodes)
    codes_text += fmt::format("{}{} {}", codes_text.empty() ? "" : ", ", dns_rcode_text(rcode),
                              with_thousands(responses));
  text += fmt::format("Response codes: {}\n", codes_text.empty() ? "none" : codes_text);
  text += fmt::format("\nNames queried ({} of {}, most queried first):\n", names.rows(),
                      with_thousands(r.names.size()));
  text += names.empty() ? "  none\n" : names.table("  ");
  text += fmt::format("\nUnanswered queries ({} of {}, in time order):\n", unanswered.rows(),
                      with_thousands(r.unanswered.size()));
  text += unanswered.empty() ? "  none\n" : unanswered.table("  ");
  return write_stdout(text) ? kExitOk : kExitBadInput;
}

}  // namespace

Action add_dns_command(CLI::App& app) {
  auto options = std::make_shared<DnsOptions>();
  CLI::App* cmd = app.add_subcommand("dns",
                                     "DNS queries and responses, response codes, top names with "
                                     "their answers, unanswered queries");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  auto* n =
      cmd->add_option("-n,--limit", options->limit, "How many names and unanswered queries to list")
          ->capture_default_str();
  cmd->add_flag("--all", options->all, "List every name and unanswered query")->excludes(n);
  cmd->add_option("--list", options->list, "With --csv: which table to write")
      ->check(CLI::IsMember({"names", "unanswered", "rcodes"}))
      ->capture_default_str();
  add_input_options(cmd, options->input);
  add_output_options(cmd, options->output);
  cmd->footer(
      "DNS is read on UDP 53, 5353 (mDNS), 5355 (LLMNR) and TCP 53. A response answers the "
      "pending query with the same id between the same two endpoints (ports included); a "
      "query still pending at the end of the capture is unanswered. Answers are the distinct "
      "A, AAAA, CNAME and PTR records of the answer sections for the name (CSV: separated by "
      "'|').");
  return [options] { return run_dns(*options); };
}

}  // namespace pcapframe::cli
