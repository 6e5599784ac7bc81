// SPDX-License-Identifier: MIT
// RowWriter: packet rows as CSV (RFC 4180), JSON lines, or an aligned text table.
#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>

#include "pcapframe/export.hpp"

namespace pcapframe {

namespace {

enum class CellKind : std::uint8_t { Null, Number, Bool, Text, PacketText };

// Rows per flush; keeps the output buffer around a megabyte.
constexpr std::size_t kFlushBytes = std::size_t{1} << 20;
// The aligned table sizes its columns from the first rows it sees.
constexpr std::size_t kWidthSampleRows = 1000;

void append_int(std::string& out, std::int64_t value) {
  char buffer[24];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, end);
}

bool is_numeric(ColumnType type) {
  return type == ColumnType::Int64 || type == ColumnType::Float64 || type == ColumnType::Timestamp;
}

}  // namespace

struct RowWriter::State {
  std::FILE* out;
  RowWriterOptions options;
  DatetimeFormatter datetime;
  std::string buffer;
  std::string cell;
  bool header_written = false;
  std::vector<std::size_t> widths;       // table format
  std::vector<std::string> name_display;  // per batch: display text of each DNS name id

  State(std::FILE* stream, RowWriterOptions o)
      : out(stream), options(std::move(o)), datetime(options.time_zone, options.time_digits) {}

  // Render one cell into `cell`; return what kind of value it is.
  CellKind render(const PacketTable& t, Column column, std::size_t row);
  void append_formatted(std::size_t index, CellKind kind);
  void write_header();
  void compute_widths(const PacketTable& t);
  Result<void> flush();
};

CellKind RowWriter::State::render(const PacketTable& t, Column column, std::size_t row) {
  cell.clear();
  const auto int_or_null = [&](std::int64_t value) {
    if (value < 0) return CellKind::Null;
    append_int(cell, value);
    return CellKind::Number;
  };
  const auto address = [&](std::uint32_t id) {
    if (id == 0) return CellKind::Null;
    cell += t.addresses.text[id];
    return CellKind::Text;
  };
  const auto address_int = [&](std::uint32_t id) {
    if (id == 0 || t.addresses.addresses[id].version != 4) return CellKind::Null;
    append_int(cell, t.addresses.addresses[id].v4());
    return CellKind::Number;
  };
  const auto mac = [&](std::int64_t value) {
    if (value < 0) return CellKind::Null;
    cell += mac_to_text(static_cast<std::uint64_t>(value));
    return CellKind::Text;
  };
  const auto name = [&](std::uint32_t id) {
    if (id == 0) return CellKind::Null;
    cell += name_display[id];
    return CellKind::PacketText;
  };
  switch (column) {
    case Column::Datetime: datetime.append(cell, t.ts_ns[row]); return CellKind::Text;
    case Column::DnsQuery: return name(t.dns_query[row]);
    case Column::DnsResp: return name(t.dns_resp[row]);
    case Column::IpDst: return address(t.ip_dst[row]);
    case Column::IpDstInt: return address_int(t.ip_dst[row]);
    case Column::IpSrc: return address(t.ip_src[row]);
    case Column::IpSrcInt: return address_int(t.ip_src[row]);
    case Column::IsDns: cell += t.is_dns[row] ? "True" : "False"; return CellKind::Bool;
    case Column::Length: return int_or_null(t.length[row]);
    case Column::MacDst: return mac(t.mac_dst[row]);
    case Column::MacDstInt: return int_or_null(t.mac_dst[row]);
    case Column::MacSrc: return mac(t.mac_src[row]);
    case Column::MacSrcInt: return int_or_null(t.mac_src[row]);
    case Column::PortDst: return int_or_null(t.port_dst[row]);
    case Column::PortSrc: return int_or_null(t.port_src[row]);
    case Column::Protocol: {
      const auto transport = static_cast<Transport>(t.protocol[row]);
      if (transport == Transport::None) return CellKind::Null;
      cell += transport_name(transport);
      return CellKind::Text;
    }
    case Column::Time:
      append_seconds(cell, t.ts_ns[row], options.time_digits);
      return CellKind::Number;
    case Column::TimeNormed:
      append_seconds(cell, t.ts_ns[row] - t.first_ts_ns, options.time_digits);
      return CellKind::Number;
    case Column::Caplen: return int_or_null(t.caplen[row]);
    case Column::IpVersion: return t.ip_version[row] == 0 ? CellKind::Null : int_or_null(t.ip_version[row]);
    case Column::Ttl: return int_or_null(t.ttl[row]);
    case Column::IpProto: return int_or_null(t.ip_proto[row]);
    case Column::TcpFlags: return int_or_null(t.tcp_flags[row]);
    case Column::IcmpType: return int_or_null(t.icmp_type[row]);
    case Column::IcmpCode: return int_or_null(t.icmp_code[row]);
    case Column::VlanId: return int_or_null(t.vlan_id[row]);
    case Column::LinkType: return int_or_null(t.link_type[row]);
    case Column::Interface: return int_or_null(t.interface[row]);
    case Column::Anomaly: {
      const auto anomaly = static_cast<Anomaly>(t.anomaly[row]);
      if (anomaly == Anomaly::None) return CellKind::Null;
      cell += anomaly_name(anomaly);
      return CellKind::Text;
    }
  }
  return CellKind::Null;
}

void RowWriter::State::append_formatted(std::size_t index, CellKind kind) {
  const Column column = options.columns[index];
  switch (options.format) {
    case RowFormat::Csv:
      if (kind == CellKind::PacketText) {
        append_csv_cell(buffer, cell, options.inert_formulas);
      } else if (kind == CellKind::Text) {
        append_csv_cell(buffer, cell, false);  // our own text: addresses, names of enums
      } else {
        buffer += cell;  // numbers, booleans; null is an empty cell
      }
      return;
    case RowFormat::Jsonl:
      append_json_string(buffer, column_spec(column).name);
      buffer += ':';
      if (kind == CellKind::Null) {
        buffer += "null";
      } else if (kind == CellKind::Bool) {
        buffer += cell == "True" ? "true" : "false";
      } else if (kind == CellKind::Number) {
        buffer += cell;
      } else {
        append_json_string(buffer, cell);
      }
      return;
    case RowFormat::Table: {
      const std::size_t width = widths[index];
      const std::size_t pad = width > cell.size() ? width - cell.size() : 0;
      if (is_numeric(column_spec(column).type)) buffer.append(pad, ' ');
      buffer += cell;
      if (!is_numeric(column_spec(column).type)) buffer.append(pad, ' ');
      return;
    }
  }
}

void RowWriter::State::compute_widths(const PacketTable& t) {
  widths.assign(options.columns.size(), 0);
  for (std::size_t i = 0; i < options.columns.size(); ++i)
    widths[i] = column_spec(options.columns[i]).name.size();
  const std::size_t sample = std::min(t.rows, kWidthSampleRows);
  for (std::size_t row = 0; row < sample; ++row) {
    for (std::size_t i = 0; i < options.columns.size(); ++i) {
      render(t, options.columns[i], row);
      widths[i] = std::max(widths[i], cell.size());
    }
  }
}

void RowWriter::State::write_header() {
  for (std::size_t i = 0; i < options.columns.size(); ++i) {
    const std::string_view name = column_spec(options.columns[i]).name;
    if (options.format == RowFormat::Csv) {
      if (i > 0) buffer += ',';
      buffer += name;
    } else if (options.format == RowFormat::Table) {
      if (i > 0) buffer += "  ";
      const std::size_t pad = widths[i] - name.size();
      if (is_numeric(column_spec(options.columns[i]).type)) buffer.append(pad, ' ');
      buffer += name;
      if (!is_numeric(column_spec(options.columns[i]).type)) buffer.append(pad, ' ');
    }
  }
  if (options.format != RowFormat::Jsonl) buffer += '\n';
  header_written = true;
}

Result<void> RowWriter::State::flush() {
  if (!buffer.empty() && std::fwrite(buffer.data(), 1, buffer.size(), out) != buffer.size()) {
    return unexpected({ErrorCode::Io, 0, 0, std::string("cannot write output: ") + std::strerror(errno)});
  }
  buffer.clear();
  return {};
}

RowWriter::RowWriter(std::FILE* out, RowWriterOptions options)
    : state_(std::make_unique<State>(out, std::move(options))) {
  if (state_->options.columns.empty()) {
    for (const ColumnSpec& spec : kPacketSchema) state_->options.columns.push_back(spec.column);
  }
}
RowWriter::~RowWriter() = default;

Result<void> RowWriter::write(const PacketTable& batch) {
  State& s = *state_;
  s.name_display.clear();
  for (const std::string& name : batch.names.values) s.name_display.push_back(to_display_text(name));
  if (!s.header_written) {
    if (s.options.format == RowFormat::Table) s.compute_widths(batch);
    s.write_header();
  }
  for (std::size_t row = 0; row < batch.rows; ++row) {
    if (s.options.format == RowFormat::Jsonl) s.buffer += '{';
    for (std::size_t i = 0; i < s.options.columns.size(); ++i) {
      if (i > 0) s.buffer += s.options.format == RowFormat::Table ? "  " : ",";
      s.append_formatted(i, s.render(batch, s.options.columns[i], row));
    }
    s.buffer += s.options.format == RowFormat::Jsonl ? "}\n" : "\n";
    if (s.buffer.size() >= kFlushBytes) {
      if (auto flushed = s.flush(); !flushed) return flushed;
    }
  }
  return s.flush();
}

Result<void> RowWriter::finish() {
  if (auto flushed = state_->flush(); !flushed) return flushed;
  if (std::fflush(state_->out) != 0) {
    return unexpected({ErrorCode::Io, 0, 0, std::string("cannot write output: ") + std::strerror(errno)});
  }
  return {};
}

}  // namespace pcapframe
