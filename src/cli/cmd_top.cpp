// SPDX-License-Identifier: MIT
// `pcapframe top FILE`: bytes and packets per key (address, name, MAC, port, protocol, pair),
// largest first, with each key's share of the capture. One streaming pass.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
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
#include "resolve_options.hpp"

namespace pcapframe::cli {

namespace {

struct TopOptions {
  std::string file;
  InputOptions input;
  LiveInputOptions live;  // -i: capture live instead of reading `file`
  OutputOptions output;
  ResolveOptions resolve;
  std::string by = "ip_dst";
  bool packets = false;
  std::size_t limit = 10;
  bool all = false;
};

bool is_name_key(TopKey key) { return key == TopKey::NameDst || key == TopKey::NameSrc; }

Cell key_cell(TopKey key, const std::string& text) {
  switch (key) {
    case TopKey::PortDst:
    case TopKey::PortSrc: {
      std::uint64_t port = 0;
      std::from_chars(text.data(), text.data() + text.size(), port);
      return Cell{port, text, text, false};
    }
    case TopKey::NameDst:
    case TopKey::NameSrc:
      return packet_text(text);  // names come from DNS answers
    case TopKey::IpDst:
    case TopKey::IpSrc:
    case TopKey::MacDst:
    case TopKey::MacSrc:
    case TopKey::Protocol:
    case TopKey::IpPair:
      return plain_text(text);
  }
  return plain_text(text);
}

int run_top(const TopOptions& options) {
  const std::optional<TopKey> key = parse_top_key(options.by);
  if (!key) {
    print_error(fmt::format("--by: unknown key '{}'", options.by));
    return kExitUsage;
  }
  const bool by_name = is_name_key(*key);
  if (options.resolve.resolve && !by_name) {
    print_error("--resolve names keys: use it with --by name_dst or --by name_src");
    return kExitUsage;
  }
  const TopMetric metric = options.packets ? TopMetric::ByPackets : TopMetric::ByBytes;
  // Every key is kept until the end (memory grows with distinct keys, not frames); the limit
  // applies to the sorted rows, so the total number of keys can be reported.
  TopAnalysis top(*key, metric, 0);
  std::optional<NamesAnalysis> names;
  if (by_name) names.emplace();
  std::uint64_t total_bytes = 0, total_packets = 0;
  std::vector<NameRecord> name_records;
  const int read = read_input(
      options.file, options.live, options.input,
      [&](const Record& record, const PacketFields& fields) {
        top.add(record, fields);
        if (names) names->add(record, fields);
        total_bytes += record.origlen;
        ++total_packets;
      },
      nullptr, &name_records);
  if (read != kExitOk) return read;

  NameMap map;
  std::vector<Lookup> lookups;
  if (names) {
    names->add_name_records(name_records);
    map = names->finish();
  }
  if (options.resolve.resolve) {
    std::vector<IpAddress> addresses;
    for (const TopRow& row : top.finish(nullptr))  // keyed by address text before naming
      if (const auto address = parse_address(row.key)) addresses.push_back(*address);
    int code = kExitOk;
    lookups = resolve_unnamed(options.resolve, options.input.quiet, map, addresses, code);
    if (code != kExitOk) return code;
  }
  std::vector<TopRow> rows = top.finish(by_name ? &map : nullptr);
  const std::size_t keys = rows.size();
  std::uint64_t keyed_packets = 0, keyed_bytes = 0;
  for (const TopRow& row : rows) {
    keyed_packets += row.packets;
    keyed_bytes += row.bytes;
  }
  if (!options.all && rows.size() > options.limit) rows.resize(options.limit);

  const std::string& key_name = options.by;
  Report report({{key_name, Align::Left},
                 {"bytes", Align::Right},
                 {"packets", Align::Right},
                 {"percent", Align::Right, "share"}});
  for (const TopRow& row : rows) {
    const double percent = row.share * 100;
    report.add_row({key_cell(*key, row.key), byte_count(row.bytes), count(row.packets),
                    real(percent, fmt::format("{:.1f}%", percent))});
  }

  nlohmann::ordered_json doc;
  doc["file"] = options.live.interface.empty() ? to_display_text(options.file) : "live: " + options.live.interface;
  doc["by"] = key_name;
  doc["metric"] = options.packets ? "packets" : "bytes";
  doc["total_bytes"] = total_bytes;
  doc["total_packets"] = total_packets;
  doc["keys"] = keys;
  doc["frames_without_key"] = total_packets - keyed_packets;
  doc["rows"] = report.json();
  std::string after;
  const std::string what = options.packets ? "packets" : "bytes";
  after +=
      fmt::format("{} of {} {} by {}; the capture: {} in {} frames", rows.size(),
                  with_thousands(keys), key_name, what,
                  si_units(static_cast<double>(total_bytes), "B"), with_thousands(total_packets));
  if (total_packets != keyed_packets)
    after +=
        fmt::format(" ({} frames, {}, have no {})", with_thousands(total_packets - keyed_packets),
                    si_units(static_cast<double>(total_bytes - keyed_bytes), "B"), key_name);
  after += "\n";
  if (options.resolve.resolve) {
    const LookupCounts counts(lookups);
    after += fmt::format("PTR lookups: {} named, {} no answer, {} timed out, {} failed\n",
                         counts.named, counts.no_answer, counts.timeouts, counts.errors);
    doc["lookups"] = counts.json();
  }
  return print_report(options.output, report, doc, {}, after);
}

}  // namespace

Action add_top_command(CLI::App& app) {
  auto options = std::make_shared<TopOptions>();
  CLI::App* cmd = app.add_subcommand(
      "top", "Volume per key, largest first: the lab's group-by of length over ip_dst, and more");
  cmd->add_option("file", options->file, "Capture file ('-' reads standard input); or -i to capture live");
  cmd->add_option("--by", options->by,
                  "Key: ip_dst, ip_src, name_dst, name_src (names from the trace's DNS answers), "
                  "mac_dst, mac_src, port_dst, port_src, protocol, ip_pair (both directions)")
      ->check(CLI::IsMember({"ip_dst", "ip_src", "name_dst", "name_src", "mac_dst", "mac_src",
                             "port_dst", "port_src", "protocol", "ip_pair"}))
      ->capture_default_str();
  cmd->add_flag("--packets", options->packets, "Rank by packets instead of bytes");
  auto* n =
      cmd->add_option("-n,--limit", options->limit, "How many keys to list")->capture_default_str();
  cmd->add_flag("--all", options->all, "List every key")->excludes(n);
  add_input_options(cmd, options->input);
  add_live_options(cmd, options->live);
  add_output_options(cmd, options->output);
  add_resolve_options(cmd, options->resolve);
  cmd->footer(
      "Bytes are wire lengths (the lab's `length`). Frames without the key (no IP, no port) are "
      "left out of the rows, as a pandas group-by leaves out missing keys, but count in the "
      "total the share is taken of. Name keys use the trace's own DNS answers (and pcapng "
      "name records); an address nobody named stays as its address. --resolve adds PTR lookups "
      "for those.");
  return [options] { return run_top(*options); };
}

}  // namespace pcapframe::cli
