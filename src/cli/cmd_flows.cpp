// SPDX-License-Identifier: MIT
// `pcapframe flows FILE`: the lab's unique flows (source and destination address and port,
// protocol) with packets, bytes, first and last time; --bidirectional joins both directions
// into conversations, like Wireshark's Conversations window. One streaming pass.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "live_input.hpp"
#include "output.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/names.hpp"
#include "pcapframe/table.hpp"
#include "resolve_options.hpp"

namespace pcapframe::cli {

namespace {

struct FlowsOptions {
  std::string file;
  InputOptions input;
  LiveInputOptions live;  // -i: capture live instead of reading `file`
  OutputOptions output;
  ResolveOptions resolve;
  bool bidirectional = false;
  bool names = false;
  std::size_t limit = 20;
  bool all = false;
};

constexpr const char* kDirectionRule =
    "With --bidirectional, both directions of a 5-tuple (addresses, ports, IP protocol) are "
    "one conversation. Endpoint A is the sender of the conversation's first frame in file "
    "order, B the other end; packets_ab/bytes_ab count frames from A to B, packets_ba/bytes_ba "
    "from B to A. Frames without ports (ICMP, later IP fragments, other protocols) form "
    "conversations of their own per address pair and IP protocol. This is Wireshark's rule "
    "(`tshark -z conv,tcp`, `conv,udp`), except that Wireshark splits a TCP 5-tuple reused "
    "after a FIN or RST into several conversations, and pcapframe keeps one.";

Cell port_cell(const std::optional<std::uint16_t>& port) {
  if (!port) return missing();
  return Cell{*port, std::to_string(*port), std::to_string(*port), false};
}

Cell name_cell(const NameMap& map, const IpAddress& address) {
  const AddressName* entry = map.find(address);
  return entry == nullptr ? missing("") : packet_text(entry->name);
}

int run_flows(const FlowsOptions& options) {
  const bool with_names = options.names || options.resolve.resolve;
  FlowAnalysis flows(options.bidirectional);
  std::optional<NamesAnalysis> names;
  if (with_names) names.emplace();
  CaptureInfo info;
  std::vector<NameRecord> name_records;
  const int read = read_input(
      options.file, options.live, options.input,
      [&](const Record& record, const PacketFields& fields) {
        flows.add(record, fields);
        if (names) names->add(record, fields);
      },
      &info, &name_records);
  if (read != kExitOk) return read;

  std::vector<FlowRow> rows = flows.finish();
  const std::size_t total = rows.size();
  if (!options.all && rows.size() > options.limit) rows.resize(options.limit);

  NameMap map;
  if (names) {
    names->add_name_records(name_records);
    map = names->finish();
  }
  if (options.resolve.resolve) {
    std::vector<IpAddress> addresses;
    for (const FlowRow& row : rows) {
      addresses.push_back(row.src);
      addresses.push_back(row.dst);
    }
    int code = kExitOk;
    resolve_unnamed(options.resolve, options.input.quiet, map, addresses, code);
    if (code != kExitOk) return code;
  }

  const bool bi = options.bidirectional;
  std::vector<Column> columns{{bi ? "address_a" : "ip_src", Align::Left},
                              {bi ? "port_a" : "port_src", Align::Right},
                              {bi ? "address_b" : "ip_dst", Align::Left},
                              {bi ? "port_b" : "port_dst", Align::Right},
                              {"protocol", Align::Left},
                              {"ip_proto", Align::Right, "", Show::MachineOnly}};
  if (bi) {
    columns.push_back({"packets_ab", Align::Right, "A→B pkts"});
    columns.push_back({"bytes_ab", Align::Right, "A→B bytes"});
    columns.push_back({"packets_ba", Align::Right, "B→A pkts"});
    columns.push_back({"bytes_ba", Align::Right, "B→A bytes"});
  }
  columns.push_back({"packets", Align::Right});
  columns.push_back({"bytes", Align::Right});
  columns.push_back({"first_time", Align::Left, "first"});
  columns.push_back({"last_time", Align::Left, "", Show::MachineOnly});
  columns.push_back({"duration", Align::Right, "duration (s)"});
  if (with_names) {
    columns.push_back({bi ? "name_a" : "name_src", Align::Left});
    columns.push_back({bi ? "name_b" : "name_dst", Align::Left});
  }
  Report report(std::move(columns));
  const int digits = time_digits(info);
  for (const FlowRow& row : rows) {
    const std::string_view transport = transport_name(row.protocol);
    std::vector<Cell> cells{
        plain_text(to_text(row.src)),
        port_cell(row.port_src),
        plain_text(to_text(row.dst)),
        port_cell(row.port_dst),
        transport.empty()
            ? missing(fmt::format("proto {}", row.ip_proto))
            : Cell{std::string(transport), std::string(transport), std::string(transport), true},
        Cell{row.ip_proto, std::to_string(row.ip_proto), std::to_string(row.ip_proto), false}};
    if (bi) {
      cells.push_back(count(row.packets_ab));
      cells.push_back(byte_count(row.bytes_ab));
      cells.push_back(count(row.packets_ba));
      cells.push_back(byte_count(row.bytes_ba));
    }
    cells.push_back(count(row.packets));
    cells.push_back(byte_count(row.bytes));
    cells.push_back(
        seconds(row.first_ns, digits, datetime_text(row.first_ns, options.output.utc, 6)));
    cells.push_back(
        seconds(row.last_ns, digits, datetime_text(row.last_ns, options.output.utc, 6)));
    cells.push_back(
        seconds(row.last_ns - row.first_ns, digits, seconds_text(row.last_ns - row.first_ns, 6)));
    if (with_names) {
      cells.push_back(name_cell(map, row.src));
      cells.push_back(name_cell(map, row.dst));
    }
    report.add_row(std::move(cells));
  }

  nlohmann::ordered_json doc;
  doc["file"] = options.live.interface.empty() ? to_display_text(options.file) : "live: " + options.live.interface;
  doc["bidirectional"] = bi;
  doc["flows"] = total;
  doc["rows"] = report.json();
  const std::string after =
      fmt::format("{} of {} {}{}\n", rows.size(), with_thousands(total),
                  bi ? "conversations" : "flows", bi ? " (A = the sender of the first frame)" : "");
  return print_report(options.output, report, doc, {}, after);
}

}  // namespace

Action add_flows_command(CLI::App& app) {
  auto options = std::make_shared<FlowsOptions>();
  CLI::App* cmd = app.add_subcommand(
      "flows",
      "Unique flows (addresses, ports, protocol) with packets, bytes, first and last time; "
      "--bidirectional: conversations");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input); or -i to capture live");
  cmd->add_flag("--bidirectional", options->bidirectional,
                "Join both directions into conversations with A→B and B→A counts (see below)");
  cmd->add_flag("--names", options->names, "Add name columns from the trace's own DNS answers");
  auto* n = cmd->add_option("-n,--limit", options->limit, "How many flows to list (by bytes)")
                ->capture_default_str();
  cmd->add_flag("--all", options->all, "List every flow")->excludes(n);
  add_input_options(cmd, options->input);
  add_live_options(cmd, options->live);
  add_output_options(cmd, options->output);
  add_resolve_options(cmd, options->resolve);
  cmd->footer(
      std::string("Flows are ordered by bytes, largest first. Times are epoch seconds in CSV "
                  "and JSON (duration = last - first). ") +
      kDirectionRule);
  return [options] { return run_flows(*options); };
}

}  // namespace pcapframe::cli
