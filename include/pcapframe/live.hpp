// SPDX-License-Identifier: MIT
// LiveCapture: packets from a network interface, through libpcap, as the same Records the
// file reader yields; and the process-wide privilege drop a capture tool does after opening.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pcapframe/capture.hpp"
#include "pcapframe/record.hpp"
#include "pcapframe/result.hpp"

namespace pcapframe {

/// How to open an interface: libpcap's pcap_set_* calls before pcap_activate().
struct LiveOptions {
  /// Bytes kept of each packet (libpcap's snapshot length); 0 means the maximum.
  std::uint32_t snaplen = kMaxCaplen;
  /// A BPF expression (tcpdump syntax) compiled by libpcap and run in the kernel, so that
  /// packets it rejects are never copied out. Empty: every packet.
  std::string filter{};
  /// Promiscuous mode: also see frames addressed to other hosts (tcpdump's default).
  bool promisc = true;
  /// Kernel ring buffer in bytes; 0 keeps libpcap's default (2 MiB on Linux).
  std::uint32_t buffer_size = 0;
  /// Packet buffer timeout: the longest the kernel holds captured packets before handing
  /// them over. Must be positive.
  int timeout_ms = 100;
  /// Hand over every packet as it arrives (more wake-ups; libpcap's immediate mode).
  bool immediate = false;
};

/// libpcap's counters for a capture (pcap_stats), since it was opened.
struct LiveStats {
  /// Packets the kernel saw that passed the filter, including those it then dropped.
  std::uint64_t received = 0;
  /// Packets dropped by the kernel because the capture buffer was full.
  std::uint64_t dropped = 0;
  /// Packets dropped by the interface or its driver before the kernel saw them (not every
  /// platform counts these).
  std::uint64_t if_dropped = 0;
};

/// One capture device as libpcap lists it (pcap_findalldevs).
struct LiveInterface {
  std::string name;
  std::string description;
  std::vector<std::string> addresses;  // IPv4 and IPv6 addresses, as text
  bool up = false;
  bool running = false;
  bool loopback = false;
  bool wireless = false;
};

/// Why LiveCapture::next() returned.
enum class LiveStatus : std::uint8_t {
  Packet,   // the record holds a packet
  Timeout,  // nothing arrived within the wait
  Stopped,  // stop() was called
  Failed,   // the capture failed (the interface went away): error() says why
};

/// Packets from a network interface, as they arrive.
///
/// The handle is non-blocking underneath: next() waits with poll() on libpcap's descriptor
/// and on a wake-up descriptor that stop() writes, so a capture can be ended from a signal
/// handler or another thread, and a caller can look at the clock while no packet comes.
class LiveCapture {
 public:
  /// Open `iface` for capture. Fails with PermissionDenied (not root, no CAP_NET_RAW),
  /// Io (no such interface, interface down, libpcap failure) or InvalidArgument (a filter
  /// that does not compile, a bad option). libpcap's warnings go to warnings().
  [[nodiscard]] static Result<LiveCapture> open(const std::string& iface,
                                                const LiveOptions& options = {});
  /// List the devices libpcap can capture on. Needs no privilege.
  [[nodiscard]] static Result<std::vector<LiveInterface>> list_interfaces();
  /// libpcap's version text ("libpcap version 1.10.3 (with TPACKET_V3)").
  static std::string library_version();

  LiveCapture(LiveCapture&&) noexcept;
  LiveCapture& operator=(LiveCapture&&) noexcept;
  ~LiveCapture();

  /// Wait at most `wait_ms` milliseconds (negative: no limit) for the next packet. On
  /// Packet, `record` holds it: its bytes stay valid until the next call. A signal that
  /// interrupts the wait returns Timeout, so the caller can look at its flags.
  LiveStatus next(Record& record, int wait_ms);
  /// Wait for the next packet; false once stop() was called or the capture failed.
  bool next(Record& record);

  /// End the capture: the current or next call to next() returns Stopped. Safe to call
  /// from a signal handler (an atomic store and a write()) or from another thread.
  void stop() noexcept;
  [[nodiscard]] bool stopped() const noexcept;

  /// libpcap's counters now. Fails with Io if libpcap cannot tell.
  [[nodiscard]] Result<LiveStats> stats();

  [[nodiscard]] const std::string& interface_name() const noexcept;
  /// The link type of the interface's frames (pcap_datalink, as a LINKTYPE value).
  [[nodiscard]] LinkType link() const noexcept;
  /// The snapshot length in effect (pcap_snapshot).
  [[nodiscard]] std::uint32_t snaplen() const noexcept;
  /// Timestamps have nanosecond resolution (otherwise microseconds).
  [[nodiscard]] bool nanosecond() const noexcept;
  /// The filter in effect (empty: none).
  [[nodiscard]] const std::string& filter() const noexcept;
  /// Packets handed out by next() so far.
  [[nodiscard]] std::uint64_t records_read() const noexcept;
  /// Captured bytes handed out so far.
  [[nodiscard]] std::uint64_t bytes_consumed() const noexcept;
  /// Wire bytes (original lengths) of the packets handed out so far.
  [[nodiscard]] std::uint64_t wire_bytes() const noexcept;
  /// The failure that ended the capture, if any.
  [[nodiscard]] const std::optional<Error>& error() const noexcept;
  /// libpcap's warnings at activation (promiscuous mode not supported, ...).
  [[nodiscard]] const std::vector<Error>& warnings() const noexcept;
  /// A CaptureInfo describing the capture, for code written for files: name = interface,
  /// format Pcap, the link type, snaplen and timestamp resolution.
  [[nodiscard]] CaptureInfo info() const;

  struct Impl;

 private:
  explicit LiveCapture(std::unique_ptr<Impl> impl) noexcept;
  std::unique_ptr<Impl> impl_;
};

/// Switch the whole process to `user`: its supplementary groups (initgroups), its primary
/// group and its user id, real, effective and saved. Call it after opening the capture
/// device (the open descriptor keeps working) and before creating output files. Fails with
/// InvalidArgument for an unknown user, PermissionDenied when not running as root (unless
/// `user` is already the current user), Io when a step fails or root could be regained.
[[nodiscard]] Result<void> drop_privileges(const std::string& user);

/// Give up every Linux capability (effective, permitted, inheritable) of the calling
/// thread's process credentials, as a capture started through file capabilities (setcap)
/// should after opening its device. Fails with Io if the kernel refuses.
[[nodiscard]] Result<void> drop_capabilities();

}  // namespace pcapframe
