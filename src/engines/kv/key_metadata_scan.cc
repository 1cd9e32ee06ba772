// src/engines/kv/key_metadata_scan.cc: reads canonical key metadata records without building a
// JSON tree; any surprise gives up so that the general parser decides.
#include "engines/kv/key_metadata_scan.h"

#include <boost/json/parse.hpp>
#include <charconv>
#include <cstdint>
#include <limits>

namespace cellar::engines::kv {

namespace json = boost::json;

namespace {

// A cursor over the record; every Take* consumes on success and leaves a failed cursor behind
// otherwise (the caller then stops).
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool Literal(std::string_view lit) {
    if (s_.substr(pos_, lit.size()) != lit) {
      return false;
    }
    pos_ += lit.size();
    return true;
  }

  // A JSON integer as Boost.JSON reads it into an int64: no leading zeros, no "-0", no fraction or
  // exponent (those would make the number a double), in range.
  bool Int(int64_t& out) {
    bool negative = pos_ < s_.size() && s_[pos_] == '-';
    size_t first = pos_ + (negative ? 1 : 0);
    size_t end = first;
    uint64_t magnitude = 0;
    // Up to 19 digits cannot overflow the accumulator; more gives up (not an int64 anyway).
    while (end < s_.size() && IsDigit(s_[end]) && end - first < 20) {
      magnitude = magnitude * 10 + static_cast<uint64_t>(s_[end] - '0');
      ++end;
    }
    size_t count = end - first;
    if (count == 0 || count > 19 || (s_[first] == '0' && (count > 1 || negative))) {
      return false;
    }
    if (end < s_.size() && (s_[end] == '.' || s_[end] == 'e' || s_[end] == 'E')) {
      return false;
    }
    constexpr uint64_t kMaxPositive = std::numeric_limits<int64_t>::max();
    if (magnitude > kMaxPositive + (negative ? 1 : 0)) {
      return false;
    }
    out = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    pos_ = end;
    return true;
  }

  bool Bool(bool& out) {
    if (Literal("true")) {
      out = true;
      return true;
    }
    if (Literal("false")) {
      out = false;
      return true;
    }
    return false;
  }

  // A string without escapes (an escape gives up: the general parser decodes those).
  bool PlainString(std::string_view& out) {
    if (!Literal("\"")) {
      return false;
    }
    size_t end = s_.find_first_of("\"\\", pos_);
    if (end == std::string_view::npos || s_[end] != '"') {
      return false;
    }
    out = s_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return true;
  }

  // The text of one JSON object starting here, found by matching braces outside strings; its
  // validity is left to whoever parses it.
  bool ObjectText(std::string_view& out) {
    if (pos_ >= s_.size() || s_[pos_] != '{') {
      return false;
    }
    int depth = 0;
    bool in_string = false;
    for (size_t i = pos_; i < s_.size(); ++i) {
      char c = s_[i];
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
        }
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{') {
        ++depth;
      } else if (c == '}' && --depth == 0) {
        out = s_.substr(pos_, i + 1 - pos_);
        pos_ = i + 1;
        return true;
      }
    }
    return false;
  }

  bool AtEnd() const { return pos_ == s_.size(); }

 private:
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  std::string_view s_;
  size_t pos_ = 0;
};

bool ScanCustomMetadata(Scanner& sc, json::object& out) {
  if (sc.Literal("{}")) {
    return true;  // the usual case: nothing to parse
  }
  std::string_view text;
  if (!sc.ObjectText(text)) {
    return false;
  }
  // One level less than the default, so that exactly the custom metadata the whole record's parse
  // accepts (where it sits a level down) is accepted here.
  json::parse_options options;
  options.max_depth -= 1;
  json::error_code ec;
  json::value v = json::parse(text, ec, {}, options);
  if (ec || !v.is_object()) {
    return false;
  }
  out = std::move(v.get_object());
  return true;
}

// {"N":[created,deletion,destroyed],...}
bool ScanVersions(Scanner& sc, std::map<int64_t, VersionInfo>& out) {
  if (!sc.Literal("{")) {
    return false;
  }
  if (sc.Literal("}")) {
    return true;
  }
  do {
    std::string_view key;
    VersionInfo info;
    if (!sc.PlainString(key) || !sc.Literal(":[") || !sc.Int(info.created_ns) || !sc.Literal(",") ||
        !sc.Int(info.deletion_ns) || !sc.Literal(",") || !sc.Bool(info.destroyed) ||
        !sc.Literal("]")) {
      return false;
    }
    // The number is read from the key as KeyMetadata::Parse reads it.
    int64_t number = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), number);
    if (ec != std::errc() || end != key.data() + key.size()) {
      return false;
    }
    out[number] = info;
  } while (sc.Literal(","));
  return sc.Literal("}");
}

}  // namespace

std::optional<KeyMetadata> ScanCanonicalKeyMetadata(std::string_view stored) {
  Scanner sc(stored);
  KeyMetadata m;
  if (sc.Literal("{\"created\":") && sc.Int(m.created_ns) && sc.Literal(",\"updated\":") &&
      sc.Int(m.updated_ns) && sc.Literal(",\"current\":") && sc.Int(m.current_version) &&
      sc.Literal(",\"oldest\":") && sc.Int(m.oldest_version) && sc.Literal(",\"max_versions\":") &&
      sc.Int(m.max_versions) && sc.Literal(",\"cas_required\":") && sc.Bool(m.cas_required) &&
      sc.Literal(",\"delete_version_after\":") && sc.Int(m.delete_version_after) &&
      sc.Literal(",\"custom_metadata\":") && ScanCustomMetadata(sc, m.custom_metadata) &&
      sc.Literal(",\"versions\":") && ScanVersions(sc, m.versions) && sc.Literal("}") &&
      sc.AtEnd()) {
    return m;
  }
  return std::nullopt;
}

}  // namespace cellar::engines::kv
