// SPDX-License-Identifier: MIT
// Seed corpora for the fuzz targets, from a real capture (data/sample.pcap):
//   make_seeds <capture> <out-dir>   writes <out-dir>/<target>/<seed> for every target.
// Frames of every kind the capture holds (by protocol, DNS direction, anomaly) are picked,
// re-framed for each link type, and written as decode_frame inputs, as small pcap and pcapng
// files in every header variant, compressed, and as DNS messages and names.
#include <lz4frame.h>
#include <zlib.h>
#include <zstd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "../fuzz_support.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"

namespace {

namespace fs = std::filesystem;
using pcapframe::LinkType;
using Blob = std::vector<std::uint8_t>;

// ----- little helpers ------------------------------------------------------------------------

void put16(Blob& out, unsigned v, bool big = false) {
  if (big) {
    out.push_back(static_cast<std::uint8_t>(v >> 8));
    out.push_back(static_cast<std::uint8_t>(v));
  } else {
    out.push_back(static_cast<std::uint8_t>(v));
    out.push_back(static_cast<std::uint8_t>(v >> 8));
  }
}
void put32(Blob& out, std::uint32_t v, bool big = false) {
  if (big) {
    put16(out, v >> 16, true);
    put16(out, v & 0xffffu, true);
  } else {
    put16(out, v & 0xffffu);
    put16(out, v >> 16);
  }
}
void append(Blob& out, const Blob& more) { out.insert(out.end(), more.begin(), more.end()); }
void append(Blob& out, std::string_view more) { out.insert(out.end(), more.begin(), more.end()); }

class Writer {
 public:
  explicit Writer(fs::path root) : root_(std::move(root)) {}
  void write(const std::string& target, const std::string& name, const Blob& data) {
    const fs::path dir = root_ / target;
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
    ++counts_[target];
  }
  void report() const {
    for (const auto& [target, n] : counts_) std::printf("%-18s %4zu seeds\n", target.c_str(), n);
  }

 private:
  fs::path root_;
  std::map<std::string, std::size_t> counts_;
};

// ----- frames and re-framing -----------------------------------------------------------------

struct Frame {
  LinkType link;
  Blob bytes;
  std::int64_t ts_ns;
};

constexpr std::size_t kEther = 14;

unsigned ether_type(const Blob& f) { return f.size() < kEther ? 0u : unsigned{f[12]} << 8 | f[13]; }

// The same packet under another link type (tests/support/pcap_variants.py does this for the
// differential suite); nothing when the link cannot carry it.
std::optional<Blob> reframe(const Blob& eth, LinkType link) {
  if (eth.size() < kEther) return std::nullopt;
  const unsigned type = ether_type(eth);
  const Blob payload(eth.begin() + kEther, eth.end());
  const bool ipv4 = type == 0x0800, ipv6 = type == 0x86dd;
  Blob out;
  switch (link) {
    case LinkType::Ethernet: return eth;
    case LinkType::LinuxSll:  // packet type, ARPHRD_ETHER, address length, address, protocol
      put16(out, 0, true), put16(out, 1, true), put16(out, 6, true);
      out.insert(out.end(), eth.begin() + 6, eth.begin() + 12), put16(out, 0, true);
      put16(out, type >= 0x0600 ? type : 0x0004, true);
      break;
    case LinkType::LinuxSll2:  // protocol, reserved, ifindex, ARPHRD_ETHER, type, length, address
      put16(out, type >= 0x0600 ? type : 0x0004, true), put16(out, 0, true), put32(out, 1, true);
      put16(out, 1, true), out.push_back(0), out.push_back(6);
      out.insert(out.end(), eth.begin() + 6, eth.begin() + 12), put16(out, 0, true);
      break;
    case LinkType::Raw: if (!ipv4 && !ipv6) return std::nullopt; break;
    case LinkType::Ipv4: if (!ipv4) return std::nullopt; break;
    case LinkType::Ipv6: if (!ipv6) return std::nullopt; break;
    case LinkType::Null:  // host order (little-endian here); AF_INET6 as Linux writes it
      if (!ipv4 && !ipv6) return std::nullopt;
      put32(out, ipv4 ? 2 : 10);
      break;
    case LinkType::Loop:  // network order; AF_INET6 as OpenBSD writes it
      if (!ipv4 && !ipv6) return std::nullopt;
      put32(out, ipv4 ? 2 : 24, true);
      break;
  }
  append(out, payload);
  return out;
}

// An Ethernet frame with `tags` 802.1Q/802.1ad tags pushed in front of its EtherType.
Blob with_vlan_tags(const Blob& eth, int tags) {
  Blob out(eth.begin(), eth.begin() + 12);
  for (int i = 0; i < tags; ++i) {
    put16(out, i == 0 && tags > 1 ? 0x88a8 : 0x8100, true);
    put16(out, static_cast<unsigned>(100 + i), true);
  }
  out.insert(out.end(), eth.begin() + 12, eth.end());
  return out;
}

// ----- capture files -------------------------------------------------------------------------

struct PcapVariant {
  bool big = false;
  bool nano = false;
  bool modified = false;
  std::uint32_t snaplen = 262144;
};

Blob pcap_file(const std::vector<Frame>& frames, LinkType link, PcapVariant v = {}) {
  Blob out;
  const std::uint32_t magic = v.modified ? 0xa1b2cd34 : v.nano ? 0xa1b23c4d : 0xa1b2c3d4;
  put32(out, magic, v.big), put16(out, 2, v.big), put16(out, 4, v.big), put32(out, 0, v.big);
  put32(out, 0, v.big), put32(out, v.snaplen, v.big), put32(out, static_cast<std::uint32_t>(link), v.big);
  for (const Frame& f : frames) {
    const auto seconds = static_cast<std::uint32_t>(f.ts_ns / 1'000'000'000);
    const auto ns = static_cast<std::uint32_t>(f.ts_ns % 1'000'000'000);
    put32(out, seconds, v.big), put32(out, v.nano ? ns : ns / 1000, v.big);
    put32(out, static_cast<std::uint32_t>(f.bytes.size()), v.big);
    put32(out, static_cast<std::uint32_t>(f.bytes.size()), v.big);
    if (v.modified) put32(out, 1, v.big), put16(out, 0x0800, v.big), out.push_back(0), out.push_back(0);
    append(out, f.bytes);
  }
  return out;
}

class Pcapng {
 public:
  explicit Pcapng(bool big = false) : big_(big) {}
  Pcapng& section() {
    Blob body;
    put32(body, 0x1a2b3c4d, big_), put16(body, 1, big_), put16(body, 0, big_);
    put32(body, 0xffffffff, big_), put32(body, 0xffffffff, big_);  // section length unknown
    return block(0x0a0d0d0a, body);
  }
  // An interface with if_name, if_tsresol (`tsresol`, 6 = microseconds) and if_tsoffset.
  Pcapng& interface(LinkType link, std::uint8_t tsresol = 6, std::int64_t tsoffset = 0) {
    Blob body;
    put16(body, static_cast<unsigned>(link), big_), put16(body, 0, big_), put32(body, 262144, big_);
    option(body, 2, Blob{'e', 't', 'h', '0'});
    option(body, 9, Blob{tsresol});
    if (tsoffset != 0) {
      Blob value;
      put32(value, static_cast<std::uint32_t>(static_cast<std::uint64_t>(tsoffset)), big_);
      put32(value, static_cast<std::uint32_t>(static_cast<std::uint64_t>(tsoffset) >> 32), big_);
      option(body, 14, value);
    }
    put16(body, 0, big_), put16(body, 0, big_);  // opt_endofopt
    return block(1, body);
  }
  Pcapng& enhanced(std::uint32_t iface, const Frame& f) {
    Blob body;
    const auto ticks = static_cast<std::uint64_t>(f.ts_ns / 1000);
    put32(body, iface, big_), put32(body, static_cast<std::uint32_t>(ticks >> 32), big_);
    put32(body, static_cast<std::uint32_t>(ticks), big_);
    put32(body, static_cast<std::uint32_t>(f.bytes.size()), big_);
    put32(body, static_cast<std::uint32_t>(f.bytes.size()), big_);
    append(body, f.bytes);
    pad(body);
    return block(6, body);
  }
  Pcapng& simple(const Frame& f) {
    Blob body;
    put32(body, static_cast<std::uint32_t>(f.bytes.size()), big_);
    append(body, f.bytes);
    pad(body);
    return block(3, body);
  }
  Pcapng& obsolete(std::uint16_t iface, const Frame& f) {
    Blob body;
    const auto ticks = static_cast<std::uint64_t>(f.ts_ns / 1000);
    put16(body, iface, big_), put16(body, 0, big_), put32(body, static_cast<std::uint32_t>(ticks >> 32), big_);
    put32(body, static_cast<std::uint32_t>(ticks), big_);
    put32(body, static_cast<std::uint32_t>(f.bytes.size()), big_);
    put32(body, static_cast<std::uint32_t>(f.bytes.size()), big_);
    append(body, f.bytes);
    pad(body);
    return block(2, body);
  }
  Pcapng& names() {
    Blob body;
    Blob v4{192, 0, 2, 1};
    append(v4, std::string_view("host.example\0alias.example\0", 27));
    option(body, 1, v4);
    Blob v6(16, 0);
    v6[0] = 0xfd, v6[15] = 1;
    append(v6, std::string_view("six.example\0", 12));
    option(body, 2, v6);
    put16(body, 0, big_), put16(body, 0, big_);
    return block(4, body);
  }
  Pcapng& unknown(std::uint32_t type, std::size_t size) { return block(type, Blob(size, 0x5a)); }
  const Blob& bytes() const { return out_; }

 private:
  static void pad(Blob& b) { b.resize((b.size() + 3) & ~std::size_t{3}, 0); }
  void option(Blob& body, unsigned code, const Blob& value) {
    put16(body, code, big_), put16(body, static_cast<unsigned>(value.size()), big_);
    append(body, value);
    pad(body);
  }
  Pcapng& block(std::uint32_t type, const Blob& body) {
    const auto length = static_cast<std::uint32_t>(12 + body.size());
    put32(out_, type, big_), put32(out_, length, big_);
    append(out_, body);
    put32(out_, length, big_);
    return *this;
  }
  bool big_;
  Blob out_;
};

// ----- compression ---------------------------------------------------------------------------

Blob zstd(const Blob& in) {
  Blob out(ZSTD_compressBound(in.size()));
  out.resize(ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 3));
  return out;
}

Blob lz4(const Blob& in) {
  Blob out(LZ4F_compressFrameBound(in.size(), nullptr));
  out.resize(LZ4F_compressFrame(out.data(), out.size(), in.data(), in.size(), nullptr));
  return out;
}

// ----- the sample's frames, by kind ----------------------------------------------------------

// What makes two frames "the same kind" for seeding: the layers and the DNS shape they reach.
using Kind = std::tuple<unsigned, int, int, int, bool, bool, int, std::uint16_t>;

Kind kind_of(const pcapframe::PacketFields& f) {
  const int dns_port = f.port_src == 53 || f.port_dst == 53 ? 53 : f.port_src == 5353 || f.port_dst == 5353 ? 5353 : 0;
  return {f.ether_type, f.ip_src.version, f.ip_proto, static_cast<int>(f.anomaly), f.is_dns,
          f.dns_is_response, dns_port, f.dns_query_type};
}

std::vector<Frame> pick_frames(const std::string& path) {
  auto reader = pcapframe::CaptureReader::open(path);
  if (!reader) {
    std::fprintf(stderr, "make_seeds: %s\n", reader.error().message.c_str());
    std::exit(1);
  }
  std::map<Kind, int> seen;
  std::vector<Frame> picked;
  pcapframe::Record record;
  while (reader->next(record)) {
    pcapframe::PacketFields fields;
    pcapframe::decode_frame(record.link, record.bytes, fields);
    if (++seen[kind_of(fields)] > 2) continue;  // two of each kind
    picked.push_back({record.link, Blob(reinterpret_cast<const std::uint8_t*>(record.bytes.data()),
                                        reinterpret_cast<const std::uint8_t*>(record.bytes.data()) + record.caplen),
                      record.ts_ns});
  }
  return picked;
}

// Hand-made DNS messages for what a small capture lacks: deep compression, the limits.
std::vector<Blob> dns_edge_messages() {
  const Blob header{0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0};
  std::vector<Blob> out;
  Blob m = header;  // question www.example.com A, answer by pointer, CNAME by pointer
  append(m, std::string_view("\3www\7example\3com\0\0\1\0\1", 21));
  append(m, Blob{0xc0, 0x0c, 0, 5, 0, 1, 0, 0, 0, 60, 0, 6, 3, 'c', 'd', 'n', 0xc0, 0x10});
  out.push_back(m);
  m = header;  // a pointer loop
  append(m, Blob{0xc0, 0x0c, 0, 1, 0, 1});
  out.push_back(m);
  m = header;  // a 63-byte label, then a name of 255 bytes
  m.push_back(63), m.insert(m.end(), 63, 'a');
  for (int i = 0; i < 3; ++i) m.push_back(61), m.insert(m.end(), 61, 'b');
  m.push_back(0), append(m, Blob{0, 1, 0, 1});
  out.push_back(m);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: make_seeds <capture> <out-dir>\n");
    return 2;
  }
  Writer out{fs::path(argv[2])};
  const std::vector<Frame> frames = pick_frames(argv[1]);
  static constexpr LinkType kLinks[] = {LinkType::Ethernet, LinkType::LinuxSll, LinkType::LinuxSll2,
                                        LinkType::Raw,      LinkType::Ipv4,     LinkType::Ipv6,
                                        LinkType::Null,     LinkType::Loop};

  // decode_frame: each frame under each link type; VLAN stacks; DNS messages and names.
  std::map<LinkType, std::vector<Frame>> by_link;
  std::vector<std::string> names;
  int n = 0;
  for (const Frame& f : frames) {
    for (const LinkType link : kLinks) {
      const auto reframed = reframe(f.bytes, link);
      if (!reframed) continue;
      by_link[link].push_back({link, *reframed, f.ts_ns});
      std::size_t pick = 0;
      while (pcapframe::fuzz::kFuzzLinkTypes[pick] != static_cast<std::uint16_t>(link)) ++pick;
      Blob input{static_cast<std::uint8_t>(pick), 0};
      append(input, *reframed);
      out.write("decode_frame", "frame-" + std::to_string(n) + "-link" +
                                    std::to_string(static_cast<unsigned>(link)), input);
    }
    pcapframe::PacketFields fields;
    pcapframe::decode_frame(f.link, {reinterpret_cast<const std::byte*>(f.bytes.data()), f.bytes.size()}, fields);
    if (fields.dns_message) {
      const Blob message(f.bytes.begin() + fields.dns_offset,
                         f.bytes.begin() + fields.dns_offset + fields.dns_length);
      out.write("dns_name", "message-" + std::to_string(n), message);
      if (fields.dns_query.present()) names.emplace_back(fields.dns_query.view());
    }
    if (ether_type(f.bytes) == 0x0800 && n % 3 == 0) {
      for (const int tags : {1, 2, 9}) {
        Blob input{1, 0};
        append(input, with_vlan_tags(f.bytes, tags));
        out.write("decode_frame", "frame-" + std::to_string(n) + "-vlan" + std::to_string(tags), input);
      }
    }
    ++n;
  }
  int d = 0;
  for (const Blob& m : dns_edge_messages()) out.write("dns_name", "edge-" + std::to_string(d++), m);

  // Capture files: each link type (a few small frames), every pcap header variant, pcapng.
  std::vector<std::pair<std::string, Blob>> files;
  for (auto& [link, list] : by_link) {
    std::vector<Frame> small;
    for (const Frame& f : list)
      if (f.bytes.size() <= 400 && small.size() < 12) small.push_back(f);
    files.emplace_back("pcap-link" + std::to_string(static_cast<unsigned>(link)), pcap_file(small, link));
  }
  std::vector<Frame> eth;
  for (const Frame& f : by_link[LinkType::Ethernet])
    if (f.bytes.size() <= 300 && eth.size() < 8) eth.push_back(f);
  files.emplace_back("pcap-be", pcap_file(eth, LinkType::Ethernet, {.big = true}));
  files.emplace_back("pcap-nano", pcap_file(eth, LinkType::Ethernet, {.nano = true}));
  files.emplace_back("pcap-nano-be", pcap_file(eth, LinkType::Ethernet, {.big = true, .nano = true}));
  files.emplace_back("pcap-modified", pcap_file(eth, LinkType::Ethernet, {.modified = true}));
  files.emplace_back("pcap-snaplen64", pcap_file(eth, LinkType::Ethernet, {.snaplen = 64}));
  {
    Pcapng ng;
    ng.section().interface(LinkType::Ethernet).names();
    for (const Frame& f : eth) ng.enhanced(0, f);
    files.emplace_back("pcapng", ng.bytes());
  }
  {
    Pcapng ng(true);  // big-endian, nanosecond and 2^-20 clocks, an offset, SPB and obsolete PB
    ng.section().interface(LinkType::Ethernet, 9, 1'000'000).interface(LinkType::Raw, 0x80 | 20);
    for (std::size_t i = 0; i < eth.size(); ++i) {
      if (i % 3 == 0) ng.simple(eth[i]);
      else if (i % 3 == 1) ng.obsolete(0, eth[i]);
      else ng.enhanced(0, eth[i]);
    }
    for (const Frame& f : by_link[LinkType::Raw])
      if (f.bytes.size() <= 200) ng.enhanced(1, f);
    files.emplace_back("pcapng-be-mixed", ng.bytes());
  }
  {
    Pcapng ng;  // two sections (interface ids restart), an unknown and a statistics block
    ng.section().interface(LinkType::LinuxSll).unknown(0x0bad, 16);
    for (std::size_t i = 0; i < by_link[LinkType::LinuxSll].size() && i < 4; ++i)
      if (by_link[LinkType::LinuxSll][i].bytes.size() <= 300) ng.enhanced(0, by_link[LinkType::LinuxSll][i]);
    ng.section().interface(LinkType::Ethernet).unknown(5, 24);
    for (std::size_t i = 0; i < 3 && i < eth.size(); ++i) ng.enhanced(0, eth[i]);
    files.emplace_back("pcapng-sections", ng.bytes());
  }

  for (const auto& [name, bytes] : files) {
    out.write("capture_reader", name, bytes);
    out.write("lax_vs_strict", name, bytes);
    Blob seeded{0x5e, 0xed, 0x00, 0x01};  // chunk-size seed; odd: strict
    append(seeded, bytes);
    out.write("memory_vs_stream", name, seeded);
    seeded[0] = 0x42;  // even: lax
    append(seeded, Blob{0xde, 0xad});  // a cut-short trailer to warn about
    out.write("memory_vs_stream", name + "-cut", seeded);
    Blob cut(bytes.begin(), bytes.end() - 7);  // the last record cut short
    out.write("lax_vs_strict", name + "-cut", cut);
    for (const unsigned pick : {0x00u, 0x41u, 0xfeu}) {  // boundary, strict, 300 KB straddle
      Blob selected{static_cast<std::uint8_t>(pick)};
      append(selected, bytes);
      out.write("read_ahead", name + "-pick" + std::to_string(pick), selected);
    }
    for (const unsigned where : {0x40u, 0xaau, 0xffu}) {  // cut the gzip at 1/4, 2/3, the end
      Blob selected{static_cast<std::uint8_t>(where)};
      append(selected, bytes);
      out.write("compressed_vs_plain", name + "-cut" + std::to_string(where), selected);
    }
  }

  // Compressed: each codec over two files; the decompress target gets the codec's index and
  // the stream without its magic (the target puts it back).
  int c = 0;
  for (const auto& name : {"pcap-link1", "pcapng"}) {
    const Blob* file = nullptr;
    for (const auto& [n2, bytes] : files)
      if (n2 == name) file = &bytes;
    if (file == nullptr) continue;
    const std::pair<Blob, std::size_t> codecs[] = {{pcapframe::fuzz::gzip(*file, 6), 2}, {zstd(*file), 4}, {lz4(*file), 4}};
    std::uint8_t index = 0;
    for (const auto& [compressed, magic_len] : codecs) {
      Blob input{index};
      input.insert(input.end(), compressed.begin() + static_cast<std::ptrdiff_t>(magic_len), compressed.end());
      out.write("decompress", "codec" + std::to_string(index) + "-" + std::to_string(c), input);
      Blob twice = compressed;  // concatenated members / frames
      append(twice, compressed);
      out.write("capture_reader", std::string(name) + "-compressed" + std::to_string(index), twice);
      Blob seeded{0x07, 0x00, 0x00, 0x00};
      append(seeded, compressed);
      out.write("memory_vs_stream", std::string(name) + "-compressed" + std::to_string(index), seeded);
      ++index;
    }
    ++c;
  }

  // Export: the capture's DNS names and text built to break terminals, CSV, JSON and HTML.
  names.push_back("\x1b[31mred\x1b[0m.\x1b]52;c;Y2FsYw==\x07.example.");
  names.push_back("line\r\nbreak.\"quoted\",comma.");
  names.push_back("<script>alert(1)</script>.example.");
  names.push_back("=cmd|' /C calc'!A0.");
  static constexpr char kBinary[] = "nul\0byte.\xff\xfe.\xc3\x28.\xe2\x80\xae" "evil.\xc2\x85.";
  names.emplace_back(kBinary, sizeof kBinary - 1);
  names.push_back("caf\xc3\xa9.\xf0\x9f\x98\x80.\\back\\slash.&amp;.");
  int e = 0;
  for (const std::string& text : names) out.write("export", "name-" + std::to_string(e++), Blob(text.begin(), text.end()));
  out.report();
  return 0;
}
