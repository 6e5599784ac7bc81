// SPDX-License-Identifier: MIT
// The streaming analyses for Python (analyses.cpp): the library's TopAnalysis, FlowAnalysis,
// DirectionAnalysis, DnsAnalysis, RatesAnalysis, SizesAnalysis and NamesAnalysis wrapped as
// frame observers that a `_core.Reader` feeds in its read loop (one pass, GIL released,
// Ctrl-C checked there), so every source the reader takes (path, bytes, file object) and
// its strict/filter/progress options work for the analyses too.
#pragma once

#include <nanobind/nanobind.h>

#include "pcapframe/capture.hpp"
#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"

namespace pcapframe::python {

/// Something fed every decoded frame of a read. `add` runs with the GIL released and must
/// not touch Python objects; `end` is called once, after the input's last record.
class FrameObserver {
 public:
  virtual ~FrameObserver() = default;
  virtual void add(const Record& record, const PacketFields& fields) = 0;
  /// The input ended (not called when reading failed): pcapng name records are final.
  virtual void end(const CaptureReader& reader) { (void)reader; }
};

/// Register the analysis classes (TopAnalysis, FlowAnalysis, ..., NamesAnalysis) and their
/// base FrameObserver on the `_core` module.
void register_analyses(nanobind::module_& m);

}  // namespace pcapframe::python
