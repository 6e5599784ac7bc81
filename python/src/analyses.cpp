// SPDX-License-Identifier: MIT
// The analyses for Python. Each class wraps one library analysis (analysis.hpp, names.hpp)
// as a FrameObserver that a `_core.Reader` feeds while it reads, and hands the result to
// Python as columns: numpy arrays for numbers, lists for text. Results are sized by
// distinct keys (addresses, flows, names, windows), never by packets. The numbers are the
// CLI's: the same classes, and times/rates computed the same way (seconds_from_ns gives the
// double nearest to the exact decimal the CLI prints).
#include "analyses.hpp"

#include <absl/container/flat_hash_map.h>
#include <absl/container/flat_hash_set.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "analysis/address_hash.hpp"  // the library's own (src/)
#include "capture_data.hpp"  // seconds_from_ns
#include "pcapframe/analysis.hpp"
#include "pcapframe/export.hpp"
#include "pcapframe/names.hpp"
#include "pcapframe/resolve.hpp"
#include "pcapframe/table.hpp"
#include "to_python.hpp"  // to_numpy

namespace nb = nanobind;
using namespace nb::literals;

namespace pcapframe::python {
namespace {

// Reverse lookups are asked in chunks of this many times the concurrency, so that Ctrl-C is
// looked at between chunks (a chunk costs at most this many timeouts against a dead server).
constexpr std::size_t kLookupChunksPerConcurrency = 4;

// ---- conversions ----

nb::str str_of(std::string_view text) { return nb::str(text.data(), text.size()); }

// Packet-derived text (DNS names) as the CLI shows it: escaped once by to_display_text.
nb::str display(std::string_view raw) { return str_of(to_display_text(raw)); }

nb::object display_or_none(std::string_view raw) {
  return raw.empty() ? nb::none() : nb::object(display(raw));
}

std::int64_t port_or_missing(const std::optional<std::uint16_t>& port) {
  return port ? std::int64_t{*port} : std::int64_t{-1};
}

std::int64_t as_int(std::uint64_t value) { return static_cast<std::int64_t>(value); }

AddressMatcher matcher_of(const std::vector<std::string>& texts) {
  AddressMatcher matcher;
  for (const std::string& text : texts)
    if (auto added = matcher.add(text); !added)
      throw nb::value_error(("local: " + added.error().message).c_str());
  return matcher;
}

[[noreturn]] void raise_os_error(const std::string& message) {
  PyErr_SetString(PyExc_OSError, message.c_str());
  throw nb::python_error();
}

// ---- names ----

class NamesObserver final : public FrameObserver {
 public:
  /// `collect_addresses`: remember every address seen, for resolve() without a list.
  explicit NamesObserver(bool collect_addresses) : collect_(collect_addresses) {}

  void add(const Record& record, const PacketFields& fields) override {
    analysis_.add(record, fields);
    if (collect_ && fields.ip_src.version != 0) {
      seen_.insert(fields.ip_src);
      seen_.insert(fields.ip_dst);
    }
  }
  void end(const CaptureReader& reader) override {
    analysis_.add_name_records(reader.name_records());
    map_ = analysis_.finish();
    finished_ = true;
  }

  const NameMap& map() {
    if (!finished_) {  // the input did not end normally: what the pass saw
      map_ = analysis_.finish();
      finished_ = true;
    }
    return map_;
  }

  // PTR lookups for the distinct addresses among `texts` (None: every address seen) that the
  // map does not name; names found join the map (source "ptr"). Returns the counts per
  // outcome, as the CLI's JSON `lookups`.
  nb::dict resolve(const std::optional<std::vector<std::string>>& texts, const std::string& server,
                   std::int64_t timeout_ms, std::size_t concurrency) {
    ResolverOptions options;
    options.server = server;
    options.timeout_ms = timeout_ms;
    options.max_concurrent = concurrency;
    auto resolver = ReverseResolver::create(options);
    if (!resolver) {
      if (resolver.error().code == ErrorCode::InvalidArgument)
        throw nb::value_error(resolver.error().message.c_str());
      raise_os_error(resolver.error().message);
    }
    const NameMap& names = map();
    std::vector<IpAddress> unnamed;
    const auto consider = [&](const IpAddress& a) {
      if (a.version != 0 && names.find(a) == nullptr) unnamed.push_back(a);
    };
    if (texts) {
      for (const std::string& text : *texts)
        if (const auto address = parse_address(text)) consider(*address);
    } else {
      for (const IpAddress& a : seen_) consider(a);
    }
    std::sort(unnamed.begin(), unnamed.end());
    unnamed.erase(std::unique(unnamed.begin(), unnamed.end()), unnamed.end());

    const std::size_t chunk = std::max<std::size_t>(1, concurrency * kLookupChunksPerConcurrency);
    std::vector<ReverseResult> results;
    results.reserve(unnamed.size());
    for (std::size_t start = 0; start < unnamed.size(); start += chunk) {
      const std::span<const IpAddress> part(unnamed.data() + start,
                                            std::min(chunk, unnamed.size() - start));
      std::vector<ReverseResult> got;
      {
        nb::gil_scoped_release release;
        got = resolver->resolve(part);
      }
      if (PyErr_CheckSignals() != 0) throw nb::python_error();  // Ctrl-C between chunks
      for (ReverseResult& r : got) results.push_back(std::move(r));
    }
    std::size_t counts[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < unnamed.size(); ++i) {
      if (results[i].status == LookupStatus::Name)
        map_.add(unnamed[i], results[i].name, results[i].name, NameSource::ReverseLookup, 0);
      ++counts[static_cast<std::size_t>(results[i].status)];
      lookups_.emplace_back(unnamed[i], std::move(results[i]));
    }
    resolved_ = true;
    nb::dict out;
    out["name"] = counts[static_cast<std::size_t>(LookupStatus::Name)];
    out["no_answer"] = counts[static_cast<std::size_t>(LookupStatus::NoAnswer)];
    out["timeout"] = counts[static_cast<std::size_t>(LookupStatus::Timeout)];
    out["error"] = counts[static_cast<std::size_t>(LookupStatus::Error)];
    return out;
  }

  // Per address text: its name as display text, or None (unnamed, or not an address).
  nb::list names_for(const std::vector<std::string>& texts) {
    const NameMap& names = map();
    nb::list out;
    for (const std::string& text : texts) {
      const auto address = parse_address(text);
      const AddressName* entry = address ? names.find(*address) : nullptr;
      out.append(entry == nullptr ? nb::none() : nb::object(display(entry->name)));
    }
    return out;
  }

  // The `names` table, as the CLI's --csv: the map's entries, then (after resolve) the
  // lookups that found no name, all in address order.
  nb::dict table() {
    const NameMap& names = map();
    struct Row {
      IpAddress address;
      const AddressName* entry;
      const ReverseResult* lookup;
    };
    absl::flat_hash_map<IpAddress, const ReverseResult*, detail::AddressHash> lookup_of;
    for (const auto& [address, result] : lookups_) lookup_of.emplace(address, &result);
    const std::vector<AddressName> entries = names.entries();
    std::vector<Row> rows;
    for (const AddressName& e : entries) {
      const auto it = lookup_of.find(e.address);
      rows.push_back({e.address, &e, it == lookup_of.end() ? nullptr : it->second});
    }
    for (const auto& [address, result] : lookups_)
      if (result.status != LookupStatus::Name) rows.push_back({address, nullptr, &result});
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return a.address < b.address; });

    nb::list address, name, canonical, source, other_names, lookup, detail;
    std::vector<double> first_seen, last_seen;
    std::vector<std::int64_t> answers;
    constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
    for (const Row& r : rows) {
      address.append(str_of(to_text(r.address)));
      nb::list others;
      if (r.entry != nullptr) {
        const AddressName& e = *r.entry;
        const bool timed = e.source == NameSource::Dns;
        name.append(display(e.name));
        canonical.append(display(e.canonical));
        source.append(str_of(name_source_name(e.source)));
        first_seen.push_back(timed ? seconds_from_ns(e.first_seen_ns) : kNaN);
        last_seen.push_back(timed ? seconds_from_ns(e.last_seen_ns) : kNaN);
        answers.push_back(as_int(e.answers));
        for (const std::string& n : e.other_names) others.append(display(n));
      } else {
        name.append(nb::none());
        canonical.append(nb::none());
        source.append(nb::str("ptr"));
        first_seen.push_back(kNaN);
        last_seen.push_back(kNaN);
        answers.push_back(0);
      }
      other_names.append(others);
      lookup.append(r.lookup == nullptr
                        ? nb::none()
                        : nb::object(str_of(lookup_status_name(r.lookup->status))));
      detail.append(r.lookup == nullptr || r.lookup->detail.empty()
                        ? nb::none()
                        : nb::object(str_of(r.lookup->detail)));
    }
    nb::dict out;
    out["address"] = address;
    out["name"] = name;
    out["canonical"] = canonical;
    out["source"] = source;
    out["first_seen"] = to_numpy(std::move(first_seen));
    out["last_seen"] = to_numpy(std::move(last_seen));
    out["answers"] = to_numpy(std::move(answers));
    out["other_names"] = other_names;
    out["lookup"] = lookup;
    out["detail"] = detail;
    out["resolved"] = resolved_;
    out["named"] = names.size();
    return out;
  }

 private:
  bool collect_;
  NamesAnalysis analysis_;
  absl::flat_hash_set<IpAddress, detail::AddressHash> seen_;
  NameMap map_;
  bool finished_ = false;
  bool resolved_ = false;
  std::vector<std::pair<IpAddress, ReverseResult>> lookups_;
};

// ---- top ----

TopKey top_key_of(const std::string& text) {
  const auto key = parse_top_key(text);
  if (!key) throw nb::value_error(("unknown key: " + text).c_str());
  return *key;
}

TopMetric metric_of(const std::string& text) {
  if (text == "bytes") return TopMetric::ByBytes;
  if (text == "packets") return TopMetric::ByPackets;
  throw nb::value_error("metric is 'bytes' or 'packets'");
}

class TopObserver final : public FrameObserver {
 public:
  TopObserver(const std::string& key, const std::string& metric)
      : key_(top_key_of(key)), top_(key_, metric_of(metric), 0) {}

  void add(const Record& record, const PacketFields& fields) override {
    top_.add(record, fields);
    total_bytes_ += record.origlen;
    ++total_packets_;
  }

  // The keys that are addresses, before naming: what resolve() looks up.
  std::vector<std::string> address_keys() const {
    std::vector<std::string> out;
    for (const TopRow& row : top_.finish(nullptr))
      if (parse_address(row.key)) out.push_back(row.key);
    return out;
  }

  // Every key, largest first (ties by key). Name keys use `names` (required for them).
  nb::dict result(NamesObserver* names) const {
    const bool by_name = key_ == TopKey::NameDst || key_ == TopKey::NameSrc;
    if (by_name && names == nullptr) throw nb::value_error("name keys need a NamesAnalysis");
    const std::vector<TopRow> rows = top_.finish(by_name ? &names->map() : nullptr);
    nb::list keys;
    std::vector<std::int64_t> bytes, packets;
    std::vector<double> percent;
    for (const TopRow& row : rows) {
      keys.append(by_name ? display(row.key) : str_of(row.key));
      bytes.push_back(as_int(row.bytes));
      packets.push_back(as_int(row.packets));
      percent.push_back(row.share * 100);  // the CLI's `percent`
    }
    nb::dict out;
    out["key"] = keys;
    out["bytes"] = to_numpy(std::move(bytes));
    out["packets"] = to_numpy(std::move(packets));
    out["percent"] = to_numpy(std::move(percent));
    out["total_bytes"] = total_bytes_;
    out["total_packets"] = total_packets_;
    return out;
  }

 private:
  TopKey key_;
  TopAnalysis top_;
  std::uint64_t total_bytes_ = 0;
  std::uint64_t total_packets_ = 0;
};

// ---- flows ----

class FlowsObserver final : public FrameObserver {
 public:
  explicit FlowsObserver(bool bidirectional) : flows_(bidirectional) {}

  void add(const Record& record, const PacketFields& fields) override { flows_.add(record, fields); }

  // Both endpoints of the first `limit` flows (None: all): what resolve() looks up.
  std::vector<std::string> addresses(std::optional<std::size_t> limit) {
    std::vector<std::string> out;
    const std::vector<FlowRow>& all = rows();
    const std::size_t n = std::min(all.size(), limit.value_or(all.size()));
    for (std::size_t i = 0; i < n; ++i) {
      out.push_back(to_text(all[i].src));
      out.push_back(to_text(all[i].dst));
    }
    return out;
  }

  // The first `limit` flows (None: all), by bytes, largest first, as columns.
  nb::dict result(std::optional<std::size_t> limit) {
    const std::vector<FlowRow>& all = rows();
    const std::size_t n = std::min(all.size(), limit.value_or(all.size()));
    nb::list src, dst, protocol;
    std::vector<std::int64_t> port_src, port_dst, ip_proto, packets, bytes, packets_ab, bytes_ab,
        packets_ba, bytes_ba;
    std::vector<double> first, last, duration;
    for (std::size_t i = 0; i < n; ++i) {
      const FlowRow& row = all[i];
      src.append(str_of(to_text(row.src)));
      dst.append(str_of(to_text(row.dst)));
      const std::string_view transport = transport_name(row.protocol);
      protocol.append(transport.empty() ? nb::none() : nb::object(str_of(transport)));
      port_src.push_back(port_or_missing(row.port_src));
      port_dst.push_back(port_or_missing(row.port_dst));
      ip_proto.push_back(row.ip_proto);
      packets.push_back(as_int(row.packets));
      bytes.push_back(as_int(row.bytes));
      packets_ab.push_back(as_int(row.packets_ab));
      bytes_ab.push_back(as_int(row.bytes_ab));
      packets_ba.push_back(as_int(row.packets_ba));
      bytes_ba.push_back(as_int(row.bytes_ba));
      first.push_back(seconds_from_ns(row.first_ns));
      last.push_back(seconds_from_ns(row.last_ns));
      duration.push_back(seconds_from_ns(row.last_ns - row.first_ns));
    }
    nb::dict out;
    out["src"] = src;
    out["port_src"] = to_numpy(std::move(port_src));
    out["dst"] = dst;
    out["port_dst"] = to_numpy(std::move(port_dst));
    out["protocol"] = protocol;
    out["ip_proto"] = to_numpy(std::move(ip_proto));
    out["packets_ab"] = to_numpy(std::move(packets_ab));
    out["bytes_ab"] = to_numpy(std::move(bytes_ab));
    out["packets_ba"] = to_numpy(std::move(packets_ba));
    out["bytes_ba"] = to_numpy(std::move(bytes_ba));
    out["packets"] = to_numpy(std::move(packets));
    out["bytes"] = to_numpy(std::move(bytes));
    out["first_time"] = to_numpy(std::move(first));
    out["last_time"] = to_numpy(std::move(last));
    out["duration"] = to_numpy(std::move(duration));
    out["flows"] = all.size();
    return out;
  }

 private:
  const std::vector<FlowRow>& rows() {
    if (!rows_) rows_ = flows_.finish();  // sorted once, after the pass
    return *rows_;
  }

  FlowAnalysis flows_;
  std::optional<std::vector<FlowRow>> rows_;
};

// ---- direction ----

class DirectionObserver final : public FrameObserver {
 public:
  explicit DirectionObserver(const std::vector<std::string>& local)
      : direction_(matcher_of(local)) {}

  void add(const Record& record, const PacketFields& fields) override {
    direction_.add(record, fields);
  }

  nb::dict result() const {
    const DirectionResult r = direction_.finish();
    nb::dict out;
    out["local"] = r.local;
    out["automatic"] = r.automatic;
    out["packets"] = std::vector<std::uint64_t>{r.upload_packets, r.download_packets,
                                                r.local_packets, r.other_packets};
    out["bytes"] = std::vector<std::uint64_t>{r.upload_bytes, r.download_bytes, r.local_bytes,
                                              r.other_bytes};
    return out;
  }

 private:
  DirectionAnalysis direction_;
};

// ---- dns ----

class DnsObserver final : public FrameObserver {
 public:
  void add(const Record& record, const PacketFields& fields) override { dns_.add(record, fields); }

  nb::dict result() const {
    const DnsReport r = dns_.finish();
    nb::dict out;
    out["messages"] = r.messages;
    out["queries"] = r.queries;
    out["responses"] = r.responses;

    std::vector<std::int64_t> codes, responses;
    nb::list code_names;
    for (const auto& [rcode, count] : r.rcodes) {
      codes.push_back(rcode);
      code_names.append(str_of(dns_rcode_text(rcode)));
      responses.push_back(as_int(count));
    }
    out["rcode"] = to_numpy(std::move(codes));
    out["rcode_name"] = code_names;
    out["rcode_responses"] = to_numpy(std::move(responses));

    nb::list names, answers;
    std::vector<std::int64_t> queries;
    for (const DnsNameReport& n : r.names) {
      names.append(display(n.name));
      queries.push_back(as_int(n.queries));
      nb::list shown;
      for (const std::string& a : n.answers) shown.append(display(a));
      answers.append(shown);
    }
    out["name"] = names;
    out["name_queries"] = to_numpy(std::move(queries));
    out["name_answers"] = answers;

    nb::list client, server, query_name;
    std::vector<double> time;
    std::vector<std::int64_t> ids;
    for (const UnansweredQuery& q : r.unanswered) {
      time.push_back(seconds_from_ns(q.ts_ns));
      client.append(str_of(to_text(q.client)));
      server.append(str_of(to_text(q.server)));
      ids.push_back(q.id);
      query_name.append(display_or_none(q.name));
    }
    out["unanswered_time"] = to_numpy(std::move(time));
    out["unanswered_client"] = client;
    out["unanswered_server"] = server;
    out["unanswered_id"] = to_numpy(std::move(ids));
    out["unanswered_name"] = query_name;
    return out;
  }

 private:
  DnsAnalysis dns_;
};

// ---- rates ----

class RatesObserver final : public FrameObserver {
 public:
  RatesObserver(std::int64_t window_ns, const std::vector<std::string>& local)
      : window_ns_(window_ns > 0 ? window_ns : throw nb::value_error("the window must be positive")),
        rates_(window_ns_, matcher_of(local)) {}

  void add(const Record& record, const PacketFields& fields) override { rates_.add(record, fields); }

  nb::dict result() const {
    if (rates_.window_count() > RatesAnalysis::kMaxWindows) {
      throw nb::value_error(("this window makes " + std::to_string(rates_.window_count()) +
                             " windows over this capture, more than " +
                             std::to_string(RatesAnalysis::kMaxWindows) +
                             "; choose a longer window")
                                .c_str());
    }
    const std::vector<RateRow> rows = rates_.finish();
    const double window_s = static_cast<double>(window_ns_) / 1e9;
    const auto rate = [&](std::uint64_t value) { return static_cast<double>(value) / window_s; };
    const std::int64_t origin = rows.empty() ? 0 : rows.front().start_ns;
    std::vector<double> start, offset, bytes_per_s, bits_per_s, packets_per_s, up_per_s,
        down_per_s;
    std::vector<std::int64_t> packets, bytes, up_packets, up_bytes, down_packets, down_bytes;
    for (const RateRow& row : rows) {
      start.push_back(seconds_from_ns(row.start_ns));
      offset.push_back(seconds_from_ns(row.start_ns - origin));
      packets.push_back(as_int(row.packets));
      bytes.push_back(as_int(row.bytes));
      bytes_per_s.push_back(rate(row.bytes));
      bits_per_s.push_back(rate(row.bytes * 8));
      packets_per_s.push_back(rate(row.packets));
      up_packets.push_back(as_int(row.upload_packets));
      up_bytes.push_back(as_int(row.upload_bytes));
      down_packets.push_back(as_int(row.download_packets));
      down_bytes.push_back(as_int(row.download_bytes));
      up_per_s.push_back(rate(row.upload_bytes));
      down_per_s.push_back(rate(row.download_bytes));
    }
    nb::dict out;
    out["start_time"] = to_numpy(std::move(start));
    out["offset"] = to_numpy(std::move(offset));
    out["packets"] = to_numpy(std::move(packets));
    out["bytes"] = to_numpy(std::move(bytes));
    out["bytes_per_s"] = to_numpy(std::move(bytes_per_s));
    out["bits_per_s"] = to_numpy(std::move(bits_per_s));
    out["packets_per_s"] = to_numpy(std::move(packets_per_s));
    out["upload_packets"] = to_numpy(std::move(up_packets));
    out["upload_bytes"] = to_numpy(std::move(up_bytes));
    out["download_packets"] = to_numpy(std::move(down_packets));
    out["download_bytes"] = to_numpy(std::move(down_bytes));
    out["upload_bytes_per_s"] = to_numpy(std::move(up_per_s));
    out["download_bytes_per_s"] = to_numpy(std::move(down_per_s));
    out["directed"] = rates_.has_direction();
    return out;
  }

 private:
  std::int64_t window_ns_;
  RatesAnalysis rates_;
};

// ---- sizes ----

// The CLI's --bins rules: 1 to 100,000 equal bins, or 2 to 100,000 finite, increasing edges.
constexpr std::size_t kMaxBins = 100'000;

std::vector<double> checked(std::vector<double> edges, std::size_t bins) {
  if (edges.empty()) {
    if (bins == 0 || bins > kMaxBins) throw nb::value_error("bins: 1 to 100,000 equal bins");
    return edges;
  }
  if (edges.size() < 2 || edges.size() > kMaxBins)
    throw nb::value_error("bins: give at least two edges (and at most 100,000)");
  for (std::size_t i = 0; i < edges.size(); ++i) {
    if (!std::isfinite(edges[i])) throw nb::value_error("bins: edges must be finite numbers");
    if (i > 0 && edges[i] <= edges[i - 1]) throw nb::value_error("bins: edges must increase");
  }
  return edges;
}

class SizesObserver final : public FrameObserver {
 public:
  SizesObserver(std::vector<double> edges, std::size_t bins)
      : sizes_(checked(std::move(edges), bins), bins) {}

  void add(const Record& record, const PacketFields& fields) override { sizes_.add(record, fields); }

  nb::dict result() const {
    const SizeReport r = sizes_.finish();
    nb::list statistic;
    std::vector<double> value;
    const auto stat = [&](std::string name, double v) {
      statistic.append(str_of(name));
      value.push_back(v);
    };
    stat("packets", static_cast<double>(r.packets));
    if (r.packets > 0) {  // the CLI's `--list stats` rows
      stat("min", r.min);
      stat("max", r.max);
      stat("mean", r.mean);
      stat("median", r.median);
      for (const auto& [q, v] : r.percentiles) stat("p" + shortest_text(q), v);
    }
    std::vector<double> low, high, percent;
    std::vector<std::int64_t> packets;
    for (const SizeBin& bin : r.histogram) {
      low.push_back(bin.low);
      high.push_back(bin.high);
      packets.push_back(as_int(bin.packets));
      percent.push_back(r.packets == 0 ? 0
                                       : 100.0 * static_cast<double>(bin.packets) /
                                             static_cast<double>(r.packets));
    }
    nb::dict out;
    out["statistic"] = statistic;
    out["value"] = to_numpy(std::move(value));
    out["low"] = to_numpy(std::move(low));
    out["high"] = to_numpy(std::move(high));
    out["packets"] = to_numpy(std::move(packets));
    out["percent"] = to_numpy(std::move(percent));
    return out;
  }

 private:
  SizesAnalysis sizes_;
};

}  // namespace

void register_analyses(nb::module_& m) {
  nb::class_<FrameObserver>(m, "FrameObserver",
                            "A streaming analysis, fed by Reader.observe() while it reads");

  nb::class_<NamesObserver, FrameObserver>(m, "NamesAnalysis",
                                           "Address -> name map from the trace's DNS answers "
                                           "and pcapng name records")
      .def(nb::init<bool>(), "collect_addresses"_a = false)
      .def("resolve", &NamesObserver::resolve, "addresses"_a.none(), "server"_a, "timeout_ms"_a,
           "concurrency"_a,
           "PTR lookups for the unnamed among `addresses` (None: every address seen); the "
           "GIL is released, Ctrl-C is checked between chunks. Returns counts per outcome.")
      .def("names_for", &NamesObserver::names_for, "addresses"_a)
      .def("table", &NamesObserver::table);

  nb::class_<TopObserver, FrameObserver>(m, "TopAnalysis", "Bytes and packets per key")
      .def(nb::init<const std::string&, const std::string&>(), "key"_a, "metric"_a)
      .def("address_keys", &TopObserver::address_keys)
      .def("result", &TopObserver::result, "names"_a.none() = nb::none());

  nb::class_<FlowsObserver, FrameObserver>(m, "FlowAnalysis", "Flows or conversations")
      .def(nb::init<bool>(), "bidirectional"_a)
      .def("addresses", &FlowsObserver::addresses, "limit"_a.none() = nb::none())
      .def("result", &FlowsObserver::result, "limit"_a.none() = nb::none());

  nb::class_<DirectionObserver, FrameObserver>(m, "DirectionAnalysis", "Upload vs download")
      .def(nb::init<const std::vector<std::string>&>(), "local"_a)
      .def("result", &DirectionObserver::result);

  nb::class_<DnsObserver, FrameObserver>(m, "DnsAnalysis", "DNS queries, responses, names")
      .def(nb::init<>())
      .def("result", &DnsObserver::result);

  nb::class_<RatesObserver, FrameObserver>(m, "RatesAnalysis", "Bytes and packets per window")
      .def(nb::init<std::int64_t, const std::vector<std::string>&>(), "window_ns"_a, "local"_a)
      .def("result", &RatesObserver::result);

  nb::class_<SizesObserver, FrameObserver>(m, "SizesAnalysis", "Frame-length statistics")
      .def(nb::init<std::vector<double>, std::size_t>(), "edges"_a, "bins"_a)
      .def("result", &SizesObserver::result);
}

}  // namespace pcapframe::python
