// SPDX-License-Identifier: MIT
// `pcapframe info FILE...`: capinfos plus the lab's answers, streamed in bounded memory;
// `pcapframe info -i IFACE`: the same report for packets as they arrive.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.hpp"
#include "human.hpp"
#include "input.hpp"
#include "live_input.hpp"
#include "pcapframe/analysis.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/export.hpp"

namespace pcapframe::cli {

namespace {

struct InfoOptions {
  std::vector<std::string> files;
  InputOptions input;
  LiveInputOptions live;
  bool json = false;
  bool merge = false;
  bool utc = false;
  std::size_t top = 5;
};

// A live capture's side of the report: where, for how long, and libpcap's counters.
struct LiveNote {
  std::string interface;
  std::string filter;
  double elapsed_s = 0;
  std::string ended_by;
  std::optional<LiveStats> stats;
};

struct FileReport {
  CaptureInfo info;
  CaptureSummary summary;
  std::vector<Error> warnings;
  std::optional<LiveNote> live = std::nullopt;  // only for -i
};

Result<FileReport> summarize(const std::string& path, const InfoOptions& options) {
  auto reader = CaptureReader::open(path, capture_options(options.input));
  if (!reader) return unexpected(std::move(reader).error());
  SummaryAnalysis analysis(options.top);
  for_each_frame(*reader, options.input, reader->info().size,
                 [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); });
  if (reader->error()) return unexpected(*reader->error());
  return FileReport{reader->info(), analysis.finish(), reader->warnings()};
}

// --merge: every file read as one capture, in timestamp order.
Result<FileReport> summarize_merged(const InfoOptions& options) {
  std::vector<CaptureReader> readers;
  std::optional<std::uint64_t> total = 0;
  for (const std::string& path : options.files) {
    auto reader = CaptureReader::open(path, capture_options(options.input));
    if (!reader) return unexpected(std::move(reader).error());
    total = total && reader->info().size ? std::optional(*total + *reader->info().size) : std::nullopt;
    readers.push_back(std::move(*reader));
  }
  MergedReader merged(std::move(readers));
  SummaryAnalysis analysis(options.top);
  for_each_frame(merged, options.input, total,
                 [&](const Record& record, const PacketFields& fields) { analysis.add(record, fields); });
  FileReport report{merged.readers().front().info(), analysis.finish(), {}};
  report.info.name.clear();
  for (const CaptureReader& r : merged.readers()) {
    if (r.error()) return unexpected(*r.error());
    report.info.name += (report.info.name.empty() ? "" : " + ") + r.info().name;
    report.warnings.insert(report.warnings.end(), r.warnings().begin(), r.warnings().end());
  }
  return report;
}

std::string format_description(const CaptureInfo& info) {
  std::string text = fmt::format("{} ({}, {}-endian), version {}.{}", capture_format_name(info.format),
                                 info.nanosecond ? "nanosecond" : "microsecond",
                                 info.big_endian ? "big" : "little", info.version_major,
                                 info.version_minor);
  if (!info.compression.empty()) text += ", " + info.compression + "-compressed";
  return text;
}

std::string link_description(std::uint16_t link) {
  const std::string_view name = link_type_name(static_cast<LinkType>(link));
  return name.empty() ? fmt::format("LINKTYPE {}", link) : fmt::format("{} ({})", name, link);
}

std::string time_text(std::int64_t ts_ns, const CaptureInfo& info, TimeZoneMode zone) {
  std::string out;
  DatetimeFormatter(zone, info.nanosecond ? 9 : 6).append(out, ts_ns);
  return out;
}

void print_human(const FileReport& report, const InfoOptions& options) {
  const CaptureInfo& info = report.info;
  const CaptureSummary& s = report.summary;
  const TimeZoneMode zone = options.utc ? TimeZoneMode::Utc : TimeZoneMode::Local;
  const auto line = [](std::string_view label, const std::string& value) {
    std::printf("%-20s %s\n", std::string(label).append(":").c_str(), value.c_str());
  };
  if (report.live) {
    const LiveNote& live = *report.live;
    line("Interface", live.interface + (live.filter.empty() ? "" : " (filter: " + live.filter + ")"));
    line("Capture", fmt::format("{:.2f} s, ended by {}; {}", live.elapsed_s, live.ended_by,
                                counters_text(live.stats)));
  } else {
    line("File", to_display_text(info.name));
    line("Format", format_description(info));
  }
  std::string links;
  for (const auto& [link, count] : s.link_types)
    links += (links.empty() ? "" : ", ") + link_description(link);
  line("Link type", links.empty() ? link_description(static_cast<std::uint16_t>(info.link)) : links);
  line("Snaplen", std::to_string(info.snaplen));
  line("Packets", with_thousands(s.packets));
  line("Bytes", fmt::format("{} ({} bytes on the wire)", si_units(static_cast<double>(s.bytes), "B"),
                            with_thousands(s.bytes)));
  line("Captured bytes", with_thousands(s.captured_bytes));
  if (s.first_ts_ns) {
    line("First packet", time_text(*s.first_ts_ns, info, zone) + (options.utc ? " UTC" : ""));
    line("Last packet", time_text(*s.last_ts_ns, info, zone) + (options.utc ? " UTC" : ""));
  }
  line("Duration", fmt::format("{:.6f} s", s.duration_s));
  line("Data rate", fmt::format("{} ({})", si_units(s.bytes_per_s, "B/s"),
                                si_units(s.bits_per_s, "bit/s")));
  line("Packet rate", fmt::format("{:.1f} packets/s", s.packets_per_s));
  line("Packet size", fmt::format("min {}, median {:g}, mean {:.1f}, max {} bytes", s.size_min,
                                  s.size_median, s.size_mean, s.size_max));
  line("Frames by protocol",
       fmt::format("IPv4 {}, IPv6 {}, ARP {}, TCP {}, UDP {}, ICMP {}, DNS {}",
                   with_thousands(s.ipv4), with_thousands(s.ipv6), with_thousands(s.arp),
                   with_thousands(s.tcp), with_thousands(s.udp), with_thousands(s.icmp),
                   with_thousands(s.dns)));
  std::string queries = with_thousands(s.dns_queries);
  if (s.top_query) {
    queries += fmt::format(" (most frequent: {}, {} times)", to_display_text(s.top_query->key),
                           with_thousands(s.top_query->packets));
  }
  line("DNS queries", queries);
  if (s.anomalies > 0) line("Undecoded frames", with_thousands(s.anomalies) + " (see `packets --columns anomaly`)");
  std::printf("Top destinations by bytes:\n");
  std::size_t key_width = 2;
  for (const VolumeEntry& entry : s.top_destinations) key_width = std::max(key_width, entry.key.size());
  for (const VolumeEntry& entry : s.top_destinations) {
    const double share = s.bytes == 0 ? 0 : 100.0 * static_cast<double>(entry.bytes) / static_cast<double>(s.bytes);
    std::printf("  %-*s %12s bytes %10s packets %6.1f%%\n", static_cast<int>(key_width),
                entry.key.c_str(), with_thousands(entry.bytes).c_str(),
                with_thousands(entry.packets).c_str(), share);
  }
}

nlohmann::ordered_json to_json(const FileReport& report) {
  const CaptureInfo& info = report.info;
  const CaptureSummary& s = report.summary;
  nlohmann::ordered_json j;
  j["file"] = to_display_text(info.name);
  j["format"] = capture_format_name(info.format);
  j["compression"] = info.compression.empty() ? nlohmann::ordered_json(nullptr)
                                              : nlohmann::ordered_json(info.compression);
  j["nanosecond"] = info.nanosecond;
  j["big_endian"] = info.big_endian;
  j["version"] = fmt::format("{}.{}", info.version_major, info.version_minor);
  j["link_type"] = static_cast<int>(info.link);
  // A link type pcapframe has no name for (it still reads its frames) is null, not "".
  const std::string_view link_name = link_type_name(info.link);
  j["link_type_name"] = link_name.empty() ? nlohmann::ordered_json(nullptr)
                                          : nlohmann::ordered_json(link_name);
  j["snaplen"] = info.snaplen;
  j["packets"] = s.packets;
  j["bytes"] = s.bytes;
  j["captured_bytes"] = s.captured_bytes;
  if (s.first_ts_ns) {
    j["first_time"] = static_cast<double>(*s.first_ts_ns) / 1e9;
    j["last_time"] = static_cast<double>(*s.last_ts_ns) / 1e9;
    j["first_time_ns"] = *s.first_ts_ns;
    j["last_time_ns"] = *s.last_ts_ns;
  } else {
    j["first_time"] = nullptr;
    j["last_time"] = nullptr;
  }
  j["duration"] = s.duration_s;
  j["bytes_per_second"] = s.bytes_per_s;
  j["bits_per_second"] = s.bits_per_s;
  j["packets_per_second"] = s.packets_per_s;
  j["size"] = {{"min", s.size_min}, {"median", s.size_median}, {"mean", s.size_mean},
               {"max", s.size_max}};
  j["frames"] = {{"ipv4", s.ipv4}, {"ipv6", s.ipv6}, {"arp", s.arp}, {"tcp", s.tcp},
                 {"udp", s.udp},   {"icmp", s.icmp}, {"dns", s.dns}};
  j["dns_queries"] = s.dns_queries;
  if (s.top_query) {
    j["top_query"] = {{"name", to_display_text(s.top_query->key)}, {"count", s.top_query->packets}};
  } else {
    j["top_query"] = nullptr;
  }
  j["top_destinations"] = nlohmann::ordered_json::array();
  for (const VolumeEntry& e : s.top_destinations)
    j["top_destinations"].push_back({{"ip", e.key}, {"bytes", e.bytes}, {"packets", e.packets}});
  nlohmann::ordered_json links = nlohmann::ordered_json::object();
  for (const auto& [link, count] : s.link_types) links[std::to_string(link)] = count;
  j["frames_by_link_type"] = links;
  j["undecoded_frames"] = s.anomalies;
  j["warnings"] = nlohmann::ordered_json::array();
  for (const Error& w : report.warnings) j["warnings"].push_back(to_display_text(w.message));
  if (report.live) {
    const LiveNote& live = *report.live;
    j["format"] = "live";
    j["version"] = nullptr;  // no file, no format version
    j["capture"] = {{"interface", live.interface},
                    {"filter", live.filter},
                    {"duration", live.elapsed_s},
                    {"ended_by", live.ended_by},
                    {"received", live.stats ? nlohmann::ordered_json(live.stats->received) : nullptr},
                    {"dropped", live.stats ? nlohmann::ordered_json(live.stats->dropped) : nullptr},
                    {"if_dropped", live.stats ? nlohmann::ordered_json(live.stats->if_dropped) : nullptr}};
  }
  return j;
}

// `info -i IFACE`: summarise packets as they arrive, until --count, --duration or Ctrl-C.
int run_info_live(const InfoOptions& options) {
  if (!options.files.empty() || options.merge) {
    print_error("info: give capture files or -i INTERFACE, not both");
    return kExitUsage;
  }
  int code = kExitOk;
  const auto run = LiveRun::open(options.live, options.input.filter, options.input.quiet, code);
  if (!run) return code;
  SummaryAnalysis analysis(options.top);
  Record record;
  PacketFields fields;
  while (run->next(record)) {
    decode_frame(record.link, record.bytes, fields);
    analysis.add(record, fields);
  }
  run->finish();
  FileReport report{live_info(*run), analysis.finish(), run->capture().warnings(), std::nullopt};
  report.live = LiveNote{run->capture().interface_name(), run->capture().filter(), run->elapsed_s(),
                         run->end_name(), run->stats()};
  const int exit_code = run->exit_code();
  run->warn_if_dropped();
  if (options.json) {
    std::printf("%s\n", to_json(report).dump(2).c_str());
  } else {
    print_human(report, options);
  }
  return exit_code;
}

int run_info(const InfoOptions& options) {
  if (!options.live.interface.empty()) return run_info_live(options);
  if (options.files.empty()) {
    print_error("info: give capture files, or -i INTERFACE to capture live");
    return kExitUsage;
  }
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  int exit_code = kExitOk;
  bool first = true;
  const std::vector<std::string> inputs =
      options.merge ? std::vector<std::string>{"(merged)"} : options.files;
  for (const std::string& path : inputs) {
    auto report = options.merge ? summarize_merged(options) : summarize(path, options);
    if (!report) {
      print_error(to_display_text(report.error().message));
      exit_code = std::max(exit_code, exit_code_for(report.error()));
      continue;
    }
    for (const Error& w : report->warnings) print_warning(to_display_text(w.message));
    if (options.json) {
      all.push_back(to_json(*report));
    } else {
      if (!first) std::printf("\n");
      print_human(*report, options);
    }
    first = false;
  }
  if (options.json) {
    const auto& doc = inputs.size() == 1 && !all.empty() ? all[0] : all;
    std::printf("%s\n", doc.dump(2).c_str());
  }
  return exit_code;
}

}  // namespace

Action add_info_command(CLI::App& app) {
  auto options = std::make_shared<InfoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "info", "Summarise captures: format, counts, bytes, times, rates, sizes, protocols, DNS, "
              "top destinations (like capinfos, plus the lab's questions)");
  cmd->add_option("files", options->files, "Capture files ('-' reads standard input); or -i to capture live");
  cmd->add_flag("--json", options->json, "Print JSON: one object per file, a list for several");
  add_input_options(cmd, options->input);
  cmd->add_flag("--merge", options->merge, "Report all files as one capture, merged in time order");
  cmd->add_flag("--utc", options->utc, "Show times in UTC instead of the local time zone");
  cmd->add_option("--top", options->top, "How many top destinations to list")->capture_default_str();
  add_live_options(cmd, options->live);
  return [options] { return run_info(*options); };
}

}  // namespace pcapframe::cli
