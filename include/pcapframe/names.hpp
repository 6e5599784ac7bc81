// SPDX-License-Identifier: MIT
// Names for addresses, from the trace itself: DNS answers (A/AAAA, following CNAME chains
// back to the name the client asked for) and pcapng Name Resolution Blocks.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/fields.hpp"
#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

/// Where a name came from.
enum class NameSource : std::uint8_t { Dns, NameResolutionBlock, ReverseLookup };

/// Return "dns", "nrb" or "ptr".
std::string_view name_source_name(NameSource source) noexcept;

/// What the trace says about one address.
struct AddressName {
  IpAddress address;
  std::string name;       // the name the client asked for (raw bytes, trailing dot)
  std::string canonical;  // the A/AAAA record's owner at the end of the CNAME chain
  NameSource source = NameSource::Dns;
  std::int64_t first_seen_ns = 0;  // time of the first answer naming it
  std::int64_t last_seen_ns = 0;
  std::uint64_t answers = 0;       // how many answers named it
  std::vector<std::string> other_names;  // further names seen for it, first-seen order (max 8)
};

/// Most extra names kept per address (CDN addresses can serve thousands of names).
inline constexpr std::size_t kMaxOtherNames = 8;

/// An address → name map. The first name seen for an address is its name.
class NameMap {
 public:
  /// The entry for `address`, or nullptr.
  const AddressName* find(const IpAddress& address) const noexcept;
  /// Every entry, ordered by address (IPv4 before IPv6, then numerically).
  std::vector<AddressName> entries() const;
  std::size_t size() const noexcept;
  /// Add or update an entry (used by NamesAnalysis and by reverse lookups).
  void add(const IpAddress& address, std::string_view name, std::string_view canonical,
           NameSource source, std::int64_t ts_ns);

  NameMap();
  ~NameMap();
  NameMap(NameMap&&) noexcept;
  NameMap& operator=(NameMap&&) noexcept;
  NameMap(const NameMap&);
  NameMap& operator=(const NameMap&);

 private:
  struct Index;
  std::unique_ptr<Index> index_;
};

/// Build a NameMap in one pass from the DNS responses of a capture.
class NamesAnalysis {
 public:
  void add(const Record& record, const PacketFields& fields);
  /// Add a pcapng file's Name Resolution Block entries, after the pass: DNS answers take
  /// precedence. Names get a trailing dot like DNS names.
  void add_name_records(const std::vector<NameRecord>& records);
  NameMap finish() const { return map_; }
  const NameMap& map() const noexcept { return map_; }

 private:
  NameMap map_;
};

/// A set of addresses and prefixes ("192.168.1.58", "10.0.0.0/8", "fd77::/64").
class AddressMatcher {
 public:
  /// Parse one address or prefix; fails with InvalidArgument.
  [[nodiscard]] Result<void> add(const std::string& text);
  void add(const IpAddress& address);
  bool matches(const IpAddress& address) const noexcept;
  bool empty() const noexcept { return prefixes_.empty(); }
  /// The addresses and prefixes as given, for output.
  const std::vector<std::string>& texts() const noexcept { return texts_; }

 private:
  struct Prefix {
    IpAddress address;
    unsigned bits = 0;
  };
  std::vector<Prefix> prefixes_;
  std::vector<std::string> texts_;
};

/// True for RFC 1918, RFC 4193 (fc00::/7), link-local and loopback addresses.
bool is_private_address(const IpAddress& address) noexcept;

/// Parse "10.0.0.1" or "fd77::1".
std::optional<IpAddress> parse_address(const std::string& text) noexcept;

}  // namespace pcapframe
