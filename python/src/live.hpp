// SPDX-License-Identifier: MIT
// Live capture for Python (live.cpp): registers capture_to_file, list_interfaces and
// libpcap_version on the `_core` module.
#pragma once

#include <nanobind/nanobind.h>

namespace pcapframe::python {

void register_live(nanobind::module_& m);

}  // namespace pcapframe::python
