// SPDX-License-Identifier: MIT
// `pcapframe._core`: the engine for Python. Reads a capture with the same reader, decoder
// and TableBuilder as the CLI, with the GIL released, and hands the columns to numpy (no
// copy: the arrays' owner keeps the C++ table alive) and to Arrow (the C stream interface).
// The user API is plain Python in pcapframe/; this module stays small and private.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analyses.hpp"
#include "arrow_stream.hpp"
#include "capture_data.hpp"
#include "live.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/schema.hpp"
#include "pcapframe/table.hpp"
#include "to_python.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace pcapframe::python {
namespace {

// A capture as Python sees it: a handle on the shared C++ data.
struct Table {
  std::shared_ptr<Capture> capture;
};

Column column_of(const std::string& name) {
  const auto column = find_column(name);
  if (!column) throw nb::value_error(("unknown column: " + name).c_str());
  return *column;
}

ColumnSelection parse_selection(const std::vector<std::string>& names) {
  ColumnSelection selection;
  for (const std::string& name : names) selection.set(static_cast<std::size_t>(column_of(name)));
  return selection;
}

// ---- inputs ----

// What a PyFileStream leaves for its reader's owner: the Python exception that stopped it.
struct StreamState {
  std::optional<nb::python_error> pending;
};

// A Python binary file object as a ByteStream. Each read() takes the GIL for one call of the
// object's `method`: readinto1 or readinto (straight into the reader's buffer), or read (then
// copied); nothing else of the input is held. (The Python side picks readinto1 for buffered
// files: on a pipe it returns what one read(2) gave instead of waiting for a whole chunk.) A
// Python exception raised by the object is kept, reading stops with an Io error, and the
// caller re-raises the exception as it was.
class PyFileStream final : public ByteStream {
 public:
  PyFileStream(nb::object file, const std::string& method, std::optional<std::uint64_t> size,
               std::shared_ptr<StreamState> state)
      : file_(std::move(file)), size_(size), state_(std::move(state)) {
    if (method == "read") {
      read_ = file_.attr("read");
    } else {
      readinto_ = file_.attr(method.c_str());
    }
  }
  ~PyFileStream() override {
    // The reader that owns this stream may be destroyed with the GIL released.
    nb::gil_scoped_acquire gil;
    readinto_.reset();
    read_.reset();
    file_.reset();
  }

  Result<std::size_t> read(std::span<std::byte> into) override {
    nb::gil_scoped_acquire gil;
    if (state_->pending) return failed("an earlier read failed");
    try {
      return readinto_.is_valid() ? read_into(into) : read_copy(into);
    } catch (nb::python_error& e) {
      std::string message = e.what();
      state_->pending.emplace(std::move(e));
      return failed(message);
    } catch (const std::exception& e) {
      return failed(e.what());
    }
  }
  std::optional<std::uint64_t> size() const noexcept override { return size_; }

 private:
  Result<std::size_t> read_into(std::span<std::byte> into) {
    PyObject* raw = PyMemoryView_FromMemory(reinterpret_cast<char*>(into.data()),
                                            static_cast<Py_ssize_t>(into.size()), PyBUF_WRITE);
    if (raw == nullptr) throw nb::python_error();
    nb::object view = nb::steal(raw);
    nb::object n = readinto_(view);
    view.attr("release")();  // a file object that kept the view cannot write through it
    if (n.is_none()) return failed("readinto returned None (a non-blocking file with no data?)");
    const auto count = nb::cast<std::size_t>(n);
    if (count > into.size()) return failed("readinto claims more bytes than it was given");
    return count;
  }

  Result<std::size_t> read_copy(std::span<std::byte> into) {
    nb::object data = read_(into.size());
    if (data.is_none()) return failed("read() returned None (a non-blocking file with no data?)");
    Py_buffer view;
    if (PyObject_GetBuffer(data.ptr(), &view, PyBUF_SIMPLE) != 0) {
      PyErr_Clear();
      return failed("read() returned " + std::string(nb::type_name(data.type()).c_str()) +
                    ", not bytes: open the file in binary mode ('rb')");
    }
    const auto count = static_cast<std::size_t>(view.len);
    if (count <= into.size()) std::memcpy(into.data(), view.buf, count);
    PyBuffer_Release(&view);
    if (count > into.size()) return failed("read(n) returned more than n bytes");
    return count;
  }

  static Unexpected failed(const std::string& message) {
    return unexpected({ErrorCode::Io, 0, 0, "reading the file object failed: " + message});
  }

  nb::object file_;
  nb::object readinto_;
  nb::object read_;
  std::optional<std::uint64_t> size_;
  std::shared_ptr<StreamState> state_;
};

// Re-raise the exception a file object raised while it was read, if any.
void raise_pending(const std::shared_ptr<StreamState>& state) {
  if (!state || !state->pending) return;
  nb::python_error error = std::move(*state->pending);
  state->pending.reset();
  throw error;
}

// What keeps an input alive while it is read: a pinned buffer (bytes, bytearray, memoryview,
// mmap, ...), read in place without a copy.
struct PinnedBuffer {
  Py_buffer view{};
  bool held = false;
  PinnedBuffer() = default;
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;
  ~PinnedBuffer() {
    if (!held) return;
    nb::gil_scoped_acquire gil;
    PyBuffer_Release(&view);
  }
};

// ---- Reader: an open capture, read whole or in batches ----

// After this many rows of a batch, the bytes they took tell how many rows the input will give.
inline constexpr std::size_t kRowsBeforeEstimate = 4096;
// A reservation is a hint, so it is capped (2^25 rows).
inline constexpr std::uint64_t kMaxReservedRows = std::uint64_t{1} << 25;

class Reader {
 public:
  Reader(std::unique_ptr<PinnedBuffer> pinned, CaptureReader reader,
         std::shared_ptr<StreamState> stream, const ColumnSelection& selection)
      : pinned_(std::move(pinned)), reader_(std::move(reader)), stream_(std::move(stream)),
        builder_(selection) {}

  // Read up to `max_rows` rows (0: every remaining row) into a Table, with the GIL released.
  // Every `check_every` records the GIL is taken back for a moment to run Python's signal
  // handlers (Ctrl-C raises KeyboardInterrupt) and to call `progress(bytes_consumed)`.
  // Returns (Table, None), or (None, error) when reading failed.
  nb::object read(std::size_t max_rows, std::uint64_t check_every, nb::object progress) {
    if (!reader_) throw nb::value_error("the capture is closed");
    check_every = check_every == 0 ? 1 : check_every;
    const bool report = !progress.is_none();
    std::optional<nb::python_error> raised;
    {
      nb::gil_scoped_release release;
      Record record;
      PacketFields fields;
      std::uint64_t until_check = check_every;
      const std::uint64_t start = reader_->bytes_consumed();
      while (!done_ && (max_rows == 0 || builder_.rows() < max_rows)) {
        if (!reader_->next(record)) {
          done_ = true;
          break;
        }
        decode_frame(record.link, record.bytes, fields);
        builder_.add(record, fields);
        for (FrameObserver* observer : observers_) observer->add(record, fields);
        if (builder_.rows() == kRowsBeforeEstimate) reserve_estimate(start, max_rows);
        if (--until_check == 0) {
          until_check = check_every;
          nb::gil_scoped_acquire acquire;
          if (PyErr_CheckSignals() != 0) {  // a handler raised (KeyboardInterrupt): stop here
            raised.emplace();
            break;
          }
          if (report && !call_progress(progress, raised)) break;
        }
      }
    }
    if (stream_ && stream_->pending) done_ = true;
    raise_pending(stream_);
    if (raised) throw std::move(*raised);
    if (reader_->error()) {
      done_ = true;
      return nb::make_tuple(nb::none(), to_tuple(*reader_->error()));
    }
    if (done_ && !ended_) {  // the input ended: the observers' last word (pcapng names)
      ended_ = true;
      for (FrameObserver* observer : observers_) observer->end(*reader_);
    }
    const std::vector<Error>& all = reader_->warnings();
    std::vector<Error> fresh(all.begin() + static_cast<std::ptrdiff_t>(warnings_seen_), all.end());
    warnings_seen_ = all.size();
    auto capture = std::make_shared<Capture>(builder_.finish(), reader_->info(), std::move(fresh));
    if (report && !call_progress(progress, raised)) throw std::move(*raised);
    return nb::make_tuple(nb::cast(Table{std::move(capture)}), nb::none());
  }

  bool done() const noexcept { return done_; }
  // Feed every frame read from now on to `observer` too (an analysis, analyses.cpp).
  void observe(FrameObserver& observer) { observers_.push_back(&observer); }
  const CaptureReader* reader() const noexcept { return reader_ ? &*reader_ : nullptr; }
  std::uint64_t bytes_consumed() const { return reader_ ? reader_->bytes_consumed() : 0; }
  std::uint64_t records_read() const { return reader_ ? reader_->records_read() : 0; }

  // Let go of the input (the file object, the pinned buffer) now rather than at collection.
  void close() {
    reader_.reset();
    stream_.reset();
    pinned_.reset();
    done_ = true;
  }

 private:
  bool call_progress(const nb::object& progress, std::optional<nb::python_error>& raised) {
    try {
      progress(reader_->bytes_consumed());
      return true;
    } catch (nb::python_error& e) {
      raised.emplace(std::move(e));
      return false;
    }
  }

  // Reserve the rows the rest of the input (or of the batch) will likely need, plus 1/16,
  // judging by the bytes the first rows took: the columns are then allocated once instead
  // of growing by doubling. Only for uncompressed input of known size.
  void reserve_estimate(std::uint64_t start, std::size_t max_rows) {
    const CaptureInfo& info = reader_->info();
    const std::uint64_t consumed = reader_->bytes_consumed();
    if (!info.size || !info.compression.empty() || consumed <= start || *info.size <= consumed)
      return;
    const double rows_per_byte =
        static_cast<double>(builder_.rows()) / static_cast<double>(consumed - start);
    auto rows = builder_.rows() + static_cast<std::uint64_t>(
                                      rows_per_byte * static_cast<double>(*info.size - consumed));
    rows += rows / 16;
    if (max_rows != 0) rows = std::min<std::uint64_t>(rows, max_rows);
    builder_.reserve(static_cast<std::size_t>(std::min(rows, kMaxReservedRows)));
  }

  // Declared first, destroyed last: the reader borrows the pinned buffer.
  std::unique_ptr<PinnedBuffer> pinned_;
  std::optional<CaptureReader> reader_;
  std::shared_ptr<StreamState> stream_;  // for a file object: its exception, if it raised
  TableBuilder builder_;
  std::size_t warnings_seen_ = 0;
  bool done_ = false;
  std::vector<FrameObserver*> observers_;  // kept alive by the Python Reader (keep_alive)
  bool ended_ = false;
};

CaptureOptions capture_options(bool strict, const std::string& filter) {
  CaptureOptions options;
  options.strict = strict;
  options.filter = filter;
  return options;
}

// (Reader, None) or (None, error).
nb::object opened(Result<CaptureReader> reader, std::unique_ptr<PinnedBuffer> pinned,
                  std::shared_ptr<StreamState> stream, const ColumnSelection& selection) {
  raise_pending(stream);  // the file object raised while the header was read
  if (!reader) return nb::make_tuple(nb::none(), to_tuple(reader.error()));
  return nb::make_tuple(
      nb::cast(Reader(std::move(pinned), std::move(*reader), stream, selection)), nb::none());
}

nb::object open_file(const std::string& path, const std::vector<std::string>& columns,
                     bool strict, const std::string& filter) {
  const ColumnSelection selection = parse_selection(columns);
  std::optional<Result<CaptureReader>> reader;
  {
    nb::gil_scoped_release release;
    reader.emplace(CaptureReader::open(path, capture_options(strict, filter)));
  }
  return opened(std::move(*reader), nullptr, nullptr, selection);
}

nb::object open_buffer(nb::handle data, const std::string& name,
                       const std::vector<std::string>& columns, bool strict,
                       const std::string& filter) {
  const ColumnSelection selection = parse_selection(columns);
  auto pinned = std::make_unique<PinnedBuffer>();
  if (PyObject_GetBuffer(data.ptr(), &pinned->view, PyBUF_SIMPLE) != 0) throw nb::python_error();
  pinned->held = true;
  const Bytes view(static_cast<const std::byte*>(pinned->view.buf),
                   static_cast<std::size_t>(pinned->view.len));
  // Borrows the buffer, which the Reader keeps pinned (a bytearray cannot be resized meanwhile).
  auto reader = CaptureReader::open_memory(view, name, capture_options(strict, filter));
  return opened(std::move(reader), std::move(pinned), nullptr, selection);
}

nb::object open_stream(nb::object file, const std::string& name, const std::string& method,
                       std::optional<std::uint64_t> size, const std::vector<std::string>& columns,
                       bool strict, const std::string& filter) {
  if (method != "readinto1" && method != "readinto" && method != "read")
    throw nb::value_error("method is 'readinto1', 'readinto' or 'read'");
  const ColumnSelection selection = parse_selection(columns);
  auto state = std::make_shared<StreamState>();
  auto stream = std::make_unique<PyFileStream>(std::move(file), method, size, state);
  std::optional<Result<CaptureReader>> reader;
  {
    nb::gil_scoped_release release;  // the stream takes the GIL for each read
    reader.emplace(CaptureReader::open_stream(std::move(stream), name,
                                              capture_options(strict, filter)));
  }
  return opened(std::move(*reader), nullptr, std::move(state), selection);
}

// ---- numpy views ----

template <class T>
using Array1 = nb::ndarray<nb::numpy, T, nb::ndim<1>, nb::c_contig>;

// A numpy array over `values` without copying; the array's owner (a capsule holding a
// shared_ptr) keeps the capture, and so the buffer, alive.
template <class T>
nb::object view(const std::shared_ptr<Capture>& capture, const std::vector<T>& values) {
  static T empty[1] = {};
  auto* keep = new std::shared_ptr<Capture>(capture);
  nb::capsule owner(keep, [](void* p) noexcept { delete static_cast<std::shared_ptr<Capture>*>(p); });
  const std::size_t shape[1] = {values.size()};
  T* data = values.empty() ? empty : const_cast<T*>(values.data());
  return nb::cast(Array1<T>(data, 1, shape, owner));
}

nb::object raw_column(const Table& table, const std::string& name) {
  const auto& c = table.capture;
  const PacketTable& t = c->table();
  switch (column_of(name)) {
    case Column::Datetime:
    case Column::Time:
    case Column::TimeNormed: return view(c, t.ts_ns);
    case Column::DnsQuery: return view(c, t.dns_query);
    case Column::DnsResp: return view(c, t.dns_resp);
    case Column::IpDst:
    case Column::IpDstInt: return view(c, t.ip_dst);
    case Column::IpSrc:
    case Column::IpSrcInt: return view(c, t.ip_src);
    case Column::IsDns: return view(c, t.is_dns);
    case Column::Length: return view(c, t.length);
    case Column::MacDst:
    case Column::MacDstInt: return view(c, t.mac_dst);
    case Column::MacSrc:
    case Column::MacSrcInt: return view(c, t.mac_src);
    case Column::PortDst: return view(c, t.port_dst);
    case Column::PortSrc: return view(c, t.port_src);
    case Column::Protocol: return view(c, t.protocol);
    case Column::Caplen: return view(c, t.caplen);
    case Column::IpVersion: return view(c, t.ip_version);
    case Column::Ttl: return view(c, t.ttl);
    case Column::IpProto: return view(c, t.ip_proto);
    case Column::TcpFlags: return view(c, t.tcp_flags);
    case Column::IcmpType: return view(c, t.icmp_type);
    case Column::IcmpCode: return view(c, t.icmp_code);
    case Column::VlanId: return view(c, t.vlan_id);
    case Column::LinkType: return view(c, t.link_type);
    case Column::Interface: return view(c, t.interface);
    case Column::Anomaly: return view(c, t.anomaly);
  }
  throw nb::value_error("unknown column");
}

// Run `compute` (which fills a cache in Capture) with the GIL released, then view its result.
template <class F>
nb::object derived(const Table& table, F compute) {
  const auto* values = [&] {
    nb::gil_scoped_release release;
    return &compute(*table.capture);
  }();
  return view(table.capture, *values);
}

// ---- columns written into buffers that Python allocates ----
//
// frame_from_table (frames.py) allocates one numpy buffer for every column the engine derives
// for a DataFrame (times, text), and the functions below fill their slices. One large
// allocation gets transparent huge pages from numpy: on the project's VM, faulting in fresh
// 4 KiB pages cost about a quarter of pcap_to_pandas' time.

template <class T>
using Out1 = nb::ndarray<T, nb::ndim<1>, nb::c_contig, nb::device::cpu>;

template <class T>
std::span<T> out_span(Out1<T>& out, std::size_t expected, const char* what) {
  if (out.shape(0) != expected)
    throw nb::value_error((std::string(what) + ": the output has the wrong length").c_str());
  return {out.data(), expected};
}

// The lab's integer columns that can be missing, as int64 per row (-1: missing). `per_id` is
// set for ip_*_int (an address id per row, then its IPv4 integer or -1 per id).
struct IntColumn {
  const std::vector<std::int64_t>* values = nullptr;
  const std::vector<std::uint32_t>* ids = nullptr;
  const std::vector<std::int64_t>* per_id = nullptr;
};

IntColumn int_column(Capture& c, const std::string& name) {
  const PacketTable& t = c.table();
  if (name == "ip_src_int") return {nullptr, &t.ip_src, &c.address_v4()};
  if (name == "ip_dst_int") return {nullptr, &t.ip_dst, &c.address_v4()};
  if (name == "port_src") return {&t.port_src, nullptr, nullptr};
  if (name == "port_dst") return {&t.port_dst, nullptr, nullptr};
  if (name == "mac_src_int") return {&t.mac_src, nullptr, nullptr};
  if (name == "mac_dst_int") return {&t.mac_dst, nullptr, nullptr};
  throw nb::value_error(("not a nullable integer column: " + name).c_str());
}

template <class F>
void for_each_int(const IntColumn& column, F&& f) {
  if (column.per_id != nullptr) {
    for (const std::uint32_t id : *column.ids) f((*column.per_id)[id]);
  } else {
    for (const std::int64_t value : *column.values) f(value);
  }
}

std::size_t int_rows(const IntColumn& column) {
  return column.per_id != nullptr ? column.ids->size() : column.values->size();
}

// Rows of nullable integer column `name` without a value.
std::uint64_t count_missing(const Table& table, const std::string& name) {
  const IntColumn column = int_column(*table.capture, name);
  if (int_rows(column) != table.capture->table().rows)
    throw nb::value_error(("column was not read: " + name).c_str());
  std::uint64_t missing = 0;
  nb::gil_scoped_release release;
  for_each_int(column, [&](std::int64_t value) { missing += value < 0 ? 1 : 0; });
  return missing;
}

// Fill `out` with column `name`: time, time_normed (float64), datetime (int64 naive local
// ns), or a nullable integer column as float64 with NaN where it is missing (the lab's rule
// when a value is missing).
void fill_column(const Table& table, const std::string& name, nb::handle out) {
  const PacketTable& t = table.capture->table();
  if (name.ends_with("_int") || name.starts_with("port_")) {
    const IntColumn column = int_column(*table.capture, name);
    auto array = nb::cast<Out1<double>>(out);
    if (int_rows(column) != t.rows) throw nb::value_error(("column was not read: " + name).c_str());
    const std::span<double> values = out_span(array, t.rows, name.c_str());
    nb::gil_scoped_release release;
    std::size_t row = 0;
    for_each_int(column, [&](std::int64_t value) {
      values[row++] = value < 0 ? std::numeric_limits<double>::quiet_NaN()
                                : static_cast<double>(value);
    });
    return;
  }
  const std::size_t rows = t.ts_ns.size();
  if (rows != t.rows) throw nb::value_error("the time columns were not read");
  if (name == "time" || name == "time_normed") {
    auto array = nb::cast<Out1<double>>(out);
    const std::span<double> values = out_span(array, rows, name.c_str());
    nb::gil_scoped_release release;
    name == "time" ? fill_seconds(t, values) : fill_seconds_normed(t, values);
  } else if (name == "datetime") {
    auto array = nb::cast<Out1<std::int64_t>>(out);
    const std::span<std::int64_t> values = out_span(array, rows, name.c_str());
    nb::gil_scoped_release release;
    fill_local_ns(t, values);
  } else {
    throw nb::value_error(("cannot fill column " + name).c_str());
  }
}

// Call f(ids, dictionary) for text column `column`: id 0 is missing, the dictionary holds
// the text of each id (addresses, MACs, DNS names as display text, protocol, anomaly).
template <class F>
void visit_text(Capture& c, Column column, F&& f) {
  const PacketTable& t = c.table();
  if (column == Column::IpSrc) {
    f(t.ip_src, t.addresses.text);
  } else if (column == Column::IpDst) {
    f(t.ip_dst, t.addresses.text);
  } else if (column == Column::MacSrc) {
    f(c.mac_dictionary().src_ids, c.mac_dictionary().text);
  } else if (column == Column::MacDst) {
    f(c.mac_dictionary().dst_ids, c.mac_dictionary().text);
  } else if (column == Column::DnsQuery) {
    f(t.dns_query, c.name_display());
  } else if (column == Column::DnsResp) {
    f(t.dns_resp, c.name_display());
  } else if (column == Column::Protocol) {
    f(t.protocol, enum_names(t.protocol, transport_name));
  } else if (column == Column::Anomaly) {
    f(t.anomaly, enum_names(t.anomaly, anomaly_name));
  } else {
    throw std::invalid_argument("not a text column: " + std::string(column_spec(column).name));
  }
}

// Bytes of UTF-8 text in column `name`, all rows together.
std::uint64_t text_size(const Table& table, const std::string& name) {
  const Column column = column_of(name);
  std::uint64_t total = 0;
  nb::gil_scoped_release release;
  visit_text(*table.capture, column, [&](const auto& ids, const std::vector<std::string>& dict) {
    for (const auto raw : ids) {
      const auto id = static_cast<std::size_t>(raw);
      if (id < dict.size()) total += dict[id].size();
    }
  });
  return total;
}

// Fill the buffers of an Arrow large_string array with text column `name`: `offsets` (rows +
// 1, int64) and `bytes` (text_size(name)); a missing row is empty (the caller makes the
// validity bitmap from the ids). This is what pandas' Arrow-backed `str` columns hold, so no
// Arrow take or cast follows.
void fill_text(const Table& table, const std::string& name, nb::handle offsets_out,
               nb::handle bytes_out) {
  const Column column = column_of(name);
  auto offsets_array = nb::cast<Out1<std::int64_t>>(offsets_out);
  auto bytes_array = nb::cast<Out1<std::uint8_t>>(bytes_out);
  const std::size_t rows = table.capture->table().rows;
  const std::span<std::int64_t> offsets = out_span(offsets_array, rows + 1, name.c_str());
  const std::span<std::uint8_t> bytes{bytes_array.data(), bytes_array.shape(0)};
  bool fits = true;
  {
    nb::gil_scoped_release release;
    visit_text(*table.capture, column, [&](const auto& ids, const std::vector<std::string>& dict) {
      if (ids.size() != rows) {
        fits = false;
        return;
      }
      std::size_t total = 0;
      offsets[0] = 0;
      for (std::size_t row = 0; row < rows; ++row) {
        const auto id = static_cast<std::size_t>(ids[row]);
        if (id != 0 && id < dict.size()) {
          const std::string& text = dict[id];
          if (total + text.size() > bytes.size()) {
            fits = false;
            return;
          }
          std::memcpy(bytes.data() + total, text.data(), text.size());
          total += text.size();
        }
        offsets[row + 1] = static_cast<std::int64_t>(total);
      }
    });
  }
  if (!fits) throw nb::value_error(("fill_text: the buffers do not fit column " + name).c_str());
}

nb::list str_list(const std::vector<std::string>& values) {
  nb::list out;
  for (const std::string& value : values) out.append(nb::str(value.data(), value.size()));
  return out;
}

nb::dict info_dict(const CaptureInfo& info) {
  nb::dict d;
  d["name"] = info.name;
  d["format"] = std::string(capture_format_name(info.format));
  d["big_endian"] = info.big_endian;
  d["nanosecond"] = info.nanosecond;
  d["version"] = nb::make_tuple(info.version_major, info.version_minor);
  d["snaplen"] = info.snaplen;
  d["link_type"] = static_cast<unsigned>(info.link);
  d["link_type_name"] = std::string(link_type_name(info.link));
  d["compression"] = info.compression;
  d["size"] = info.size ? nb::cast(*info.size) : nb::none();
  return d;
}

nb::dict info_dict(const Capture& capture) {
  nb::dict d = info_dict(capture.info());
  d["rows"] = capture.table().rows;
  return d;
}

nb::object arrow_c_stream(const Table& table, const std::vector<std::string>& columns,
                          bool naive_local, const std::string& zone) {
  std::vector<Column> selected;
  for (const std::string& name : columns) selected.push_back(column_of(name));
  auto* stream = new ArrowArrayStream{};
  export_arrow_stream(table.capture, std::move(selected), TimestampOptions{naive_local, zone},
                      stream);
  // The PyCapsule protocol: a capsule named "arrow_array_stream" whose destructor releases
  // the stream if no consumer took it (a consumer that did sets release to null).
  nb::capsule capsule(stream, "arrow_array_stream", [](void* p) noexcept {
    auto* s = static_cast<ArrowArrayStream*>(p);
    if (s->release != nullptr) s->release(s);
    delete s;
  });
  return capsule;
}

}  // namespace
}  // namespace pcapframe::python

NB_MODULE(_core, m) {
  using namespace pcapframe;
  using namespace pcapframe::python;
  m.doc() = "pcapframe's compiled engine (private: use the functions in pcapframe)";
  register_live(m);  // capture_to_file, list_interfaces, libpcap_version (live.cpp)
  register_analyses(m);  // TopAnalysis, FlowAnalysis, ..., NamesAnalysis (analyses.cpp)

  nb::class_<Table>(m, "Table", "A decoded capture held by the C++ engine")
      .def_prop_ro("rows", [](const Table& t) { return t.capture->table().rows; })
      .def_prop_ro("info", [](const Table& t) { return info_dict(*t.capture); })
      .def_prop_ro("warnings",
                   [](const Table& t) {
                     std::vector<ErrorTuple> out;
                     for (const Error& e : t.capture->warnings()) out.push_back(to_tuple(e));
                     return out;
                   })
      .def_prop_ro("columns",
                   [](const Table& t) {
                     std::vector<std::string> out;
                     for (const ColumnSpec& spec : kPacketSchema)
                       if (t.capture->table().selected.test(static_cast<std::size_t>(spec.column)))
                         out.emplace_back(spec.name);
                     return out;
                   })
      .def_prop_ro("first_ts_ns", [](const Table& t) { return t.capture->table().first_ts_ns; })
      .def("raw", &raw_column, "name"_a)
      .def("seconds", [](const Table& t) { return derived(t, [](Capture& c) -> auto& { return c.seconds(); }); })
      .def("seconds_normed",
           [](const Table& t) { return derived(t, [](Capture& c) -> auto& { return c.seconds_normed(); }); })
      .def("local_ns", [](const Table& t) { return derived(t, [](Capture& c) -> auto& { return c.local_ns(); }); })
      .def("ip_int",
           [](const Table& t, bool source) {
             return derived(t, [source](Capture& c) -> auto& { return c.ip_int(source); });
           },
           "source"_a)
      .def("mac_ids",
           [](const Table& t, bool source) {
             return derived(t, [source](Capture& c) -> auto& {
               return source ? c.mac_dictionary().src_ids : c.mac_dictionary().dst_ids;
             });
           },
           "source"_a)
      .def("mac_text",
           [](const Table& t) {
             const MacDictionary* dict = nullptr;
             {
               nb::gil_scoped_release release;
               dict = &t.capture->mac_dictionary();
             }
             return str_list(dict->text);
           })
      .def("address_text", [](const Table& t) { return str_list(t.capture->table().addresses.text); })
      .def("address_v4", [](const Table& t) { return derived(t, [](Capture& c) -> auto& { return c.address_v4(); }); })
      .def("dns_names",
           [](const Table& t) {
             nb::list out;
             for (const std::string& name : t.capture->table().names.values)
               out.append(nb::bytes(name.data(), name.size()));
             return out;
           })
      .def("dns_names_display", [](const Table& t) { return str_list(t.capture->name_display()); })
      .def("fill", &fill_column, "name"_a, "out"_a)
      .def("count_missing", &count_missing, "name"_a)
      .def("text_size", &text_size, "name"_a)
      .def("fill_text", &fill_text, "name"_a, "offsets"_a, "bytes"_a)
      .def("arrow_c_stream", &arrow_c_stream, "columns"_a, "naive_local"_a, "zone"_a);

  nb::class_<Reader>(m, "Reader", "An open capture, read whole or in batches")
      .def("read", &Reader::read, "max_rows"_a = 0, "check_every"_a = 65536,
           "progress"_a = nb::none(),
           "Read up to max_rows rows (0: all that remain): (Table, None) or (None, error).")
      .def_prop_ro("done", &Reader::done)
      .def_prop_ro("info",
                   [](const Reader& r) {
                     if (r.reader() == nullptr) throw nb::value_error("the capture is closed");
                     return info_dict(r.reader()->info());
                   })
      .def_prop_ro("bytes_consumed", &Reader::bytes_consumed)
      .def_prop_ro("records_read", &Reader::records_read)
      .def("close", &Reader::close)
      .def("observe", &Reader::observe, "observer"_a, nb::keep_alive<1, 2>(),
           "Feed every frame read from now on to an analysis (analyses.cpp) as well.");

  m.def("open_file", &open_file, "path"_a, "columns"_a, "strict"_a = false, "filter"_a = "",
        "Open a capture file ('-': standard input): (Reader, None) or (None, error).");
  m.def("open_buffer", &open_buffer, "data"_a, "name"_a, "columns"_a, "strict"_a = false,
        "filter"_a = "", "Open a capture held in a buffer (bytes, bytearray, mmap...), in place.");
  m.def("open_stream", &open_stream, "file"_a, "name"_a, "method"_a, "size"_a, "columns"_a,
        "strict"_a = false, "filter"_a = "",
        "Open a capture read from a binary file object with its method 'readinto1', "
        "'readinto' or 'read', chunk by chunk.");

  m.def("schema", [] {
    nb::list out;
    for (const ColumnSpec& spec : kPacketSchema) {
      const char* type = "";
      switch (spec.type) {
        case ColumnType::Timestamp: type = "timestamp"; break;
        case ColumnType::Float64: type = "float64"; break;
        case ColumnType::Int64: type = "int64"; break;
        case ColumnType::Bool: type = "bool"; break;
        case ColumnType::String: type = "string"; break;
        case ColumnType::PacketText: type = "packet_text"; break;
      }
      out.append(nb::make_tuple(std::string(spec.name), type, spec.nullable, spec.lab,
                                std::string(spec.description)));
    }
    return out;
  }, "The packet schema: (name, type, nullable, lab, description) per column, in order.");

  m.def("transport_names", [] {
    std::vector<std::string> out;
    for (unsigned code = 0; code <= static_cast<unsigned>(Transport::Icmp); ++code)
      out.emplace_back(transport_name(static_cast<Transport>(code)));
    return out;
  });
  m.def("anomaly_names", [] {
    std::vector<std::string> out;
    for (unsigned code = 0; code <= 255; ++code) {
      const std::string_view name = anomaly_name(static_cast<Anomaly>(code));
      if (code > 0 && name.empty()) break;
      out.emplace_back(name);
    }
    return out;
  });

  m.def("seconds_from_ns",
        [](Array1<const std::int64_t> ns) {
          std::vector<double> out(ns.shape(0));
          {
            nb::gil_scoped_release release;
            for (std::size_t i = 0; i < out.size(); ++i) out[i] = seconds_from_ns(ns(i));
          }
          return to_numpy(std::move(out));
        },
        "ns"_a, "Correctly rounded ns / 1e9 for an int64 array (the time column's rule).");
}
