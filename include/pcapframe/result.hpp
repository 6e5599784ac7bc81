// SPDX-License-Identifier: MIT
// Result<T>: a value or an Error, with the member names of std::expected.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace pcapframe {

/// What kind of failure an Error reports. Stable: append, never renumber.
enum class ErrorCode : std::uint8_t {
  Io,                  // the operating system refused (open, read)
  NotACapture,         // the first bytes are no capture format we know
  UnsupportedVersion,  // a known format in a version we cannot read
  Truncated,           // the input ends inside a header or record
  CorruptRecord,       // a record or block header holds an impossible value
  CorruptCompression,  // a compressed stream is damaged
  InvalidArgument,     // the caller asked for something impossible (bad filter, column)
  PermissionDenied,    // the operating system does not allow it (live capture without privilege)
};

/// Return the stable lower-case name of `code` ("not_a_capture").
std::string_view error_code_name(ErrorCode code) noexcept;

/// A cold-path failure: opening a file, or a corrupt file.
struct Error {
  ErrorCode code = ErrorCode::Io;
  std::uint64_t offset = 0;  // byte offset where reading failed
  std::uint64_t record = 0;  // records read before the failure (messages count from 1)
  std::string message;       // names the file and what was found there
};

/// Tag type holding an Error, so that `return unexpected(err);` reads like std::expected.
struct Unexpected {
  Error error;
};
inline Unexpected unexpected(Error e) { return Unexpected{std::move(e)}; }

/// Hold either a T or an Error; the subset of std::expected<T, Error> we use.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit
  Result(Unexpected u) : state_(std::in_place_index<1>, std::move(u.error)) {}  // NOLINT

  bool has_value() const noexcept { return state_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(state_); }
  const T& value() const& { return std::get<0>(state_); }
  T&& value() && { return std::get<0>(std::move(state_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& { return std::get<1>(state_); }
  Error&& error() && { return std::get<1>(std::move(state_)); }

 private:
  std::variant<T, Error> state_;
};

/// Success with nothing to return, or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Unexpected u) : error_(std::move(u.error)), ok_(false) {}  // NOLINT: implicit

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  const Error& error() const& { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

}  // namespace pcapframe
