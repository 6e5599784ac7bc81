// SPDX-License-Identifier: MIT
// Live input for the subcommands: -i/--interface, --count, --duration and friends; opening
// the interface and giving up privilege; the status line; Ctrl-C; libpcap's counters.
//
// To give a reading subcommand a live mode (as `info` has):
//   1. add `LiveInputOptions live;` to its options and call add_live_options(cmd, options->live);
//   2. make its file positional optional (drop ->required());
//   3. call read_input(options.file, options.live, options.input, consume, ...) where it
//      called read_capture(options.file, options.input, consume, ...).
#pragma once

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands.hpp"
#include "input.hpp"
#include "output.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/live.hpp"

namespace pcapframe::cli {

struct LiveInputOptions {
  std::string interface;    // -i: empty means "read a file"
  std::string duration;     // --duration: "30s", "500ms", "2m", "1.5"
  std::uint64_t count = 0;  // -c: stop after this many packets (0: no limit)
  std::uint32_t snaplen = kMaxCaplen;
  bool no_promisc = false;
  std::uint32_t buffer_kib = 0;  // -B: kernel buffer in KiB (0: libpcap's default)
  bool immediate = false;
  std::string user;  // -Z: run as this user once the interface is open
};

/// Register -i/--interface, -c/--count, --duration, -s/--snaplen, -p/--no-promiscuous-mode,
/// -B/--buffer-size, --immediate and -Z/--user on `command`.
/// `capture_command`: the command always captures (no "Live:" in the help, -i as the input).
void add_live_options(CLI::App* command, LiveInputOptions& options, bool capture_command = false);

/// Why a live run ended.
enum class LiveEnd : std::uint8_t { Running, Count, Duration, Signal, Failed };

/// One live capture as a subcommand runs it: open, drop privilege, next() until the count,
/// the duration or a signal ends it, then libpcap's counters.
class LiveRun {
 public:
  /// Open `options.interface` with `filter`, then give up privilege (see decide_user()).
  /// On failure print why and return nullptr with `exit_code` set.
  static std::unique_ptr<LiveRun> open(const LiveInputOptions& options, const std::string& filter,
                                       bool quiet, int& exit_code);
  ~LiveRun();
  LiveRun(const LiveRun&) = delete;
  LiveRun& operator=(const LiveRun&) = delete;

  /// The next packet, or false when the run ended (end() tells why). Draws the status line
  /// and calls the idle hook (at most every 200 ms) while waiting.
  bool next(Record& record);
  /// Called at least every 200 ms during the run (e.g. to flush an output file).
  void on_idle(std::function<void()> hook) { idle_ = std::move(hook); }
  /// End the run now (e.g. the output failed).
  void stop() { capture_.stop(); }

  /// Collect libpcap's counters and erase the status line. Call once, after the last next().
  void finish();
  /// "veth0: 12 packets captured in 3.00 s; received 12, dropped by kernel 0, dropped by
  /// interface 0" (after finish()).
  [[nodiscard]] std::string summary_line() const;
  /// Print summary_line() to stderr, then warn_if_dropped().
  void print_summary() const;
  /// Warn on stderr when libpcap counted packets lost before pcapframe saw them.
  void warn_if_dropped() const;
  /// "count", "duration", "signal" or "error": what ended the run.
  [[nodiscard]] const char* end_name() const noexcept;

  [[nodiscard]] LiveEnd end() const noexcept { return end_; }
  /// The user the run switched to after opening the device (empty: it did not switch).
  [[nodiscard]] const std::string& user() const noexcept { return user_; }
  [[nodiscard]] const LiveCapture& capture() const noexcept { return capture_; }
  [[nodiscard]] LiveCapture& capture() noexcept { return capture_; }
  [[nodiscard]] const std::optional<LiveStats>& stats() const noexcept { return stats_; }
  [[nodiscard]] std::int64_t start_ns() const noexcept { return start_ns_; }
  [[nodiscard]] std::int64_t end_ns() const noexcept { return end_ns_; }
  [[nodiscard]] double elapsed_s() const noexcept;
  /// kExitOk, or kExitBadInput when the capture failed (after printing why).
  [[nodiscard]] int exit_code() const;

 private:
  LiveRun(LiveCapture capture, std::uint64_t count, std::optional<std::int64_t> duration_ns,
          bool status);
  void draw_status();

  LiveCapture capture_;
  std::uint64_t count_limit_;
  std::optional<std::int64_t> duration_ns_;
  bool status_enabled_;
  bool status_shown_ = false;
  LiveEnd end_ = LiveEnd::Running;
  std::string user_;
  std::function<void()> idle_;
  std::optional<LiveStats> stats_;
  std::int64_t start_ns_ = 0;
  std::int64_t end_ns_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point stopped_at_;
  std::chrono::steady_clock::time_point last_draw_;
  std::chrono::steady_clock::time_point last_idle_;
  std::chrono::steady_clock::time_point rate_at_;  // the last rate sample
  std::uint64_t rate_packets_ = 0, rate_bytes_ = 0;
  double packets_per_s_ = 0, bits_per_s_ = 0;
  std::uint64_t drops_seen_ = 0;
};

/// The user a live capture should run as once its device is open: --user if given;
/// otherwise, when root was reached through sudo, the user who ran sudo (SUDO_USER), so
/// that the capture does not keep root and its files belong to that user. Empty: stay as
/// is (plain root without sudo, or --user root).
std::string decide_user(const std::string& requested);

/// A live capture's description for code written for files (name "live: IFACE").
CaptureInfo live_info(const LiveRun& run);

/// libpcap's counters as text: "received 12, dropped by kernel 0, dropped by interface 0",
/// or "libpcap gave no counters".
std::string counters_text(const std::optional<LiveStats>& stats);

/// Read `path`, or capture live when --interface is given, decoding every frame for
/// `consume(record, fields)`. A live run prints libpcap's counters at the end. `info` and
/// `name_records` are filled as read_capture() fills them. Return the exit code.
template <class Consume>
int read_input(const std::string& path, const LiveInputOptions& live, const InputOptions& input,
               Consume&& consume, CaptureInfo* info = nullptr,
               std::vector<NameRecord>* name_records = nullptr) {
  if (live.interface.empty()) {
    if (path.empty()) {
      print_error("give a capture file, or -i INTERFACE to capture live");
      return kExitUsage;
    }
    return read_capture(path, input, consume, info, name_records);
  }
  if (!path.empty()) {
    print_error("give a capture file or -i INTERFACE, not both");
    return kExitUsage;
  }
  int code = kExitOk;
  const auto run = LiveRun::open(live, input.filter, input.quiet, code);
  if (!run) return code;
  Record record;
  PacketFields fields;
  while (run->next(record)) {
    decode_frame(record.link, record.bytes, fields);
    consume(record, fields);
  }
  run->finish();
  run->print_summary();
  if (info != nullptr) *info = live_info(*run);
  if (name_records != nullptr) name_records->clear();
  return run->exit_code();
}

}  // namespace pcapframe::cli
