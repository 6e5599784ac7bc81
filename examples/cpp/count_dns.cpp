// SPDX-License-Identifier: MIT
// Count DNS queries per name with the pcapframe C++ library: open, decode, aggregate.
#include <pcapframe/analysis.hpp>
#include <pcapframe/capture.hpp>
#include <pcapframe/decode.hpp>
#include <pcapframe/export.hpp>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CAPTURE\n", argv[0]);
    return 1;
  }
  auto reader = pcapframe::CaptureReader::open(argv[1]);
  if (!reader) {
    std::fprintf(stderr, "%s\n", reader.error().message.c_str());
    return 2;
  }
  pcapframe::DnsAnalysis dns;
  pcapframe::Record record;
  pcapframe::PacketFields fields;
  while (reader->next(record)) {
    pcapframe::decode_frame(record.link, record.bytes, fields);
    dns.add(record, fields);
  }
  const pcapframe::DnsReport report = dns.finish();
  std::printf("%llu queries, %llu responses\n", static_cast<unsigned long long>(report.queries),
              static_cast<unsigned long long>(report.responses));
  for (const pcapframe::DnsNameReport& name : report.names)
    std::printf("%6llu  %s\n", static_cast<unsigned long long>(name.queries),
                pcapframe::to_display_text(name.name).c_str());  // packet text: escape it
  return 0;
}
