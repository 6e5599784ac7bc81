// SPDX-License-Identifier: MIT
// `pcapframe._core`: the engine for Python. Reads a capture with the same reader, decoder
// and TableBuilder as the CLI, with the GIL released, and hands the columns to numpy (no
// copy: the arrays' owner keeps the C++ table alive) and to Arrow (the C stream interface).
// The user API is plain Python in pcapframe/; this module stays small and private.
#include <nanobind/nanobind.h>
#include <nanobind/ndarray.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/tuple.h>
#include <nanobind/stl/vector.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "arrow_stream.hpp"
#include "capture_data.hpp"
#include "pcapframe/capture.hpp"
#include "pcapframe/decode.hpp"
#include "pcapframe/schema.hpp"
#include "pcapframe/table.hpp"

namespace nb = nanobind;
using namespace nb::literals;

namespace pcapframe::python {
namespace {

// A capture as Python sees it: a handle on the shared C++ data.
struct Table {
  std::shared_ptr<Capture> capture;
};

// (code, byte offset, record number, message): errors and warnings as plain tuples; the
// Python layer turns them into exceptions and warnings.
using ErrorTuple = std::tuple<std::string, std::uint64_t, std::uint64_t, std::string>;

ErrorTuple to_tuple(const Error& e) {
  return {std::string(error_code_name(e.code)), e.offset, e.record, e.message};
}

ColumnSelection parse_selection(const std::vector<std::string>& names) {
  ColumnSelection selection;
  for (const std::string& name : names) {
    const auto column = find_column(name);
    if (!column) throw nb::value_error(("unknown column: " + name).c_str());
    selection.set(static_cast<std::size_t>(*column));
  }
  return selection;
}

// Read every record of `reader` into a table with the GIL released. Every `check_every`
// records the GIL is taken back for a moment to run Python's signal handlers, so that
// Ctrl-C raises KeyboardInterrupt instead of waiting for the end of a long capture.
nb::object read_all(CaptureReader& reader, const ColumnSelection& selection,
                    std::uint64_t check_every) {
  TableBuilder builder(selection);
  bool interrupted = false;
  {
    nb::gil_scoped_release release;
    Record record;
    PacketFields fields;
    std::uint64_t until_check = check_every;
    while (reader.next(record)) {
      decode_frame(record.link, record.bytes, fields);
      builder.add(record, fields);
      if (--until_check == 0) {
        until_check = check_every;
        nb::gil_scoped_acquire acquire;
        if (PyErr_CheckSignals() != 0) {  // a handler raised (KeyboardInterrupt): stop here
          interrupted = true;
          break;
        }
      }
    }
  }
  if (interrupted) throw nb::python_error();
  if (reader.error()) return nb::make_tuple(nb::none(), to_tuple(*reader.error()));
  auto capture = std::make_shared<Capture>(builder.finish(), reader.info(), reader.warnings());
  return nb::make_tuple(nb::cast(Table{std::move(capture)}), nb::none());
}

nb::object read_file(const std::string& path, const std::vector<std::string>& columns,
                     bool strict, std::uint64_t check_every) {
  const ColumnSelection selection = parse_selection(columns);
  std::optional<Result<CaptureReader>> opened;
  {
    nb::gil_scoped_release release;
    CaptureOptions options;
    options.strict = strict;
    opened.emplace(CaptureReader::open(path, options));
  }
  if (!*opened) return nb::make_tuple(nb::none(), to_tuple(opened->error()));
  return read_all(opened->value(), selection, check_every == 0 ? 1 : check_every);
}

nb::object read_bytes(nb::bytes data, const std::string& name,
                      const std::vector<std::string>& columns, bool strict,
                      std::uint64_t check_every) {
  const ColumnSelection selection = parse_selection(columns);
  const Bytes view(static_cast<const std::byte*>(data.data()), data.size());
  CaptureOptions options;
  options.strict = strict;
  auto opened = CaptureReader::open_memory(view, name, options);  // borrows `data` (alive here)
  if (!opened) return nb::make_tuple(nb::none(), to_tuple(opened.error()));
  return read_all(*opened, selection, check_every == 0 ? 1 : check_every);
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
  const auto column = find_column(name);
  if (!column) throw nb::value_error(("unknown column: " + name).c_str());
  const auto& c = table.capture;
  const PacketTable& t = c->table();
  switch (*column) {
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

nb::list str_list(const std::vector<std::string>& values) {
  nb::list out;
  for (const std::string& value : values) out.append(nb::str(value.data(), value.size()));
  return out;
}

nb::dict info_dict(const Capture& capture) {
  const CaptureInfo& info = capture.info();
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
  d["rows"] = capture.table().rows;
  return d;
}

nb::object arrow_c_stream(const Table& table, const std::vector<std::string>& columns,
                          bool naive_local, const std::string& zone) {
  std::vector<Column> selected;
  for (const std::string& name : columns) {
    const auto column = find_column(name);
    if (!column) throw nb::value_error(("unknown column: " + name).c_str());
    selected.push_back(*column);
  }
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
      .def("arrow_c_stream", &arrow_c_stream, "columns"_a, "naive_local"_a, "zone"_a);

  m.def("read_file", &read_file, "path"_a, "columns"_a, "strict"_a = false,
        "check_every"_a = 65536,
        "Read a capture file; return (Table, None) or (None, (code, offset, record, message)).");
  m.def("read_bytes", &read_bytes, "data"_a, "name"_a, "columns"_a, "strict"_a = false,
        "check_every"_a = 65536, "Read a capture held in a bytes object; like read_file.");

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
          auto* out = new std::vector<double>(ns.shape(0));
          {
            nb::gil_scoped_release release;
            for (std::size_t i = 0; i < out->size(); ++i) (*out)[i] = seconds_from_ns(ns(i));
          }
          nb::capsule owner(out, [](void* p) noexcept { delete static_cast<std::vector<double>*>(p); });
          const std::size_t shape[1] = {out->size()};
          static double empty[1] = {};
          return Array1<double>(out->empty() ? empty : out->data(), 1, shape, owner);
        },
        "ns"_a, "Correctly rounded ns / 1e9 for an int64 array (the time column's rule).");
}
