// SPDX-License-Identifier: MIT
// decode_dns_name at every offset of the input taken as a DNS message, then the record walk:
// loop-proof, bounded, and a decoded name is well formed and ends inside the message.
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace pcapframe;
  const Bytes message = fuzz::bytes_of(data, size);
  for (std::size_t offset = 0; offset <= size; ++offset) {
    DnsName name;
    std::size_t next = SIZE_MAX;
    const Anomaly a = decode_dns_name(message, offset, name, next);
    if (a != Anomaly::None) {
      PCAPFRAME_FUZZ_CHECK(a == Anomaly::TruncatedDns || a == Anomaly::BadDnsName);
      continue;
    }
    fuzz::check_name(name);
    PCAPFRAME_FUZZ_CHECK(name.present() && next > offset && next <= size);
  }
  PacketFields fields;
  fields.dns_message = true;
  fields.dns_length = static_cast<std::uint32_t>(size);
  fuzz::walk_dns(message, fields);
  return 0;
}
