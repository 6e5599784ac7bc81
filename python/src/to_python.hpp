// SPDX-License-Identifier: MIT
// Conversions shared by the binding files: engine errors as plain tuples, and vectors the
// bindings computed as numpy arrays that own them.
#pragma once

#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "pcapframe/result.hpp"

namespace pcapframe::python {

/// (code, byte offset, record number, message): errors and warnings as plain tuples; the
/// Python layer turns them into exceptions and warnings.
using ErrorTuple = std::tuple<std::string, std::uint64_t, std::uint64_t, std::string>;

inline ErrorTuple to_tuple(const Error& e) {
  return {std::string(error_code_name(e.code)), e.offset, e.record, e.message};
}

/// Return a 1-D numpy array that takes over `values` (its owner, a capsule, deletes them).
template <class T>
nanobind::object to_numpy(std::vector<T>&& values) {
  namespace nb = nanobind;
  static T empty[1] = {};
  auto* owned = new std::vector<T>(std::move(values));
  nb::capsule owner(owned, [](void* p) noexcept { delete static_cast<std::vector<T>*>(p); });
  const std::size_t shape[1] = {owned->size()};
  return nb::cast(nb::ndarray<nb::numpy, T, nb::ndim<1>, nb::c_contig>(
      owned->empty() ? empty : owned->data(), 1, shape, owner));
}

}  // namespace pcapframe::python
