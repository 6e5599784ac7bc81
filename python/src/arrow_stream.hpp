// SPDX-License-Identifier: MIT
// A Capture as an Arrow C stream (one record batch), without copying its numeric columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "arrow_c_abi.h"
#include "capture_data.hpp"
#include "pcapframe/schema.hpp"

namespace pcapframe::python {

/// How the `datetime` column leaves: UTC instants tagged with a zone, or naive local time.
struct TimestampOptions {
  bool naive_local = false;  // true: local wall time (TZ environment), no zone
  std::string zone = "UTC";  // the zone Arrow consumers display, when not naive
};

/// Fill `out` with a stream of one struct batch holding `columns` of `capture`, in order.
///
/// Numeric columns and dictionary ids are the capture's own buffers (the stream and every
/// array it yields keep the capture alive); strings leave as dictionaries, one entry per
/// distinct value. Arrow types: datetime timestamp[ns], time/time_normed float64, is_dns
/// bool, lengths and the lab's integers int64, the narrower extra fields in their own width,
/// text columns dictionary<int32 or int8, utf8>. DNS names are the display text (valid
/// UTF-8, escaped like the CLI's output). Missing values are Arrow nulls.
void export_arrow_stream(std::shared_ptr<Capture> capture, std::vector<Column> columns,
                         TimestampOptions timestamps, ArrowArrayStream* out);

}  // namespace pcapframe::python
