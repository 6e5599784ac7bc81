// SPDX-License-Identifier: MIT
// Capture → Arrow C stream. Each exported array owns a private block that holds its buffer
// pointers and shared_ptrs to whatever keeps those buffers alive (the Capture for its own
// columns, small vectors for validity bitmaps and dictionaries).
#include "arrow_stream.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <limits>
#include <stdexcept>
#include <utility>

namespace pcapframe::python {

namespace {

using Keep = std::shared_ptr<const void>;

// Stands in for the data of empty columns: Arrow wants non-null buffers, and an empty
// utf8 array still has one offset.
alignas(64) const std::int64_t kEmptyBuffer[8] = {};

// One schema or array to export. A schema has a format, a name and a nullability; an array
// has a length, buffers and the owners of those buffers. Both have children and a dictionary.
struct ArrayDesc {
  std::string format;
  std::string name;
  bool nullable = false;
  std::int64_t length = 0;
  std::int64_t null_count = 0;
  std::vector<const void*> buffers;
  std::vector<Keep> keep;
  std::vector<ArrayDesc> children;
  std::shared_ptr<const ArrayDesc> dictionary;
};

// The release callback of an exported ArrowSchema or ArrowArray (`Node`), whose private data
// (`Private`) owns its children and dictionary: release those, then mark the node released.
template <class Node, class Private>
void release_node(Node* node) {
  auto* priv = static_cast<Private*>(node->private_data);
  const auto release_owned = [](Node* owned) {
    if (owned->release != nullptr) owned->release(owned);
    delete owned;
  };
  for (Node* child : priv->children) release_owned(child);
  if (priv->dictionary != nullptr) release_owned(priv->dictionary);
  delete priv;
  node->release = nullptr;
}

// ---- Schema export ----

struct SchemaPrivate {
  std::string format;
  std::string name;
  std::vector<ArrowSchema*> children;
  ArrowSchema* dictionary = nullptr;
};

void export_schema(const ArrayDesc& desc, ArrowSchema* out) {
  auto* priv = new SchemaPrivate{desc.format, desc.name, {}, nullptr};
  for (const ArrayDesc& child : desc.children) {
    auto* child_schema = new ArrowSchema{};
    export_schema(child, child_schema);
    priv->children.push_back(child_schema);
  }
  if (desc.dictionary) {
    priv->dictionary = new ArrowSchema{};
    export_schema(*desc.dictionary, priv->dictionary);
  }
  out->format = priv->format.c_str();
  out->name = priv->name.c_str();
  out->metadata = nullptr;
  out->flags = desc.nullable ? ARROW_FLAG_NULLABLE : 0;
  out->n_children = static_cast<std::int64_t>(priv->children.size());
  out->children = priv->children.empty() ? nullptr : priv->children.data();
  out->dictionary = priv->dictionary;
  out->release = release_node<ArrowSchema, SchemaPrivate>;
  out->private_data = priv;
}

// ---- Array export ----

struct ArrayPrivate {
  std::vector<const void*> buffers;
  std::vector<Keep> keep;
  std::vector<ArrowArray*> children;
  ArrowArray* dictionary = nullptr;
};

void export_array(const ArrayDesc& desc, ArrowArray* out) {
  auto* priv = new ArrayPrivate{desc.buffers, desc.keep, {}, nullptr};
  for (const ArrayDesc& child : desc.children) {
    auto* child_array = new ArrowArray{};
    export_array(child, child_array);
    priv->children.push_back(child_array);
  }
  if (desc.dictionary) {
    priv->dictionary = new ArrowArray{};
    export_array(*desc.dictionary, priv->dictionary);
  }
  out->length = desc.length;
  out->null_count = desc.null_count;
  out->offset = 0;
  out->n_buffers = static_cast<std::int64_t>(priv->buffers.size());
  out->buffers = priv->buffers.data();
  out->n_children = static_cast<std::int64_t>(priv->children.size());
  out->children = priv->children.empty() ? nullptr : priv->children.data();
  out->dictionary = priv->dictionary;
  out->release = release_node<ArrowArray, ArrayPrivate>;
  out->private_data = priv;
}

// ---- Building column descriptions ----
//
// An ArrowArray carries no type: the batch's arrays need only lengths, buffers, children and
// dictionaries; their types are the schema's (arrow_type below).

const void* data_of(const void* data) { return data != nullptr ? data : kEmptyBuffer; }

template <class T>
Keep own(std::vector<T> values) {
  return std::make_shared<const std::vector<T>>(std::move(values));
}

// An array of `length` values in `buffers`, which `keep` keeps alive.
ArrayDesc array_desc(std::size_t length, std::vector<const void*> buffers, std::vector<Keep> keep) {
  ArrayDesc desc;
  desc.length = static_cast<std::int64_t>(length);
  desc.buffers = std::move(buffers);
  desc.keep = std::move(keep);
  return desc;
}

// A bitmap of `rows` bits, bit `row` set when `test(row)`, and how many are not set.
template <class Test>
std::pair<std::vector<std::uint8_t>, std::int64_t> pack_bits(std::size_t rows, Test test) {
  std::vector<std::uint8_t> bitmap((rows + 7) / 8, 0);
  std::int64_t unset = 0;
  for (std::size_t row = 0; row < rows; ++row) {
    if (test(row)) {
      bitmap[row / 8] = static_cast<std::uint8_t>(bitmap[row / 8] | (1u << (row % 8)));
    } else {
      ++unset;
    }
  }
  return {std::move(bitmap), unset};
}

// Set the validity bitmap of `desc` from `valid(row)`; no bitmap when nothing is missing.
template <class Valid>
void set_validity(ArrayDesc& desc, std::size_t rows, Valid valid) {
  auto [bitmap, nulls] = pack_bits(rows, valid);
  desc.null_count = nulls;
  if (nulls == 0) {
    desc.buffers[0] = nullptr;
  } else {
    desc.buffers[0] = data_of(bitmap.data());
    desc.keep.push_back(own(std::move(bitmap)));
  }
}

// A fixed-width column over `values` (kept alive by `owner`), without a copy.
template <class T>
ArrayDesc primitive(const std::vector<T>& values, const Keep& owner) {
  return array_desc(values.size(), {nullptr, data_of(values.data())}, {owner});
}

// A fixed-width column whose negative values are missing.
template <class T>
ArrayDesc nullable_primitive(const std::vector<T>& values, const Keep& owner) {
  ArrayDesc desc = primitive(values, owner);
  set_validity(desc, values.size(), [&](std::size_t row) { return values[row] >= 0; });
  return desc;
}

// A utf8 array of `values`. Dictionaries hold distinct values only, so 2 GiB of text is
// far away; past it we refuse rather than change the column's type.
ArrayDesc utf8_array(const std::vector<std::string>& values) {
  std::size_t total = 0;
  for (const std::string& value : values) total += value.size();
  if (total >= static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw std::length_error("a string dictionary exceeds 2 GiB");
  std::vector<std::int32_t> offsets;
  offsets.reserve(values.size() + 1);
  offsets.push_back(0);
  auto text = std::make_shared<std::string>();
  text->reserve(total);
  for (const std::string& value : values) {
    *text += value;
    offsets.push_back(static_cast<std::int32_t>(text->size()));
  }
  const void* offsets_data = data_of(offsets.data());
  const void* text_data = data_of(text->data());
  return array_desc(values.size(), {nullptr, offsets_data, text_data},
                    {own(std::move(offsets)), std::move(text)});
}

// The dictionary of a dictionary-encoded column.
std::shared_ptr<const ArrayDesc> utf8_dictionary(const std::vector<std::string>& values) {
  return std::make_shared<const ArrayDesc>(utf8_array(values));
}

// A dictionary-encoded column: `ids` index into `dictionary`; id 0 is missing.
template <class Id>
ArrayDesc dictionary_column(const std::vector<Id>& ids, const Keep& owner,
                            std::shared_ptr<const ArrayDesc> dictionary) {
  ArrayDesc desc = primitive(ids, owner);
  set_validity(desc, ids.size(), [&](std::size_t row) { return ids[row] != 0; });
  desc.dictionary = std::move(dictionary);
  return desc;
}

class ColumnExporter {
 public:
  ColumnExporter(std::shared_ptr<Capture> capture, TimestampOptions timestamps)
      : capture_(std::move(capture)), keep_(capture_), timestamps_(std::move(timestamps)) {}

  ArrayDesc column(Column column);

 private:
  template <class T>
  const std::vector<T>& checked(const std::vector<T>& values, Column column) const {
    if (values.size() != capture_->table().rows) {
      throw std::invalid_argument("column '" + std::string(column_spec(column).name) +
                                  "' was not read");
    }
    return values;
  }

  std::shared_ptr<Capture> capture_;
  Keep keep_;
  TimestampOptions timestamps_;
  std::shared_ptr<const ArrayDesc> addresses_;
  std::shared_ptr<const ArrayDesc> names_;
  std::shared_ptr<const ArrayDesc> macs_;
};

ArrayDesc ColumnExporter::column(Column column) {
  Capture& c = *capture_;
  const PacketTable& t = c.table();
  const auto address_dictionary = [&] {
    if (!addresses_) addresses_ = utf8_dictionary(t.addresses.text);
    return addresses_;
  };
  const auto name_dictionary = [&] {
    if (!names_) names_ = utf8_dictionary(c.name_display());
    return names_;
  };
  const auto mac_text = [&](bool source) {
    checked(source ? t.mac_src : t.mac_dst, column);
    const MacDictionary& dict = c.mac_dictionary();
    if (!macs_) macs_ = utf8_dictionary(dict.text);
    return dictionary_column(source ? dict.src_ids : dict.dst_ids, keep_, macs_);
  };
  switch (column) {
    case Column::Datetime:
      checked(t.ts_ns, column);
      return primitive(timestamps_.naive_local ? c.local_ns() : t.ts_ns, keep_);
    case Column::DnsQuery:
      return dictionary_column(checked(t.dns_query, column), keep_, name_dictionary());
    case Column::DnsResp:
      return dictionary_column(checked(t.dns_resp, column), keep_, name_dictionary());
    case Column::IpDst:
      return dictionary_column(checked(t.ip_dst, column), keep_, address_dictionary());
    case Column::IpSrc:
      return dictionary_column(checked(t.ip_src, column), keep_, address_dictionary());
    case Column::IpDstInt:
      checked(t.ip_dst, column);
      return nullable_primitive(c.ip_int(false), keep_);
    case Column::IpSrcInt:
      checked(t.ip_src, column);
      return nullable_primitive(c.ip_int(true), keep_);
    case Column::IsDns: {
      const std::vector<std::uint8_t>& flags = checked(t.is_dns, column);
      auto bits = pack_bits(flags.size(), [&](std::size_t row) { return flags[row] != 0; }).first;
      const void* data = data_of(bits.data());
      return array_desc(flags.size(), {nullptr, data}, {own(std::move(bits))});
    }
    case Column::Length: return primitive(checked(t.length, column), keep_);
    case Column::MacDst: return mac_text(false);
    case Column::MacSrc: return mac_text(true);
    case Column::MacDstInt: return nullable_primitive(checked(t.mac_dst, column), keep_);
    case Column::MacSrcInt: return nullable_primitive(checked(t.mac_src, column), keep_);
    case Column::PortDst: return nullable_primitive(checked(t.port_dst, column), keep_);
    case Column::PortSrc: return nullable_primitive(checked(t.port_src, column), keep_);
    case Column::Protocol: {
      const auto& codes = checked(t.protocol, column);
      return dictionary_column(codes, keep_, utf8_dictionary(enum_names(codes, transport_name)));
    }
    case Column::Time: checked(t.ts_ns, column); return primitive(c.seconds(), keep_);
    case Column::TimeNormed: checked(t.ts_ns, column); return primitive(c.seconds_normed(), keep_);
    case Column::Caplen: return primitive(checked(t.caplen, column), keep_);
    case Column::IpVersion: {
      const auto& versions = checked(t.ip_version, column);
      ArrayDesc desc = primitive(versions, keep_);
      set_validity(desc, versions.size(), [&](std::size_t row) { return versions[row] != 0; });
      return desc;
    }
    case Column::Ttl: return nullable_primitive(checked(t.ttl, column), keep_);
    case Column::IpProto: return nullable_primitive(checked(t.ip_proto, column), keep_);
    case Column::TcpFlags: return nullable_primitive(checked(t.tcp_flags, column), keep_);
    case Column::IcmpType: return nullable_primitive(checked(t.icmp_type, column), keep_);
    case Column::IcmpCode: return nullable_primitive(checked(t.icmp_code, column), keep_);
    case Column::VlanId: return nullable_primitive(checked(t.vlan_id, column), keep_);
    case Column::LinkType: return primitive(checked(t.link_type, column), keep_);
    case Column::Interface: return primitive(checked(t.interface, column), keep_);
    case Column::Anomaly: {
      const auto& codes = checked(t.anomaly, column);
      return dictionary_column(codes, keep_, utf8_dictionary(enum_names(codes, anomaly_name)));
    }
  }
  throw std::invalid_argument("unknown column");
}

// The Arrow type of each column, fixed whatever the data (Dask partitions and Parquet
// files of one capture and the next must agree): format, dictionary value format (or
// null), nullability.
struct ArrowType {
  const char* format;
  const char* dictionary;
  bool nullable;
};

ArrowType arrow_type(Column column) {
  switch (column) {
    case Column::Datetime: return {"tsn:", nullptr, false};
    case Column::DnsQuery:
    case Column::DnsResp:
    case Column::IpDst:
    case Column::IpSrc:
    case Column::MacDst:
    case Column::MacSrc: return {"i", "u", true};
    case Column::Protocol:
    case Column::Anomaly: return {"c", "u", true};
    case Column::IpDstInt:
    case Column::IpSrcInt:
    case Column::MacDstInt:
    case Column::MacSrcInt:
    case Column::PortDst:
    case Column::PortSrc: return {"l", nullptr, true};
    case Column::IsDns: return {"b", nullptr, false};
    case Column::Length:
    case Column::Caplen: return {"l", nullptr, false};
    case Column::Time:
    case Column::TimeNormed: return {"g", nullptr, false};
    case Column::IpVersion: return {"C", nullptr, true};
    case Column::Ttl:
    case Column::IpProto:
    case Column::TcpFlags:
    case Column::IcmpType:
    case Column::IcmpCode: return {"s", nullptr, true};
    case Column::VlanId: return {"i", nullptr, true};
    case Column::LinkType: return {"S", nullptr, false};
    case Column::Interface: return {"I", nullptr, false};
  }
  return {"n", nullptr, true};
}

// ---- The stream: one batch ----

struct StreamPrivate {
  std::shared_ptr<Capture> capture;
  std::vector<Column> columns;
  TimestampOptions timestamps;
  bool batch_sent = false;
  std::string last_error;
};

ArrayDesc batch_desc(StreamPrivate& s) {
  ColumnExporter exporter(s.capture, s.timestamps);
  ArrayDesc batch = array_desc(s.capture->table().rows, {nullptr}, {});
  for (const Column column : s.columns) batch.children.push_back(exporter.column(column));
  return batch;
}

std::string timestamp_format(const TimestampOptions& timestamps) {
  return timestamps.naive_local ? "tsn:" : "tsn:" + timestamps.zone;
}

ArrayDesc schema_desc(const StreamPrivate& s) {
  ArrayDesc batch;
  batch.format = "+s";
  for (const Column column : s.columns) {
    const ArrowType type = arrow_type(column);
    ArrayDesc child;
    child.name = std::string(column_spec(column).name);
    child.format = column == Column::Datetime ? timestamp_format(s.timestamps) : type.format;
    child.nullable = type.nullable;
    if (type.dictionary != nullptr) {
      auto dict = std::make_shared<ArrayDesc>();
      dict->format = type.dictionary;
      child.dictionary = std::move(dict);
    }
    batch.children.push_back(std::move(child));
  }
  return batch;
}

int stream_get_schema(ArrowArrayStream* stream, ArrowSchema* out) {
  auto& s = *static_cast<StreamPrivate*>(stream->private_data);
  try {
    export_schema(schema_desc(s), out);
    return 0;
  } catch (const std::bad_alloc&) {
    s.last_error = "out of memory";
    return ENOMEM;
  } catch (const std::exception& e) {
    s.last_error = e.what();
    return EINVAL;
  }
}

int stream_get_next(ArrowArrayStream* stream, ArrowArray* out) {
  auto& s = *static_cast<StreamPrivate*>(stream->private_data);
  if (s.batch_sent) {
    std::memset(out, 0, sizeof *out);  // release == nullptr: the end of the stream
    return 0;
  }
  try {
    export_array(batch_desc(s), out);
    s.batch_sent = true;
    return 0;
  } catch (const std::bad_alloc&) {
    s.last_error = "out of memory";
    return ENOMEM;
  } catch (const std::exception& e) {
    s.last_error = e.what();
    return EINVAL;
  }
}

const char* stream_get_last_error(ArrowArrayStream* stream) {
  auto& s = *static_cast<StreamPrivate*>(stream->private_data);
  return s.last_error.empty() ? nullptr : s.last_error.c_str();
}

void stream_release(ArrowArrayStream* stream) {
  delete static_cast<StreamPrivate*>(stream->private_data);
  stream->release = nullptr;
}

}  // namespace

void export_arrow_stream(std::shared_ptr<Capture> capture, std::vector<Column> columns,
                         TimestampOptions timestamps, ArrowArrayStream* out) {
  out->private_data =
      new StreamPrivate{std::move(capture), std::move(columns), std::move(timestamps), false, {}};
  out->get_schema = stream_get_schema;
  out->get_next = stream_get_next;
  out->get_last_error = stream_get_last_error;
  out->release = stream_release;
}

}  // namespace pcapframe::python
