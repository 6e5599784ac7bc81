// SPDX-License-Identifier: MIT
// `pcapframe capture -i IFACE -w FILE`: a live capture into a pcap or pcapng file through
// libpcap, stopped by --count, --duration or Ctrl-C, the file renamed into place complete.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <string>

#include "commands.hpp"
#include "human.hpp"
#include "live_input.hpp"
#include "pcapframe/live.hpp"
#include "pcapframe/writer.hpp"

namespace pcapframe::cli {

namespace {

struct CaptureCommandOptions {
  LiveInputOptions live;
  std::string write;
  std::string filter;
  std::string format;  // "pcap", "pcapng" or empty (from the file name)
  std::string time_precision = "nano";
  bool list = false;
  bool quiet = false;
};

int list_interfaces() {
  auto interfaces = LiveCapture::list_interfaces();
  if (!interfaces) {
    print_error(interfaces.error().message);
    return kExitBadInput;
  }
  std::string text;
  std::size_t index = 0;
  for (const LiveInterface& i : *interfaces) {
    std::string flags;
    const auto flag = [&](bool on, const char* name) {
      if (on) flags += (flags.empty() ? "" : ", ") + std::string(name);
    };
    flag(i.up, "Up");
    flag(i.running, "Running");
    flag(i.loopback, "Loopback");
    flag(i.wireless, "Wireless");
    text += fmt::format("{}. {}", ++index, i.name);
    if (!i.description.empty()) text += fmt::format(" ({})", i.description);
    if (!flags.empty()) text += fmt::format(" [{}]", flags);
    for (const std::string& address : i.addresses) text += " " + address;
    text += "\n";
  }
  if (interfaces->empty()) text = "no capture interfaces found (not permitted to list them?)\n";
  return write_stdout(text) ? kExitOk : kExitBadInput;
}

// Why a file could not be created, when privilege was given up before creating it.
std::string user_note(const LiveRun& run) {
  if (run.user().empty()) return {};
  return fmt::format(
      " (running as {} since the interface was opened: write where {} may, or pass --user root)",
      run.user(), run.user());
}

int run_capture(const CaptureCommandOptions& options) {
  if (options.list) return list_interfaces();
  if (options.live.interface.empty()) {
    print_error("capture: -i INTERFACE is required (see `pcapframe capture --list-interfaces`)");
    return kExitUsage;
  }
  if (options.write.empty()) {
    print_error(
        "capture: -w FILE is required ('-' writes to standard output); for a summary "
        "without a file, use `pcapframe info -i " +
        options.live.interface + "`");
    return kExitUsage;
  }
  if (options.write == "-" && ::isatty(STDOUT_FILENO) == 1) {
    print_error(
        "capture: not writing a capture to a terminal; redirect standard output or give a file "
        "name");
    return kExitUsage;
  }
  const WriteFormat format = options.format.empty()       ? write_format_for(options.write)
                             : options.format == "pcapng" ? WriteFormat::Pcapng
                                                          : WriteFormat::Pcap;
  const bool nanosecond = options.time_precision == "nano";

  int code = kExitOk;
  const auto run = LiveRun::open(options.live, options.filter, options.quiet, code);
  if (!run) return code;

  // Privilege is gone by now: the file is created as the user the capture runs as.
  WriteOptions write;
  write.format = format;
  write.nanosecond = nanosecond;
  write.link = run->capture().link();
  write.snaplen = run->capture().snaplen();
  write.interface_name = run->capture().interface_name();
  write.filter = run->capture().filter();
  write.application = std::string(kVersionText) + " (" + LiveCapture::library_version() + ")";
  auto writer = CaptureWriter::create(options.write, write);
  if (!writer) {
    print_error(writer.error().message + user_note(*run));
    return kExitBadInput;
  }

  std::optional<Error> write_error;
  run->on_idle([&] {
    if (write_error) return;
    if (auto flushed = writer->flush(); !flushed) {
      write_error = flushed.error();
      run->stop();
    }
  });
  Record record;
  while (run->next(record)) {
    if (auto written = writer->write(record); !written) {
      write_error = written.error();
      run->stop();
    }
  }
  run->finish();
  if (run->stats()) writer->set_statistics(*run->stats(), run->start_ns(), run->end_ns());
  const std::uint64_t records = writer->records_written();
  auto finished = writer->finish();
  if (!finished && !write_error) write_error = finished.error();

  run->print_summary();
  if (options.write != "-" && (finished || write_error)) {
    std::fprintf(stderr, "%s %s: %s packets, %s (%s, %s timestamps)\n", finished ? "wrote" : "kept",
                 options.write.c_str(), with_thousands(records).c_str(),
                 si_units(static_cast<double>(writer->bytes_written()), "B").c_str(),
                 format == WriteFormat::Pcapng ? "pcapng" : "pcap",
                 nanosecond ? "nanosecond" : "microsecond");
  }
  int exit_code = run->exit_code();
  if (write_error) {
    print_error(write_error->message);
    exit_code = kExitBadInput;
  }
  return exit_code;
}

}  // namespace

Action add_capture_command(CLI::App& app) {
  auto options = std::make_shared<CaptureCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "capture", "Capture packets from a network interface into a pcap or pcapng file (libpcap)");
  add_live_options(cmd, options->live, /*capture_command=*/true);
  cmd->add_option("-w,--write", options->write,
                  "Write the packets to this file ('-': standard output); it appears complete when "
                  "the capture ends");
  cmd->add_option("-f,--filter", options->filter,
                  "BPF capture filter (tcpdump syntax), run in the kernel");
  cmd->add_option("--format", options->format,
                  "File format (default: pcapng for *.pcapng, else pcap)")
      ->check(CLI::IsMember({"pcap", "pcapng"}));
  cmd->add_option("--time-precision", options->time_precision,
                  "Timestamps in the file: nano (what the kernel gives), or micro for old readers")
      ->check(CLI::IsMember({"micro", "nano"}))
      ->capture_default_str();
  cmd->add_flag("-D,--list-interfaces", options->list,
                "List the interfaces to capture on, and exit");
  cmd->add_flag("-q,--quiet", options->quiet, "No status line");
  cmd->footer(
      "Capturing needs root, or CAP_NET_RAW and CAP_NET_ADMIN on the binary "
      "(sudo setcap cap_net_raw,cap_net_admin=eip $(command -v pcapframe)). Started as root, "
      "pcapframe runs as --user (default: the user who ran sudo) once the interface is open, "
      "and creates the file as that user. Ctrl-C, SIGTERM, --count or --duration end the "
      "capture; the file is written under a temporary name and renamed when complete. At the "
      "end libpcap's counters are shown: packets received, dropped by the kernel, dropped by "
      "the interface. See docs/CAPTURE.md.");
  return [options] { return run_capture(*options); };
}

}  // namespace pcapframe::cli
