// SPDX-License-Identifier: MIT
// The micro-benchmarks' inputs: the bundled sample capture, loaded once (also decoded), and
// typical frames picked from it by what they decode to.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"

namespace pcapframe::bench {

/// A frame copied out of the reader's buffer, with the record fields it came with.
struct OwnedFrame {
  Record record;  // `bytes` is re-pointed at `data` by frames()
  std::vector<std::byte> data;
};

/// The sample capture's path: $PCAPFRAME_SAMPLE, else data/sample.pcap of the source tree.
inline std::string sample_path() {
  if (const char* env = std::getenv("PCAPFRAME_SAMPLE")) return env;
  return PCAPFRAME_SAMPLE_PCAP;
}

/// The whole sample file's bytes.
inline const std::vector<std::byte>& sample_bytes() {
  static const std::vector<std::byte> bytes = [] {
    std::ifstream in(sample_path(), std::ios::binary);
    const std::vector<char> chars((std::istreambuf_iterator<char>(in)), {});
    if (chars.empty()) {
      std::fprintf(stderr, "cannot read %s\n", sample_path().c_str());
      std::exit(1);
    }
    std::vector<std::byte> out(chars.size());
    for (std::size_t i = 0; i < chars.size(); ++i) out[i] = static_cast<std::byte>(chars[i]);
    return out;
  }();
  return bytes;
}

/// Every record of the sample, copied out of the reader's buffer.
inline const std::vector<OwnedFrame>& sample_frames() {
  static const std::vector<OwnedFrame> frames = [] {
    std::vector<OwnedFrame> out;
    auto reader = CaptureReader::open_memory(sample_bytes(), "sample");
    if (!reader) {
      std::fprintf(stderr, "%s\n", reader.error().message.c_str());
      std::exit(1);
    }
    Record record;
    while (reader->next(record)) {
      out.push_back({record, std::vector<std::byte>(record.bytes.begin(), record.bytes.end())});
    }
    for (OwnedFrame& f : out) f.record.bytes = f.data;
    return out;
  }();
  return frames;
}

/// Every record of the sample with its decoded fields (the input of the table and analyses).
inline const std::vector<std::pair<Record, PacketFields>>& decoded_sample() {
  static const auto decoded = [] {
    std::vector<std::pair<Record, PacketFields>> out;
    for (const OwnedFrame& f : sample_frames()) {
      PacketFields fields;
      decode_frame(f.record.link, f.record.bytes, fields);
      out.emplace_back(f.record, fields);
    }
    return out;
  }();
  return decoded;
}

/// The first sample frame for which `pick(record, fields)` holds; exits if there is none.
inline const OwnedFrame& first_frame(
    const char* what, const std::function<bool(const Record&, const PacketFields&)>& pick) {
  PacketFields fields;
  for (const OwnedFrame& f : sample_frames()) {
    decode_frame(f.record.link, f.record.bytes, fields);
    if (pick(f.record, fields)) return f;
  }
  std::fprintf(stderr, "no %s frame in %s\n", what, sample_path().c_str());
  std::exit(1);
}

}  // namespace pcapframe::bench
