// SPDX-License-Identifier: MIT
// `pcapframe names FILE`: the address → name map the trace itself gives (DNS answers, CNAME
// chains followed back to the name asked, pcapng name records), and with --resolve PTR
// lookups for the addresses still unnamed. One streaming pass, then the lookups.
#include <absl/container/flat_hash_set.h>
#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../analysis/address_hash.hpp"
#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "output.hpp"
#include "pcapframe/names.hpp"
#include "pcapframe/table.hpp"
#include "resolve_options.hpp"

namespace pcapframe::cli {

namespace {

struct NamesOptions {
  std::string file;
  InputOptions input;
  OutputOptions output;
  ResolveOptions resolve;
};

int run_names(const NamesOptions& options) {
  NamesAnalysis analysis;
  absl::flat_hash_set<IpAddress, detail::AddressHash> seen;  // every address, for --resolve
  CaptureInfo info;
  std::vector<NameRecord> name_records;
  const bool resolve = options.resolve.resolve;
  const int read = read_capture(
      options.file, options.input,
      [&](const Record& record, const PacketFields& fields) {
        analysis.add(record, fields);
        if (resolve && fields.ip_src.version != 0) {
          seen.insert(fields.ip_src);
          seen.insert(fields.ip_dst);
        }
      },
      &info, &name_records);
  if (read != kExitOk) return read;
  analysis.add_name_records(name_records);
  NameMap map = analysis.finish();

  std::vector<Lookup> lookups;
  if (resolve) {
    int code = kExitOk;
    lookups = resolve_unnamed(options.resolve, options.input.quiet, map, {seen.begin(), seen.end()},
                              code);
    if (code != kExitOk) return code;
  }

  std::vector<Column> columns{{"address", Align::Left},
                              {"name", Align::Left},
                              {"canonical", Align::Left},
                              {"source", Align::Left},
                              {"first_seen", Align::Left, "first seen"},
                              {"last_seen", Align::Left, "", Show::MachineOnly},
                              {"answers", Align::Right},
                              {"other_names", Align::Left, "other names"}};
  if (resolve) {
    columns.push_back({"lookup", Align::Left});
    columns.push_back({"detail", Align::Left, "", Show::MachineOnly});
  }
  Report report(std::move(columns));
  const int digits = time_digits(info);

  // Rows: the map's entries, then the lookups that found no name; all in address order.
  struct Row {
    IpAddress address;
    std::vector<Cell> cells;
  };
  std::vector<Row> rows;
  const auto lookup_of = [&](const IpAddress& a) -> const ReverseResult* {
    // resolve_unnamed() returns its lookups in address order
    const auto it = std::lower_bound(lookups.begin(), lookups.end(), a,
                                     [](const Lookup& l, const IpAddress& x) { return l.first < x; });
    return it == lookups.end() || it->first != a ? nullptr : &it->second;
  };
  for (const AddressName& e : map.entries()) {
    const bool timed = e.source == NameSource::Dns;
    std::vector<Cell> cells{
        plain_text(to_text(e.address)),
        packet_text(e.name),
        packet_text(e.canonical),
        plain_text(std::string(name_source_name(e.source))),
        timed ? seconds(e.first_seen_ns, digits,
                        datetime_text(e.first_seen_ns, options.output.utc, 6))
              : missing(),
        timed
            ? seconds(e.last_seen_ns, digits, datetime_text(e.last_seen_ns, options.output.utc, 6))
            : missing(),
        count(e.answers),
        packet_text_list(e.other_names, "")};
    if (resolve) {
      const ReverseResult* lookup = lookup_of(e.address);
      cells.push_back(lookup == nullptr
                          ? missing("")
                          : plain_text(std::string(lookup_status_name(lookup->status))));
      cells.push_back(missing(""));
    }
    rows.push_back({e.address, std::move(cells)});
  }
  for (const auto& [address, result] : lookups) {
    if (result.status == LookupStatus::Name) continue;  // in the map already
    rows.push_back(
        {address,
         {plain_text(to_text(address)), missing(""), missing(""), plain_text("ptr"), missing(),
          missing(), count(0), packet_text_list({}, ""),
          plain_text(std::string(lookup_status_name(result.status))),
          result.detail.empty() ? missing("") : plain_text(result.detail)}});
  }
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return a.address < b.address; });
  for (Row& row : rows) report.add_row(std::move(row.cells));

  nlohmann::ordered_json doc;
  doc["file"] = to_display_text(options.file);
  doc["names"] = map.size();
  doc["resolve"] = resolve;
  if (resolve) doc["lookups"] = LookupCounts(lookups).json();
  doc["rows"] = report.json();
  std::string after = fmt::format("{} addresses named by the trace", with_thousands(map.size()));
  if (resolve)
    after = fmt::format("{} named, {} looked up (PTR)", with_thousands(map.size()), lookups.size());
  after += "\n";
  if (report.empty() && output_format(options.output) == OutputFormat::Table)
    return write_stdout("No names: the capture holds no DNS answers with addresses.\n")
               ? kExitOk
               : kExitBadInput;
  return print_report(options.output, report, doc, {}, after);
}

}  // namespace

Action add_names_command(CLI::App& app) {
  auto options = std::make_shared<NamesOptions>();
  CLI::App* cmd = app.add_subcommand("names",
                                     "Address → name map from the trace's own DNS answers and "
                                     "pcapng name records; --resolve adds PTR lookups");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input)")->required();
  add_input_options(cmd, options->input);
  add_output_options(cmd, options->output);
  add_resolve_options(cmd, options->resolve);
  cmd->footer(
      "An address's name is the name the client asked for: an A/AAAA answer reached through a "
      "CNAME chain (www -> web -> cdn) names its address by the first name (www), with the "
      "chain's end as `canonical`. The first name seen wins; later ones are `other_names`. "
      "Sources: dns (answers in the trace), nrb (pcapng Name Resolution Blocks), ptr "
      "(--resolve). With --resolve, `lookup` says how each lookup ended: name, no_answer "
      "(NXDOMAIN or no PTR), timeout, or error.");
  return [options] { return run_names(*options); };
}

}  // namespace pcapframe::cli
