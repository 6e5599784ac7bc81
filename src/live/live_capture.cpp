// SPDX-License-Identifier: MIT
// LiveCapture over libpcap: pcap_create + pcap_set_* + pcap_activate, a kernel BPF filter,
// then a non-blocking handle read with pcap_next_ex() between poll() waits.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <string_view>

#include "../io/link_types.hpp"
#include "pcapframe/live.hpp"

namespace pcapframe {

namespace {

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

Error make_error(ErrorCode code, std::string message) {
  return Error{code, 0, 0, std::move(message)};
}

bool mentions_permission(std::string_view text) {
  return text.find("Operation not permitted") != std::string_view::npos ||
         text.find("ermission denied") != std::string_view::npos ||
         text.find("don't have permission") != std::string_view::npos;
}

std::string not_permitted(const std::string& iface, const std::string& detail) {
  return "capture on " + iface + " is not permitted (libpcap: " + detail +
         "); run as root, or give the program the CAP_NET_RAW and CAP_NET_ADMIN capabilities";
}

std::string address_text(const sockaddr* address) {
  if (address == nullptr) return {};
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    const auto* in = reinterpret_cast<const sockaddr_in*>(address);
    if (inet_ntop(AF_INET, &in->sin_addr, text, sizeof text) != nullptr) return text;
  } else if (address->sa_family == AF_INET6) {
    const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
    if (inet_ntop(AF_INET6, &in6->sin6_addr, text, sizeof text) != nullptr) return text;
  }
  return {};
}

}  // namespace

struct LiveCapture::Impl {
  pcap_t* handle = nullptr;
  int pcap_fd = -1;
  int wake_fd = -1;  // an eventfd: stop() writes to it so that poll() returns
  std::atomic<bool> stop_requested{false};
  std::string iface;
  std::string filter;
  LinkType link = LinkType::Ethernet;
  std::uint32_t snaplen = 0;
  bool nanosecond = false;
  std::uint64_t packets = 0;
  std::uint64_t captured_bytes = 0;
  std::uint64_t wire_bytes = 0;
  std::optional<Error> error;
  std::vector<Error> warnings;

  Impl() = default;
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  ~Impl() {
    if (handle != nullptr) pcap_close(handle);
    if (wake_fd >= 0) ::close(wake_fd);
  }
};

static_assert(std::atomic<bool>::is_always_lock_free, "stop() must be async-signal-safe");

LiveCapture::LiveCapture(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
LiveCapture::LiveCapture(LiveCapture&&) noexcept = default;
LiveCapture& LiveCapture::operator=(LiveCapture&&) noexcept = default;
LiveCapture::~LiveCapture() = default;

std::string LiveCapture::library_version() { return pcap_lib_version(); }

Result<LiveCapture> LiveCapture::open(const std::string& iface, const LiveOptions& options) {
  if (iface.empty())
    return unexpected(make_error(ErrorCode::InvalidArgument, "no interface given"));
  if (options.timeout_ms <= 0) {
    return unexpected(
        make_error(ErrorCode::InvalidArgument, "the packet buffer timeout must be positive"));
  }
  if (options.snaplen > kMaxCaplen) {
    return unexpected(make_error(ErrorCode::InvalidArgument,
                                 "snaplen " + std::to_string(options.snaplen) +
                                     " is above the maximum, " + std::to_string(kMaxCaplen)));
  }
  auto impl = std::make_unique<Impl>();
  impl->iface = iface;
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  impl->handle = pcap_create(iface.c_str(), errbuf);
  if (impl->handle == nullptr) {
    return unexpected(make_error(ErrorCode::Io, "cannot capture on " + iface + ": " + errbuf));
  }
  pcap_t* p = impl->handle;
  const int snaplen = static_cast<int>(options.snaplen == 0 ? kMaxCaplen : options.snaplen);
  if (pcap_set_snaplen(p, snaplen) != 0 || pcap_set_promisc(p, options.promisc ? 1 : 0) != 0 ||
      pcap_set_timeout(p, options.timeout_ms) != 0 ||
      (options.buffer_size > 0 &&
       pcap_set_buffer_size(
           p, static_cast<int>(std::min<std::uint32_t>(options.buffer_size, INT_MAX))) != 0) ||
      (options.immediate && pcap_set_immediate_mode(p, 1) != 0)) {
    return unexpected(make_error(ErrorCode::InvalidArgument,
                                 "cannot set capture options on " + iface + ": " + pcap_geterr(p)));
  }
  // Nanosecond timestamps where the platform has them (Linux does); microseconds otherwise.
  (void)pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);

  const int rc = pcap_activate(p);
  if (rc < 0) {
    const std::string detail = pcap_geterr(p);
    const std::string status = pcap_statustostr(rc);
    const std::string text = detail.empty() ? status : detail;
    switch (rc) {
      case PCAP_ERROR_PERM_DENIED:
      case PCAP_ERROR_PROMISC_PERM_DENIED:
        return unexpected(make_error(ErrorCode::PermissionDenied, not_permitted(iface, text)));
      case PCAP_ERROR_NO_SUCH_DEVICE:
        return unexpected(make_error(
            ErrorCode::Io, "no capture interface named '" + iface + "' (libpcap: " + text + ")"));
      case PCAP_ERROR_IFACE_NOT_UP:
        return unexpected(make_error(
            ErrorCode::Io,
            "interface " + iface + " is down: bring it up first (ip link set " + iface + " up)"));
      default:
        if (mentions_permission(text)) {
          return unexpected(make_error(ErrorCode::PermissionDenied, not_permitted(iface, text)));
        }
        return unexpected(make_error(ErrorCode::Io, "cannot capture on " + iface + ": " + text));
    }
  }
  if (rc > 0) {  // a warning: the capture works, with a caveat
    const std::string detail = pcap_geterr(p);
    impl->warnings.push_back(
        make_error(ErrorCode::Io,
                   iface + ": " + (detail.empty() ? std::string(pcap_statustostr(rc)) : detail)));
  }

  impl->link = detail::link_type_for(pcap_datalink(p));
  impl->snaplen = static_cast<std::uint32_t>(pcap_snapshot(p));
  impl->nanosecond = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;

  if (!options.filter.empty()) {
    bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
    if (pcap_lookupnet(iface.c_str(), &net, &mask, errbuf) != 0) mask = PCAP_NETMASK_UNKNOWN;
    bpf_program program{};
    if (pcap_compile(p, &program, options.filter.c_str(), 1, mask) != 0) {
      return unexpected(make_error(
          ErrorCode::InvalidArgument,
          "filter '" + options.filter + "' does not compile for " + iface + ": " + pcap_geterr(p)));
    }
    const int set = pcap_setfilter(p, &program);
    pcap_freecode(&program);
    if (set != 0) {
      return unexpected(
          make_error(ErrorCode::Io, "cannot set the filter on " + iface + ": " + pcap_geterr(p)));
    }
    impl->filter = options.filter;
  }

  if (pcap_setnonblock(p, 1, errbuf) != 0) {
    return unexpected(make_error(
        ErrorCode::Io, "cannot make the capture on " + iface + " non-blocking: " + errbuf));
  }
  impl->pcap_fd = pcap_get_selectable_fd(p);
  if (impl->pcap_fd < 0) {
    return unexpected(
        make_error(ErrorCode::Io, "libpcap gives no descriptor to wait on for " + iface));
  }
  impl->wake_fd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->wake_fd < 0) {
    return unexpected(make_error(ErrorCode::Io, std::string("eventfd: ") + std::strerror(errno)));
  }
  return LiveCapture(std::move(impl));
}

LiveStatus LiveCapture::next(Record& record, int wait_ms) {
  Impl& s = *impl_;
  if (s.error) return LiveStatus::Failed;
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::milliseconds(wait_ms < 0 ? 0 : wait_ms);
  int error_wakeups = 0;  // poll() said "error" but libpcap had nothing to report
  for (;;) {
    if (s.stop_requested.load(std::memory_order_relaxed)) return LiveStatus::Stopped;
    pcap_pkthdr* header = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(s.handle, &header, &data);
    if (rc == 1) {
      const std::int64_t fraction = static_cast<std::int64_t>(header->ts.tv_usec);
      record.ts_ns = static_cast<std::int64_t>(header->ts.tv_sec) * kNsPerSecond +
                     (s.nanosecond ? fraction : fraction * 1000);
      record.caplen = header->caplen;
      record.origlen = header->len;
      record.link = s.link;
      record.iface = 0;
      record.offset = 0;
      record.bytes = Bytes(reinterpret_cast<const std::byte*>(data), header->caplen);
      ++s.packets;
      s.captured_bytes += header->caplen;
      s.wire_bytes += header->len;
      return LiveStatus::Packet;
    }
    if (rc == PCAP_ERROR_BREAK) return LiveStatus::Stopped;
    if (rc < 0) {  // libpcap names the reason: "The interface went down", ...
      s.error =
          make_error(ErrorCode::Io, "capture on " + s.iface + " failed: " + pcap_geterr(s.handle));
      return LiveStatus::Failed;
    }
    // rc == 0: nothing buffered. Wait for the kernel to hand over packets, or for stop().
    int timeout = -1;
    if (wait_ms >= 0) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return LiveStatus::Timeout;
      timeout = static_cast<int>(left);
    }
    pollfd fds[2] = {{s.pcap_fd, POLLIN, 0}, {s.wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, timeout);
    if (ready == 0) return LiveStatus::Timeout;
    if (ready < 0) {
      if (errno == EINTR) return LiveStatus::Timeout;  // a signal: let the caller look
      s.error =
          make_error(ErrorCode::Io, "capture on " + s.iface + ": poll: " + std::strerror(errno));
      return LiveStatus::Failed;
    }
    // An error condition on the socket is reported by pcap_next_ex() on the next turn; if it
    // keeps reporting nothing, give up rather than spin.
    const bool error_only =
        (fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0 && (fds[0].revents & POLLIN) == 0;
    if (error_only && ++error_wakeups > 100) {
      s.error = make_error(ErrorCode::Io,
                           "capture on " + s.iface + " failed: the device reports an error");
      return LiveStatus::Failed;
    }
  }
}

bool LiveCapture::next(Record& record) {
  for (;;) {
    switch (next(record, -1)) {
      case LiveStatus::Packet:
        return true;
      case LiveStatus::Timeout:
        continue;
      case LiveStatus::Stopped:
      case LiveStatus::Failed:
        return false;
    }
  }
}

void LiveCapture::stop() noexcept {
  Impl* s = impl_.get();
  if (s == nullptr) return;
  s->stop_requested.store(true, std::memory_order_relaxed);
  const std::uint64_t one = 1;
  // write() is async-signal-safe; a full counter (impossible here) only means already woken.
  [[maybe_unused]] const auto written = ::write(s->wake_fd, &one, sizeof one);
}

bool LiveCapture::stopped() const noexcept {
  return impl_->stop_requested.load(std::memory_order_relaxed);
}

Result<LiveStats> LiveCapture::stats() {
  pcap_stat ps{};
  if (pcap_stats(impl_->handle, &ps) != 0) {
    return unexpected(make_error(
        ErrorCode::Io, "no statistics for " + impl_->iface + ": " + pcap_geterr(impl_->handle)));
  }
  return LiveStats{ps.ps_recv, ps.ps_drop, ps.ps_ifdrop};
}

const std::string& LiveCapture::interface_name() const noexcept { return impl_->iface; }
LinkType LiveCapture::link() const noexcept { return impl_->link; }
std::uint32_t LiveCapture::snaplen() const noexcept { return impl_->snaplen; }
bool LiveCapture::nanosecond() const noexcept { return impl_->nanosecond; }
const std::string& LiveCapture::filter() const noexcept { return impl_->filter; }
std::uint64_t LiveCapture::records_read() const noexcept { return impl_->packets; }
std::uint64_t LiveCapture::bytes_consumed() const noexcept { return impl_->captured_bytes; }
std::uint64_t LiveCapture::wire_bytes() const noexcept { return impl_->wire_bytes; }
const std::optional<Error>& LiveCapture::error() const noexcept { return impl_->error; }
const std::vector<Error>& LiveCapture::warnings() const noexcept { return impl_->warnings; }

CaptureInfo LiveCapture::info() const {
  CaptureInfo info;
  info.name = impl_->iface;
  info.format = CaptureFormat::Pcap;
  info.nanosecond = impl_->nanosecond;
  info.version_major = 2;
  info.version_minor = 4;
  info.snaplen = impl_->snaplen;
  info.link = impl_->link;
  return info;
}

Result<std::vector<LiveInterface>> LiveCapture::list_interfaces() {
  char errbuf[PCAP_ERRBUF_SIZE] = {};
  pcap_if_t* all = nullptr;
  if (pcap_findalldevs(&all, errbuf) != 0) {
    return unexpected(make_error(ErrorCode::Io, std::string("cannot list interfaces: ") + errbuf));
  }
  std::vector<LiveInterface> out;
  for (const pcap_if_t* dev = all; dev != nullptr; dev = dev->next) {
    LiveInterface entry;
    entry.name = dev->name;
    if (dev->description != nullptr) entry.description = dev->description;
    entry.up = (dev->flags & PCAP_IF_UP) != 0;
    entry.running = (dev->flags & PCAP_IF_RUNNING) != 0;
    entry.loopback = (dev->flags & PCAP_IF_LOOPBACK) != 0;
    entry.wireless = (dev->flags & PCAP_IF_WIRELESS) != 0;
    for (const pcap_addr_t* a = dev->addresses; a != nullptr; a = a->next) {
      std::string text = address_text(a->addr);
      if (!text.empty()) entry.addresses.push_back(std::move(text));
    }
    out.push_back(std::move(entry));
  }
  pcap_freealldevs(all);
  return out;
}

}  // namespace pcapframe
