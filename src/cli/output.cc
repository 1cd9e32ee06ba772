// src/cli/output.cc: table and JSON printers for the CLI.
#include "cli/output.h"

#include <algorithm>
#include <boost/json/serialize.hpp>

#include "base/duration.h"

namespace cellar::cli {
namespace {

void Indent(std::ostream& out, int level) {
  for (int i = 0; i < level; ++i) {
    out << "    ";
  }
}

void PrettyPrint(const boost::json::value& v, std::ostream& out, int level) {
  if (v.is_object()) {
    const auto& obj = v.as_object();
    if (obj.empty()) {
      out << "{}";
      return;
    }
    out << "{\n";
    size_t i = 0;
    for (const auto& [key, value] : obj) {
      Indent(out, level + 1);
      out << boost::json::serialize(boost::json::value(key)) << ": ";
      PrettyPrint(value, out, level + 1);
      out << (++i < obj.size() ? ",\n" : "\n");
    }
    Indent(out, level);
    out << "}";
  } else if (v.is_array()) {
    const auto& arr = v.as_array();
    if (arr.empty()) {
      out << "[]";
      return;
    }
    out << "[\n";
    for (size_t i = 0; i < arr.size(); ++i) {
      Indent(out, level + 1);
      PrettyPrint(arr[i], out, level + 1);
      out << (i + 1 < arr.size() ? ",\n" : "\n");
    }
    Indent(out, level);
    out << "]";
  } else {
    out << boost::json::serialize(v);
  }
}

}  // namespace

std::string FormatValue(const boost::json::value& value) {
  switch (value.kind()) {
    case boost::json::kind::null:
      return "<nil>";
    case boost::json::kind::string:
      return std::string(value.as_string());
    case boost::json::kind::bool_:
      return value.as_bool() ? "true" : "false";
    case boost::json::kind::array: {
      std::string out = "[";
      bool first = true;
      for (const auto& item : value.as_array()) {
        out += (first ? "" : " ") + FormatValue(item);
        first = false;
      }
      return out + "]";
    }
    case boost::json::kind::object: {
      std::vector<std::string> keys;
      for (const auto& [k, v] : value.as_object()) {
        keys.emplace_back(k);
      }
      std::sort(keys.begin(), keys.end());
      std::string out = "map[";
      bool first = true;
      for (const auto& k : keys) {
        out += (first ? "" : " ") + k + ":" + FormatValue(value.as_object().at(k));
        first = false;
      }
      return out + "]";
    }
    default:
      return boost::json::serialize(value);
  }
}

void PrintTable(const Rows& rows, std::ostream& out, const std::string& key_header,
                const std::string& value_header) {
  size_t width = key_header.size();
  for (const auto& [k, v] : rows) {
    width = std::max(width, k.size());
  }
  auto line = [&](const std::string& k, const std::string& v) {
    out << k << std::string(width - k.size() + 4, ' ') << v << "\n";
  };
  line(key_header, value_header);
  line(std::string(key_header.size(), '-'), std::string(value_header.size(), '-'));
  for (const auto& [k, v] : rows) {
    line(k, v);
  }
}

void PrintJson(const boost::json::value& value, std::ostream& out) {
  PrettyPrint(value, out, 0);
  out << "\n";
}

Rows RowsOf(const boost::json::object& object) {
  Rows rows;
  for (const auto& [k, v] : object) {
    rows.emplace_back(std::string(k), FormatValue(v));
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::string HumanDuration(const boost::json::value& seconds) {
  int64_t s = seconds.is_int64() ? seconds.as_int64()
              : seconds.is_uint64() ? static_cast<int64_t>(seconds.as_uint64())
              : seconds.is_double() ? static_cast<int64_t>(seconds.as_double())
                                    : 0;
  if (s == 0) {
    return "∞";
  }
  // Go's time.Duration text without its zero tails, as Vault's humanDuration: 1h0m0s -> 1h.
  std::string text = FormatDuration(Seconds(s));
  if (text.size() > 2 && text.ends_with("m0s")) {
    text.resize(text.size() - 2);
  }
  if (text.size() > 2 && text.ends_with("h0m")) {
    text.resize(text.size() - 2);
  }
  return text;
}

}  // namespace cellar::cli
