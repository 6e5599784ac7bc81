// SPDX-License-Identifier: MIT
#include "input.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

#include "human.hpp"

namespace pcapframe::cli {

namespace {
constexpr auto kShowAfter = std::chrono::seconds(2);
constexpr auto kRedrawEvery = std::chrono::milliseconds(200);
}  // namespace

void add_input_options(CLI::App* command, InputOptions& options) {
  command->add_flag("--strict", options.strict,
                    "Fail on a truncated or corrupt capture instead of warning");
  command->add_option("-f,--filter", options.filter,
                      "BPF filter (tcpdump syntax), applied to each frame before decoding");
  command->add_flag("-q,--quiet", options.quiet, "No progress bar");
}

CaptureOptions capture_options(const InputOptions& options) {
  CaptureOptions out;
  out.strict = options.strict;
  out.filter = options.filter;
  return out;
}

Progress::Progress(const InputOptions& options, std::optional<std::uint64_t> total_bytes)
    : enabled_(!options.quiet && ::isatty(STDERR_FILENO) == 1),
      total_bytes_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

Progress::~Progress() {
  if (shown_) std::fprintf(stderr, "\r\033[K");  // erase the bar
}

void Progress::update(std::uint64_t bytes_read, std::uint64_t packets) {
  const auto now = std::chrono::steady_clock::now();
  if (now - start_ < kShowAfter || now - last_draw_ < kRedrawEvery) return;
  last_draw_ = now;
  shown_ = true;
  const double seconds = std::chrono::duration<double>(now - start_).count();
  std::string line = fmt::format("{} packets, {} read, {}", with_thousands(packets),
                                 si_units(static_cast<double>(bytes_read), "B"),
                                 si_units(static_cast<double>(packets) / seconds, "packets/s"));
  if (total_bytes_ && *total_bytes_ > 0 && bytes_read <= *total_bytes_) {
    const double done = static_cast<double>(bytes_read) / static_cast<double>(*total_bytes_);
    const double left_s = done > 0 ? seconds * (1 - done) / done : 0;
    constexpr int kWidth = 24;
    const int filled = static_cast<int>(done * kWidth);
    line = fmt::format("[{}{}] {:3.0f}% {}, {:.0f} s left", std::string(static_cast<std::size_t>(filled), '#'),
                       std::string(static_cast<std::size_t>(kWidth - filled), ' '), done * 100, line, left_s);
  }
  std::fprintf(stderr, "\r\033[K%s", line.c_str());
  std::fflush(stderr);
}

}  // namespace pcapframe::cli
