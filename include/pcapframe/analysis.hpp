// SPDX-License-Identifier: MIT
// Streaming analyses: fed record by record, bounded memory (by distinct keys, not packets).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcapframe/fields.hpp"
#include "pcapframe/names.hpp"
#include "pcapframe/record.hpp"

namespace pcapframe {

/// Exact distribution of frame lengths in memory independent of the packet count:
/// one counter per length below 65536, a sorted map for the rare larger frames.
class LengthDistribution {
 public:
  void add(std::uint32_t length) noexcept;
  std::uint64_t count() const noexcept { return count_; }
  std::uint64_t sum() const noexcept { return sum_; }
  std::uint32_t min() const noexcept { return min_; }
  std::uint32_t max() const noexcept { return max_; }
  double mean() const noexcept;
  /// The q-quantile (0 <= q <= 1) with linear interpolation, as pandas' quantile() does.
  double quantile(double q) const;
  /// Call `visit(length, count)` for every length seen, in ascending order.
  template <class Visit>
  void for_each(Visit&& visit) const {
    for (std::size_t length = 0; length < small_.size(); ++length)
      if (small_[length] != 0) visit(static_cast<std::uint32_t>(length), small_[length]);
    for (const auto& [length, count] : large_) visit(length, count);
  }

 private:
  // The length at 0-based rank `rank` in sorted order.
  std::uint32_t at_rank(std::uint64_t rank) const;

  std::vector<std::uint64_t> small_ = std::vector<std::uint64_t>(65536);
  std::map<std::uint32_t, std::uint64_t> large_;
  std::uint64_t count_ = 0;
  std::uint64_t sum_ = 0;
  std::uint32_t min_ = UINT32_MAX;
  std::uint32_t max_ = 0;
};

/// A key with its traffic, for top-N lists.
struct VolumeEntry {
  std::string key;
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
};

/// What `pcapframe info` reports about a capture.
struct CaptureSummary {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;           // sum of wire lengths
  std::uint64_t captured_bytes = 0;  // sum of captured lengths
  std::optional<std::int64_t> first_ts_ns;  // earliest frame
  std::optional<std::int64_t> last_ts_ns;   // latest frame
  double duration_s = 0;
  double bytes_per_s = 0;
  double bits_per_s = 0;
  double packets_per_s = 0;
  // Wire-length statistics (all zero for an empty capture).
  std::uint32_t size_min = 0;
  std::uint32_t size_max = 0;
  double size_mean = 0;
  double size_median = 0;
  // Frames per protocol.
  std::uint64_t ipv4 = 0, ipv6 = 0, arp = 0, tcp = 0, udp = 0, icmp = 0, dns = 0;
  std::uint64_t dns_queries = 0;  // DNS messages with QR = 0
  std::optional<VolumeEntry> top_query;  // most frequent query name (packets = its count)
  std::vector<VolumeEntry> top_destinations;  // by bytes, at most `top_n`
  std::map<std::uint16_t, std::uint64_t> link_types;  // frames per LINKTYPE value
  std::uint64_t anomalies = 0;  // frames whose decoding stopped early
};

/// Compute a CaptureSummary in one pass.
class SummaryAnalysis {
 public:
  explicit SummaryAnalysis(std::size_t top_n = 5);
  ~SummaryAnalysis();
  SummaryAnalysis(SummaryAnalysis&&) noexcept;
  SummaryAnalysis& operator=(SummaryAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  CaptureSummary finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- top: volume per key ----------------------------------------------------------------

/// What `top` groups frames by. Frames without the key (no IP, no port) are left out, as a
/// pandas group-by leaves out missing keys.
enum class TopKey : std::uint8_t {
  IpDst, IpSrc, NameDst, NameSrc, MacDst, MacSrc, PortDst, PortSrc, Protocol, IpPair,
};
/// Parse "ip_dst", "name_src", "ip_pair", ...; nullopt for an unknown name.
std::optional<TopKey> parse_top_key(std::string_view text) noexcept;
std::string_view top_key_name(TopKey key) noexcept;

enum class TopMetric : std::uint8_t { ByBytes, ByPackets };

struct TopRow {
  std::string key;       // address, name, port, protocol, or "a <-> b" for pairs
  std::uint64_t bytes = 0;
  std::uint64_t packets = 0;
  double share = 0;      // of all frames' bytes (or packets, by the metric), 0..1
};

/// Bytes and packets per key, in one pass; memory grows with distinct keys only.
class TopAnalysis {
 public:
  TopAnalysis(TopKey key, TopMetric metric, std::size_t limit /* 0: all */);
  ~TopAnalysis();
  TopAnalysis(TopAnalysis&&) noexcept;
  TopAnalysis& operator=(TopAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  /// Rows by the metric, largest first (ties by key). Name keys need `names`; an address
  /// without a name stays as its address text.
  std::vector<TopRow> finish(const NameMap* names = nullptr) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- flows: the 5-tuple, one way or both ------------------------------------------------

struct FlowRow {
  IpAddress src;   // bidirectional: endpoint A, the sender of the conversation's first frame
  IpAddress dst;   // bidirectional: endpoint B
  std::optional<std::uint16_t> port_src;
  std::optional<std::uint16_t> port_dst;
  Transport protocol = Transport::None;
  std::uint8_t ip_proto = 0;
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;
  std::uint64_t packets_ab = 0, bytes_ab = 0;  // bidirectional only: A -> B
  std::uint64_t packets_ba = 0, bytes_ba = 0;  // bidirectional only: B -> A
  std::int64_t first_ns = 0;
  std::int64_t last_ns = 0;
};

/// Flows over IP frames: (source, destination, ports, protocol). Non-first fragments and
/// ICMP have no ports and form flows of their own. With `bidirectional`, both directions
/// of a 5-tuple are one conversation (Wireshark's Conversations window).
class FlowAnalysis {
 public:
  explicit FlowAnalysis(bool bidirectional);
  ~FlowAnalysis();
  FlowAnalysis(FlowAnalysis&&) noexcept;
  FlowAnalysis& operator=(FlowAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  /// Flows by bytes, largest first (ties by first time).
  std::vector<FlowRow> finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- direction: upload and download for a local host -------------------------------------

struct DirectionResult {
  std::vector<std::string> local;  // the local addresses/prefixes used
  bool automatic = false;          // chosen as the private address in the most frames
  std::uint64_t upload_packets = 0, upload_bytes = 0;      // local -> elsewhere
  std::uint64_t download_packets = 0, download_bytes = 0;  // elsewhere -> local
  std::uint64_t local_packets = 0, local_bytes = 0;        // local -> local
  std::uint64_t other_packets = 0, other_bytes = 0;        // neither end local, or no IP
};

/// Upload vs download. With an empty matcher the local host is found automatically: the
/// private address that appears (as source or destination) in the most frames, which
/// needs the whole capture first, so frames are kept as per-address counters until
/// finish().
class DirectionAnalysis {
 public:
  explicit DirectionAnalysis(AddressMatcher local);
  ~DirectionAnalysis();
  DirectionAnalysis(DirectionAnalysis&&) noexcept;
  DirectionAnalysis& operator=(DirectionAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  DirectionResult finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- dns --------------------------------------------------------------------------------

struct DnsNameReport {
  std::string name;                  // raw bytes, trailing dot
  std::uint64_t queries = 0;
  std::vector<std::string> answers;  // "A 10.0.0.1", "AAAA fd77::2", "CNAME web.x." (distinct)
};

struct UnansweredQuery {
  std::string name;
  IpAddress client;
  IpAddress server;
  std::uint16_t id = 0;
  std::int64_t ts_ns = 0;
};

struct DnsReport {
  std::uint64_t messages = 0;
  std::uint64_t queries = 0;    // QR = 0
  std::uint64_t responses = 0;  // QR = 1
  std::map<std::uint8_t, std::uint64_t> rcodes;  // per response code, responses only
  std::vector<DnsNameReport> names;  // by queries, most first (ties by name)
  std::vector<UnansweredQuery> unanswered;  // in time order
};

/// Return the RFC 1035/6895 mnemonic of a response code ("NOERROR", "NXDOMAIN"), or "".
std::string_view dns_rcode_name(std::uint8_t rcode) noexcept;
/// The mnemonic, or "RCODE<n>" for a code without one: how the CLI and Python show it.
std::string dns_rcode_text(std::uint8_t rcode);

/// DNS queries, responses, names and their answers; a response answers the pending query
/// with the same id between the same two endpoints (ports included).
class DnsAnalysis {
 public:
  DnsAnalysis();
  ~DnsAnalysis();
  DnsAnalysis(DnsAnalysis&&) noexcept;
  DnsAnalysis& operator=(DnsAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  DnsReport finish() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- rates ------------------------------------------------------------------------------

struct RateRow {
  std::int64_t start_ns = 0;  // window start
  std::uint64_t bytes = 0, packets = 0;
  std::uint64_t upload_bytes = 0, download_bytes = 0;  // with a local host only
  std::uint64_t upload_packets = 0, download_packets = 0;
};

/// Bytes and packets per window of `window_ns`, windows starting at the first frame's
/// time (the lab's send_rates windowing), empty windows included. Frames earlier than the
/// first (unsorted files) go to windows before it.
class RatesAnalysis {
 public:
  /// More windows than this is almost surely a typo (`--window 1ns`): callers refuse rather
  /// than have finish() allocate them.
  static constexpr std::uint64_t kMaxWindows = 10'000'000;

  RatesAnalysis(std::int64_t window_ns, AddressMatcher local);
  ~RatesAnalysis();
  RatesAnalysis(RatesAnalysis&&) noexcept;
  RatesAnalysis& operator=(RatesAnalysis&&) noexcept;

  void add(const Record& record, const PacketFields& fields);
  std::vector<RateRow> finish() const;
  /// How many rows finish() would return (the empty windows between frames included).
  std::uint64_t window_count() const noexcept;
  bool has_direction() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// ---- sizes ------------------------------------------------------------------------------

struct SizeBin {
  double low = 0;   // inclusive
  double high = 0;  // exclusive (the last bin includes its upper edge, as in numpy)
  std::uint64_t packets = 0;
};

struct SizeReport {
  std::uint64_t packets = 0;
  std::uint32_t min = 0, max = 0;
  double mean = 0, median = 0;
  std::vector<std::pair<double, double>> percentiles;  // (q, value), q in 0..100
  std::vector<SizeBin> histogram;
};

/// Frame-length statistics (wire lengths) with exact quantiles and a histogram over
/// `edges` (strictly ascending; n edges make n-1 bins) or, when empty, `equal_bins` equal
/// bins over [min, max], as numpy.histogram does (same edges, same counts).
class SizesAnalysis {
 public:
  explicit SizesAnalysis(std::vector<double> edges = {}, std::size_t equal_bins = 10);
  void add(const Record& record, const PacketFields& fields);
  SizeReport finish() const;

 private:
  std::vector<double> edges_;
  std::size_t equal_bins_;
  LengthDistribution lengths_;
};

}  // namespace pcapframe
