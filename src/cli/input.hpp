// SPDX-License-Identifier: MIT
// What every reading subcommand shares: --strict, --filter, --quiet, and the decode loop
// with its progress bar.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"

namespace pcapframe::cli {

struct InputOptions {
  bool strict = false;
  std::string filter;
  bool quiet = false;
};

/// Register --strict, -f/--filter and -q/--quiet on `command`.
void add_input_options(CLI::App* command, InputOptions& options);

/// The reader options the input options ask for.
CaptureOptions capture_options(const InputOptions& options);

/// A one-line progress bar on stderr for reads that last more than about two seconds;
/// silent when stderr is not a terminal or with --quiet.
class Progress {
 public:
  Progress(const InputOptions& options, std::optional<std::uint64_t> total_bytes);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Called per record; looks at the clock every few thousand records only.
  void tick(std::uint64_t bytes_read, std::uint64_t packets) {
    if ((++ticks_ & 0xfff) == 0 && enabled_) update(bytes_read, packets);
  }

 private:
  void update(std::uint64_t bytes_read, std::uint64_t packets);

  bool enabled_;
  bool shown_ = false;
  std::optional<std::uint64_t> total_bytes_;
  std::uint64_t ticks_ = 0;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

/// Decode every record of `reader` (a CaptureReader or a MergedReader) and hand it to
/// `consume(record, fields)`. `total_bytes` sizes the progress bar when known.
template <class Reader, class Consume>
void for_each_frame(Reader& reader, const InputOptions& options,
                    std::optional<std::uint64_t> total_bytes, Consume&& consume) {
  Progress progress(options, total_bytes);
  Record record;
  PacketFields fields;
  while (reader.next(record)) {
    decode_frame(record.link, record.bytes, fields);
    consume(record, fields);
    progress.tick(reader.bytes_consumed(), reader.records_read());
  }
}

}  // namespace pcapframe::cli
