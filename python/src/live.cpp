// SPDX-License-Identifier: MIT
// Live capture for Python: `_core.capture_to_file` captures from an interface into a pcap or
// pcapng file with the GIL released, honouring Ctrl-C; pcapframe/live.py then reads the file
// with the same path as pcap_to_pandas, so the DataFrame is the file's DataFrame.
#include "pcapframe/live.hpp"

#include <nanobind/nanobind.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <tuple>

#include "pcapframe/writer.hpp"
#include "to_python.hpp"  // to_tuple

namespace nb = nanobind;
using namespace nb::literals;

namespace pcapframe::python {
namespace {

std::int64_t now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

// Longest stretch with the GIL released before Python's signal handlers get to run.
constexpr auto kCheckSignalsEvery = std::chrono::milliseconds(100);

// Capture on `iface` into `path` until `count` packets (0: no limit), `duration_s` seconds
// (<= 0: no limit) or Ctrl-C. Return (summary dict, None) or (None, error tuple). Ctrl-C
// ends the capture like the limits do (as scapy's sniff() does) and sets "ended_by" to
// "interrupt"; any other exception raised by a signal handler propagates, and the partial
// file is removed.
nb::object capture_to_file(const std::string& iface, const std::string& path,
                           const std::string& format, bool nanosecond, double duration_s,
                           std::uint64_t count, const std::string& filter, std::uint32_t snaplen,
                           bool promisc, std::uint32_t buffer_size, bool immediate) {
  if (format != "pcap" && format != "pcapng")
    throw nb::value_error("format must be 'pcap' or 'pcapng'");
  LiveOptions options;
  options.snaplen = snaplen;
  options.filter = filter;
  options.promisc = promisc;
  options.buffer_size = buffer_size;
  options.immediate = immediate;

  std::optional<Result<LiveCapture>> opened;
  {
    nb::gil_scoped_release release;
    opened.emplace(LiveCapture::open(iface, options));
  }
  if (!*opened) return nb::make_tuple(nb::none(), to_tuple(opened->error()));
  LiveCapture& capture = opened->value();

  WriteOptions write;
  write.format = format == "pcapng" ? WriteFormat::Pcapng : WriteFormat::Pcap;
  write.nanosecond = nanosecond;
  write.link = capture.link();
  write.snaplen = capture.snaplen();
  write.interface_name = capture.interface_name();
  write.filter = capture.filter();
  write.application = "pcapframe (Python; " + LiveCapture::library_version() + ")";
  auto writer = CaptureWriter::create(path, write);
  if (!writer) return nb::make_tuple(nb::none(), to_tuple(writer.error()));

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const std::int64_t start_ns = now_ns();
  const std::optional<Clock::duration> limit =
      duration_s > 0 ? std::optional(std::chrono::duration_cast<Clock::duration>(
                           std::chrono::duration<double>(duration_s)))
                     : std::nullopt;
  std::string ended_by = "stop";
  std::optional<Error> failure;
  bool python_error = false;
  {
    nb::gil_scoped_release release;
    Record record;
    auto last_check = start;
    for (;;) {
      if (count != 0 && capture.records_read() >= count) {
        ended_by = "count";
        break;
      }
      const auto now = Clock::now();
      int wait_ms = static_cast<int>(kCheckSignalsEvery.count());
      if (limit) {
        const auto left = *limit - (now - start);
        if (left <= Clock::duration::zero()) {
          ended_by = "duration";
          break;
        }
        wait_ms = static_cast<int>(std::min<std::int64_t>(
            wait_ms, std::chrono::ceil<std::chrono::milliseconds>(left).count()));
      }
      if (now - last_check >= kCheckSignalsEvery) {
        last_check = now;
        if (auto flushed = writer->flush(); !flushed) {
          failure = flushed.error();
          ended_by = "error";
          break;
        }
        nb::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {
          if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt) != 0) {
            PyErr_Clear();
            ended_by = "interrupt";
          } else {
            python_error = true;  // raised below, with the GIL held
          }
          break;
        }
      }
      const LiveStatus status = capture.next(record, wait_ms);
      if (status == LiveStatus::Packet) {
        if (auto written = writer->write(record); !written) {
          failure = written.error();
          ended_by = "error";
          break;
        }
      } else if (status == LiveStatus::Failed) {
        failure = capture.error();
        ended_by = "error";
        break;
      } else if (status == LiveStatus::Stopped) {
        break;
      }
    }
  }
  const std::int64_t end_ns = now_ns();
  if (python_error) {
    writer->abandon();
    throw nb::python_error();
  }
  std::optional<LiveStats> stats;
  if (auto s = capture.stats()) stats = *s;
  if (stats) writer->set_statistics(*stats, start_ns, end_ns);
  const std::uint64_t packets = writer->records_written();
  Result<void> finished;
  {
    nb::gil_scoped_release release;
    finished = writer->finish();
  }
  if (!finished && !failure) failure = finished.error();
  if (failure) return nb::make_tuple(nb::none(), to_tuple(*failure));

  nb::dict d;
  d["interface"] = capture.interface_name();
  d["filter"] = capture.filter();
  d["path"] = path;
  d["format"] = format;
  d["packets"] = packets;
  d["wire_bytes"] = capture.wire_bytes();
  d["received"] = stats ? nb::cast(stats->received) : nb::none();
  d["dropped"] = stats ? nb::cast(stats->dropped) : nb::none();
  d["if_dropped"] = stats ? nb::cast(stats->if_dropped) : nb::none();
  d["link_type"] = static_cast<unsigned>(capture.link());
  d["snaplen"] = capture.snaplen();
  d["nanosecond"] = capture.nanosecond();
  d["start_ns"] = start_ns;
  d["end_ns"] = end_ns;
  d["ended_by"] = ended_by;
  return nb::make_tuple(d, nb::none());
}

nb::object list_interfaces() {
  auto found = LiveCapture::list_interfaces();
  if (!found) return nb::make_tuple(nb::none(), to_tuple(found.error()));
  nb::list out;
  for (const LiveInterface& i : *found) {
    nb::dict d;
    d["name"] = i.name;
    d["description"] = i.description;
    d["addresses"] = i.addresses;
    d["up"] = i.up;
    d["running"] = i.running;
    d["loopback"] = i.loopback;
    d["wireless"] = i.wireless;
    out.append(d);
  }
  return nb::make_tuple(out, nb::none());
}

}  // namespace

void register_live(nb::module_& m) {
  m.def("capture_to_file", &capture_to_file, "iface"_a, "path"_a, "format"_a = "pcap",
        "nanosecond"_a = true, "duration_s"_a = 0.0, "count"_a = 0, "filter"_a = "",
        "snaplen"_a = kMaxCaplen, "promisc"_a = true, "buffer_size"_a = 0, "immediate"_a = false,
        "Capture live into a file; return (summary dict, None) or (None, (code, offset, record, "
        "message)).");
  m.def("list_interfaces", &list_interfaces,
        "The capture devices: ([{name, description, addresses, up, running, loopback, wireless}], "
        "None) "
        "or (None, error).");
  m.def("libpcap_version", &LiveCapture::library_version, "libpcap's version text.");
}

}  // namespace pcapframe::python
