// SPDX-License-Identifier: MIT
// Stable names of the reader's enums.
#include "pcapframe/capture.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

std::string_view error_code_name(ErrorCode code) noexcept {
  switch (code) {
    case ErrorCode::Io: return "io";
    case ErrorCode::NotACapture: return "not_a_capture";
    case ErrorCode::UnsupportedVersion: return "unsupported_version";
    case ErrorCode::Truncated: return "truncated";
    case ErrorCode::CorruptRecord: return "corrupt_record";
    case ErrorCode::CorruptCompression: return "corrupt_compression";
    case ErrorCode::InvalidArgument: return "invalid_argument";
    case ErrorCode::PermissionDenied: return "permission_denied";
  }
  return "unknown";
}

std::string_view capture_format_name(CaptureFormat format) noexcept {
  switch (format) {
    case CaptureFormat::Pcap: return "pcap";
    case CaptureFormat::PcapModified: return "pcap (modified)";
    case CaptureFormat::Pcapng: return "pcapng";
  }
  return "unknown";
}

}  // namespace pcapframe
