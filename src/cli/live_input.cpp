// SPDX-License-Identifier: MIT
#include "live_input.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "human.hpp"

namespace pcapframe::cli {

namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(200);  // at most 5 redraws a second
constexpr auto kRateEvery = std::chrono::seconds(1);
constexpr int kWaitSliceMs = 200;

// The capture a signal should end. A signal handler may only touch lock-free atomics and
// call async-signal-safe functions: LiveCapture::stop() is an atomic store and a write().
std::atomic<LiveCapture*> g_active{nullptr};
static_assert(std::atomic<LiveCapture*>::is_always_lock_free);

extern "C" void stop_on_signal(int /*signal*/) {
  if (LiveCapture* capture = g_active.load()) capture->stop();
}

// SIGINT (Ctrl-C), SIGTERM and SIGHUP end the capture cleanly. SA_RESETHAND: a second one
// takes the default action, for when the clean stop itself hangs.
constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[std::size(kStopSignals)];

void install_handlers(LiveCapture* capture) {
  g_active.store(capture);
  struct sigaction action {};
  action.sa_handler = stop_on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = static_cast<int>(SA_RESETHAND);  // no SA_RESTART: poll() returns EINTR
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
    sigaction(kStopSignals[i], &action, &g_previous[i]);
}

void restore_handlers() {
  for (std::size_t i = 0; i < std::size(kStopSignals); ++i)
    sigaction(kStopSignals[i], &g_previous[i], nullptr);
  g_active.store(nullptr);
}

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

std::string executable_path() {
  char buffer[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buffer, sizeof buffer - 1);
  if (n <= 0) return "$(command -v pcapframe)";
  return std::string(buffer, static_cast<std::size_t>(n));
}

// The library names the problem; the command line also names the fix for this binary.
std::string open_error_text(const Error& error) {
  if (error.code != ErrorCode::PermissionDenied) return error.message;
  const std::size_t cut = error.message.find("; ");
  return error.message.substr(0, cut) +
         "; run as root, or give the binary CAP_NET_RAW and CAP_NET_ADMIN: sudo setcap "
         "cap_net_raw,cap_net_admin=eip " +
         executable_path();
}

}  // namespace

void add_live_options(CLI::App* command, LiveInputOptions& options, bool capture_command) {
  // On a command that reads files by default, each live-only option says so.
  const auto live = [capture_command](std::string text) {
    if (capture_command) return text;
    text[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(text[0])));
    return "With -i: " + text;
  };
  command->add_option("-i,--interface", options.interface,
                      capture_command
                          ? "The interface to capture on (see --list-interfaces)"
                          : "Capture live on this interface instead of reading a file (see "
                            "`pcapframe capture --list-interfaces`)");
  command->add_option("-c,--count", options.count, live("Stop after this many packets"));
  command->add_option(
      "--duration", options.duration,
      live("Stop after this long (30s, 500ms, 2m, or seconds: 1.5); Ctrl-C also stops"));
  command
      ->add_option("-s,--snaplen", options.snaplen,
                   live("Bytes kept of each packet (0: the maximum)"))
      ->capture_default_str();
  command->add_flag("-p,--no-promiscuous-mode", options.no_promisc,
                    live("Do not put the interface in promiscuous mode"));
  command->add_option("-B,--buffer-size", options.buffer_kib,
                      live("Kernel capture buffer in KiB (default: libpcap's, 2 MiB)"));
  command->add_flag("--immediate", options.immediate,
                    live("Hand each packet over at once instead of in batches (up to 100 ms)"));
  command->add_option(
      "-Z,--user", options.user,
      live("Once the interface is open, run as this user if started as root (default: "
           "the user who ran sudo; 'root' stays root)"));
}

std::string decide_user(const std::string& requested) {
  if (!requested.empty())
    return requested == "root" && ::geteuid() == 0 ? std::string() : requested;
  if (::geteuid() != 0) return {};
  const char* sudo_user = std::getenv("SUDO_USER");
  if (sudo_user == nullptr || *sudo_user == '\0' || std::string_view(sudo_user) == "root")
    return {};
  return sudo_user;
}

std::unique_ptr<LiveRun> LiveRun::open(const LiveInputOptions& options, const std::string& filter,
                                       bool quiet, int& exit_code) {
  std::optional<std::int64_t> duration_ns;
  if (!options.duration.empty()) {
    duration_ns = parse_duration_ns(options.duration);
    if (!duration_ns) {
      print_error(fmt::format("--duration: '{}' is not a duration (30s, 500ms, 2m, 1.5)",
                              options.duration));
      exit_code = kExitUsage;
      return nullptr;
    }
  }
  if (options.snaplen > kMaxCaplen) {
    print_error(fmt::format("--snaplen: at most {}", kMaxCaplen));
    exit_code = kExitUsage;
    return nullptr;
  }
  LiveOptions live;
  live.snaplen = options.snaplen;
  live.filter = filter;
  live.promisc = !options.no_promisc;
  live.buffer_size =
      options.buffer_kib > 4u * 1024 * 1024 ? 0xffffffffu : options.buffer_kib * 1024u;
  live.immediate = options.immediate;
  auto opened = LiveCapture::open(options.interface, live);
  if (!opened) {
    print_error(open_error_text(opened.error()));
    exit_code = exit_code_for(opened.error());
    return nullptr;
  }
  for (const Error& w : opened->warnings()) print_warning(w.message);

  // Privilege is needed to open the device only: give it up before reading a single packet
  // (and before any output file is created). If that fails, stop here.
  const std::string user = decide_user(options.user);
  if (!user.empty()) {
    if (auto dropped = drop_privileges(user); !dropped) {
      print_error(dropped.error().message + "; refusing to capture with privileges kept");
      exit_code = exit_code_for(dropped.error());
      return nullptr;
    }
  } else if (::geteuid() != 0) {
    // Not root: any capabilities (setcap) were for opening the device only.
    if (auto dropped = drop_capabilities(); !dropped) {
      print_error(dropped.error().message + "; refusing to capture with privileges kept");
      exit_code = kExitBadInput;
      return nullptr;
    }
  }
  const bool status = !quiet && ::isatty(STDERR_FILENO) == 1;
  // Signal handlers are in place once the run exists; only then say that capture started.
  std::unique_ptr<LiveRun> run(new LiveRun(std::move(*opened), options.count, duration_ns, status));
  run->user_ = user;
  if (!quiet) {
    // Like tcpdump's "listening on": from here on, packets are being captured.
    const LiveCapture& c = run->capture();
    const std::string_view link = link_type_name(c.link());
    std::string line = fmt::format("capturing on {}: link type {} ({}), snapshot length {} bytes",
                                   c.interface_name(), link.empty() ? "?" : link,
                                   static_cast<unsigned>(c.link()), c.snaplen());
    if (!c.filter().empty()) line += fmt::format(", filter '{}'", c.filter());
    if (!user.empty()) line += fmt::format(", running as {}", user);
    std::fprintf(stderr, "%s\n", line.c_str());
    std::fflush(stderr);
  }
  return run;
}

LiveRun::LiveRun(LiveCapture capture, std::uint64_t count, std::optional<std::int64_t> duration_ns,
                 bool status)
    : capture_(std::move(capture)),
      count_limit_(count),
      duration_ns_(duration_ns),
      status_enabled_(status) {
  start_ = std::chrono::steady_clock::now();
  stopped_at_ = start_;
  last_draw_ = start_;
  last_idle_ = start_;
  rate_at_ = start_;
  start_ns_ = now_ns();
  end_ns_ = start_ns_;
  install_handlers(&capture_);
}

LiveRun::~LiveRun() {
  if (g_active.load() == &capture_) restore_handlers();
}

double LiveRun::elapsed_s() const noexcept {
  const auto until = end_ == LiveEnd::Running ? std::chrono::steady_clock::now() : stopped_at_;
  return std::chrono::duration<double>(until - start_).count();
}

bool LiveRun::next(Record& record) {
  if (end_ != LiveEnd::Running) return false;
  const auto finish_with = [&](LiveEnd why) {
    end_ = why;
    stopped_at_ = std::chrono::steady_clock::now();
    end_ns_ = now_ns();
    return false;
  };
  if (count_limit_ != 0 && capture_.records_read() >= count_limit_)
    return finish_with(LiveEnd::Count);
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    int wait = kWaitSliceMs;
    if (duration_ns_) {
      const auto left = std::chrono::nanoseconds(*duration_ns_) - (now - start_);
      if (left <= std::chrono::nanoseconds(0)) return finish_with(LiveEnd::Duration);
      wait = static_cast<int>(
          std::min<std::int64_t>(wait, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
    }
    if (now - last_idle_ >= kRedrawEvery) {
      last_idle_ = now;
      if (idle_) idle_();
      draw_status();
    }
    switch (capture_.next(record, wait)) {
      case LiveStatus::Packet:
        return true;
      case LiveStatus::Timeout:
        continue;
      case LiveStatus::Stopped:
        return finish_with(LiveEnd::Signal);
      case LiveStatus::Failed:
        return finish_with(LiveEnd::Failed);
    }
  }
}

void LiveRun::draw_status() {
  if (!status_enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  if (rate_at_ == start_ && now - start_ < kRateEvery) {  // no full second yet: the average so far
    const double dt = std::chrono::duration<double>(now - start_).count();
    packets_per_s_ = static_cast<double>(capture_.records_read()) / dt;
    bits_per_s_ = 8.0 * static_cast<double>(capture_.wire_bytes()) / dt;
  } else if (now - rate_at_ >= kRateEvery) {
    const double dt = std::chrono::duration<double>(now - rate_at_).count();
    packets_per_s_ = static_cast<double>(capture_.records_read() - rate_packets_) / dt;
    bits_per_s_ = 8.0 * static_cast<double>(capture_.wire_bytes() - rate_bytes_) / dt;
    rate_at_ = now;
    rate_packets_ = capture_.records_read();
    rate_bytes_ = capture_.wire_bytes();
  }
  if (auto s = capture_.stats()) drops_seen_ = s->dropped + s->if_dropped;
  std::string line =
      fmt::format("capturing on {}: {} packets, {}, {}, {}, {} dropped", capture_.interface_name(),
                  with_thousands(capture_.records_read()),
                  si_units(static_cast<double>(capture_.wire_bytes()), "B"),
                  with_thousands(static_cast<std::uint64_t>(packets_per_s_ + 0.5)) + " packets/s",
                  si_units(bits_per_s_, "bit/s"), with_thousands(drops_seen_));
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  if (duration_ns_) {
    const double left = static_cast<double>(*duration_ns_) / 1e9 - elapsed;
    line += fmt::format(", {:.0f} s left", left < 0 ? 0 : left);
  } else {
    line += fmt::format(", {:.0f} s (Ctrl-C stops)", elapsed);
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
  status_shown_ = true;
}

void LiveRun::finish() {
  if (end_ == LiveEnd::Running) {
    end_ = LiveEnd::Signal;
    stopped_at_ = std::chrono::steady_clock::now();
    end_ns_ = now_ns();
  }
  if (auto s = capture_.stats()) stats_ = *s;
  if (status_shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    status_shown_ = false;
  }
  if (g_active.load() == &capture_) restore_handlers();
}

std::string LiveRun::summary_line() const {
  return fmt::format("{}: {} packets captured in {:.2f} s; {}", capture_.interface_name(),
                     with_thousands(capture_.records_read()), elapsed_s(), counters_text(stats_));
}

std::string counters_text(const std::optional<LiveStats>& stats) {
  if (!stats) return "libpcap gave no counters";
  return fmt::format("received {}, dropped by kernel {}, dropped by interface {}",
                     with_thousands(stats->received), with_thousands(stats->dropped),
                     with_thousands(stats->if_dropped));
}

void LiveRun::print_summary() const {
  std::fprintf(stderr, "%s\n", summary_line().c_str());
  warn_if_dropped();
}

const char* LiveRun::end_name() const noexcept {
  switch (end_) {
    case LiveEnd::Running:
      return "running";
    case LiveEnd::Count:
      return "count";
    case LiveEnd::Duration:
      return "duration";
    case LiveEnd::Signal:
      return "signal";
    case LiveEnd::Failed:
      return "error";
  }
  return "";
}

void LiveRun::warn_if_dropped() const {
  if (stats_ && stats_->dropped + stats_->if_dropped > 0) {
    print_warning(
        fmt::format("{} packets were lost before pcapframe saw them: a larger --buffer-size, a "
                    "narrower --filter or a smaller --snaplen helps",
                    with_thousands(stats_->dropped + stats_->if_dropped)));
  }
}

int LiveRun::exit_code() const {
  if (end_ == LiveEnd::Failed && capture_.error()) {
    print_error(capture_.error()->message);
    return kExitBadInput;
  }
  return kExitOk;
}

CaptureInfo live_info(const LiveRun& run) {
  CaptureInfo info = run.capture().info();
  info.name = "live: " + info.name;
  return info;
}

}  // namespace pcapframe::cli
