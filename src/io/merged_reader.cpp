// SPDX-License-Identifier: MIT
// MergedReader: several captures in timestamp order. Files are few, so the smallest head is
// found by a linear scan rather than a heap.
#include "pcapframe/capture.hpp"

namespace pcapframe {

MergedReader::MergedReader(std::vector<CaptureReader> readers)
    : readers_(std::move(readers)), heads_(readers_.size()), has_head_(readers_.size(), false) {}

bool MergedReader::next(Record& record) {
  if (!started_) {
    for (std::size_t i = 0; i < readers_.size(); ++i) has_head_[i] = readers_[i].next(heads_[i]);
    started_ = true;
  } else if (returned_ != SIZE_MAX) {
    // Only now is the caller done with the record it got last: advance that reader.
    has_head_[returned_] = readers_[returned_].next(heads_[returned_]);
  }
  std::size_t best = SIZE_MAX;
  for (std::size_t i = 0; i < readers_.size(); ++i) {
    if (has_head_[i] && (best == SIZE_MAX || heads_[i].ts_ns < heads_[best].ts_ns)) best = i;
  }
  returned_ = best;
  if (best == SIZE_MAX) return false;
  record = heads_[best];
  return true;
}

std::uint64_t MergedReader::bytes_consumed() const noexcept {
  std::uint64_t total = 0;
  for (const CaptureReader& r : readers_) total += r.bytes_consumed();
  return total;
}

std::uint64_t MergedReader::records_read() const noexcept {
  std::uint64_t total = 0;
  for (const CaptureReader& r : readers_) total += r.records_read();
  return total;
}

}  // namespace pcapframe
