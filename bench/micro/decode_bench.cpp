// SPDX-License-Identifier: MIT
// decode_frame() on typical frames of the sample capture, one at a time and as the mix.
#include <benchmark/benchmark.h>

#include "pcapframe/decode.hpp"
#include "sample_frames.hpp"

namespace pcapframe::bench {
namespace {

void decode_one(benchmark::State& state, const OwnedFrame& frame) {
  PacketFields fields;
  for (auto _ : state) {
    decode_frame(frame.record.link, frame.record.bytes, fields);
    benchmark::DoNotOptimize(fields);
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_DecodeTcpData(benchmark::State& state) {
  decode_one(state,
             first_frame("full-size IPv4 TCP segment", [](const Record& r, const PacketFields& f) {
               return f.ip_src.version == 4 && f.transport == Transport::Tcp && r.caplen >= 1500;
             }));
}
BENCHMARK(BM_DecodeTcpData);

void BM_DecodeDnsQuery(benchmark::State& state) {
  decode_one(state, first_frame("IPv4 DNS query", [](const Record&, const PacketFields& f) {
               return f.ip_src.version == 4 && f.dns_message && !f.dns_is_response &&
                      f.dns_query.present();
             }));
}
BENCHMARK(BM_DecodeDnsQuery);

void BM_DecodeDnsAnswer(benchmark::State& state) {
  decode_one(state, first_frame("IPv4 DNS answer", [](const Record&, const PacketFields& f) {
               return f.ip_src.version == 4 && f.dns_is_response && f.dns_answer.present();
             }));
}
BENCHMARK(BM_DecodeDnsAnswer);

void BM_DecodeIpv6Udp(benchmark::State& state) {
  decode_one(state,
             first_frame("IPv6 UDP datagram (not DNS)", [](const Record&, const PacketFields& f) {
               return f.ip_src.version == 6 && f.transport == Transport::Udp && !f.dns_message &&
                      !f.is_fragment;
             }));
}
BENCHMARK(BM_DecodeIpv6Udp);

// Every frame of the sample in capture order: the mix the end-to-end benchmarks see.
void BM_DecodeSampleMix(benchmark::State& state) {
  const auto& frames = sample_frames();
  PacketFields fields;
  for (auto _ : state) {
    for (const OwnedFrame& f : frames) {
      decode_frame(f.record.link, f.record.bytes, fields);
      benchmark::DoNotOptimize(fields);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(frames.size()));
}
BENCHMARK(BM_DecodeSampleMix);

}  // namespace
}  // namespace pcapframe::bench

BENCHMARK_MAIN();
